// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Test harness for the hearth end-to-end API tests.
//
// startServer() runs the real binary (HEARTH_BIN, default build/hearth relative
// to the repository root) on 127.0.0.1 with a fresh temporary data directory
// and a free port, waits until GET /healthz answers 200, and returns a handle
// with helpers bound to that server:
//
//   const srv = await startServer();
//   const a = await srv.signUp('alice');          // {id, username, password, token, ...}
//   const r = await srv.api('GET', '/api/v1/me', { token: a.token });
//   const me = await srv.ok(a, 'GET', '/api/v1/me');  // asserts the status (200 unless given), answers the JSON
//   srv.sql('SELECT count(*) FROM users');        // sqlite3 or psql on its database
//   await srv.stop();
//
// The module-level api(), signUp(), makeCouple() use the most recently
// started server, so a test file that starts one server can call them directly.
// Every /api/v1 answer api() receives is validated against docs/openapi.yaml
// (lib/openapi.mjs): one the document does not describe fails the test.
// Only Node built-ins are used, and ajv for the API description (lib/openapi.mjs).

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { checkResponse } from './openapi.mjs';
import { clearOfMidnight } from './midnight.mjs';
import { childEnv } from './test-env.mjs';
import { freePort } from './port.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Absolute path of the hearth binary under test. */
export const HEARTH_BIN = process.env.HEARTH_BIN
  ? path.resolve(process.env.HEARTH_BIN)
  : path.join(REPO_ROOT, 'build', 'hearth');

/** Milliseconds to wait for /healthz after start (sanitizer builds are slow). */
const START_TIMEOUT_MS = Number(process.env.HEARTH_E2E_START_TIMEOUT_MS || 30000);
/** Milliseconds to wait for the process to exit after SIGTERM. */
const STOP_TIMEOUT_MS = 20000;

/** A generous per-test timeout for node:test, suitable for ASan builds. */
export const TEST_TIMEOUT = Number(process.env.HEARTH_E2E_TEST_TIMEOUT_MS || 300000);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export { freePort };

/**
 * PostgreSQL mode: when HEARTH_TEST_PG_URL is set (tests/pg/with-postgres.sh),
 * every data directory a server starts with gets a fresh database of its own,
 * passed as --database; runCli(['--data', DIR, ...]) adds the same --database
 * for a directory a server used, so CLI commands see that server's data.
 * --data is still passed: the key file lives there.
 *
 * That database is a copy of a template `hearth migrate` made once per cluster
 * and value of HEARTH_PG_PARTITIONS: what a first start would make (the
 * migrations leave no rows but their own, and no key), without running the
 * migrations again for each of the suite's hundred servers (0.13 s of
 * PostgreSQL's CPU each, 0.5 s with 8 partitions). newPgDatabase() still
 * answers an empty one, for the tests of a first start.
 */
export const PG_URL = process.env.HEARTH_TEST_PG_URL || '';
/** For tests that only make sense on SQLite (they read the database file or inject SQLite faults). */
export const SQLITE_ONLY = PG_URL ? 'SQLite only: this run uses PostgreSQL' : false;
const pgDatabases = new Map();

/** A fresh database in the test cluster (tests/pg/newdb.sh), empty or a copy of TEMPLATE; returns its URL. */
export function newPgDatabase(template) {
  const r = spawnSync(path.join(REPO_ROOT, 'tests', 'pg', 'newdb.sh'), template ? [template] : [], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tests/pg/newdb.sh failed: ${r.stderr || r.error}`);
  return r.stdout.trim();
}

/** psql of the test cluster on the database URL, unaligned and without headers (OPTIONS before -c). */
function psql(url, query, options = []) {
  return spawnSync(path.join(process.env.HEARTH_TEST_PG_BIN || '', 'psql'),
    ['-X', '-q', '-t', '-A', ...options, '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', query], { encoding: 'utf8' });
}

/** psql on the cluster's own database: the output, or null when the statement failed. */
function psqlCluster(query) {
  const r = psql(PG_URL, query);
  return r.status === 0 ? r.stdout.trim() : null;
}

const pgTemplatesMade = new Set(); // the templates this process knows are there

/**
 * The name of the migrated template for a server started with ENV (its HEARTH_PG_PARTITIONS).
 * Test files run in parallel, so the first ones may each make it: each migrates a database of its
 * own and renames it to the template's name, which only one rename can take; the others keep
 * theirs as their server's database (nothing else uses it).
 */
function pgTemplate(env) {
  const partitions = childEnv(env).HEARTH_PG_PARTITIONS || '';
  const name = `hearth_template_${/^[0-9]+$/.test(partitions) ? partitions : 0}`;
  if (pgTemplatesMade.has(name) || psqlCluster(`SELECT 1 FROM pg_database WHERE datname = '${name}'`) === '1') {
    pgTemplatesMade.add(name);
    return { name };
  }
  const own = newPgDatabase();
  const dir = tempDir('hearth-e2e-template-');
  try {
    const r = spawnSync(HEARTH_BIN, ['--data', dir, '--database', own, 'migrate'], { env: childEnv(env), encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hearth migrate of a template failed:\n${r.stdout}${r.stderr}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const ownName = own.slice(own.lastIndexOf('/') + 1);
  pgTemplatesMade.add(name); // this rename or another file's made it
  if (psqlCluster(`ALTER DATABASE ${ownName} RENAME TO ${name}`) !== null) return { name };
  return { name, lost: own };
}

/**
 * The database URL used for a data directory, creating one on first use (PostgreSQL mode only):
 * a copy of the template for ENV, the environment of the server that will use it.
 */
export function pgDatabaseFor(dir, env = {}) {
  const key = path.resolve(dir);
  if (!pgDatabases.has(key)) {
    const template = pgTemplate(env);
    pgDatabases.set(key, template.lost || newPgDatabase(template.name));
  }
  return pgDatabases.get(key);
}

/** Adds --database after a leading ['--data', DIR] when DIR belongs to a server. */
function withDatabase(args) {
  if (PG_URL && args[0] === '--data' && args.length > 1 && pgDatabases.has(path.resolve(args[1]))) {
    return ['--data', args[1], '--database', pgDatabases.get(path.resolve(args[1])), ...args.slice(2)];
  }
  return args;
}

/** Create a fresh temporary directory (the caller removes it). */
export function tempDir(prefix = 'hearth-e2e-') {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Run the CLI synchronously: runCli(['--data', dir, 'check'], {input}).
 * Returns {status, signal, stdout, stderr}. cwd defaults to a temporary
 * directory so that a default ./hearth-data is never created in the repo.
 */
export function runCli(args, { input, env = {}, cwd, timeout = 60000 } = {}) {
  let ownCwd = null;
  if (!cwd) {
    ownCwd = tempDir('hearth-e2e-cwd-');
    cwd = ownCwd;
  }
  try {
    const r = spawnSync(HEARTH_BIN, withDatabase(args), {
      input,
      cwd,
      env: childEnv(env),
      encoding: 'utf8',
      timeout,
      killSignal: 'SIGKILL',
    });
    if (r.error && r.error.code === 'ENOENT') {
      throw new Error(`hearth binary not found at ${HEARTH_BIN} (build it or set HEARTH_BIN)`);
    }
    return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
  } finally {
    if (ownCwd) fs.rmSync(ownCwd, { recursive: true, force: true });
  }
}

/** Like runCli(), but asynchronous, so the test's event loop keeps running. */
export function runCliAsync(args, { input, env = {}, cwd, timeout = 60000 } = {}) {
  const ownCwd = cwd ? null : tempDir('hearth-e2e-cwd-');
  return new Promise((resolve, reject) => {
    const p = spawn(HEARTH_BIN, withDatabase(args), { cwd: cwd || ownCwd, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8');
    p.stderr.setEncoding('utf8');
    p.stdout.on('data', (c) => { stdout += c; });
    p.stderr.on('data', (c) => { stderr += c; });
    const t = setTimeout(() => p.kill('SIGKILL'), timeout);
    p.on('error', (err) => { clearTimeout(t); if (ownCwd) fs.rmSync(ownCwd, { recursive: true, force: true }); reject(err); });
    p.on('close', (status, signal) => {
      clearTimeout(t);
      if (ownCwd) fs.rmSync(ownCwd, { recursive: true, force: true });
      resolve({ status, signal, stdout, stderr });
    });
    p.stdin.on('error', () => { /* the program may not read stdin */ });
    p.stdin.end(input ?? '');
  });
}

/**
 * SQL on a server's database, for tests that set up or inspect rows the API
 * cannot reach: psql on the server's own database in PostgreSQL mode, else
 * sqlite3 on its hearth.db (waiting up to 10 s for the server's write lock).
 * Options: file (a SQLite file to read instead, in either mode), separator
 * (between columns; the clients' default '|' otherwise), trim (false keeps the
 * output as printed), optional (answer null instead of failing when the
 * client is not installed). Returns the output, unaligned and without headers.
 */
export function sqlAt(srv, query, { file, separator, trim = true, optional = false } = {}) {
  const sep = (flag) => (separator === undefined ? [] : [flag, separator]);
  const r = PG_URL && !file
    ? psql(pgDatabaseFor(srv.dataDir), query, sep('-F'))
    : spawnSync('sqlite3', ['-batch', ...sep('-separator'), '-cmd', '.timeout 10000', file || path.join(srv.dataDir, 'hearth.db'), query],
      { encoding: 'utf8' });
  if (r.error && optional) return null;
  assert.equal(r.status, 0, `SQL failed: ${query}\n${r.stderr} ${r.error || ''}`);
  return trim ? r.stdout.trim() : r.stdout;
}

/** Keep only the last `max` characters of a growing log. */
function appendCapped(buf, chunk, max = 65536) {
  const s = buf + chunk;
  return s.length > max ? s.slice(s.length - max) : s;
}

const SANITIZER_REPORT = /ERROR: (AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer)|runtime error:/;

const liveProcs = new Set();
process.on('exit', () => {
  for (const p of liveProcs) {
    try { p.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

let current = null;
let uniq = 0;

/** A unique lowercase a-z0-9 username, 3..32 characters, starting with prefix. */
export function uniqueUsername(prefix = 'u') {
  const p = String(prefix).toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 'u';
  const tail = (Date.now() % 1e8).toString(36) + (process.pid % 1296).toString(36) + (uniq++).toString(36)
    + Math.floor(Math.random() * 1296).toString(36);
  const name = (p + tail).slice(0, 32);
  return name.length >= 3 ? name : name.padEnd(3, '0');
}

/**
 * Start a hearth server. Options: env (extra environment), dataDir (reuse a
 * directory instead of creating one). Returns the handle described above.
 */
export async function startServer({ env = {}, dataDir } = {}) {
  if (!fs.existsSync(HEARTH_BIN)) {
    throw new Error(`hearth binary not found at ${HEARTH_BIN} (build it or set HEARTH_BIN)`);
  }
  const ownsDir = !dataDir;
  const srv = {
    dataDir: dataDir || tempDir(),
    port: 0,
    url: '',
    proc: null,
    log: '',
    sanitizer: '',
    exit: null,
  };

  async function launch() {
    srv.port = await freePort();
    srv.url = `http://127.0.0.1:${srv.port}`;
    srv.exit = null;
    const db = PG_URL ? ['--database', pgDatabaseFor(srv.dataDir, env)] : [];
    const proc = spawn(HEARTH_BIN, ['--data', srv.dataDir, ...db, 'serve', '--listen', `127.0.0.1:${srv.port}`], {
      cwd: srv.dataDir,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    srv.proc = proc;
    liveProcs.add(proc);
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    const scan = (c) => {
      srv.log = appendCapped(srv.log, c);
      // Sanitizer builds: remember every report so that stop() can fail the file.
      if (SANITIZER_REPORT.test(c) && srv.sanitizer.length < 65536) srv.sanitizer += c;
    };
    proc.stdout.on('data', scan);
    proc.stderr.on('data', scan);
    proc.exited = new Promise((resolve) => {
      proc.on('close', (code, signal) => {
        liveProcs.delete(proc);
        srv.exit = { code, signal };
        resolve({ code, signal });
      });
      proc.on('error', (err) => {
        liveProcs.delete(proc);
        srv.exit = { code: null, signal: null, error: err };
        resolve(srv.exit);
      });
    });
    const deadline = Date.now() + START_TIMEOUT_MS;
    let last = 'no answer yet'; // what the last try got, for the message when none answered 200
    for (;;) {
      if (srv.exit) {
        throw new Error(`hearth exited during start-up (${JSON.stringify(srv.exit)}); log:\n${srv.log}`);
      }
      try {
        const res = await fetch(`${srv.url}/healthz`, { signal: AbortSignal.timeout(2000) });
        const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
        if (res.status === 200) break;
        last = `${res.status} ${body.slice(0, 200)}`;
      } catch (e) {
        last = `${e.name}: ${e.cause?.code || e.message}`; /* not up yet */
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        await proc.exited;
        throw new Error(`hearth did not answer GET /healthz with 200 within ${START_TIMEOUT_MS} ms`
          + ` (the last try: ${last}); log:\n${srv.log}`);
      }
      await sleep(100);
    }
  }

  /** Send SIGTERM and wait for exit (SIGKILL after a timeout). Returns {code, signal}. */
  async function terminate() {
    const proc = srv.proc;
    if (!proc || srv.exit) return srv.exit;
    proc.kill('SIGTERM');
    const t = setTimeout(() => { try { proc.kill('SIGKILL'); } catch { /* gone */ } }, STOP_TIMEOUT_MS);
    const r = await proc.exited;
    clearTimeout(t);
    return r;
  }

  /**
   * SIGTERM, wait, remove the data directory (unless keepData). Throws when
   * the server printed a sanitizer report at any time, so that memory errors
   * found by an ASan/UBSan build fail the test file.
   */
  srv.stop = async function stop({ keepData = false } = {}) {
    const r = await terminate();
    if (ownsDir && !keepData) fs.rmSync(srv.dataDir, { recursive: true, force: true });
    if (srv.sanitizer) throw new Error(`hearth printed a sanitizer report:\n${srv.sanitizer.slice(0, 8000)}`);
    return r;
  };
  /** SIGTERM without removing the data directory. */
  srv.terminate = terminate;
  srv.kill9 = async function kill9() {
    const proc = srv.proc;
    if (!proc || srv.exit) return srv.exit;
    proc.kill('SIGKILL');
    return proc.exited;
  };
  srv.restart = async function restart() {
    await terminate();
    await launch();
    return srv;
  };
  srv.api = (method, p, opts) => apiAt(srv.url, method, p, opts);
  srv.raw = (opts) => rawRequest({ port: srv.port, ...opts });
  srv.signUp = (prefix, opts) => signUpAt(srv, prefix, opts);
  srv.logIn = (username, password) => logInAt(srv, username, password);
  srv.makeCouple = (prefix) => makeCoupleAt(srv, prefix);
  srv.cli = (args, opts) => runCli(['--data', srv.dataDir, ...args], opts);
  srv.sql = (query, opts) => sqlAt(srv, query, opts);
  // The tests' usual calls: `who` is an account from signUp() (or null: no token).
  srv.call = (who, method, p, body) => srv.api(method, p, { token: who && who.token, body });
  srv.ok = async function ok(who, method, p, body, want = 200) {
    const r = await srv.call(who, method, p, body);
    assert.equal(r.status, want, `${method} ${p}: ${r.status} ${r.text}`);
    return r.json;
  };

  await launch();
  current = srv;
  return srv;
}

/**
 * One API call with fetch. opts: token (Bearer), body (JSON-encoded, with
 * Content-Type application/json), rawBody (string/Buffer sent as is; set the
 * Content-Type header yourself), headers. Returns {status, headers, json, text}.
 * json is null when the body is not JSON.
 */
export async function apiAt(base, method, p, { token, body, headers = {}, rawBody } = {}) {
  const h = { ...headers };
  let payload;
  if (rawBody !== undefined) {
    payload = rawBody;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
  }
  if (token) h.Authorization = `Bearer ${token}`;
  const res = await fetch(base + p, { method, headers: h, body: payload, redirect: 'manual' });
  const text = await res.text();
  let json = null;
  try { json = text.length ? JSON.parse(text) : null; } catch { json = null; }
  // Every /api/v1 answer must be one docs/openapi.yaml describes (lib/openapi.mjs); no switch turns this off.
  checkResponse(method, p, { status: res.status, headers: res.headers, text });
  return { status: res.status, headers: res.headers, json, text };
}

/** api() against the most recently started server. */
export function api(method, p, opts) {
  if (!current) throw new Error('no server started');
  return current.api(method, p, opts);
}

/**
 * A raw HTTP/1.1 request with node:http, for cases fetch cannot express
 * (odd methods, huge headers, early responses). Resolves {status, headers,
 * text, json}; rejects only when no response arrived at all.
 */
export function rawRequest({ port, method = 'GET', path: p = '/', headers = {}, body, agent = false, timeout = 30000 }) {
  return new Promise((resolve, reject) => {
    let done = false;
    const req = http.request({ host: '127.0.0.1', port, method, path: p, headers, agent, timeout }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      const finish = () => {
        if (done) return;
        done = true;
        const text = Buffer.concat(chunks).toString('utf8');
        let json = null;
        try { json = text.length ? JSON.parse(text) : null; } catch { json = null; }
        resolve({ status: res.statusCode, headers: res.headers, text, json, socket: res.socket });
      };
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', (err) => { if (!done) { done = true; reject(err); } });
    if (body !== undefined) req.write(body, (err) => { /* the server may answer early and close */ void err; });
    req.end();
  });
}

async function logInAt(srv, username, password) {
  const r = await srv.api('POST', '/api/v1/sessions', { body: { username, password } });
  assert.equal(r.status, 201, `login ${username}: ${r.status} ${r.text}`);
  return r.json;
}

/**
 * Create a member account with a unique username, log in, and return
 * {id, username, password, display_name, token, user}.
 */
async function signUpAt(srv, prefix = 'u', { displayName } = {}) {
  await clearOfMidnight();
  const username = uniqueUsername(prefix);
  const password = `pw-${username}-correct horse`;
  const display_name = displayName || `${prefix} ${uniq}`;
  const r = await srv.api('POST', '/api/v1/accounts', { body: { username, password, display_name } });
  assert.equal(r.status, 201, `sign-up ${username}: ${r.status} ${r.text}`);
  const s = await logInAt(srv, username, password);
  assert.ok(s && typeof s.token === 'string' && s.token.length > 0, `login ${username} gave no token: ${JSON.stringify(s)}`);
  return { id: r.json.id, username, password, display_name, token: s.token, user: s.user };
}

/** signUp() against the most recently started server. */
export function signUp(prefix, opts) {
  if (!current) throw new Error('no server started');
  return current.signUp(prefix, opts);
}

/**
 * Two members in one space: A creates the space and an invite, B joins.
 * Returns {a, b, spaceId}.
 */
async function makeCoupleAt(srv, prefix = 'c') {
  const a = await srv.signUp(`${prefix}a`);
  const b = await srv.signUp(`${prefix}b`);
  const sp = await srv.api('POST', '/api/v1/spaces', { token: a.token });
  assert.equal(sp.status, 201, `create space: ${sp.status} ${sp.text}`);
  const inv = await srv.api('POST', '/api/v1/spaces/current/invites', { token: a.token });
  assert.equal(inv.status, 201, `create invite: ${inv.status} ${inv.text}`);
  const j = await srv.api('POST', '/api/v1/spaces/join', { token: b.token, body: { code: inv.json.code } });
  assert.equal(j.status, 200, `join: ${j.status} ${j.text}`);
  return { a, b, spaceId: sp.json.id };
}

/** makeCouple() against the most recently started server. */
export function makeCouple(prefix) {
  if (!current) throw new Error('no server started');
  return current.makeCouple(prefix);
}

// ---------------------------------------------------------------- assertions

const JSON_CT = /^application\/json;\s*charset="?utf-8"?$/i;

/** Assert the Content-Type is application/json; charset=utf-8. */
export function assertJsonType(res, what = '') {
  const ct = typeof res.headers.get === 'function' ? res.headers.get('content-type') : res.headers['content-type'];
  assert.match(String(ct), JSON_CT, `${what} Content-Type was ${ct}`);
}

/**
 * The top-level keys of an error answer: ["error"], and for invalid_input also
 * "errors" (API.md, Additions): a non-empty list of {code, message[, field]},
 * its first entry the same as "error", each field named once.
 */
export function assertErrorKeys(json, ctx) {
  if (json?.error?.code !== 'invalid_input') {
    assert.deepEqual(Object.keys(json), ['error'], `top-level keys: ${ctx}`);
    return;
  }
  assert.deepEqual(Object.keys(json), ['error', 'errors'], `top-level keys: ${ctx}`);
  assert.ok(Array.isArray(json.errors) && json.errors.length >= 1, `errors is a non-empty list: ${ctx}`);
  assert.deepEqual(json.errors[0], json.error, `errors[0] is error: ${ctx}`);
  const fields = new Set();
  for (const e of json.errors) {
    for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field'].includes(k), `unexpected key ${k} in errors: ${ctx}`);
    assert.equal(e.code, 'invalid_input', `errors code: ${ctx}`);
    assert.ok(typeof e.message === 'string' && e.message.length > 0, `errors message: ${ctx}`);
    if ('field' in e) {
      assert.ok(!fields.has(e.field), `field ${e.field} named twice: ${ctx}`);
      fields.add(e.field);
    }
  }
}

/**
 * Assert an error answer: status, exact shape {"error":{"code","message"[,"field"]}}
 * (with "errors" for invalid_input, assertErrorKeys),
 * code (a string or an array of acceptable codes), and field when given
 * (field: undefined = not checked, a string = must equal).
 */
export function assertError(res, status, code, field, what = '') {
  const ctx = `${what} -> ${res.status} ${res.text.slice(0, 300)}`;
  if (Array.isArray(status)) assert.ok(status.includes(res.status), `status ${res.status} not in ${status}: ${ctx}`);
  else assert.equal(res.status, status, `status: ${ctx}`);
  assertJsonType(res, ctx);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), `body is not a JSON object: ${ctx}`);
  assertErrorKeys(res.json, ctx);
  const e = res.json.error;
  assert.ok(e && typeof e === 'object' && !Array.isArray(e), `error is not an object: ${ctx}`);
  for (const k of Object.keys(e)) assert.ok(['code', 'message', 'field'].includes(k), `unexpected key ${k} in error: ${ctx}`);
  assert.equal(typeof e.code, 'string', `error.code: ${ctx}`);
  assert.equal(typeof e.message, 'string', `error.message: ${ctx}`);
  assert.ok(e.message.length > 0, `error.message empty: ${ctx}`);
  if ('field' in e) assert.equal(typeof e.field, 'string', `error.field: ${ctx}`);
  if (code !== undefined) {
    if (Array.isArray(code)) assert.ok(code.includes(e.code), `code ${e.code} not in ${code}: ${ctx}`);
    else assert.equal(e.code, code, `code: ${ctx}`);
  }
  if (field !== undefined) assert.equal(e.field, field, `field: ${ctx}`);
  return e;
}

/** RFC 3339 UTC timestamp ending in Z. */
export const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

export { sleep, clearOfMidnight };
