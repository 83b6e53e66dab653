// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Two-step login (issue 10, part B; API.md "Additions: Accounts, sessions,
// security"): POST /me/two-step gives a secret, an otpauth URI and a QR code;
// POST /me/two-step/confirm takes the first code and answers ten recovery
// codes; from then on POST /sessions answers 401 second_factor_required until
// a valid `otp` (a TOTP, computed here with node:crypto as RFC 6238 says, or a
// recovery code) comes; each code works once; wrong codes are throttled like
// passwords; DELETE /me/two-step {password} turns it off. Also: the login of
// the pages in two requests (POST /login, then POST /login/code with a
// ticket), `hearth user two-step-off`, and that neither the secret nor a
// recovery code is stored in clear. Runs on SQLite and, under
// tests/pg/with-postgres.sh, on PostgreSQL.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, assertError, assertJsonType, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';
import { anonForm, csrfFromHtml, page } from './lib/actors.mjs';
import { base32Decode, hotp, stepOf, totp, totpFromBytes } from './lib/totp.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const RECOVERY = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;


/** The code for the step `delta` steps after `step` (the server accepts its own step and one either side). */
const codeAt = (secret, step) => totp(secret, { at: step * 30000 + 1000 });

/** A six-digit code that is none of the codes of the steps around now. */
function wrongCode(secret) {
  const near = new Set([-1, 0, 1, 2].map((d) => codeAt(secret, stepOf(Date.now()) + d)));
  for (let i = 0; ; i++) {
    const c = String((Number(codeAt(secret, stepOf(Date.now()))) + 123457 * (i + 1)) % 1e6).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

/** Sets two-step up for who and confirms it: {secret, codes, step} (step: the time step used to confirm). */
async function enable(who) {
  const setup = await srv.ok(who, 'POST', '/api/v1/me/two-step', undefined, 201);
  const step = stepOf(Date.now());
  const conf = await srv.ok(who, 'POST', '/api/v1/me/two-step/confirm', { otp: codeAt(setup.secret, step) }, 200);
  return { secret: setup.secret, codes: conf.recovery_codes, step, setup };
}

const login = (who, extra = {}) => srv.api('POST', '/api/v1/sessions', {
  body: { username: who.username, password: who.password, ...extra },
});

test('the TOTP helper agrees with the test vectors of RFC 6238 (SHA-1)', () => {
  const key = Buffer.from('12345678901234567890');
  const vectors = [[59, '94287082'], [1111111109, '07081804'], [1111111111, '14050471'],
    [1234567890, '89005924'], [2000000000, '69279037'], [20000000000, '65353130']];
  for (const [t, want] of vectors) assert.equal(totpFromBytes(key, { at: t * 1000, digits: 8 }), want, `T=${t}`);
  assert.equal(hotp(key, 0), '755224', 'RFC 4226 HOTP of counter 0');
  assert.deepEqual([...base32Decode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ')], [...key], 'base32 of the same key');
});

describe('setting up', T, () => {
  test('GET /me says two_step false; POST /me/two-step answers 201 {secret, otpauth_uri, qr_svg}; nothing changes until confirmed', T, async () => {
    const a = await srv.signUp('tsa');
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, false);
    const r = await srv.api('POST', '/api/v1/me/two-step', { token: a.token });
    assert.equal(r.status, 201, r.text);
    assertJsonType(r);
    assert.deepEqual(Object.keys(r.json).sort(), ['otpauth_uri', 'qr_svg', 'secret']);
    const { secret, otpauth_uri: uri, qr_svg: svg } = r.json;
    assert.match(secret, /^[A-Z2-7]{32}$/, 'a base32 secret of 160 bits');
    assert.equal(base32Decode(secret).length, 20);
    const u = new URL(uri);
    assert.equal(u.protocol, 'otpauth:');
    assert.equal(u.host, 'totp');
    assert.equal(decodeURIComponent(u.pathname), `/hearth:${a.username}`);
    assert.equal(u.searchParams.get('secret'), secret);
    assert.equal(u.searchParams.get('issuer'), 'hearth');
    assert.equal(u.searchParams.get('digits'), '6');
    assert.equal(u.searchParams.get('period'), '30');
    assert.equal(u.searchParams.get('algorithm'), 'SHA1');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-label="[^"]+"/);
    assert.match(svg, /<path fill="#000000" d="(M\d+ \d+h\d+v1h-\d+z)+"\/><\/svg>$/, 'one path of dark runs');
    assert.ok(!/<script|on\w+=/i.test(svg), 'no script in the SVG');
    // pending: login needs no code yet, /me still says false
    assert.equal((await login(a)).status, 201, 'a pending setup does not ask for a code');
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, false);
    // a new POST replaces the pending secret: the old one's codes no longer confirm
    const again = await srv.ok(a, 'POST', '/api/v1/me/two-step', undefined, 201);
    assert.notEqual(again.secret, secret);
    const old = await srv.api('POST', '/api/v1/me/two-step/confirm', { token: a.token, body: { otp: codeAt(secret, stepOf(Date.now())) } });
    if (codeAt(secret, stepOf(Date.now())) !== codeAt(again.secret, stepOf(Date.now()))) assertError(old, 400, 'invalid_input', 'otp');
  });

  test('confirm: 400 for a missing, malformed or wrong code; 200 with ten distinct recovery codes for the right one; then 409', T, async () => {
    const a = await srv.signUp('tsb');
    const { secret } = await srv.ok(a, 'POST', '/api/v1/me/two-step', undefined, 201);
    const path = '/api/v1/me/two-step/confirm';
    assertError(await srv.api('POST', path, { token: a.token, body: {} }), 400, 'invalid_input', 'otp', 'no otp');
    assertError(await srv.api('POST', path, { token: a.token, body: { otp: 12 } }), 400, 'invalid_input', 'otp', 'a number');
    assertError(await srv.api('POST', path, { token: a.token, body: { otp: 'abcdef' } }), 400, 'invalid_input', 'otp', 'letters');
    assertError(await srv.api('POST', path, { token: a.token, body: { otp: wrongCode(secret) } }), 400, 'invalid_input', 'otp', 'wrong');
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, false, 'a wrong code turns nothing on');
    const code = codeAt(secret, stepOf(Date.now()));
    const r = await srv.api('POST', path, { token: a.token, body: { otp: `${code.slice(0, 3)} ${code.slice(3)}` } });
    assert.equal(r.status, 200, `the code as apps show it, "123 456": ${r.text}`);
    assert.deepEqual(Object.keys(r.json), ['recovery_codes']);
    const codes = r.json.recovery_codes;
    assert.equal(codes.length, 10);
    assert.equal(new Set(codes).size, 10, 'distinct');
    for (const c of codes) assert.match(c, RECOVERY);
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, true);
    assertError(await srv.api('POST', '/api/v1/me/two-step', { token: a.token }), 409, 'already_enabled');
    assertError(await srv.api('POST', path, { token: a.token, body: { otp: code } }), 409, 'already_enabled');
  });

  test('confirm without a setup: 409 not_started; the routes need a session (401)', T, async () => {
    const a = await srv.signUp('tsc');
    assertError(await srv.api('POST', '/api/v1/me/two-step/confirm', { token: a.token, body: { otp: '123456' } }), 409, 'not_started');
    assertError(await srv.api('POST', '/api/v1/me/two-step'), 401, 'unauthenticated');
    assertError(await srv.api('POST', '/api/v1/me/two-step/confirm', { body: { otp: '123456' } }), 401, 'unauthenticated');
    assertError(await srv.api('DELETE', '/api/v1/me/two-step', { body: { password: a.password } }), 401, 'unauthenticated');
  });
});

describe('logging in', T, () => {
  test('401 second_factor_required until a valid otp; a wrong password is still bad_credentials; each code works once', T, async () => {
    const a = await srv.signUp('tsl');
    const { secret, step } = await enable(a);
    const none = await login(a);
    assertError(none, 401, 'second_factor_required', 'otp', 'no otp');
    assert.ok(!none.text.includes('token'), 'no token without the code');
    assertError(await login(a, { otp: '' }), 401, 'second_factor_required', 'otp', 'empty otp');
    assertError(await login(a, { otp: null }), 401, 'second_factor_required', 'otp', 'null otp');
    assertError(await login(a, { otp: 123456 }), 400, 'invalid_input', 'otp', 'a number');
    assertError(await login(a, { otp: wrongCode(secret) }), 401, 'second_factor_required', 'otp', 'wrong code');
    assertError(await login(a, { otp: 'x'.repeat(5000) }), 401, 'second_factor_required', 'otp', 'a long string');
    // A wrong password with the right code says nothing about the code.
    const wrongPw = await srv.api('POST', '/api/v1/sessions', { body: { username: a.username, password: 'not the password at all', otp: codeAt(secret, step + 1) } });
    assertError(wrongPw, 401, 'bad_credentials', undefined, 'wrong password, right code');
    // The confirming code was used for its step: replaying it fails.
    assertError(await login(a, { otp: codeAt(secret, step) }), 401, 'second_factor_required', 'otp', 'the confirming code again');
    const next = codeAt(secret, step + 1);
    const r = await login(a, { otp: next });
    assert.equal(r.status, 201, `the next step's code: ${r.text}`);
    assert.equal(typeof r.json.token, 'string');
    assert.equal(r.json.user.two_step, true, 'the login answer carries the user as GET /me');
    assert.equal((await srv.api('GET', '/api/v1/me', { token: r.json.token })).status, 200);
    assertError(await login(a, { otp: next }), 401, 'second_factor_required', 'otp', 'the same code twice');
    assertError(await login(a, { otp: codeAt(secret, step) }), 401, 'second_factor_required', 'otp', 'an older step');
  });

  test('a recovery code logs in once, typed in any case and with or without dashes', T, async () => {
    const a = await srv.signUp('tsr');
    const { codes } = await enable(a);
    const r = await login(a, { otp: codes[3].toLowerCase().replace(/-/g, ' ') });
    assert.equal(r.status, 201, r.text);
    assertError(await login(a, { otp: codes[3] }), 401, 'second_factor_required', 'otp', 'used recovery code');
    assert.equal((await login(a, { otp: codes[4] })).status, 201, 'another one still works');
    // someone else's recovery code is no code for this account
    const b = await srv.signUp('tsr2');
    const other = await enable(b);
    assertError(await login(a, { otp: other.codes[0] }), 401, 'second_factor_required', 'otp', "another person's code");
    assert.equal((await login(b, { otp: other.codes[0] })).status, 201, 'unused by the refusal above');
  });

  test('wrong codes are throttled like passwords: after 10 in 15 minutes, 429 with Retry-After even for the right code', T, async () => {
    const a = await srv.signUp('tst');
    const { secret, step } = await enable(a);
    for (let i = 0; i < 10; i++) assertError(await login(a, { otp: wrongCode(secret) }), 401, 'second_factor_required', 'otp', `wrong code ${i + 1}`);
    const r = await login(a, { otp: codeAt(secret, step + 1) });
    assertError(r, 429, 'rate_limited');
    assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
    // A missing code is the ordinary first step, not a failure: it never locks anyone out.
    const b = await srv.signUp('tst2');
    const e = await enable(b);
    for (let i = 0; i < 12; i++) assertError(await login(b), 401, 'second_factor_required', 'otp');
    assert.equal((await login(b, { otp: codeAt(e.secret, e.step + 1) })).status, 201);
  });
});

describe('turning it off', T, () => {
  test('DELETE /me/two-step: 400 without a password, 401 for a wrong one, 204 with it; then the password alone logs in; 404 when off', T, async () => {
    const a = await srv.signUp('tso');
    const { secret, step } = await enable(a);
    assertError(await srv.api('DELETE', '/api/v1/me/two-step', { token: a.token, body: {} }), 400, 'invalid_input', 'password');
    assertError(await srv.api('DELETE', '/api/v1/me/two-step', { token: a.token, body: { password: 'not my password' } }), 401, 'bad_credentials', 'password');
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, true, 'still on');
    const r = await srv.api('DELETE', '/api/v1/me/two-step', { token: a.token, body: { password: a.password } });
    assert.equal(r.status, 204, r.text);
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, false);
    assert.equal((await login(a)).status, 201, 'no code needed any more');
    assert.equal((await login(a, { otp: codeAt(secret, step + 1) })).status, 201, 'an otp is ignored when two-step is off');
    assertError(await srv.api('DELETE', '/api/v1/me/two-step', { token: a.token, body: { password: a.password } }), 404, 'not_found');
    // on again: a new secret and new recovery codes; the old ones are dead
    const again = await enable(a);
    assert.notEqual(again.secret, secret);
  });

  test('wrong passwords for turning it off are throttled (10 / 15 minutes)', T, async () => {
    const a = await srv.signUp('tsp');
    await enable(a);
    for (let i = 0; i < 10; i++) {
      assertError(await srv.api('DELETE', '/api/v1/me/two-step', { token: a.token, body: { password: `wrong ${i}` } }), 401, 'bad_credentials');
    }
    assertError(await srv.api('DELETE', '/api/v1/me/two-step', { token: a.token, body: { password: a.password } }), 429, 'rate_limited');
    assert.equal((await srv.ok(a, 'GET', '/api/v1/me', undefined, 200)).two_step, true);
  });

  test('`hearth user two-step-off USERNAME` turns it off for someone who lost phone and codes', T, async () => {
    const a = await srv.signUp('tsx');
    await enable(a);
    const r = srv.cli(['user', 'two-step-off', a.username]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /two-step login is off/);
    assert.equal((await login(a)).status, 201);
    const again = srv.cli(['user', 'two-step-off', a.username]);
    assert.equal(again.status, 2, 'not on: a usage error');
    assert.match(again.stderr, /not on/);
    const nobody = srv.cli(['user', 'two-step-off', 'no-such-user-here']);
    assert.equal(nobody.status, 2);
    assert.match(nobody.stderr, /no such user/);
    assert.equal(srv.cli(['user', 'two-step-off']).status, 2, 'no username');
  });
});

describe('the pages log in in two requests', T, () => {
  test('POST /login with the password gives the code page with a ticket; POST /login/code with the code signs in', T, async () => {
    const a = await srv.signUp('tsw');
    const { secret, step } = await enable(a);
    const anon = await anonForm(srv);
    const first = await page(srv, 'POST', '/login', { cookie: anon.cookie, form: { csrf: anon.csrf, username: a.username, password: a.password } });
    assert.equal(first.status, 200, first.text.slice(0, 300));
    assert.ok(!first.cookies.hearth_session, 'no session after the password alone');
    assert.match(first.text, /<h1>One more step<\/h1>/);
    assert.ok(!first.text.includes(a.password), 'the password is not carried in the page');
    const ticket = /name="ticket" value="([^"]+)"/.exec(first.text)[1];
    assert.equal(ticket.length, 43);
    const csrf = csrfFromHtml(first.text);
    // a wrong code: the same page again, 401, the error by the field, the ticket kept
    const wrong = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf, ticket, otp: wrongCode(secret) } });
    assert.equal(wrong.status, 401);
    assert.match(wrong.text, /id="otp-error"/);
    assert.match(wrong.text, /aria-invalid="true"/);
    assert.ok(wrong.text.includes(`value="${ticket}"`));
    assert.ok(!wrong.cookies.hearth_session);
    // the right code
    const done = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf, ticket, otp: codeAt(secret, step + 1) } });
    assert.equal(done.status, 303);
    assert.equal(done.location, '/dashboard');
    assert.ok(done.cookies.hearth_session, 'a session cookie');
    const dash = await page(srv, 'GET', '/dashboard', { cookie: `hearth_session=${done.cookies.hearth_session}` });
    assert.equal(dash.status, 200);
    // the ticket is spent
    const reuse = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf, ticket, otp: codeAt(secret, step + 1) } });
    assert.equal(reuse.status, 401);
    assert.match(reuse.text, /log in again/);
    assert.match(reuse.text, /<h1>Log in<\/h1>/);
    // the code page's address, opened again later: the login form
    const get = await page(srv, 'GET', '/login/code');
    assert.equal(get.status, 200);
    assert.match(get.text, /<h1>Log in<\/h1>/);
  });

  test('a ticket allows five tries; a forged one is refused; the form needs its CSRF token', T, async () => {
    const a = await srv.signUp('tsv');
    const { secret, step } = await enable(a);
    const anon = await anonForm(srv);
    const first = await page(srv, 'POST', '/login', { cookie: anon.cookie, form: { csrf: anon.csrf, username: a.username, password: a.password } });
    const ticket = /name="ticket" value="([^"]+)"/.exec(first.text)[1];
    const noCsrf = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { ticket, otp: codeAt(secret, step + 1) } });
    assert.equal(noCsrf.status, 403, 'no csrf field');
    for (let i = 0; i < 5; i++) {
      const w = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf: anon.csrf, ticket, otp: wrongCode(secret) } });
      assert.equal(w.status, 401, `try ${i + 1}`);
      assert.match(w.text, /One more step/);
    }
    const late = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf: anon.csrf, ticket, otp: codeAt(secret, step + 1) } });
    assert.equal(late.status, 401, 'the sixth try, even with the right code');
    assert.match(late.text, /log in again/);
    const forged = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf: anon.csrf, ticket: 'A'.repeat(43), otp: codeAt(secret, step + 1) } });
    assert.equal(forged.status, 401);
    assert.ok(!forged.cookies.hearth_session);
    // the right code from a fresh ticket still works (the five tries were the ticket's, not a lock-out)
    const again = await page(srv, 'POST', '/login', { cookie: anon.cookie, form: { csrf: anon.csrf, username: a.username, password: a.password } });
    const t2 = /name="ticket" value="([^"]+)"/.exec(again.text)[1];
    const done = await page(srv, 'POST', '/login/code', { cookie: anon.cookie, form: { csrf: anon.csrf, ticket: t2, otp: codeAt(secret, step + 1) } });
    assert.equal(done.status, 303);
  });
});

test('the secret and the recovery codes are not stored in clear (database and WAL)', { ...T, skip: SQLITE_ONLY }, async () => {
  const a = await srv.signUp('tsd');
  const { secret, codes, setup } = await enable(a);
  const files = fs.readdirSync(srv.dataDir).filter((f) => f.startsWith('hearth.db'));
  assert.ok(files.length > 0);
  const raw = base32Decode(secret);
  for (const f of files) {
    const bytes = fs.readFileSync(path.join(srv.dataDir, f));
    for (const needle of [secret, secret.toLowerCase(), setup.otpauth_uri, ...codes, ...codes.map((c) => c.replace(/-/g, ''))]) {
      assert.equal(bytes.indexOf(Buffer.from(needle)), -1, `${f} holds ${needle.slice(0, 12)}...`);
    }
    assert.equal(bytes.indexOf(raw), -1, `${f} holds the raw secret`);
    assert.equal(bytes.indexOf(Buffer.from(raw.toString('hex'))), -1, `${f} holds the secret in hex`);
  }
});
