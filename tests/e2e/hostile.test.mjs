// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Hostile input battery. Every request below must get a 4xx — or, where the
// server closes the connection without an answer, leave the server healthy —
// and answers under /api must have the JSON error shape, except where
// libmicrohttpd answers malformed framing itself (see MHD_OWN below). Silence
// is a failure: every case has a bounded wait. After every single
// case GET /healthz must answer 200. Where API.md names the status (405, 404,
// 413, 415, 400 invalid_json / invalid_input) it is asserted exactly.
//
// Raw sockets (lib/actors.mjs rawExchange) are used where fetch cannot
// express the request: odd methods, unnormalised paths, broken chunking,
// NUL and invalid UTF-8 bytes on the wire, lying Content-Length headers.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { assertErrorKeys, startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { anonForm, assertHealthy, cookieLogin, page, rawExchange } from './lib/actors.mjs';

let srv;
let u; // a member with a bearer token
let pg; // u's page session {cookie, csrf}
before(async () => {
  srv = await startServer();
  u = await srv.signUp('hostile');
  pg = await cookieLogin(srv, u.username, u.password);
}, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

const okCheckin = { mood: 3, connection: 5, secure: 5, visibility: 'private' };
const okAccount = () => ({ username: `h${Math.random().toString(36).slice(2, 12)}`, password: 'a long enough password', display_name: 'H' });

/** A second, throw-away session of u (for requests that must not run). */
async function freshToken() {
  const r = await srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } });
  assert.equal(r.status, 201, `login: ${r.status} ${r.text}`);
  return r.json.token;
}

/** A raw HTTP/1.1 request as a latin1 string (one char = one byte). */
function rawReq(method, target, { headers = {}, body = '', auth = false, noLength = false } = {}) {
  const h = { Host: `127.0.0.1:${srv.port}`, Connection: 'close', ...headers };
  if (auth) h.Authorization = `Bearer ${u.token}`;
  if (body && !noLength && !Object.keys(h).some((k) => /^(content-length|transfer-encoding)$/i.test(k))) {
    h['Content-Length'] = Buffer.byteLength(body, 'latin1');
  }
  let s = `${method} ${target} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(h)) s += `${k}: ${v}\r\n`;
  return `${s}\r\n${body}`;
}

// What libmicrohttpd 0.9.75 (Debian 12) does itself, before hearth sees the
// request, and what hearth guarantees regardless:
//
// - Malformed framing is answered by the library with its own HTML page and
//   `Connection: close`, not hearth's JSON error shape: a broken chunked body
//   (an invalid, negative or missing chunk size, a chunk longer than declared or
//   without its CRLF) → 400 "Request malformed"; a chunk size that overflows 64
//   bits → 413; a Content-Length that is not a decimal number (-1, abc, "1 2",
//   0x10, "2, 2", " ") → 400; one too large for 64 bits → 413 (for these two
//   it sends its status line and headers twice, then the page); headers or a
//   request line larger than its memory pool holds (32 KiB, src/http/server.c:
//   a 60 KB header, cookie, token or URL; 2000 small headers) → 431 "Request
//   too big" or 414. Headers of 16 KiB up to about 30 KiB reach hearth, which
//   answers 431 in its own JSON error shape. A chunk's line (its extension)
//   longer than the pool → 500 "Internal server error", the library's own. These
//   cases (framingCase) assert a 4xx from the listed set or a closed connection
//   within the timeout — never a 2xx, never a hang — and a healthy server after;
//   an answer in JSON (hearth's own) must have the error shape.
// - A raw NUL byte ends the method, the request target and header values where
//   the library hands them over (C strings, no lengths): "GET\0 /x" would
//   arrive as GET. hearth compares those strings with where the library put
//   them and refuses the request (400 invalid_input) when bytes were cut off.
const MHD_OWN = new Set(['an invalid chunk size', 'a negative chunk size', 'a chunk size that overflows 64 bits',
  'a chunk larger than declared', 'a chunk without its CRLF', 'a chunked body with no chunks at all']);

/**
 * A case libmicrohttpd may answer itself (see above): a status from `status`
 * (its own HTML page, or hearth's JSON error, which must be a 4xx; the
 * library's 500 only for a chunk line past its pool) or the connection closed by
 * the server within 40 s (see rawCase); never a 2xx, never silence; healthy
 * afterwards.
 */
async function framingCase(what, data, { status }) {
  const res = await rawExchange(srv.port, data, { timeout: 40000 });
  res.text = res.body;
  const ctx = `${what}: -> ${res.status} ${String(res.raw).slice(0, 300).replace(/\r\n/g, ' | ')}`;
  if (res.status === null) {
    assert.ok(res.closed && !res.timedOut, `neither an answer nor a close within 40 s (timedOut=${res.timedOut}): ${ctx}`);
  } else {
    assert.ok(statusList(status).includes(res.status), `expected ${statusList(status).join(' or ')}: ${ctx}`);
    const all = [...res.raw.matchAll(/^HTTP\/1\.[01] (\d{3})/gm)].map((m) => Number(m[1]));
    assert.ok(all.every((s) => statusList(status).includes(s)), `every status line must be one of ${statusList(status)}: ${ctx}`);
    if (/^application\/json/i.test(String(res.headers['content-type']))) check(res, { what, api: true, status });
    else assert.match(res.raw, /\r\n\r\n<html><head><title>(Request [^<]*|Internal server error)<\/title>/, `neither hearth's JSON error nor the library's own page: ${ctx}`);
  }
  await assertHealthy(srv, what);
  return res;
}

const statusList = (s) => (Array.isArray(s) ? s : [s]);

/**
 * Check one answer: `status` (number or list) must match when a response
 * came; without one, `allowClose` must be set. /api answers need the error
 * shape, with `code` (string or list) and `field` when given.
 */
function check(res, { what, api, status, code, field, allowClose = false }) {
  const ctx = `${what}: -> ${res.status} ${String(res.text ?? res.raw ?? '').slice(0, 300).replace(/\r\n/g, ' | ')}`;
  if (res.status === null || res.status === undefined) {
    assert.ok(allowClose, `no response (closed=${res.closed}, timedOut=${res.timedOut}, error=${res.error}): ${ctx}`);
    return;
  }
  assert.ok(res.status >= 400 && res.status < 500, `expected a 4xx: ${ctx}`);
  if (status !== undefined) assert.ok(statusList(status).includes(res.status), `expected ${statusList(status).join(' or ')}: ${ctx}`);
  if (!api) return;
  const ct = typeof res.headers.get === 'function' ? res.headers.get('content-type') : res.headers['content-type'];
  assert.match(String(ct), /^application\/json;\s*charset="?utf-8"?$/i, `Content-Type ${ct}: ${ctx}`);
  const j = res.json;
  assert.ok(j && typeof j === 'object' && !Array.isArray(j), `not a JSON object: ${ctx}`);
  assertErrorKeys(j, ctx);
  assert.equal(typeof j.error.code, 'string', `error.code: ${ctx}`);
  assert.equal(typeof j.error.message, 'string', `error.message: ${ctx}`);
  if (code !== undefined) assert.ok(statusList(code).includes(j.error.code), `code ${j.error.code}, expected ${code}: ${ctx}`);
  if (field !== undefined) assert.equal(j.error.field, field, `field: ${ctx}`);
}

/**
 * Send raw bytes (then half-close); check the answer; then the server must be
 * healthy. Without an answer the server must close the connection: a body cut
 * short by the client's half-close is sometimes noticed by libmicrohttpd only
 * when its 30 s idle timeout closes the connection, so the wait is 40 s and a
 * connection still open then is a hang.
 */
async function rawCase(what, data, expect, opts = {}) {
  const res = await rawExchange(srv.port, data, { timeout: 40000, ...opts });
  res.text = res.body;
  if (res.status === null && !opts.keepOpen) assert.ok(!res.timedOut, `${what}: neither an answer nor a close within ${opts.timeout ?? 40000} ms`);
  check(res, { what, ...expect });
  if (expect.notContains) assert.ok(!res.raw.includes(expect.notContains), `${what}: the answer contains ${expect.notContains}`);
  await assertHealthy(srv, what);
  return res;
}

/** A JSON API call with fetch (rawBody as given); check; healthy. */
async function apiCase(what, method, path, { rawBody, body, token = u.token, contentType = 'application/json', ...expect }) {
  const headers = contentType ? { 'Content-Type': contentType } : {};
  const res = await srv.api(method, path, { token: token || undefined, rawBody: rawBody ?? (body !== undefined ? JSON.stringify(body) : undefined), headers });
  check(res, { what, api: true, ...expect });
  await assertHealthy(srv, what);
  return res;
}

/**
 * Run fn for every item, go on after a failure, then fail once with every
 * failure listed (so one report names all the inputs the server mishandles).
 */
async function each(items, fn) {
  const failures = [];
  for (const item of items) {
    try {
      await fn(item);
    } catch (err) {
      failures.push(err.message.split('\n')[0]);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${items.length} failed:\n  ${failures.join('\n  ')}`);
}

/** A JSON body as bytes (a Buffer), for invalid UTF-8 inside strings. */
const bytes = (...parts) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

// ---------------------------------------------------------------- methods

describe('odd methods', { timeout: TEST_TIMEOUT }, () => {
  for (const m of ['BREW', 'PROPFIND', 'TRACE', 'OPTIONS', 'get', 'X'.repeat(1000)]) {
    test(`${m.length > 20 ? `${m.slice(0, 8)}…(${m.length})` : m} /api/v1/me → 405 method_not_allowed`, async () => {
      await rawCase(`${m.slice(0, 20)} /api/v1/me`, rawReq(m, '/api/v1/me', { auth: true }), { api: true, status: 405, code: 'method_not_allowed' });
    });
  }
  test('BREW / (a page) → 405', async () => {
    await rawCase('BREW /', rawReq('BREW', '/'), { status: 405 });
  });
  test('PUT on a known API path → 405 method_not_allowed', async () => {
    await rawCase('PUT /api/v1/me', rawReq('PUT', '/api/v1/me', { auth: true, body: '{}', headers: { 'Content-Type': 'application/json' } }),
      { api: true, status: 405, code: 'method_not_allowed' });
  });
  test('"GET\\x00" as the method → 4xx or closed', async () => {
    await each([['GET\x00', '/healthz'], ['GET\x00', '/api/v1/me'], ['GET\x00X', '/api/v1/me'], ['DELETE\x00', '/api/v1/me']], ([m, p]) =>
      rawCase(`${JSON.stringify(m)} ${p}`, rawReq(m, p, { auth: true }), { api: p.startsWith('/api/'), status: [400, 405], allowClose: true }));
  });
});

// --------------------------------------------------------- path traversal

describe('path traversal (raw request lines, no normalisation by the client)', { timeout: TEST_TIMEOUT }, () => {
  const targets = [
    '/static/../../etc/passwd',
    '/static/../../../../../../etc/passwd',
    '/static/%2e%2e/%2e%2e/etc/passwd',
    '/static/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    '/static/..%2f..%2f..%2fetc%2fpasswd',
    '/static/..%5c..%5cetc%5cpasswd',
    '/static/%252e%252e/%252e%252e/etc/passwd',
    '/static/style.css/../../../etc/passwd',
    '/static/..',
    '/static/.%2e/src/main.c',
    '/static/%2e%2e%2fsrc%2fmain.c',
    '/static/..%2fmeson.build',
    '/static//etc/passwd',
    '//etc/passwd',
    '/../../etc/passwd',
  ];
  for (const t of targets) {
    test(`GET ${t} → 404, never a file`, async () => {
      await rawCase(`GET ${t}`, rawReq('GET', t), { status: 404, notContains: 'root:' });
    });
  }
  for (const t of ['/api/v1/../../etc/passwd', '/api/v1/%2e%2e/%2e%2e/etc/passwd', '/api/v1/checkins/..%2f..%2fme']) {
    test(`GET ${t} → 404 not_found (JSON)`, async () => {
      await rawCase(`GET ${t}`, rawReq('GET', t, { auth: true }), { api: true, status: 404, code: 'not_found', notContains: 'root:' });
    });
  }
  test('absolute-form request target http://127.0.0.1/../etc/passwd → 4xx', async () => {
    await rawCase('absolute-form', rawReq('GET', 'http://127.0.0.1/../etc/passwd'), { status: [400, 404], notContains: 'root:' });
  });
});

// ------------------------------------------------------- broken chunking

describe('broken chunked encoding', { timeout: TEST_TIMEOUT }, () => {
  const chunked = { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' };
  const cases = [
    ['an invalid chunk size', 'zz\r\n{}\r\n0\r\n\r\n'],
    ['a negative chunk size', '-5\r\n{}\r\n0\r\n\r\n'],
    ['a chunk size that overflows 64 bits', 'fffffffffffffffffffff\r\n{}\r\n0\r\n\r\n'],
    ['a chunk larger than declared', `5\r\n${JSON.stringify(okCheckin)}\r\n0\r\n\r\n`],
    ['a chunk shorter than declared', '40\r\n{}\r\n0\r\n\r\n'],
    ['a chunk without its CRLF', '2\r\n{}0\r\n\r\n'],
    ['a 20 KB chunk extension', `2;${'e'.repeat(20000)}\r\n{}\r\n0\r\n\r\n`],
    ['a chunked body with no chunks at all', '\r\n\r\n'],
  ];
  for (const [name, body] of cases) {
    test(`${name} → 4xx (${MHD_OWN.has(name) ? "the library's own page" : 'JSON error'}) or closed`, async () => {
      const data = rawReq('POST', '/api/v1/checkins', { auth: true, headers: chunked, body });
      if (MHD_OWN.has(name)) await framingCase(name, data, { status: [400, 411, 413] });
      else await rawCase(name, data, { api: true, status: [400, 411, 413], allowClose: true });
    });
  }
  // A chunk's line longer than the library's pool: it gives up with its own 500 page (so it did at
  // 96 KiB for a line of 100 KB). Not hearth's answer, and nothing is stored; the server stays up.
  test("a 100 KB chunk extension → the library's own 500 page or closed, server healthy", async () => {
    await framingCase('100 KB chunk extension', rawReq('POST', '/api/v1/checkins',
      { auth: true, headers: chunked, body: `2;${'e'.repeat(100000)}\r\n{}\r\n0\r\n\r\n` }), { status: 500 });
  });
  test('a missing terminating chunk (then the client half-closes) → 4xx or closed, server healthy', async () => {
    await rawCase('missing 0 chunk', rawReq('POST', '/api/v1/checkins', { auth: true, headers: chunked, body: '2\r\n{}\r\n' }),
      { api: true, status: [400, 408], allowClose: true });
  });
  test('a missing terminating chunk, connection kept open: the server gives up (or answers) and stays healthy', async () => {
    // No answer is expected while the client may still send; the request must
    // not hold up others. Bounded wait: rawExchange gives up after 5 s.
    const res = await rawExchange(srv.port, rawReq('POST', '/api/v1/checkins', { auth: true, headers: chunked, body: '2\r\n{}\r\n' }),
      { timeout: 5000, keepOpen: true });
    res.text = res.body;
    check(res, { what: 'missing 0 chunk, kept open', api: true, allowClose: true });
    await assertHealthy(srv, 'missing 0 chunk, kept open');
  });
  test('Content-Length and Transfer-Encoding: chunked together → 4xx, and no smuggled request runs', async () => {
    // The first request says Connection: close, so nothing after it on this
    // connection may be processed (RFC 9112 9.6), however its body is framed.
    const victim = await freshToken();
    const smuggled = rawReq('DELETE', '/api/v1/sessions/current', { headers: { Authorization: `Bearer ${victim}` } });
    const body = `2\r\n{}\r\n0\r\n\r\n${smuggled}`;
    await rawCase('CL+TE', rawReq('POST', '/api/v1/checkins', {
      auth: true, headers: { 'Content-Type': 'application/json', 'Content-Length': '4', 'Transfer-Encoding': 'chunked' }, body,
    }), { api: true, status: [400, 411], allowClose: true });
    const me = await srv.api('GET', '/api/v1/me', { token: victim });
    assert.equal(me.status, 200, 'a request smuggled after a Connection: close request (CL+TE) was run: it ended the session');
  });
  test('Transfer-Encoding other than chunked (gzip, "chunked, identity", " chunked") → 4xx or closed', async () => {
    await each(['gzip', 'chunked, identity', 'identity', 'chunked\x0b'], (te) =>
      rawCase(`TE ${JSON.stringify(te)}`, rawReq('POST', '/api/v1/checkins', {
        auth: true, headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': te }, body: '2\r\n{}\r\n0\r\n\r\n',
      }), { api: true, status: [400, 411], allowClose: true }));
  });
});

// ------------------------------------------------------------- big headers

describe('oversized headers and request lines', { timeout: TEST_TIMEOUT }, () => {
  // Over 16 KiB but within the library's pool: hearth's own 431, in the error shape on /api.
  test('one 24 KB header → 431 too_large (JSON for /api)', async () => {
    await rawCase('24 KB header', rawReq('GET', '/api/v1/me', { auth: true, headers: { 'X-Big': 'a'.repeat(24 * 1024) } }),
      { api: true, status: 431, code: 'too_large' });
  });
  test('a 24 KB cookie on a page → 431', async () => {
    await rawCase('24 KB cookie', rawReq('GET', '/dashboard', { headers: { Cookie: `hearth_session=${'c'.repeat(24 * 1024)}` } }),
      { status: 431 });
  });
  // Past the pool: the library answers before hearth sees the request.
  test('one 60 KB header → 4xx (the library\'s own 431) or closed', async () => {
    await framingCase('60 KB header', rawReq('GET', '/api/v1/me', { auth: true, headers: { 'X-Big': 'a'.repeat(60 * 1024) } }),
      { status: [400, 413, 431] });
  });
  test('a 60 KB cookie on a page → 4xx', async () => {
    await framingCase('60 KB cookie', rawReq('GET', '/dashboard', { headers: { Cookie: `hearth_session=${'c'.repeat(60 * 1024)}` } }),
      { status: [400, 413, 431] });
  });
  test("2000 small headers (≈ 60 KB) → 4xx (the library's own 431) or closed", async () => {
    const headers = {};
    for (let i = 0; i < 2000; i++) headers[`X-H${i}`] = 'v'.repeat(20);
    await framingCase('2000 headers', rawReq('GET', '/api/v1/me', { auth: true, headers }), { status: [400, 413, 431] });
  });
  test('a 60 KB request target → 4xx', async () => {
    await framingCase('60 KB URL', rawReq('GET', `/api/v1/checkins?author=${'a'.repeat(60 * 1024)}`, { auth: true }),
      { status: [400, 414, 431] });
  });
  test('a 60 KB bearer token → 4xx', async () => {
    await framingCase('60 KB token', rawReq('GET', '/api/v1/me', { headers: { Authorization: `Bearer ${'t'.repeat(60 * 1024)}` } }),
      { status: [400, 401, 431] });
  });
});

// ------------------------------------------------------------- deep JSON

describe('deeply nested JSON', { timeout: TEST_TIMEOUT }, () => {
  const post = (what, path, body, expect, token = u.token) => rawCase(what, rawReq('POST', path, {
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) }, body,
  }), { api: true, ...expect });

  test('"[[[[…" 60000 deep (fits in 64 KiB) → 400 invalid_json', async () => {
    await post('[ x 60000', '/api/v1/checkins', '['.repeat(60000), { status: 400, code: 'invalid_json' });
  });
  test('"[[[[…]]]]" 30000 deep, balanced → 400 invalid_json', async () => {
    await post('[ x 30000 ]', '/api/v1/checkins', `${'['.repeat(30000)}${']'.repeat(30000)}`, { status: 400, code: 'invalid_json' });
  });
  test('"{"a":{"a":…" 12000 deep → 400 invalid_json', async () => {
    await post('{"a": x 12000', '/api/v1/checkins', '{"a":'.repeat(12000), { status: 400, code: 'invalid_json' });
  });
  test('100000 deep (over 64 KiB) → 413 too_large', async () => {
    await post('[ x 100000', '/api/v1/checkins', '['.repeat(100000), { status: 413, code: 'too_large' });
  });
  test('60000 deep without a session (sign-up) → 400 invalid_json', async () => {
    await post('[ x 60000 sign-up', '/api/v1/accounts', '['.repeat(60000), { status: 400, code: 'invalid_json' }, null);
  });
  test('deep nesting inside a valid check-in field → 400 invalid_json', async () => {
    await post('nested need', '/api/v1/checkins', `{"mood":3,"connection":5,"secure":5,"visibility":"private","need":${'['.repeat(20000)}${']'.repeat(20000)}}`,
      { status: 400, code: 'invalid_json' });
  });
  test('the depth counter is not fooled by brackets inside strings or escaped quotes → 400 invalid_json', async () => {
    // A string holding "\\" then a real 70-deep array: the real nesting must still be refused.
    await post('escaped quote', '/api/v1/checkins', `{"need":"\\\\","x":${'['.repeat(70)}${']'.repeat(70)}}`, { status: 400, code: 'invalid_json' });
  });
});

// ----------------------------------------------------- wrong JSON types

describe('wrong JSON types for every field', { timeout: TEST_TIMEOUT }, () => {
  const wrongForInt = { string: '3', float: 3.5, bool: true, null: null, array: [3], object: { v: 3 } };
  const wrongForText = { number: 5, bool: false, array: ['x'], object: { t: 'x' } };
  for (const field of ['mood', 'connection', 'secure']) {
    for (const [kind, value] of Object.entries(wrongForInt)) {
      test(`POST /api/v1/checkins ${field}: ${kind} → 400 invalid_input field=${field}`, async () => {
        await apiCase(`${field}=${JSON.stringify(value)}`, 'POST', '/api/v1/checkins', { body: { ...okCheckin, [field]: value }, status: 400, code: 'invalid_input', field });
      });
    }
  }
  for (const field of ['appreciation', 'need', 'worry', 'visibility']) {
    const kinds = field === 'visibility' ? { ...wrongForText, null: null } : wrongForText;
    for (const [kind, value] of Object.entries(kinds)) {
      test(`POST /api/v1/checkins ${field}: ${kind} → 400 invalid_input field=${field}`, async () => {
        await apiCase(`${field}=${JSON.stringify(value)}`, 'POST', '/api/v1/checkins', { body: { ...okCheckin, [field]: value }, status: 400, code: 'invalid_input', field });
      });
    }
  }
  for (const field of ['username', 'password', 'display_name']) {
    for (const [kind, value] of Object.entries({ ...wrongForText, null: null })) {
      test(`POST /api/v1/accounts ${field}: ${kind} → 400 invalid_input field=${field}`, async () => {
        await apiCase(`${field}=${JSON.stringify(value)}`, 'POST', '/api/v1/accounts', { token: null, body: { ...okAccount(), [field]: value }, status: 400, code: 'invalid_input', field });
      });
    }
  }
  test('PATCH /api/v1/checkins/{id} with wrong types → 400 invalid_input with the field', async () => {
    const c = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: okCheckin });
    assert.equal(c.status, 201);
    for (const [field, value] of [['mood', '4'], ['secure', [1]], ['need', 7], ['visibility', false]]) {
      await apiCase(`PATCH ${field}`, 'PATCH', `/api/v1/checkins/${c.json.id}`, { body: { [field]: value }, status: 400, code: 'invalid_input', field });
    }
  });
});

// ------------------------------------------------------------ numbers

describe('odd numbers', { timeout: TEST_TIMEOUT }, () => {
  const raw = (mood) => `{"mood":${mood},"connection":5,"secure":5,"visibility":"private"}`;
  const cases = [
    ['1e400', 400, ['invalid_json', 'invalid_input']],
    ['-1e400', 400, ['invalid_json', 'invalid_input']],
    ['99999999999999999999999', 400, ['invalid_json', 'invalid_input']],
    ['9223372036854775808', 400, ['invalid_json', 'invalid_input']],
    ['-9223372036854775809', 400, ['invalid_json', 'invalid_input']],
    ['4294967299', 400, 'invalid_input'],
    ['2147483651', 400, 'invalid_input'],
    ['-0', 400, 'invalid_input'],
    ['3.0', 400, 'invalid_input'],
    ['3e0', 400, 'invalid_input'],
    ['0x3', 400, 'invalid_json'],
    ['03', 400, 'invalid_json'],
    ['+3', 400, 'invalid_json'],
    ['NaN', 400, 'invalid_json'],
    ['Infinity', 400, 'invalid_json'],
  ];
  for (const [n, status, code] of cases) {
    test(`mood: ${n} → ${status} ${code}`, async () => {
      await apiCase(`mood ${n}`, 'POST', '/api/v1/checkins', { rawBody: raw(n), status, code });
    });
  }
});

// ------------------------------------------------- body shapes and types

describe('body shapes, duplicates, empty bodies, media types', { timeout: TEST_TIMEOUT }, () => {
  const shapes = {
    array: '[]', 'array of the object': `[${JSON.stringify(okCheckin)}]`, string: '"mood"', number: '42', null: 'null', true: 'true',
    'two objects': `${JSON.stringify(okCheckin)}${JSON.stringify(okCheckin)}`, 'trailing garbage': `${JSON.stringify(okCheckin)}x`,
    'single quotes': "{'mood':3}", comment: '{/* c */"mood":3}', 'trailing comma': '{"mood":3,}', 'BOM': '\ufeff{}',
  };
  for (const [name, body] of Object.entries(shapes)) {
    test(`POST /api/v1/checkins with ${name} as the body → 400 invalid_json`, async () => {
      await apiCase(name, 'POST', '/api/v1/checkins', { rawBody: body, status: 400, code: 'invalid_json' });
    });
  }
  test('POST /api/v1/accounts with an array / a string → 400 invalid_json', async () => {
    await apiCase('accounts []', 'POST', '/api/v1/accounts', { token: null, rawBody: '[]', status: 400, code: 'invalid_json' });
    await apiCase('accounts ""', 'POST', '/api/v1/accounts', { token: null, rawBody: '"x"', status: 400, code: 'invalid_json' });
  });
  test('duplicate keys → 400 invalid_json (check-in mood, account username, login password)', async () => {
    await apiCase('dup mood', 'POST', '/api/v1/checkins', { rawBody: '{"mood":3,"mood":9,"connection":5,"secure":5,"visibility":"private"}', status: 400, code: 'invalid_json' });
    await apiCase('dup visibility', 'POST', '/api/v1/checkins', { rawBody: '{"mood":3,"connection":5,"secure":5,"visibility":"private","visibility":"partner"}', status: 400, code: 'invalid_json' });
    await apiCase('dup username', 'POST', '/api/v1/accounts', { token: null, rawBody: '{"username":"dupa1","username":"dupb2","password":"a long enough password","display_name":"D"}', status: 400, code: 'invalid_json' });
    await apiCase('dup password', 'POST', '/api/v1/sessions', { token: null, rawBody: `{"username":"${u.username}","password":"wrong one here","password":"${u.password}"}`, status: 400, code: 'invalid_json' });
  });
  test('an empty body → 400 invalid_json (POST, PATCH, sign-up, login)', async () => {
    const c = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: okCheckin });
    await apiCase('empty POST', 'POST', '/api/v1/checkins', { rawBody: '', status: 400, code: 'invalid_json' });
    await apiCase('empty PATCH', 'PATCH', `/api/v1/checkins/${c.json.id}`, { rawBody: '', status: 400, code: 'invalid_json' });
    await apiCase('empty sign-up', 'POST', '/api/v1/accounts', { token: null, rawBody: '', status: 400, code: 'invalid_json' });
    await apiCase('empty login', 'POST', '/api/v1/sessions', { token: null, rawBody: '', status: 400, code: 'invalid_json' });
    await apiCase('whitespace only', 'POST', '/api/v1/checkins', { rawBody: ' \r\n\t ', status: 400, code: 'invalid_json' });
  });
  test('an empty body without Content-Type → 415; other media types → 415', async () => {
    await apiCase('no body, no type', 'POST', '/api/v1/checkins', { contentType: null, status: 415, code: 'unsupported_media_type' });
    for (const ct of ['text/plain', 'application/jsonx', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json-seq', 'json']) {
      await apiCase(`type ${ct}`, 'POST', '/api/v1/checkins', { contentType: ct, rawBody: JSON.stringify(okCheckin), status: 415, code: 'unsupported_media_type' });
    }
  });
});

// ------------------------------------------------------- invalid UTF-8

describe('invalid UTF-8', { timeout: TEST_TIMEOUT }, () => {
  const post = (what, path, body, expect, auth = true) => rawCase(what, rawReq('POST', path, {
    auth, headers: { 'Content-Type': 'application/json' }, body,
  }), { api: true, ...expect });
  const bad = {
    'a lone continuation byte': '\x80',
    '0xFF': '\xff',
    'an overlong "/"': '\xc0\xaf',
    'a truncated sequence': '\xe2\x82',
    'an encoded surrogate': '\xed\xa0\x80',
    'a code point over U+10FFFF': '\xf4\x90\x80\x80',
  };
  for (const [name, b] of Object.entries(bad)) {
    test(`in a JSON string (check-in need): ${name} → 400`, async () => {
      await post(`need ${name}`, '/api/v1/checkins', `{"mood":3,"connection":5,"secure":5,"visibility":"private","need":"ok${b}ok"}`,
        { status: 400, code: ['invalid_json', 'invalid_input'] });
    });
    test(`in a JSON string (sign-up display_name): ${name} → 400`, async () => {
      await post(`display_name ${name}`, '/api/v1/accounts', `{"username":"utf8x${Object.keys(bad).indexOf(name)}","password":"a long enough password","display_name":"A${b}"}`,
        { status: 400, code: ['invalid_json', 'invalid_input'] }, false);
    });
  }
  test('in a JSON key → 400', async () => {
    await post('key', '/api/v1/checkins', '{"mood\xff":3,"mood":3,"connection":5,"secure":5,"visibility":"private"}', { status: 400, code: ['invalid_json', 'invalid_input'] });
  });
  test('escaped lone surrogates "\\ud800", "\\udc00" → 400', async () => {
    await post('\\ud800', '/api/v1/checkins', '{"mood":3,"connection":5,"secure":5,"visibility":"private","need":"\\ud800"}', { status: 400, code: ['invalid_json', 'invalid_input'] });
    await post('\\udc00x', '/api/v1/checkins', '{"mood":3,"connection":5,"secure":5,"visibility":"private","worry":"\\udc00x"}', { status: 400, code: ['invalid_json', 'invalid_input'] });
  });
  test('in a query string (percent-encoded and raw) → 400 invalid_input', async () => {
    await each(['author=%ff', 'author=%c0%af', 'before=%ed%a0%80', '%ff=1', 'author=\xff', 'before=\xc3'], (q) =>
      rawCase(`query ${q}`, rawReq('GET', `/api/v1/checkins?${q}`, { auth: true }), { api: true, status: 400, code: 'invalid_input' }));
  });
  test('in a page query string → 400', async () => {
    await rawCase('page query', rawReq('GET', '/checkins?author=%ff', { headers: { Cookie: pg.cookie } }), { status: 400 });
  });
  test('in the path (percent-encoded and raw) → 400 or 404', async () => {
    await each(['/api/v1/checkins/%ff', '/api/v1/checkins/\xff\xfe', '/api/v1/%c0%af', '/static/%ff.css'], (p) =>
      rawCase(`path ${p}`, rawReq('GET', p, { auth: true }), { api: p.startsWith('/api/'), status: [400, 404] }));
  });
  test('in form bodies (login, sign-up, check-in) → 400', async () => {
    const anon = await anonForm(srv);
    const form = (path, cookie, body) => rawCase(`form ${path}`, rawReq('POST', path, {
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' }, body,
    }), { status: 400 });
    await form('/login', anon.cookie, `csrf=${anon.csrf}&username=%ff%fe&password=x`);
    await form('/signup', anon.cookie, `csrf=${anon.csrf}&username=abcdef&password=a+long+enough+password&display_name=%c0%af`);
    await form('/signup', anon.cookie, `csrf=${anon.csrf}&username=abcdef&password=a+long+enough+password&display_name=raw\xff`);
    await form('/checkins/new', pg.cookie, `csrf=${pg.csrf}&mood=3&connection=5&secure=5&visibility=private&need=%ed%a0%80`);
  });
});

// ------------------------------------------------------------ NUL bytes

describe('NUL bytes', { timeout: TEST_TIMEOUT }, () => {
  // "\u0000" is valid JSON; the server refuses it while parsing (jansson
  // without JSON_ALLOW_NUL), so invalid_json without a field is accepted too.
  const nulCase = async (what, path, body, field, token = u.token) => {
    const r = await apiCase(what, 'POST', path, { token, body, status: 400, code: ['invalid_input', 'invalid_json'] });
    if (r.json.error.code === 'invalid_input') assert.equal(r.json.error.field, field, `${what}: field`);
  };
  test('"\\u0000" in JSON strings → 400 (invalid_input with the field, or invalid_json), never stored truncated', async () => {
    await each(['appreciation', 'need', 'worry'], (field) => nulCase(`NUL ${field}`, '/api/v1/checkins', { ...okCheckin, [field]: 'a\u0000b' }, field));
    await nulCase('NUL visibility', '/api/v1/checkins', { ...okCheckin, visibility: 'private\u0000partner' }, 'visibility');
    await each(['username', 'display_name', 'password'], (field) => nulCase(`NUL ${field}`, '/api/v1/accounts', { ...okAccount(), [field]: 'abcdefghijkl\u0000mnop' }, field, null));
  });
  test('%00 in query values → 400 invalid_input (never silently truncated)', async () => {
    await each(['author=%00', 'author=me%00', 'author=all%00partner', 'limit=5%00', 'limit=%001', 'before=%00'], (q) =>
      rawCase(`query ${q}`, rawReq('GET', `/api/v1/checkins?${q}`, { auth: true }), { api: true, status: 400, code: 'invalid_input' }));
  });
  test('%00 in form values → 400', async () => {
    await rawCase('form NUL', rawReq('POST', '/checkins/new', {
      headers: { Cookie: pg.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${pg.csrf}&mood=3%00&connection=5&secure=5&visibility=private`,
    }), { status: 400 });
    await rawCase('form NUL visibility', rawReq('POST', '/checkins/new', {
      headers: { Cookie: pg.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${pg.csrf}&mood=3&connection=5&secure=5&visibility=private%00x`,
    }), { status: 400 });
  });
  test('%00 in the path → 400 or 404 (never truncated to another resource)', async () => {
    await each(['/static/style.css%00.png', '/healthz%00', '/api/v1/me%00', '/api/v1/me%00/x', '/dashboard%00.css'], (p) =>
      rawCase(`path ${p}`, rawReq('GET', p, { auth: true, headers: { Cookie: pg.cookie } }), { api: p.startsWith('/api/'), status: [400, 404] }));
  });
  test('a raw NUL byte in the path → 4xx or closed', async () => {
    await each(['/healthz\x00', '/api/v1/me\x00', '/static/style.css\x00.png', '/\x00/../etc/passwd'], (p) =>
      rawCase(`raw NUL ${JSON.stringify(p)}`, rawReq('GET', p, { auth: true }), { api: p.startsWith('/api/'), status: [400, 404], allowClose: true, notContains: 'root:' }));
  });
  test('a raw NUL byte in a header value → 4xx or closed', async () => {
    await rawCase('NUL header', rawReq('GET', '/api/v1/me', { headers: { Authorization: `Bearer ${u.token}\x00junk` } }), { api: true, status: [400, 401], allowClose: true });
  });
});

// ------------------------------------------------ Content-Length lies

describe('Content-Length mismatches', { timeout: TEST_TIMEOUT }, () => {
  const json = { 'Content-Type': 'application/json' };
  test('Content-Length larger than the body, then half-close → 4xx or closed, healthy', async () => {
    await rawCase('CL too large', rawReq('POST', '/api/v1/checkins', { auth: true, headers: { ...json, 'Content-Length': '500' }, body: JSON.stringify(okCheckin) }),
      { api: true, status: [400, 408], allowClose: true });
  });
  test('Content-Length larger than the body, connection kept open → no hang for others', async () => {
    const pending = rawExchange(srv.port, rawReq('POST', '/api/v1/checkins', { auth: true, headers: { ...json, 'Content-Length': '500' }, body: '{}' }),
      { timeout: 5000, keepOpen: true });
    await assertHealthy(srv, 'while a short body is pending');
    const me = await srv.api('GET', '/api/v1/me', { token: u.token });
    assert.equal(me.status, 200);
    const res = await pending;
    res.text = res.body;
    check(res, { what: 'CL too large, kept open', api: true, allowClose: true });
  });
  test('Content-Length smaller than the body: the first request is cut there; the rest is never run', async () => {
    // The body is cut after '{}' (400 invalid_input: mood missing). The rest
    // looks like a request, but the first one said Connection: close.
    const victim = await freshToken();
    const tail = rawReq('DELETE', '/api/v1/sessions/current', { headers: { Authorization: `Bearer ${victim}` } });
    await rawCase('CL too small', rawReq('POST', '/api/v1/checkins', { auth: true, headers: { ...json, 'Content-Length': '2' }, body: `{}${tail}` }),
      { api: true, status: 400, code: 'invalid_input' });
    const me = await srv.api('GET', '/api/v1/me', { token: victim });
    assert.equal(me.status, 200, 'the bytes after a Connection: close request were run as a request: they ended the session');
  });
  for (const cl of ['-1', 'abc', '1 2', '0x10', '99999999999999999999999', '2, 2', ' ']) {
    test(`Content-Length: ${JSON.stringify(cl)} → 4xx (the library's own page) or closed`, async () => {
      await framingCase(`CL ${cl}`, rawReq('POST', '/api/v1/checkins', { auth: true, headers: { ...json, 'Content-Length': cl }, body: '{}' }),
        { status: [400, 411, 413] });
    });
  }
  test('two different Content-Length headers → 4xx or closed', async () => {
    const s = `POST /api/v1/checkins HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer ${u.token}\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`;
    await rawCase('two CL', s, { api: true, status: [400, 411], allowClose: true });
  });
  test('a body on GET with Content-Length is ignored or refused, never a 5xx', async () => {
    const res = await rawExchange(srv.port, rawReq('GET', '/api/v1/me', { auth: true, body: '{"x":1}' }));
    assert.ok(res.status !== null && res.status < 500, `GET with a body: ${res.raw.slice(0, 200)}`);
    await assertHealthy(srv, 'GET with body');
  });
});

// ---------------------------------------------------- malformed framing

describe('malformed request framing', { timeout: TEST_TIMEOUT }, () => {
  const cases = {
    'a header line without a colon': `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nNoColonHere\r\nConnection: close\r\n\r\n`,
    'a space before the colon': `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization : Bearer x\r\nConnection: close\r\n\r\n`,
    'a request line without a version': 'GET /api/v1/me\r\n\r\n',
    'garbage': '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello?\r\n\r\n',
    'only CRLFs': '\r\n\r\n\r\n\r\n',
    'an empty method': ' /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n',
  };
  for (const [name, data] of Object.entries(cases)) {
    test(`${name} → 4xx or closed`, async () => {
      await rawCase(name, data, { status: [400, 401, 405], allowClose: true });
    });
  }
});

test('the server is still healthy and working at the end', { timeout: TEST_TIMEOUT }, async () => {
  await assertHealthy(srv, 'the whole battery');
  const me = await srv.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.status, 200, `GET /me: ${me.status} ${me.text}`);
  const c = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: okCheckin });
  assert.equal(c.status, 201, `POST /checkins: ${c.status} ${c.text}`);
});
