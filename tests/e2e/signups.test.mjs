// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Sign-ups and the cost of hashing passwords (issue 10):
// - at most 50 sign-ups per address and hour by default; the 51st gets 429
//   rate_limited with Retry-After, another address is not affected, and a
//   refused sign-up (invalid, or a taken username) does not count;
// - HEARTH_SIGNUP_LIMIT raises the limit, and a value below 50 (what the API
//   promises) is refused at start;
// - argon2id runs at most one per core at a time and the rest queue without
//   holding a thread: while 10 sign-ups run, GET /me answers, again and again;
// - a password is hashed at the real cost (64 MiB, two passes) unless a
//   test-hooks build is told otherwise, as the suites do (lib/test-env.mjs).
//
// The server trusts 127.0.0.1 as a proxy, so each test names its client's
// address in X-Forwarded-For.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, tempDir, assertError, uniqueUsername, sqlAt, TEST_TIMEOUT } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer({ env: { HEARTH_TRUSTED_PROXIES: '127.0.0.1' } }); }, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

function signUp(server, from, username = uniqueUsername('su'), password = 'a-long-enough-password') {
  return server.api('POST', '/api/v1/accounts', {
    body: { username, password, display_name: 'S' }, headers: { 'X-Forwarded-For': from },
  });
}

/** n sign-ups from one address, two at a time; their statuses. */
async function signUps(server, from, n) {
  const out = [];
  for (let i = 0; i < n; i += 2) {
    const batch = await Promise.all([signUp(server, from), ...(i + 1 < n ? [signUp(server, from)] : [])]);
    out.push(...batch.map((r) => r.status));
  }
  return out;
}

test('50 sign-ups an hour from one address; the 51st gets 429 with Retry-After; refused ones do not count', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const from = '198.51.100.50';
  // Refused sign-ups first: they must not use up the address's allowance.
  const taken = uniqueUsername('taken');
  assert.equal((await signUp(srv, '198.51.100.51', taken)).status, 201);
  for (let i = 0; i < 3; i++) assertError(await signUp(srv, from, 'X!'), 400, 'invalid_input');
  assertError(await signUp(srv, from, uniqueUsername('short'), 'short'), 400, 'invalid_input');
  assertError(await signUp(srv, from, taken), 409, 'username_taken');
  const statuses = await signUps(srv, from, 50);
  assert.deepEqual(statuses.filter((s) => s !== 201), [], 'all 50 sign-ups are accepted');
  const r = await signUp(srv, from);
  assertError(r, 429, 'rate_limited', undefined, 'the 51st sign-up within the hour');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 3600, `Retry-After within the hour: ${r.headers.get('retry-after')}`);
  assert.equal((await signUp(srv, '198.51.100.52')).status, 201, 'another address is not affected');
});

test('the sign-up page says when to try again', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const from = '198.51.100.60';
  assert.deepEqual((await signUps(srv, from, 50)).filter((s) => s !== 201), []);
  const get = await fetch(`${srv.url}/signup`, { headers: { 'X-Forwarded-For': from } });
  const html = await get.text();
  const pre = get.headers.getSetCookie().find((c) => c.startsWith('hearth_pre=')).split(';')[0];
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)[1];
  const username = uniqueUsername('page');
  const res = await fetch(`${srv.url}/signup`, {
    method: 'POST', redirect: 'manual',
    headers: { 'X-Forwarded-For': from, Cookie: pre, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf, username, display_name: 'Page', password: 'a-long-enough-password' }).toString(),
  });
  const page = await res.text();
  assert.equal(res.status, 429);
  assert.match(res.headers.get('retry-after') || '', /^\d+$/);
  assert.match(page, /Please try again in (about (a minute|\d+ minutes|an hour)|less than a minute)\./);
  assert.ok(page.includes(`value="${username}"`), 'what was typed is kept');
});

test('HEARTH_SIGNUP_LIMIT below 50 is refused at start; above 50 it is the limit', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const dir = tempDir();
  const r = runCli(['--data', dir, 'serve', '--listen', '127.0.0.1:0'], { env: { HEARTH_SIGNUP_LIMIT: '49' }, timeout: 20000 });
  assert.equal(r.status, 2, `exit 2 for a limit below the contract: ${r.stderr}`);
  assert.match(r.stderr, /HEARTH_SIGNUP_LIMIT/);
  assert.match(r.stderr, /50/);
  const bad = runCli(['--data', dir, 'serve', '--listen', '127.0.0.1:0'], { env: { HEARTH_SIGNUP_LIMIT: 'many' }, timeout: 20000 });
  assert.equal(bad.status, 2, bad.stderr);
  const more = await startServer({ env: { HEARTH_SIGNUP_LIMIT: '53', HEARTH_TRUSTED_PROXIES: '127.0.0.1' } });
  try {
    const from = '198.51.100.70';
    assert.deepEqual((await signUps(more, from, 53)).filter((s) => s !== 201), [], '53 sign-ups with a limit of 53');
    assertError(await signUp(more, from), 429, 'rate_limited', undefined, 'the 54th');
  } finally {
    await more.stop();
  }
});

test('argon2id runs a core at a time and the rest queue without a thread: GET /me answers while 10 sign-ups run', { timeout: TEST_TIMEOUT }, async () => {
  // This test is about the real cost, so its server hashes at it.
  const real = await startServer({ env: { HEARTH_TRUSTED_PROXIES: '127.0.0.1', HEARTH_TEST_FAST_PASSWORD_HASH: '0' } });
  try {
    await readsWhileHashing(real);
  } finally {
    await real.stop();
  }
});

async function readsWhileHashing(srv) {
  const me = await srv.signUp('reader');
  const from = '198.51.100.80';
  let finished = 0;
  const ups = Array.from({ length: 10 }, () => signUp(srv, from).then((r) => { finished++; return r.status; }));
  // Once the first sign-up is done the others are surely running or waiting; count the reads
  // answered before half of them are done. Were reads stuck behind the hashing (every thread
  // busy with a sign-up), none would be: the sign-ups would all end together, and the reads after.
  while (finished === 0) await new Promise((r) => setTimeout(r, 2));
  let reads = 0;
  while (finished < 5) {
    const r = await srv.api('GET', '/api/v1/me', { token: me.token });
    assert.equal(r.status, 200, r.text);
    if (finished < 5) reads++;
  }
  const statuses = await Promise.all(ups);
  assert.deepEqual(statuses.filter((s) => s !== 201), [], 'every sign-up succeeds in the end');
  assert.ok(reads >= 3, `GET /me answered ${reads} times between the first and the fifth of 10 sign-ups`);
  const hash = sqlAt(srv, `SELECT password_hash FROM users WHERE username = '${me.username}'`);
  assert.match(hash, /^\$argon2id\$v=19\$m=65536,t=2,p=1\$/, 'the real cost: 64 MiB, two passes');
}

test('a password is hashed at the least cost only when a test-hooks build is told to', { timeout: TEST_TIMEOUT }, async () => {
  const me = await srv.signUp('cheap');
  const hash = sqlAt(srv, `SELECT password_hash FROM users WHERE username = '${me.username}'`);
  assert.match(hash, /^\$argon2id\$v=19\$m=8,t=1,p=1\$/, 'the suites hash at the least cost');
  assert.equal((await srv.api('POST', '/api/v1/sessions', { body: { username: me.username, password: me.password } })).status, 201,
    'and such a hash verifies');
});
