// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Questionnaires (API.md "Growth"): GET /questionnaires, GET /questionnaires/{id},
// POST /questionnaires/{id}/responses {answers:{ITEM_ID: value}, visibility?}
// -> 201 {id, score, subscales, created_at}; GET .../responses lists mine.
// score is the mean of all item values after reverse-scored items are mirrored
// (min + max - value); each subscale is the same mean over its own items. The
// expected numbers are computed here from the instrument the server serves.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, assertError, assertJsonType, TEST_TIMEOUT, REPO_ROOT, RFC3339_UTC } from './lib/server.mjs';

const T = { timeout: TEST_TIMEOUT };
const QID = 'security-check';
const EPS = 1e-9;

let srv;
let Q; // the instrument as served
let me;

before(async () => {
  srv = await startServer();
  me = await srv.signUp('qme');
  const r = await srv.api('GET', `/api/v1/questionnaires/${QID}`, { token: me.token });
  assert.equal(r.status, 200, r.text);
  Q = r.json;
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

/** The expected {score, subscales} for answers, from the instrument. */
function expected(q, answers) {
  let total = 0;
  const subs = {};
  for (const it of q.items) {
    const v = answers[it.id];
    const scored = it.reverse ? it.min + it.max - v : v;
    total += scored;
    if (it.subscale) {
      subs[it.subscale] ??= [0, 0];
      subs[it.subscale][0] += scored;
      subs[it.subscale][1] += 1;
    }
  }
  return {
    score: total / q.items.length,
    subscales: Object.fromEntries(Object.entries(subs).map(([k, [s, n]]) => [k, s / n])),
  };
}

/** A deterministic pseudo-random answer set. */
function randomAnswers(seed) {
  let x = seed >>> 0 || 1;
  const next = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
  return Object.fromEntries(Q.items.map((it) => [it.id, it.min + (next() % (it.max - it.min + 1))]));
}
const constant = (f) => Object.fromEntries(Q.items.map((it) => [it.id, f(it)]));

async function respond(who, answers, extra = {}) {
  const r = await srv.call(who, 'POST', `/api/v1/questionnaires/${QID}/responses`, { answers, ...extra });
  assert.equal(r.status, 201, `POST responses: ${r.status} ${r.text}`);
  return r.json;
}

function assertClose(got, want, what) {
  assert.equal(typeof got, 'number', `${what}: ${got} is not a number`);
  assert.ok(Math.abs(got - want) <= EPS, `${what}: got ${got}, expected ${want}`);
}

// ---------------------------------------------------------------- instruments

test('GET /questionnaires lists the security check: 12-16 items, the four subscales, some reverse-scored', T, async () => {
  const r = await srv.call(me, 'GET', '/api/v1/questionnaires');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r, 'GET /questionnaires');
  assert.ok(Array.isArray(r.json.items), 'items is a list');
  assert.ok('next' in r.json, 'the list has next');
  assert.equal(r.json.next, null);
  const sc = r.json.items.find((q) => q.id === QID);
  assert.ok(sc, `security-check is listed: ${r.json.items.map((q) => q.id)}`);
  for (const q of r.json.items) {
    assert.equal(typeof q.id, 'string');
    assert.equal(typeof q.title, 'string');
    assert.ok(Array.isArray(q.items) && q.items.length > 0, `${q.id}: items`);
  }
  assert.ok(sc.items.length >= 12 && sc.items.length <= 16, `security-check has ${sc.items.length} items`);
  const subscales = new Set(sc.items.map((it) => it.subscale));
  assert.deepEqual([...subscales].sort(), ['communication', 'compassion', 'growth', 'vulnerability']);
  const rev = sc.items.filter((it) => it.reverse === true).length;
  assert.ok(rev > 0 && rev < sc.items.length, `some but not all items are reverse-scored (${rev})`);
  const ids = new Set();
  for (const it of sc.items) {
    for (const k of ['id', 'text', 'min', 'max', 'labels', 'reverse', 'subscale']) assert.ok(k in it, `item ${it.id}: ${k}`);
    assert.ok(!ids.has(it.id), `item id ${it.id} is unique`);
    ids.add(it.id);
    assert.ok(Number.isInteger(it.min) && Number.isInteger(it.max) && it.min < it.max, `item ${it.id}: range`);
    assert.equal(typeof it.reverse, 'boolean');
    assert.equal(it.labels.length, it.max - it.min + 1, `item ${it.id}: one label per value`);
  }
  assert.deepEqual(sc, Q, 'the list item equals GET /questionnaires/{id}');
});

test('GET /questionnaires/{id} serves the shipped instrument; unknown id -> 404 everywhere; anonymous -> 401', T, async () => {
  const file = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'data', 'questionnaires', `${QID}.json`), 'utf8'));
  assert.equal(Q.id, file.id);
  assert.equal(Q.title, file.title);
  assert.equal(Q.items.length, file.items.length);
  for (let i = 0; i < file.items.length; i++) {
    const f = file.items[i];
    const s = Q.items[i];
    for (const k of ['id', 'text', 'min', 'max', 'labels', 'reverse', 'subscale']) assert.deepEqual(s[k], f[k], `item ${f.id}: ${k}`);
  }
  for (const [method, p, body] of [
    ['GET', '/api/v1/questionnaires/no-such-thing'],
    ['GET', '/api/v1/questionnaires/no-such-thing/responses'],
    ['POST', '/api/v1/questionnaires/no-such-thing/responses', { answers: constant((it) => it.min) }],
    ['GET', '/api/v1/questionnaires/SECURITY-CHECK'],
  ]) {
    assertError(await srv.call(me, method, p, body), 404, 'not_found', undefined, `${method} ${p}`);
  }
  assertError(await srv.api('GET', '/api/v1/questionnaires'), 401, 'unauthenticated', undefined, 'anonymous list');
  assertError(await srv.api('GET', `/api/v1/questionnaires/${QID}`), 401, 'unauthenticated', undefined, 'anonymous get');
});

// ---------------------------------------------------------------- scoring

test('POST responses: 201 {id, score, subscales, created_at}; scores equal the mean after mirroring reverse items', T, async () => {
  const u = await srv.signUp('qsc');
  const sets = [
    ['all min', constant((it) => it.min)],
    ['all max', constant((it) => it.max)],
    ['all middle', constant((it) => Math.round((it.min + it.max) / 2))],
    ['reverse items max, others min', constant((it) => (it.reverse ? it.max : it.min))],
    ['reverse items min, others max', constant((it) => (it.reverse ? it.min : it.max))],
    ['ascending', Object.fromEntries(Q.items.map((it, i) => [it.id, it.min + (i % (it.max - it.min + 1))]))],
  ];
  for (let s = 1; s <= 8; s++) sets.push([`random #${s}`, randomAnswers(s * 7919)]);
  for (const [name, answers] of sets) {
    const want = expected(Q, answers);
    const r = await srv.call(u, 'POST', `/api/v1/questionnaires/${QID}/responses`, { answers });
    assert.equal(r.status, 201, `${name}: ${r.status} ${r.text}`);
    assertJsonType(r, name);
    const g = r.json;
    for (const k of ['id', 'score', 'subscales', 'created_at']) assert.ok(k in g, `${name}: ${k} missing: ${r.text}`);
    assert.equal(typeof g.id, 'string');
    assert.match(g.created_at, RFC3339_UTC);
    assertClose(g.score, want.score, `${name}: score`);
    assert.deepEqual(Object.keys(g.subscales).sort(), Object.keys(want.subscales).sort(), `${name}: subscale names`);
    for (const [k, v] of Object.entries(want.subscales)) assertClose(g.subscales[k], v, `${name}: subscale ${k}`);
    if ('visibility' in g) assert.equal(g.visibility, 'private', 'the default visibility is private');
  }
  // Extremes of the scale: everything answered "best" scores max, "worst" scores min.
  const best = await respond(u, constant((it) => (it.reverse ? it.min : it.max)));
  assertClose(best.score, 5, 'best score');
  for (const v of Object.values(best.subscales)) assertClose(v, 5, 'best subscale');
  const worst = await respond(u, constant((it) => (it.reverse ? it.max : it.min)));
  assertClose(worst.score, 1, 'worst score');
});

test('POST responses validation: missing, unknown, out-of-range and non-integer answers -> 400 field answers', T, async () => {
  const u = await srv.signUp('qva');
  const ok = constant((it) => it.min);
  const first = Q.items[0].id;
  const without = { ...ok };
  delete without[first];
  const cases = [
    ['missing item', without],
    ['no answers at all', {}],
    ['unknown item', { ...ok, zz9: 3 }],
    ['below min', { ...ok, [first]: Q.items[0].min - 1 }],
    ['above max', { ...ok, [first]: Q.items[0].max + 1 }],
    ['huge', { ...ok, [first]: 1e12 }],
    ['negative', { ...ok, [first]: -3 }],
    ['fraction', { ...ok, [first]: 2.5 }],
    ['string', { ...ok, [first]: '3' }],
    ['boolean', { ...ok, [first]: true }],
    ['null', { ...ok, [first]: null }],
    ['list value', { ...ok, [first]: [3] }],
    ['answers is a list', Q.items.map((it) => it.min)],
    ['answers is a string', 'all good'],
    ['answers is null', null],
  ];
  for (const [name, answers] of cases) {
    const r = await srv.call(u, 'POST', `/api/v1/questionnaires/${QID}/responses`, { answers });
    assertError(r, 400, 'invalid_input', 'answers', name);
  }
  const none = await srv.call(u, 'POST', `/api/v1/questionnaires/${QID}/responses`, { visibility: 'private' });
  assertError(none, 400, 'invalid_input', 'answers', 'answers left out');
  // 3.0 in JSON is a real, not an integer.
  const raw = `{"answers": {${Q.items.map((it, i) => `"${it.id}": ${i === 0 ? '3.0' : it.min}`).join(', ')}}}`;
  const real = await srv.api('POST', `/api/v1/questionnaires/${QID}/responses`, {
    token: u.token, rawBody: raw, headers: { 'Content-Type': 'application/json' },
  });
  assertError(real, 400, 'invalid_input', 'answers', 'a JSON real (3.0)');
  const vis = await srv.call(u, 'POST', `/api/v1/questionnaires/${QID}/responses`, { answers: ok, visibility: 'everyone' });
  assertError(vis, 400, 'invalid_input', 'visibility', 'bad visibility');
  const list = await srv.call(u, 'GET', `/api/v1/questionnaires/${QID}/responses`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items, [], 'no refused response was stored');
  const anon = await srv.api('POST', `/api/v1/questionnaires/${QID}/responses`, { body: { answers: ok } });
  assertError(anon, 401, 'unauthenticated', undefined, 'anonymous');
});

test('GET /questionnaires/{id}/responses lists mine only, newest first, with the same scores', T, async () => {
  const c = await srv.makeCouple('qls');
  const mine = [];
  for (let s = 0; s < 4; s++) mine.push(await respond(c.a, randomAnswers(101 + s), { visibility: s % 2 ? 'partner' : 'private' }));
  await respond(c.b, randomAnswers(999), { visibility: 'partner' });
  await respond(c.b, randomAnswers(998), { visibility: 'private' });
  const r = await srv.call(c.a, 'GET', `/api/v1/questionnaires/${QID}/responses`);
  assert.equal(r.status, 200, r.text);
  assertJsonType(r, 'GET responses');
  assert.ok(Array.isArray(r.json.items) && 'next' in r.json);
  assert.deepEqual(r.json.items.map((x) => x.id), mine.map((x) => x.id).reverse(), 'mine, newest first; none of the partner\'s');
  for (const item of r.json.items) {
    const made = mine.find((x) => x.id === item.id);
    assertClose(item.score, made.score, 'listed score');
    for (const [k, v] of Object.entries(made.subscales)) assertClose(item.subscales[k], v, `listed subscale ${k}`);
    assert.equal(item.created_at, made.created_at);
  }
  const b = await srv.call(c.b, 'GET', `/api/v1/questionnaires/${QID}/responses`);
  assert.equal(b.json.items.length, 2, "the partner's list holds the partner's two");
  const o = await srv.signUp('qlo');
  const ol = await srv.call(o, 'GET', `/api/v1/questionnaires/${QID}/responses`);
  assert.deepEqual(ol.json.items, []);
});

test('GET /questionnaires/{id}/responses is a list like every other: ?limit and ?before page through it', T, async () => {
  const u = await srv.signUp('qpg');
  const made = [];
  for (let s = 0; s < 5; s++) made.push((await respond(u, randomAnswers(300 + s))).id);
  const seen = [];
  let next = null;
  let pages = 0;
  do {
    const r = await srv.call(u, 'GET', `/api/v1/questionnaires/${QID}/responses?limit=2${next ? `&before=${encodeURIComponent(next)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2, `?limit=2 gave ${r.json.items.length} items`);
    seen.push(...r.json.items.map((x) => x.id));
    next = r.json.next;
    pages++;
  } while (next && pages < 10);
  assert.deepEqual(seen, made.reverse(), 'every response once, newest first');
  assertError(await srv.call(u, 'GET', `/api/v1/questionnaires/${QID}/responses?limit=0`), 400, 'invalid_input', undefined, 'limit=0');
  // A cursor from before 2026-12 was the time alone: still honoured, with what is strictly older.
  const first = await srv.call(u, 'GET', `/api/v1/questionnaires/${QID}/responses?limit=2`);
  const bare = first.json.next.split('.')[0];
  assert.match(bare, /^[1-9][0-9]*$/, `the cursor starts with its time: ${first.json.next}`);
  const old = await srv.call(u, 'GET', `/api/v1/questionnaires/${QID}/responses?before=${bare}`);
  assert.equal(old.status, 200, old.text);
  const rest = seen.slice(2);
  const got = old.json.items.map((x) => x.id);
  assert.deepEqual(got, rest.slice(rest.length - got.length), 'the older ones, in order, none of the first page');
  for (const bad of ['nonsense', `${bare}x`, `${bare}.`, '-5']) {
    assertError(await srv.call(u, 'GET', `/api/v1/questionnaires/${QID}/responses?before=${encodeURIComponent(bad)}`), 400, 'invalid_input', 'before', bad);
  }
});
