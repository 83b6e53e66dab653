// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The access log a couple reads (GET /spaces/current/access-log): one line per
// therapist visit of the couple's page, naming what was looked at, and never
// "viewed safety checks" when there were none (issue 11). Each API read still
// logs itself.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, page, cookieLogin, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
let C;
let ther;

const log = async () => (await srv.ok(C.a, 'GET', '/api/v1/spaces/current/access-log?limit=100', undefined, 200)).items;

before(async () => {
  srv = await startServer();
  C = await srv.makeCouple('alog');
  ther = await addRoleUser(srv, 'alogt', 'therapist', { displayName: 'Dr Log' });
  await linkTherapist(srv, ther, C.a);
  ther.web = await cookieLogin(srv, ther.username, ther.password);
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

test('a page visit writes one line; no safety checks named when there were none', T, async () => {
  const before = (await log()).length;
  const r = await page(srv, 'GET', `/therapist/spaces/${C.spaceId}`, { cookie: ther.web.cookie });
  assert.equal(r.status, 200, r.text.slice(0, 200));
  const items = await log();
  assert.equal(items.length, before + 1, `one line per visit: ${JSON.stringify(items.slice(0, 3))}`);
  assert.equal(items[0].what, 'viewed the check-ins shared with the therapist and the list of repairs');
  assert.ok(!/safety/.test(items.map((x) => x.what).join('\n')), 'no line mentions safety checks');

  const none = await srv.ok(ther, 'GET', `/api/v1/therapist/spaces/${C.spaceId}/safety-checks`, undefined, 200);
  assert.equal(none.items.length, 0);
  const after = await log();
  assert.equal(after.length, before + 2, 'the API read logs itself');
  assert.equal(after[0].what, 'looked for safety checks shared with the therapist; there were none');
});

test('a shared safety check is named on the visit line, with how many', T, async () => {
  await srv.ok(C.a, 'POST', '/api/v1/safety-checks', { afraid: false, pressured: false, share_with_therapist: true }, 201);
  const before = (await log()).length;
  const r = await page(srv, 'GET', `/therapist/spaces/${C.spaceId}`, { cookie: ther.web.cookie });
  assert.equal(r.status, 200);
  const items = await log();
  assert.equal(items.length, before + 1, 'still one line per visit');
  assert.equal(items[0].what,
    'viewed the check-ins shared with the therapist, the list of repairs and 1 shared safety check');
  assert.equal(items[0].who, 'Dr Log');
  const api = await srv.ok(ther, 'GET', `/api/v1/therapist/spaces/${C.spaceId}/safety-checks`, undefined, 200);
  assert.equal(api.items.length, 1);
  assert.equal((await log())[0].what, 'viewed 1 safety check shared with the therapist');
});
