// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Daily prompts (API.md "Prompts"): one prompt per space and date, the same
// for both partners; the partner's answer opens only after the caller has
// answered (checked on the raw response text); supportive acknowledgements
// only; one "another prompt, please" per person and day while nobody has
// answered; the history of days both answered; no streaks, counts or scores.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, TEST_TIMEOUT, SQLITE_ONLY, assertError, assertJsonType } from './lib/server.mjs';
import { addRoleUser } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const mark = (tag) => `${tag}${crypto.randomBytes(10).toString('hex')}`;
const KINDS = ['thank_you', 'i_hear_you', 'me_too', 'hug'];
const NO_SHAME = /streak|count|score/i;

let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

/** Every key anywhere in a JSON value. */
function keysDeep(v, out = []) {
  if (Array.isArray(v)) for (const x of v) keysDeep(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); keysDeep(x, out); }
  return out;
}

/** Every prompt answer goes through here: no streaks, counts or scores in any of them. */
async function call(who, method, p, body) {
  const r = await srv.api(method, p, { token: who && who.token, body });
  if (r.json) {
    const bad = keysDeep(r.json).filter((k) => NO_SHAME.test(k));
    assert.deepEqual(bad, [], `${method} ${p}: keys about streaks/counts/scores: ${r.text.slice(0, 300)}`);
  }
  return r;
}

async function today(who) {
  const r = await call(who, 'GET', '/api/v1/prompts/today');
  assert.equal(r.status, 200, `GET /prompts/today: ${r.status} ${r.text}`);
  return r;
}

async function answer(who, id, text) {
  const r = await call(who, 'POST', `/api/v1/prompts/${id}/answer`, { text });
  assert.equal(r.status, 201, `answer: ${r.status} ${r.text}`);
  return r.json;
}

const utcDate = (offsetDays) => new Date(Date.now() + offsetDays * 86400000).toISOString().slice(0, 10);

test('GET /prompts/today: the documented shape, nothing answered; both partners get the same prompt', T, async () => {
  const { a, b } = await srv.makeCouple('pt');
  const ra = await today(a);
  assertJsonType(ra);
  const p = ra.json;
  for (const k of ['id', 'date', 'text', 'category', 'depth', 'mine', 'partner_answered', 'partner', 'can_skip']) {
    assert.ok(k in p, `key ${k} in ${ra.text}`);
  }
  assert.equal(typeof p.id, 'string');
  assert.ok(p.id.length > 0);
  assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok([utcDate(-1), utcDate(0), utcDate(1)].includes(p.date), `date ${p.date} is today somewhere`);
  assert.equal(typeof p.text, 'string');
  assert.ok(p.text.length > 0);
  assert.equal(typeof p.category, 'string');
  assert.ok(Number.isInteger(p.depth) && p.depth >= 1, `depth ${p.depth}`);
  assert.equal(p.mine, null);
  assert.equal(p.partner_answered, false);
  assert.equal(p.partner, null);
  assert.equal(p.can_skip, true);
  const rb = await today(b);
  for (const k of ['id', 'date', 'text', 'category', 'depth']) assert.equal(rb.json[k], p[k], `partner's ${k}`);
  // Stable across calls.
  const again = await today(a);
  assert.equal(again.json.id, p.id);
  assert.equal(again.json.text, p.text);
});

test('answer: 400 for empty/blank/missing/non-string/over-long text; 201 with mine; 409 already_answered', T, async () => {
  const { a } = await srv.makeCouple('pa');
  const { id } = (await today(a)).json;
  for (const body of [{}, { text: '' }, { text: '  \n\t' }, { text: null }, { text: 5 }, { text: ['x'] }, { text: 'x'.repeat(4001) }]) {
    const r = await call(a, 'POST', `/api/v1/prompts/${id}/answer`, body);
    assertError(r, 400, 'invalid_input', 'text', `answer ${JSON.stringify(body).slice(0, 60)}`);
  }
  assert.equal((await today(a)).json.mine, null, 'no invalid answer was stored');
  const text = 'é'.repeat(4000);
  const r = await call(a, 'POST', `/api/v1/prompts/${id}/answer`, { text });
  assert.equal(r.status, 201, r.text.slice(0, 300));
  assertJsonType(r);
  assert.equal(r.json.id, id);
  assert.equal(r.json.mine, text);
  assert.equal(r.json.partner, null);
  assert.equal(r.json.partner_answered, false);
  assert.equal(r.json.can_skip, false, 'an answered prompt cannot be skipped');
  const twice = await call(a, 'POST', `/api/v1/prompts/${id}/answer`, { text: 'again' });
  assertError(twice, 409, 'already_answered', undefined, 'second answer');
  assert.equal((await today(a)).json.mine, text, 'the first answer stays');
});

test('the partner\'s answer stays closed until the caller answered (raw responses); then each sees the other\'s', T, async () => {
  const { a, b } = await srv.makeCouple('ps');
  const { id } = (await today(a)).json;
  const ma = mark('answera');
  const mb = mark('answerb');
  const ra = await answer(a, id, `I would say ${ma}`);
  assert.equal(ra.partner, null);

  // B has not answered: nothing of A's answer in anything B can read.
  const tb = await today(b);
  assert.ok(!tb.text.includes(ma), `B's today holds A's answer: ${tb.text}`);
  assert.equal(tb.json.partner_answered, true);
  assert.equal(tb.json.partner, null);
  assert.equal(tb.json.mine, null);
  const hb = await call(b, 'GET', '/api/v1/prompts/history');
  assert.equal(hb.status, 200);
  assert.ok(!hb.text.includes(ma), `B's history holds A's answer: ${hb.text}`);
  const ha = await call(a, 'GET', '/api/v1/prompts/history');
  assert.deepEqual(ha.json.items, [], 'a day only one of them answered is not in the history');
  for (const p of ['/api/v1/me', '/api/v1/repairs', '/api/v1/checkins?author=all']) {
    const r = await call(b, 'GET', p);
    assert.ok(!r.text.includes(ma), `B's ${p} holds A's answer`);
  }
  // A refused action of B's does not leak it either.
  const ack = await call(b, 'POST', `/api/v1/prompts/${id}/acknowledge`, { kind: 'hug' });
  assert.equal(ack.status, 409, ack.text);
  assert.ok(!ack.text.includes(ma));
  const bad = await call(b, 'POST', `/api/v1/prompts/${id}/answer`, { text: '' });
  assert.ok(!bad.text.includes(ma));

  // B answers: both see both.
  const rb = await answer(b, id, `and I ${mb}`);
  assert.equal(rb.mine, `and I ${mb}`);
  assert.equal(rb.partner, `I would say ${ma}`);
  const ta = (await today(a)).json;
  assert.equal(ta.partner, `and I ${mb}`);
  assert.equal(ta.partner_answered, true);
  assert.equal(ta.mine, `I would say ${ma}`);
});

test('acknowledge: 409 before both answered; 400 field kind for a bad kind; 201 for every kind; the author sees it', T, async () => {
  const { a, b } = await srv.makeCouple('pk');
  const { id } = (await today(a)).json;
  let r = await call(a, 'POST', `/api/v1/prompts/${id}/acknowledge`, { kind: 'hug' });
  assertError(r, 409, undefined, undefined, 'acknowledge with no answers');
  await answer(a, id, 'mine');
  r = await call(a, 'POST', `/api/v1/prompts/${id}/acknowledge`, { kind: 'hug' });
  assertError(r, 409, undefined, undefined, 'acknowledge before the partner answered');
  r = await call(b, 'POST', `/api/v1/prompts/${id}/acknowledge`, { kind: 'hug' });
  assertError(r, 409, undefined, undefined, 'the partner acknowledges before answering');
  await answer(b, id, 'theirs');
  for (const body of [{}, { kind: '' }, { kind: 'like' }, { kind: 'HUG' }, { kind: 'thumbs_down' }, { kind: 3 }, { kind: null }]) {
    r = await call(a, 'POST', `/api/v1/prompts/${id}/acknowledge`, body);
    assertError(r, 400, 'invalid_input', 'kind', `acknowledge ${JSON.stringify(body)}`);
  }
  for (const kind of KINDS) {
    r = await call(a, 'POST', `/api/v1/prompts/${id}/acknowledge`, { kind });
    assert.equal(r.status, 201, `${kind}: ${r.text}`);
    assertJsonType(r);
    const tb = (await today(b)).json;
    assert.equal(tb.partner_acknowledged_mine, kind, `B sees A's ${kind}`);
  }
  r = await call(b, 'POST', `/api/v1/prompts/${id}/acknowledge`, { kind: 'thank_you' });
  assert.equal(r.status, 201, r.text);
  assert.equal((await today(a)).json.partner_acknowledged_mine, 'thank_you');
});

test('skip: a different prompt for both; once per person; not after someone answered', T, async () => {
  const { a, b } = await srv.makeCouple('pskip');
  const first = (await today(a)).json;
  let r = await call(a, 'POST', '/api/v1/prompts/today/skip');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  const second = r.json;
  assert.notEqual(second.id, first.id, 'a new id');
  assert.notEqual(second.text, first.text, 'a different prompt');
  assert.equal(second.date, first.date);
  assert.equal(second.mine, null);
  assert.equal(second.can_skip, false, 'A has used their skip today');
  const tb = (await today(b)).json;
  assert.equal(tb.id, second.id, 'B gets the new prompt too');
  assert.equal(tb.text, second.text);
  assert.equal(tb.can_skip, true, 'B has not skipped yet');
  // The replaced prompt cannot be answered any more.
  r = await call(a, 'POST', `/api/v1/prompts/${first.id}/answer`, { text: 'late' });
  assertError(r, 404, 'not_found', undefined, 'answering the skipped prompt');
  // A again: 409.
  r = await call(a, 'POST', '/api/v1/prompts/today/skip');
  assertError(r, 409, undefined, undefined, 'A skips twice');
  assert.equal((await today(a)).json.id, second.id, 'a refused skip changes nothing');
  // B may skip once.
  r = await call(b, 'POST', '/api/v1/prompts/today/skip');
  assert.equal(r.status, 200, r.text);
  const third = r.json;
  assert.notEqual(third.id, second.id);
  assert.ok(![first.text, second.text].includes(third.text), 'a prompt not seen today');
  assert.equal((await today(a)).json.id, third.id, 'A gets B\'s new prompt');
  r = await call(b, 'POST', '/api/v1/prompts/today/skip');
  assertError(r, 409, undefined, undefined, 'B skips twice');
});

test('skip after someone answered → 409 for both, and the prompt stays', T, async () => {
  const { a, b } = await srv.makeCouple('pska');
  const t = (await today(a)).json;
  await answer(b, t.id, 'first in');
  for (const who of [a, b]) {
    const r = await call(who, 'POST', '/api/v1/prompts/today/skip');
    assertError(r, 409, undefined, undefined, `${who.username} skips an answered prompt`);
    const now = (await today(who)).json;
    assert.equal(now.id, t.id);
    assert.equal(now.can_skip, false);
  }
});

test('history: the days both answered, with both answers; newest first; a bad cursor → 400', T, async () => {
  const { a, b } = await srv.makeCouple('ph');
  const t = (await today(a)).json;
  assert.deepEqual((await call(a, 'GET', '/api/v1/prompts/history')).json.items, []);
  await answer(a, t.id, 'a says');
  await answer(b, t.id, 'b says');
  const ack = await call(b, 'POST', `/api/v1/prompts/${t.id}/acknowledge`, { kind: 'me_too' });
  assert.equal(ack.status, 201);
  for (const [who, mine, theirs] of [[a, 'a says', 'b says'], [b, 'b says', 'a says']]) {
    const h = await call(who, 'GET', '/api/v1/prompts/history');
    assert.equal(h.status, 200, h.text);
    assertJsonType(h);
    assert.deepEqual(Object.keys(h.json).sort(), ['items', 'next']);
    assert.equal(h.json.next, null);
    assert.equal(h.json.items.length, 1, h.text);
    const e = h.json.items[0];
    assert.equal(e.id, t.id);
    assert.equal(e.date, t.date);
    assert.equal(e.text, t.text);
    assert.equal(e.mine, mine);
    assert.equal(e.partner, theirs);
  }
  const ha = await call(a, 'GET', '/api/v1/prompts/history');
  assert.equal(ha.json.items[0].partner_acknowledged_mine, 'me_too');
  for (const q of ['limit=0', 'limit=101', 'before=yesterday', 'before=2026-02-30']) {
    const r = await call(a, 'GET', `/api/v1/prompts/history?${q}`);
    assertError(r, 400, 'invalid_input', undefined, `history?${q}`);
  }
  const older = await call(a, 'GET', `/api/v1/prompts/history?before=${t.date}`);
  assert.equal(older.status, 200);
  assert.deepEqual(older.json.items, [], 'nothing before today');
});

test('an outsider, a therapist and an admin cannot answer or acknowledge the couple\'s prompt (404); anonymous 401', T, async () => {
  const { a, b } = await srv.makeCouple('pwho');
  const t = (await today(a)).json;
  const outsider = await srv.signUp('pout');
  assert.equal((await call(outsider, 'POST', '/api/v1/spaces')).status, 201);
  const lone = await srv.signUp('plone');
  const ther = await addRoleUser(srv, 'pther', 'therapist');
  const admin = await addRoleUser(srv, 'padm', 'admin');
  const check = async (stage) => {
    for (const who of [outsider, lone, ther, admin]) {
      let r = await call(who, 'POST', `/api/v1/prompts/${t.id}/answer`, { text: 'intruding' });
      assertError(r, 404, 'not_found', undefined, `${stage}: ${who.username} answers`);
      r = await call(who, 'POST', `/api/v1/prompts/${t.id}/acknowledge`, { kind: 'hug' });
      assertError(r, 404, 'not_found', undefined, `${stage}: ${who.username} acknowledges`);
      const own = (await today(who)).json;
      assert.notEqual(own.id, t.id, `${who.username} has a prompt of their own`);
      const h = await call(who, 'GET', '/api/v1/prompts/history');
      assert.ok(!h.text.includes(t.id));
    }
  };
  await check('nobody answered');
  const ma = mark('pa');
  await answer(a, t.id, ma);
  await answer(b, t.id, mark('pb'));
  await check('both answered');
  for (const id of ['0'.repeat(32), 'nope']) {
    const r = await call(a, 'POST', `/api/v1/prompts/${id}/answer`, { text: 'x' });
    assertError(r, 404, 'not_found', undefined, `answer ${id}`);
  }
  for (const [m, p, body] of [
    ['GET', '/api/v1/prompts/today'], ['POST', '/api/v1/prompts/today/skip'], ['GET', '/api/v1/prompts/history'],
    ['POST', `/api/v1/prompts/${t.id}/answer`, { text: 'x' }], ['POST', `/api/v1/prompts/${t.id}/acknowledge`, { kind: 'hug' }],
  ]) {
    const r = await srv.api(m, p, { body });
    assertError(r, 401, 'unauthenticated', undefined, `anonymous ${m} ${p}`);
    assert.ok(!r.text.includes(ma));
  }
});

test('solo: a person without a partner has a prompt, may answer it, and nobody else sees the answer', T, async () => {
  const u = await srv.signUp('psolo');
  const t = (await today(u)).json;
  assert.equal(t.partner_answered, false);
  const m = mark('solo');
  const r = await answer(u, t.id, m);
  assert.equal(r.mine, m);
  assert.equal(r.partner, null);
  assert.equal(r.partner_answered, false);
  // Someone who joins later (a new space) does not get the solo answer.
  const sp = await call(u, 'POST', '/api/v1/spaces');
  assert.equal(sp.status, 201);
  const inv = await call(u, 'POST', '/api/v1/spaces/current/invites');
  const p = await srv.signUp('psolop');
  assert.equal((await call(p, 'POST', '/api/v1/spaces/join', { code: inv.json.code })).status, 200);
  const tp = await today(p);
  assert.ok(!tp.text.includes(m));
  const hp = await call(p, 'GET', '/api/v1/prompts/history');
  assert.ok(!hp.text.includes(m));
  const r2 = await call(p, 'POST', `/api/v1/prompts/${t.id}/answer`, { text: 'x' });
  assertError(r2, 404, 'not_found', undefined, 'the new partner answers the solo prompt');
});

test('prompt answers are encrypted at rest (SQLite: no file of the data directory holds them)', { ...T, skip: SQLITE_ONLY }, async () => {
  const s2 = await startServer();
  try {
    const c = await s2.makeCouple('prest');
    const t = await s2.api('GET', '/api/v1/prompts/today', { token: c.a.token });
    const ma = mark('resta');
    const mb = mark('restb');
    assert.equal((await s2.api('POST', `/api/v1/prompts/${t.json.id}/answer`, { token: c.a.token, body: { text: ma } })).status, 201);
    assert.equal((await s2.api('POST', `/api/v1/prompts/${t.json.id}/answer`, { token: c.b.token, body: { text: mb } })).status, 201);
    const needles = [ma, mb].flatMap((m) => [Buffer.from(m), Buffer.from(m, 'utf16le'), Buffer.from(Buffer.from(m).toString('hex'))]);
    const scanDir = () => {
      const hits = [];
      for (const e of fs.readdirSync(s2.dataDir, { withFileTypes: true, recursive: true })) {
        if (!e.isFile()) continue;
        const f = path.join(e.path ?? e.parentPath ?? s2.dataDir, e.name);
        const bytes = fs.readFileSync(f);
        for (const n of needles) if (bytes.includes(n)) hits.push(`${e.name}: ${n.toString().slice(0, 12)}`);
      }
      return hits;
    };
    assert.deepEqual(scanDir(), [], 'answers found at rest while running');
    await s2.terminate();
    assert.deepEqual(scanDir(), [], 'answers found at rest after a clean stop');
  } finally {
    await s2.stop();
  }
});
