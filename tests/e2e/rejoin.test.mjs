// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Leaving, rejoining and leaving again: the second leave must succeed (it
// once failed on the private copy kept from the first leave), the leaver
// keeps one private copy of each repair with their side, and the partner
// keeps theirs without the leaver's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); }, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

async function ok(method, path, token, body, status = 200) {
  const r = await srv.api(method, path, { token, body });
  assert.equal(r.status, status, `${method} ${path}: ${r.status} ${r.text}`);
  return r.json;
}

async function writeSide(token, id, perspective) {
  await ok('PUT', `/api/v1/repairs/${id}/mine`, token, { feelings: ['hurt'], perspective });
  await ok('POST', `/api/v1/repairs/${id}/mine/submit`, token);
}

test('leave, rejoin, leave again: 204 both times; the leaver keeps one private copy with their side', { timeout: TEST_TIMEOUT }, async () => {
  const a = await srv.signUp('rja');
  const b = await srv.signUp('rjb');
  await ok('POST', '/api/v1/spaces', a.token, undefined, 201);
  const join = async () => {
    const inv = await ok('POST', '/api/v1/spaces/current/invites', a.token, undefined, 201);
    await ok('POST', '/api/v1/spaces/join', b.token, { code: inv.code });
  };
  await join();
  const repair = await ok('POST', '/api/v1/repairs', a.token, { title: 'the late train' }, 201);
  await writeSide(a.token, repair.id, 'A first');
  await writeSide(b.token, repair.id, 'B first');
  const today = await ok('GET', '/api/v1/prompts/today', b.token);
  await ok('POST', `/api/v1/prompts/${today.id}/answer`, b.token, { text: 'B answer one' }, 201);

  await ok('POST', '/api/v1/spaces/current/leave', b.token, undefined, 204);
  await join();
  // Back in the space, B's own kept copy is the one B reads.
  const seen = await ok('GET', `/api/v1/repairs/${repair.id}`, b.token);
  assert.equal(seen.mine?.perspective ?? null, 'B first', 'B sees their own kept copy first');
  const inSpace = await ok('GET', '/api/v1/repairs', b.token);
  assert.ok(inSpace.items.some((x) => x.id === repair.id), 'the repair is listed for B');

  await ok('POST', '/api/v1/spaces/current/leave', b.token, undefined, 204);
  const mine = await ok('GET', '/api/v1/repairs', b.token);
  assert.equal(mine.items.filter((x) => x.id === repair.id).length, 1, 'one copy for the leaver');
  const copy = await ok('GET', `/api/v1/repairs/${repair.id}`, b.token);
  assert.equal(copy.mine.perspective, 'B first');
  assert.equal(copy.partner, null, 'the leaver no longer sees the partner side');
  const theirs = await ok('GET', `/api/v1/repairs/${repair.id}`, a.token);
  assert.equal(theirs.partner, null, 'the partner no longer sees the leaver side');
  assert.equal(theirs.mine.perspective, 'A first');
  const hist = await ok('GET', '/api/v1/prompts/history', b.token);
  assert.ok(hist.items.some((d) => d.mine === 'B answer one'), 'the leaver keeps their answer');
});

test('a new partner never sees what the one who stayed shared with the partner before', { timeout: TEST_TIMEOUT }, async () => {
  const a = await srv.signUp('nwa');
  const b = await srv.signUp('nwb');
  const c = await srv.signUp('nwc');
  await ok('POST', '/api/v1/spaces', b.token, undefined, 201);
  const inv1 = await ok('POST', '/api/v1/spaces/current/invites', b.token, undefined, 201);
  await ok('POST', '/api/v1/spaces/join', a.token, { code: inv1.code });
  const marker = `for-a-only-${Date.now()}`;
  const ci = await ok('POST', '/api/v1/checkins', b.token, { mood: 3, connection: 5, secure: 5, appreciation: marker, visibility: 'partner' }, 201);
  await ok('POST', '/api/v1/agreements', b.token, { text: `agreement ${marker}` }, 201);
  const day = await ok('GET', '/api/v1/prompts/today', b.token);
  await ok('POST', `/api/v1/prompts/${day.id}/answer`, b.token, { text: `answer ${marker}` }, 201);
  await ok('POST', '/api/v1/spaces/current/leave', a.token, undefined, 204);
  const inv2 = await ok('POST', '/api/v1/spaces/current/invites', b.token, undefined, 201);
  await ok('POST', '/api/v1/spaces/join', c.token, { code: inv2.code });
  for (const path of ['/api/v1/checkins?author=all&limit=100', `/api/v1/checkins/${ci.id}`, '/api/v1/agreements', '/api/v1/prompts/history', '/api/v1/prompts/today', '/api/v1/timeline']) {
    const r = await srv.api('GET', path, { token: c.token });
    assert.ok(!r.text.includes(marker), `${path} shows the new partner something written for the old one`);
  }
  // B still has all of it.
  const mine = await ok('GET', '/api/v1/checkins?author=me', b.token);
  assert.ok(mine.items.some((x) => x.appreciation === marker), 'the one who stayed keeps their check-in');
  const ag = await ok('GET', '/api/v1/agreements', b.token);
  assert.ok(ag.items.some((x) => x.text === `agreement ${marker}`), 'the one who stayed keeps their agreement');
  const hist = await ok('GET', '/api/v1/prompts/history', b.token);
  assert.ok(hist.items.some((x) => x.mine === `answer ${marker}`), 'the one who stayed keeps their answer');
});
