// SPDX-License-Identifier: AGPL-3.0-or-later
//
// /metrics is never served on the public listener (issue 10): it has a
// listener of its own (HEARTH_METRICS_LISTEN, default 127.0.0.1:9464), and the
// main listener answers it only with Authorization: Bearer
// HEARTH_METRICS_TOKEN (404 otherwise, as for a path that does not exist).
// The counters are the few an operator needs, and none tells what a person
// did: a private check-in written and a list read move them alike.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, runCli, tempDir, freePort, sleep, TEST_TIMEOUT } from './lib/server.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); }, { timeout: TEST_TIMEOUT });

async function server(env) {
  const s = await startServer({ env });
  servers.push(s);
  return s;
}

const TOKEN = 'metrics-token-for-the-test-0123456789';

async function scrape(port, headers = {}, p = '/metrics', method = 'GET') {
  const r = await fetch(`http://127.0.0.1:${port}${p}`, { headers, method });
  return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
}

/** The counters (not the gauges) of a metrics text, as {series: value}. */
function counters(text) {
  const out = {};
  let type = {};
  for (const line of text.split('\n')) {
    const t = /^# TYPE (\S+) (\S+)/.exec(line);
    if (t) type[t[1]] = t[2];
    const m = /^([a-z_]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m && type[m[1]] === 'counter') out[m[1] + (m[2] || '')] = Number(m[3]);
  }
  return out;
}

/**
 * The counters once they differ from `before`: a request is counted when its answer has
 * been sent, which may be just after the client has read it (at most 5 s of polling).
 */
async function countersAfter(port, before) {
  let now = counters((await scrape(port)).text);
  for (let i = 0; i < 100 && JSON.stringify(now) === JSON.stringify(before); i++) {
    await sleep(50);
    now = counters((await scrape(port)).text);
  }
  return now;
}

function diff(a, b) {
  const d = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) if ((b[k] || 0) !== (a[k] || 0)) d[k] = (b[k] || 0) - (a[k] || 0);
  return d;
}

test('the metrics listener serves /metrics; the main listener does not', { timeout: TEST_TIMEOUT }, async () => {
  const mport = await freePort();
  const srv = await server({ HEARTH_METRICS_LISTEN: `127.0.0.1:${mport}` });
  const m = await scrape(mport);
  assert.equal(m.status, 200);
  assert.match(m.type, /^text\/plain/);
  for (const name of ['hearth_http_requests_total{class="2xx"}', 'hearth_throttled_total', 'hearth_store_errors_total',
    'hearth_store_connections{backend=', 'hearth_build_info{version=']) {
    assert.ok(m.text.includes(name), `${name} in\n${m.text}`);
  }
  assert.doesNotMatch(m.text, /route=|\/api\/v1|_bucket|method=/, 'nothing per route, no latency histogram');
  assert.equal((await scrape(mport, {}, '/')).status, 404, 'only /metrics on the metrics listener');
  assert.equal((await scrape(mport, {}, '/api/v1/me')).status, 404);
  assert.equal((await scrape(mport, {}, '/metrics', 'POST')).status, 404);
  const pub = await srv.api('GET', '/metrics');
  assert.equal(pub.status, 404, 'the main listener, even from loopback');
  assert.equal((await srv.api('GET', '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } })).status, 404,
    'no token configured: no token works');
});

test('HEARTH_METRICS_TOKEN: the main listener answers /metrics to that bearer token alone, and so does the metrics listener', { timeout: TEST_TIMEOUT }, async () => {
  const mport = await freePort();
  const srv = await server({ HEARTH_METRICS_LISTEN: `127.0.0.1:${mport}`, HEARTH_METRICS_TOKEN: TOKEN });
  assert.equal((await srv.api('GET', '/metrics')).status, 404);
  assert.equal((await srv.api('GET', '/metrics', { headers: { Authorization: `Bearer ${TOKEN}x` } })).status, 404);
  assert.equal((await srv.api('GET', '/metrics', { headers: { Authorization: `Bearer ${TOKEN.slice(0, -1)}` } })).status, 404);
  assert.equal((await srv.api('GET', '/metrics', { headers: { Authorization: `Basic ${TOKEN}` } })).status, 404);
  const ok = await srv.api('GET', '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  assert.match(ok.text, /hearth_http_requests_total\{class="4xx"\} [1-9]/, 'the refusals above were counted');
  assert.equal((await scrape(mport)).status, 404, 'the metrics listener wants the token too');
  assert.equal((await scrape(mport, { Authorization: `Bearer ${TOKEN}` })).status, 200);
});

test('a private check-in written and a list read move the counters alike: nothing says what was done, or by whom', { timeout: TEST_TIMEOUT }, async () => {
  const mport = await freePort();
  const srv = await server({ HEARTH_METRICS_LISTEN: `127.0.0.1:${mport}` });
  const { a, b } = await srv.makeCouple('mt');
  const m0 = counters((await scrape(mport)).text);
  const w = await srv.api('POST', '/api/v1/checkins', {
    token: a.token, body: { mood: 2, connection: 3, secure: 4, worry: 'only mine', visibility: 'private' },
  });
  assert.equal(w.status, 201, w.text);
  const c1 = await countersAfter(mport, m0);
  const r = await srv.api('GET', '/api/v1/checkins?author=all', { token: b.token });
  assert.equal(r.status, 200);
  const c2 = await countersAfter(mport, c1);
  const m2 = (await scrape(mport)).text;
  const write = diff(m0, c1);
  const read = diff(c1, c2);
  assert.deepEqual(write, { 'hearth_http_requests_total{class="2xx"}': 1 });
  assert.deepEqual(read, write, 'a private write looks like a read');
  for (const s of [a.id, b.id, a.username, b.username, a.token, w.json.id, 'checkins']) {
    assert.ok(!m2.includes(s), `${s} in /metrics`);
  }
});

test('HEARTH_METRICS_LISTEN: off, a bad value, and an address that is taken', { timeout: TEST_TIMEOUT }, async () => {
  const off = await server({ HEARTH_METRICS_LISTEN: 'off' });
  assert.doesNotMatch(off.log, /"msg":"metrics"/);
  const dir = tempDir();
  let r = runCli(['--data', dir, 'serve', '--listen', '127.0.0.1:0'], { env: { HEARTH_METRICS_LISTEN: 'nowhere' }, timeout: 20000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /HEARTH_METRICS_LISTEN/);
  r = runCli(['--data', dir, 'serve', '--listen', '127.0.0.1:0'], { env: { HEARTH_METRICS_TOKEN: 'short' }, timeout: 20000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /HEARTH_METRICS_TOKEN/);
  // An address chosen but taken stops the start; the default taken (several servers on one host) does not.
  const holder = net.createServer();
  await new Promise((ok) => holder.listen(0, '127.0.0.1', ok));
  const taken = holder.address().port;
  try {
    r = runCli(['--data', dir, 'serve', '--listen', `127.0.0.1:${await freePort()}`],
      { env: { HEARTH_METRICS_LISTEN: `127.0.0.1:${taken}` }, timeout: 20000 });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /cannot serve metrics on 127\.0\.0\.1:\d+/);
  } finally {
    holder.close();
  }
  const a = await server({});
  const b = await server({});
  for (const s of [a, b]) assert.match(s.log, /"msg":"metrics"|metrics listener not started/);
});
