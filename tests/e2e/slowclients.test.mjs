// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Slow and idle clients must not hold up anybody else (docs/internals.md:
// thread pool with epoll, connection limits, 30 s idle timeout).
//
// - 50 connections that sent part of a request line or part of the headers
//   and then nothing, plus 50 that never sent a byte: while they are open,
//   GET /healthz and an authenticated GET /api/v1/me are answered.
// - Clients that send a body (or headers) a byte at a time do not block
//   others, and still get their answer when they finish.
// The server runs with HEARTH_THREADS=2: far fewer workers than clients.
// No timing assertions: every wait is bounded by a generous timeout only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { startServer, sleep, PG_URL, TEST_TIMEOUT } from './lib/server.mjs';
import { assertHealthy, closeSockets, openSocket, parseResponse } from './lib/actors.mjs';

/** Bound for "a normal client is answered" (fetch aborts after this). */
const ANSWER_TIMEOUT_MS = 60000;

let srv;
let u;
before(async () => {
  // Few worker threads, so that clients holding a worker would show at once
  // whatever the number of cores of the machine running the tests.
  srv = await startServer({ env: { HEARTH_THREADS: '2' } });
  u = await srv.signUp('slow');
}, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

/** A normal client: fresh connection, bounded wait. Returns {status, json}. */
async function normal(path, { token, method = 'GET', body } = {}) {
  const headers = { Connection: 'close' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${srv.url}${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

/** The partial requests: cut inside the request line or inside the headers. */
function partials(n) {
  const shapes = [
    'GET /heal',
    'GET /api/v1/me HTT',
    'POST /api/v1/checkins HTTP/1.1\r\n',
    `GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${u.token.slice(0, 10)}`,
    'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Partial: ab',
    'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n',
    'G',
  ];
  return Array.from({ length: n }, (_, i) => shapes[i % shapes.length]);
}

test('50 half-open and 50 silent connections do not stop /healthz and GET /api/v1/me', { timeout: TEST_TIMEOUT }, async (t) => {
  const socks = [];
  try {
    for (const data of partials(50)) socks.push(await openSocket(srv.port, data));
    for (let i = 0; i < 50; i++) socks.push(await openSocket(srv.port, ''));
    await sleep(500); // let the server accept and read them
    const openBefore = socks.filter((s) => !s.closedByPeer).length;
    t.diagnostic(`${openBefore} of ${socks.length} idle connections open while the normal clients ask`);

    const h = await normal('/healthz');
    assert.equal(h.status, 200, `GET /healthz: ${h.status} ${h.text}`);
    const me = await normal('/api/v1/me', { token: u.token });
    assert.equal(me.status, 200, `GET /api/v1/me: ${me.status} ${me.text}`);
    assert.equal(me.json.id, u.id);

    // Several at once, including a write, still with the idle connections open.
    const many = await Promise.all([
      ...Array.from({ length: 10 }, () => normal('/api/v1/me', { token: u.token })),
      ...Array.from({ length: 5 }, () => normal('/healthz')),
      normal('/api/v1/checkins', { token: u.token, method: 'POST', body: { mood: 3, connection: 5, secure: 5, visibility: 'private' } }),
    ]);
    assert.deepEqual(many.map((r) => r.status), [...Array(10).fill(200), ...Array(5).fill(200), 201]);

    // The idle connections got no answer to their unfinished requests.
    const answered = socks.filter((s) => s.received > 0 && !s.closedByPeer).length;
    assert.equal(answered, 0, 'an unfinished request was answered as if complete');
  } finally {
    closeSockets(socks);
  }
  await assertHealthy(srv, 'closing 100 idle connections');
  const me = await normal('/api/v1/me', { token: u.token });
  assert.equal(me.status, 200);
});

test('150 idle connections at once (beyond any worker count) still leave room for normal clients', { timeout: TEST_TIMEOUT }, async () => {
  const socks = [];
  try {
    for (const data of partials(100)) socks.push(await openSocket(srv.port, data));
    for (let i = 0; i < 50; i++) socks.push(await openSocket(srv.port, ''));
    await sleep(500);
    const results = await Promise.all(Array.from({ length: 8 }, () => normal('/api/v1/me', { token: u.token })));
    assert.deepEqual(results.map((r) => r.status), Array(8).fill(200));
  } finally {
    closeSockets(socks);
  }
  await assertHealthy(srv, 'closing 150 idle connections');
});

/**
 * A raw request whose last `slowBytes` bytes are sent one at a time with
 * `gapMs` between them. Resolves with the parsed answer (or status null).
 */
function slowRequest(head, body, { slowBytes = 10, gapMs = 300, timeout = ANSWER_TIMEOUT_MS } = {}) {
  const all = Buffer.from(head + body, 'utf8');
  const fastPart = all.subarray(0, all.length - slowBytes);
  const slowPart = all.subarray(all.length - slowBytes);
  return new Promise((resolve) => {
    const chunks = [];
    let done = false;
    const sock = net.connect({ host: '127.0.0.1', port: srv.port });
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(parseResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, timeout);
    sock.on('data', (c) => {
      chunks.push(c);
      if (parseResponse(Buffer.concat(chunks)).complete) finish();
    });
    sock.on('close', finish);
    sock.on('error', () => { /* recorded as no answer */ });
    sock.on('connect', async () => {
      sock.write(fastPart);
      for (let i = 0; i < slowPart.length && !done; i++) {
        await sleep(gapMs);
        if (!done && !sock.destroyed) sock.write(slowPart.subarray(i, i + 1));
      }
    });
  });
}

const slowCheckinHead = (body) => `POST /api/v1/checkins HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer ${u.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;

test('clients that send a body one byte at a time do not block others, and are answered when done', { timeout: TEST_TIMEOUT }, async () => {
  const body = JSON.stringify({ mood: 4, connection: 6, secure: 7, need: 'slowly', visibility: 'private' });
  // 20 slow uploads at once, each trickling its last 12 bytes.
  const slow = Array.from({ length: 20 }, () => slowRequest(slowCheckinHead(body), body, { slowBytes: 12, gapMs: 300 }));
  await sleep(300);
  // Meanwhile, normal clients come and go.
  for (let round = 0; round < 5; round++) {
    const rs = await Promise.all([normal('/healthz'), normal('/api/v1/me', { token: u.token })]);
    assert.deepEqual(rs.map((r) => r.status), [200, 200], `round ${round}`);
  }
  const answers = await Promise.all(slow);
  assert.deepEqual(answers.map((a) => a.status), Array(20).fill(201), `slow uploads: ${answers.map((a) => a.raw.slice(0, 60)).join(' / ')}`);
  assert.ok(answers.every((a) => a.json && a.json.need === 'slowly'));
});

test('a client that sends its headers one byte at a time does not block others', { timeout: TEST_TIMEOUT }, async () => {
  const head = `GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer ${u.token}\r\n\r\n`;
  const slow = slowRequest(head, '', { slowBytes: 40, gapMs: 100 });
  for (let round = 0; round < 3; round++) {
    const r = await normal('/api/v1/me', { token: u.token });
    assert.equal(r.status, 200);
  }
  const a = await slow;
  assert.equal(a.status, 200, `slow headers: ${a.raw.slice(0, 200)}`);
  assert.equal(a.json.id, u.id);
});

test('a connection that stops sending mid-request is closed by the server (idle timeout), bounded wait', { timeout: TEST_TIMEOUT }, async (t) => {
  // docs/internals.md promises a 30 s idle timeout; wait at most 120 s.
  const socks = [
    await openSocket(srv.port, 'GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n'),
    await openSocket(srv.port, ''),
  ];
  try {
    const deadline = Date.now() + 120000;
    while (socks.some((s) => !s.closedByPeer) && Date.now() < deadline) await sleep(500);
    t.diagnostic(`closed by the server: ${socks.map((s) => s.closedByPeer).join(', ')}`);
    assert.ok(socks.every((s) => s.closedByPeer), 'the server kept an idle connection open for over 120 s');
  } finally {
    closeSockets(socks);
  }
  await assertHealthy(srv, 'idle timeout');
});

// How many worker threads (main.c: default_threads): 2 a core on SQLite, whose writes do not wait for
// the disk on their thread; 4 a core on PostgreSQL, where every statement waits for a round trip;
// at most 64; HEARTH_THREADS says otherwise.
test('worker threads: 2 a core on SQLite, 4 on PostgreSQL, at most 64; HEARTH_THREADS sets them', { timeout: TEST_TIMEOUT }, async () => {
  // The "serving" line of the log; it may reach the pipe after /healthz has answered.
  const threads = async (s) => {
    const line = /"msg":"serving".*?"threads":(\d+)/;
    for (let i = 0; i < 250 && !line.test(s.log); i++) await sleep(20);
    const m = line.exec(s.log);
    assert.ok(m, `no "serving" line in the log:\n${s.log}`);
    return Number(m[1]);
  };
  for (const [env, want] of [[{}, Math.min(64, os.cpus().length * (PG_URL ? 4 : 2))], [{ HEARTH_THREADS: '3' }, 3]]) {
    const s = await startServer({ env });
    try {
      assert.equal(await threads(s), want, JSON.stringify(env));
    } finally {
      await s.stop();
    }
  }
});
