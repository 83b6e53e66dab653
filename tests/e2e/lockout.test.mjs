// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Login throttling that does not lock the right person out (issue 10):
// - checking and counting an attempt are one step: 8 concurrent wrong guesses
//   after 9 failures get one more check, not 8 (10 in all, the limit);
// - a browser that logged in to an account before holds a signed device
//   cookie (OWASP's device cookies): neither someone guessing that account's
//   password elsewhere nor others' failures from the same address lock it
//   out; its own failures are limited on their own (10 / 15 min), and then it
//   counts as any other browser;
// - the cookie vouches for one account, and only the server can make one;
// - failure counters are keyed hashes: no username as typed and no address
//   is stored (the database, and on SQLite its files, searched);
// - wrong invite codes are limited per person, and the page says when to
//   try again.
//
// Addresses: the server trusts 127.0.0.1 as a proxy (HEARTH_TRUSTED_PROXIES),
// so each test names its clients' addresses in X-Forwarded-For and the tests
// do not throttle one another.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, assertError, uniqueUsername, PG_URL, TEST_TIMEOUT } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

let srv;
before(async () => { srv = await startServer({ env: { HEARTH_TRUSTED_PROXIES: '127.0.0.1' } }); }, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

let net = 0;
/** A fresh client address for one test (documentation ranges, never real). */
const address = () => `198.51.100.${++net}`;

/** POST /api/v1/sessions from `from`, with a device cookie when given; returns the response and the cookie set. */
async function login(username, password, { from, device } = {}) {
  const headers = { 'X-Forwarded-For': from };
  if (device) headers.Cookie = `hearth_device=${device}`;
  const r = await srv.api('POST', '/api/v1/sessions', { body: { username, password }, headers });
  const set = r.headers.getSetCookie().find((c) => c.startsWith('hearth_device='));
  r.device = set ? set.split(';')[0].slice('hearth_device='.length) : null;
  return r;
}

/** A member account, signed up from its own address. */
async function member(prefix) {
  const username = uniqueUsername(prefix);
  const password = `pw-${username}-correct horse`;
  const r = await srv.api('POST', '/api/v1/accounts', {
    body: { username, password, display_name: prefix }, headers: { 'X-Forwarded-For': address() },
  });
  assert.equal(r.status, 201, r.text);
  return { username, password };
}

/** Runs n wrong logins one after the other; each must be 401. */
async function failures(n, username, opts, what) {
  for (let i = 1; i <= n; i++) {
    const r = await login(username, `wrong-password-${i}`, opts);
    assertError(r, 401, 'bad_credentials', undefined, `${what} #${i}`);
  }
}

test('checking and counting are one step: 8 concurrent wrong guesses after 9 failures get one check, the rest 429', { timeout: TEST_TIMEOUT }, async () => {
  const v = await member('race');
  const from = address();
  await failures(9, v.username, { from }, 'failure');
  const res = await Promise.all(Array.from({ length: 8 }, (_, i) => login(v.username, `concurrent-guess-${i}`, { from })));
  const checked = res.filter((r) => r.status === 401);
  const refused = res.filter((r) => r.status === 429);
  assert.equal(checked.length + refused.length, 8, `every guess is 401 or 429: ${res.map((r) => r.status)}`);
  assert.equal(checked.length, 1, `9 failures + ${checked.length} checked now: at most 10 checks in the window`);
  for (const r of refused) {
    assertError(r, 429, 'rate_limited');
    assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  }
  assertError(await login(v.username, v.password, { from }), 429, 'rate_limited', undefined, 'right password, 11th attempt');
});

test('a browser that logged in before is not locked out by others\' failures from its address, nor by guesses at its account', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const owner = await member('owner');
  const bystander = await member('bystander');
  const home = address();
  let r = await login(owner.username, owner.password, { from: home });
  assert.equal(r.status, 201, r.text);
  assert.match(r.device || '', /^[A-Za-z0-9_-]{43}$/, 'a device cookie comes with a successful login');
  const device = r.device;
  const set = r.headers.getSetCookie().find((c) => c.startsWith('hearth_device='));
  assert.match(set, /; HttpOnly/);
  assert.match(set, /; SameSite=Lax/);
  assert.match(set, /; Max-Age=\d+/);

  // Someone else at the same address (a shared network) fails 100 times: the address is locked.
  const names = Array.from({ length: 100 }, (_, i) => uniqueUsername(`nobody${i}`));
  for (let i = 0; i < 100; i += 4) {
    const batch = await Promise.all(names.slice(i, i + 4).map((n) => login(n, 'not-the-password', { from: home })));
    for (const b of batch) assertError(b, 401, 'bad_credentials');
  }
  assertError(await login(bystander.username, bystander.password, { from: home }), 429, 'rate_limited',
    undefined, 'a browser without the cookie, at the locked address');
  r = await login(owner.username, owner.password, { from: home, device });
  assert.equal(r.status, 201, `the owner's browser at the locked address: ${r.text}`);
  assert.ok(r.device, 'a fresh device cookie again');
  assert.ok(r.device.split('.').length >= 1 && r.device.split('.').length <= 4);

  // The cookie vouches for its own account only.
  assertError(await login(bystander.username, bystander.password, { from: home, device }), 429, 'rate_limited',
    undefined, "the owner's cookie used for another account");

  // Someone guesses the owner's password from elsewhere: the account is locked for everyone else...
  await failures(10, owner.username, { from: address() }, 'guess');
  assertError(await login(owner.username, owner.password, { from: address() }), 429, 'rate_limited',
    undefined, 'the right password from a new browser while the account is locked');
  // ... but not for the owner's browser.
  r = await login(owner.username, owner.password, { from: home, device });
  assert.equal(r.status, 201, `the owner's browser while the account is locked: ${r.text}`);

  // A cookie the server did not make vouches for nothing.
  const forged = `${device.slice(0, 42)}${device[42] === 'A' ? 'B' : 'A'}`;
  assertError(await login(owner.username, owner.password, { from: home, device: forged }), 429, 'rate_limited',
    undefined, 'a tampered device cookie');
  assertError(await login(owner.username, owner.password, { from: home, device: 'x'.repeat(43) }), 429,
    'rate_limited', undefined, 'a made-up device cookie');
});

test("a device's own failures are limited too: after 10 it counts as any other browser", { timeout: TEST_TIMEOUT }, async () => {
  const u = await member('dev');
  const from = address();
  const r = await login(u.username, u.password, { from });
  assert.equal(r.status, 201, r.text);
  const device = r.device;
  await failures(10, u.username, { from, device }, 'failure with the cookie');
  // The device is at its limit; as any other browser, the account's own count (none yet) applies.
  assertError(await login(u.username, 'wrong-password-11', { from, device }), 401, 'bad_credentials', undefined,
    '11th: checked as an untrusted attempt');
  let ok = await login(u.username, u.password, { from, device });
  assert.equal(ok.status, 201, `the right password still works (the account itself is not locked): ${ok.text}`);
  // Now lock the account from elsewhere: the spent device cannot get past that.
  const u2 = await member('dev2');
  const from2 = address();
  ok = await login(u2.username, u2.password, { from: from2 });
  const device2 = ok.device;
  await failures(10, u2.username, { from: from2, device: device2 }, 'device failure');
  await failures(10, u2.username, { from: address() }, 'account failure');
  assertError(await login(u2.username, u2.password, { from: from2, device: device2 }), 429, 'rate_limited',
    undefined, 'a spent device on a locked account');
});

test('one browser remembers up to four accounts (a couple may share a laptop)', { timeout: TEST_TIMEOUT }, async () => {
  const a = await member('sha');
  const b = await member('shb');
  const from = address();
  let r = await login(a.username, a.password, { from });
  r = await login(b.username, b.password, { from, device: r.device });
  assert.equal(r.status, 201);
  const both = r.device;
  assert.equal(both.split('.').length, 2, `one entry per account: ${both}`);
  // Lock both accounts from elsewhere; the shared browser still gets in to either.
  await failures(10, a.username, { from: address() }, 'guess a');
  await failures(10, b.username, { from: address() }, 'guess b');
  for (const u of [a, b]) {
    r = await login(u.username, u.password, { from, device: both });
    assert.equal(r.status, 201, `${u.username} from the shared browser: ${r.text}`);
    assert.equal(r.device.split('.').length, 2, 'still one entry per account');
  }
  // A long cookie is cut to four entries.
  const long = [both, both, both].join('.');
  r = await login(a.username, a.password, { from, device: long });
  assert.equal(r.status, 201);
  assert.ok(r.device.split('.').length <= 4, r.device);
});

test('failure counters name keyed hashes: the typed username and the address are stored nowhere', { timeout: TEST_TIMEOUT }, async () => {
  const marker = `Typed.Name-${Date.now().toString(36)}`;
  const from = '203.0.113.199';
  for (let i = 0; i < 3; i++) assertError(await login(marker, `wrong-${i}`, { from }), 401, 'bad_credentials');
  const keys = srv.sql('SELECT key FROM auth_failures UNION SELECT key FROM throttle_locks').split('\n').filter(Boolean);
  assert.ok(keys.length > 0, 'failures were counted');
  for (const k of keys) assert.match(k, /^[a-z-]+:[0-9a-f]{32}$/, `a key is a kind and a hash: ${k}`);
  const all = keys.join('\n');
  for (const s of [marker, marker.toLowerCase(), from]) assert.ok(!all.includes(s), `${s} in the keys`);
  if (!PG_URL) {
    for (const f of fs.readdirSync(srv.dataDir)) {
      const p = path.join(srv.dataDir, f);
      if (!fs.statSync(p).isFile()) continue;
      const bytes = fs.readFileSync(p);
      for (const s of [marker.toLowerCase(), from]) {
        assert.equal(bytes.indexOf(Buffer.from(s)), -1, `${s} found in ${f}`);
      }
    }
  }
  // The same name however it is typed counts as one: 7 more failures as "  TYPED.NAME-..  " lock it.
  for (let i = 0; i < 7; i++) {
    assertError(await login(`  ${marker.toUpperCase()} `, `wrong-again-${i}`, { from: address() }), 401, 'bad_credentials');
  }
  assertError(await login(marker.toLowerCase(), 'wrong-last', { from: address() }), 429, 'rate_limited',
    undefined, 'the 11th attempt on one normalised name');
});

test('wrong invite codes: 10 per person in 15 minutes, then 429; the space page says when to try again', { timeout: TEST_TIMEOUT }, async () => {
  const u = await srv.signUp('codes');
  for (let i = 0; i < 10; i++) {
    const r = await srv.api('POST', '/api/v1/spaces/join', { token: u.token, body: { code: `WRNG-CODE-${String(i).padStart(4, 'X')}` } });
    assertError(r, 404, 'not_found', 'code', `wrong code #${i + 1}`);
  }
  const r = await srv.api('POST', '/api/v1/spaces/join', { token: u.token, body: { code: 'WRNG-CODE-LAST' } });
  assertError(r, 429, 'rate_limited', undefined, 'the 11th code');
  assert.match(r.headers.get('retry-after') || '', /^\d+$/);
  // The page: log in by the form (a cookie session), then send a code.
  const s = await cookieLogin(srv, u.username, u.password);
  const p = await page(srv, 'POST', '/space/join', { cookie: s.cookie, form: { csrf: s.csrf, code: 'WRNG-CODE-PAGE' } });
  assert.equal(p.status, 429);
  assert.match(p.headers.get('retry-after') || '', /^\d+$/);
  assert.match(p.text, /too many tries with invite codes\. Please try again in about (a minute|\d+ minutes)\./);
  assert.ok(p.text.includes('WRNG-CODE-PAGE'), 'the typed code is kept');
});
