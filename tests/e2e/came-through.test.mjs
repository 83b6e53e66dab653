// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What we came through (issue 14, API.md "Compassion protocols"): GET
// /came-through lists the repairs both partners acknowledged and the
// agreements kept (a look back with outcome kept), in the couple's own words
// (titles, acknowledgement notes, the agreement and the note of its kept look
// back), newest first. Nothing counted or ranked; never an open repair, a
// private reflection, a draft, or a look back that was not "kept"; alone, one's
// own; and the page reads the same.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, TEST_TIMEOUT, RFC3339_UTC, assertJsonType } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const mark = (tag) => `${tag}${crypto.randomBytes(8).toString('hex')}`;

let srv;
let WORDS = [];
before(async () => {
  srv = await startServer();
  WORDS = (await srv.ok(null, 'GET', '/api/v1/feelings')).groups.flatMap((g) => g.words);
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

const side = (m) => ({ feelings: [WORDS[0]], perspective: `perspective ${m}` });

/** A repair both wrote and both acknowledged, with notes; returns its id. */
async function resolvedRepair(c, title, noteA, noteB) {
  const r = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title }, 201);
  for (const who of [c.a, c.b]) {
    await srv.ok(who, 'PUT', `/api/v1/repairs/${r.id}/mine`, side(mark('s')));
    await srv.ok(who, 'POST', `/api/v1/repairs/${r.id}/mine/submit`);
  }
  await srv.ok(c.a, 'POST', `/api/v1/repairs/${r.id}/acknowledge`, noteA ? { note: noteA } : {});
  await srv.ok(c.b, 'POST', `/api/v1/repairs/${r.id}/acknowledge`, noteB ? { note: noteB } : {});
  return r.id;
}

const list = async (who) => {
  const r = await srv.call(who, 'GET', '/api/v1/came-through');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next']);
  assert.equal(r.json.next, null);
  return r;
};

test('resolved repairs and kept agreements, in their words, newest first; nothing else', T, async () => {
  const c = await srv.makeCouple('ct');
  let r = await list(c.a);
  assert.deepEqual(r.json.items, []);

  const noteA = mark('heardA'), noteB = mark('heardB');
  const rid = await resolvedRepair(c, 'the dishes, again', noteA, noteB);
  // "next time I will…": a's shared; b's only a draft, which nobody but b sees
  const nextA = mark('nextA'), nextB = mark('nextB');
  await srv.ok(c.a, 'PUT', `/api/v1/repairs/${rid}/steps/next_time`, { text: nextA });
  await srv.ok(c.a, 'POST', `/api/v1/repairs/${rid}/steps/next_time/submit`);
  await srv.ok(c.b, 'PUT', `/api/v1/repairs/${rid}/steps/next_time`, { text: nextB });

  // an open repair, a revealed but unacknowledged one, and a private reflection of b's: never
  const open = mark('openT');
  await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: open }, 201);
  const half = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: mark('halfT') }, 201);
  for (const who of [c.a, c.b]) {
    await srv.ok(who, 'PUT', `/api/v1/repairs/${half.id}/mine`, side(mark('s')));
    await srv.ok(who, 'POST', `/api/v1/repairs/${half.id}/mine/submit`);
  }
  await srv.ok(c.a, 'POST', `/api/v1/repairs/${half.id}/acknowledge`, {});

  // agreements: one kept (with a note), one only "partly"
  const kept = mark('keptG'), keptNote = mark('keptN'), partly = mark('partlyG');
  const g1 = await srv.ok(c.a, 'POST', '/api/v1/agreements', { text: kept }, 201);
  const g2 = await srv.ok(c.b, 'POST', '/api/v1/agreements', { text: partly }, 201);
  // agreements both want: each proposal said yes to by the other before any look back
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g1.id}/accept`);
  await srv.ok(c.a, 'POST', `/api/v1/agreements/${g2.id}/accept`);
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g2.id}/reviews`, { outcome: 'partly' }, 201);
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g1.id}/reviews`, { outcome: 'kept', note: keptNote }, 201);

  for (const who of [c.a, c.b]) {
    r = await list(who);
    const items = r.json.items;
    assert.equal(items.length, 2, r.text);
    // newest first: the kept look back came after the repair was resolved
    assert.deepEqual(items.map((x) => x.kind), ['agreement', 'repair']);
    for (const x of items) {
      assert.deepEqual(Object.keys(x).sort(), ['at', 'id', 'kind', 'next_time', 'text', 'words']);
      assert.match(x.at, RFC3339_UTC);
    }
    assert.equal(items[0].id, g1.id);
    assert.equal(items[0].text, kept);
    assert.deepEqual(items[0].words, [{ author_id: c.b.id, text: keptNote }]);
    assert.equal(items[1].id, rid);
    assert.equal(items[1].text, 'the dishes, again');
    assert.deepEqual(new Set(items[1].words.map((w) => `${w.author_id} ${w.text}`)),
      new Set([`${c.a.id} ${noteA}`, `${c.b.id} ${noteB}`]));
    assert.deepEqual(items[1].next_time, [{ author_id: c.a.id, text: nextA }]);
    assert.deepEqual(items[0].next_time, []);
    assert.ok(!r.text.includes(open) && !r.text.includes(partly) && !r.text.includes(nextB), r.text);
    // no counts, no streaks, no ranks
    assert.ok(!/count|streak|rank|score|total/i.test(JSON.stringify(items.map((x) => Object.keys(x)))));
  }

  // the page: the same words, both linked from where one begins a hard conversation
  const s = await cookieLogin(srv, c.a.username, c.a.password);
  const p = await page(srv, 'GET', '/came-through', { cookie: s.cookie });
  assert.equal(p.status, 200);
  for (const w of [kept, keptNote, noteA, noteB, nextA, 'the dishes, again', 'Next time I will']) assert.ok(p.text.includes(w), w);
  assert.ok(!p.text.includes(open) && !p.text.includes(nextB));
  assert.ok(p.text.indexOf(kept) < p.text.indexOf('the dishes, again'), 'newest first on the page');
  for (const from of ['/repairs', '/growth']) {
    const q = await page(srv, 'GET', from, { cookie: s.cookie });
    assert.match(q.text, /href="\/came-through"/, from);
  }
});

test('alone: one\'s own kept agreements; a stranger sees nothing of a couple\'s', T, async () => {
  const solo = await srv.signUp('ctsolo');
  const text = mark('soloG');
  const g = await srv.ok(solo, 'POST', '/api/v1/agreements', { text }, 201);
  await srv.ok(solo, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' }, 201);
  const r = await list(solo);
  assert.equal(r.json.items.length, 1);
  assert.equal(r.json.items[0].text, text);
  assert.deepEqual(r.json.items[0].words, []);
  const c = await srv.makeCouple('ctx');
  const o = await list(c.a);
  assert.ok(!o.text.includes(text));
  assert.deepEqual(o.json.items, []);
});
