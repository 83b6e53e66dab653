// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Online backup (API.md "Command line": `hearth backup FILE`, a consistent
// online copy; on SQLite the file is an SQLite database; README "Backup").
// While four clients write check-ins, three backups are taken; each must be a
// sound, self-contained SQLite database that `hearth check` accepts (with the
// master key beside it), and restoring one into a fresh data directory must
// bring back every check-in acknowledged before that backup started, with
// texts that decrypt to what was written. A backup into a missing directory
// fails with exit 1 and one line on stderr.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, tempDir, runCli, runCliAsync, sleep, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';

const BACKUPS = 3;
const FIELDS = ['mood', 'connection', 'secure', 'appreciation', 'need', 'worry', 'visibility'];

let srv;
let work;
const users = [];
/** id -> {token, body} for every acknowledged check-in, in acknowledgement order. */
const acked = new Map();
/** [{file, before: [ids acknowledged before the backup started]}] */
const backups = [];

before(async () => {
  srv = await startServer();
  work = tempDir('hearth-e2e-bk-');
  const c1 = await srv.makeCouple('bk1');
  const c2 = await srv.makeCouple('bk2');
  users.push(c1.a, c1.b, c2.a, c2.b);
}, { timeout: TEST_TIMEOUT });

after(async () => {
  if (srv) await srv.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

function sqlite3(file, sql) {
  const r = spawnSync('sqlite3', [file, sql], { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

function keyFile(dir) {
  return path.join(dir, 'master.key');
}

test(`${BACKUPS} backups while 4 clients write: exit 0, each copy is a sound SQLite database that \`hearth check\` accepts`, { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
  let stop = false;
  const unexpected = [];
  const writer = async (u, w) => {
    for (let i = 0; !stop && i < 20000; i++) {
      const tag = crypto.randomBytes(8).toString('hex');
      const body = {
        mood: (i % 5) + 1, connection: i % 11, secure: (i + w) % 11,
        appreciation: `appreciate ${tag}`, need: `need ${tag} — grüße`, worry: i % 2 ? `worry ${tag}` : undefined,
        visibility: ['private', 'partner', 'therapist'][i % 3],
      };
      let r;
      try {
        r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body });
      } catch (err) {
        unexpected.push(`writer ${w}: no answer (${err.cause?.code || err.message})`);
        return;
      }
      if (r.status === 201) acked.set(r.json.id, { token: u.token, body });
      else unexpected.push(`writer ${w}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  };
  const writers = users.map(writer);
  try {
    for (let k = 0; k < BACKUPS; k++) {
      const want = acked.size + 30;
      const deadline = Date.now() + 30000;
      while (acked.size < want && Date.now() < deadline) await sleep(10);
      const beforeIds = [...acked.keys()];
      const file = path.join(work, `backup-${k}.db`);
      const r = await runCliAsync(['--data', srv.dataDir, 'backup', file], { timeout: 120000 });
      const duringBackup = acked.size - beforeIds.length;
      assert.equal(r.status, 0, `backup ${k}: exit ${r.status} ${r.signal ?? ''}\nstderr: ${r.stderr}`);
      t.diagnostic(`backup ${k}: ${beforeIds.length} check-ins acknowledged before it, ${duringBackup} while it ran`);
      backups.push({ file, before: beforeIds });
    }
    // The writers keep going a little after the last backup.
    await sleep(100);
  } finally {
    stop = true;
    await Promise.all(writers);
  }
  assert.deepEqual(unexpected, [], 'the writers were never refused while the backups ran');
  const h = await srv.api('GET', '/healthz');
  assert.equal(h.status, 200, 'the server keeps working');

  for (const [k, b] of backups.entries()) {
    const head = Buffer.alloc(16);
    const fd = fs.openSync(b.file, 'r');
    fs.readSync(fd, head, 0, 16, 0);
    fs.closeSync(fd);
    assert.equal(head.toString('latin1'), 'SQLite format 3\0', `backup ${k} is an SQLite database`);
    // Self-contained: nothing it needs is left in a -wal file beside it.
    const wal = `${b.file}-wal`;
    assert.ok(!fs.existsSync(wal) || fs.statSync(wal).size === 0, `backup ${k} left a non-empty ${path.basename(wal)}`);
    const ic = sqlite3(b.file, 'PRAGMA integrity_check');
    assert.equal(ic.status, 0, `sqlite3 integrity_check on backup ${k}: ${ic.stderr}`);
    assert.equal(ic.stdout.trim(), 'ok', `PRAGMA integrity_check on backup ${k}`);
    const fk = sqlite3(b.file, 'PRAGMA foreign_key_check');
    assert.equal(fk.stdout.trim(), '', `PRAGMA foreign_key_check on backup ${k}`);

    const copyDir = tempDir('hearth-e2e-bkcheck-');
    try {
      fs.copyFileSync(b.file, path.join(copyDir, 'hearth.db'));
      fs.copyFileSync(keyFile(srv.dataDir), keyFile(copyDir));
      fs.chmodSync(keyFile(copyDir), 0o600);
      const chk = runCli(['--data', copyDir, 'check']);
      assert.equal(chk.status, 0, `hearth check on backup ${k}: exit ${chk.status}\nstdout: ${chk.stdout}\nstderr: ${chk.stderr}`);
    } finally {
      fs.rmSync(copyDir, { recursive: true, force: true });
    }
  }
});

test('restore: each backup in a fresh data directory (hearth.db + master.key) brings back every check-in acknowledged before it started, readable', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
  assert.equal(backups.length, BACKUPS, 'the backups were taken');
  const ex = await srv.terminate();
  assert.deepEqual(ex, { code: 0, signal: null }, 'the server stops cleanly');
  const liveIds = new Set(acked.keys());
  for (const [k, b] of backups.entries()) {
    const dir = tempDir('hearth-e2e-restore-');
    let copy;
    try {
      fs.copyFileSync(b.file, path.join(dir, 'hearth.db'));
      fs.copyFileSync(keyFile(srv.dataDir), keyFile(dir));
      fs.chmodSync(keyFile(dir), 0o600);
      const chk = runCli(['--data', dir, 'check']);
      assert.equal(chk.status, 0, `check on restored backup ${k}: exit ${chk.status}\nstderr: ${chk.stderr}`);
      copy = await startServer({ dataDir: dir });

      // Listed: every check-in acknowledged before the backup, and nothing never acknowledged.
      const listed = new Set();
      for (const tok of new Set(users.map((u) => u.token))) {
        let q = '/api/v1/checkins?author=me&limit=100';
        for (let i = 0; i < 1000; i++) {
          const l = await copy.api('GET', q, { token: tok });
          assert.equal(l.status, 200, `restored ${k}: ${q}: ${l.status} ${l.text}`);
          for (const c of l.json.items) listed.add(c.id);
          if (l.json.next === null) break;
          q = `/api/v1/checkins?author=me&limit=100&before=${encodeURIComponent(l.json.next)}`;
        }
      }
      const missing = b.before.filter((id) => !listed.has(id));
      assert.deepEqual(missing, [], `restored ${k}: check-ins acknowledged before the backup started are missing`);
      const unknown = [...listed].filter((id) => !liveIds.has(id));
      assert.deepEqual(unknown, [], `restored ${k}: check-ins that were never acknowledged`);

      // Readable, texts decrypt to the originals.
      for (const id of b.before) {
        const { token, body } = acked.get(id);
        const r = await copy.api('GET', `/api/v1/checkins/${id}`, { token });
        assert.equal(r.status, 200, `restored ${k}: GET ${id}: ${r.status} ${r.text}`);
        for (const f of FIELDS) assert.equal(r.json[f] ?? null, body[f] ?? null, `restored ${k}: ${id}: ${f}`);
      }
      // And it takes new writes.
      const w = await copy.api('POST', '/api/v1/checkins', { token: users[0].token, body: { mood: 5, connection: 5, secure: 5, need: 'after restore', visibility: 'partner' } });
      assert.equal(w.status, 201, `restored ${k}: a new write: ${w.status} ${w.text}`);
      t.diagnostic(`restored ${k}: ${listed.size} check-ins, ${b.before.length} acknowledged before the backup`);
      await copy.stop();
      copy = null;
    } finally {
      if (copy) await copy.stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  await srv.restart();
});

test('backup into a directory that does not exist: exit 1, one line on stderr, nothing created', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const missingDir = path.join(work, 'no', 'such', 'dir');
  const file = path.join(missingDir, 'backup.db');
  const r = runCli(['--data', srv.dataDir, 'backup', file]);
  assert.equal(r.signal, null, `killed by ${r.signal}`);
  assert.equal(r.status, 1, `exit ${r.status}; stderr: ${r.stderr}`);
  const text = r.stderr.replace(/\n$/, '');
  assert.ok(text.trim().length > 0, 'stderr is empty');
  assert.equal(text.split('\n').length, 1, `stderr is not one line: ${JSON.stringify(r.stderr)}`);
  assert.ok(!fs.existsSync(path.join(work, 'no')), 'no directory was created');
  const h = await srv.api('GET', '/healthz');
  assert.equal(h.status, 200, 'the server is unaffected');
});
