// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The home's cards from the API (API.md "Additions", Home; issue 11):
//   GET /home -> {items:[{kind, id, since, href}]}, newest first, computed only from what the caller may
//   see; POST /home/dismiss {kind, id} -> 204 sets a card aside until something newer happens to it.
// Every kind this server makes appears for the right person only (never for the partner when it concerns
// a draft or a private item), goes away when acted on, and can be dismissed; the validation answers 400
// with the error shape, a card that does not wait 404.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertError, assertJsonType, TEST_TIMEOUT, RFC3339_UTC,
} from './lib/server.mjs';
import { addRoleUser, cookieLogin, page, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

async function home(who) {
  const r = await srv.call(who, 'GET', '/api/v1/home');
  assert.equal(r.status, 200, `GET /home: ${r.status} ${r.text}`);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json), ['items']);
  for (const it of r.json.items) {
    assert.deepEqual(Object.keys(it).sort(), ['href', 'id', 'kind', 'since'], JSON.stringify(it));
    assert.match(it.id, /^[0-9a-f]{32}$/);
    assert.match(it.since, RFC3339_UTC);
    assert.match(it.href, /^\/[a-z]/);
  }
  const times = r.json.items.map((it) => Date.parse(it.since));
  assert.deepEqual(times, [...times].sort((x, y) => y - x), `newest first: ${r.text}`);
  return r.json.items;
}
const kinds = (items) => items.map((it) => it.kind).sort();
const find = (items, kind, id) => items.find((it) => it.kind === kind && (id === undefined || it.id === id));
const dismiss = (who, kind, id) => srv.call(who, 'POST', '/api/v1/home/dismiss', { kind, id });

/** Today's question is answered by both (so that it does not get in the way of what a test looks at). */
async function answerToday(...people) {
  for (const who of people) {
    const today = await srv.ok(who, 'GET', '/api/v1/prompts/today', undefined, 200);
    if (!today.mine) await srv.ok(who, 'POST', `/api/v1/prompts/${today.id}/answer`, { text: 'an answer' }, 201);
  }
}

async function feelingWord() {
  const f = await srv.ok(null, 'GET', '/api/v1/feelings', undefined, 200);
  return f.groups[0].words[0];
}

test('a new member alone: today\'s question waits; the shape; a private check-in makes no card', T, async () => {
  const a = await srv.signUp('hsolo');
  let items = await home(a);
  assert.deepEqual(kinds(items), ['prompt_unanswered']);
  assert.equal(items[0].href, '/prompts');
  const today = await srv.ok(a, 'GET', '/api/v1/prompts/today', undefined, 200);
  assert.equal(items[0].id, today.id, 'the card names the day\'s prompt');
  await srv.ok(a, 'POST', '/api/v1/checkins', { mood: 3, connection: 5, secure: 5, worry: 'w', visibility: 'private' }, 201);
  await srv.ok(a, 'POST', `/api/v1/prompts/${today.id}/answer`, { text: 'mine' }, 201);
  items = await home(a);
  assert.deepEqual(items, [], 'answered: nothing waits');
});

test('a repair: opened, the partner\'s turn, revealed, acknowledged — each for the right partner only', T, async () => {
  const c = await srv.makeCouple('hrep');
  await answerToday(c.a, c.b);
  const word = await feelingWord();
  // Partner A's joining card for... A created the space, B joined: A is told, B is not.
  assert.deepEqual(kinds(await home(c.a)), ['partner_joined']);
  assert.equal(find(await home(c.a), 'partner_joined').id, c.b.id);
  assert.deepEqual(kinds(await home(c.b)), []);
  assert.equal((await dismiss(c.a, 'partner_joined', c.b.id)).status, 204);

  const rep = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: 'the holidays talk' }, 201);
  assert.deepEqual(kinds(await home(c.a)), [], 'the one who opened it is not told');
  let items = await home(c.b);
  assert.deepEqual(kinds(items), ['repair_opened']);
  assert.equal(items[0].id, rep.id);
  assert.equal(items[0].href, `/repairs/${rep.id}`);

  // A's draft is never shown: B's card stays "opened", nothing more.
  await srv.ok(c.a, 'PUT', `/api/v1/repairs/${rep.id}/mine`, { feelings: [word], perspective: 'draft words' }, 200);
  assert.deepEqual(kinds(await home(c.b)), ['repair_opened'], 'a draft changes nothing for the partner');

  await srv.ok(c.a, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`, undefined, 200);
  items = await home(c.b);
  assert.deepEqual(kinds(items), ['repair_your_turn']);
  assert.equal(items[0].href, `/repairs/${rep.id}`);
  assert.deepEqual(kinds(await home(c.a)), [], 'A shared: nothing waits for A');

  // B writes a draft: still B's turn.
  await srv.ok(c.b, 'PUT', `/api/v1/repairs/${rep.id}/mine`, { feelings: [word], perspective: 'mine' }, 200);
  assert.deepEqual(kinds(await home(c.b)), ['repair_your_turn']);
  await srv.ok(c.b, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`, undefined, 200);
  assert.deepEqual(kinds(await home(c.a)), ['repair_revealed']);
  assert.deepEqual(kinds(await home(c.b)), ['repair_revealed']);

  await srv.ok(c.a, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, { note: 'I hear you' }, 200);
  assert.deepEqual(kinds(await home(c.a)), [], 'A acknowledged: A\'s card went');
  items = await home(c.b);
  assert.deepEqual(kinds(items), ['acknowledged', 'repair_revealed']);
  assert.equal(find(items, 'acknowledged').href, `/repairs/${rep.id}`);
  await srv.ok(c.b, 'POST', `/api/v1/repairs/${rep.id}/acknowledge`, {}, 200);
  assert.deepEqual(kinds(await home(c.b)), ['acknowledged']);
  assert.deepEqual(kinds(await home(c.a)), ['acknowledged']);
  // The acknowledgement is read: set aside, it stays away.
  assert.equal((await dismiss(c.b, 'acknowledged', rep.id)).status, 204);
  assert.deepEqual(kinds(await home(c.b)), []);
  assert.deepEqual(kinds(await home(c.a)), ['acknowledged'], 'B\'s dismissal is B\'s alone');
});

test('today\'s question: nobody yet, then the partner answered; an acknowledgement of my answer', T, async () => {
  const c = await srv.makeCouple('hq');
  await dismiss(c.a, 'partner_joined', c.b.id);
  const today = await srv.ok(c.a, 'GET', '/api/v1/prompts/today', undefined, 200);
  for (const who of [c.a, c.b]) {
    const items = await home(who);
    assert.deepEqual(kinds(items), ['prompt_unanswered']);
    assert.equal(items[0].id, today.id, 'the same prompt for both');
  }
  await srv.ok(c.a, 'POST', `/api/v1/prompts/${today.id}/answer`, { text: 'secret-answer-of-a' }, 201);
  assert.deepEqual(kinds(await home(c.a)), [], 'answered: A\'s card went');
  const raw = await srv.call(c.b, 'GET', '/api/v1/home');
  assert.deepEqual(kinds(raw.json.items), ['prompt_partner_answered']);
  assert.ok(!raw.text.includes('secret-answer-of-a'), 'the card never holds the answer');
  await srv.ok(c.b, 'POST', `/api/v1/prompts/${today.id}/answer`, { text: 'b' }, 201);
  assert.deepEqual(kinds(await home(c.b)), []);
  await srv.ok(c.b, 'POST', `/api/v1/prompts/${today.id}/acknowledge`, { kind: 'hug' }, 201);
  const items = await home(c.a);
  assert.deepEqual(kinds(items), ['acknowledged']);
  assert.equal(items[0].id, today.id);
  assert.equal(items[0].href, '/prompts/history');
  assert.deepEqual(kinds(await home(c.b)), [], 'B sent it: nothing for B');
});

test('a reply to my check-in\'s appreciation: a card for me that leads to that check-in, none for the partner', T, async () => {
  const c = await srv.makeCouple('hck');
  await answerToday(c.a, c.b);
  await dismiss(c.a, 'partner_joined', c.b.id);
  const ci = await srv.ok(c.a, 'POST', '/api/v1/checkins', {
    mood: 4, connection: 7, secure: 8, appreciation: 'secret-appreciation-of-a', worry: 'secret-worry-of-a',
    visibility: { appreciation: 'partner', worry: 'private' },
  }, 201);
  assert.deepEqual(kinds(await home(c.a)), [], 'a check-in alone makes no card');
  await srv.ok(c.b, 'POST', `/api/v1/checkins/${ci.id}/acknowledge`, { kind: 'thank_you' }, 201);
  const raw = await srv.call(c.a, 'GET', '/api/v1/home');
  assert.deepEqual(kinds(raw.json.items), ['acknowledged']);
  assert.equal(raw.json.items[0].id, ci.id);
  assert.equal(raw.json.items[0].href, `/checkins#checkin-${ci.id}`);
  assert.ok(!raw.text.includes('secret-'), 'the card never holds what was written');
  assert.deepEqual(kinds(await home(c.b)), [], 'B sent it: nothing for B');
  const web = await cookieLogin(srv, c.a.username, c.a.password);
  const dash = await page(srv, 'GET', '/dashboard', { cookie: web.cookie });
  assert.match(dash.text, /answered the appreciation in your check-in/);
  const list = await page(srv, 'GET', '/checkins', { cookie: web.cookie });
  assert.ok(list.text.includes(`id="checkin-${ci.id}"`), 'the card\'s link lands on that check-in');
  assert.equal((await dismiss(c.a, 'acknowledged', ci.id)).status, 204);
  assert.deepEqual(kinds(await home(c.a)), []);
});

test('an agreement due for a look back waits for both; a review takes it away', T, async () => {
  const c = await srv.makeCouple('hag');
  await answerToday(c.a, c.b);
  await dismiss(c.a, 'partner_joined', c.b.id);
  const g = await srv.ok(c.a, 'POST', '/api/v1/agreements', { text: 'we text when late', review_every_days: 7 }, 201);
  assert.deepEqual(kinds(await home(c.a)), []);
  srv.sql(`UPDATE agreements SET next_review_on = '2020-01-01', status = 'active' WHERE id = '${g.id}'`);
  for (const who of [c.a, c.b]) {
    const items = await home(who);
    assert.deepEqual(kinds(items), ['agreement_review_due']);
    assert.equal(items[0].id, g.id);
    assert.equal(items[0].href, '/agreements');
  }
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' }, 201);
  assert.deepEqual(kinds(await home(c.a)), [], 'looked back: the card went for both');
  assert.deepEqual(kinds(await home(c.b)), []);
});

test('the therapist asks for consent: the partner who has not decided is asked; deciding takes it away', T, async () => {
  const ther = await addRoleUser(srv, 'hther', 'therapist', { displayName: 'Dr Home' });
  const c = await srv.makeCouple('hcon');
  await answerToday(c.a, c.b);
  await dismiss(c.a, 'partner_joined', c.b.id);
  await linkTherapist(srv, ther, c.a);
  assert.deepEqual(kinds(await home(c.a)), [], 'the one who linked consents already');
  const items = await home(c.b);
  assert.deepEqual(kinds(items), ['consent_requested']);
  assert.equal(items[0].href, '/space');
  assert.deepEqual(await home(ther), [], 'the therapist\'s home is their practice: no couple cards');
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false }, 200);
  assert.deepEqual(kinds(await home(c.b)), [], 'said no: decided, the card went');
});

test('a partner leaves: the one who stays is told, with a dismissal; a new join is news again', T, async () => {
  const c = await srv.makeCouple('hleave');
  await answerToday(c.a, c.b);
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  let items = await home(c.a);
  const left = find(items, 'partner_left');
  assert.ok(left, `A is told: ${JSON.stringify(items)}`);
  assert.equal(left.href, '/space');
  assert.ok(!find(await home(c.b), 'partner_left'), 'the one who left is not told');
  // The page says who and when, kindly.
  const st = await cookieLogin(srv, c.a.username, c.a.password);
  const dash = await page(srv, 'GET', '/dashboard', { cookie: st.cookie });
  assert.equal(dash.status, 200);
  assert.ok(dash.text.includes(`${c.b.display_name} left the space on`), 'the card names who left');
  assert.ok(dash.text.includes('Your words stay yours.'));
  // Dismissed, it stays away.
  assert.equal((await dismiss(c.a, 'partner_left', left.id)).status, 204);
  assert.ok(!find(await home(c.a), 'partner_left'));
  // The partner_joined card A dismissed comes back when B joins again (something new happened).
  assert.equal((await dismiss(c.a, 'partner_joined', c.b.id)).status, 404, 'no such card waits now');
  const inv = await srv.ok(c.a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  await srv.ok(c.b, 'POST', '/api/v1/spaces/join', { code: inv.code }, 200);
  items = await home(c.a);
  assert.ok(find(items, 'partner_joined', c.b.id), `B joined again: ${JSON.stringify(items)}`);
  assert.equal((await dismiss(c.a, 'partner_joined', c.b.id)).status, 204);
  assert.ok(!find(await home(c.a), 'partner_joined'));
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  srv.sql(`UPDATE space_members SET joined_at = joined_at - 1 WHERE user_id = '${c.a.id}'`);
  const inv2 = await srv.ok(c.a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  await new Promise((res) => setTimeout(res, 5));
  await srv.ok(c.b, 'POST', '/api/v1/spaces/join', { code: inv2.code }, 200);
  assert.ok(find(await home(c.a), 'partner_joined', c.b.id), 'a newer join brings the dismissed card back');
  assert.equal(find(await home(c.a), 'partner_left').id !== left.id, true, 'a second leave is a new card');
});

test('after a partner left, the shared history no longer says "both"', T, async () => {
  const c = await srv.makeCouple('hboth');
  await answerToday(c.a, c.b);
  // A day's question sits at its noon on the timeline: move it to a day long past.
  const day = (await srv.ok(c.a, 'GET', '/api/v1/prompts/today', undefined, 200)).id;
  srv.sql(`UPDATE prompt_answers SET date = '2020-01-02' WHERE day_id = '${day}'`);
  srv.sql(`UPDATE prompt_days SET date = '2020-01-02' WHERE id = '${day}'`);
  let tl = await srv.ok(c.a, 'GET', '/api/v1/timeline?limit=100', undefined, 200);
  assert.ok(tl.items.some((it) => it.type === 'prompt' && it.who === 'both'), 'both answered: "both"');
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  tl = await srv.ok(c.a, 'GET', '/api/v1/timeline?limit=100', undefined, 200);
  assert.ok(!tl.items.some((it) => it.who === 'both'), `after the leave: ${JSON.stringify(tl.items)}`);
  const st = await cookieLogin(srv, c.a.username, c.a.password);
  const html = (await page(srv, 'GET', '/timeline', { cookie: st.cookie })).text;
  assert.ok(!html.includes('Both of you'), 'the timeline page does not say "Both of you"');
});

test('never a card from the partner\'s private or draft items', T, async () => {
  const c = await srv.makeCouple('hpriv');
  await answerToday(c.a, c.b);
  await dismiss(c.a, 'partner_joined', c.b.id);
  const word = await feelingWord();
  await srv.ok(c.a, 'POST', '/api/v1/checkins', { mood: 2, connection: 2, secure: 2, worry: 'private-worry', visibility: 'private' }, 201);
  await srv.ok(c.a, 'POST', '/api/v1/safety-checks', { afraid: true, pressured: false }, 201);
  // A solo reflection before the partner joined is A's alone.
  const solo = await srv.signUp('hsolo2');
  await answerToday(solo);
  const sr = await srv.ok(solo, 'POST', '/api/v1/repairs', { title: 'alone' }, 201);
  await srv.ok(solo, 'PUT', `/api/v1/repairs/${sr.id}/mine`, { feelings: [word], perspective: 'p' }, 200);
  const r = await srv.call(c.b, 'GET', '/api/v1/home');
  assert.deepEqual(r.json.items, [], `B: ${r.text}`);
  assert.deepEqual(await home(c.a), []);
});

test('POST /home/dismiss: validation (400, the error shape), a card that does not wait (404), others\' cards', T, async () => {
  const c = await srv.makeCouple('hval');
  const today = await srv.ok(c.a, 'GET', '/api/v1/prompts/today', undefined, 200);
  let r = await dismiss(c.a, 'no_such_kind', today.id);
  assertError(r, 400, 'invalid_input', 'kind');
  r = await dismiss(c.a, 'prompt_unanswered', 'not-an-id');
  assertError(r, 400, 'invalid_input', 'id');
  r = await srv.call(c.a, 'POST', '/api/v1/home/dismiss', {});
  assertError(r, 400, 'invalid_input', 'kind');
  r = await srv.call(c.a, 'POST', '/api/v1/home/dismiss', { kind: 'prompt_unanswered' });
  assertError(r, 400, 'invalid_input', 'id');
  r = await srv.call(c.a, 'POST', '/api/v1/home/dismiss', { kind: 7, id: today.id });
  assertError(r, 400, 'invalid_input', 'kind');
  r = await srv.api('POST', '/api/v1/home/dismiss', { token: c.a.token, rawBody: 'not json', headers: { 'Content-Type': 'application/json' } });
  assertError(r, 400, 'invalid_json');
  // A kind of the contract that has no card here, and a well-formed id of nothing: 404.
  r = await dismiss(c.a, 'homework', today.id);
  assertError(r, 404, 'not_found');
  r = await dismiss(c.a, 'prompt_unanswered', '0123456789abcdef0123456789abcdef');
  assertError(r, 404, 'not_found');
  // B's "partner joined" is nobody's; A's is A's: B cannot set it aside.
  r = await dismiss(c.b, 'partner_joined', c.b.id);
  assertError(r, 404, 'not_found');
  assert.ok(find(await home(c.a), 'partner_joined'));
  // Dismissing works once and again (idempotent), and only for the one who asked.
  assert.equal((await dismiss(c.a, 'prompt_unanswered', today.id)).status, 204);
  assert.equal((await dismiss(c.a, 'prompt_unanswered', today.id)).status, 204);
  assert.ok(!find(await home(c.a), 'prompt_unanswered'));
  assert.ok(find(await home(c.b), 'prompt_unanswered'), 'B still sees today\'s question');
  // When B answers, A's card becomes a new one: "your partner answered".
  await srv.ok(c.b, 'POST', `/api/v1/prompts/${today.id}/answer`, { text: 'b' }, 201);
  assert.ok(find(await home(c.a), 'prompt_partner_answered', today.id));
  // Without a session: 401.
  r = await srv.api('GET', '/api/v1/home');
  assertError(r, 401, 'unauthenticated');
});

test('GET /me carries quick_exit_signs_out; the account page sets it', T, async () => {
  const a = await srv.signUp('hqx');
  let me = await srv.ok(a, 'GET', '/api/v1/me', undefined, 200);
  assert.equal(me.quick_exit_signs_out, false);
  const st = await cookieLogin(srv, a.username, a.password);
  let r = await page(srv, 'POST', '/account/quick-exit', { cookie: st.cookie, form: { csrf: st.csrf, quick_exit_signs_out: '1' } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/account?quick_exit=saved');
  me = await srv.ok(a, 'GET', '/api/v1/me', undefined, 200);
  assert.equal(me.quick_exit_signs_out, true);
  const acc = await page(srv, 'GET', '/account', { cookie: st.cookie });
  assert.match(acc.text, /data-sign-out="[^"]+"/, 'the quick-exit link carries the sign-out token');
  r = await page(srv, 'POST', '/account/quick-exit', { cookie: st.cookie, form: { csrf: st.csrf } });
  assert.equal(r.status, 303);
  me = await srv.ok(a, 'GET', '/api/v1/me', undefined, 200);
  assert.equal(me.quick_exit_signs_out, false);
  const acc2 = await page(srv, 'GET', '/account', { cookie: st.cookie });
  assert.ok(!acc2.text.includes('data-sign-out'), 'setting off: no token on the link');
});
