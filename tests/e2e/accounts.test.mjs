// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Accounts, sessions, GET /me, cookie authentication and the CLI-made
// therapist account (API.md: "Accounts and sessions", "Conventions").

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertError, assertJsonType, uniqueUsername, TEST_TIMEOUT,
} from './lib/server.mjs';
import { anonForm, page } from './lib/actors.mjs';

let srv;
before(async () => { srv = await startServer(); }, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

const PW = 'a-long-enough-password';
const acc = (body, opts = {}) => srv.api('POST', '/api/v1/accounts', { body, ...opts });

describe('POST /api/v1/accounts', { timeout: TEST_TIMEOUT }, () => {
  test('creates a member and answers 201 {id, username, display_name, role}', async () => {
    const username = uniqueUsername('acc');
    const r = await acc({ username, password: PW, display_name: 'Alex Example' });
    assert.equal(r.status, 201, r.text);
    assertJsonType(r);
    assert.equal(typeof r.json.id, 'string');
    assert.ok(r.json.id.length > 0);
    assert.equal(r.json.username, username);
    assert.equal(r.json.display_name, 'Alex Example');
    assert.equal(r.json.role, 'member');
    assert.equal('password' in r.json, false, 'password must not be echoed');
    for (const v of Object.values(r.json)) {
      assert.ok(!(typeof v === 'string' && v.includes(PW)), 'no value may contain the password');
    }
  });

  test('accepts the boundaries: . _ - in usernames, 3 and 32 characters, 12-character password, 64-character display_name', async () => {
    const base = uniqueUsername('b');
    const dotted = `${base.slice(0, 20)}.x_y-z`;
    let r = await acc({ username: dotted, password: 'x'.repeat(12), display_name: 'd'.repeat(64) });
    assert.equal(r.status, 201, `dots/underscore/dash, 12-char pw, 64-char name: ${r.text}`);
    assert.equal(r.json.username, dotted);
    assert.equal(r.json.display_name, 'd'.repeat(64));

    const long = uniqueUsername('l').padEnd(32, '9').slice(0, 32);
    assert.equal(long.length, 32);
    r = await acc({ username: long, password: PW, display_name: 'é'.repeat(64) });
    assert.equal(r.status, 201, `32-char username / 64 'é' display_name: ${r.text}`);
    assert.equal(r.json.display_name, 'é'.repeat(64));

    // A three-character name may already exist if this suite ran against the
    // same data before; the data dir is fresh, so it must not.
    const short = 'a' + Math.floor(Math.random() * 36).toString(36) + Math.floor(Math.random() * 36).toString(36);
    r = await acc({ username: short, password: PW, display_name: 'S' });
    assert.equal(r.status, 201, `3-char username: ${r.text}`);
  });

  test('409 username_taken for an existing username', async () => {
    const username = uniqueUsername('dup');
    let r = await acc({ username, password: PW, display_name: 'First' });
    assert.equal(r.status, 201, r.text);
    r = await acc({ username, password: `${PW}-other`, display_name: 'Second' });
    assertError(r, 409, 'username_taken', undefined, 'duplicate username');
  });

  const ok = () => ({ username: uniqueUsername('v'), password: PW, display_name: 'Valid Name' });
  const cases = [
    ['username too short (2)', { username: 'ab' }, 'username'],
    ['username empty', { username: '' }, 'username'],
    ['username too long (33)', { username: 'a'.repeat(33) }, 'username'],
    ['username with a space', { username: 'ab cd' }, 'username'],
    ['username with !', { username: 'abc!' }, 'username'],
    ['username with uppercase', { username: 'Abcdef' }, 'username'],
    ['username with non-ASCII letter', { username: 'abcé' }, 'username'],
    ['username with @', { username: 'a@b.cd' }, 'username'],
    ['username is a number', { username: 12345 }, 'username'],
    ['username is null', { username: null }, 'username'],
    ['password of 11 characters', { password: 'x'.repeat(11) }, 'password'],
    ['password of 11 two-byte characters (22 bytes)', { password: 'é'.repeat(11) }, 'password'],
    ['password over 1024 characters', { password: 'x'.repeat(1025) }, 'password'],
    ['password is a boolean', { password: true }, 'password'],
    ['password is an array', { password: ['a-long-enough-password'] }, 'password'],
    ['display_name empty', { display_name: '' }, 'display_name'],
    ['display_name of 65 characters', { display_name: 'd'.repeat(65) }, 'display_name'],
    ['display_name is an object', { display_name: { a: 1 } }, 'display_name'],
    ['display_name is a number', { display_name: 7 }, 'display_name'],
  ];
  for (const [name, patch, field] of cases) {
    test(`400 invalid_input field=${field}: ${name}`, async () => {
      const r = await acc({ ...ok(), ...patch });
      assertError(r, 400, 'invalid_input', field, name);
    });
  }

  for (const missing of ['username', 'password', 'display_name']) {
    test(`400 invalid_input field=${missing} when ${missing} is missing`, async () => {
      const body = ok();
      delete body[missing];
      const r = await acc(body);
      assertError(r, 400, 'invalid_input', missing, `missing ${missing}`);
    });
  }

  test('a NUL character never truncates a username: "abc\\u0000xyz" → 400 field username', async () => {
    const base = uniqueUsername('nul');
    const r = await acc({ username: `${base}\u0000x`, password: PW, display_name: 'N' });
    // \u0000 is valid JSON; refusing the body as invalid_json is acceptable too.
    const e = assertError(r, 400, ['invalid_input', 'invalid_json'], undefined, 'username with NUL');
    if (e.code === 'invalid_input') assert.equal(e.field, 'username');
    // the prefix before the NUL must not have been registered
    const ok = await acc({ username: base, password: PW, display_name: 'N' });
    assert.equal(ok.status, 201, `the prefix must still be free: ${ok.text}`);
  });

  test('a NUL inside the password is not a terminator: only the full password logs in', async () => {
    const username = uniqueUsername('nulpw');
    const password = 'first-half-123\u0000second-half-456';
    const r = await acc({ username, password, display_name: 'N' });
    if (r.status === 400) {
      const e = assertError(r, 400, ['invalid_input', 'invalid_json']);
      if (e.code === 'invalid_input') assert.equal(e.field, 'password');
      return;
    }
    assert.equal(r.status, 201, r.text);
    const s1 = await srv.api('POST', '/api/v1/sessions', { body: { username, password: 'first-half-123' } });
    assertError(s1, 401, 'bad_credentials', undefined, 'the part before NUL must not log in');
    const s2 = await srv.api('POST', '/api/v1/sessions', { body: { username, password } });
    assert.equal(s2.status, 201, s2.text);
  });

  test('a password of exactly 1024 ASCII characters logs in; the last character counts', async () => {
    const username = uniqueUsername('pw1024');
    const password = 'p'.repeat(1023) + 'q';
    const r = await acc({ username, password, display_name: 'Long' });
    assert.equal(r.status, 201, r.text);
    const s = await srv.api('POST', '/api/v1/sessions', { body: { username, password } });
    assert.equal(s.status, 201, s.text);
    const bad = await srv.api('POST', '/api/v1/sessions', { body: { username, password: 'p'.repeat(1024) } });
    assertError(bad, 401, 'bad_credentials', undefined, 'the last character counts');
  });

  test('a password of at most 1024 characters but over 1024 bytes (600 × "é") is accepted and logs in', async () => {
    const username = uniqueUsername('pw600e');
    const password = 'é'.repeat(600); // 600 characters, 1200 bytes
    const r = await acc({ username, password, display_name: 'Long' });
    assert.equal(r.status, 201, r.text);
    const s = await srv.api('POST', '/api/v1/sessions', { body: { username, password } });
    assert.equal(s.status, 201, `accepted at sign-up, so it must log in: ${s.text}`);
  });

  test('parallel sign-ups with one username: exactly one 201, the others 409 username_taken', async () => {
    const username = uniqueUsername('race');
    const rs = await Promise.all([0, 1, 2, 3].map((i) => acc({ username, password: `${PW}-${i}`, display_name: `R${i}` })));
    const statuses = rs.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409], rs.map((r) => r.text).join('\n'));
    for (const r of rs) if (r.status === 409) assertError(r, 409, 'username_taken');
  });

  test('a rejected sign-up creates nothing (the name stays free)', async () => {
    const username = uniqueUsername('rej');
    let r = await acc({ username, password: 'short', display_name: 'X' });
    assertError(r, 400, 'invalid_input', 'password');
    r = await acc({ username, password: PW, display_name: 'X' });
    assert.equal(r.status, 201, r.text);
  });

  test('400 invalid_json for malformed JSON', async () => {
    for (const raw of ['{', '{"username": "abc",}', 'not json', '{"username":"abc" "password":"x"}', '']) {
      const r = await srv.api('POST', '/api/v1/accounts', {
        rawBody: raw, headers: { 'Content-Type': 'application/json' },
      });
      assertError(r, 400, raw === '' ? ['invalid_json', 'invalid_input'] : 'invalid_json', undefined, `body ${JSON.stringify(raw)}`);
    }
  });

  test('400 when the JSON body is not an object', async () => {
    for (const raw of ['[]', '"abc"', '42', 'null', '[{"username":"abcdef"}]']) {
      const r = await srv.api('POST', '/api/v1/accounts', {
        rawBody: raw, headers: { 'Content-Type': 'application/json' },
      });
      assertError(r, 400, ['invalid_json', 'invalid_input'], undefined, `body ${raw}`);
    }
  });

  test('400 for text that is not valid UTF-8', async () => {
    const username = uniqueUsername('utf');
    const pre = Buffer.from(`{"username":"${username}","password":"${PW}","display_name":"bad `, 'utf8');
    const post = Buffer.from('"}', 'utf8');
    for (const bad of [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80] /* UTF-16 surrogate */, [0xc0, 0xaf] /* overlong */]) {
      const r = await srv.api('POST', '/api/v1/accounts', {
        rawBody: Buffer.concat([pre, Buffer.from(bad), post]),
        headers: { 'Content-Type': 'application/json' },
      });
      assertError(r, 400, ['invalid_json', 'invalid_input'], undefined, `bytes ${bad.map((b) => b.toString(16))}`);
    }
    // and nothing was created under that name
    const r = await acc({ username, password: PW, display_name: 'Fine' });
    assert.equal(r.status, 201, `username must still be free: ${r.text}`);
  });
});

describe('sessions', { timeout: TEST_TIMEOUT }, () => {
  let user;
  before(async () => { user = await srv.signUp('sess', { displayName: 'Sam Session' }); });

  test('POST /sessions → 201 {token, user} with user as in GET /me', async () => {
    const r = await srv.api('POST', '/api/v1/sessions', { body: { username: user.username, password: user.password } });
    assert.equal(r.status, 201, r.text);
    assertJsonType(r);
    assert.equal(typeof r.json.token, 'string');
    assert.ok(r.json.token.length >= 16, 'token should be long and random');
    assert.notEqual(r.json.token, user.token, 'each login makes a new token');
    const u = r.json.user;
    assert.equal(u.id, user.id);
    assert.equal(u.username, user.username);
    assert.equal(u.display_name, 'Sam Session');
    assert.equal(u.role, 'member');
    assert.equal(u.space, null);
    const me = await srv.api('GET', '/api/v1/me', { token: r.json.token });
    assert.equal(me.status, 200, me.text);
    assert.deepEqual(u, me.json);
  });

  test('wrong password and unknown user get the same 401 bad_credentials answer', async () => {
    const wrong = await srv.api('POST', '/api/v1/sessions', { body: { username: user.username, password: 'not-the-password-1' } });
    const e1 = assertError(wrong, 401, 'bad_credentials', undefined, 'wrong password');
    const unknown = await srv.api('POST', '/api/v1/sessions', { body: { username: uniqueUsername('nobody'), password: 'not-the-password-1' } });
    const e2 = assertError(unknown, 401, 'bad_credentials', undefined, 'unknown user');
    assert.deepEqual(e1, e2, 'the two answers must not tell the cases apart');
  });

  test('login validation: missing fields and invalid JSON are 400', async () => {
    let r = await srv.api('POST', '/api/v1/sessions', { body: { username: user.username } });
    assert.ok([400, 401].includes(r.status), `missing password: ${r.status}`);
    assertError(r, r.status, r.status === 400 ? 'invalid_input' : 'bad_credentials');
    r = await srv.api('POST', '/api/v1/sessions', { rawBody: '{"username":', headers: { 'Content-Type': 'application/json' } });
    assertError(r, 400, 'invalid_json');
  });

  test('DELETE /sessions/current → 204, then the token gets 401 unauthenticated; other sessions keep working', async () => {
    const s1 = await srv.logIn(user.username, user.password);
    const s2 = await srv.logIn(user.username, user.password);
    let r = await srv.api('GET', '/api/v1/me', { token: s1.token });
    assert.equal(r.status, 200);
    r = await srv.api('DELETE', '/api/v1/sessions/current', { token: s1.token });
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '', '204 has no body');
    r = await srv.api('GET', '/api/v1/me', { token: s1.token });
    assertError(r, 401, 'unauthenticated', undefined, 'revoked token');
    r = await srv.api('DELETE', '/api/v1/sessions/current', { token: s1.token });
    assertError(r, 401, 'unauthenticated', undefined, 'second logout');
    r = await srv.api('GET', '/api/v1/me', { token: s2.token });
    assert.equal(r.status, 200, 'another session of the same user still works');
  });

  test('no token, garbage token and malformed Authorization get 401 unauthenticated', async () => {
    assertError(await srv.api('GET', '/api/v1/me'), 401, 'unauthenticated', undefined, 'no token');
    assertError(await srv.api('GET', '/api/v1/me', { token: 'garbage' }), 401, 'unauthenticated', undefined, 'garbage');
    assertError(await srv.api('GET', '/api/v1/me', { token: 'A'.repeat(64) }), 401, 'unauthenticated', undefined, 'random 64');
    assertError(await srv.api('GET', '/api/v1/me', { token: `${user.token}x` }), 401, 'unauthenticated', undefined, 'token+x');
    assertError(await srv.api('GET', '/api/v1/me', { token: user.token.slice(0, -1) }), 401, 'unauthenticated', undefined, 'token-1');
    assertError(await srv.api('GET', '/api/v1/me', { headers: { Authorization: `Basic ${user.token}` } }), 401, 'unauthenticated', undefined, 'Basic');
    assertError(await srv.api('GET', '/api/v1/me', { headers: { Authorization: 'Bearer' } }), 401, 'unauthenticated', undefined, 'empty Bearer');
    assertError(await srv.api('GET', '/api/v1/checkins'), 401, 'unauthenticated', undefined, 'list without token');
    assertError(await srv.api('POST', '/api/v1/spaces'), 401, 'unauthenticated', undefined, 'create space without token');
  });

  test('throttling: after 10 failures for one account → 429 rate_limited with Retry-After, even for the right password', async () => {
    const victim = await srv.signUp('thr');
    const bystander = await srv.signUp('by');
    for (let i = 1; i <= 10; i++) {
      const r = await srv.api('POST', '/api/v1/sessions', { body: { username: victim.username, password: `wrong-password-${i}` } });
      assertError(r, 401, 'bad_credentials', undefined, `failure #${i}`);
    }
    let r = await srv.api('POST', '/api/v1/sessions', { body: { username: victim.username, password: 'wrong-password-11' } });
    assertError(r, 429, 'rate_limited', undefined, 'attempt #11');
    const ra = r.headers.get('retry-after');
    assert.ok(ra, 'Retry-After header is required');
    if (/^\d+$/.test(ra)) {
      const s = Number(ra);
      assert.ok(s >= 1 && s <= 960, `Retry-After ${s} s should be within the 15-minute window`);
    } else {
      const t = Date.parse(ra);
      assert.ok(Number.isFinite(t) && t > Date.now() - 5000 && t < Date.now() + 960e3, `Retry-After date ${ra}`);
    }
    r = await srv.api('POST', '/api/v1/sessions', { body: { username: victim.username, password: victim.password } });
    assertError(r, 429, 'rate_limited', undefined, 'right password while throttled');
    assert.ok(r.headers.get('retry-after'), 'Retry-After on every 429');
    // existing sessions are not affected, and other accounts can still log in
    const me = await srv.api('GET', '/api/v1/me', { token: victim.token });
    assert.equal(me.status, 200, 'an existing session keeps working');
    r = await srv.api('POST', '/api/v1/sessions', { body: { username: bystander.username, password: bystander.password } });
    assert.equal(r.status, 201, `another account from the same address must not be throttled: ${r.text}`);
  });
});

describe('GET /api/v1/me', { timeout: TEST_TIMEOUT }, () => {
  test('alone: {id, username, display_name, role, space:null}; in a space: space {id, partner, therapist}', async () => {
    const a = await srv.signUp('mea', { displayName: 'Ann' });
    const b = await srv.signUp('meb', { displayName: 'Ben' });
    let r = await srv.api('GET', '/api/v1/me', { token: a.token });
    assert.equal(r.status, 200, r.text);
    assertJsonType(r);
    for (const k of ['id', 'username', 'display_name', 'role', 'space']) assert.ok(k in r.json, `missing ${k}`);
    assert.equal(r.json.id, a.id);
    assert.equal(r.json.username, a.username);
    assert.equal(r.json.display_name, 'Ann');
    assert.equal(r.json.role, 'member');
    assert.equal(r.json.space, null);
    assert.equal('password' in r.json, false);

    const sp = await srv.api('POST', '/api/v1/spaces', { token: a.token });
    assert.equal(sp.status, 201, sp.text);
    r = await srv.api('GET', '/api/v1/me', { token: a.token });
    assert.equal(r.json.space.id, sp.json.id);
    assert.equal(r.json.space.partner, null, 'no partner yet');
    assert.equal(r.json.space.therapist, null);

    const inv = await srv.api('POST', '/api/v1/spaces/current/invites', { token: a.token });
    const j = await srv.api('POST', '/api/v1/spaces/join', { token: b.token, body: { code: inv.json.code } });
    assert.equal(j.status, 200, j.text);

    r = await srv.api('GET', '/api/v1/me', { token: a.token });
    assert.equal(r.json.space.id, sp.json.id);
    assert.deepEqual(r.json.space.partner, { id: b.id, display_name: 'Ben' });
    assert.equal(r.json.space.therapist, null);
    r = await srv.api('GET', '/api/v1/me', { token: b.token });
    assert.equal(r.json.space.id, sp.json.id);
    assert.deepEqual(r.json.space.partner, { id: a.id, display_name: 'Ann' });
    assert.equal(r.json.space.therapist, null);
    assert.equal(r.json.role, 'member');
  });
});

describe('cookie authentication and CSRF', { timeout: TEST_TIMEOUT }, () => {
  let u;
  before(async () => { u = await srv.signUp('cook'); });
  const cookie = () => ({ Cookie: `hearth_session=${u.token}` });

  test('GET with only the session cookie works', async () => {
    const r = await srv.api('GET', '/api/v1/me', { headers: cookie() });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, u.id);
    const l = await srv.api('GET', '/api/v1/checkins', { headers: cookie() });
    assert.equal(l.status, 200, l.text);
  });

  test('a state change with only the cookie and no X-CSRF-Token is refused with 403 forbidden and has no effect', async () => {
    const body = { mood: 3, connection: 5, secure: 5, visibility: 'private' };
    let r = await srv.api('POST', '/api/v1/checkins', { body, headers: cookie() });
    assertError(r, 403, 'forbidden', undefined, 'POST /checkins with cookie only');
    r = await srv.api('POST', '/api/v1/checkins', { body, headers: { ...cookie(), 'X-CSRF-Token': 'forged-token-value' } });
    assertError(r, 403, 'forbidden', undefined, 'POST /checkins with cookie and a forged CSRF token');
    r = await srv.api('POST', '/api/v1/spaces', { headers: cookie() });
    assertError(r, 403, 'forbidden', undefined, 'POST /spaces with cookie only');
    r = await srv.api('DELETE', '/api/v1/sessions/current', { headers: cookie() });
    assertError(r, 403, 'forbidden', undefined, 'DELETE /sessions/current with cookie only');

    const list = await srv.api('GET', '/api/v1/checkins?author=me', { token: u.token });
    assert.equal(list.status, 200);
    assert.equal(list.json.items.length, 0, 'no check-in may have been created');
    const me = await srv.api('GET', '/api/v1/me', { token: u.token });
    assert.equal(me.status, 200, 'the session must still be valid');
    assert.equal(me.json.space, null, 'no space may have been created');
  });

  test('PATCH and DELETE with only the cookie are refused with 403 and change nothing', async () => {
    const c = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 4, connection: 4, secure: 4, visibility: 'private' } });
    assert.equal(c.status, 201, c.text);
    let r = await srv.api('PATCH', `/api/v1/checkins/${c.json.id}`, { body: { mood: 1 }, headers: cookie() });
    assertError(r, 403, 'forbidden', undefined, 'PATCH with cookie only');
    r = await srv.api('DELETE', `/api/v1/checkins/${c.json.id}`, { headers: cookie() });
    assertError(r, 403, 'forbidden', undefined, 'DELETE with cookie only');
    const g = await srv.api('GET', `/api/v1/checkins/${c.json.id}`, { token: u.token });
    assert.equal(g.status, 200);
    assert.equal(g.json.mood, 4);
    assert.equal((await srv.api('DELETE', `/api/v1/checkins/${c.json.id}`, { token: u.token })).status, 204);
  });

  test('a bad cookie is 401 unauthenticated', async () => {
    const r = await srv.api('GET', '/api/v1/me', { headers: { Cookie: 'hearth_session=not-a-real-token' } });
    assertError(r, 401, 'unauthenticated');
  });
});

// Signed-out forms (/login, /signup) are protected by a double submit: GET
// gives a hearth_pre cookie and the same value in the hidden csrf field, and a
// post must carry both. Without it, another site could sign a visitor in to an
// account of its choosing (login CSRF) or create accounts from their browser.
describe('signed-out forms and CSRF', { timeout: TEST_TIMEOUT }, () => {
  let user;
  before(async () => { user = await srv.signUp('csrfout'); });

  /** The ways a signed-out post can lack the right token: {cookie, csrf} to send. */
  async function badTokens() {
    const mine = await anonForm(srv);
    const other = await anonForm(srv);
    return {
      'no csrf field': { cookie: mine.cookie },
      'an empty csrf field': { cookie: mine.cookie, csrf: '' },
      'the csrf of another hearth_pre cookie': { cookie: mine.cookie, csrf: other.csrf },
      'a csrf field but no hearth_pre cookie': { csrf: mine.csrf },
      'the csrf value with one character changed': { cookie: mine.cookie, csrf: `${mine.csrf.slice(0, -1)}${mine.csrf.endsWith('A') ? 'B' : 'A'}` },
    };
  }
  const post = (path, { cookie, csrf }, fields) => page(srv, 'POST', path, { cookie, form: { ...(csrf !== undefined ? { csrf } : {}), ...fields } });

  test('POST /login with the right password but without the right csrf → 403, and no session', async () => {
    for (const [what, t] of Object.entries(await badTokens())) {
      const r = await post('/login', t, { username: user.username, password: user.password });
      assert.equal(r.status, 403, `${what}: ${r.status} ${r.location || ''} ${r.text.slice(0, 120)}`);
      assert.equal(r.cookies.hearth_session, undefined, `${what}: a session cookie was set`);
    }
    // The control: with the cookie and its own value, the same form signs in.
    const ok = await anonForm(srv);
    const r = await post('/login', ok, { username: user.username, password: user.password });
    assert.equal(r.status, 303, `the right csrf: ${r.status} ${r.text.slice(0, 120)}`);
    assert.ok(r.cookies.hearth_session, 'the right csrf: no session cookie');
  });

  test('POST /signup without the right csrf → 403, and no account is made', async () => {
    for (const [what, t] of Object.entries(await badTokens())) {
      const username = uniqueUsername('csrfsu');
      const r = await post('/signup', t, { username, password: PW, display_name: 'Csrf' });
      assert.equal(r.status, 403, `${what}: ${r.status} ${r.location || ''} ${r.text.slice(0, 120)}`);
      assert.equal(r.cookies.hearth_session, undefined, `${what}: a session cookie was set`);
      assertError(await srv.api('POST', '/api/v1/sessions', { body: { username, password: PW } }), 401, 'bad_credentials', undefined, `${what}: the account was made`);
    }
    const username = uniqueUsername('csrfsu');
    const r = await post('/signup', await anonForm(srv), { username, password: PW, display_name: 'Csrf' });
    assert.equal(r.status, 303, `the right csrf: ${r.status} ${r.text.slice(0, 120)}`);
    assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username, password: PW } })).status, 201);
  });
});

describe('CLI-made therapist', { timeout: TEST_TIMEOUT }, () => {
  test('hearth user add --role therapist while the server runs; the account logs in with role therapist', async () => {
    const username = uniqueUsername('ther');
    const password = 'therapist-password-123';
    const r = srv.cli(['user', 'add', username, '--role', 'therapist', '--display-name', 'Dr Tess'], { input: `${password}\n` });
    assert.equal(r.status, 0, `exit ${r.status} ${r.signal ?? ''}; stderr: ${r.stderr}`);
    const s = await srv.api('POST', '/api/v1/sessions', { body: { username, password } });
    assert.equal(s.status, 201, `login of CLI-made account: ${s.text}`);
    assert.equal(s.json.user.role, 'therapist');
    const me = await srv.api('GET', '/api/v1/me', { token: s.json.token });
    assert.equal(me.status, 200);
    assert.equal(me.json.username, username);
    assert.equal(me.json.role, 'therapist');
    assert.equal(me.json.display_name, 'Dr Tess');

    const dup = srv.cli(['user', 'add', username, '--role', 'member'], { input: `${password}\n` });
    assert.notEqual(dup.status, 0, 'adding an existing username must fail');
  });

  test('hearth user add with a bad role: exit 2, one line on stderr, no account', async () => {
    const username = uniqueUsername('badrole');
    const r = srv.cli(['user', 'add', username, '--role', 'wizard'], { input: 'some-long-password\n' });
    assert.equal(r.status, 2, `exit ${r.status}; stderr: ${r.stderr}`);
    const lines = r.stderr.replace(/\n$/, '').split('\n');
    assert.equal(lines.length, 1, `stderr: ${JSON.stringify(r.stderr)}`);
    assert.ok(lines[0].trim().length > 0);
    const s = await srv.api('POST', '/api/v1/sessions', { body: { username, password: 'some-long-password' } });
    assertError(s, 401, 'bad_credentials');
  });
});
