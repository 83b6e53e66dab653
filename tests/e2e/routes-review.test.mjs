// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What the routes added by issues 11 and 12 refuse, beyond the authorization matrix:
// - every invalid field at once: a 400 whose `errors` names each invalid field (API.md
//   "Conventions"), the first repeated in `error`; broken JSON is invalid_json;
// - the pages that take input answer 400 and change nothing (the account forms list every
//   problem in their error summary);
// - the pages whose matrix row is the same redirect for everybody (POST /home/dismiss) really
//   leave someone else's card alone.
// Routes whose only input is a checkbox (POST /account/quick-exit, POST /repairs/{}/safety)
// have nothing to refuse: a ticked box is any value, an unticked one is absent.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, TEST_TIMEOUT } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const fieldsOf = (r) => r.json.errors.map((e) => e.field);
const me = async (who) => {
  const r = await srv.api('GET', '/api/v1/me', { token: who.token });
  assert.equal(r.status, 200, r.text);
  return r.json;
};
const homeItems = async (who) => {
  const r = await srv.api('GET', '/api/v1/home', { token: who.token });
  assert.equal(r.status, 200, r.text);
  return r.json.items;
};
/** The partner opens a repair: self gets a "repair_opened" card with the repair's id. */
async function repairOpenedBy(who) {
  const r = await srv.api('POST', '/api/v1/repairs', { token: who.token, body: { title: 'The late dinner' } });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}
/** A check-in of `who`'s with an appreciation, shared with the partner. */
async function sharedCheckin(who) {
  const r = await srv.api('POST', '/api/v1/checkins', {
    token: who.token, body: { mood: 3, connection: 5, secure: 6, appreciation: 'the tea', visibility: 'partner' },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

test('the API routes: every invalid field at once, broken JSON, and nothing changes', T, async () => {
  const c = await srv.makeCouple('rvapi');
  const before0 = await me(c.a);

  let r = await srv.api('PATCH', '/api/v1/me', { token: c.a.token, body: { display_name: '', time_zone: 'Mars/Olympus_Mons', bio: 'x'.repeat(501) } });
  assertError(r, 400, 'invalid_input', 'display_name', 'PATCH /me, three invalid fields');
  assert.deepEqual(fieldsOf(r), ['display_name', 'time_zone', 'bio'], r.text);
  // A valid field beside an invalid one is not applied either (checked below: the account is as before).
  for (const body of [{ display_name: 'Good Name', bio: 'x'.repeat(501) }, { bio: 'A fine bio.', time_zone: 'Mars/Olympus_Mons' }]) {
    r = await srv.api('PATCH', '/api/v1/me', { token: c.a.token, body });
    assertError(r, 400, 'invalid_input', undefined, `PATCH /me ${Object.keys(body)}`);
  }

  r = await srv.api('POST', '/api/v1/home/dismiss', { token: c.a.token, body: { kind: 'no_such_kind', id: 'not-an-id' } });
  assertError(r, 400, 'invalid_input', 'kind', 'POST /home/dismiss, both fields invalid');

  for (const body of [{}, { visibility: 'world' }, { visibility: 3 }]) {
    r = await srv.api('PUT', '/api/v1/me/checkin-visibility', { token: c.a.token, body });
    assertError(r, 400, 'invalid_input', 'visibility', `PUT /me/checkin-visibility ${JSON.stringify(body)}`);
    assert.deepEqual(fieldsOf(r), ['visibility'], r.text);
  }

  const ci = await sharedCheckin(c.a);
  for (const body of [{}, { kind: 'meh' }, { kind: 1 }]) {
    r = await srv.api('POST', `/api/v1/checkins/${ci}/acknowledge`, { token: c.b.token, body });
    assertError(r, 400, 'invalid_input', 'kind', `POST /checkins/{}/acknowledge ${JSON.stringify(body)}`);
    assert.deepEqual(fieldsOf(r), ['kind'], r.text);
  }

  const broken = { rawBody: '{"kind":', headers: { 'Content-Type': 'application/json' } };
  for (const [method, p, who] of [
    ['PATCH', '/api/v1/me', c.a], ['POST', '/api/v1/home/dismiss', c.a],
    ['PUT', '/api/v1/me/checkin-visibility', c.a], ['POST', `/api/v1/checkins/${ci}/acknowledge`, c.b],
  ]) {
    assertError(await srv.api(method, p, { token: who.token, ...broken }), 400, 'invalid_json', undefined, `${method} ${p} broken JSON`);
  }

  assert.deepEqual(await me(c.a), before0, 'no refused request changed the account');
  const mine = await srv.api('GET', `/api/v1/checkins/${ci}`, { token: c.a.token });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.json.acknowledgement, null, 'no refused acknowledgement was stored');
});

test('POST /api/v1/home/dismiss: both invalid fields at once', T, async () => {
  const c = await srv.makeCouple('rvdall');
  const r = await srv.api('POST', '/api/v1/home/dismiss', { token: c.a.token, body: { kind: 'no_such_kind', id: 'not-an-id' } });
  assertError(r, 400, 'invalid_input', 'kind');
  assert.deepEqual(fieldsOf(r), ['kind', 'id'], r.text);
  const typed = await srv.api('POST', '/api/v1/home/dismiss', { token: c.a.token, body: { kind: 1, id: 2 } });
  assertError(typed, 400, 'invalid_input', 'kind');
  assert.deepEqual(fieldsOf(typed), ['kind', 'id'], `wrong types, both named: ${typed.text}`);
});

test('the pages that take input: 400, every problem listed, nothing changes', T, async () => {
  const c = await srv.makeCouple('rvpage');
  const sa = await cookieLogin(srv, c.a.username, c.a.password);
  const sb = await cookieLogin(srv, c.b.username, c.b.password);
  const before0 = await me(c.a);

  // The account's name, zone and bio: one error summary with a link to each field.
  let r = await page(srv, 'POST', '/account/profile', {
    cookie: sa.cookie, form: { csrf: sa.csrf, display_name: '', time_zone: 'Mars/Olympus_Mons', bio: 'x'.repeat(501) },
  });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  const summary = r.text.match(/<div class="error-summary"[\s\S]*?<\/div>/);
  assert.ok(summary, 'an error summary');
  assert.deepEqual([...summary[0].matchAll(/href="#([a-z_]+)"/g)].map((m) => m[1]), ['display_name', 'time_zone', 'bio']);

  r = await page(srv, 'POST', '/account/bio', { cookie: sa.cookie, form: { csrf: sa.csrf, bio: 'x'.repeat(501) } });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(r.text, /<div class="error-summary"[\s\S]*?href="#bio"/);

  r = await page(srv, 'POST', '/account/checkin-visibility', { cookie: sa.cookie, form: { csrf: sa.csrf, visibility: 'world' } });
  assert.equal(r.status, 400, r.text.slice(0, 300));
  assert.match(r.text, /Choose who will see this/);

  r = await page(srv, 'POST', '/home/dismiss', { cookie: sa.cookie, form: { csrf: sa.csrf, kind: 'no_such_kind', id: 'not-an-id' } });
  assert.equal(r.status, 400, r.text.slice(0, 300));

  const ci = await sharedCheckin(c.a);
  r = await page(srv, 'POST', `/checkins/${ci}/acknowledge`, { cookie: sb.cookie, form: { csrf: sb.csrf, kind: 'meh' } });
  assert.equal(r.status, 400, r.text.slice(0, 300));

  assert.deepEqual(await me(c.a), before0, 'no refused form changed the account');
  const mine = await srv.api('GET', `/api/v1/checkins/${ci}`, { token: c.a.token });
  assert.equal(mine.json.acknowledgement, null, 'no refused acknowledgement was stored');
});

test('POST /home/dismiss (page): somebody else\'s card stays; one\'s own goes', T, async () => {
  const c = await srv.makeCouple('rvdis');
  const outsider = await srv.signUp('rvdisout');
  const sa = await cookieLogin(srv, c.a.username, c.a.password);
  const sb = await cookieLogin(srv, c.b.username, c.b.password);
  const so = await cookieLogin(srv, outsider.username, outsider.password);
  const id = await repairOpenedBy(c.b);
  const waiting = async () => (await homeItems(c.a)).some((it) => it.kind === 'repair_opened' && it.id === id);
  assert.ok(await waiting(), 'A has the "repair opened" card');

  // The page answers everybody alike (matrix: 303 /dashboard), so the card itself must tell.
  for (const s of [sb, so]) {
    const r = await page(srv, 'POST', '/home/dismiss', { cookie: s.cookie, form: { csrf: s.csrf, kind: 'repair_opened', id } });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal(r.location, '/dashboard');
    assert.ok(await waiting(), 'a dismissal by somebody else leaves A\'s card');
  }
  const r = await page(srv, 'POST', '/home/dismiss', { cookie: sa.cookie, form: { csrf: sa.csrf, kind: 'repair_opened', id } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/dashboard');
  assert.ok(!(await waiting()), 'A\'s own dismissal sets the card aside');
});
