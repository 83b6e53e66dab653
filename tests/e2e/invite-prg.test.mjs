// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Making an invite code on the space page is POST-redirect-GET (issue 11):
// POST /space/invite answers 303 /space?invited=1, the page after it shows the
// new code once (a flash of this session, never in the URL), and reloading it
// makes no other code and shows the code no more.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { page, cookieLogin } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const CODE = /class="invite-code">([A-Z0-9-]{14})</;
let srv;

before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

test('POST /space/invite redirects; the code shows once; a reload makes no other', T, async () => {
  const u = await srv.signUp('prg');
  assert.equal((await srv.api('POST', '/api/v1/spaces', { token: u.token })).status, 201);
  const web = await cookieLogin(srv, u.username, u.password);
  const other = await cookieLogin(srv, u.username, u.password);

  const post = await page(srv, 'POST', '/space/invite', { cookie: web.cookie, form: { csrf: web.csrf } });
  assert.equal(post.status, 303, post.text.slice(0, 200));
  assert.equal(post.location, '/space?invited=1', 'no code in the URL');
  assert.ok(!CODE.test(post.text), 'the redirect carries no code');

  // Another session of the same person does not get this session's flash.
  const elsewhere = await page(srv, 'GET', '/space?invited=1', { cookie: other.cookie });
  assert.ok(!CODE.test(elsewhere.text), 'another session sees no code');

  const shown = await page(srv, 'GET', post.location, { cookie: web.cookie });
  assert.equal(shown.status, 200);
  const m = CODE.exec(shown.text);
  assert.ok(m, 'the code shows after the redirect');

  const reload = await page(srv, 'GET', post.location, { cookie: web.cookie });
  assert.equal(reload.status, 200);
  assert.ok(!CODE.test(reload.text), 'a reload shows the code no more');
  const pending = await srv.api('GET', '/api/v1/spaces/current/invites', { token: u.token });
  assert.equal(pending.json.items.length, 1, 'one code, however often the page is reloaded');

  // The code shown works.
  const b = await srv.signUp('prgb');
  const join = await srv.api('POST', '/api/v1/spaces/join', { token: b.token, body: { code: m[1] } });
  assert.equal(join.status, 200, join.text);
});
