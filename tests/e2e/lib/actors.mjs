// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Helpers for the security end-to-end tests (matrix, hostile input, slow
// clients), built on lib/server.mjs:
//
//   addRoleUser(srv, 'ther', 'therapist')  - an account made with the CLI, logged in
//   linkTherapist(srv, ther, member)       - the therapist's invite code, linked to the member's space
//   cookieLogin(srv, username, password)   - a page session {cookie, csrf} via the login form
//   anonForm(srv)                          - an anonymous form context {cookie, csrf} (hearth_pre)
//   page(srv, method, path, {cookie, form})- one page request (no redirects followed)
//   rawExchange(port, data, {timeout})     - bytes over a raw socket, the answer parsed
//   assertHealthy(srv)                     - GET /healthz answers 200
//   firstFeeling(srv)                      - a feeling word the server offers, for a repair's side
//   revealedRepair(srv, c, side)           - a couple's shared repair, both sides submitted
//
// Only Node built-ins; only 127.0.0.1.

import assert from 'node:assert/strict';
import net from 'node:net';
import { assertErrorKeys, uniqueUsername } from './server.mjs';
import { checkResponse } from './openapi.mjs';

/**
 * Create an account with `hearth user add` (the only way to get therapist and
 * admin accounts), then log in through the API. The CLI opens the same SQLite
 * database the running server uses. Returns {id, username, password,
 * display_name, role, token, user}.
 */
export async function addRoleUser(srv, prefix, role, { displayName } = {}) {
  const username = uniqueUsername(prefix);
  const password = `pw-${username}-correct horse`;
  const display_name = displayName || `${prefix} ${role}`;
  const r = srv.cli(['user', 'add', username, '--role', role, '--display-name', display_name], { input: `${password}\n` });
  assert.equal(r.status, 0, `hearth user add ${username} --role ${role}: exit ${r.status}, stderr: ${r.stderr}`);
  const s = await srv.api('POST', '/api/v1/sessions', { body: { username, password } });
  assert.equal(s.status, 201, `login ${username}: ${s.status} ${s.text}`);
  assert.equal(s.json.user.role, role, `role of ${username}: ${s.text}`);
  return { id: s.json.user.id, username, password, display_name, role, token: s.json.token, user: s.json.user };
}

/**
 * Link a therapist to a member's space: the therapist makes an invite code,
 * the member enters it. Returns the member's answer (the linked therapist).
 */
export async function linkTherapist(srv, ther, member) {
  const { code } = await srv.ok(ther, 'POST', '/api/v1/therapist/invites', undefined, 201);
  return srv.ok(member, 'POST', '/api/v1/spaces/current/therapist', { code }, 200);
}

/** The first feeling word GET /api/v1/feelings offers, for a repair's side. */
export async function firstFeeling(srv) {
  return (await srv.api('GET', '/api/v1/feelings')).json.groups[0].words[0];
}

/** A shared repair of couple c, each side written as side() and, unless submit is false, submitted (revealed); answers its id. */
export async function revealedRepair(srv, c, side, { submit = true } = {}) {
  const rep = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: 'the late dinner' }, 201);
  for (const who of [c.a, c.b]) await srv.ok(who, 'PUT', `/api/v1/repairs/${rep.id}/mine`, side());
  if (submit) for (const who of [c.a, c.b]) await srv.ok(who, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  return rep.id;
}

/** All Set-Cookie values of a fetch response as {name: value}. */
export function setCookies(res) {
  const out = {};
  const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : [];
  for (const c of list) {
    const first = c.split(';')[0];
    const eq = first.indexOf('=');
    if (eq > 0) out[first.slice(0, eq).trim()] = first.slice(eq + 1).trim();
  }
  return out;
}

/** The value of the first hidden csrf input in an HTML page, or null. */
export function csrfFromHtml(html) {
  const m = /<input[^>]*name="csrf"[^>]*value="([^"]*)"/.exec(html) || /<input[^>]*value="([^"]*)"[^>]*name="csrf"/.exec(html);
  return m ? m[1] : null;
}

/**
 * One page request without following redirects. opts: cookie (a Cookie
 * header value), form (an object, sent as application/x-www-form-urlencoded),
 * headers. Returns {status, headers, text, location, cookies}.
 */
export async function page(srv, method, path, { cookie, form, headers = {} } = {}) {
  const h = { ...headers };
  if (cookie) h.Cookie = cookie;
  let body;
  if (form !== undefined) {
    body = new URLSearchParams(form).toString();
    h['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  const res = await fetch(srv.url + path, { method, headers: h, body, redirect: 'manual' });
  const text = await res.text();
  checkResponse(method, path, { status: res.status, headers: res.headers, text }); // an /api/v1 call by cookie
  return { status: res.status, headers: res.headers, text, location: res.headers.get('location'), cookies: setCookies(res) };
}

/**
 * An anonymous form context: GET /login gives the hearth_pre cookie and the
 * same value in the hidden csrf field (double submit). Returns {cookie, csrf}.
 */
export async function anonForm(srv) {
  const r = await page(srv, 'GET', '/login');
  assert.equal(r.status, 200, `GET /login: ${r.status}`);
  const pre = r.cookies.hearth_pre;
  const csrf = csrfFromHtml(r.text);
  assert.ok(pre, 'GET /login set no hearth_pre cookie');
  assert.ok(csrf, 'GET /login has no csrf field');
  return { cookie: `hearth_pre=${pre}`, csrf };
}

/**
 * Log in through the login form, as a browser would. Returns {cookie, csrf,
 * token}: cookie is "hearth_session=..." and csrf the session's token, read
 * from the hidden csrf input of a signed-in page (/dashboard).
 */
export async function cookieLogin(srv, username, password) {
  const pre = await anonForm(srv);
  const r = await page(srv, 'POST', '/login', { cookie: pre.cookie, form: { csrf: pre.csrf, username, password } });
  assert.equal(r.status, 303, `POST /login ${username}: ${r.status} ${r.text.slice(0, 200)}`);
  const token = r.cookies.hearth_session;
  assert.ok(token, `POST /login ${username} set no hearth_session cookie`);
  const cookie = `hearth_session=${token}`;
  const d = await page(srv, 'GET', '/dashboard', { cookie });
  assert.equal(d.status, 200, `GET /dashboard after login: ${d.status}`);
  const csrf = csrfFromHtml(d.text);
  assert.ok(csrf, 'the dashboard has no csrf field');
  return { cookie, csrf, token };
}

/** GET /healthz must answer 200 (fresh connection, bounded wait). */
export async function assertHealthy(srv, what = '') {
  let res;
  try {
    res = await fetch(`${srv.url}/healthz`, { signal: AbortSignal.timeout(20000) });
  } catch (err) {
    const exit = srv.exit ? ` (server exited: ${JSON.stringify(srv.exit)})` : '';
    assert.fail(`GET /healthz failed after ${what}: ${err.message}${exit}\n${srv.log.slice(-2000)}`);
  }
  const text = await res.text();
  assert.equal(res.status, 200, `GET /healthz after ${what}: ${res.status} ${text}`);
}

/**
 * Send bytes over a raw TCP connection to 127.0.0.1:port, half-close unless
 * keepOpen, and collect what comes back until the server closes, the first
 * complete response has arrived (Content-Length known), or timeout ms pass.
 * data: a string (latin1: every char one byte), a Buffer, or an array of
 * them written with `gapMs` between pieces. Resolves
 * {status, headers, body, json, raw, closed, timedOut, error}; status is null
 * when no status line came back.
 */
export function rawExchange(port, data, { timeout = 20000, keepOpen = false, gapMs = 0 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let settled = false;
    let closed = false;
    let error = null;
    const sock = net.connect({ host: '127.0.0.1', port });
    const finish = (timedOut) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks)), closed, timedOut, error });
    };
    const timer = setTimeout(() => finish(true), timeout);
    sock.on('data', (c) => {
      chunks.push(c);
      const p = parseResponse(Buffer.concat(chunks));
      if (p.complete) finish(false);
    });
    sock.on('end', () => { closed = true; finish(false); });
    sock.on('close', () => { closed = true; finish(false); });
    sock.on('error', (err) => { error = err.code || err.message; });
    sock.on('connect', async () => {
      const pieces = Array.isArray(data) ? data : [data];
      for (const piece of pieces) {
        if (settled || sock.destroyed) return;
        sock.write(typeof piece === 'string' ? Buffer.from(piece, 'latin1') : piece);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      if (!keepOpen && !sock.destroyed) sock.end();
    });
  });
}

/** Parse the first HTTP/1.x response in buf (best effort). */
export function parseResponse(buf) {
  const out = { status: null, headers: {}, body: '', json: null, raw: buf.toString('latin1'), complete: false };
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) {
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(out.raw);
    if (m) out.status = Number(m[1]);
    return out;
  }
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(head[0]);
  if (m) out.status = Number(m[1]);
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) out.headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = buf.subarray(end + 4);
  const len = out.headers['content-length'];
  if (len !== undefined) {
    const n = Number(len);
    if (body.length >= n) {
      body = body.subarray(0, n);
      out.complete = true;
    }
  } else if (/chunked/i.test(out.headers['transfer-encoding'] || '')) {
    const d = dechunk(body);
    if (d) { body = d; out.complete = true; }
  }
  out.body = body.toString('utf8');
  try { out.json = out.body.length ? JSON.parse(out.body) : null; } catch { out.json = null; }
  return out;
}

function dechunk(buf) {
  const parts = [];
  let i = 0;
  for (;;) {
    const nl = buf.indexOf('\r\n', i);
    if (nl < 0) return null;
    const size = parseInt(buf.subarray(i, nl).toString('latin1'), 16);
    if (Number.isNaN(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    if (buf.length < nl + 2 + size + 2) return null;
    parts.push(buf.subarray(nl + 2, nl + 2 + size));
    i = nl + 2 + size + 2;
  }
}

/**
 * Assert a raw answer is the JSON error shape with the given status (a
 * number or an array) and code (optional; a string or an array).
 */
export function assertRawError(res, status, code, what = '') {
  const ctx = `${what} -> ${res.status} ${res.raw.slice(0, 400).replace(/\r\n/g, ' | ')}`;
  if (Array.isArray(status)) assert.ok(status.includes(res.status), `status ${res.status} not in ${status}: ${ctx}`);
  else assert.equal(res.status, status, `status: ${ctx}`);
  assert.match(String(res.headers['content-type']), /^application\/json;\s*charset="?utf-8"?$/i, `Content-Type: ${ctx}`);
  assert.ok(res.json && typeof res.json === 'object' && res.json.error && typeof res.json.error === 'object', `error shape: ${ctx}`);
  assertErrorKeys(res.json, ctx);
  assert.equal(typeof res.json.error.code, 'string', `error.code: ${ctx}`);
  assert.equal(typeof res.json.error.message, 'string', `error.message: ${ctx}`);
  if (code !== undefined) {
    if (Array.isArray(code)) assert.ok(code.includes(res.json.error.code), `code ${res.json.error.code} not in ${code}: ${ctx}`);
    else assert.equal(res.json.error.code, code, `code: ${ctx}`);
  }
}

/**
 * Open a TCP connection to 127.0.0.1:port, write `data` (latin1 string or
 * Buffer; nothing when empty) and resolve with the socket once connected.
 * The socket records sock.closedByPeer and sock.received (bytes); errors are
 * swallowed (the server may close idle connections).
 */
export function openSocket(port, data = '', { timeout = 20000 } = {}) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.closedByPeer = false;
    sock.received = 0;
    const t = setTimeout(() => { sock.destroy(); reject(new Error('connect timed out')); }, timeout);
    sock.on('data', (c) => { sock.received += c.length; });
    sock.on('end', () => { sock.closedByPeer = true; });
    sock.on('close', () => { sock.closedByPeer = sock.closedByPeer || !sock.destroyedByUs; });
    sock.on('error', () => { /* reset by the server: recorded by close */ });
    sock.on('connect', () => {
      clearTimeout(t);
      if (data && data.length) sock.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
      resolve(sock);
    });
  });
}

/** Close sockets opened with openSocket (marking the close as ours). */
export function closeSockets(socks) {
  for (const s of socks) {
    s.destroyedByUs = true;
    s.destroy();
  }
}
