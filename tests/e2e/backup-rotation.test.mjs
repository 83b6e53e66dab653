// SPDX-License-Identifier: AGPL-3.0-or-later
//
// contrib/hearth-backup, the script hearth-backup.timer runs daily (README
// "Operations"): against a running server's data directory, with --keep 2,
// three runs leave the two newest copies, named by date, each a database that
// `hearth check` accepts with the master key beside it, the newest holding a
// check-in written just before it. A run that fails (here: the wrong master
// key) exits non-zero, names no copy, leaves no partial file and deletes no
// copy. SQLite only: on PostgreSQL `hearth backup` writes a pg_dump archive.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, tempDir, runCli, sleep, HEARTH_BIN, REPO_ROOT, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';

const SCRIPT = path.join(REPO_ROOT, 'contrib', 'hearth-backup');
const NAME = /^hearth-\d{4}-\d{2}-\d{2}T\d{6}Z\.db$/;

let srv;
let couple;
let dir;

before(async () => {
  if (SQLITE_ONLY) return;
  srv = await startServer();
  couple = await srv.makeCouple('bkrot');
  dir = tempDir('hearth-e2e-bkrot-');
}, { timeout: TEST_TIMEOUT });

after(async () => {
  if (srv) await srv.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

/** One run of the script; HEARTH_DATA names the running server's data directory. */
function backup(env = {}) {
  const r = spawnSync(SCRIPT, ['--keep', '2', '--hearth', path.resolve(HEARTH_BIN), dir], {
    encoding: 'utf8', timeout: 120000, env: { ...process.env, HEARTH_DATA: srv.dataDir, ...env },
  });
  if (r.error) throw r.error;
  return r;
}

const copies = () => fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
const hidden = () => fs.readdirSync(dir).filter((f) => f.startsWith('.') && f !== '.hearth-backup.lock');

async function writeCheckin(tag) {
  const r = await srv.api('POST', '/api/v1/checkins', {
    token: couple.a.token, body: { mood: 4, connection: 6, secure: 7, need: tag, visibility: 'partner' },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

/** `hearth check` on a copy, in a data directory of its own with the master key; the copy's check-in needs. */
function checkCopy(file) {
  const d = tempDir('hearth-e2e-bkrot-check-');
  try {
    fs.copyFileSync(file, path.join(d, 'hearth.db'));
    fs.copyFileSync(path.join(srv.dataDir, 'master.key'), path.join(d, 'master.key'));
    fs.chmodSync(path.join(d, 'master.key'), 0o600);
    const chk = runCli(['--data', d, 'check']);
    assert.equal(chk.status, 0, `hearth check on ${path.basename(file)}: exit ${chk.status}\nstdout: ${chk.stdout}\nstderr: ${chk.stderr}`);
    const q = spawnSync('sqlite3', [path.join(d, 'hearth.db'), 'SELECT count(*) FROM checkins'], { encoding: 'utf8' });
    return q.error ? null : Number(q.stdout.trim());
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
}

test('three runs with --keep 2 while the server runs: the two newest copies remain, named by date, each passes `hearth check`', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const made = [];
  const counts = [];
  for (let run = 0; run < 3; run++) {
    await writeCheckin(`before run ${run} ${crypto.randomBytes(4).toString('hex')}`);
    const r = backup();
    assert.equal(r.status, 0, `run ${run}: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 1, `run ${run}: one line on stdout: ${JSON.stringify(r.stdout)}`);
    const m = /^hearth-backup: (.+\/(hearth-[^/ ]+)) \((\d+) bytes\); kept the newest 2, deleted (\d+)$/.exec(lines[0]);
    assert.ok(m, `run ${run}: the line names the copy: ${lines[0]}`);
    assert.match(m[2], NAME, `run ${run}: the copy is named by date`);
    assert.equal(Number(m[3]), fs.statSync(m[1]).size, `run ${run}: the size given is the copy's`);
    assert.equal(Number(m[4]), run < 2 ? 0 : 1, `run ${run}: copies deleted`);
    made.push(m[2]);
    counts.push(checkCopy(m[1]));
    assert.equal(srv.exit, null, `run ${run}: the server kept running`);
  }
  assert.equal(new Set(made).size, 3, `three distinct names: ${made}`);
  assert.deepEqual(copies(), made.slice(1).sort(), 'the two newest copies remain, nothing else');
  assert.deepEqual(hidden(), [], 'no partial file is left behind');
  for (const f of copies()) checkCopy(path.join(dir, f));
  // Each copy holds the check-in written just before its run (one more each time).
  if (counts.every((c) => c !== null)) assert.deepEqual([counts[1] - counts[0], counts[2] - counts[1]], [1, 1], `check-ins in the copies: ${counts}`);
  const h = await srv.api('GET', '/healthz');
  assert.equal(h.status, 200);
});

test('a run that fails (the wrong master key) exits non-zero, names no copy, deletes none and leaves nothing behind', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const before = copies();
  assert.equal(before.length, 2, 'the copies of the test above');
  const wrong = path.join(dir, '..', `wrong-${crypto.randomBytes(4).toString('hex')}.key`);
  fs.writeFileSync(wrong, crypto.randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
  try {
    await sleep(1100); // a new name: the failure is not hidden by a name clash
    const r = backup({ HEARTH_KEY_FILE: wrong });
    assert.notEqual(r.status, 0, `exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
    assert.equal(r.stdout, '', 'a failed run names no copy');
    assert.match(r.stderr, /^hearth-backup: .+/m, 'a failed run says why on stderr');
  } finally {
    fs.rmSync(wrong, { force: true });
  }
  assert.deepEqual(copies(), before, 'a failed run deletes no copy');
  assert.deepEqual(hidden(), [], 'a failed run leaves no partial file');
  const bad = spawnSync(SCRIPT, ['--keep', '0', dir], { encoding: 'utf8' });
  assert.equal(bad.status, 2, `--keep 0 is a bad argument: ${bad.status} ${bad.stderr}`);
});
