// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Durability: every acknowledged write survives kill -9; sessions survive a
// restart; `hearth check` passes afterwards; `hearth backup` makes an SQLite
// copy while the server runs; SIGTERM finishes requests in flight
// (DESIGN.md: "a write is acknowledged only after it is committed to disk").

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, runCli, runCliAsync, assertError, sleep, sqlAt, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';

let srv;
let u;
const acked = new Set();
let deletedId;

before(async () => {
  srv = await startServer();
  u = await srv.signUp('dur');
}, { timeout: TEST_TIMEOUT });
after(async () => {
  if (srv) await srv.stop();
  if (fsrv && !fsrv.exit) await fsrv.stop();
  if (faultDir) fs.rmSync(faultDir, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

async function allMine(token) {
  const ids = [];
  let q = '/api/v1/checkins?author=me&limit=100';
  for (let i = 0; i < 1000; i++) {
    const r = await srv.api('GET', q, { token });
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    ids.push(...r.json.items.map((c) => c.id));
    if (r.json.next === null) return ids;
    q = `/api/v1/checkins?author=me&limit=100&before=${encodeURIComponent(r.json.next)}`;
  }
  throw new Error('too many pages');
}

test('every acknowledged check-in survives kill -9; an acknowledged delete stays deleted; the session survives', { timeout: TEST_TIMEOUT }, async () => {
  const gone = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 2, connection: 2, secure: 2, visibility: 'private' } });
  assert.equal(gone.status, 201, gone.text);
  deletedId = gone.json.id;
  assert.equal((await srv.api('DELETE', `/api/v1/checkins/${deletedId}`, { token: u.token })).status, 204);

  // Four writers in parallel; kill -9 while they are still writing.
  let stop = false;
  let attempts = 0;
  const writer = async (w) => {
    for (let i = 0; !stop; i++) {
      attempts++;
      let r;
      try {
        r = await srv.api('POST', '/api/v1/checkins', {
          token: u.token,
          body: { mood: (i % 5) + 1, connection: w, secure: i % 11, need: `writer ${w} #${i}`, visibility: 'private' },
        });
      } catch {
        return; // the server is gone
      }
      if (r.status === 201) acked.add(r.json.id);
      else if (!stop) assert.fail(`unexpected ${r.status} ${r.text}`);
    }
  };
  const writers = [0, 1, 2, 3].map(writer);
  const deadline = Date.now() + 60000;
  while (acked.size < 40 && Date.now() < deadline) await sleep(20);
  assert.ok(acked.size >= 1, 'no write was acknowledged before the kill');
  await srv.kill9();
  stop = true;
  await Promise.all(writers);
  const ackedAtKill = acked.size;
  assert.ok(attempts >= ackedAtKill);

  await srv.restart();
  const me = await srv.api('GET', '/api/v1/me', { token: u.token });
  assert.equal(me.status, 200, `the session must survive a restart: ${me.status} ${me.text}`);
  assert.equal(me.json.id, u.id);

  const present = new Set(await allMine(u.token));
  const missing = [...acked].filter((id) => !present.has(id));
  assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged check-ins were lost`);
  assert.ok(!present.has(deletedId), 'an acknowledged delete must stay deleted');
  for (const id of [...acked].slice(0, 5)) {
    const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: u.token });
    assert.equal(r.status, 200, `GET ${id} after restart`);
    assert.equal(r.json.author_id, u.id);
    assert.match(r.json.need, /^writer \d #\d+$/, 'the text is readable after the restart');
  }
});

test('the data directory passes `hearth check` after the crash (and SIGTERM exits cleanly)', { timeout: TEST_TIMEOUT }, async () => {
  const ex = await srv.terminate();
  assert.deepEqual(ex, { code: 0, signal: null }, `serve should exit 0 on SIGTERM; log:\n${srv.log.slice(-2000)}`);
  const r = runCli(['--data', srv.dataDir, 'check']);
  assert.equal(r.status, 0, `check: exit ${r.status} ${r.signal ?? ''}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  await srv.restart();
});

/** Files under dir (recursively) that start with the SQLite header. */
function sqliteFiles(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const f = path.join(e.path ?? e.parentPath ?? dir, e.name);
    const head = Buffer.alloc(16);
    const fd = fs.openSync(f, 'r');
    const n = fs.readSync(fd, head, 0, 16, 0);
    fs.closeSync(fd);
    if (n === 16 && head.toString('latin1') === 'SQLite format 3\0') out.push(f);
  }
  return out;
}

test('`hearth backup FILE` while the server runs and writes: exit 0, an SQLite file that restores', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const dir = tempDir('hearth-e2e-backup-');
  let restored;
  try {
    let stop = false;
    const writing = (async () => {
      while (!stop) {
        const r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 3, secure: 3, visibility: 'private' } });
        assert.equal(r.status, 201, r.text);
        acked.add(r.json.id);
      }
    })();
    await sleep(100);
    const before = new Set(acked);
    const file = path.join(dir, 'hearth-backup.db');
    const r = await runCliAsync(['--data', srv.dataDir, 'backup', file]);
    stop = true;
    await writing;
    assert.equal(r.status, 0, `backup: exit ${r.status} ${r.signal ?? ''}\nstderr: ${r.stderr}`);
    const head = Buffer.alloc(16);
    const fd = fs.openSync(file, 'r');
    fs.readSync(fd, head, 0, 16, 0);
    fs.closeSync(fd);
    assert.equal(head.toString('latin1'), 'SQLite format 3\0');
    assert.ok(fs.statSync(file).size >= 4096, 'backup too small');
    const h = await srv.api('GET', '/healthz');
    assert.equal(h.status, 200, 'the server keeps working after the backup');

    // Restore: a copy of the data directory with the database replaced by the backup.
    const dbs = sqliteFiles(srv.dataDir);
    assert.equal(dbs.length, 1, `expected one SQLite database in the data directory, found ${dbs.length}`);
    const rel = path.relative(srv.dataDir, dbs[0]);
    restored = tempDir('hearth-e2e-restore-');
    fs.cpSync(srv.dataDir, restored, {
      recursive: true,
      filter: (src) => !/-(wal|shm|journal)$/.test(src) && path.resolve(src) !== path.resolve(dbs[0]),
    });
    fs.mkdirSync(path.dirname(path.join(restored, rel)), { recursive: true });
    fs.copyFileSync(file, path.join(restored, rel));
    const chk = runCli(['--data', restored, 'check']);
    assert.equal(chk.status, 0, `check on the restored backup: exit ${chk.status}\nstderr: ${chk.stderr}`);
    const copy = await startServer({ dataDir: restored });
    try {
      const me = await copy.api('GET', '/api/v1/me', { token: u.token });
      assert.equal(me.status, 200, 'the session is in the backup');
      const ids = new Set();
      let q = '/api/v1/checkins?author=me&limit=100';
      for (;;) {
        const l = await copy.api('GET', q, { token: u.token });
        assert.equal(l.status, 200);
        for (const c of l.json.items) ids.add(c.id);
        if (l.json.next === null) break;
        q = `/api/v1/checkins?author=me&limit=100&before=${encodeURIComponent(l.json.next)}`;
      }
      const missing = [...before].filter((id) => !ids.has(id));
      assert.deepEqual(missing, [], 'check-ins acknowledged before the backup started are in it');
      const sample = [...before].find((id) => ids.has(id));
      const one = await copy.api('GET', `/api/v1/checkins/${sample}`, { token: u.token });
      assert.equal(one.status, 200);
      const orig = await srv.api('GET', `/api/v1/checkins/${sample}`, { token: u.token });
      assert.deepEqual(one.json, orig.json, 'the restored check-in reads the same (texts included)');
    } finally {
      await copy.stop();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    if (restored) fs.rmSync(restored, { recursive: true, force: true });
  }
});

test('the data directory holds neither session tokens, passwords nor check-in texts in clear', { timeout: TEST_TIMEOUT }, async () => {
  const s = await srv.logIn(u.username, u.password);
  const marker = `zebra-marker-${Date.now().toString(36)}-quokka`;
  const c = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 3, secure: 3, worry: marker, visibility: 'private' } });
  assert.equal(c.status, 201, c.text);
  const needles = [u.token, s.token, u.password, marker].map((x) => Buffer.from(x));
  const hits = [];
  for (const e of fs.readdirSync(srv.dataDir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const f = path.join(e.path ?? e.parentPath ?? srv.dataDir, e.name);
    const bytes = fs.readFileSync(f);
    for (const n of needles) if (bytes.includes(n)) hits.push(`${path.relative(srv.dataDir, f)} contains ${n.toString().slice(0, 6)}...`);
  }
  assert.deepEqual(hits, []);
});

test('two servers on one data directory share sessions and data', { timeout: TEST_TIMEOUT }, async () => {
  const second = await startServer({ dataDir: srv.dataDir });
  try {
    const me = await second.api('GET', '/api/v1/me', { token: u.token });
    assert.equal(me.status, 200, `a session made on one server works on another: ${me.text}`);
    const c = await second.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 5, connection: 9, secure: 9, need: 'from the second server', visibility: 'private' } });
    assert.equal(c.status, 201, c.text);
    const g = await srv.api('GET', `/api/v1/checkins/${c.json.id}`, { token: u.token });
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.need, 'from the second server');
    const s = await srv.logIn(u.username, u.password);
    const out = await second.api('DELETE', '/api/v1/sessions/current', { token: s.token });
    assert.equal(out.status, 204);
    assert.equal((await srv.api('GET', '/api/v1/me', { token: s.token })).status, 401, 'a logout on one server holds on the other');
  } finally {
    await second.stop();
  }
});

test('SIGTERM finishes a request in flight', { timeout: TEST_TIMEOUT }, async () => {
  // A login costs an argon2id hash, so it is still running when SIGTERM arrives.
  const inflight = srv.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } });
  await sleep(100);
  const exited = srv.terminate();
  const r = await inflight;
  assert.equal(r.status, 201, `in-flight login during shutdown: ${r.status} ${r.text}`);
  assert.equal(typeof r.json.token, 'string');
  const ex = await exited;
  assert.deepEqual(ex, { code: 0, signal: null });
  await srv.restart();
  const me = await srv.api('GET', '/api/v1/me', { token: r.json.token });
  assert.equal(me.status, 200, 'the session created during shutdown was committed');
});

// ------------------------------------------------------- the sync of the WAL
//
// kill -9 cannot show a missing fdatasync: the kernel still holds what was
// written. So these tests run the server over the fault-injecting VFS
// (src/store/sqlite/faultvfs.c): /metrics counts the completed syncs of the
// WAL; "syncfail" in the fault file makes every sync fail; and with
// HEARTH_FAULT_SHADOW=1 it keeps NAME.durable beside the database and its WAL:
// what a power cut would leave (what was written up to the last successful
// sync; a failed sync forgets what it should have written, as Linux does).

let fsrv;
let faultDir;
let faultFile;

const armSync = () => { fs.writeFileSync(faultFile, 'syncfail\n', { mode: 0o644 }); fs.chmodSync(faultFile, 0o644); };
const disarmSync = () => fs.rmSync(faultFile, { force: true });

async function startFaultServer() {
  faultDir = tempDir('hearth-e2e-sync-');
  fs.chmodSync(faultDir, 0o755); // the server may run as another user
  faultFile = path.join(faultDir, 'fault');
  // A short busy timeout: a commit whose sync keeps failing gives up after it.
  fsrv = await startServer({ env: { HEARTH_FAULT_FILE: faultFile, HEARTH_FAULT_SHADOW: '1', HEARTH_BUSY_TIMEOUT_MS: '500', HEARTH_METRICS_TOKEN: METRICS_TOKEN } });
}

/** /metrics is off the public listener unless a bearer token is configured (README, Configuration). */
const METRICS_TOKEN = 'durability-metrics-token-0123456789';

/** The count once two readings a moment apart agree: a sync that began before the arming has ended. */
async function steadyWalSyncs() {
  let last = await walSyncs();
  for (let i = 0; i < 50; i++) {
    await sleep(50);
    const now = await walSyncs();
    if (now === last) return now;
    last = now;
  }
  throw new Error('the count of syncs of the WAL never held still');
}

/** The completed syncs of the WAL, from /metrics (test mode only). */
async function walSyncs() {
  const r = await fsrv.api('GET', '/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
  assert.equal(r.status, 200, `/metrics: ${r.status}`);
  const m = /^hearth_test_wal_syncs_total (\d+)$/m.exec(r.text);
  assert.ok(m, '/metrics shows hearth_test_wal_syncs_total when the fault VFS is installed');
  return Number(m[1]);
}

/**
 * A power cut: SIGKILL, then each file as its last successful sync left it
 * (NAME.durable in place of NAME; the shared-memory index is rebuilt), then
 * beforeStart(), then a fresh start on it.
 */
async function powerCut(beforeStart = () => {}) {
  await fsrv.kill9();
  for (const name of ['hearth.db', 'hearth.db-wal']) {
    const file = path.join(fsrv.dataDir, name);
    const durable = `${file}.durable`;
    if (fs.existsSync(durable)) fs.copyFileSync(durable, file); // keeps the file's owner
    else if (fs.existsSync(file)) fs.truncateSync(file, 0);
  }
  fs.rmSync(path.join(fsrv.dataDir, 'hearth.db-shm'), { force: true });
  beforeStart();
  await fsrv.restart();
}

async function storedNeeds(token) {
  const out = new Map(); // need -> id
  let q = '/api/v1/checkins?author=me&limit=100';
  for (let i = 0; i < 1000; i++) {
    const r = await fsrv.api('GET', q, { token });
    assert.equal(r.status, 200, `${q}: ${r.status} ${r.text}`);
    for (const c of r.json.items) out.set(c.need, c.id);
    if (r.json.next === null) return out;
    q = `/api/v1/checkins?author=me&limit=100&before=${encodeURIComponent(r.json.next)}`;
  }
  throw new Error('too many pages');
}

const writeNeed = (u, need) => fsrv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 3, secure: 3, need, visibility: 'private' } });

async function assertAllThere(users, acked, when) {
  const stored = new Map();
  for (const u of users) for (const [n, id] of await storedNeeds(u.token)) stored.set(n, id);
  const lost = [...acked.keys()].filter((n) => stored.get(n) !== acked.get(n));
  assert.deepEqual(lost, [], `${when}: ${lost.length} of ${acked.size} acknowledged check-ins are missing`);
  return stored;
}

function assertChecks(when) {
  const r = runCli(['--data', fsrv.dataDir, 'check']);
  assert.equal(r.status, 0, `${when}: hearth check: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
}

test('every 201 comes after a completed sync of the WAL: the count of syncs grows with each acknowledged write', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  await startFaultServer();
  const w = await fsrv.signUp('sync');
  assert.equal((await writeNeed(w, 'first')).status, 201); // the author's data key exists from here on
  const missed = [];
  for (let i = 0; i < 20; i++) {
    const before = await walSyncs();
    const r = await writeNeed(w, `one by one ${i}`);
    assert.equal(r.status, 201, r.text);
    const after = await walSyncs();
    if (after <= before) missed.push(`write ${i}: ${before} -> ${after}`);
  }
  assert.deepEqual(missed, [], 'a sync of the WAL completed between sending each write and its 201');
  // Concurrent writers share syncs (group commit), but at least one happens.
  const before = await walSyncs();
  const rs = await Promise.all(Array.from({ length: 16 }, (_, i) => writeNeed(w, `together ${i}`)));
  rs.forEach((r) => assert.equal(r.status, 201, r.text));
  assert.ok((await walSyncs()) > before, 'a batch of concurrent writes is synced before its 201s');
});

test('a power cut right after writes were acknowledged loses none of them; `hearth check` passes', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const users = [await fsrv.signUp('pca'), await fsrv.signUp('pcb'), await fsrv.signUp('pcc'), await fsrv.signUp('pcd')];
  const acked = new Map();
  for (const [i, u] of users.entries()) {
    const r = await writeNeed(u, `pc ${i} first`);
    assert.equal(r.status, 201, r.text);
    acked.set(`pc ${i} first`, r.json.id);
  }
  let stop = false;
  const writer = async (u, w) => {
    for (let i = 0; !stop; i++) {
      let r;
      try {
        r = await writeNeed(u, `pc ${w} #${i}`);
      } catch {
        return; // the power is gone
      }
      if (r.status === 201) acked.set(`pc ${w} #${i}`, r.json.id);
      else if (!stop) assert.fail(`unexpected ${r.status} ${r.text}`);
    }
  };
  const writers = users.map(writer);
  const deadline = Date.now() + 60000;
  while (acked.size < 200 && Date.now() < deadline) await sleep(5);
  stop = true;
  const ackedAtCut = new Map(acked);
  await powerCut(); // while the writers still write
  await Promise.all(writers);
  await assertAllThere(users, ackedAtCut, 'after the power cut');
  await fsrv.terminate();
  assertChecks('after the power cut');
  await fsrv.restart();
});

test('a sync of the WAL that fails: 503 unavailable with Retry-After, and after a power cut that write is not there but every acknowledged one is', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const u = await fsrv.signUp('sf');
  const acked = new Map();
  for (let i = 0; i < 10; i++) {
    const r = await writeNeed(u, `sf before ${i}`);
    assert.equal(r.status, 201, r.text);
    acked.set(`sf before ${i}`, r.json.id);
  }
  // Armed first, then counted once the count holds still: a background commit (a session's last-seen, the
  // outbox) may sync between the last 201 and the arming, and under ASan's slowness one once did.
  armSync();
  let refused;
  try {
    const syncsBefore = await steadyWalSyncs();
    refused = await writeNeed(u, 'sf refused');
    assertError(refused, 503, 'unavailable', undefined, 'POST /checkins while the sync of the WAL fails');
    assert.match(String(refused.headers.get('retry-after')), /^\d+$/, 'Retry-After in seconds');
    assert.equal(await walSyncs(), syncsBefore, 'no sync of the WAL completed while they fail');
    assert.equal(fsrv.exit, null, 'the server keeps running');
    await powerCut(disarmSync); // before the disk recovers
  } finally {
    disarmSync();
  }
  const stored = await assertAllThere([u], acked, 'after a failed sync and a power cut');
  assert.ok(!stored.has('sf refused'), 'the write answered 503 (its sync failed) is not there after the power cut');
  await fsrv.terminate();
  assertChecks('after a failed sync and a power cut');
  await fsrv.restart();
});

test('after a failed sync of the WAL, writing resumes by itself and what is acknowledged then survives a power cut', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const u = await fsrv.signUp('sr');
  const acked = new Map();
  const ok = async (need) => {
    const r = await writeNeed(u, need);
    assert.equal(r.status, 201, `${need}: ${r.status} ${r.text}`);
    acked.set(need, r.json.id);
  };
  for (let i = 0; i < 10; i++) await ok(`sr before ${i}`);
  armSync();
  try {
    assertError(await writeNeed(u, 'sr refused'), 503, 'unavailable', undefined, 'POST /checkins while the sync of the WAL fails');
  } finally {
    disarmSync();
  }
  // Linux may have dropped what the failed sync should have written; a later
  // sync that succeeds does not bring it back. What is acknowledged from now
  // on must not depend on it.
  for (let i = 0; i < 10; i++) await ok(`sr after ${i}`);
  await Promise.all(Array.from({ length: 8 }, (_, i) => ok(`sr together ${i}`)));
  await powerCut();
  await assertAllThere([u], acked, 'after a failed sync, more writes and a power cut');
  await fsrv.terminate();
  assertChecks('after a failed sync, more writes and a power cut');
  await fsrv.restart();
});

// An API write does not wait for the disk on its worker thread (store.h: defer_begin; http/server.c):
// with one worker thread, a read on another connection is answered while a write waits for a sync
// that keeps failing, and the write still gets its 503 once its time is up. Before, the read waited
// behind the write for the whole busy timeout.
test('with one worker thread, a read is answered while a write waits for the disk; the write then gets its 503; a read whose own write cannot be synced still answers', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const dir = tempDir('hearth-e2e-defer-');
  fs.chmodSync(dir, 0o755);
  const fault = path.join(dir, 'fault');
  const one = await startServer({ env: { HEARTH_THREADS: '1', HEARTH_FAULT_FILE: fault, HEARTH_BUSY_TIMEOUT_MS: '3000' } });
  try {
    const u = await one.signUp('defer');
    const write = (need) => one.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 3, secure: 3, need, visibility: 'private' } });
    // When the checkpointer has just copied the whole WAL into the database, the next commit starts
    // the WAL over, and SQLite syncs the new WAL header inside that commit: with syncs failing, the
    // commit itself fails at once (a 503, nothing saved), and no write is left waiting. That is right,
    // but not what this test is about, so it tries again, a write that succeeds first each time.
    let settled, started, pending, me, read;
    for (let attempt = 1; ; attempt++) {
      assert.equal((await write(`before ${attempt}`)).status, 201);
      fs.writeFileSync(fault, 'syncfail\n', { mode: 0o644 });
      settled = null;
      started = Date.now();
      pending = write('while the disk fails').then((r) => { settled = Date.now(); return r; });
      await sleep(200);
      me = await one.api('GET', '/api/v1/me', { token: u.token });
      read = Date.now();
      const early = settled !== null && settled - started < 200 ? await pending : null;
      if (!early || early.status !== 503 || attempt === 5)
        break;
      fs.rmSync(fault, { force: true });
    }
    assert.equal(me.status, 200, me.text);
    assert.equal(settled, null, `the read (after ${read - started} ms) was answered before the write`);
    const refused = await pending;
    assertError(refused, 503, 'unavailable', undefined, 'the write whose sync never succeeded');
    assert.ok(settled - started >= 2500, `the write waited out its busy timeout (${settled - started} ms)`);
    assert.equal(refused.headers.get('location'), null, 'nothing of the 201 it would have been');
    // A read's own write (here the session's last use, an hour old) is best effort: its failed sync
    // does not turn the read into a 503.
    sqlAt(one, `UPDATE sessions SET last_seen_at = last_seen_at - 3600000 WHERE user_id = '${u.id}'`);
    const touched = await one.api('GET', '/api/v1/me', { token: u.token });
    assert.equal(touched.status, 200, `a GET whose session touch could not be synced: ${touched.text}`);
    fs.rmSync(fault, { force: true });
    const after = await write('after');
    assert.equal(after.status, 201, after.text);
  } finally {
    fs.rmSync(fault, { force: true });
    await one.stop();
  }
});
