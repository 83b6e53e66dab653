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
//
// The server runs with its cache of rendered answers on (the default; http/cache.h), so every test
// here also checks the cache: the list and the dashboard are read twice before each change (the
// second read is a hit, counted in /metrics), and the read after the change must show it. The cache
// is keyed by change counters that database triggers raise (migration 030). A deleted account (by the
// API or the page) leaves the caches of rendered answers and of opened values empty at once. The person a
// session reads as is kept by the same counters: a new name, zone or language, or a partner leaving,
// shows on the very next read. The last tests check
// that every table is counted or deliberately left out, and that a second server process on the
// same database sees the first one's writes at once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT, PG_URL } from './lib/server.mjs';
import { addRoleUser, linkTherapist, cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const STRONG = 'maple kettle orbit lantern';
let srv;
const METRICS = 'cache-test-metrics-token-0123456789';
before(async () => { srv = await startServer({ env: { HEARTH_METRICS_TOKEN: METRICS, HEARTH_METRICS_LISTEN: 'off' } }); }, T);
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

// ---- the cache of rendered answers (issue 18) -------------------------------------------------

const cacheHits = async (at = srv) => {
  const r = await at.api('GET', '/metrics', { token: METRICS });
  assert.equal(r.status, 200, r.text);
  const m = /hearth_test_cache_lookups_total\{result="hit"\} (\d+)/.exec(r.text);
  assert.ok(m, 'the cache is on and counted in /metrics (a build with -Dtest_hooks=true)');
  return Number(m[1]);
};
const dashboard = async (who, at = srv) => {
  const r = await at.api('GET', '/dashboard', { headers: { Cookie: `hearth_session=${who.token}` } });
  assert.equal(r.status, 200, `the dashboard: ${r.status} ${r.text.slice(0, 200)}`);
  return r.text;
};
// Reads the list and the dashboard until one round serves both from the cache. The day's first
// dashboard writes the day's question (which raises the space's counter once), and a page's key
// holds the current minute, so a round that straddles a minute or follows such a write misses
// honestly; five rounds without one served twice means the cache is not serving.
const warm = async (who, at = srv) => {
  for (let round = 0; round < 5; round++) {
    const before = await cacheHits(at);
    await at.ok(who, 'GET', '/api/v1/checkins?author=all&limit=20', undefined, 200);
    await dashboard(who, at);
    if (await cacheHits(at) >= before + 2) return;
  }
  assert.fail('the second reads were served from the cache');
};

test('with the cache on, a write by either partner shows in the other\'s very next list and dashboard', T, async () => {
  const c = await srv.makeCouple('cachew');
  for (const [writer, reader, n] of [[c.a, c.b, 1], [c.b, c.a, 2], [c.a, c.b, 3]]) {
    await warm(reader);
    await warm(writer);
    const words = `kept fresh ${n} ${Date.now()}`;
    const w = await post(writer, { appreciation: words });
    assert.equal(ids(await list(reader))[0], w.id, `write ${n}: the partner's very next list`);
    assert.ok((await dashboard(reader)).includes(words), `write ${n}: the partner's very next dashboard`);
    assert.equal(ids(await list(writer))[0], w.id, `write ${n}: the writer's very next list`);
    assert.ok((await dashboard(writer)).includes(words), `write ${n}: the writer's very next dashboard`);

    // A reply, an edit and a deletion, each read right after by the other partner.
    await warm(writer);
    await srv.ok(reader, 'POST', `/api/v1/checkins/${w.id}/acknowledge`, { kind: 'thank_you' }, 201);
    assert.equal((await list(writer)).items[0].acknowledgement?.kind, 'thank_you', `write ${n}: the reply`);
    await warm(reader);
    await srv.ok(writer, 'PATCH', `/api/v1/checkins/${w.id}`, { appreciation: `${words}, edited` }, 200);
    assert.ok((await dashboard(reader)).includes(`${words}, edited`), `write ${n}: the edit on the dashboard`);
    await warm(reader);
    await srv.ok(writer, 'PATCH', `/api/v1/checkins/${w.id}`, { visibility: 'private' }, 200);
    assert.ok(!ids(await list(reader)).includes(w.id), `write ${n}: made private`);
    assert.ok(!(await dashboard(reader)).includes(words), `write ${n}: made private, gone from the dashboard`);
  }
});

// The caches of plaintext, as /metrics counts them: kept answers' bytes, opened values.
const plaintextKept = async () => {
  const r = await srv.api('GET', '/metrics', { token: METRICS });
  assert.equal(r.status, 200, r.text);
  const num = (re) => { const m = re.exec(r.text); assert.ok(m, `${re} in /metrics`); return Number(m[1]); };
  return { answers: num(/^hearth_test_cache_bytes (\d+)$/m), opened: num(/^hearth_test_opened_entries (\d+)$/m) };
};

test('with the cache on, a deleted account leaves none of its texts in the server\'s memory', T, async () => {
  // Through the API and through the page's form: both must wipe.
  for (const how of ['api', 'page']) {
    const c = await srv.makeCouple(`cacheg${how}`);
    const words = `only ever here ${how} ${Date.now()}`;
    await post(c.a, { appreciation: words });
    await warm(c.b);
    assert.ok((await dashboard(c.b)).includes(words));
    const kept = await plaintextKept();
    assert.ok(kept.answers > 0 && kept.opened > 0, `${how}: both caches hold something: ${JSON.stringify(kept)}`);
    if (how === 'api') {
      const r = await srv.api('DELETE', '/api/v1/me', { token: c.a.token, body: { password: c.a.password } });
      assert.equal(r.status, 204, r.text);
    } else {
      const b = await cookieLogin(srv, c.a.username, c.a.password);
      const del = await page(srv, 'POST', '/account/delete', { cookie: b.cookie, form: { csrf: b.csrf, password: c.a.password } });
      assert.equal(del.status, 303, del.text.slice(0, 300));
      assert.equal(del.location, '/?deleted=1');
    }
    assert.deepEqual(await plaintextKept(), { answers: 0, opened: 0 }, `${how}: wiped with the deletion`);
    assert.ok(!(await dashboard(c.b)).includes(words), `${how}: and gone from the partner's next dashboard`);
  }
});

test('with the cache on, the partner\'s new name shows on the very next dashboard', T, async () => {
  const c = await srv.makeCouple('cachen');
  await warm(c.a);
  const name = `Robin ${Date.now() % 100000}`;
  await srv.ok(c.b, 'PATCH', '/api/v1/me', { display_name: name }, 200);
  assert.ok((await dashboard(c.a)).includes(name), 'the partner\'s new name');
  await warm(c.b);
  const mine = `Sasha ${Date.now() % 100000}`;
  await srv.ok(c.b, 'PATCH', '/api/v1/me', { display_name: mine }, 200);
  assert.ok((await dashboard(c.a)).includes(mine), 'changed again');
});

test('with the cache on, the person a session reads as follows every change at once: names, zone, language, a partner leaving', T, async () => {
  // The session is read on every request; the person, their settings, space and partner are kept by
  // the change counters (domain/account.c) and must be read again whenever one of them changes.
  const c = await srv.makeCouple('cachev');
  const me = (who) => srv.ok(who, 'GET', '/api/v1/me', undefined, 200);
  const first = await me(c.a);
  await me(c.b);
  assert.deepEqual(await me(c.a), first, 'read again unchanged: the same');
  const zone = first.time_zone;

  await srv.ok(c.a, 'PATCH', '/api/v1/me', { display_name: 'Ari', time_zone: 'Asia/Tokyo', language: 'de' }, 200);
  let m = await me(c.a);
  assert.deepEqual([m.display_name, m.time_zone, m.language, m.content_language], ['Ari', 'Asia/Tokyo', 'de', 'de']);
  assert.equal((await me(c.b)).space.partner.display_name, 'Ari', 'the partner reads the new name at once');

  await srv.ok(c.b, 'PATCH', '/api/v1/me', { display_name: 'Bo' }, 200);
  assert.equal((await me(c.a)).space.partner.display_name, 'Bo');

  await srv.ok(c.a, 'PATCH', '/api/v1/me', { time_zone: null, language: null }, 200);
  m = await me(c.a);
  assert.deepEqual([m.display_name, m.time_zone, m.language], ['Ari', zone, null], 'back to the space\'s zone');

  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  m = await me(c.a);
  assert.equal(m.space.id, c.spaceId);
  assert.equal(m.space.partner, null, 'the partner who left is gone from the very next read');
  assert.equal((await me(c.b)).space, null, 'and they have no space');
});

test('with the cache on, a logout ends the very next request of a warm session, list and page alike', T, async () => {
  const c = await srv.makeCouple('cacheo');
  const s = await srv.logIn(c.a.username, c.a.password);
  const who = { token: s.token };
  await warm(who);
  assert.equal((await srv.api('DELETE', '/api/v1/sessions/current', { token: s.token })).status, 204);
  assert.equal(await status(s.token), 401, 'the list: 401 at once');
  const page = await srv.api('GET', '/dashboard', { headers: { Cookie: `hearth_session=${s.token}` } });
  assert.equal(page.status, 303, 'the dashboard sends to the sign-in page at once');
  assert.equal(page.headers.get('location'), '/login');
  await warm(c.a); // the person's other session is untouched
});

test('with the cache on, two sessions of one person and two people never share an answer', T, async () => {
  const c = await srv.makeCouple('caches');
  await post(c.a, { appreciation: 'only mine', visibility: 'private' });
  const second = { token: (await srv.logIn(c.a.username, c.a.password)).token };
  await warm(c.a);
  await warm(second);
  await warm(c.b);
  const pa = await dashboard(c.a), p2 = await dashboard(second), pb = await dashboard(c.b);
  const csrf = (html) => /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  assert.ok(csrf(pa) && csrf(p2) && csrf(pa) !== csrf(p2), 'each session\'s page carries its own CSRF token');
  assert.ok(pa.includes('only mine') && !pb.includes('only mine'), 'the partner never gets the author\'s page');
  assert.ok(!ids(await list(c.b)).length || !(await list(c.b)).items.some((x) => x.appreciation === 'only mine'));
});

test('with the cache on, a withdrawn consent hides the therapist\'s very next read after warm member reads', T, async () => {
  const ther = await addRoleUser(srv, 'cct', 'therapist', { displayName: 'Dr Cache' });
  const c = await srv.makeCouple('cachec');
  await linkTherapist(srv, ther, c.a);
  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true }, 200);
  const w = await post(c.a, { appreciation: 'for the session too', visibility: 'therapist' });
  const path = `/api/v1/therapist/spaces/${c.spaceId}/checkins`;
  for (let i = 0; i < 2; i++) {
    const r = await srv.api('GET', path, { token: ther.token });
    assert.ok(r.json.items.some((x) => x.id === w.id));
  }
  await warm(c.a);
  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false }, 200);
  const r = await srv.api('GET', path, { token: ther.token });
  assert.ok(r.status === 404 || (r.status === 200 && !r.json.items.some((x) => x.id === w.id)), 'withdrawn: hidden at once');
  assert.ok(ids(await list(c.a)).includes(w.id), 'the author still reads it');
});

test('two server processes on one database: a write through one shows in the other\'s very next read', T, async () => {
  const two = await startServer({ dataDir: srv.dataDir, env: { HEARTH_METRICS_TOKEN: METRICS, HEARTH_METRICS_LISTEN: 'off' } });
  try {
    const c = await srv.makeCouple('cache2');
    await warm(c.a, srv);
    await warm(c.a, two);
    await warm(c.b, two);
    const words = `through the second server ${Date.now()}`;
    const w = await two.ok(c.b, 'POST', '/api/v1/checkins', { mood: 3, connection: 5, secure: 5, visibility: 'partner', appreciation: words }, 201);
    assert.equal(ids(await srv.ok(c.a, 'GET', '/api/v1/checkins?author=all&limit=20', undefined, 200))[0], w.id,
      'the first server\'s very next list');
    assert.ok((await dashboard(c.a, srv)).includes(words), 'the first server\'s very next dashboard');
    const name = `Kit ${Date.now() % 100000}`;
    await srv.ok(c.a, 'PATCH', '/api/v1/me', { display_name: name }, 200);
    assert.ok((await dashboard(c.b, two)).includes(name), 'a new name made through one, on the other\'s next page');
    await srv.ok(c.a, 'DELETE', `/api/v1/checkins/${(await post(c.a, { appreciation: 'to go' })).id}`, undefined, 204);
    await warm(c.b, two);
    await srv.ok(c.b, 'PATCH', `/api/v1/checkins/${w.id}`, { visibility: 'private' }, 200);
    assert.ok(!ids(await two.ok(c.a, 'GET', '/api/v1/checkins?author=all&limit=20', undefined, 200)).includes(w.id),
      'made private through one: gone from the other\'s next read');
  } finally {
    await two.stop();
  }
});

// Migration 030: every table a member's read can draw from raises a change counter by trigger.
// A new table must either get the trigger (see that migration) or be listed here, with its reason.
const NOT_COUNTED = new Set([
  'sessions', // read on every request anyway; its touch must not empty the cache
  'login_tickets', 'auth_failures', 'throttle_locks', // sign-in bookkeeping
  'outbox', 'push_outbox', 'notice_log', // delivery bookkeeping, never shown
  'data_keys', // keys: a sealed value changes only with its row
  'articles', 'article_tags', 'article_comments', // the public blog, not a member's cached read
  'therapist_invites', // a therapist's own; therapists are never served from the cache
  'schema_migrations', 'upgrade_steps', 'change_counts',
]);

test('every table is counted by a change trigger or deliberately left out', T, async () => {
  let tables, triggered;
  if (PG_URL) {
    tables = srv.sql("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()"
      + " WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY 1").split('\n');
    triggered = srv.sql("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
      + " WHERE NOT t.tgisinternal AND t.tgname = c.relname || '_changes' AND NOT c.relispartition ORDER BY 1").split('\n');
  } else {
    tables = srv.sql("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
      + " AND name NOT LIKE 'articles_fts%' ORDER BY 1").split('\n');
    triggered = srv.sql("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_changes_%'"
      + " GROUP BY tbl_name HAVING count(*) = 3 ORDER BY 1").split('\n');
  }
  const missing = tables.filter((t) => !NOT_COUNTED.has(t) && !triggered.includes(t));
  assert.deepEqual(missing, [], 'tables without a change trigger (add one in a migration, or a reason here)');
  for (const t of ['checkins', 'users', 'space_members', 'therapist_consents', 'prompt_acks', 'user_settings', 'home_dismissals']) {
    assert.ok(triggered.includes(t), `${t} is counted`);
  }
});

test('a write raises the change counters of the space and of its author, and nothing else', T, async () => {
  const c = await srv.makeCouple('cachek');
  const other = await srv.makeCouple('cachex');
  const count = (id) => Number(srv.sql(`SELECT COALESCE((SELECT n FROM change_counts WHERE scope_id = '${id}'), 0)`));
  const before = [count(c.spaceId), count(c.a.id), count(c.b.id), count(other.spaceId)];
  await post(c.a, { appreciation: 'counted' });
  const after = [count(c.spaceId), count(c.a.id), count(c.b.id), count(other.spaceId)];
  assert.ok(after[0] > before[0], 'the space');
  assert.ok(after[1] > before[1], 'the author');
  assert.equal(after[2], before[2], 'not the partner\'s own counter');
  assert.equal(after[3], before[3], 'not another space');
});

test('a check-in raises its counters when written, edited and deleted, and makes one that is missing', T, async () => {
  // PostgreSQL raises them with a function of the check-ins' own (migration 035), which updates
  // the counters in place and upserts only one that does not exist yet; SQLite with its triggers.
  const count = (id) => Number(srv.sql(`SELECT COALESCE((SELECT n FROM change_counts WHERE scope_id = '${id}'), 0)`));
  const scopes = (id) => srv.sql(`SELECT space_id || ' ' || author_id FROM checkins WHERE id = '${id}'`).split(' ');
  const c = await srv.makeCouple('cachem');
  const first = await post(c.a, { appreciation: 'the first of the day' });
  srv.sql(`DELETE FROM change_counts WHERE scope_id = '${c.a.id}'`); // as if the author had never written
  const partner = count(c.b.id);
  const w = await post(c.a, { appreciation: 'a counter made again' });
  const [space, author] = scopes(w.id);
  assert.deepEqual([space, author], [c.spaceId, c.a.id]);
  assert.ok(count(author) >= 1, 'the missing counter is made');
  let before = [count(space), count(author)];
  await srv.ok(c.a, 'PATCH', `/api/v1/checkins/${w.id}`, { mood: 5 }, 200);
  let after = [count(space), count(author)];
  assert.ok(after[0] > before[0] && after[1] > before[1], `an edit raises both: ${before} -> ${after}`);
  before = after;
  assert.equal((await srv.api('DELETE', `/api/v1/checkins/${first.id}`, { token: c.a.token })).status, 204);
  after = [count(space), count(author)];
  assert.ok(after[0] > before[0] && after[1] > before[1], `a deletion raises both: ${before} -> ${after}`);
  assert.equal(count(c.b.id), partner, 'the partner\'s own counter stays');

  // Someone writing alone: the check-in's space is their own scope, named twice.
  const solo = await srv.signUp('cachesolo');
  const own = await post(solo, { visibility: 'private' });
  const [soloSpace, soloAuthor] = scopes(own.id);
  srv.sql(`DELETE FROM change_counts WHERE scope_id IN ('${soloSpace}', '${soloAuthor}')`);
  const again = await post(solo, { visibility: 'private' });
  assert.ok(count(soloSpace) >= 1 && count(soloAuthor) >= 1, 'made when missing');
  before = [count(soloSpace), count(soloAuthor)];
  await srv.ok(solo, 'PATCH', `/api/v1/checkins/${again.id}`, { mood: 1 }, 200);
  assert.ok(count(soloSpace) > before[0] && count(soloAuthor) > before[1], 'an edit raises it');
});

test('who someone is has its own counter: a rename raises it for the person and the space, a check-in does not', T, async () => {
  // The session's reader is kept by who_n (migration 032, domain/account.c): a check-in must not
  // make both partners read it all again, and every change to who they are must.
  const c = await srv.makeCouple('cachew');
  const who = (id) => Number(srv.sql(`SELECT COALESCE((SELECT who_n FROM change_counts WHERE scope_id = '${id}'), 0)`));
  const all = () => [who(c.spaceId), who(c.a.id), who(c.b.id)];
  const start = all();
  await post(c.a, { appreciation: 'not who' });
  assert.deepEqual(all(), start, 'a check-in leaves them');
  await srv.ok(c.a, 'PATCH', '/api/v1/me', { display_name: 'Wren' }, 200);
  const renamed = all();
  assert.ok(renamed[0] > start[0] && renamed[1] > start[1], 'a rename raises the space and the person');
  assert.equal(renamed[2], start[2], 'not the partner\'s own');
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  const left = all();
  assert.ok(left[0] > renamed[0] && left[2] > renamed[2], 'leaving raises the space and the one who left');
});
