// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Sessions and passwords (issue 10, part A; API.md "Additions: Accounts, sessions, security"):
// the list of one's sessions and ending them, "keep me signed in" and the lifetimes of each kind,
// a fresh session for the dangerous actions and typing the password again, changing the password
// (API and page) with its rules, and `hearth user passwd`. Runs on SQLite and, under
// tests/pg/with-postgres.sh, on PostgreSQL (the SQL below goes to either).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, assertError, assertJsonType, uniqueUsername, SQLITE_ONLY, TEST_TIMEOUT,
} from './lib/server.mjs';
import { anonForm, cookieLogin, page, csrfFromHtml } from './lib/actors.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const STRONG = 'maple kettle orbit lantern';
const STRONG2 = 'quiet harbour velvet comet';
const UA_FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const UA_ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/126.0.0.0 Mobile Safari/537.36';
const UA_IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

async function login(srv, u, { ua, remember, password } = {}) {
  const body = { username: u.username, password: password || u.password };
  if (remember !== undefined) body.remember = remember;
  const r = await srv.api('POST', '/api/v1/sessions', { body, headers: ua ? { 'User-Agent': ua } : {} });
  assert.equal(r.status, 201, `login ${u.username}: ${r.status} ${r.text}`);
  return r.json.token;
}

async function listAll(srv, token, limit = 100) {
  const items = [];
  let before = null;
  for (let i = 0; i < 20; i++) {
    const r = await srv.api('GET', `/api/v1/sessions?limit=${limit}${before ? `&before=${encodeURIComponent(before)}` : ''}`, { token });
    assert.equal(r.status, 200, `GET /sessions: ${r.status} ${r.text}`);
    items.push(...r.json.items);
    before = r.json.next;
    if (!before) break;
  }
  return items;
}

const meStatus = async (srv, token) => (await srv.api('GET', '/api/v1/me', { token })).status;

describe('sessions, passwords, keep me signed in', { timeout: TEST_TIMEOUT }, () => {
  let srv;
  before(async () => { srv = await startServer(); }, { timeout: TEST_TIMEOUT });
  after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

  test('POST /sessions takes `remember` as a boolean only', async () => {
    const u = await srv.signUp('rem');
    for (const remember of [true, false]) await login(srv, u, { remember });
    const r = await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password, remember: 'yes' } });
    assertError(r, 400, 'invalid_input', 'remember');
  });

  test('GET /sessions lists the caller\'s sessions: started, last used to the hour, a coarse client, current; never an address or the User-Agent', async () => {
    const u = await srv.signUp('list');
    const firefox = await login(srv, u, { ua: UA_FIREFOX });
    const android = await login(srv, u, { ua: UA_ANDROID, remember: true });
    const iphone = await login(srv, u, { ua: UA_IPHONE, remember: false });
    const r = await srv.api('GET', '/api/v1/sessions', { token: firefox });
    assert.equal(r.status, 200, r.text);
    assertJsonType(r);
    assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next']);
    assert.equal(r.json.next, null);
    const items = r.json.items;
    assert.equal(items.length, 4, `four sessions: ${r.text}`);
    for (const s of items) {
      assert.deepEqual(Object.keys(s).sort(), ['client', 'created_at', 'current', 'id', 'last_used_at']);
      assert.match(s.id, /^[0-9a-f]{32}$/);
      assert.match(s.created_at, RFC3339);
      assert.match(s.last_used_at, /^\d{4}-\d\d-\d\dT\d\d:00:00Z$/, 'last used: to the hour');
      assert.ok(Date.parse(s.last_used_at) <= Date.parse(s.created_at) + 1000, 'the hour starts before the use');
      assert.ok(Date.parse(s.created_at) - Date.parse(s.last_used_at) < 3600 * 1000, 'within the hour');
    }
    assert.deepEqual(items.map((s) => s.client),
      ['Safari on iPhone', 'Chromium on Android', 'Firefox on Linux', 'A Node.js script'], 'newest first, coarse names');
    assert.deepEqual(items.map((s) => s.current), [false, false, true, false]);
    for (const banned of ['127.0.0.1', 'Mozilla', 'Gecko', 'Pixel', u.username, firefox, android, iphone]) {
      assert.ok(!r.text.includes(banned), `the list must not contain ${banned}`);
    }
    // What the database keeps is no more than the list shows.
    const rows = srv.sql(`SELECT * FROM sessions WHERE user_id = '${u.id}'`);
    for (const banned of ['127.0.0.1', 'Mozilla', 'Pixel', 'rv:128', firefox]) {
      assert.ok(!rows.includes(banned), `the sessions table must not hold ${banned}`);
    }
  });

  test('GET /sessions pages with ?limit and ?before; a bad cursor is 400; others\' sessions never appear', async () => {
    const u = await srv.signUp('page');
    const other = await srv.signUp('pageo');
    for (let i = 0; i < 4; i++) await login(srv, u);
    const one = await srv.api('GET', '/api/v1/sessions?limit=2', { token: u.token });
    assert.equal(one.json.items.length, 2);
    assert.equal(typeof one.json.next, 'string');
    const all = await listAll(srv, u.token, 2);
    assert.equal(all.length, 5);
    assert.equal(new Set(all.map((s) => s.id)).size, 5, 'no session twice across pages');
    const theirs = await listAll(srv, other.token);
    assert.equal(theirs.length, 1);
    assert.ok(!all.some((s) => s.id === theirs[0].id));
    assertError(await srv.api('GET', '/api/v1/sessions?before=nonsense', { token: u.token }), 400, 'invalid_input', 'before');
    assertError(await srv.api('GET', '/api/v1/sessions?limit=0', { token: u.token }), 400, 'invalid_input', 'limit');
    assertError(await srv.api('GET', '/api/v1/sessions'), 401, 'unauthenticated');
  });

  test('DELETE /sessions/{id} ends one of mine (this one too); someone else\'s or none is 404', async () => {
    const u = await srv.signUp('end');
    const other = await srv.signUp('endo');
    const second = await login(srv, u, { ua: UA_FIREFOX });
    const mine = await listAll(srv, u.token);
    const secondId = mine.find((s) => s.client === 'Firefox on Linux').id;
    const theirs = (await listAll(srv, other.token))[0].id;

    assertError(await srv.api('DELETE', `/api/v1/sessions/${theirs}`, { token: u.token }), 404, 'not_found');
    assert.equal(await meStatus(srv, other.token), 200, 'the other person\'s session still works');
    assertError(await srv.api('DELETE', '/api/v1/sessions/0123456789abcdef0123456789abcdef', { token: u.token }), 404, 'not_found');
    assertError(await srv.api('DELETE', '/api/v1/sessions/not-an-id', { token: u.token }), 404, 'not_found');

    const d = await srv.api('DELETE', `/api/v1/sessions/${secondId}`, { token: u.token });
    assert.equal(d.status, 204, d.text);
    assert.equal(await meStatus(srv, second), 401, 'the ended session no longer works');
    assert.equal((await listAll(srv, u.token)).length, 1);
    assertError(await srv.api('DELETE', `/api/v1/sessions/${secondId}`, { token: u.token }), 404, 'not_found');

    const self = (await listAll(srv, u.token))[0];
    assert.equal(self.current, true);
    assert.equal((await srv.api('DELETE', `/api/v1/sessions/${self.id}`, { token: u.token })).status, 204);
    assert.equal(await meStatus(srv, u.token), 401, 'ending the current session logs out');
  });

  test('a browser session without `remember` ends after 12 hours unused; with it, after 30 days at most; an API token after 30 days unused', async () => {
    const u = await srv.signUp('idle');
    const short = await login(srv, u, { remember: false, ua: UA_FIREFOX });
    const remembered = await login(srv, u, { remember: true, ua: UA_ANDROID });
    const apiToken = await login(srv, u, { ua: UA_IPHONE });
    const HOUR = 3600 * 1000;
    const now = Date.now();
    const idOf = async (client) => (await listAll(srv, u.token)).find((s) => s.client === client).id;
    const [shortId, rememberedId, apiId] = [await idOf('Firefox on Linux'), await idOf('Chromium on Android'), await idOf('Safari on iPhone')];
    // Unused for 11 hours: all still work (the last use is moved back in the database).
    srv.sql(`UPDATE sessions SET last_seen_at = ${now - 11 * HOUR} WHERE id IN ('${shortId}', '${rememberedId}', '${apiId}')`);
    for (const t of [short, remembered, apiToken]) assert.equal(await meStatus(srv, t), 200);
    // Unused for 13 hours: the short one has ended, the others not.
    srv.sql(`UPDATE sessions SET last_seen_at = ${now - 13 * HOUR} WHERE id IN ('${shortId}', '${rememberedId}', '${apiId}')`);
    assert.equal(await meStatus(srv, short), 401, 'a browser session ends after 12 hours unused');
    assert.equal(await meStatus(srv, remembered), 200);
    assert.equal(await meStatus(srv, apiToken), 200);
    // 31 days unused: both ended.
    srv.sql(`UPDATE sessions SET last_seen_at = ${now - 31 * 24 * HOUR} WHERE id IN ('${rememberedId}', '${apiId}')`);
    assert.equal(await meStatus(srv, remembered), 401, '"keep me signed in" ends after 30 days');
    assert.equal(await meStatus(srv, apiToken), 401, 'an API token ends after 30 days unused');
    // The ends the database holds: 30 days for browser sessions, a year for API tokens.
    const t2 = await login(srv, u, { remember: true });
    const t3 = await login(srv, u);
    const rows = srv.sql(`SELECT expires_at - created_at, idle_ms FROM sessions WHERE user_id = '${u.id}' ORDER BY created_at DESC, id DESC LIMIT 2`)
      .split('\n').map((l) => l.split('|').map(Number));
    assert.deepEqual(rows.sort((a, b) => a[0] - b[0]), [[30 * 24 * HOUR, 30 * 24 * HOUR], [365 * 24 * HOUR, 30 * 24 * HOUR]]);
    for (const t of [t2, t3]) assert.equal(await meStatus(srv, t), 200);
  });

  test('the login page: "keep me signed in" gives a 30-day cookie; without it the cookie lasts the browser session', async () => {
    const u = await srv.signUp('cookie');
    for (const remember of [false, true]) {
      const pre = await anonForm(srv);
      const form = { csrf: pre.csrf, username: u.username, password: u.password };
      if (remember) form.remember = '1';
      const r = await page(srv, 'POST', '/login', { cookie: pre.cookie, form });
      assert.equal(r.status, 303);
      const set = r.headers.getSetCookie().find((c) => c.startsWith('hearth_session='));
      assert.ok(set, 'a session cookie');
      if (remember) assert.match(set, /; Max-Age=2592000(;|$)/);
      else assert.ok(!/Max-Age|Expires/i.test(set), `a browser-session cookie: ${set}`);
    }
    const form = await page(srv, 'GET', '/login');
    assert.match(form.text, /<input type="checkbox" id="remember" name="remember" value="1"[^>]*>\s*Keep me signed in on this device/);
  });

  test('POST /me/password: the current password, then the rules for the new one, each with its reason', async () => {
    const u = await srv.signUp('pw');
    const call = (body) => srv.api('POST', '/api/v1/me/password', { token: u.token, body });
    assertError(await call({ current: u.password }), 400, 'invalid_input', 'new');
    assertError(await call({ new: STRONG }), 400, 'invalid_input', 'current');
    assertError(await call({ current: u.password, new: 12 }), 400, 'invalid_input', 'new');
    assertError(await call({ current: 'not my password at all', new: STRONG }), 401, 'bad_credentials', 'current');
    const reasons = new Set();
    for (const weak of ['short pw 1', `my ${u.username} pass`, `${u.username.toUpperCase()}-and-more-words`, 'password1234', 'qwertyuiopasdf', 'iloveyou2024!']) {
      const r = await call({ current: u.password, new: weak });
      assertError(r, 400, 'weak_password', 'new', `new password ${weak}`);
      reasons.add(r.json.error.message);
    }
    assert.equal(reasons.size, 3, `a reason for each kind of refusal: ${[...reasons].join(' | ')}`);
    assert.ok([...reasons].some((m) => /12 characters/.test(m)));
    assert.ok([...reasons].some((m) => /username/.test(m)));
    assert.ok([...reasons].some((m) => /easy to guess/.test(m)));
    // Nothing was changed by the refusals.
    assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } })).status, 201);
  });

  test('POST /me/password: 204; every other session (API and browser) ends, this one stays; the old password stops working', async () => {
    const u = await srv.signUp('pwok');
    const otherToken = await login(srv, u, { ua: UA_FIREFOX });
    const browser = await cookieLogin(srv, u.username, u.password);
    const r = await srv.api('POST', '/api/v1/me/password', { token: u.token, body: { current: u.password, new: STRONG } });
    assert.equal(r.status, 204, r.text);
    assert.equal(await meStatus(srv, u.token), 200, 'this session stays');
    assert.equal(await meStatus(srv, otherToken), 401, 'another API session ended');
    const d = await page(srv, 'GET', '/dashboard', { cookie: browser.cookie });
    assert.equal(d.status, 303, 'the browser session ended');
    assert.equal((await listAll(srv, u.token)).length, 1);
    assertError(await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } }), 401, 'bad_credentials');
    assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: STRONG } })).status, 201);
    const same = await srv.api('POST', '/api/v1/me/password', { token: u.token, body: { current: STRONG, new: STRONG } });
    assertError(same, 400, 'weak_password', 'new');
    assert.match(same.json.error.message, /different from your current/);
    // The database holds a new argon2id hash, never the password.
    const hash = srv.sql(`SELECT password_hash FROM users WHERE id = '${u.id}'`);
    assert.match(hash, /^\$argon2id\$/);
    assert.ok(!hash.includes(STRONG));
  });

  test('wrong passwords typed while signed in are throttled per account: 10 in 15 minutes, then 429', async () => {
    const u = await srv.signUp('thr');
    for (let i = 0; i < 10; i++) {
      const r = await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: { password: `wrong guess number ${i}` } });
      assertError(r, 401, 'bad_credentials', 'password');
    }
    const r = await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: { password: u.password } });
    assertError(r, 429, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
    const c = await srv.api('POST', '/api/v1/me/password', { token: u.token, body: { current: 'another wrong one', new: STRONG } });
    assertError(c, 429, 'rate_limited', undefined, 'the current password is checked under the same count');
  });

  test('the account page lists the sessions; one ends, or all others end; the password page shows every problem at once', async () => {
    const u = await srv.signUp('pg');
    const otherToken = await login(srv, u, { ua: UA_ANDROID });
    const thirdToken = await login(srv, u, { ua: UA_IPHONE });
    const b = await cookieLogin(srv, u.username, u.password);
    const acc = await page(srv, 'GET', '/account', { cookie: b.cookie });
    assert.equal(acc.status, 200);
    assert.match(acc.text, /Where you are signed in/);
    assert.match(acc.text, /Chromium on Android/);
    assert.match(acc.text, /Safari on iPhone/);
    assert.match(acc.text, /this device/);
    assert.ok(!acc.text.includes('127.0.0.1'));
    const androidId = (await listAll(srv, u.token)).find((s) => s.client === 'Chromium on Android').id;
    assert.ok(acc.text.includes(`action="/account/sessions/${androidId}/end"`), 'an end button for the other session');

    // Someone else's session id: not found, nothing ends.
    const stranger = await srv.signUp('pgs');
    const strangerId = (await listAll(srv, stranger.token))[0].id;
    const nf = await page(srv, 'POST', `/account/sessions/${strangerId}/end`, { cookie: b.cookie, form: { csrf: b.csrf } });
    assert.equal(nf.status, 404);
    assert.equal(await meStatus(srv, stranger.token), 200);

    const one = await page(srv, 'POST', `/account/sessions/${androidId}/end`, { cookie: b.cookie, form: { csrf: b.csrf } });
    assert.equal(one.status, 303);
    assert.equal(one.location, '/account?ended_one=1');
    assert.equal(await meStatus(srv, otherToken), 401);
    assert.equal(await meStatus(srv, thirdToken), 200);
    const notice = await page(srv, 'GET', '/account?ended_one=1', { cookie: b.cookie });
    assert.match(notice.text, /That session has ended/);

    const all = await page(srv, 'POST', '/account/sessions/end-others', { cookie: b.cookie, form: { csrf: b.csrf } });
    assert.equal(all.status, 303);
    assert.equal(all.location, '/account?others=1');
    assert.equal(await meStatus(srv, thirdToken), 401);
    assert.equal(await meStatus(srv, u.token), 401);
    const after = await page(srv, 'GET', '/account?others=1', { cookie: b.cookie });
    assert.equal(after.status, 200, 'this browser stays signed in');
    assert.match(after.text, /Every other session has ended/);
    assert.ok(!after.text.includes('End all other sessions'), 'no other session left to end');

    // The password page: every problem at once, no password echoed back.
    const bad = await page(srv, 'POST', '/account/password', { cookie: b.cookie, form: { csrf: b.csrf, current: '', new: 'password1234', new_again: 'x' } });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /class="error-summary"/);
    assert.match(bad.text, /id="current-error"/);
    assert.match(bad.text, /id="new-error"[^>]*>This password is too easy to guess/);
    assert.match(bad.text, /aria-describedby="new-hint new-error"/);
    assert.ok(!bad.text.includes('password1234'), 'the typed password is not sent back');
    const mismatch = await page(srv, 'POST', '/account/password', { cookie: b.cookie, form: { csrf: b.csrf, current: u.password, new: STRONG, new_again: STRONG2 } });
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.text, /id="new_again-error"/);
    const wrong = await page(srv, 'POST', '/account/password', { cookie: b.cookie, form: { csrf: b.csrf, current: 'not it at all', new: STRONG, new_again: STRONG } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /id="current-error"[^>]*>That is not your password/);
    const ok = await page(srv, 'POST', '/account/password', { cookie: b.cookie, form: { csrf: b.csrf, current: u.password, new: STRONG, new_again: STRONG } });
    assert.equal(ok.status, 303);
    assert.equal(ok.location, '/account?password=1');
    const done = await page(srv, 'GET', '/account?password=1', { cookie: b.cookie });
    assert.match(done.text, /Your password is changed/);
    assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: STRONG } })).status, 201);
  });

  test('hearth user passwd USERNAME: a new password from stdin, every session of the account ends; the rules apply', async () => {
    const u = await srv.signUp('cli');
    const second = await login(srv, u, { ua: UA_FIREFOX });
    const browser = await cookieLogin(srv, u.username, u.password);
    let r = srv.cli(['user', 'passwd', u.username], { input: `${STRONG}\n` });
    assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
    assert.match(r.stdout, /every session/);
    for (const t of [u.token, second]) assert.equal(await meStatus(srv, t), 401, 'every API session ended');
    assert.equal((await page(srv, 'GET', '/dashboard', { cookie: browser.cookie })).status, 303, 'the browser session ended');
    assertError(await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } }), 401, 'bad_credentials');
    assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: STRONG } })).status, 201);

    r = srv.cli(['user', 'passwd', u.username], { input: 'password1234\n' });
    assert.equal(r.status, 2, 'a weak password: exit 2');
    assert.match(r.stderr, /easy to guess/);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
    r = srv.cli(['user', 'passwd', u.username], { input: `x ${u.username} y and more\n` });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /username/);
    r = srv.cli(['user', 'passwd', uniqueUsername('nobody')], { input: `${STRONG}\n` });
    assert.equal(r.status, 2, 'no such account: exit 2');
    assert.match(r.stderr, /no account/);
    r = srv.cli(['user', 'passwd', 'Not Valid'], { input: `${STRONG}\n` });
    assert.equal(r.status, 2);
    r = srv.cli(['user', 'passwd', u.username], { input: '' });
    assert.equal(r.status, 2, 'nothing on stdin: exit 2');
    r = srv.cli(['user', 'passwd'], { input: `${STRONG}\n` });
    assert.equal(r.status, 2, 'no username: exit 2');
    // The refusals changed nothing.
    assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: STRONG } })).status, 201);
  });

  test('the reauth page sends back only to a path on this server', async () => {
    const u = await srv.signUp('next');
    const b = await cookieLogin(srv, u.username, u.password);
    for (const [next, want] of [['/account/export', '/account/export'], ['//evil.example/x', '/account'],
      ['https://evil.example/', '/account'], ['/\\evil.example', '/account'], ['/a b', '/account'], ['', '/account']]) {
      const r = await page(srv, 'POST', '/reauth', { cookie: b.cookie, form: { csrf: b.csrf, password: u.password, next } });
      assert.equal(r.status, 303, `next ${next}`);
      assert.equal(r.location, want, `next ${JSON.stringify(next)}`);
    }
    const form = await page(srv, 'GET', `/reauth?next=${encodeURIComponent('"><script>x</script>')}`, { cookie: b.cookie });
    assert.equal(form.status, 200);
    assert.ok(!form.text.includes('<script>x'), 'next is never written unescaped');
    assert.match(form.text, /name="next" value="\/account"/);
  });
});

describe('a fresh session for dangerous actions (HEARTH_FRESH_MS shortens the 10 minutes)', { timeout: TEST_TIMEOUT }, () => {
  const FRESH_MS = 1500;
  let srv;
  before(async () => { srv = await startServer({ env: { HEARTH_FRESH_MS: String(FRESH_MS) } }); }, { timeout: TEST_TIMEOUT });
  after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });
  const stale = () => sleep(FRESH_MS + 300);

  test('API: export, deletion and a password change answer 403 reauth_required once the password is older than the window; POST /sessions/current/reauth makes the session fresh again', async () => {
    const u = await srv.signUp('fresh');
    assert.equal((await srv.api('GET', '/api/v1/me/export', { token: u.token })).status, 200, 'fresh after login');
    await stale();
    assertError(await srv.api('GET', '/api/v1/me/export', { token: u.token }), 403, 'reauth_required');
    assertError(await srv.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } }), 403, 'reauth_required');
    assertError(await srv.api('POST', '/api/v1/me/password', { token: u.token, body: { current: u.password, new: STRONG } }), 403, 'reauth_required');
    assert.equal(await meStatus(srv, u.token), 200, 'the account is still there');
    assert.equal((await srv.api('GET', '/api/v1/checkins', { token: u.token })).status, 200, 'everything else works as before');

    assertError(await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: {} }), 400, 'invalid_input', 'password');
    assertError(await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: { password: 'not it at all' } }), 401, 'bad_credentials', 'password');
    assertError(await srv.api('POST', '/api/v1/sessions/current/reauth', { body: { password: u.password } }), 401, 'unauthenticated');
    const ok = await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: { password: u.password } });
    assert.equal(ok.status, 204, ok.text);
    assert.equal((await srv.api('GET', '/api/v1/me/export', { token: u.token })).status, 200, 'fresh again');
    // Freshness belongs to one session: another session of the same person stays as it was.
    const other = await login(srv, u);
    await stale();
    await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: { password: u.password } });
    assertError(await srv.api('GET', '/api/v1/me/export', { token: other }), 403, 'reauth_required');
    assert.equal((await srv.api('POST', '/api/v1/me/password', { token: u.token, body: { current: u.password, new: STRONG } })).status, 204);
    await srv.api('POST', '/api/v1/sessions/current/reauth', { token: u.token, body: { password: STRONG } });
    assert.equal((await srv.api('DELETE', '/api/v1/me', { token: u.token, body: { password: STRONG } })).status, 204);
  });

  test('pages: a stale session on /account/export goes to the reauth page and comes back after the password', async () => {
    const u = await srv.signUp('freshp');
    const b = await cookieLogin(srv, u.username, u.password);
    assert.equal((await page(srv, 'GET', '/account/export', { cookie: b.cookie })).status, 200, 'fresh after login');
    await stale();
    const ex = await page(srv, 'GET', '/account/export', { cookie: b.cookie });
    assert.equal(ex.status, 303);
    assert.equal(ex.location, '/reauth?next=%2Faccount%2Fexport');
    const form = await page(srv, 'GET', ex.location, { cookie: b.cookie });
    assert.equal(form.status, 200);
    assert.match(form.text, /Please confirm it is you/);
    assert.match(form.text, /before showing everything you wrote/);
    assert.match(form.text, /name="next" value="\/account\/export"/);
    const csrf = csrfFromHtml(form.text);
    const wrong = await page(srv, 'POST', '/reauth', { cookie: b.cookie, form: { csrf, password: 'not it at all', next: '/account/export' } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /id="password-error"[^>]*>That is not your password/);
    assert.match(wrong.text, /name="next" value="\/account\/export"/, 'where to go back is kept');
    const right = await page(srv, 'POST', '/reauth', { cookie: b.cookie, form: { csrf, password: u.password, next: '/account/export' } });
    assert.equal(right.status, 303);
    assert.equal(right.location, '/account/export');
    assert.equal((await page(srv, 'GET', '/account/export', { cookie: b.cookie })).status, 200);
    // The account page links the download through the reauth page while the session is stale.
    await stale();
    const acc = await page(srv, 'GET', '/account', { cookie: b.cookie });
    assert.match(acc.text, /href="\/reauth\?next=%2Fapi%2Fv1%2Fme%2Fexport">download it as a file/);
  });

  test('pages: the password typed on the password and deletion forms is the password typed again', async () => {
    const u = await srv.signUp('freshf');
    const b = await cookieLogin(srv, u.username, u.password);
    await stale();
    const wrong = await page(srv, 'POST', '/account/password', { cookie: b.cookie, form: { csrf: b.csrf, current: 'not it at all', new: STRONG, new_again: STRONG } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /id="current-error"/);
    const ok = await page(srv, 'POST', '/account/password', { cookie: b.cookie, form: { csrf: b.csrf, current: u.password, new: STRONG, new_again: STRONG } });
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    assert.equal(ok.location, '/account?password=1');
    await stale();
    const del = await page(srv, 'POST', '/account/delete', { cookie: b.cookie, form: { csrf: b.csrf, password: STRONG } });
    assert.equal(del.status, 303);
    assert.equal(del.location, '/?deleted=1');
    assertError(await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: STRONG } }), 401, 'bad_credentials');
  });
});

test('migration 006 keeps the sessions of an older database and gives each an id (SQLite)', { skip: SQLITE_ONLY, timeout: TEST_TIMEOUT }, async () => {
  const fixture = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'level-5', 'hearth.db');
  if (!fs.existsSync(fixture)) return;
  const srv = await startServer();
  try {
    // The migration's own statements, on a copy of the sessions table as migration 5 left it.
    const dbFile = path.join(srv.dataDir, 'old.db');
    fs.copyFileSync(fixture, dbFile);
    const run = (q) => {
      const r = spawnSync('sqlite3', ['-batch', dbFile], { input: q, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return r.stdout.trim();
    };
    run("INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) VALUES ('h1', 'u1', 5, 6, 7)");
    const migration = fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'src', 'store', 'sqlite', 'migrations', '006.sql'), 'utf8');
    run(migration);
    const row = run("SELECT id, client, idle_ms, auth_at FROM sessions WHERE token_hash = 'h1'").split('|');
    assert.match(row[0], /^[0-9a-f]{32}$/);
    assert.deepEqual(row.slice(1), ['', '1209600000', '5']);
  } finally {
    await srv.stop();
  }
});
