// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Service endpoints, limits and HTTP hygiene: /healthz, body and header size,
// unknown paths and methods, JSON nesting, Content-Type, security headers,
// keep-alive (API.md: "Conventions", "Service").

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, assertError, assertJsonType, TEST_TIMEOUT } from './lib/server.mjs';

let srv;
let u;
before(async () => {
  srv = await startServer();
  u = await srv.signUp('lim');
}, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

const auth = () => ({ Authorization: `Bearer ${u.token}` });
const okCheckin = { mood: 3, connection: 5, secure: 5, visibility: 'private' };

describe('service', { timeout: TEST_TIMEOUT }, () => {
  test('GET /healthz → 200 {"status":"ok"} as JSON', async () => {
    const r = await srv.api('GET', '/healthz');
    assert.equal(r.status, 200);
    assertJsonType(r);
    assert.deepEqual(r.json, { status: 'ok' });
  });
});

describe('body and header limits', { timeout: TEST_TIMEOUT }, () => {
  test('a body over 64 KiB → 413 too_large (authenticated check-in)', async () => {
    const body = JSON.stringify({ ...okCheckin, need: 'x'.repeat(70 * 1024) });
    const r = await srv.raw({
      method: 'POST', path: '/api/v1/checkins', body,
      headers: { ...auth(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    assertError(r, 413, 'too_large', undefined, '70 KiB check-in');
  });

  test('a body of 64 KiB + 1 byte → 413; exactly 64 KiB is not 413', async () => {
    const make = (size) => {
      const head = JSON.stringify({ ...okCheckin, need: '' }).slice(0, -2); // ...,"need":"
      const s = `${head}${'x'.repeat(size - head.length - 2)}"}`;
      assert.equal(Buffer.byteLength(s), size);
      return s;
    };
    let body = make(65537);
    let r = await srv.raw({
      method: 'POST', path: '/api/v1/checkins', body,
      headers: { ...auth(), 'Content-Type': 'application/json', 'Content-Length': 65537 },
    });
    assertError(r, 413, 'too_large', undefined, '65537 bytes');
    body = make(65536);
    r = await srv.raw({
      method: 'POST', path: '/api/v1/checkins', body,
      headers: { ...auth(), 'Content-Type': 'application/json', 'Content-Length': 65536 },
    });
    assertError(r, 400, 'invalid_input', 'need', 'exactly 64 KiB: parsed, then the 4000-character limit applies');
  });

  test('an oversized body without Content-Length (chunked) → 413', async () => {
    const body = JSON.stringify({ ...okCheckin, need: 'y'.repeat(100 * 1024) });
    const r = await srv.raw({
      method: 'POST', path: '/api/v1/checkins', body,
      headers: { ...auth(), 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    });
    assertError(r, 413, 'too_large', undefined, 'chunked 100 KiB');
  });

  test('an oversized sign-up body (unauthenticated) → 413', async () => {
    const body = JSON.stringify({ username: 'bigbody', password: 'p'.repeat(80 * 1024), display_name: 'B' });
    const r = await srv.raw({
      method: 'POST', path: '/api/v1/accounts', body,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
    });
    assertError(r, 413, 'too_large', undefined, '80 KiB sign-up');
  });

  test('headers over 16 KiB in all → 4xx', async () => {
    const r = await srv.raw({
      method: 'GET', path: '/api/v1/me',
      headers: { ...auth(), 'X-Padding-1': 'p'.repeat(9000), 'X-Padding-2': 'q'.repeat(9000) },
    });
    assert.ok(r.status >= 400 && r.status < 500, `status ${r.status}`);
  });

  test('many small headers over 16 KiB in all → 4xx; one 10 KiB header is fine', async () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`X-H${i}`, 'v'.repeat(20)]));
    const r = await srv.raw({ method: 'GET', path: '/api/v1/me', headers: { ...auth(), ...many } });
    assert.ok(r.status >= 400 && r.status < 500, `1000 headers: status ${r.status}`);
    const ok = await srv.raw({ method: 'GET', path: '/api/v1/me', headers: { ...auth(), 'X-Pad': 'v'.repeat(10 * 1024) } });
    assert.equal(ok.status, 200, `a 10 KiB header is within the limit: ${ok.status}`);
  });

  // The library's pool (src/http/server.c) holds the headers hearth accepts and the answer's own.
  test('headers just under 16 KiB reach a page, and a check-in with a large body', async () => {
    const pad = 'v'.repeat(15 * 1024 + 512);
    const page = await srv.raw({ method: 'GET', path: '/dashboard', headers: { Cookie: `hearth_session=${u.token}`, 'X-Pad': pad } });
    assert.equal(page.status, 200, `the dashboard with ${pad.length} bytes of padding: ${page.status}`);
    assert.match(page.text, /<\/html>\s*$/, 'the whole page');
    const body = JSON.stringify({ ...okCheckin, need: 'n'.repeat(3000), worry: 'w'.repeat(3000) });
    const r = await srv.raw({
      method: 'POST', path: '/api/v1/checkins', body,
      headers: { ...auth(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'X-Pad': pad },
    });
    assert.equal(r.status, 201, `a check-in with ${pad.length} bytes of padding: ${r.status} ${r.text.slice(0, 200)}`);
  });

  test('the server still works after the oversized requests', async () => {
    const r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: okCheckin });
    assert.equal(r.status, 201, r.text);
  });
});

describe('routing', { timeout: TEST_TIMEOUT }, () => {
  test('unknown path under /api/v1 → 404 not_found with the error shape', async () => {
    for (const p of ['/api/v1/nope', '/api/v1/checkins/x/y/z', '/api/v1/', '/api/v1/me/nope']) {
      assertError(await srv.api('GET', p, { token: u.token }), 404, 'not_found', undefined, p);
    }
    assertError(await srv.api('POST', '/api/v1/nope', { token: u.token, body: {} }), 404, 'not_found', undefined, 'POST unknown');
  });

  test('wrong method on a known path → 405 method_not_allowed', async () => {
    const cases = [
      ['PUT', '/api/v1/checkins'],
      ['DELETE', '/api/v1/accounts'],
      ['GET', '/api/v1/accounts'],
      // GET /api/v1/sessions lists one's sessions since issue 10 (API.md "Additions"); PUT is still no method there.
      ['PUT', '/api/v1/sessions'],
      // PATCH /api/v1/me changes one's profile since issue 12; PUT is still no method there.
      ['PUT', '/api/v1/me'],
      ['GET', '/api/v1/spaces/join'],
    ];
    for (const [m, p] of cases) {
      const r = await srv.api(m, p, { token: u.token, ...(m === 'GET' || m === 'DELETE' ? {} : { body: {} }) });
      assertError(r, 405, 'method_not_allowed', undefined, `${m} ${p}`);
    }
  });

  test('an unknown method → 405', async () => {
    const r = await srv.raw({ method: 'FROBNICATE', path: '/api/v1/checkins', headers: auth() });
    assert.equal(r.status, 405, `FROBNICATE: ${r.status} ${r.text}`);
  });
});

describe('JSON and Content-Type', { timeout: TEST_TIMEOUT }, () => {
  const nest = (n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

  test('JSON nested 100 levels → 400 (inside an otherwise valid check-in, and as a whole body)', async () => {
    const raw = `{"mood":3,"connection":5,"secure":5,"visibility":"private","extra":${nest(100)}}`;
    let r = await srv.api('POST', '/api/v1/checkins', { token: u.token, rawBody: raw, headers: { 'Content-Type': 'application/json' } });
    assertError(r, 400, ['invalid_json', 'invalid_input'], undefined, 'nested object field');
    const arr = `${'['.repeat(100)}${']'.repeat(100)}`;
    r = await srv.api('POST', '/api/v1/accounts', { rawBody: arr, headers: { 'Content-Type': 'application/json' } });
    assertError(r, 400, ['invalid_json', 'invalid_input'], undefined, 'nested arrays');
    r = await srv.api('POST', '/api/v1/checkins', { token: u.token, rawBody: `${'['.repeat(50000)}`, headers: { 'Content-Type': 'application/json' } });
    assertError(r, 400, ['invalid_json', 'invalid_input'], undefined, '50000 open brackets');
  });

  test('wrong Content-Type on a JSON POST → 415 unsupported_media_type; charset parameter is fine', async () => {
    const raw = JSON.stringify(okCheckin);
    for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await srv.api('POST', '/api/v1/checkins', { token: u.token, rawBody: raw, headers: { 'Content-Type': ct } });
      assertError(r, 415, 'unsupported_media_type', undefined, ct);
    }
    const ok = await srv.api('POST', '/api/v1/checkins', {
      token: u.token, rawBody: raw, headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    assert.equal(ok.status, 201, ok.text);
    const ok2 = await srv.api('POST', '/api/v1/checkins', {
      token: u.token, rawBody: raw, headers: { 'Content-Type': 'Application/JSON' },
    });
    assert.equal(ok2.status, 201, `media types are case-insensitive: ${ok2.text}`);
  });

  test('a JSON body without Content-Type → 415; PATCH with text/plain → 415', async () => {
    const raw = JSON.stringify(okCheckin);
    let r = await srv.raw({ method: 'POST', path: '/api/v1/checkins', body: raw, headers: { ...auth(), 'Content-Length': Buffer.byteLength(raw) } });
    assertError(r, 415, 'unsupported_media_type', undefined, 'no Content-Type');
    const c = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: okCheckin });
    assert.equal(c.status, 201);
    r = await srv.api('PATCH', `/api/v1/checkins/${c.json.id}`, { token: u.token, rawBody: '{"mood":1}', headers: { 'Content-Type': 'text/plain' } });
    assertError(r, 415, 'unsupported_media_type', undefined, 'PATCH text/plain');
    assert.equal((await srv.api('GET', `/api/v1/checkins/${c.json.id}`, { token: u.token })).json.mood, 3, 'unchanged');
  });

  test('415 also for sign-up with a form body', async () => {
    const r = await srv.api('POST', '/api/v1/accounts', {
      rawBody: 'username=formuser&password=a-long-enough-password&display_name=F',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assertError(r, 415, 'unsupported_media_type');
  });
});

describe('security headers', { timeout: TEST_TIMEOUT }, () => {
  function directives(csp) {
    const m = new Map();
    for (const part of csp.split(';')) {
      const t = part.trim().split(/\s+/).filter(Boolean);
      if (t.length) m.set(t[0].toLowerCase(), t.slice(1));
    }
    return m;
  }
  function checkHeaders(h, what) {
    const csp = h.get('content-security-policy');
    assert.ok(csp, `${what}: Content-Security-Policy missing`);
    const d = directives(csp);
    assert.deepEqual(d.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors in ${csp}`);
    const script = d.get('script-src') ?? d.get('default-src');
    assert.ok(script, `${what}: neither script-src nor default-src in ${csp}`);
    assert.ok(!script.includes("'unsafe-inline'"), `${what}: 'unsafe-inline' in script-src: ${csp}`);
    assert.equal(h.get('x-content-type-options'), 'nosniff', what);
    const rp = h.get('referrer-policy');
    assert.ok(rp && rp.length > 0, `${what}: Referrer-Policy missing`);
    assert.notEqual(rp.toLowerCase(), 'unsafe-url', what);
    const server = h.get('server');
    if (server !== null) assert.doesNotMatch(server, /\d/, `${what}: Server header reveals a version: ${server}`);
    assert.equal(h.get('x-powered-by'), null, `${what}: X-Powered-By`);
  }

  test('on API answers (success and error) and on /healthz', async () => {
    checkHeaders((await srv.api('GET', '/api/v1/me', { token: u.token })).headers, 'GET /api/v1/me');
    checkHeaders((await srv.api('GET', '/api/v1/me')).headers, 'GET /api/v1/me 401');
    checkHeaders((await srv.api('GET', '/api/v1/nope')).headers, 'GET /api/v1/nope 404');
    checkHeaders((await srv.api('GET', '/healthz')).headers, 'GET /healthz');
    checkHeaders((await srv.api('PUT', '/api/v1/checkins', { token: u.token, body: {} })).headers, 'PUT /api/v1/checkins 405');
    const big = JSON.stringify({ need: 'z'.repeat(70000) });
    const r413 = await srv.raw({
      method: 'POST', path: '/api/v1/checkins', body: big,
      headers: { ...auth(), 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(big) },
    });
    assert.equal(r413.status, 413);
    checkHeaders({ get: (k) => r413.headers[k] ?? null }, 'POST 413');
  });

  test('on GET /', async () => {
    const r = await srv.api('GET', '/');
    assert.ok(r.status === 200 || (r.status >= 300 && r.status < 400), `GET / → ${r.status}`);
    checkHeaders(r.headers, 'GET /');
  });
});

describe('connections', { timeout: TEST_TIMEOUT }, () => {
  test('keep-alive: two sequential requests reuse one socket; no "Connection: close"', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const one = await srv.raw({ method: 'GET', path: '/healthz', agent });
      assert.equal(one.status, 200);
      assert.notEqual(String(one.headers.connection || '').toLowerCase(), 'close', 'first answer closes the connection');
      await new Promise((r) => setImmediate(r));
      const two = await srv.raw({ method: 'GET', path: '/api/v1/me', headers: auth(), agent });
      assert.equal(two.status, 200);
      assert.notEqual(String(two.headers.connection || '').toLowerCase(), 'close');
      assert.equal(one.socket, two.socket, 'the second request must reuse the first socket');
      // an error answer keeps the connection too
      const three = await srv.raw({ method: 'GET', path: '/api/v1/nope', headers: auth(), agent });
      assert.equal(three.status, 404);
      const four = await srv.raw({ method: 'GET', path: '/healthz', agent });
      assert.equal(four.socket, one.socket, 'a 404 must not close the connection');
    } finally {
      agent.destroy();
    }
  });
});
