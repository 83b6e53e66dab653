// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Two `hearth serve` processes on one PostgreSQL database behave as one
// service: a session made on one works on the other, a change made through
// one is read through the other, a logout on one ends the session on both,
// and login throttling counts failures from both together.
// Runs only on PostgreSQL (tests/pg/with-postgres.sh sets HEARTH_TEST_PG_URL).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, PG_URL, TEST_TIMEOUT } from '../e2e/lib/server.mjs';

const skip = PG_URL ? false : 'PostgreSQL only (run through tests/pg/with-postgres.sh)';
let one, two;

before(async () => {
  if (skip) return;
  one = await startServer();
  // The same data directory (the shared key file) and so the same database.
  two = await startServer({ dataDir: one.dataDir });
}, { timeout: TEST_TIMEOUT });

after(async () => {
  if (two) await two.stop();
  if (one) await one.stop();
}, { timeout: TEST_TIMEOUT });

test('a session made on one server works on the other, and a logout on one ends it on both', { skip, timeout: TEST_TIMEOUT }, async () => {
  const u = await one.signUp('two');
  const me = await two.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.username, u.username);
  const made = await two.api('POST', '/api/v1/checkins', {
    token: u.token, body: { mood: 4, connection: 6, secure: 7, appreciation: 'written through two', visibility: 'private' },
  });
  assert.equal(made.status, 201, made.text);
  const read = await one.api('GET', `/api/v1/checkins/${made.json.id}`, { token: u.token });
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.appreciation, 'written through two', 'a text sealed by one server opens on the other');
  const out = await two.api('DELETE', '/api/v1/sessions/current', { token: u.token });
  assert.equal(out.status, 204);
  const gone = await one.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(gone.status, 401, 'the session ended on both servers');
});

test('login throttling is shared: ten failures spread over both servers lock the account on both', { skip, timeout: TEST_TIMEOUT }, async () => {
  const u = await one.signUp('thr');
  for (let i = 0; i < 10; i++) {
    const srv = i % 2 ? two : one;
    const r = await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: 'not the password!' } });
    assert.equal(r.status, 401, `failure ${i + 1}: ${r.text}`);
  }
  for (const srv of [one, two]) {
    const r = await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } });
    assert.equal(r.status, 429, `the eleventh attempt is throttled on either server: ${r.text}`);
    assert.ok(Number(r.headers.get ? r.headers.get('retry-after') : r.headers['retry-after']) > 0, 'Retry-After');
  }
});
