// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Issue 13, "measures before each session" (API.md "Therapist practice"):
//   GET /therapist/spaces/{id}/questionnaires -> the results consenting partners marked "therapist",
//       {id, questionnaire_id, author_id, score, subscales, band, change, created_at}; change only
//       against the author's previous *shared* result
//   PUT /therapist/spaces/{id}/next-session {at} -> 200 {next_session_at, previous_session_at}; {at: null}
//       clears it; GET /me space.next_session_at (null when none or passed); the home card
//       session_upcoming in the week before, for both partners whatever their consent; unlinking clears it
//   GET /therapist/spaces/{id}/summary?from=&to= -> the before-session summary (default: since the last
//       session, else 14 days)
// Nothing unshared or of a partner who does not consent appears, and withdrawing consent hides it
// again. Every read is one access-log line. Uses the banded test instrument of
// tests/fixtures/questionnaires (sum of 4 items 0..5; bands 0-9 and 10-20; reliable change 3).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, assertError, TEST_TIMEOUT, REPO_ROOT, RFC3339_UTC } from './lib/server.mjs';
import { addRoleUser, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'questionnaires');
const Q = 'banded-sum';
const ZONE = 'Asia/Tokyo'; // the therapist's: +09:00 all year, so the expected instants are plain

let srv;
let C; // the couple {a, b, spaceId}
let C2; // another couple, with their own therapist
let t1; // C's therapist (linked by a: a consents, b undecided)
let t2; // C2's therapist
let t3; // a therapist linked to nobody
let loner; // a member without a space

const tpath = (what, space = C.spaceId) => `/api/v1/therapist/spaces/${space}/${what}`;
/** Answers of the banded instrument summing to total (0..20); c2 is reversed. */
function answers(total) {
  const a = { n1: 0, n2: 0, c1: 0, c2: 5 };
  let left = total;
  for (const k of ['n1', 'n2', 'c1']) { const v = Math.min(5, left); a[k] = v; left -= v; }
  a.c2 = 5 - Math.min(5, left);
  return a;
}
const respond = (who, total, visibility) => srv.ok(who, 'POST', `/api/v1/questionnaires/${Q}/responses`, { answers: answers(total), visibility }, 201);
/** The local date days ahead in ZONE, YYYY-MM-DD. */
const zoneDate = (days) => new Date(Date.now() + days * 86400e3).toLocaleDateString('sv-SE', { timeZone: ZONE });
const accessLog = async (who = C.a) => (await srv.ok(who, 'GET', '/api/v1/spaces/current/access-log?limit=100', undefined, 200)).items;
const homeKinds = async (who) => (await srv.ok(who, 'GET', '/api/v1/home', undefined, 200)).items.filter((c) => c.kind === 'session_upcoming');

before(async () => {
  srv = await startServer({ env: { HEARTH_QUESTIONNAIRES_DIR: DIR } });
  C = await srv.makeCouple('ses');
  C2 = await srv.makeCouple('ses2');
  loner = await srv.signUp('seslone');
  t1 = await addRoleUser(srv, 'sest1', 'therapist', { displayName: 'Dr Lee' });
  t2 = await addRoleUser(srv, 'sest2', 'therapist', { displayName: 'Dr Two' });
  t3 = await addRoleUser(srv, 'sest3', 'therapist', { displayName: 'Dr Three' });
  await srv.ok(t1, 'PATCH', '/api/v1/me', { time_zone: ZONE }, 200);
  await srv.ok(C.b, 'PATCH', '/api/v1/me', { time_zone: 'America/New_York' }, 200);
  await linkTherapist(srv, t1, C.a);
  await linkTherapist(srv, t2, C2.a);
  // a: shared 5, then private 17 and partner-only 19 (never the therapist's), then shared 12.
  await respond(C.a, 5, 'therapist');
  await respond(C.a, 17, 'private');
  await respond(C.a, 19, 'partner');
  await respond(C.a, 12, 'therapist');
  // b (not consenting yet): one shared result.
  await respond(C.b, 8, 'therapist');
  // Check-ins: a shares mood 2 with the therapist; a private mood 5 must not move the mean.
  await srv.ok(C.a, 'POST', '/api/v1/checkins', { mood: 2, connection: 4, secure: 6, visibility: 'therapist' }, 201);
  await srv.ok(C.a, 'POST', '/api/v1/checkins', { mood: 5, connection: 10, secure: 10, visibility: 'private' }, 201);
  await srv.ok(C.a, 'POST', '/api/v1/checkins', {
    mood: 4, connection: 8, secure: 8, visibility: { mood: 'therapist', connection: 'partner', secure: 'private' },
  }, 201);
  await srv.ok(C.b, 'POST', '/api/v1/checkins', { mood: 1, connection: 1, secure: 1, visibility: 'therapist' }, 201);
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

test('questionnaire results: only the consenting partner\'s "therapist" ones, with band and change against the previous shared one', T, async () => {
  const before = (await accessLog()).length;
  const r = await srv.ok(t1, 'GET', tpath('questionnaires'), undefined, 200);
  assert.ok('next' in r && Array.isArray(r.items), JSON.stringify(r));
  assert.deepEqual(r.items.map((x) => x.score), [12, 5], `only a's shared results: ${JSON.stringify(r.items)}`);
  for (const x of r.items) {
    assert.deepEqual(Object.keys(x).sort(), ['author_id', 'band', 'change', 'created_at', 'id', 'questionnaire_id', 'score', 'subscales']);
    assert.equal(x.author_id, C.a.id);
    assert.equal(x.questionnaire_id, Q);
    assert.match(x.created_at, RFC3339_UTC);
    assert.equal(typeof x.subscales, 'object');
  }
  const [latest, first] = r.items;
  assert.equal(latest.band, 'At or above the cut-off');
  assert.equal(first.band, 'Below the cut-off');
  // Against 5 (shared), never against the private 17 or the partner-only 19.
  assert.equal(latest.change.from_score, 5);
  assert.equal(latest.change.delta, 7);
  assert.equal(latest.change.reliable, true);
  assert.equal(first.change, null);
  for (const s of [17, 19, 8]) assert.ok(!r.items.some((x) => x.score === s), `score ${s} reached the therapist`);
  // Paging: one at a time.
  const p1 = await srv.ok(t1, 'GET', `${tpath('questionnaires')}?limit=1`, undefined, 200);
  assert.equal(p1.items.length, 1);
  assert.ok(p1.next, 'a next cursor');
  const p2 = await srv.ok(t1, 'GET', `${tpath('questionnaires')}?limit=1&before=${encodeURIComponent(p1.next)}`, undefined, 200);
  assert.deepEqual(p2.items.map((x) => x.score), [5]);
  assertError(await srv.api('GET', `${tpath('questionnaires')}?before=nonsense`, { token: t1.token }), 400, 'invalid_input');
  const log = await accessLog();
  assert.equal(log.length, before + 3, 'one access-log line per read');
  assert.equal(log[0].what, 'viewed the questionnaire results shared with the therapist');
  assert.equal(log[0].who, 'Dr Lee');
});

test('consent: b\'s results appear once b consents, and a\'s are hidden once a withdraws', T, async () => {
  await srv.ok(C.b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true }, 200);
  let r = await srv.ok(t1, 'GET', tpath('questionnaires'), undefined, 200);
  assert.deepEqual(r.items.map((x) => x.score).sort((x, y) => x - y), [5, 8, 12]);
  await srv.ok(C.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false }, 200);
  r = await srv.ok(t1, 'GET', tpath('questionnaires'), undefined, 200);
  assert.deepEqual(r.items.map((x) => [x.author_id, x.score]), [[C.b.id, 8]]);
  const sum = await srv.ok(t1, 'GET', tpath('summary'), undefined, 200);
  const a = sum.partners.find((p) => p.id === C.a.id);
  assert.equal(a.consent, false);
  assert.ok(!('checkins' in a) && !('questionnaires' in a), `a withdrew: nothing of theirs: ${JSON.stringify(a)}`);
  await srv.ok(C.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true }, 200);
  await srv.ok(C.b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false }, 200);
});

test('the next session: set in the therapist\'s zone or with an offset, seen by both partners (GET /me, home), cleared', T, async () => {
  const day = zoneDate(5);
  const r = await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${day}T17:00` }, 200);
  const want = new Date(Date.parse(`${day}T17:00:00+09:00`)).toISOString().replace('.000Z', 'Z');
  assert.equal(r.next_session_at, want, JSON.stringify(r));
  assert.equal(r.previous_session_at, null);
  for (const who of [C.a, C.b]) { // b does not consent now: the date is theirs all the same
    const me = await srv.ok(who, 'GET', '/api/v1/me', undefined, 200);
    assert.equal(me.space.next_session_at, want);
    const cards = await homeKinds(who);
    assert.equal(cards.length, 1, `a session_upcoming card: ${JSON.stringify(cards)}`);
    assert.equal(cards[0].id, t1.id);
  }
  // Set aside: gone until the date changes.
  const card = (await homeKinds(C.a))[0];
  assert.equal(card.href, '/space');
  assert.match(card.since, RFC3339_UTC);
  await srv.ok(C.a, 'POST', '/api/v1/home/dismiss', { kind: 'session_upcoming', id: t1.id }, 204);
  assert.equal((await homeKinds(C.a)).length, 0, 'set aside');
  assert.equal((await homeKinds(C.b)).length, 1, 'only for the one who set it aside');
  await new Promise((resolve) => setTimeout(resolve, 5));
  await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${zoneDate(4)}T17:00` }, 200);
  assert.equal((await homeKinds(C.a)).length, 1, 'a new date brings it back');
  // Another couple's members see nothing of it.
  assert.equal((await srv.ok(C2.a, 'GET', '/api/v1/me', undefined, 200)).space.next_session_at, null);
  assert.equal((await homeKinds(C2.a)).length, 0);
  // With an offset; three weeks ahead: no card yet, /me has it.
  const later = zoneDate(21);
  const r2 = await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${later}T08:30:00+01:00` }, 200);
  assert.equal(r2.next_session_at, new Date(Date.parse(`${later}T08:30:00+01:00`)).toISOString().replace('.000Z', 'Z'));
  assert.equal(r2.previous_session_at, null, 'a session moved before it happened is no previous session');
  assert.equal((await homeKinds(C.a)).length, 0, 'no card three weeks before');
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.next_session_at, r2.next_session_at);
  // Z too.
  assert.equal((await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${day}T08:00:00Z` }, 200)).next_session_at, `${day}T08:00:00Z`);
  // Clearing.
  const c = await srv.ok(t1, 'PUT', tpath('next-session'), { at: null }, 200);
  assert.equal(c.next_session_at, null);
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.next_session_at, null);
  assert.equal((await homeKinds(C.b)).length, 0);
});

test('the next session: every invalid value is a 400 on field "at"', T, async () => {
  const bad = [
    [{}, 'missing'], [{ at: 5 }, 'a number'], [{ at: '' }, 'empty'], [{ at: 'next thursday' }, 'words'],
    [{ at: '2026-02-30T17:00' }, 'no such day'], [{ at: `${zoneDate(3)}T25:00` }, 'no such hour'],
    [{ at: `${zoneDate(-2)}T17:00` }, 'in the past'], [{ at: `${zoneDate(400)}T17:00` }, 'over a year ahead'],
    [{ at: `${zoneDate(3)}T17:00+25:00` }, 'a bad offset'],
  ];
  for (const [body, what] of bad) {
    const r = await srv.api('PUT', tpath('next-session'), { token: t1.token, body });
    assertError(r, 400, 'invalid_input', 'at', what);
  }
});

test('the previous session is kept when a new date is set after it took place; the summary starts there', T, async () => {
  await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${zoneDate(2)}T10:00` }, 200);
  const past = Date.now() - 3 * 86400e3;
  srv.sql(`UPDATE space_therapists SET next_session_at = ${past} WHERE space_id = '${C.spaceId}'`);
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.next_session_at, null, 'a passed session is no next one');
  const r = await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${zoneDate(6)}T10:00` }, 200);
  assert.equal(Date.parse(r.previous_session_at), Math.floor(past / 1000) * 1000);
  const sum = await srv.ok(t1, 'GET', tpath('summary'), undefined, 200);
  assert.equal(sum.since_session, true);
  assert.equal(Date.parse(sum.last_session_at), Math.floor(past / 1000) * 1000);
  assert.equal(sum.next_session_at, r.next_session_at);
  // Everything was written before that session (3 days ago)? No: just now, so it counts.
  const a = sum.partners.find((p) => p.id === C.a.id);
  assert.equal(a.checkins.mood.mean, 3, `mood mean of the shared 2 and 4 only: ${JSON.stringify(a.checkins)}`);
  assert.equal(a.checkins.connection.mean, 4, 'connection: only the check-in that shared it');
  assert.equal(a.checkins.secure.mean, 6);
  // Clearing after it took place keeps it as the previous one too.
  srv.sql(`UPDATE space_therapists SET next_session_at = ${past + 1000} WHERE space_id = '${C.spaceId}'`);
  const c = await srv.ok(t1, 'PUT', tpath('next-session'), { at: null }, 200);
  assert.equal(Date.parse(c.previous_session_at), Math.floor((past + 1000) / 1000) * 1000);
});

test('the summary: its shape, only shared items of consenting partners, the period rules, one access-log line', T, async () => {
  // Issue 13's homework and bridge join the summary: a task for both, and a's items for the session.
  await srv.ok(t1, 'POST', tpath('homework'), { kind: 'task', text: 'A walk together, phones at home', for: 'both' }, 201);
  await srv.ok(C.a, 'POST', '/api/v1/bridge', { text: 'How we plan the holidays', share_with_therapist: true }, 201);
  await srv.ok(C.a, 'POST', '/api/v1/bridge', { text: 'Private: my sister', share_with_therapist: false }, 201);
  const before = (await accessLog()).length;
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: ZONE });
  const from = new Date(Date.now() - 20 * 86400e3).toLocaleDateString('sv-SE', { timeZone: ZONE });
  const sum = await srv.ok(t1, 'GET', `${tpath('summary')}?from=${from}&to=${today}`, undefined, 200);
  assert.equal(sum.from, from);
  assert.equal(sum.to, today);
  assert.equal(sum.since_session, false);
  assert.deepEqual(sum.sections, ['checkins', 'questionnaires', 'homework', 'brought', 'repairs']);
  assert.equal(sum.partners.length, 2);
  const a = sum.partners.find((p) => p.id === C.a.id);
  const b = sum.partners.find((p) => p.id === C.b.id);
  assert.equal(a.display_name.length > 0, true);
  assert.equal(a.consent, true);
  assert.deepEqual(a.questionnaires.map((x) => x.score), [12, 5]);
  assert.equal(a.questionnaires[0].band, 'At or above the cut-off');
  assert.equal(a.questionnaires[0].change.delta, 7);
  assert.equal(a.checkins.mood.mean, 3);
  assert.ok(a.checkins.mood.series.length >= 1);
  assert.deepEqual(a.homework.map((h) => [h.kind, h.what, h.status]), [['task', 'A walk together, phones at home', 'todo']]);
  assert.deepEqual(a.brought.map((x) => [x.text, x.talked_about_at]), [['How we plan the holidays', null]]);
  assert.equal(b.consent, false, 'b withdrew above');
  assert.ok(!('checkins' in b) && !('questionnaires' in b) && !('homework' in b) && !('brought' in b));
  assert.ok(!JSON.stringify(sum).includes('my sister'), 'an item not shared with the therapist');
  const text = JSON.stringify(sum);
  for (const s of ['"score":17', '"score":19', '"score":8']) assert.ok(!text.includes(s), `${s} in the summary`);
  assert.ok(Array.isArray(sum.repairs));
  const log = await accessLog();
  assert.equal(log.length, before + 1, 'one line for the whole summary');
  assert.match(log[0].what, /before-session summary/);
  // Default period without any session: the last 14 days.
  await srv.ok(t2, 'GET', tpath('summary', C2.spaceId), undefined, 200).then((s) => {
    assert.equal(s.since_session, false);
    const d = (Date.parse(s.to) - Date.parse(s.from)) / 86400e3;
    assert.equal(d, 14, JSON.stringify(s));
    assert.equal(s.last_session_at, null);
  });
  // Invalid periods: all fields at once.
  let r = await srv.api('GET', `${tpath('summary')}?from=yesterday&to=2026-13-01`, { token: t1.token });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['from', 'to']);
  r = await srv.api('GET', `${tpath('summary')}?from=${today}&to=${from}`, { token: t1.token });
  assertError(r, 400, 'invalid_input', 'from', 'reversed');
  r = await srv.api('GET', `${tpath('summary')}?from=2020-01-01&to=${today}`, { token: t1.token });
  assertError(r, 400, 'invalid_input', 'from', 'too long');
});

test('others get 404 (another couple\'s therapist, an unlinked one, the partners, a member without a space), anonymous 401', T, async () => {
  const calls = [
    ['GET', tpath('questionnaires'), undefined],
    ['PUT', tpath('next-session'), { at: `${zoneDate(4)}T10:00` }],
    ['GET', tpath('summary'), undefined],
  ];
  for (const [method, p, body] of calls) {
    for (const who of [t2, t3, C.a, C.b, loner, C2.a]) {
      assertError(await srv.api(method, p, { token: who.token, body }), 404, 'not_found', undefined, `${method} ${p}`);
    }
    assertError(await srv.api(method, p, { body }), 401, 'unauthenticated');
  }
  assert.equal((await srv.ok(loner, 'GET', '/api/v1/me', undefined, 200)).space, null);
});

test('unlinking clears the next session; a new link starts without one', T, async () => {
  await srv.ok(t1, 'PUT', tpath('next-session'), { at: `${zoneDate(3)}T09:00` }, 200);
  assert.notEqual((await srv.ok(C.b, 'GET', '/api/v1/me', undefined, 200)).space.next_session_at, null);
  await srv.ok(C.b, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
  for (const who of [C.a, C.b]) {
    const me = await srv.ok(who, 'GET', '/api/v1/me', undefined, 200);
    assert.equal(me.space.next_session_at, null);
    assert.equal((await homeKinds(who)).length, 0);
  }
  assertError(await srv.api('PUT', tpath('next-session'), { token: t1.token, body: { at: `${zoneDate(3)}T09:00` } }), 404, 'not_found');
  await linkTherapist(srv, t1, C.a);
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.next_session_at, null);
  const sum = await srv.ok(t1, 'GET', tpath('summary'), undefined, 200);
  assert.equal(sum.last_session_at, null, 'the old link\'s sessions are gone');
});
