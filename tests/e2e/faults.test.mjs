// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Storage faults: a full disk, a failing disk and a locked database must give
// 503 {"error":{"code":"unavailable"}} with Retry-After (docs/internals.md:
// "STORE_BUSY (locked, disk full, I/O error → 503)"), never a crash and never
// a half-written record; once the fault is gone, writes succeed again and
// `hearth check` passes.
//
// Faults are injected with HEARTH_FAULT_FILE (src/store/faultvfs.c): while the
// file says "full" or "ioerr", every SQLite write/sync/truncate fails. The
// lock is held by a separate `sqlite3` process (BEGIN IMMEDIATE), with the
// server's busy timeout shortened by HEARTH_BUSY_TIMEOUT_MS.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { startServer, tempDir, runCli, assertError, sleep, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

let srv;
let faultDir;
let faultFile;
let couple;
/** id -> the check-in as last acknowledged (201 / 200), for user a. */
const ackedA = new Map();

// The server may drop root privileges after binding (to "hearth" or "nobody"),
// so the fault file must be readable by everyone.
const arm = (word) => { fs.writeFileSync(faultFile, `${word}\n`, { mode: 0o644 }); fs.chmodSync(faultFile, 0o644); };
const disarm = () => fs.rmSync(faultFile, { force: true });

before(async () => {
  faultDir = tempDir('hearth-e2e-fault-');
  fs.chmodSync(faultDir, 0o755);
  faultFile = path.join(faultDir, 'fault');
  srv = await startServer({ env: { HEARTH_FAULT_FILE: faultFile } });
  couple = await srv.makeCouple('flt');
}, { timeout: TEST_TIMEOUT });

after(async () => {
  disarm();
  if (srv) await srv.stop();
  if (faultDir) fs.rmSync(faultDir, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

function assertAlive(what) {
  assert.equal(srv.exit, null, `${what}: the server exited ${JSON.stringify(srv.exit)}; log:\n${srv.log.slice(-3000)}`);
}

/** 503 unavailable with the error shape and a Retry-After header. */
function assertUnavailable(r, what) {
  assertError(r, 503, 'unavailable', undefined, what);
  const ra = r.headers.get('retry-after');
  assert.ok(ra !== null && /^\d+$/.test(ra.trim()), `${what}: Retry-After header missing or not seconds: ${ra}`);
}

async function allIds(token, author = 'me') {
  const ids = [];
  let q = `/api/v1/checkins?author=${author}&limit=100`;
  for (let i = 0; i < 1000; i++) {
    const r = await srv.api('GET', q, { token });
    assert.equal(r.status, 200, `${q}: ${r.status} ${r.text}`);
    ids.push(...r.json.items.map((c) => c.id));
    if (r.json.next === null) return ids;
    q = `/api/v1/checkins?author=${author}&limit=100&before=${encodeURIComponent(r.json.next)}`;
  }
  throw new Error('too many pages');
}

const FIELDS = ['mood', 'connection', 'secure', 'appreciation', 'need', 'worry', 'visibility'];
const pick = (c) => Object.fromEntries(FIELDS.map((k) => [k, c[k]]));

async function createA(i, tag) {
  const body = { mood: (i % 5) + 1, connection: i % 11, secure: (i * 3) % 11, appreciation: `thanks ${tag} ${i}`, need: `need ${tag} ${i}`, worry: `worry ${tag} ${i}`, visibility: 'partner' };
  const r = await srv.api('POST', '/api/v1/checkins', { token: couple.a.token, body });
  assert.equal(r.status, 201, `create ${tag} ${i}: ${r.status} ${r.text}`);
  ackedA.set(r.json.id, pick(r.json));
  return r.json;
}

for (const mode of ['full', 'ioerr']) {
  test(`fault "${mode}": every write answers 503 unavailable, nothing is half-written, and writes succeed after healing`, { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
    const { a, b } = couple;
    // A check-in that exists before the fault.
    const x = await createA(0, `pre-${mode}`);
    const xBefore = pick(x);

    arm(mode);
    try {
      // New check-ins, sequential and concurrent: all 503, none acknowledged.
      const body = { mood: 3, connection: 4, secure: 5, appreciation: `during ${mode}`, need: 'n', worry: 'w', visibility: 'private' };
      const r1 = await srv.api('POST', '/api/v1/checkins', { token: a.token, body });
      assertUnavailable(r1, `POST /checkins while "${mode}"`);
      const many = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        srv.api('POST', '/api/v1/checkins', { token: i % 2 ? b.token : a.token, body: { ...body, need: `concurrent ${i}` } })));
      many.forEach((r, i) => assertUnavailable(r, `concurrent POST /checkins #${i} while "${mode}"`));
      assertAlive(`after POST /checkins while "${mode}"`);

      // Sign-up.
      const su = await srv.api('POST', '/api/v1/accounts', {
        body: { username: `flt${mode}${Date.now() % 1e6}`, password: 'a-long-enough-password', display_name: 'Faulty' },
      });
      assertUnavailable(su, `POST /accounts while "${mode}"`);

      // PATCH: 503, and the check-in is unchanged.
      const p = await srv.api('PATCH', `/api/v1/checkins/${x.id}`, { token: a.token, body: { mood: 1, worry: `patched during ${mode}` } });
      assertUnavailable(p, `PATCH /checkins/{id} while "${mode}"`);
      const g1 = await srv.api('GET', `/api/v1/checkins/${x.id}`, { token: a.token });
      assert.equal(g1.status, 200, `GET after failed PATCH while "${mode}": ${g1.status} ${g1.text}`);
      assert.deepEqual(pick(g1.json), xBefore, `a failed PATCH must leave the check-in unchanged ("${mode}")`);

      // DELETE: 503, and the check-in still exists.
      const d = await srv.api('DELETE', `/api/v1/checkins/${x.id}`, { token: a.token });
      assertUnavailable(d, `DELETE /checkins/{id} while "${mode}"`);
      const g2 = await srv.api('GET', `/api/v1/checkins/${x.id}`, { token: a.token });
      assert.equal(g2.status, 200, `GET after failed DELETE while "${mode}": ${g2.status} ${g2.text}`);
      assert.deepEqual(pick(g2.json), xBefore);
      const g3 = await srv.api('GET', `/api/v1/checkins/${x.id}`, { token: b.token });
      assert.equal(g3.status, 200, `the partner still sees it while "${mode}": ${g3.status}`);

      // Login: the right password cannot create a session (503); a wrong one is 401 or 503.
      const lg = await srv.api('POST', '/api/v1/sessions', { body: { username: a.username, password: a.password } });
      assert.ok([401, 503].includes(lg.status), `login while "${mode}": ${lg.status} ${lg.text}`);
      assertError(lg, [401, 503], lg.status === 503 ? 'unavailable' : 'bad_credentials', undefined, `login while "${mode}"`);
      const bad = await srv.api('POST', '/api/v1/sessions', { body: { username: a.username, password: 'wrong-password-123' } });
      assertError(bad, [401, 503], undefined, undefined, `wrong-password login while "${mode}"`);
      assertAlive(`after login while "${mode}"`);
      t.diagnostic(`while "${mode}": login with the right password -> ${lg.status} ${lg.json?.error?.code}; with a wrong one -> ${bad.status} ${bad.json?.error?.code}`);

      // The service still answers; reads still work.
      const h = await srv.api('GET', '/healthz');
      assert.ok([200, 503].includes(h.status), `/healthz while "${mode}": ${h.status} ${h.text}`);
      const me = await srv.api('GET', '/api/v1/me', { token: a.token });
      assert.equal(me.status, 200, `GET /me (a read) while "${mode}": ${me.status} ${me.text}`);
      assertAlive(`while "${mode}"`);
    } finally {
      disarm();
    }

    // Healed: writes succeed again, on every worker (several in parallel).
    const after1 = await srv.api('POST', '/api/v1/checkins', {
      token: a.token, body: { mood: 4, connection: 4, secure: 4, appreciation: `healed ${mode}`, visibility: 'partner' },
    });
    assert.equal(after1.status, 201, `the first POST after healing "${mode}": ${after1.status} ${after1.text}`);
    ackedA.set(after1.json.id, pick(after1.json));
    const rs = await Promise.all(Array.from({ length: 16 }, (_, i) => createA(i + 1, `post-${mode}`)));
    assert.equal(rs.length, 16);
    const h = await srv.api('GET', '/healthz');
    assert.equal(h.status, 200, `/healthz after healing "${mode}": ${h.status}`);

    // PATCH and DELETE work again.
    const p = await srv.api('PATCH', `/api/v1/checkins/${x.id}`, { token: a.token, body: { worry: `patched after ${mode}` } });
    assert.equal(p.status, 200, `PATCH after healing: ${p.status} ${p.text}`);
    ackedA.set(x.id, pick(p.json));
    const victim = rs[0];
    const del = await srv.api('DELETE', `/api/v1/checkins/${victim.id}`, { token: a.token });
    assert.equal(del.status, 204, `DELETE after healing: ${del.status} ${del.text}`);
    ackedA.delete(victim.id);
    const lg = await srv.api('POST', '/api/v1/sessions', { body: { username: a.username, password: a.password } });
    assert.equal(lg.status, 201, `login after healing: ${lg.status} ${lg.text}`);

    // Exactly the acknowledged check-ins exist, with their acknowledged contents.
    const ids = await allIds(a.token);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates in the list');
    const extra = ids.filter((id) => !ackedA.has(id));
    const missing = [...ackedA.keys()].filter((id) => !ids.includes(id));
    assert.deepEqual({ extra, missing }, { extra: [], missing: [] }, `after "${mode}": the stored check-ins must be exactly the acknowledged ones`);
    assert.deepEqual(await allIds(b.token), [], `b never acknowledged a check-in (after "${mode}")`);

    for (const [id, want] of ackedA) {
      const g = await srv.api('GET', `/api/v1/checkins/${id}`, { token: a.token });
      assert.equal(g.status, 200, `GET ${id}: ${g.status}`);
      assert.deepEqual(pick(g.json), want, `check-in ${id} is as acknowledged`);
    }
    assertAlive(`after "${mode}"`);
  });
}

for (const mode of ['full', 'ioerr']) {
  test(`fault "${mode}": the first check-in of an author who has none yet (its data key is created on first use) answers 503, and succeeds after healing`, { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
    const newcomer = await srv.signUp(`new${mode}`);
    const body = { mood: 2, connection: 2, secure: 2, worry: `first ${mode}`, visibility: 'private' };
    arm(mode);
    let first;
    try {
      first = await srv.api('POST', '/api/v1/checkins', { token: newcomer.token, body });
    } finally {
      disarm();
    }
    assertAlive(`after a newcomer's POST /checkins while "${mode}"`);
    const list = await allIds(newcomer.token);
    assert.deepEqual(list, [], `nothing was stored for the refused first check-in ("${mode}")`);
    const nc = await srv.api('POST', '/api/v1/checkins', { token: newcomer.token, body });
    assert.equal(nc.status, 201, `the newcomer's first check-in after healing: ${nc.status} ${nc.text}`);
    const ncg = await srv.api('GET', `/api/v1/checkins/${nc.json.id}`, { token: newcomer.token });
    assert.equal(ncg.status, 200);
    assert.equal(ncg.json.worry, `first ${mode}`);
    assertUnavailable(first, `the first check-in of an author who has none yet while "${mode}"`);
  });
}

test('faults that come and go while 4 clients write: only 201 or 503, and exactly the acknowledged check-ins exist (also after kill -9)', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
  const users = [await srv.signUp('tga'), await srv.signUp('tgb'), await srv.signUp('tgc'), await srv.signUp('tgd')];
  const acked = new Map(); // need text -> id
  const refused = new Set(); // need texts answered 503
  const unexpected = [];
  let stop = false;
  const writer = async (u, w) => {
    for (let i = 0; !stop && i < 5000; i++) {
      const need = `tg ${w} #${i}`;
      let r;
      try {
        r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: (i % 5) + 1, connection: w, secure: i % 11, need, visibility: 'private' } });
      } catch (err) {
        unexpected.push(`${need}: no answer (${err.cause?.code || err.message})`);
        return;
      }
      if (r.status === 201) acked.set(need, r.json.id);
      else if (r.status === 503 && r.json?.error?.code === 'unavailable') refused.add(need);
      else unexpected.push(`${need}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  // One check-in each first: the data key of each author exists before the faults
  // (the first check-in of a scope is covered by the test above).
  for (const [w, u] of users.entries()) {
    const r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: w, secure: 3, need: `tg ${w} first`, visibility: 'private' } });
    assert.equal(r.status, 201, r.text);
    acked.set(`tg ${w} first`, r.json.id);
  }
  const writers = users.map(writer);
  try {
    for (let round = 0; round < 10; round++) {
      await sleep(30 + Math.floor(Math.random() * 120));
      arm(round % 2 ? 'ioerr' : 'full');
      await sleep(30 + Math.floor(Math.random() * 120));
      disarm();
    }
    await sleep(200);
  } finally {
    disarm();
    stop = true;
    await Promise.all(writers);
  }
  const storeErrors = srv.log.split('\n').filter((l) => l.includes('"store"')).slice(-20).join('\n');
  assert.deepEqual(unexpected, [], `every write is answered 201 or 503 unavailable; store errors in the log:\n${storeErrors}`);
  assert.equal(srv.exit, null, `the server kept running; log:\n${srv.log.slice(-3000)}`);
  assert.ok(acked.size > 0, 'some writes were acknowledged');

  const verify = async (when) => {
    const stored = new Map(); // need -> id
    for (const u of users) {
      let q = '/api/v1/checkins?author=me&limit=100';
      for (let i = 0; i < 1000; i++) {
        const r = await srv.api('GET', q, { token: u.token });
        assert.equal(r.status, 200, `${when}: ${q}: ${r.status} ${r.text}`);
        for (const c of r.json.items) stored.set(c.need, c.id);
        if (r.json.next === null) break;
        q = `/api/v1/checkins?author=me&limit=100&before=${encodeURIComponent(r.json.next)}`;
      }
    }
    const lost = [...acked.keys()].filter((n) => stored.get(n) !== acked.get(n));
    const ghosts = [...stored.keys()].filter((n) => !acked.has(n));
    assert.deepEqual(lost, [], `${when}: acknowledged check-ins that are missing`);
    assert.deepEqual(ghosts.map((n) => `${n} (${refused.has(n) ? 'answered 503' : 'never answered'})`), [],
      `${when}: check-ins stored although the server said "Nothing was saved" (${acked.size} acknowledged, ${refused.size} refused)`);
  };
  t.diagnostic(`${acked.size} acknowledged, ${refused.size} refused with 503`);
  await verify('right after healing');
  // kill -9: SQLite recovers the WAL on the next start; a refused write must not come back.
  await srv.kill9();
  await srv.restart();
  await verify('after kill -9 and restart');
});

test('a full disk for seconds, across background checkpoints: API and page writes answer 503 with Retry-After, writing resumes by itself, nothing acknowledged is lost', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const u = await srv.signUp('spell');
  const form = await cookieLogin(srv, u.username, u.password);
  const acked = new Map(); // need -> id
  const write = (need) => srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 3, secure: 3, need, visibility: 'private' } });
  const stored = async () => {
    const out = new Map();
    let q = '/api/v1/checkins?author=me&limit=100';
    for (let i = 0; i < 100; i++) {
      const r = await srv.api('GET', q, { token: u.token });
      assert.equal(r.status, 200, `${q}: ${r.status} ${r.text}`);
      for (const c of r.json.items) out.set(c.need, c.id);
      if (r.json.next === null) return out;
      q = `/api/v1/checkins?author=me&limit=100&before=${encodeURIComponent(r.json.next)}`;
    }
    throw new Error('too many pages');
  };
  const assertExactlyAcked = async (when) => {
    const got = await stored();
    assert.deepEqual([...got.entries()].sort(), [...acked.entries()].sort(), `${when}: the stored check-ins must be exactly the acknowledged ones`);
  };
  // Acknowledged before the disk fills: their WAL frames are still waiting for the checkpointer.
  for (let i = 0; i < 20; i++) {
    const r = await write(`before ${i}`);
    assert.equal(r.status, 201, r.text);
    acked.set(`before ${i}`, r.json.id);
  }
  arm('full');
  let tries = 0;
  try {
    // Three seconds: the checkpointer (every 250 ms) meets the full disk a dozen times.
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      assertUnavailable(await write(`during ${tries}`), `POST /checkins #${tries} while the disk is full`);
      tries++;
      await sleep(50);
    }
    const p = await page(srv, 'POST', '/checkins/new', {
      cookie: form.cookie, form: { csrf: form.csrf, mood: '3', connection: '3', secure: '3', visibility: 'private', need: 'the page, during' },
    });
    assert.equal(p.status, 503, `the check-in form while the disk is full: ${p.status} ${p.location || ''}`);
    assert.match(String(p.headers.get('retry-after')), /^\d+$/, 'the check-in form while the disk is full: Retry-After');
    await assertExactlyAcked('while the disk is full (reads go on)');
    assertAlive('while the disk is full');
  } finally {
    disarm();
  }
  // Space is back. No restart: the very next write succeeds, then many at once.
  const next = await write('after 0');
  assert.equal(next.status, 201, `the first write once space is back: ${next.status} ${next.text}`);
  acked.set('after 0', next.json.id);
  const many = await Promise.all(Array.from({ length: 16 }, (_, i) => write(`after ${i + 1}`)));
  many.forEach((r, i) => {
    assert.equal(r.status, 201, `write ${i + 1} once space is back: ${r.status} ${r.text}`);
    acked.set(`after ${i + 1}`, r.json.id);
  });
  const p = await page(srv, 'POST', '/checkins/new', {
    cookie: form.cookie, form: { csrf: form.csrf, mood: '3', connection: '3', secure: '3', visibility: 'private', need: 'the page, after' },
  });
  assert.equal(p.status, 303, `the check-in form once space is back: ${p.status}`);
  acked.set('the page, after', (await stored()).get('the page, after'));
  await assertExactlyAcked(`once space is back (${tries} writes refused)`);
  // And on disk: after kill -9 the same, nothing acknowledged lost, nothing refused come back.
  await srv.kill9();
  await srv.restart();
  await assertExactlyAcked('after kill -9 and restart');
});

test('after the faults: the server restarts cleanly and `hearth check` exits 0', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const ex = await srv.terminate();
  assert.deepEqual(ex, { code: 0, signal: null }, `SIGTERM exit; log:\n${srv.log.slice(-2000)}`);
  const r = runCli(['--data', srv.dataDir, 'check']);
  assert.equal(r.status, 0, `check: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  await srv.restart();
  const ids = await allIds(couple.a.token);
  assert.deepEqual(new Set(ids), new Set(ackedA.keys()), 'the acknowledged check-ins survive a restart');
});

// ------------------------------------------------------------------- busy

/** Whether another process can take the write lock right now (sqlite3 CLI, no waiting). */
function lockIsFree(db) {
  const r = spawnSync('sqlite3', [db, 'BEGIN IMMEDIATE; ROLLBACK;'], { encoding: 'utf8', timeout: 20000 });
  if (r.error) throw r.error;
  if (r.status === 0) return true;
  assert.match(r.stderr, /locked|busy/i, `sqlite3 probe: exit ${r.status} ${r.stderr}`);
  return false;
}

/**
 * Hold the write lock of db from a separate `sqlite3` process (BEGIN IMMEDIATE
 * on its stdin, kept open). Returns {release, kill}; release() commits, closes
 * stdin and waits for the process to exit.
 */
async function holdWriteLock(db) {
  // The server may be finishing a write of its own (a session's last use, say): wait for it rather than fail.
  const holder = spawn('sqlite3', ['-cmd', '.timeout 10000', db], { stdio: ['pipe', 'pipe', 'pipe'] });
  let err = '';
  holder.stderr.setEncoding('utf8');
  holder.stderr.on('data', (c) => { err += c; });
  holder.stdout.resume();
  holder.stdin.on('error', () => { /* exited */ });
  const exited = new Promise((resolve) => holder.on('close', (code, signal) => resolve({ code, signal })));
  holder.stdin.write('BEGIN IMMEDIATE;\n');
  let held = false;
  for (let i = 0; i < 200 && !held; i++) {
    held = !lockIsFree(db);
    if (!held) await sleep(50);
  }
  if (!held) {
    holder.kill('SIGKILL');
    assert.fail(`sqlite3 did not take the write lock; stderr: ${err}`);
  }
  let done = false;
  return {
    async release() {
      done = true;
      holder.stdin.end('COMMIT;\n');
      const ex = await exited;
      assert.equal(ex.code, 0, `sqlite3 lock holder exit ${JSON.stringify(ex)}; stderr: ${err}`);
    },
    kill() { if (!done) { done = true; try { holder.kill('SIGKILL'); } catch { /* gone */ } } },
  };
}

let bsrv;

test('a database locked by another process: POST answers 503 unavailable; reads go on; after the lock ends, the next POST succeeds', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  bsrv = await startServer({ env: { HEARTH_BUSY_TIMEOUT_MS: '300' } });
  const u = await bsrv.signUp('busy');
  const first = await bsrv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 3, secure: 3, need: 'before the lock', visibility: 'private' } });
  assert.equal(first.status, 201, first.text);
  const db = path.join(bsrv.dataDir, 'hearth.db');
  assert.ok(fs.existsSync(db), 'the database is DIR/hearth.db');

  const lock = await holdWriteLock(db);
  try {
    const r = await bsrv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 2, connection: 2, secure: 2, need: 'during the lock', visibility: 'private' } });
    assertUnavailable(r, 'POST /checkins while another process holds the write lock');
    // Reads keep working in WAL mode while a writer holds the lock.
    const list = await bsrv.api('GET', '/api/v1/checkins?author=me', { token: u.token });
    assert.equal(list.status, 200, `GET /checkins during the lock: ${list.status} ${list.text}`);
    assert.deepEqual(list.json.items.map((c) => c.id), [first.json.id]);
    const h = await bsrv.api('GET', '/healthz');
    assert.equal(h.status, 200, `/healthz during the lock: ${h.status} ${h.text}`);
    assert.equal(bsrv.exit, null, 'the server is still running');
    await lock.release();
  } finally {
    lock.kill();
  }

  const ok = await bsrv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 4, connection: 4, secure: 4, need: 'after the lock', visibility: 'private' } });
  assert.equal(ok.status, 201, `the next POST after the lock ended: ${ok.status} ${ok.text}`);
  const after = await bsrv.api('GET', '/api/v1/checkins?author=me', { token: u.token });
  assert.deepEqual(new Set(after.json.items.map((c) => c.id)), new Set([first.json.id, ok.json.id]), 'the refused POST left nothing behind');
});

test('a database locked by another process: the first check-in of an author who has none yet (data key created on first use) answers 503', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  assert.ok(bsrv, 'the previous test started the server');
  try {
    const newcomer = await bsrv.signUp('busynew');
    const lock = await holdWriteLock(path.join(bsrv.dataDir, 'hearth.db'));
    let r;
    try {
      r = await bsrv.api('POST', '/api/v1/checkins', { token: newcomer.token, body: { mood: 2, connection: 2, secure: 2, need: 'first, during the lock', visibility: 'private' } });
      await lock.release();
    } finally {
      lock.kill();
    }
    assert.equal(bsrv.exit, null, 'the server is still running');
    const nl = await bsrv.api('GET', '/api/v1/checkins?author=me', { token: newcomer.token });
    assert.deepEqual(nl.json.items, [], 'the refused first check-in left nothing behind');
    const ok = await bsrv.api('POST', '/api/v1/checkins', { token: newcomer.token, body: { mood: 2, connection: 2, secure: 2, need: 'first, after the lock', visibility: 'private' } });
    assert.equal(ok.status, 201, `the newcomer's first check-in after the lock: ${ok.status} ${ok.text}`);
    assertUnavailable(r, 'the first check-in of an author who has none yet while the lock is held');
  } finally {
    await bsrv.stop();
    bsrv = null;
  }
});
