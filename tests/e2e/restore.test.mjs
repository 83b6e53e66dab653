// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Backups of a big, busy database and `hearth restore` (API.md "Command
// line"; README "Backup and restore").
//
// A database of more than 200 MB (made by `hearth seed`) is backed up while
// four clients write check-ins without pause: the backup must finish (a
// stepped copy restarted on every write and never did), and `hearth restore`
// of it into a fresh data directory must bring back every check-in
// acknowledged before the backup started, pass `hearth check`, and serve.
// Then restore's refusals, each of which must leave the live database exactly
// as it was: a running server, a copy sealed under another master key, a copy
// from a newer hearth, a file that is not a hearth database. A restore over a
// database keeps that one as hearth.db.before-restore. On PostgreSQL, restore
// says which pg_restore to run instead of doing nothing silently.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, tempDir, runCli, runCliAsync, sleep, TEST_TIMEOUT, SQLITE_ONLY, PG_URL } from './lib/server.mjs';

// About 218 MB (a space's 60 days take about 73 KB since migration 033 wrote a check-in into
// fewer B-trees). The sanitizer build (HEARTH_SLOW) runs the same test on about 58 MB: the
// 200 MB run is the plain build's, and the sanitizers look for memory errors, not for size.
const SLOW = Boolean(process.env.HEARTH_SLOW);
const SEED = SLOW ? { spaces: 800, days: 60 } : { spaces: 3000, days: 60 };
const MIN_BYTES = SLOW ? 40e6 : 200e6;

let work;
const dirs = [];
let srv;
let backupFile;
/** Check-ins acknowledged before the backup started: id -> {token, need}. */
const before_ = new Map();

before(() => { work = tempDir('hearth-e2e-restore-'); });
after(async () => {
  if (srv) await srv.stop().catch(() => {});
  for (const d of [work, ...dirs]) if (d) fs.rmSync(d, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const keyFile = (dir) => path.join(dir, 'master.key');

function sqlite3(file, sql) {
  const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8', timeout: 240000 });
  if (r.error) throw r.error;
  return r;
}

/** A data directory holding a copy of `file` as its database, with `key` as its key file. */
function dataDirWith(name, file, key) {
  // Its own temporary directory: a server started as root hands it to an unprivileged user.
  const dir = tempDir(`hearth-e2e-rs-${name}-`);
  dirs.push(dir);
  if (file) fs.copyFileSync(file, path.join(dir, 'hearth.db'));
  if (key) {
    fs.copyFileSync(key, keyFile(dir));
    fs.chmodSync(keyFile(dir), 0o600);
  }
  return dir;
}

/** Asserts a refused restore: exit 1, one clear line matching `why`, the live database untouched. */
function assertRefused(dir, file, why, what) {
  const db = path.join(dir, 'hearth.db');
  const had = fs.existsSync(db) ? sha256(db) : null;
  const r = runCli(['--data', dir, 'restore', file], { timeout: 120000 });
  assert.equal(r.status, 1, `${what}: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  assert.match(r.stderr, why, `${what}: the reason`);
  assert.match(r.stderr, /nothing was changed|stop it first/, `${what}: says nothing changed`);
  assert.equal(fs.existsSync(db) ? sha256(db) : null, had, `${what}: the live database is unchanged`);
  assert.ok(!fs.existsSync(`${db}.before-restore`), `${what}: no before-restore copy was made`);
  assert.ok(!fs.existsSync(path.join(dir, 'restore.tmp')), `${what}: no scratch directory is left`);
}

test(`a backup of a database over ${MIN_BYTES / 1e6} MB finishes while 4 clients write without pause`, { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
  const dir = dataDirWith('live');
  const seed = runCli(['--data', dir, 'seed', '--spaces', String(SEED.spaces), '--days', String(SEED.days)], { timeout: 600000 });
  assert.equal(seed.status, 0, `seed: ${seed.stderr}`);
  const size = fs.statSync(path.join(dir, 'hearth.db')).size;
  assert.ok(size > MIN_BYTES, `the seeded database has ${size} bytes, wanted more than ${MIN_BYTES}`);
  srv = await startServer({ dataDir: dir });
  const c1 = await srv.makeCouple('rs1');
  const c2 = await srv.makeCouple('rs2');
  const users = [c1.a, c1.b, c2.a, c2.b];

  const acked = new Map();
  const refused = [];
  let stop = false;
  const writer = async (u, w) => {
    for (let i = 0; !stop && i < 100000; i++) {
      const need = `need ${w}-${i}-${crypto.randomBytes(6).toString('hex')}`;
      const r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: { mood: 3, connection: 6, secure: 7, need, visibility: 'private' } });
      if (r.status === 201) acked.set(r.json.id, { token: u.token, need });
      else refused.push(`writer ${w}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  const writers = users.map(writer);
  let r;
  try {
    while (acked.size < 40) await sleep(10);
    for (const [id, v] of acked) before_.set(id, v);
    backupFile = path.join(work, 'busy.db');
    r = await runCliAsync(['--data', dir, 'backup', backupFile], { timeout: 240000 });
    t.diagnostic(`${acked.size - before_.size} check-ins acknowledged while the backup ran; ${r.stdout.trim()}`);
    // Writes go on after it, so the copy is known not to hold back the writers either.
    const after = acked.size;
    const deadline = Date.now() + 30000;
    while (acked.size < after + 20 && Date.now() < deadline) await sleep(10);
    assert.ok(acked.size >= after + 20, 'writes go on after the backup');
  } finally {
    stop = true;
    await Promise.all(writers);
  }
  assert.equal(r.signal, null, `the backup was killed (${r.signal}): it did not finish in 240 s under load`);
  assert.equal(r.status, 0, `backup: exit ${r.status}\nstderr: ${r.stderr}`);
  assert.match(r.stdout, /^backup: .*busy\.db, \d+\.\d MB in \d+\.\d s\n$/, 'one summary line with size and duration');
  assert.deepEqual(refused, [], 'no write was refused while the backup ran');
  assert.ok(fs.statSync(backupFile).size > MIN_BYTES, 'the copy is whole');
  assert.ok(!fs.existsSync(`${backupFile}.partial`), 'no partial file is left');
  assert.equal(sqlite3(backupFile, 'PRAGMA integrity_check').stdout.trim(), 'ok', 'the copy is sound');
});

test('restore while the server runs is refused, and the live database is untouched', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  assert.ok(backupFile, 'the backup was taken');
  const h = await srv.api('GET', '/healthz');
  assert.equal(h.status, 200, 'the server runs');
  const r = runCli(['--data', srv.dataDir, 'restore', backupFile]);
  assert.equal(r.status, 1, `exit ${r.status}: ${r.stderr}`);
  assert.match(r.stderr, /a server is running on .*; stop it first/);
  assert.ok(!fs.existsSync(path.join(srv.dataDir, 'hearth.db.before-restore')), 'nothing was swapped');
  assert.equal((await srv.api('GET', '/healthz')).status, 200, 'the server is unaffected');
});

test('restore into a fresh data directory brings back every check-in acknowledged before the backup, passes check, and serves', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
  assert.ok(backupFile, 'the backup was taken');
  const dir = dataDirWith('fresh', null, keyFile(srv.dataDir));
  const r = runCli(['--data', dir, 'restore', backupFile], { timeout: 300000 });
  assert.equal(r.status, 0, `restore: exit ${r.status}\nstderr: ${r.stderr}`);
  assert.match(r.stdout, /^restored .*busy\.db \(schema \d+\) into .*hearth\.db\n$/, `one summary line: ${r.stdout}`);
  assert.ok(!fs.existsSync(path.join(dir, 'restore.tmp')), 'no scratch directory is left');
  const chk = runCli(['--data', dir, 'check'], { timeout: 300000 });
  assert.equal(chk.status, 0, `check after restore: ${chk.stderr}`);
  const copy = await startServer({ dataDir: dir });
  try {
    for (const [id, { token, need }] of before_) {
      const g = await copy.api('GET', `/api/v1/checkins/${id}`, { token });
      assert.equal(g.status, 200, `check-in ${id} acknowledged before the backup: ${g.status} ${g.text}`);
      assert.equal(g.json.need, need, `check-in ${id} decrypts to what was written`);
    }
    t.diagnostic(`${before_.size} check-ins acknowledged before the backup are all back`);
  } finally {
    await copy.stop();
  }
});

test('restore over a database keeps that one as hearth.db.before-restore', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  // A small live database of its own, under the same key, then the big copy over it.
  const small = dataDirWith('over', null, keyFile(srv.dataDir));
  const s = await startServer({ dataDir: small });
  const u = await s.signUp('overme');
  await s.stop();
  const old = sha256(path.join(small, 'hearth.db'));
  const r = runCli(['--data', small, 'restore', backupFile], { timeout: 300000 });
  assert.equal(r.status, 0, `restore: ${r.stderr}`);
  assert.match(r.stdout, /the database it replaced is kept as .*hearth\.db\.before-restore/);
  assert.equal(sha256(path.join(small, 'hearth.db.before-restore')), old, 'the replaced database is kept byte for byte');
  assert.ok(!fs.existsSync(path.join(small, 'hearth.db-wal')) || fs.statSync(path.join(small, 'hearth.db-wal')).size === 0, 'no stale log is left beside the new database');
  const s2 = await startServer({ dataDir: small });
  try {
    const l = await s2.api('POST', '/api/v1/sessions', { body: { username: u.username, password: u.password } });
    assert.equal(l.status, 401, 'the account of the replaced database is gone with it');
    const [id, { token }] = before_.entries().next().value;
    assert.equal((await s2.api('GET', `/api/v1/checkins/${id}`, { token })).status, 200, 'the restored data is served');
  } finally {
    await s2.stop();
  }
});

test('a copy sealed under another master key is refused, and nothing changes', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const other = dataDirWith('otherkey');
  const s = await startServer({ dataDir: other }); // makes its own key and database
  await s.signUp('otherkey');
  await s.stop();
  assertRefused(other, backupFile, /sealed under another master key/, 'another key');
});

test('a copy from a newer hearth, a file that is not a database, a missing file: refused, nothing changes', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const dir = dataDirWith('refusals', null, keyFile(srv.dataDir));
  const s = await startServer({ dataDir: dir });
  await s.signUp('refusals');
  await s.stop();

  const newer = path.join(work, 'newer.db');
  const small = path.join(work, 'small.db');
  assert.equal(runCli(['--data', dir, 'backup', small]).status, 0, 'a small backup');
  fs.copyFileSync(small, newer);
  assert.equal(sqlite3(newer, 'INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)').status, 0);
  assertRefused(dir, newer, /made by a newer hearth \(schema 999/, 'a newer schema');

  const garbage = path.join(work, 'garbage.db');
  fs.writeFileSync(garbage, 'these are not the pages you are looking for\n'.repeat(200));
  assertRefused(dir, garbage, /not a readable SQLite database/, 'garbage');

  const foreign = path.join(work, 'foreign.db');
  assert.equal(sqlite3(foreign, 'CREATE TABLE t (x)').status, 0);
  assertRefused(dir, foreign, /not one of hearth's/, 'another application\'s database');

  assertRefused(dir, path.join(work, 'no-such.db'), /No such file/, 'a missing file');

  const usage = runCli(['--data', dir, 'restore']);
  assert.equal(usage.status, 2, 'restore without a file is a usage error');
});

test('PostgreSQL: restore says exactly which pg_restore to run, and exits 1', { timeout: TEST_TIMEOUT, skip: PG_URL ? false : 'PostgreSQL only' }, () => {
  const dir = tempDir('hearth-e2e-pgrestore-');
  try {
    const r = runCli(['--data', dir, '--database', PG_URL, 'restore', path.join(dir, 'copy.dump')]);
    assert.equal(r.status, 1, `exit ${r.status}`);
    assert.match(r.stderr, /pg_restore --clean --if-exists --no-owner --dbname=URL .*copy\.dump/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
