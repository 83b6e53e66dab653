// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Freshness of reads (issue 18): whatever the server keeps or shortens on its read path (the
// check-in list read from two ordered index parts with the replies in the same statement, the
// session read with the person's settings, any cache to come), a read answers with every change
// acknowledged before it was sent. Each test changes something and looks at the very next request:
// a write is visible to either partner, a reply shows in the list, a logout, a password change, an
// ended session, "log out everywhere" and a deleted account end their tokens at once, and a withdrawn
// consent hides the therapist's very next read. Runs on SQLite and, under tests/pg/with-postgres.sh,
// on PostgreSQL. No timing here: the figures are bench/'s.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const STRONG = 'maple kettle orbit lantern';
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const list = async (who, q = 'author=all&limit=20') => (await srv.ok(who, 'GET', `/api/v1/checkins?${q}`, undefined, 200));
const ids = (page) => page.items.map((c) => c.id);
const status = async (token, p = '/api/v1/checkins?author=all&limit=20') => (await srv.api('GET', p, { token })).status;
const post = (who, body) => srv.ok(who, 'POST', '/api/v1/checkins', { mood: 3, connection: 5, secure: 5, visibility: 'partner', ...body }, 201);

test('a check-in, its edit, its reply and its deletion show on the very next read of either partner', T, async () => {
  const c = await srv.makeCouple('fresh');
  const w = await post(c.a, { appreciation: 'the tea this morning' });
  assert.equal(ids(await list(c.a))[0], w.id, 'the author reads it at once');
  assert.equal(ids(await list(c.b))[0], w.id, 'the partner reads it at once');

  await srv.ok(c.a, 'PATCH', `/api/v1/checkins/${w.id}`, { mood: 5, appreciation: 'the tea, and the walk' }, 200);
  for (const who of [c.a, c.b]) {
    const first = (await list(who)).items[0];
    assert.equal(first.mood, 5);
    assert.equal(first.appreciation, 'the tea, and the walk');
  }

  // The reply shows in the list (read with the rows), not only on GET /checkins/{id}.
  assert.equal((await list(c.a)).items[0].acknowledgement, null);
  await srv.ok(c.b, 'POST', `/api/v1/checkins/${w.id}/acknowledge`, { kind: 'thank_you' }, 201);
  for (const who of [c.a, c.b]) {
    const first = (await list(who)).items[0];
    assert.equal(first.id, w.id);
    assert.equal(first.acknowledgement.kind, 'thank_you');
    assert.match(first.acknowledgement.created_at, /Z$/);
  }
  await srv.ok(c.b, 'POST', `/api/v1/checkins/${w.id}/acknowledge`, { kind: 'i_hear_you' }, 201);
  assert.equal((await list(c.a)).items[0].acknowledgement.kind, 'i_hear_you', 'the latest reply');

  // Made private: gone from the partner's next read, still the author's.
  await srv.ok(c.a, 'PATCH', `/api/v1/checkins/${w.id}`, { visibility: 'private' }, 200);
  assert.ok(!ids(await list(c.b)).includes(w.id), 'private now: the partner no longer reads it');
  assert.ok(ids(await list(c.a)).includes(w.id));
  await srv.ok(c.a, 'PATCH', `/api/v1/checkins/${w.id}`, { visibility: 'partner' }, 200);
  assert.ok(ids(await list(c.b)).includes(w.id), 'shared again');

  await srv.ok(c.a, 'DELETE', `/api/v1/checkins/${w.id}`, undefined, 204);
  assert.ok(!ids(await list(c.a)).includes(w.id));
  assert.ok(!ids(await list(c.b)).includes(w.id));
});

test('the list merges both partners newest first, page by page, without a gap or a repeat', T, async () => {
  const c = await srv.makeCouple('merge');
  const written = [];
  for (let i = 0; i < 9; i++) {
    const who = [c.a, c.b, c.b, c.a, c.a, c.b, c.a, c.b, c.a][i];
    written.push(await post(who, { appreciation: `note ${i}`, visibility: i === 4 ? 'private' : 'partner' }));
  }
  const privateId = written[4].id;
  for (const [who, q, want] of [
    [c.a, 'author=all', written.map((w) => w.id)],
    [c.b, 'author=all', written.filter((w) => w.id !== privateId).map((w) => w.id)],
    [c.b, 'author=partner', written.filter((w) => w.author_id === c.a.id && w.id !== privateId).map((w) => w.id)],
    [c.a, 'author=me', written.filter((w) => w.author_id === c.a.id).map((w) => w.id)],
  ]) {
    for (const limit of [1, 2, 4, 20]) {
      const seen = [];
      let next = null;
      for (let n = 0; n < 20; n++) {
        const page = await list(who, `${q}&limit=${limit}${next ? `&before=${encodeURIComponent(next)}` : ''}`);
        assert.ok(page.items.length <= limit);
        seen.push(...ids(page));
        next = page.next;
        if (!next) break;
      }
      assert.deepEqual(seen, [...want].reverse(), `${q}, limit ${limit}`);
    }
  }
});

test('a logout, an ended session and "log out everywhere" end their tokens on the very next request', T, async () => {
  const c = await srv.makeCouple('out');
  const second = (await srv.logIn(c.a.username, c.a.password)).token;
  const third = (await srv.logIn(c.a.username, c.a.password)).token;
  assert.equal(await status(c.a.token), 200);
  assert.equal(await status(second), 200);
  assert.equal(await status(third), 200);

  assert.equal((await srv.api('DELETE', '/api/v1/sessions/current', { token: second })).status, 204);
  assert.equal(await status(second), 401, 'logged out: the very next request');
  assert.equal(await status(c.a.token), 200, 'the others stay');

  const mine = await srv.ok({ token: third }, 'GET', '/api/v1/sessions?limit=100', undefined, 200);
  const current = (await srv.ok({ token: third }, 'GET', '/api/v1/me', undefined, 200));
  assert.ok(current.id);
  const others = mine.items.filter((s) => !s.current);
  assert.ok(others.length >= 1, JSON.stringify(mine));
  const thirdId = mine.items.find((s) => s.current).id;
  assert.equal((await srv.api('DELETE', `/api/v1/sessions/${thirdId}`, { token: c.a.token })).status, 204);
  assert.equal(await status(third), 401, 'the session ended from another one: its very next request');

  const fourth = (await srv.logIn(c.a.username, c.a.password)).token;
  assert.equal(await status(fourth), 200);
  assert.equal((await srv.api('DELETE', '/api/v1/sessions', { token: c.a.token })).status, 204);
  assert.equal(await status(c.a.token), 401, 'log out everywhere: this one');
  assert.equal(await status(fourth), 401, 'log out everywhere: the other one');
  assert.equal(await status(c.b.token), 200, 'the partner is not logged out');
});

test('a password change ends the other sessions at once; this one stays', T, async () => {
  const u = await srv.signUp('pwc');
  const other = (await srv.logIn(u.username, u.password)).token;
  assert.equal(await status(other), 200);
  const r = await srv.api('POST', '/api/v1/me/password', { token: u.token, body: { current: u.password, new: STRONG } });
  assert.equal(r.status, 204, r.text);
  assert.equal(await status(other), 401, 'the other session: its very next request');
  assert.equal(await status(u.token), 200, 'the session that changed it stays');
});

test('a deleted account: its token ends and its check-ins leave the partner\'s very next read', T, async () => {
  const c = await srv.makeCouple('gone');
  const w = await post(c.a, { appreciation: 'before leaving' });
  assert.ok(ids(await list(c.b)).includes(w.id));
  const r = await srv.api('DELETE', '/api/v1/me', { token: c.a.token, body: { password: c.a.password } });
  assert.equal(r.status, 204, r.text);
  assert.equal(await status(c.a.token), 401);
  assert.ok(!ids(await list(c.b)).includes(w.id));
});

test('a withdrawn consent hides the therapist\'s very next read; given again, the next read shows it', T, async () => {
  const ther = await addRoleUser(srv, 'cth', 'therapist', { displayName: 'Dr Fresh' });
  const c = await srv.makeCouple('cons');
  await linkTherapist(srv, ther, c.a);
  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true }, 200);
  const w = await post(c.a, { appreciation: 'for the session', visibility: 'therapist' });
  const path = `/api/v1/therapist/spaces/${c.spaceId}/checkins`;
  const read = async () => srv.api('GET', path, { token: ther.token });
  let r = await read();
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((x) => x.id === w.id), 'consented: the therapist reads it');

  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false }, 200);
  r = await read();
  assert.ok(r.status === 404 || (r.status === 200 && !r.json.items.some((x) => x.id === w.id)),
    `withdrawn: the very next read does not show it (${r.status} ${r.text.slice(0, 200)})`);

  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true }, 200);
  r = await read();
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((x) => x.id === w.id), 'given again: the next read shows it');
});

test('the check-in list has an ETag per reader: 304 while unchanged, a new one after any change of what that reader reads', T, async () => {
  const c = await srv.makeCouple('etag');
  const get = (who, etag) => srv.api('GET', '/api/v1/checkins?author=all&limit=20', {
    token: who.token, headers: etag ? { 'If-None-Match': etag } : {},
  });
  const w = await post(c.a, { appreciation: 'shared with you' });
  const first = await get(c.a);
  assert.equal(first.status, 200);
  const tag = first.headers.get('etag');
  assert.match(tag, /^"[0-9a-f]{32}"$/);
  assert.equal(first.headers.get('cache-control'), 'private, no-cache');

  const same = await get(c.a, tag);
  assert.equal(same.status, 304, 'unchanged: 304');
  assert.equal(same.text, '');
  assert.equal(same.headers.get('etag'), tag);
  assert.equal(same.headers.get('cache-control'), 'private, no-cache');
  assert.equal((await get(c.a, `W/${tag}, "other"`)).status, 304, 'a list of tags, weak or not');
  assert.equal((await get(c.a, '"other"')).status, 200);

  // The partner reads the same check-ins, but never with the author's tag.
  const theirs = await get(c.b);
  assert.equal(theirs.status, 200);
  assert.deepEqual(theirs.json, first.json, 'the same items for both');
  assert.notEqual(theirs.headers.get('etag'), tag, 'a tag per reader');
  assert.equal((await get(c.b, tag)).status, 200);

  // Every change of what a reads: the partner's write, a reply, a privacy change, a deletion.
  let current = tag;
  const changed = async (what) => {
    const r = await get(c.a, current);
    assert.equal(r.status, 200, `${what}: the old tag no longer matches`);
    assert.notEqual(r.headers.get('etag'), current, what);
    current = r.headers.get('etag');
    assert.equal((await get(c.a, current)).status, 304, `${what}: then unchanged again`);
  };
  const theirsW = await post(c.b, { appreciation: 'from the partner' });
  await changed('the partner\'s write');
  await srv.ok(c.b, 'POST', `/api/v1/checkins/${w.id}/acknowledge`, { kind: 'hug' }, 201);
  await changed('the partner\'s reply');
  await srv.ok(c.b, 'PATCH', `/api/v1/checkins/${theirsW.id}`, { visibility: 'private' }, 200);
  await changed('the partner made theirs private');
  await srv.ok(c.a, 'DELETE', `/api/v1/checkins/${w.id}`, undefined, 204);
  await changed('a deletion');
  assert.equal((await srv.api('GET', '/api/v1/checkins?author=all&limit=20', { token: 'x'.repeat(43), headers: { 'If-None-Match': current } })).status, 401,
    'a tag opens nothing without a session');
});
