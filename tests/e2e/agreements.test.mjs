// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Agreements and their gentle reviews (API.md "Growth"):
//   POST /agreements {text, review_every_days 1..90 (default 7), repair_id?} -> 201
//   GET /agreements (list, cursor pagination), GET /agreements/{id},
//   PATCH /agreements/{id} {status: active|retired} -> 200 the whole object,
//   POST /agreements/{id}/reviews {outcome: kept|partly|not_yet, note?} -> 201.
// The couple shares its agreements (either partner may read and review them);
// anybody else gets 404. Nothing counts failures. Texts and notes are
// encrypted at rest (SQLite: no marker in any file of the data directory).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, assertError, assertJsonType, TEST_TIMEOUT, SQLITE_ONLY, RFC3339_UTC,
} from './lib/server.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');
const mark = (tag) => `${tag}${hex(10)}`;
const todayUtc = () => new Date().toISOString().slice(0, 10);
function addDays(date, n) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const AGREEMENT_KEYS = ['id', 'text', 'status', 'review_every_days', 'next_review_on', 'author_id', 'repair_id',
  'created_at', 'review_due', 'reviews'];
const REVIEW_KEYS = ['id', 'agreement_id', 'author_id', 'outcome', 'note', 'created_at'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FORBIDDEN_KEY = /fail|streak|count|score/i;

let srv;
let WORDS = [];
/** Every agreement response body seen, for the "no failure counts" check. */
const seenBodies = [];

before(async () => {
  srv = await startServer();
  const f = await srv.api('GET', '/api/v1/feelings');
  assert.equal(f.status, 200, f.text);
  WORDS = f.json.groups.flatMap((g) => g.words);
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

// ---------------------------------------------------------------- helpers

async function call(who, method, p, body) {
  const r = await srv.api(method, p, { token: who && who.token, body });
  if (r.json && p.startsWith('/api/v1/agreements')) seenBodies.push([`${method} ${p}`, r.json]);
  return r;
}

async function createAgreement(who, body) {
  const r = await call(who, 'POST', '/api/v1/agreements', body);
  assert.equal(r.status, 201, `POST /agreements ${JSON.stringify(body).slice(0, 100)}: ${r.status} ${r.text}`);
  return r.json;
}

/**
 * In a couple's space an agreement is `proposed` until the partner says yes (API.md, Growth): the other
 * partner accepts it here, for the tests that go on to review it.
 */
async function accepted(c, g) {
  const other = g.author_id === c.a.id ? c.b : c.a;
  const r = await call(other, 'POST', `/api/v1/agreements/${g.id}/accept`);
  assert.equal(r.status, 200, `accept: ${r.status} ${r.text}`);
  assert.equal(r.json.status, 'active');
  return r.json;
}

function assertAgreementShape(g, what) {
  assert.ok(g && typeof g === 'object', `${what}: not an object`);
  for (const k of AGREEMENT_KEYS) assert.ok(k in g, `${what}: key ${k} missing: ${JSON.stringify(g)}`);
  assert.equal(typeof g.id, 'string');
  assert.ok(g.id.length > 0);
  assert.equal(typeof g.text, 'string');
  assert.ok(['proposed', 'active', 'paused', 'retired'].includes(g.status), `${what}: status ${g.status}`);
  assert.ok(Number.isInteger(g.review_every_days), `${what}: review_every_days`);
  assert.match(g.next_review_on, DATE, `${what}: next_review_on`);
  assert.equal(typeof g.author_id, 'string');
  assert.ok(g.repair_id === null || typeof g.repair_id === 'string', `${what}: repair_id`);
  assert.match(g.created_at, RFC3339_UTC, `${what}: created_at`);
  assert.equal(typeof g.review_due, 'boolean', `${what}: review_due`);
  assert.ok(Array.isArray(g.reviews), `${what}: reviews`);
  for (const rv of g.reviews) assertReviewShape(rv, `${what}: review`);
}

function assertReviewShape(rv, what) {
  for (const k of REVIEW_KEYS) {
    if (k === 'note') continue; // optional
    assert.ok(k in rv, `${what}: key ${k} missing: ${JSON.stringify(rv)}`);
  }
  assert.ok(['kept', 'partly', 'not_yet'].includes(rv.outcome), `${what}: outcome ${rv.outcome}`);
  assert.match(rv.created_at, RFC3339_UTC, `${what}: created_at`);
  assert.ok(rv.note === undefined || rv.note === null || typeof rv.note === 'string', `${what}: note`);
}

/** A repair of the couple's, revealed (both sides submitted). */
async function revealedRepair(c) {
  const rep = await call(c.a, 'POST', '/api/v1/repairs', { title: `the keys ${hex(4)}` });
  assert.equal(rep.status, 201, rep.text);
  for (const who of [c.a, c.b]) {
    const side = { feelings: [WORDS[0]], perspective: 'p', touched: 't', my_part: 'm', next_time: 'n' };
    const w = await call(who, 'PUT', `/api/v1/repairs/${rep.json.id}/mine`, side);
    assert.equal(w.status, 200, `PUT mine: ${w.text}`);
  }
  for (const who of [c.a, c.b]) {
    const s = await call(who, 'POST', `/api/v1/repairs/${rep.json.id}/mine/submit`);
    assert.equal(s.status, 200, `submit: ${s.text}`);
  }
  const g = await call(c.a, 'GET', `/api/v1/repairs/${rep.json.id}`);
  assert.equal(g.json.state, 'revealed', `the repair is revealed: ${g.text}`);
  return rep.json.id;
}

// ---------------------------------------------------------------- create

test('POST /agreements: 201 with the whole agreement; default review every 7 days; next_review_on is today + days', T, async () => {
  const c = await srv.makeCouple('agc');
  const text = `We put phones away at dinner ${hex(4)}`;
  const r = await call(c.a, 'POST', '/api/v1/agreements', { text });
  assert.equal(r.status, 201, r.text);
  assertJsonType(r, 'POST /agreements');
  const g = r.json;
  assertAgreementShape(g, 'created');
  assert.equal(g.text, text);
  assert.equal(g.status, 'proposed', 'with a partner, proposed until the partner says yes (API.md, Growth)');
  assert.equal(g.review_every_days, 7);
  assert.equal(g.next_review_on, addDays(todayUtc(), 7));
  assert.equal(g.author_id, c.a.id);
  assert.equal(g.repair_id, null);
  assert.equal(g.review_due, false);
  assert.deepEqual(g.reviews, []);
  const age = Date.now() - Date.parse(g.created_at);
  assert.ok(age > -5000 && age < 120000, `created_at is now: ${g.created_at}`);

  for (const days of [1, 2, 30, 89, 90]) {
    const x = await createAgreement(c.a, { text: `every ${days}`, review_every_days: days });
    assert.equal(x.review_every_days, days);
    assert.equal(x.next_review_on, addDays(todayUtc(), days), `next_review_on for ${days} days`);
    assert.equal(x.review_due, false);
  }
  // Multibyte text of exactly 4000 characters is accepted and returned unchanged.
  const long = '❤'.repeat(3999) + 'x';
  const l = await createAgreement(c.b, { text: long });
  assert.equal(l.text, long);
  assert.equal(l.author_id, c.b.id);
});

test('POST /agreements validation: 400 invalid_input with the field at fault', T, async () => {
  const u = await srv.signUp('agv');
  const cases = [
    [{}, 'text'],
    [{ text: '' }, 'text'],
    [{ text: '   \n\t ' }, 'text'],
    [{ text: 42 }, 'text'],
    [{ text: ['a'] }, 'text'],
    [{ text: null, review_every_days: 7 }, 'text'],
    [{ text: 'x'.repeat(4001) }, 'text'],
    [{ text: '❤'.repeat(4001) }, 'text'],
    [{ text: 'ok', review_every_days: 0 }, 'review_every_days'],
    [{ text: 'ok', review_every_days: 91 }, 'review_every_days'],
    [{ text: 'ok', review_every_days: -1 }, 'review_every_days'],
    [{ text: 'ok', review_every_days: 1000000 }, 'review_every_days'],
    [{ text: 'ok', review_every_days: '7' }, 'review_every_days'],
    [{ text: 'ok', review_every_days: 7.5 }, 'review_every_days'],
    [{ text: 'ok', review_every_days: true }, 'review_every_days'],
    [{ text: 'ok', repair_id: 12 }, 'repair_id'],
    [{ text: 'ok', repair_id: hex(16) }, 'repair_id'],
    [{ text: 'ok', repair_id: 'not-an-id' }, 'repair_id'],
  ];
  for (const [body, field] of cases) {
    const r = await call(u, 'POST', '/api/v1/agreements', body);
    assertError(r, 400, 'invalid_input', field, `POST /agreements ${JSON.stringify(body).slice(0, 80)}`);
  }
  const bad = await srv.api('POST', '/api/v1/agreements', { token: u.token, rawBody: '{"text": "x"', headers: { 'Content-Type': 'application/json' } });
  assertError(bad, 400, 'invalid_json', undefined, 'malformed JSON');
  const list = await call(u, 'GET', '/api/v1/agreements');
  assert.deepEqual(list.json.items, [], 'nothing was stored by the refused requests');
  const anon = await srv.api('POST', '/api/v1/agreements', { body: { text: 'x' } });
  assertError(anon, 401, 'unauthenticated', undefined, 'anonymous');
});

test('repair_id: an unrevealed repair -> 409 not_revealed; a revealed one -> 201 with repair_id; somebody else\'s -> 400 repair_id', T, async () => {
  const c = await srv.makeCouple('agr');
  const open = await call(c.a, 'POST', '/api/v1/repairs', { title: 'not yet shared' });
  assert.equal(open.status, 201, open.text);
  const r1 = await call(c.a, 'POST', '/api/v1/agreements', { text: 'from an open repair', repair_id: open.json.id });
  assertError(r1, 409, 'not_revealed', undefined, 'unrevealed repair');
  // Even with one side submitted it is not revealed.
  await call(c.a, 'PUT', `/api/v1/repairs/${open.json.id}/mine`, { feelings: [WORDS[0]], perspective: 'p' });
  const sub = await call(c.a, 'POST', `/api/v1/repairs/${open.json.id}/mine/submit`);
  assert.equal(sub.status, 200, sub.text);
  const r2 = await call(c.b, 'POST', '/api/v1/agreements', { text: 'half shared', repair_id: open.json.id });
  assertError(r2, 409, 'not_revealed', undefined, 'half-submitted repair (partner)');

  const rid = await revealedRepair(c);
  const g = await createAgreement(c.b, { text: 'from a revealed repair', repair_id: rid, review_every_days: 14 });
  assert.equal(g.repair_id, rid);
  assert.equal(g.review_every_days, 14);
  const back = await call(c.a, 'GET', `/api/v1/agreements/${g.id}`);
  assert.equal(back.status, 200);
  assert.equal(back.json.repair_id, rid);

  // Somebody else's repair (an outsider's, and the couple's seen by an outsider): 400, field repair_id.
  const o = await srv.signUp('agro');
  const theirs = await call(o, 'POST', '/api/v1/repairs', { title: 'outsider repair' });
  assert.equal(theirs.status, 201, theirs.text);
  const r3 = await call(c.a, 'POST', '/api/v1/agreements', { text: 'not mine', repair_id: theirs.json.id });
  assertError(r3, 400, 'invalid_input', 'repair_id', "another space's repair");
  const r4 = await call(o, 'POST', '/api/v1/agreements', { text: 'not mine either', repair_id: rid });
  assertError(r4, 400, 'invalid_input', 'repair_id', "the couple's repair used by an outsider");
  const none = await call(o, 'GET', '/api/v1/agreements');
  assert.deepEqual(none.json.items, []);
});

// ---------------------------------------------------------------- read, list

test('GET /agreements/{id} and the list: the couple shares agreements; an outsider gets 404 and sees none', T, async () => {
  const c = await srv.makeCouple('agl');
  const o = await srv.signUp('aglo');
  const mine = await createAgreement(c.a, { text: `a's agreement ${hex(4)}` });
  const theirs = await createAgreement(c.b, { text: `b's agreement ${hex(4)}`, review_every_days: 3 });
  for (const who of [c.a, c.b]) {
    for (const g of [mine, theirs]) {
      const r = await call(who, 'GET', `/api/v1/agreements/${g.id}`);
      assert.equal(r.status, 200, r.text);
      assertJsonType(r, 'GET /agreements/{id}');
      assertAgreementShape(r.json, 'get');
      assert.deepEqual(r.json, g, 'GET returns what POST returned');
    }
    const l = await call(who, 'GET', '/api/v1/agreements');
    assert.equal(l.status, 200, l.text);
    assert.deepEqual(Object.keys(l.json).sort(), ['items', 'next']);
    assert.equal(l.json.next, null);
    assert.deepEqual(l.json.items.map((g) => g.id), [theirs.id, mine.id], 'newest first, both partners');
  }
  for (const g of [mine, theirs]) {
    assertError(await call(o, 'GET', `/api/v1/agreements/${g.id}`), 404, 'not_found', undefined, 'outsider GET');
    assertError(await call(o, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'retired' }), 404, 'not_found', undefined, 'outsider PATCH');
    assertError(await call(o, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' }), 404, 'not_found', undefined, 'outsider review');
  }
  const ol = await call(o, 'GET', '/api/v1/agreements');
  assert.deepEqual(ol.json.items, []);
  assertError(await call(c.a, 'GET', `/api/v1/agreements/${hex(16)}`), 404, 'not_found', undefined, 'unknown id');
  assertError(await call(c.a, 'GET', '/api/v1/agreements/not-an-id'), 404, 'not_found', undefined, 'malformed id');
  assertError(await srv.api('GET', `/api/v1/agreements/${mine.id}`), 401, 'unauthenticated', undefined, 'anonymous');
  // Nothing changed for the couple after the outsider's attempts.
  const still = await call(c.a, 'GET', `/api/v1/agreements/${mine.id}`);
  assert.equal(still.json.status, 'proposed');
  assert.deepEqual(still.json.reviews, []);
});

test('GET /agreements pagination: limit and before walk every agreement once, newest first', T, async () => {
  const u = await srv.signUp('agp');
  const made = [];
  for (let i = 0; i < 7; i++) made.push((await createAgreement(u, { text: `page ${i}` })).id);
  const expected = [...made].reverse();
  const seen = [];
  let next = null;
  let pages = 0;
  do {
    const r = await call(u, 'GET', `/api/v1/agreements?limit=3${next ? `&before=${encodeURIComponent(next)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 3);
    seen.push(...r.json.items.map((g) => g.id));
    next = r.json.next;
    pages++;
    assert.ok(pages < 10, 'pagination ends');
  } while (next);
  assert.equal(pages, 3);
  assert.deepEqual(seen, expected);
  const d = await call(u, 'GET', '/api/v1/agreements');
  assert.equal(d.json.items.length, 7, 'default limit 20');
  for (const q of ['limit=0', 'limit=101', 'limit=abc', 'before=garbage']) {
    const r = await call(u, 'GET', `/api/v1/agreements?${q}`);
    assertError(r, 400, 'invalid_input', undefined, `GET /agreements?${q}`);
  }
});

// ---------------------------------------------------------------- status

test('PATCH {status} -> 200 the whole object; retired and active again; bad status -> 400 status', T, async () => {
  const c = await srv.makeCouple('ags');
  const g = await accepted(c, await createAgreement(c.a, { text: 'retire me', review_every_days: 5 }));
  const r = await call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'retired' });
  assert.equal(r.status, 200, r.text);
  assertAgreementShape(r.json, 'patched');
  assert.deepEqual(r.json, { ...g, status: 'retired', review_due: false });
  const got = await call(c.b, 'GET', `/api/v1/agreements/${g.id}`);
  assert.equal(got.json.status, 'retired');
  // The partner may make it active again.
  const a = await call(c.b, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'active' });
  assert.equal(a.status, 200, a.text);
  assert.deepEqual(a.json, g);
  for (const body of [{}, { status: 'done' }, { status: 'Retired' }, { status: '' }, { status: 1 }, { status: null }, { status: ['retired'] }]) {
    const x = await call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, body);
    assertError(x, 400, 'invalid_input', 'status', `PATCH ${JSON.stringify(body)}`);
  }
  assertError(await call(c.a, 'PATCH', `/api/v1/agreements/${hex(16)}`, { status: 'retired' }), 404, 'not_found', undefined, 'PATCH unknown');
  assert.equal((await call(c.a, 'GET', `/api/v1/agreements/${g.id}`)).json.status, 'active');
});

// ---------------------------------------------------------------- reviews

test('POST /agreements/{id}/reviews: 201 the review; both partners review; next_review_on moves to today + days', T, async () => {
  const c = await srv.makeCouple('agw');
  const g = await accepted(c, await createAgreement(c.a, { text: 'we check in on Sundays', review_every_days: 10 }));
  // Make the review due: the next review date lies in the past.
  const yesterday = addDays(todayUtc(), -1);
  srv.sql(`UPDATE agreements SET next_review_on = '${yesterday}' WHERE id = '${g.id}'`);
  const due = await call(c.b, 'GET', `/api/v1/agreements/${g.id}`);
  assert.equal(due.json.next_review_on, yesterday);
  assert.equal(due.json.review_due, true, 'a review is due when next_review_on is in the past');
  const listed = await call(c.a, 'GET', '/api/v1/agreements');
  assert.equal(listed.json.items.find((x) => x.id === g.id).review_due, true);

  const note = `went well ${hex(4)}`;
  const r1 = await call(c.a, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept', note });
  assert.equal(r1.status, 201, r1.text);
  assertJsonType(r1, 'POST reviews');
  assertReviewShape(r1.json, 'review');
  assert.equal(r1.json.agreement_id, g.id);
  assert.equal(r1.json.author_id, c.a.id);
  assert.equal(r1.json.outcome, 'kept');
  assert.equal(r1.json.note, note);
  const after1 = await call(c.a, 'GET', `/api/v1/agreements/${g.id}`);
  assert.equal(after1.json.next_review_on, addDays(todayUtc(), 10), 'next review moves to today + days');
  assert.equal(after1.json.review_due, false);
  assert.equal(after1.json.reviews.length, 1);
  assert.deepEqual(after1.json.reviews[0], r1.json);

  const r2 = await call(c.b, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'partly' });
  assert.equal(r2.status, 201, r2.text);
  assert.equal(r2.json.author_id, c.b.id);
  assert.ok(r2.json.note === undefined || r2.json.note === null, `no note: ${r2.text}`);
  const r3 = await call(c.b, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'not_yet', note: 'next week' });
  assert.equal(r3.status, 201, r3.text);
  const all = await call(c.b, 'GET', `/api/v1/agreements/${g.id}`);
  assert.deepEqual(all.json.reviews.map((x) => x.id), [r3.json.id, r2.json.id, r1.json.id], 'reviews newest first');
  assert.equal(all.json.next_review_on, addDays(todayUtc(), 10));
  assert.equal(all.json.status, 'active', 'a not_yet review changes nothing else');
});

test('review validation: bad outcome -> 400 outcome, long note -> 400 note; a retired agreement -> 409', T, async () => {
  const c = await srv.makeCouple('agx');
  const g = await accepted(c, await createAgreement(c.a, { text: 'validate reviews' }));
  const cases = [
    [{}, 'outcome'], [{ outcome: 'failed' }, 'outcome'], [{ outcome: 'KEPT' }, 'outcome'], [{ outcome: 1 }, 'outcome'],
    [{ outcome: null }, 'outcome'], [{ outcome: 'kept', note: 5 }, 'note'], [{ outcome: 'kept', note: 'x'.repeat(4001) }, 'note'],
  ];
  for (const [body, field] of cases) {
    const r = await call(c.b, 'POST', `/api/v1/agreements/${g.id}/reviews`, body);
    assertError(r, 400, 'invalid_input', field, `review ${JSON.stringify(body).slice(0, 60)}`);
  }
  const ok = await call(c.a, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept', note: 'y'.repeat(4000) });
  assert.equal(ok.status, 201, 'a 4000-character note is fine');
  assertError(await call(c.a, 'POST', `/api/v1/agreements/${hex(16)}/reviews`, { outcome: 'kept' }), 404, 'not_found', undefined, 'unknown agreement');

  const p = await call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'retired' });
  assert.equal(p.status, 200);
  for (const who of [c.a, c.b]) {
    const r = await call(who, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' });
    assertError(r, 409, undefined, undefined, 'review of a retired agreement');
  }
  const after1 = await call(c.a, 'GET', `/api/v1/agreements/${g.id}`);
  assert.equal(after1.json.reviews.length, 1, 'the refused reviews were not stored');
  assert.equal(after1.json.review_due, false, 'a retired agreement is never due');
  // Retired agreements are never due, even with a past review date.
  srv.sql(`UPDATE agreements SET next_review_on = '${addDays(todayUtc(), -3)}' WHERE id = '${g.id}'`);
  assert.equal((await call(c.a, 'GET', `/api/v1/agreements/${g.id}`)).json.review_due, false);
});

test('no failure counts anywhere: no key matching /fail|streak|count|score/ in any agreement response', T, async () => {
  const u = await srv.signUp('agn');
  const g = await createAgreement(u, { text: 'count nothing' });
  for (const outcome of ['not_yet', 'not_yet', 'partly', 'not_yet']) {
    assert.equal((await call(u, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome })).status, 201);
  }
  await call(u, 'GET', `/api/v1/agreements/${g.id}`);
  await call(u, 'GET', '/api/v1/agreements');
  const bad = [];
  const walk = (v, where) => {
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${where}[${i}]`));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (FORBIDDEN_KEY.test(k)) bad.push(`${where}.${k}`);
        walk(x, `${where}.${k}`);
      }
    }
  };
  assert.ok(seenBodies.length > 20, 'responses were collected');
  for (const [what, body] of seenBodies) walk(body, what);
  assert.deepEqual([...new Set(bad)], []);
});

// ---------------------------------------------------------------- at rest

test('agreement texts and review notes are encrypted at rest (no marker in any file of the data directory)', { ...T, skip: SQLITE_ONLY }, async () => {
  const c = await srv.makeCouple('age');
  const mText = mark('agtext');
  const mNote = mark('agnote');
  const mMb = `Verabredung-Grüße-${hex(8)}-❤`;
  const g = await accepted(c, await createAgreement(c.a, { text: `we agree ${mText} ${mMb}` }));
  const r = await call(c.b, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'partly', note: `note ${mNote}` });
  assert.equal(r.status, 201);
  const back = await call(c.a, 'GET', `/api/v1/agreements/${g.id}`);
  assert.ok(back.json.text.includes(mText) && back.json.reviews[0].note.includes(mNote), 'the API returns the plaintext');
  const needles = [];
  for (const m of [mText, mNote, mMb]) {
    const u8 = Buffer.from(m, 'utf8');
    needles.push([m, u8], [`${m} utf-16le`, Buffer.from(m, 'utf16le')], [`${m} hex`, Buffer.from(u8.toString('hex'))]);
    for (let pad = 0; pad < 3; pad++) {
      const enc = Buffer.concat([Buffer.alloc(pad), u8, Buffer.alloc(3)]).toString('base64');
      const core = enc.slice(Math.ceil(pad / 3) * 4, Math.floor((pad + u8.length) / 3) * 4);
      if (core.length >= 16) needles.push([`${m} base64@${pad}`, Buffer.from(core)]);
    }
  }
  const scan = () => {
    const hits = [];
    for (const e of fs.readdirSync(srv.dataDir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile()) continue;
      const f = path.join(e.path ?? e.parentPath ?? srv.dataDir, e.name);
      const bytes = fs.readFileSync(f);
      for (const [name, n] of needles) if (bytes.includes(n)) hits.push(`${path.relative(srv.dataDir, f)}: ${name}`);
    }
    return hits;
  };
  assert.deepEqual(scan(), [], 'while the server runs');
  await srv.restart();
  assert.deepEqual(scan(), [], 'after a restart');
  const again = await call(c.b, 'GET', `/api/v1/agreements/${g.id}`);
  assert.equal(again.json.text, back.json.text, 'still readable after the restart');
});
