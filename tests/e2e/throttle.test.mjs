// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Address-wide limits, on a server of their own because they affect every
// request from 127.0.0.1 (API.md: "Accounts and sessions"):
// - sign-ups from one address may be limited, but never below 50 an hour;
// - a client address is throttled after 100 failed logins in 15 minutes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, uniqueUsername, TEST_TIMEOUT } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); }, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

/** Run fn(i) for i in 0..n-1 with at most `width` calls in flight; results in order. */
async function pool(n, width, fn) {
  const out = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

const accounts = [];

test('50 sign-ups from one address within an hour are all accepted', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const res = await pool(50, 4, async (i) => {
    const username = uniqueUsername(`fl${i}`);
    const password = `floor-password-${i}-xyz`;
    const r = await srv.api('POST', '/api/v1/accounts', { body: { username, password, display_name: `F${i}` } });
    if (r.status === 201) accounts.push({ username, password });
    return r;
  });
  const refused = res.map((r, i) => [i + 1, r.status, r.text]).filter(([, s]) => s !== 201);
  assert.deepEqual(refused, [], 'every one of the first 50 sign-ups must succeed');
});

test('after 100 failed logins from one address, further attempts get 429 rate_limited, even with a right password', { timeout: TEST_TIMEOUT * 2 }, async () => {
  assert.ok(accounts.length > 0);
  const good = accounts[0];
  // 100 failures spread over many unknown names (1 each), so no single-account limit applies.
  const res = await pool(100, 4, async (i) => srv.api('POST', '/api/v1/sessions', {
    body: { username: uniqueUsername(`nx${i}`), password: `wrong-password-${i}` },
  }));
  for (const [i, r] of res.entries()) assertError(r, 401, 'bad_credentials', undefined, `failure #${i + 1}`);
  let r = await srv.api('POST', '/api/v1/sessions', { body: { username: uniqueUsername('nx'), password: 'wrong-password-x' } });
  assertError(r, 429, 'rate_limited', undefined, 'failure #101');
  assert.ok(r.headers.get('retry-after'), 'Retry-After on 429');
  r = await srv.api('POST', '/api/v1/sessions', { body: { username: good.username, password: good.password } });
  assertError(r, 429, 'rate_limited', undefined, 'right password from a throttled address');
  assert.ok(r.headers.get('retry-after'), 'Retry-After on 429');
});
