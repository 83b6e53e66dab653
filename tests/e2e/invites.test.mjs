// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Pending invite codes (API.md "Additions", issue 10 "Invites that die with the situation"):
//   GET /spaces/current/invites -> {items:[{id, created_at, expires_at}], next}: the unused, unexpired codes
//     of the caller's space, newest first - never the code itself;
//   DELETE /spaces/current/invites/{id} -> 204: the code stops working at once;
//   POST /spaces/current/invites also answers the new code's `id` (an addition);
//   a join or a leave voids every pending code of the space.
// Someone else's code, a used, revoked or expired one, and a made-up id are all 404 alike.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertError, assertJsonType, TEST_TIMEOUT, RFC3339_UTC, PG_URL,
} from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

async function ok(who, method, p, body, want) {
  const r = await srv.api(method, p, { token: who && who.token, body });
  assert.equal(r.status, want, `${method} ${p}: ${r.status} ${r.text}`);
  return r;
}
const createSpace = (u) => ok(u, 'POST', '/api/v1/spaces', undefined, 201);
const invite = async (u) => (await ok(u, 'POST', '/api/v1/spaces/current/invites', undefined, 201)).json;
const list = (u, q = '') => srv.api('GET', `/api/v1/spaces/current/invites${q}`, { token: u && u.token });
const revoke = (u, id) => srv.api('DELETE', `/api/v1/spaces/current/invites/${id}`, { token: u && u.token });
const join = (u, code) => srv.api('POST', '/api/v1/spaces/join', { token: u.token, body: { code } });
const pendingIds = async (u) => {
  const r = await list(u, '?limit=100');
  assert.equal(r.status, 200, r.text);
  return r.json.items.map((x) => x.id);
};

test('POST answers the new code with its id; GET lists the pending codes, newest first, never the code', T, async () => {
  const a = await srv.signUp('iva');
  await createSpace(a);
  const empty = await list(a);
  assert.equal(empty.status, 200, empty.text);
  assertJsonType(empty);
  assert.deepEqual(empty.json, { items: [], next: null });

  const made = [];
  for (let i = 0; i < 3; i++) made.push(await invite(a));
  for (const m of made) {
    assert.deepEqual(Object.keys(m).sort(), ['code', 'expires_at', 'id']);
    assert.match(m.id, /^[0-9a-f]{32}$/);
  }
  assert.equal(new Set(made.map((m) => m.id)).size, 3, 'every code has its own id');

  const r = await list(a);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => x.id), made.map((m) => m.id).reverse(), 'newest first');
  assert.equal(r.json.next, null);
  for (const [i, item] of r.json.items.entries()) {
    assert.deepEqual(Object.keys(item).sort(), ['created_at', 'expires_at', 'id'], JSON.stringify(item));
    assert.match(item.created_at, RFC3339_UTC);
    assert.match(item.expires_at, RFC3339_UTC);
    const hours = (Date.parse(item.expires_at) - Date.parse(item.created_at)) / 3600e3;
    assert.ok(Math.abs(hours - 72) < 0.01, `valid 72 h: ${hours}`);
    assert.equal(item.expires_at, made[2 - i].expires_at);
  }
  for (const m of made) {
    assert.ok(!r.text.includes(m.code), 'a code is shown again');
    assert.ok(!r.text.toLowerCase().includes(m.code.toLowerCase().replace(/[^a-z0-9]/g, '')), 'a code is shown again (normalised)');
  }
});

test('pages: ?limit and ?before walk the list; a bad cursor or limit is 400', T, async () => {
  const a = await srv.signUp('ivp');
  await createSpace(a);
  const made = [];
  for (let i = 0; i < 5; i++) made.push((await invite(a)).id);
  const seen = [];
  let q = '?limit=2';
  for (let i = 0; i < 10; i++) {
    const r = await list(a, q);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 2);
    seen.push(...r.json.items.map((x) => x.id));
    if (!r.json.next) break;
    q = `?limit=2&before=${encodeURIComponent(r.json.next)}`;
  }
  assert.deepEqual(seen, [...made].reverse());
  assertError(await list(a, '?limit=0'), 400, 'invalid_input', 'limit');
  assertError(await list(a, '?limit=101'), 400, 'invalid_input', 'limit');
  assertError(await list(a, '?before=nonsense'), 400, 'invalid_input', 'before');
});

test('DELETE revokes: 204, the code stops working at once; again, or made up, or not a code of the space: 404', T, async () => {
  const a = await srv.signUp('iva');
  const other = await srv.signUp('ivo');
  const joiner = await srv.signUp('ivj');
  await createSpace(a);
  await createSpace(other);
  const keep = await invite(a);
  const gone = await invite(a);
  const theirs = await invite(other);

  const r = await revoke(a, gone.id);
  assert.equal(r.status, 204, r.text);
  assert.equal(r.text, '');
  assert.deepEqual(await pendingIds(a), [keep.id]);
  assertError(await join(joiner, gone.code), 404, 'not_found', 'code', 'a revoked code');
  assert.equal((await srv.api('GET', '/api/v1/me', { token: joiner.token })).json.space, null);

  assertError(await revoke(a, gone.id), 404, 'not_found', undefined, 'revoked twice');
  assertError(await revoke(a, '0123456789abcdef0123456789abcdef'), 404, 'not_found', undefined, 'an id never made');
  assertError(await revoke(a, 'not-an-id'), 404, 'not_found', undefined, 'not an id at all');
  // Another space's code: 404 as if it did not exist, and it keeps working for its own space.
  assertError(await revoke(a, theirs.id), 404, 'not_found', undefined, "another space's code");
  assert.deepEqual(await pendingIds(other), [theirs.id]);
  assert.equal((await join(joiner, theirs.code)).status, 200, 'the other space\'s code still works');
  // The code that was kept still works too.
  const late = await srv.signUp('ivl');
  assert.equal((await join(late, keep.code)).status, 200);
});

test('a join voids every other pending code of the space, for both partners to see', T, async () => {
  const a = await srv.signUp('iwa');
  const b = await srv.signUp('iwb');
  const c = await srv.signUp('iwc');
  await createSpace(a);
  const codes = [await invite(a), await invite(a), await invite(a)];
  assert.equal((await join(b, codes[1].code)).status, 200);
  assert.deepEqual(await pendingIds(a), [], 'nothing pending after the join (partner A)');
  assert.deepEqual(await pendingIds(b), [], 'nothing pending after the join (partner B)');
  for (const i of [0, 2]) {
    assertError(await join(c, codes[i].code), 404, 'not_found', 'code', `code ${i} after the join`);
    assertError(await revoke(a, codes[i].id), 404, 'not_found', undefined, `revoking voided code ${i}`);
  }
  assertError(await revoke(a, codes[1].id), 404, 'not_found', undefined, 'revoking the used code');
});

test('a leave voids the pending codes: someone who leaves takes nobody\'s way in along', T, async (t) => {
  // The partner who stays, alone again, makes a code; then the last one out: the space and its codes go.
  const a = await srv.signUp('ila');
  const b = await srv.signUp('ilb');
  const c = await srv.signUp('ilc');
  await createSpace(a);
  assert.equal((await join(b, (await invite(a)).code)).status, 200);
  await ok(b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  const spare = await invite(a);
  assert.deepEqual(await pendingIds(a), [spare.id]);
  await ok(a, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  assertError(await join(c, spare.code), 404, 'not_found', 'code', 'a code of a space everybody left');

  // A space that stays: a pending code in a full space (as a database from before the rule may hold one)
  // is put there with SQL; the leave of one partner voids it.
  const d = await srv.signUp('ild');
  const e = await srv.signUp('ile');
  const space = (await createSpace(d)).json.id;
  assert.equal((await join(e, (await invite(d)).code)).status, 200);
  const id = 'feedfacefeedfacefeedfacefeedface';
  const now = Date.now();
  const put = srv.sql(`INSERT INTO invites (space_id, id, code_hash, created_by, created_at, expires_at)
    VALUES ('${space}', '${id}', 'hand-made-${space}', '${d.id}', ${now}, ${now + 3600e3})`, { optional: true });
  if (put === null) { t.skip(`no ${PG_URL ? 'psql' : 'sqlite3'} to put a code there`); return; }
  assert.deepEqual(await pendingIds(d), [id], 'the code put there by hand is pending');
  await ok(e, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  assert.deepEqual(await pendingIds(d), [], 'the leave voided it');
  assertError(await revoke(d, id), 404, 'not_found');
});

test('an expired code is not pending and cannot be revoked; it is removed when a new code is made', T, async (t) => {
  const a = await srv.signUp('ixa');
  const space = (await createSpace(a)).json.id;
  const old = await invite(a);
  const aged = srv.sql(`UPDATE invites SET created_at = ${Date.now() - 80 * 3600e3}, expires_at = ${Date.now() - 8 * 3600e3} WHERE space_id = '${space}' AND id = '${old.id}'`, { optional: true });
  if (aged === null) { t.skip(`no ${PG_URL ? 'psql' : 'sqlite3'} to age the code`); return; }
  assert.deepEqual(await pendingIds(a), []);
  const fresh = await invite(a);
  assert.deepEqual(await pendingIds(a), [fresh.id]);
  assert.equal(srv.sql(`SELECT count(*) FROM invites WHERE space_id = '${space}' AND id = '${old.id}'`, { optional: true }), '0', 'the expired row is gone');
  assertError(await revoke(a, old.id), 404, 'not_found');
});

test('without a space: 404 for the list and for revoking; anonymous: 401', T, async () => {
  const lone = await srv.signUp('ivn');
  assertError(await list(lone), 404, 'not_found');
  assertError(await revoke(lone, '0123456789abcdef0123456789abcdef'), 404, 'not_found');
  assertError(await list(null), 401, 'unauthenticated');
  assertError(await revoke(null, '0123456789abcdef0123456789abcdef'), 401, 'unauthenticated');
});

test('the page: revoking redirects with a notice; a code no longer pending re-renders the space page with 404 and why', T, async () => {
  const a = await srv.signUp('ipa');
  await createSpace(a);
  const code = await invite(a);
  const s = await cookieLogin(srv, a.username, a.password);
  const listed = await page(srv, 'GET', '/space', { cookie: s.cookie });
  assert.equal(listed.status, 200);
  assert.ok(listed.text.includes(`/space/invites/${code.id}/revoke`), 'the space page has a revoke form for the code');
  assert.ok(!listed.text.includes(code.code), 'the space page never shows the code again');
  const r = await page(srv, 'POST', `/space/invites/${code.id}/revoke`, { cookie: s.cookie, form: { csrf: s.csrf } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/space?revoked=1');
  const after = await page(srv, 'GET', '/space?revoked=1', { cookie: s.cookie });
  assert.ok(after.text.includes('That invite code no longer works.'));
  assert.ok(!after.text.includes(`/space/invites/${code.id}/revoke`), 'the revoked code is no longer listed');
  // Twice (another tab, say): the space page again, 404, with a message in the error summary.
  const again = await page(srv, 'POST', `/space/invites/${code.id}/revoke`, { cookie: s.cookie, form: { csrf: s.csrf } });
  assert.equal(again.status, 404);
  assert.match(again.text, /<h1>Our space<\/h1>/);
  assert.match(again.text, /class="error-summary" role="alert"/);
  assert.ok(again.text.includes('That invite code is no longer waiting: it was used or revoked already.'));
  // Without the CSRF field: refused, and the code (a fresh one) still works.
  const fresh = await invite(a);
  const forged = await page(srv, 'POST', `/space/invites/${fresh.id}/revoke`, { cookie: s.cookie, form: {} });
  assert.equal(forged.status, 403);
  assert.deepEqual(await pendingIds(a), [fresh.id]);
});
