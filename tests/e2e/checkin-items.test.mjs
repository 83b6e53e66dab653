// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Check-ins, issue 11 (API.md, Additions, "Check-ins"):
//   visibility per item: a word for all, or an object over mood, connection,
//   secure, appreciation, need, worry (missing keys: the author's default,
//   private unless set); answers carry visibility_by_item (complete) and
//   visibility (the word, or "mixed"); items a reader may not see are null —
//   for the partner and, with consent, for the therapist, item by item, in
//   lists, single reads, trends and the timeline.
//   PUT /me/checkin-visibility {visibility} -> 200; GET /me checkin_default_visibility.
//   POST /checkins/{id}/acknowledge {kind} -> 201 by the partner on a shared appreciation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, assertError, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const ITEMS = ['mood', 'connection', 'secure', 'appreciation', 'need', 'worry'];
const hex = () => crypto.randomBytes(6).toString('hex');
let srv;
let C;
let ther;

const today = () => new Date().toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  C = await srv.makeCouple('cit');
  ther = await addRoleUser(srv, 'citt', 'therapist');
  await linkTherapist(srv, ther, C.a);
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

test('the word form keeps working and reads back as the same word for every item', T, async () => {
  const c = await srv.ok(C.a, 'POST', '/api/v1/checkins', { mood: 4, connection: 6, secure: 7, need: 'n', visibility: 'partner' }, 201);
  assert.equal(c.visibility, 'partner');
  assert.deepEqual(c.visibility_by_item, Object.fromEntries(ITEMS.map((k) => [k, 'partner'])));
  const seen = await srv.ok(C.b, 'GET', `/api/v1/checkins/${c.id}`, undefined, 200);
  assert.equal(seen.mood, 4);
  assert.equal(seen.need, 'n');
});

test('per item: the partner and the therapist each see only the items marked for them', T, async () => {
  const marks = { appreciation: `appr${hex()}`, need: `need${hex()}`, worry: `worry${hex()}` };
  const vis = { mood: 'therapist', connection: 'partner', secure: 'private', appreciation: 'partner', worry: 'private', need: 'therapist' };
  const c = await srv.ok(C.a, 'POST', '/api/v1/checkins', { mood: 2, connection: 8, secure: 3, ...marks, visibility: vis }, 201);
  assert.equal(c.visibility, 'mixed');
  assert.deepEqual(c.visibility_by_item, vis);
  assert.equal(c.secure, 3, 'the author sees every item');
  assert.equal(c.worry, marks.worry);

  // The partner: everything but the private items, which are null.
  const b = await srv.ok(C.b, 'GET', `/api/v1/checkins/${c.id}`, undefined, 200);
  assert.deepEqual([b.mood, b.connection, b.secure], [2, 8, null]);
  assert.deepEqual([b.appreciation, b.need, b.worry], [marks.appreciation, marks.need, null]);
  assert.equal(b.visibility, 'mixed');
  const list = await srv.ok(C.b, 'GET', '/api/v1/checkins?author=partner&limit=100', undefined, 200);
  const inList = list.items.find((x) => x.id === c.id);
  assert.equal(inList.secure, null);
  assert.equal(inList.worry, null);
  assert.ok(!JSON.stringify(list).includes(marks.worry), 'the private worry never reaches the partner');

  // The therapist: nothing without the author's consent ... (A linked, so A consents).
  const th = await srv.ok(ther, 'GET', `/api/v1/therapist/spaces/${C.spaceId}/checkins?limit=100`, undefined, 200);
  const t = th.items.find((x) => x.id === c.id);
  assert.ok(t, 'an item marked therapist brings the check-in to the therapist');
  assert.deepEqual([t.mood, t.connection, t.secure], [2, null, null]);
  assert.deepEqual([t.appreciation, t.need, t.worry], [null, marks.need, null]);
  const text = JSON.stringify(th);
  assert.ok(!text.includes(marks.appreciation) && !text.includes(marks.worry), 'only therapist items reach the therapist');

  // Trends: the therapist's mood series has the point, the connection series does not.
  const from = today();
  const mood = await srv.ok(ther, 'GET', `/api/v1/therapist/spaces/${C.spaceId}/trends?metric=mood&from=${from}&to=${from}`, undefined, 200);
  const conn = await srv.ok(ther, 'GET', `/api/v1/therapist/spaces/${C.spaceId}/trends?metric=connection&from=${from}&to=${from}`, undefined, 200);
  const pointsOf = (j) => j.partners.flatMap((s) => s.series);
  assert.deepEqual(pointsOf(mood).map((pt) => pt.value), [2], 'the therapist draws the mood marked therapist');
  assert.equal(pointsOf(conn).length, 0, `no connection point for the therapist: ${JSON.stringify(conn)}`);
  // The partner's secure series leaves out the private secure item (3): only the first check-in's 7.
  const sec = await srv.ok(C.b, 'GET', `/api/v1/trends?metric=secure&author=partner&from=${from}&to=${from}`, undefined, 200);
  assert.deepEqual(sec.series.map((pt) => pt.value), [7], `the private secure value is not drawn: ${JSON.stringify(sec)}`);
  const moodB = await srv.ok(C.b, 'GET', `/api/v1/trends?metric=mood&author=partner&from=${from}&to=${from}`, undefined, 200);
  assert.deepEqual(moodB.series.map((pt) => pt.value), [3], 'both shared moods (4 and 2) are drawn');
});

test('a check-in whose items are all private stays away from the partner (404)', T, async () => {
  const c = await srv.ok(C.a, 'POST', '/api/v1/checkins', { mood: 3, connection: 3, secure: 3, visibility: {} }, 201);
  assert.equal(c.visibility, 'private', 'missing keys take the default: private');
  assertError(await srv.api('GET', `/api/v1/checkins/${c.id}`, { token: C.b.token }), 404, 'not_found');
});

test('each person sets their default; missing keys take it; PATCH with an object changes items', T, async () => {
  const me = await srv.ok(C.b, 'GET', '/api/v1/me', undefined, 200);
  assert.equal(me.checkin_default_visibility, 'private');
  assertError(await srv.api('PUT', '/api/v1/me/checkin-visibility', { token: C.b.token, body: { visibility: 'world' } }),
    400, 'invalid_input', 'visibility');
  const put = await srv.ok(C.b, 'PUT', '/api/v1/me/checkin-visibility', { visibility: 'partner' }, 200);
  assert.equal(put.checkin_default_visibility, 'partner');
  assert.equal((await srv.ok(C.b, 'GET', '/api/v1/me', undefined, 200)).checkin_default_visibility, 'partner');
  const c = await srv.ok(C.b, 'POST', '/api/v1/checkins', { mood: 5, connection: 9, secure: 9, worry: 'w', visibility: { worry: 'private' } }, 201);
  assert.deepEqual(c.visibility_by_item, { mood: 'partner', connection: 'partner', secure: 'partner', appreciation: 'partner', need: 'partner', worry: 'private' });
  const a = await srv.ok(C.a, 'GET', `/api/v1/checkins/${c.id}`, undefined, 200);
  assert.equal(a.worry, null);
  assert.equal(a.mood, 5);
  const p = await srv.ok(C.b, 'PATCH', `/api/v1/checkins/${c.id}`, { visibility: 'private' }, 200);
  assert.equal(p.visibility, 'private');
  assertError(await srv.api('GET', `/api/v1/checkins/${c.id}`, { token: C.a.token }), 404, 'not_found');
  // Invalid items: every one named, with the rest.
  const bad = await srv.api('POST', '/api/v1/checkins', {
    token: C.b.token, body: { mood: 9, connection: 1, secure: 1, visibility: { mood: 'all', worry: 3, colour: 'partner' } },
  });
  assertError(bad, 400, 'invalid_input');
  const fields = bad.json.errors.map((e) => e.field);
  assert.ok(fields.includes('visibility.worry') && fields.includes('visibility'), JSON.stringify(bad.json));
});

test('the partner answers a shared appreciation; the author sees it', T, async () => {
  const c = await srv.ok(C.a, 'POST', '/api/v1/checkins', {
    mood: 4, connection: 7, secure: 7, appreciation: 'Thank you for the walk', worry: 'money', visibility: { appreciation: 'partner', worry: 'private' },
  }, 201);
  assert.equal(c.acknowledgement, null);
  assertError(await srv.api('POST', `/api/v1/checkins/${c.id}/acknowledge`, { token: C.b.token, body: { kind: 'meh' } }), 400, 'invalid_input', 'kind');
  assertError(await srv.api('POST', `/api/v1/checkins/${c.id}/acknowledge`, { token: C.a.token, body: { kind: 'hug' } }), 403, 'forbidden');
  const outsider = await srv.signUp('cito');
  assertError(await srv.api('POST', `/api/v1/checkins/${c.id}/acknowledge`, { token: outsider.token, body: { kind: 'hug' } }), 404, 'not_found');
  const ack = await srv.ok(C.b, 'POST', `/api/v1/checkins/${c.id}/acknowledge`, { kind: 'i_hear_you' }, 201);
  assert.equal(ack.acknowledgement.kind, 'i_hear_you');
  const mine = await srv.ok(C.a, 'GET', `/api/v1/checkins/${c.id}`, undefined, 200);
  assert.equal(mine.acknowledgement.kind, 'i_hear_you');
  assert.match(mine.acknowledgement.created_at, /Z$/);

  // Nothing to answer: no appreciation, or a private one.
  const quiet = await srv.ok(C.a, 'POST', '/api/v1/checkins', { mood: 3, connection: 3, secure: 3, appreciation: 'secret', visibility: { mood: 'partner' } }, 201);
  assertError(await srv.api('POST', `/api/v1/checkins/${quiet.id}/acknowledge`, { token: C.b.token, body: { kind: 'hug' } }), 409, 'nothing_to_acknowledge');
});
