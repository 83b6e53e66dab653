// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Repairs (API.md "Repairs"): open, write my side in private, submit, the
// reveal when both sides are submitted, acknowledgements, solo reflections,
// leaving the space, pagination, who may see what, and encryption at rest.
// Secrecy is checked on the RAW response text: a unique marker written into
// every text field of a side must not appear in anything the partner can
// read until both sides are submitted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startServer, TEST_TIMEOUT, SQLITE_ONLY, RFC3339_UTC, assertError, assertJsonType,
} from './lib/server.mjs';
import { addRoleUser, cookieLogin, page } from './lib/actors.mjs';
import { needles, scanFiles } from './lib/atrest.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');
const mark = (tag) => `${tag}${hex(10)}`;

let srv;
/** Words from GET /feelings (filled in before()). */
let WORDS = [];

before(async () => {
  srv = await startServer();
  const f = await srv.api('GET', '/api/v1/feelings');
  assert.equal(f.status, 200, f.text);
  WORDS = f.json.groups.flatMap((g) => g.words);
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

// ---------------------------------------------------------------- helpers

const REPAIR_KEYS = ['id', 'title', 'occurred_on', 'state', 'solo', 'created_at', 'created_by', 'mine',
  'partner_submitted', 'partner_acknowledged', 'partner'];


async function openRepair(who, body = { title: 'the dishes, again' }) {
  const r = await srv.call(who, 'POST', '/api/v1/repairs', body);
  assert.equal(r.status, 201, `open repair: ${r.status} ${r.text}`);
  return r.json;
}

/** A full side with a marker in every text field. */
function sideWith(m, feelings = [WORDS[0], WORDS[5]]) {
  return {
    feelings,
    perspective: `perspective ${m}`,
    touched: `touched ${m}`,
    my_part: `my part ${m}`,
    next_time: `next time ${m}`,
  };
}

async function putSide(who, id, side) {
  const r = await srv.call(who, 'PUT', `/api/v1/repairs/${id}/mine`, side);
  assert.equal(r.status, 200, `PUT mine: ${r.status} ${r.text}`);
  return r.json;
}

async function submit(who, id) {
  const r = await srv.call(who, 'POST', `/api/v1/repairs/${id}/mine/submit`);
  assert.equal(r.status, 200, `submit: ${r.status} ${r.text}`);
  return r.json;
}

/** Everything `who` can read about repairs through the API, as raw texts. */
async function partnerReadable(who, id) {
  const out = [];
  const g = await srv.call(who, 'GET', `/api/v1/repairs/${id}`);
  out.push(['GET /repairs/{id}', g]);
  const l = await srv.call(who, 'GET', '/api/v1/repairs?limit=100');
  out.push(['GET /repairs', l]);
  const me = await srv.call(who, 'GET', '/api/v1/me');
  out.push(['GET /me', me]);
  return out;
}

function assertNoMarker(responses, m, what) {
  for (const [name, r] of responses) {
    assert.ok(!r.text.includes(m), `${what}: ${name} contains the marker ${m}: ${r.text.slice(0, 400)}`);
  }
}

async function revealed(prefix = 'rv') {
  const c = await srv.makeCouple(prefix);
  const rep = await openRepair(c.a);
  const ma = mark('ma');
  const mb = mark('mb');
  await putSide(c.a, rep.id, sideWith(ma));
  await putSide(c.b, rep.id, sideWith(mb, [WORDS[1]]));
  await submit(c.a, rep.id);
  const last = await submit(c.b, rep.id);
  assert.equal(last.state, 'revealed');
  return { ...c, id: rep.id, ma, mb };
}

// ---------------------------------------------------------------- feelings

test('GET /feelings works without a session: {groups:[{name, words}]} with >= 60 words in >= 6 groups', T, async () => {
  const r = await srv.api('GET', '/api/v1/feelings');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assert.ok(Array.isArray(r.json.groups), r.text.slice(0, 200));
  assert.ok(r.json.groups.length >= 6, `${r.json.groups.length} groups`);
  const words = [];
  for (const g of r.json.groups) {
    assert.equal(typeof g.name, 'string');
    assert.ok(g.name.length > 0);
    assert.ok(Array.isArray(g.words) && g.words.length > 0, `group ${g.name}`);
    for (const w of g.words) {
      assert.equal(typeof w, 'string');
      assert.ok(w.length > 0);
      words.push(w);
    }
  }
  assert.ok(words.length >= 60, `${words.length} words`);
  assert.equal(new Set(words).size, words.length, 'every word appears once');
});

// ---------------------------------------------------------------- open

test('POST /repairs → 201 with the documented shape, state open, nothing written yet', T, async () => {
  const c = await srv.makeCouple('ro');
  const r = await srv.call(c.a, 'POST', '/api/v1/repairs', { title: 'Late again', occurred_on: '2026-11-20' });
  assert.equal(r.status, 201, r.text);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json).sort(), [...REPAIR_KEYS].sort());
  assert.equal(typeof r.json.id, 'string');
  assert.ok(r.json.id.length > 0);
  assert.equal(r.json.title, 'Late again');
  assert.equal(r.json.occurred_on, '2026-11-20');
  assert.equal(r.json.state, 'open');
  assert.equal(r.json.solo, false);
  assert.match(r.json.created_at, RFC3339_UTC);
  assert.ok(Math.abs(Date.parse(r.json.created_at) - Date.now()) < 10 * 60 * 1000, `created_at ${r.json.created_at}`);
  assert.equal(r.json.created_by, c.a.id);
  assert.equal(r.json.mine, null);
  assert.equal(r.json.partner_submitted, false);
  assert.equal(r.json.partner_acknowledged, false);
  assert.equal(r.json.partner, null);

  // Without occurred_on: null. The partner sees the repair (not their side).
  const r2 = await srv.call(c.a, 'POST', '/api/v1/repairs', { title: 'no date' });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.occurred_on, null);
  const g = await srv.call(c.b, 'GET', `/api/v1/repairs/${r.json.id}`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.title, 'Late again');
  assert.equal(g.json.state, 'open');
  assert.equal(g.json.created_by, c.a.id);
  assert.equal(g.json.mine, null);
  assert.equal(g.json.partner, null);
  // Valid edge values: 200 characters (multibyte), 29 February of a leap year.
  const long = 'é'.repeat(200);
  const r3 = await srv.call(c.a, 'POST', '/api/v1/repairs', { title: long, occurred_on: '2024-02-29' });
  assert.equal(r3.status, 201, r3.text);
  assert.equal(r3.json.title, long);
  assert.equal(r3.json.occurred_on, '2024-02-29');
});

test('POST /repairs validation: title and occurred_on → 400 invalid_input with the field', T, async () => {
  const u = await srv.signUp('rval');
  const cases = [
    [{}, 'title'],
    [{ title: '' }, 'title'],
    [{ title: '   \n\t ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 'é'.repeat(201) }, 'title'],
    [{ title: null }, 'title'],
    [{ title: 42 }, 'title'],
    [{ title: ['a'] }, 'title'],
    [{ title: 'ok', occurred_on: '2026-02-30' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '2025-02-29' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '2026-13-01' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '2026-00-10' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '2026-04-31' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '2026-1-1' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '20260101' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: '2026-01-01T00:00:00Z' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: 'yesterday' }, 'occurred_on'],
    [{ title: 'ok', occurred_on: 20260101 }, 'occurred_on'],
    [{ title: 'ok', occurred_on: true }, 'occurred_on'],
  ];
  for (const [body, field] of cases) {
    const r = await srv.call(u, 'POST', '/api/v1/repairs', body);
    assertError(r, 400, 'invalid_input', field, `POST /repairs ${JSON.stringify(body).slice(0, 80)}`);
  }
  // A NUL inside the title: refused (at the JSON level or as the field).
  const nul = await srv.call(u, 'POST', '/api/v1/repairs', { title: 'a\u0000b' });
  assertError(nul, 400, ['invalid_input', 'invalid_json'], undefined, 'a title with NUL');
  const bad = await srv.api('POST', '/api/v1/repairs', { token: u.token, rawBody: '{"title": "x",', headers: { 'Content-Type': 'application/json' } });
  assertError(bad, 400, 'invalid_json', undefined, 'broken JSON');
  const l = await srv.call(u, 'GET', '/api/v1/repairs');
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.items, [], 'no repair was created by an invalid request');
});

// ---------------------------------------------------------------- my side

test('PUT /repairs/{id}/mine saves a draft: 200, mine filled, not submitted; can be replaced', T, async () => {
  const c = await srv.makeCouple('rd');
  const rep = await openRepair(c.a);
  const m = mark('d');
  const side = sideWith(m);
  const r = await srv.call(c.a, 'PUT', `/api/v1/repairs/${rep.id}/mine`, side);
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json).sort(), [...REPAIR_KEYS].sort());
  assert.equal(r.json.state, 'open');
  assert.ok(r.json.mine && typeof r.json.mine === 'object', r.text);
  assert.deepEqual(r.json.mine.feelings, side.feelings);
  for (const f of ['perspective', 'touched', 'my_part', 'next_time']) assert.equal(r.json.mine[f], side[f], f);
  assert.equal(r.json.mine.submitted, false);
  assert.equal(r.json.partner, null);
  assert.equal(r.json.partner_submitted, false);
  // Replace the draft: the new text, feelings may shrink to none, texts may be left out.
  const r2 = await srv.call(c.a, 'PUT', `/api/v1/repairs/${rep.id}/mine`, { feelings: [], perspective: 'second thoughts' });
  assert.equal(r2.status, 200, r2.text);
  assert.deepEqual(r2.json.mine.feelings, []);
  assert.equal(r2.json.mine.perspective, 'second thoughts');
  assert.ok(!r2.text.includes(m), 'the replaced draft text is gone');
  const g = await srv.call(c.a, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(g.json.mine.perspective, 'second thoughts');
  assert.equal(g.json.mine.submitted, false);
});

test('PUT mine validation: unknown or duplicate feelings, wrong types, texts over 4000 characters → 400 with the field', T, async () => {
  const u = await srv.signUp('rsv');
  const rep = await openRepair(u);
  const ok = { feelings: [WORDS[0]], perspective: 'p' };
  const cases = [
    [{ ...ok, feelings: ['not-a-feeling-at-all'] }, 'feelings'],
    [{ ...ok, feelings: [WORDS[0], WORDS[0]] }, 'feelings'],
    [{ ...ok, feelings: [WORDS[0].toUpperCase() === WORDS[0] ? `${WORDS[0]}x` : WORDS[0].toUpperCase()] }, 'feelings'],
    [{ ...ok, feelings: 'hurt' }, 'feelings'],
    [{ ...ok, feelings: [1] }, 'feelings'],
    [{ ...ok, feelings: [WORDS[0], null] }, 'feelings'],
    [{ ...ok, perspective: 'x'.repeat(4001) }, 'perspective'],
    [{ ...ok, touched: 'x'.repeat(4001) }, 'touched'],
    [{ ...ok, my_part: 'é'.repeat(4001) }, 'my_part'],
    [{ ...ok, next_time: 'x'.repeat(4001) }, 'next_time'],
    [{ ...ok, perspective: 5 }, 'perspective'],
    [{ ...ok, touched: true }, 'touched'],
    [{ ...ok, my_part: {} }, 'my_part'],
    [{ ...ok, next_time: [] }, 'next_time'],
  ];
  for (const [body, field] of cases) {
    const r = await srv.call(u, 'PUT', `/api/v1/repairs/${rep.id}/mine`, body);
    assertError(r, 400, 'invalid_input', field, `PUT mine ${JSON.stringify(body).slice(0, 80)}`);
  }
  const g = await srv.call(u, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(g.json.mine, null, 'no invalid draft was stored');
  // Exactly 4000 characters (multibyte) is fine.
  const max = 'é'.repeat(4000);
  const r = await srv.call(u, 'PUT', `/api/v1/repairs/${rep.id}/mine`, { ...ok, perspective: max, touched: max, my_part: max, next_time: max });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(r.json.mine.perspective, max);
  // Every word of the vocabulary is accepted.
  for (let i = 0; i < WORDS.length; i += 20) {
    const feelings = WORDS.slice(i, i + 20);
    const w = await srv.call(u, 'PUT', `/api/v1/repairs/${rep.id}/mine`, { feelings, perspective: 'p' });
    assert.equal(w.status, 200, `feelings ${feelings}: ${w.text.slice(0, 200)}`);
    assert.deepEqual(w.json.mine.feelings, feelings);
  }
});

// ---------------------------------------------------------------- secrecy

test('a draft is never visible to the partner (raw responses), nor after submission until the partner submits', T, async () => {
  const c = await srv.makeCouple('rsec');
  const rep = await openRepair(c.a, { title: 'the weekend' });
  const ma = mark('drafta');
  await putSide(c.a, rep.id, sideWith(ma));

  // Draft: nothing of it reaches the partner.
  let seen = await partnerReadable(c.b, rep.id);
  assertNoMarker(seen, ma, 'partner while A drafts');
  let g = seen[0][1];
  assert.equal(g.status, 200, g.text);
  assert.equal(g.json.partner, null);
  assert.equal(g.json.mine, null);
  assert.equal(g.json.partner_submitted, false);
  assert.equal(g.json.state, 'open');

  // The page the partner sees does not hold it either.
  const bPage = await cookieLogin(srv, c.b.username, c.b.password);
  let pg = await page(srv, 'GET', `/repairs/${rep.id}`, { cookie: bPage.cookie });
  assert.equal(pg.status, 200);
  assert.ok(!pg.text.includes(ma), 'the partner\'s repair page shows the draft');
  pg = await page(srv, 'GET', '/repairs', { cookie: bPage.cookie });
  assert.ok(!pg.text.includes(ma), 'the partner\'s repair list page shows the draft');

  // A submits: the partner learns only that A submitted.
  const s = await submit(c.a, rep.id);
  assert.equal(s.state, 'open');
  assert.equal(s.mine.submitted, true);
  assert.match(s.mine.submitted_at, RFC3339_UTC);
  seen = await partnerReadable(c.b, rep.id);
  assertNoMarker(seen, ma, 'partner after A submitted, before B submitted');
  g = seen[0][1];
  assert.equal(g.json.partner_submitted, true);
  assert.equal(g.json.partner, null);
  assert.equal(g.json.state, 'open');
  const item = seen[1][1].json.items.find((i) => i.id === rep.id);
  assert.ok(item, 'the repair is in the partner\'s list');

  // B drafts and keeps the draft: A does not see B's draft either.
  const mb = mark('draftb');
  await putSide(c.b, rep.id, sideWith(mb, [WORDS[2]]));
  assertNoMarker(await partnerReadable(c.a, rep.id), mb, 'A while B drafts');
  assertNoMarker(await partnerReadable(c.b, rep.id), ma, 'B while B drafts');
  pg = await page(srv, 'GET', `/repairs/${rep.id}`, { cookie: bPage.cookie });
  assert.ok(!pg.text.includes(ma), 'the partner\'s page shows A\'s side before B submitted');

  // B submits: both sides revealed to both.
  const sb = await submit(c.b, rep.id);
  assert.equal(sb.state, 'revealed');
  for (const [me, mo] of [[c.a, mb], [c.b, ma]]) {
    const r = await srv.call(me, 'GET', `/api/v1/repairs/${rep.id}`);
    assert.equal(r.json.state, 'revealed', `${me.username}: ${r.text}`);
    assert.equal(r.json.partner_submitted, true);
    assert.ok(r.json.partner, `${me.username} sees the partner side`);
    assert.equal(r.json.partner.perspective, `perspective ${mo}`);
    assert.equal(r.json.partner.touched, `touched ${mo}`);
    assert.equal(r.json.partner.my_part, `my part ${mo}`);
    assert.equal(r.json.partner.next_time, `next time ${mo}`);
    assert.equal(r.json.partner.submitted, true);
    assert.ok(r.json.mine && r.json.mine.submitted);
  }
  const ga = await srv.call(c.a, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.deepEqual(ga.json.partner.feelings, [WORDS[2]]);
  assert.deepEqual(ga.json.mine.feelings, [WORDS[0], WORDS[5]]);
  const la = await srv.call(c.a, 'GET', '/api/v1/repairs');
  assert.equal(la.json.items.find((i) => i.id === rep.id).state, 'revealed');
});

// ---------------------------------------------------------------- submit

test('POST mine/submit: 400 without feelings or perspective; 409 already_submitted twice; PUT after submit → 409', T, async () => {
  const c = await srv.makeCouple('rsub');
  const rep = await openRepair(c.a);
  // Nothing written at all.
  let r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  assertError(r, 400, 'invalid_input', 'feelings', 'submit without a draft');
  // No feelings.
  await putSide(c.a, rep.id, { feelings: [], perspective: 'p' });
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  assertError(r, 400, 'invalid_input', 'feelings', 'submit without feelings');
  // No perspective; blank perspective.
  await putSide(c.a, rep.id, { feelings: [WORDS[3]], touched: 't' });
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  assertError(r, 400, 'invalid_input', 'perspective', 'submit without perspective');
  await putSide(c.a, rep.id, { feelings: [WORDS[3]], perspective: '  \n ' });
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  assertError(r, 400, 'invalid_input', 'perspective', 'submit with a blank perspective');
  let g = await srv.call(c.a, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(g.json.mine.submitted, false, 'a refused submit leaves the draft a draft');
  const gb = await srv.call(c.b, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(gb.json.partner_submitted, false);
  // Complete: 200 the repair.
  await putSide(c.a, rep.id, { feelings: [WORDS[3]], perspective: 'mine' });
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json).sort(), [...REPAIR_KEYS].sort());
  assert.equal(r.json.id, rep.id);
  assert.equal(r.json.mine.submitted, true);
  assert.equal(r.json.state, 'open');
  // Twice.
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  assertError(r, 409, 'already_submitted', undefined, 'second submit');
  // Editing after submission.
  r = await srv.call(c.a, 'PUT', `/api/v1/repairs/${rep.id}/mine`, { feelings: [WORDS[4]], perspective: 'changed my mind' });
  assertError(r, 409, 'already_submitted', undefined, 'PUT after submit');
  g = await srv.call(c.a, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(g.json.mine.perspective, 'mine', 'the submitted side did not change');
  assert.deepEqual(g.json.mine.feelings, [WORDS[3]]);
});

// ---------------------------------------------------------------- acknowledge

test('acknowledge: 409 not_revealed before the reveal; 200 after; 409 already_acknowledged; both → resolved; notes cross over', T, async () => {
  const c = await srv.makeCouple('rack');
  const rep = await openRepair(c.a);
  let r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, {});
  assertError(r, 409, 'not_revealed', undefined, 'acknowledge with nothing written');
  await putSide(c.a, rep.id, sideWith(mark('x')));
  await submit(c.a, rep.id);
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: 'early' });
  assertError(r, 409, 'not_revealed', undefined, 'acknowledge after only my submit');
  r = await srv.call(c.b, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, {});
  assertError(r, 409, 'not_revealed', undefined, 'partner acknowledges before writing');
  await putSide(c.b, rep.id, sideWith(mark('y')));
  r = await srv.call(c.b, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, {});
  assertError(r, 409, 'not_revealed', undefined, 'partner acknowledges with a draft only');
  await submit(c.b, rep.id);

  const noteA = mark('notea');
  const noteB = mark('noteb');
  // Over-long note.
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: 'x'.repeat(4001) });
  assertError(r, 400, 'invalid_input', 'note', 'acknowledge with a 4001-character note');
  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: 7 });
  assertError(r, 400, 'invalid_input', 'note', 'acknowledge with a number as note');

  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: `thank you ${noteA}` });
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assert.equal(r.json.state, 'revealed', 'one acknowledgement: still revealed');
  assert.match(r.json.mine.acknowledged_at, RFC3339_UTC);
  assert.equal(r.json.mine.note, `thank you ${noteA}`);
  assert.equal(r.json.partner_acknowledged, false);
  let gb = await srv.call(c.b, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(gb.json.partner_acknowledged, true);
  assert.equal(gb.json.partner.note, `thank you ${noteA}`, 'B reads A\'s note as partner.note');
  assert.equal(gb.json.state, 'revealed');

  r = await srv.call(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: 'again' });
  assertError(r, 409, 'already_acknowledged', undefined, 'second acknowledgement');

  // B acknowledges with a note: resolved for both.
  r = await srv.call(c.b, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: noteB });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'resolved');
  const ga = await srv.call(c.a, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(ga.json.state, 'resolved');
  assert.equal(ga.json.partner.note, noteB, 'A reads B\'s note as partner.note');
  assert.equal(ga.json.partner_acknowledged, true);
  gb = await srv.call(c.b, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(gb.json.state, 'resolved');
  r = await srv.call(c.b, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`);
  assertError(r, 409, 'already_acknowledged', undefined, 'B again, no body');
  const l = await srv.call(c.a, 'GET', '/api/v1/repairs');
  assert.equal(l.json.items.find((i) => i.id === rep.id).state, 'resolved');
});

test('acknowledge without a body or with note null: 200, note null', T, async () => {
  const { a, b, id } = await revealed('rackn');
  let r = await srv.call(a, 'POST', `/api/v1/repairs/${id}/acknowledge`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.mine.note ?? null, null);
  r = await srv.call(b, 'POST', `/api/v1/repairs/${id}/acknowledge`, { note: null });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, 'resolved');
  assert.equal(r.json.partner.note ?? null, null);
});

// ---------------------------------------------------------------- who may see

test('an outsider, a therapist and an admin get 404 for the repair and all its sub-routes; anonymous 401', T, async () => {
  const { a, id, ma, mb } = await revealed('rwho');
  const open = await openRepair(a, { title: 'still open' });
  await putSide(a, open.id, sideWith(mark('o')));
  const outsider = await srv.signUp('rout');
  const sp = await srv.call(outsider, 'POST', '/api/v1/spaces');
  assert.equal(sp.status, 201);
  const lone = await srv.signUp('rlone');
  const ther = await addRoleUser(srv, 'rther', 'therapist');
  const admin = await addRoleUser(srv, 'radm', 'admin');
  for (const who of [outsider, lone, ther, admin]) {
    for (const rid of [id, open.id]) {
      const reqs = [
        ['GET', `/api/v1/repairs/${rid}`, undefined],
        ['PUT', `/api/v1/repairs/${rid}/mine`, sideWith('x')],
        ['POST', `/api/v1/repairs/${rid}/mine/submit`, undefined],
        ['POST', `/api/v1/repairs/${rid}/acknowledge`, {}],
      ];
      for (const [m, p, body] of reqs) {
        const r = await srv.call(who, m, p, body);
        assertError(r, 404, 'not_found', undefined, `${who.username} ${m} ${p}`);
        assert.ok(!r.text.includes(ma) && !r.text.includes(mb));
      }
      const pg = await page(srv, 'GET', `/repairs/${rid}`, { cookie: (await cookieLogin(srv, who.username, who.password)).cookie });
      assert.equal(pg.status, 404, `${who.username} GET /repairs/${rid} page`);
    }
    const l = await srv.call(who, 'GET', '/api/v1/repairs?limit=100');
    assert.equal(l.status, 200);
    assert.ok(!l.json.items.some((i) => i.id === id || i.id === open.id), `${who.username} lists the couple's repair`);
  }
  for (const [m, p, body] of [
    ['GET', '/api/v1/repairs', undefined], ['POST', '/api/v1/repairs', { title: 'x' }],
    ['GET', `/api/v1/repairs/${id}`, undefined], ['PUT', `/api/v1/repairs/${id}/mine`, sideWith('x')],
    ['POST', `/api/v1/repairs/${id}/mine/submit`, undefined], ['POST', `/api/v1/repairs/${id}/acknowledge`, {}],
  ]) {
    const r = await srv.api(m, p, { body });
    assertError(r, 401, 'unauthenticated', undefined, `anonymous ${m} ${p}`);
  }
  // Unknown and malformed ids: 404 as well.
  for (const bad of ['0'.repeat(26), 'nope', 'ZZZZ%20', id.slice(0, -1)]) {
    const r = await srv.call(a, 'GET', `/api/v1/repairs/${bad}`);
    assertError(r, 404, 'not_found', undefined, `GET /repairs/${bad}`);
  }
});

// ---------------------------------------------------------------- solo

test('solo: without a partner a repair is solo; writing and submitting work; it is never revealed', T, async () => {
  const u = await srv.signUp('rsolo');
  const rep = await openRepair(u, { title: 'my own reflection' });
  assert.equal(rep.solo, true);
  assert.equal(rep.state, 'open');
  await putSide(u, rep.id, sideWith(mark('solo')));
  const s = await submit(u, rep.id);
  assert.equal(s.solo, true);
  assert.equal(s.state, 'open', 'a solo repair stays open after submission');
  assert.equal(s.partner, null);
  assert.equal(s.partner_submitted, false);
  assert.equal(s.mine.submitted, true);
  const r = await srv.call(u, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, {});
  assertError(r, 409, 'not_revealed', undefined, 'acknowledging a solo repair');
  const g = await srv.call(u, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(g.json.state, 'open');
  // Alone in a space of one's own: still solo.
  const sp = await srv.call(u, 'POST', '/api/v1/spaces');
  assert.equal(sp.status, 201);
  const rep2 = await openRepair(u, { title: 'in my space, still alone' });
  assert.equal(rep2.solo, true);
});

test('solo: a partner who joins later never sees the solo repairs (404, not listed), nor their texts', T, async () => {
  const u = await srv.signUp('rsj');
  const m1 = mark('before');
  const m2 = mark('inspace');
  const r1 = await openRepair(u, { title: `before any space ${m1}` });
  await putSide(u, r1.id, sideWith(m1));
  await submit(u, r1.id);
  const sp = await srv.call(u, 'POST', '/api/v1/spaces');
  assert.equal(sp.status, 201);
  const r2 = await openRepair(u, { title: `alone in the space ${m2}` });
  await putSide(u, r2.id, sideWith(m2));
  const inv = await srv.call(u, 'POST', '/api/v1/spaces/current/invites');
  assert.equal(inv.status, 201);
  const p = await srv.signUp('rsjp');
  const j = await srv.call(p, 'POST', '/api/v1/spaces/join', { code: inv.json.code });
  assert.equal(j.status, 200, j.text);

  for (const rid of [r1.id, r2.id]) {
    for (const [m, path_, body] of [
      ['GET', `/api/v1/repairs/${rid}`, undefined],
      ['PUT', `/api/v1/repairs/${rid}/mine`, sideWith('p')],
      ['POST', `/api/v1/repairs/${rid}/mine/submit`, undefined],
      ['POST', `/api/v1/repairs/${rid}/acknowledge`, {}],
    ]) {
      const r = await srv.call(p, m, path_, body);
      assertError(r, 404, 'not_found', undefined, `the new partner: ${m} ${path_}`);
    }
  }
  const l = await srv.call(p, 'GET', '/api/v1/repairs?limit=100');
  assert.equal(l.status, 200);
  assert.deepEqual(l.json.items.map((i) => i.id), [], 'the new partner lists no solo repair');
  for (const m of [m1, m2]) assert.ok(!l.text.includes(m));
  // Their author still has both, still solo; after the partner joined, the in-space one can still be submitted.
  const ul = await srv.call(u, 'GET', '/api/v1/repairs?limit=100');
  assert.deepEqual(ul.json.items.map((i) => i.id).sort(), [r1.id, r2.id].sort());
  const s2 = await submit(u, r2.id);
  assert.equal(s2.solo, true);
  assert.equal(s2.state, 'open');
  const again = await srv.call(p, 'GET', `/api/v1/repairs/${r2.id}`);
  assertError(again, 404, 'not_found', undefined, 'the partner after the solo side was submitted');
  // A repair opened now is shared.
  const shared = await openRepair(u, { title: 'together now' });
  assert.equal(shared.solo, false);
  const ps = await srv.call(p, 'GET', `/api/v1/repairs/${shared.id}`);
  assert.equal(ps.status, 200);
});

// ---------------------------------------------------------------- leaving

test('leaving after a reveal: the leaver keeps their side (partner null); the one who stays keeps theirs without the leaver\'s', T, async () => {
  const { a, b, id, ma, mb } = await revealed('rleave');
  const lv = await srv.call(a, 'POST', '/api/v1/spaces/current/leave');
  assert.equal(lv.status, 204, lv.text);

  const ga = await srv.call(a, 'GET', `/api/v1/repairs/${id}`);
  assert.equal(ga.status, 200, `the leaver keeps their copy: ${ga.text}`);
  assert.equal(ga.json.mine && ga.json.mine.perspective, `perspective ${ma}`);
  assert.equal(ga.json.partner, null);
  assert.ok(!ga.text.includes(mb), 'the leaver\'s copy holds nothing of the partner\'s side');
  const la = await srv.call(a, 'GET', '/api/v1/repairs?limit=100');
  assert.deepEqual(la.json.items.filter((i) => i.id === id).length, 1, `the leaver lists it once: ${la.text.slice(0, 300)}`);
  assert.ok(!la.text.includes(mb));

  const gb = await srv.call(b, 'GET', `/api/v1/repairs/${id}`);
  assert.equal(gb.status, 200, `the one who stays keeps theirs: ${gb.text}`);
  assert.equal(gb.json.mine && gb.json.mine.perspective, `perspective ${mb}`);
  assert.equal(gb.json.partner, null);
  assert.ok(!gb.text.includes(ma), 'the stayer\'s copy holds nothing of the leaver\'s side');
  const lb = await srv.call(b, 'GET', '/api/v1/repairs?limit=100');
  assert.deepEqual(lb.json.items.filter((i) => i.id === id).length, 1);
  assert.ok(!lb.text.includes(ma));
});

test('after a leave, a new partner of the one who stays never reads a side written for the old partner (neither side)', T, async () => {
  const { a, b, id, ma, mb } = await revealed('rnewp');
  const lv = await srv.call(a, 'POST', '/api/v1/spaces/current/leave');
  assert.equal(lv.status, 204, lv.text);
  const inv = await srv.call(b, 'POST', '/api/v1/spaces/current/invites');
  assert.equal(inv.status, 201, inv.text);
  const c = await srv.signUp('rnew');
  const j = await srv.call(c, 'POST', '/api/v1/spaces/join', { code: inv.json.code });
  assert.equal(j.status, 200, j.text);
  const gc = await srv.call(c, 'GET', `/api/v1/repairs/${id}`);
  assert.ok(!gc.text.includes(ma) && !gc.text.includes(mb), `the new partner reads a side of the old repair: ${gc.text.slice(0, 300)}`);
  const lc = await srv.call(c, 'GET', '/api/v1/repairs?limit=100');
  assert.ok(!lc.text.includes(ma) && !lc.text.includes(mb));
  if (gc.status === 200) {
    // Writing and submitting a side of their own must not open the old partner's side to them.
    const pw = await srv.call(c, 'PUT', `/api/v1/repairs/${id}/mine`, sideWith(mark('c')));
    if (pw.status === 200) {
      const sc = await srv.call(c, 'POST', `/api/v1/repairs/${id}/mine/submit`);
      assert.ok(!sc.text.includes(mb), `after the new partner submitted on the old repair, they read the stayer's side written for the leaver: ${sc.text.slice(0, 300)}`);
      const gc2 = await srv.call(c, 'GET', `/api/v1/repairs/${id}`);
      assert.ok(!gc2.text.includes(mb) && !gc2.text.includes(ma), `new partner: ${gc2.text.slice(0, 300)}`);
    }
  }
});

test('leaving and joining the same partner again: every repair is listed once, and the reader gets one consistent view', T, async () => {
  const { a, b, id, ma, mb } = await revealed('rrejoin');
  const lv = await srv.call(a, 'POST', '/api/v1/spaces/current/leave');
  assert.equal(lv.status, 204);
  const inv = await srv.call(b, 'POST', '/api/v1/spaces/current/invites');
  assert.equal(inv.status, 201, inv.text);
  const j = await srv.call(a, 'POST', '/api/v1/spaces/join', { code: inv.json.code });
  assert.equal(j.status, 200, j.text);
  for (const [who, theirs] of [[a, mb], [b, ma]]) {
    const l = await srv.call(who, 'GET', '/api/v1/repairs?limit=100');
    assert.equal(l.status, 200);
    const ids = l.json.items.map((i) => i.id);
    assert.equal(ids.filter((x) => x === id).length, 1, `${who === a ? 'the one who left and came back' : 'the one who stayed'} lists the repair ${ids.filter((x) => x === id).length} times: ${l.text.slice(0, 400)}`);
    assert.ok(!l.text.includes(theirs));
    const g = await srv.call(who, 'GET', `/api/v1/repairs/${id}`);
    assert.equal(g.status, 200, g.text);
    assert.ok(!g.text.includes(theirs), 'the side kept by the other one stays theirs');
  }
});

test('leaving with a draft: the draft leaves with its author; the partner never sees it', T, async () => {
  const c = await srv.makeCouple('rlvd');
  const rep = await openRepair(c.b, { title: 'opened by b' });
  const ma = mark('leavedraft');
  await putSide(c.a, rep.id, sideWith(ma));
  const lv = await srv.call(c.a, 'POST', '/api/v1/spaces/current/leave');
  assert.equal(lv.status, 204);
  const gb = await srv.call(c.b, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(gb.status, 200, gb.text);
  assert.ok(!gb.text.includes(ma));
  assert.equal(gb.json.partner, null);
  const ga = await srv.call(c.a, 'GET', `/api/v1/repairs/${rep.id}`);
  assert.equal(ga.status, 200, `the leaver keeps the draft they wrote: ${ga.text}`);
  assert.equal(ga.json.mine && ga.json.mine.perspective, `perspective ${ma}`);
});

// ---------------------------------------------------------------- pagination

test('GET /repairs: newest first, limit/before/next pagination, bad parameters → 400', T, async () => {
  const c = await srv.makeCouple('rpage');
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await openRepair(c.a, { title: `repair ${i}` })).id);
  const newestFirst = [...ids].reverse();
  for (const who of [c.a, c.b]) {
    const all = await srv.call(who, 'GET', '/api/v1/repairs');
    assert.equal(all.status, 200, all.text);
    assertJsonType(all);
    assert.deepEqual(Object.keys(all.json).sort(), ['items', 'next']);
    assert.deepEqual(all.json.items.map((i) => i.id), newestFirst);
    assert.equal(all.json.next, null);
    const got = [];
    let before = null;
    for (let pageNo = 0; pageNo < 10; pageNo++) {
      const q = `/api/v1/repairs?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`;
      const r = await srv.call(who, 'GET', q);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length <= 2);
      got.push(...r.json.items.map((i) => i.id));
      if (r.json.next === null) break;
      assert.equal(typeof r.json.next, 'string');
      before = r.json.next;
    }
    assert.deepEqual(got, newestFirst, 'pages of 2 give every repair once, newest first');
    const one = await srv.call(who, 'GET', '/api/v1/repairs?limit=5');
    assert.equal(one.json.items.length, 5);
    assert.equal(one.json.next, null, 'no next page when everything fit');
  }
  const it = (await srv.call(c.a, 'GET', '/api/v1/repairs?limit=1')).json.items[0];
  assert.equal(it.id, ids[4]);
  assert.equal(it.title, 'repair 4');
  assert.equal(it.state, 'open');
  assert.equal(it.solo, false);
  assert.match(it.created_at, RFC3339_UTC);
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'before=garbage', 'before=123']) {
    const r = await srv.call(c.a, 'GET', `/api/v1/repairs?${q}`);
    assertError(r, 400, 'invalid_input', undefined, `GET /repairs?${q}`);
  }
});

test('GET /repairs lists no side texts, and nothing of the partner\'s draft', T, async () => {
  const c = await srv.makeCouple('rlist');
  const rep = await openRepair(c.a);
  const ma = mark('listdraft');
  await putSide(c.a, rep.id, sideWith(ma));
  const la = await srv.call(c.a, 'GET', '/api/v1/repairs');
  const lb = await srv.call(c.b, 'GET', '/api/v1/repairs');
  assert.ok(!lb.text.includes(ma), 'the partner\'s list holds the draft');
  const ia = la.json.items.find((i) => i.id === rep.id);
  const ib = lb.json.items.find((i) => i.id === rep.id);
  assert.ok(ia && ib);
  assert.equal(ib.partner_submitted, false);
});

// ---------------------------------------------------------------- at rest


const scan = (dir, markers) => scanFiles(dir, Object.entries(markers).flatMap(([n, s]) => needles(n, s)));

test('repair texts (title, every side field, notes, solo too) are encrypted at rest: no file of the data directory holds them', { ...T, skip: SQLITE_ONLY }, async () => {
  const s2 = await startServer();
  try {
    const M = {
      title: mark('title'), pa: mark('pa'), ta: mark('ta'), ya: mark('ya'), na: mark('na'),
      pb: `Grüße❤心-${hex(10)}-ğ𝄞`, tb: mark('tb'), yb: mark('yb'), nb: mark('nb'),
      notea: mark('notea'), noteb: mark('noteb'), solo: mark('solo'), solotitle: mark('solotitle'),
    };
    const c = await s2.makeCouple('rest');
    const rr = await s2.api('POST', '/api/v1/repairs', { token: c.a.token, body: { title: `about ${M.title}` } });
    assert.equal(rr.status, 201, rr.text);
    const id = rr.json.id;
    const put = async (who, body) => {
      const r = await s2.api('PUT', `/api/v1/repairs/${id}/mine`, { token: who.token, body });
      assert.equal(r.status, 200, r.text);
    };
    await put(c.a, { feelings: [WORDS[0]], perspective: M.pa, touched: M.ta, my_part: M.ya, next_time: M.na });
    await put(c.b, { feelings: [WORDS[1]], perspective: M.pb, touched: M.tb, my_part: M.yb, next_time: M.nb });
    for (const who of [c.a, c.b]) {
      const r = await s2.api('POST', `/api/v1/repairs/${id}/mine/submit`, { token: who.token });
      assert.equal(r.status, 200, r.text);
    }
    const ka = await s2.api('POST', `/api/v1/repairs/${id}/acknowledge`, { token: c.a.token, body: { note: M.notea } });
    assert.equal(ka.status, 200, ka.text);
    const kb = await s2.api('POST', `/api/v1/repairs/${id}/acknowledge`, { token: c.b.token, body: { note: M.noteb } });
    assert.equal(kb.status, 200, kb.text);
    const lone = await s2.signUp('restsolo');
    const sr = await s2.api('POST', '/api/v1/repairs', { token: lone.token, body: { title: M.solotitle } });
    assert.equal(sr.status, 201);
    const sp = await s2.api('PUT', `/api/v1/repairs/${sr.json.id}/mine`, { token: lone.token, body: { feelings: [WORDS[2]], perspective: M.solo } });
    assert.equal(sp.status, 200);
    // The API still gives the plaintext back.
    const g = await s2.api('GET', `/api/v1/repairs/${id}`, { token: c.b.token });
    assert.equal(g.json.title, `about ${M.title}`);
    assert.equal(g.json.partner.perspective, M.pa);
    assert.equal(g.json.mine.perspective, M.pb);
    assert.equal(g.json.partner.note, M.notea);

    assert.deepEqual(scan(s2.dataDir, M), [], 'repair texts found at rest while running');
    const ex = await s2.terminate();
    assert.deepEqual(ex, { code: 0, signal: null });
    assert.deepEqual(scan(s2.dataDir, M), [], 'repair texts found at rest after a clean stop');
    await s2.restart();
    const g2 = await s2.api('GET', `/api/v1/repairs/${id}`, { token: c.a.token });
    assert.equal(g2.json.mine.next_time, M.na, 'readable after restart');
    assert.equal(g2.json.partner.note, M.noteb);
    const hits = Object.entries(M).filter(([, m]) => s2.log.includes(m)).map(([n]) => n);
    assert.deepEqual(hits, [], 'the server log holds repair texts');
  } finally {
    await s2.stop();
  }
});
