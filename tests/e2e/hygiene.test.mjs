// SPDX-License-Identifier: AGPL-3.0-or-later
//
// At-rest hygiene (issue 10, part D; docs/security.md "A stolen database or backup"):
// - hearth refuses a key file that group or others may read or write, as ssh refuses a private key, and
//   says the chmod that fixes it; `serve` and the other commands that open the key alike;
// - SQLite: deleted rows do not linger in the files of a running server. secure_delete zeroes them in the
//   database, and an account deletion ends with a TRUNCATE checkpoint, so the write-ahead log keeps no
//   older copy of the pages either. Checked with the server still running (a clean stop would checkpoint
//   and remove the log anyway, hiding the difference). The display name is sealed (part E), so it is
//   never in the files in clear; its sealed form, as the users table holds it, is what must not linger.
// - Started as root, `serve` answers no request before it has handed the data directory to the service
//   user and dropped root: requests sent from the first moment wait in the listener's backlog. No thread
//   but the store's own (whose connections are open by then) runs during the hand-over, so none can give
//   a file back to root; every file of the data directory is the service user's afterwards.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawn } from 'node:child_process';
import {
  startServer, runCliAsync, freePort, tempDir, HEARTH_BIN, TEST_TIMEOUT, SQLITE_ONLY, PG_URL, pgDatabaseFor,
} from './lib/server.mjs';
import { childEnv } from './lib/test-env.mjs';
import { waitFor } from './lib/outbox.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

/** `hearth ARGS` on the server's data directory (and database), with the server stopped. */
function cli(args) {
  const db = PG_URL ? ['--database', pgDatabaseFor(srv.dataDir)] : [];
  return runCliAsync(['--data', srv.dataDir, ...db, ...args], { timeout: 30000 });
}

test('a key file open to group or others is refused with the chmod that fixes it; 0600 starts again', T, async () => {
  const key = path.join(srv.dataDir, 'master.key');
  assert.equal(fs.statSync(key).mode & 0o777, 0o600);
  await srv.terminate();
  try {
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o620]) {
      fs.chmodSync(key, mode);
      const before = fs.readFileSync(key);
      const port = await freePort();
      const serve = await cli(['serve', '--listen', `127.0.0.1:${port}`]);
      assert.equal(serve.status, 1, `serve with mode ${mode.toString(8)}: exit ${serve.status} ${serve.stderr}`);
      assert.ok(serve.stderr.includes(`chmod 600 ${key}`), `the error says the chmod: ${serve.stderr}`);
      assert.match(serve.stderr, /open to other users/);
      assert.ok(!serve.stderr.includes(before.toString('utf8').trim().split(' ').pop()), 'the key itself is not printed');
      const check = await cli(['check']);
      assert.notEqual(check.status, 0, `check with mode ${mode.toString(8)}: ${check.stdout} ${check.stderr}`);
      assert.ok(check.stderr.includes(`chmod 600 ${key}`), `check says the chmod too: ${check.stderr}`);
      assert.deepEqual(fs.readFileSync(key), before, 'the refused key file is left as it was (no new key made)');
    }
  } finally {
    fs.chmodSync(key, 0o600);
    await srv.restart();
  }
  assert.equal((await srv.api('GET', '/healthz')).status, 200);
});

/** Where in the data directory's database files a marker is (as UTF-8 text). */
function findIn(files, marker) {
  const hits = [];
  for (const f of files) {
    const p = path.join(srv.dataDir, f);
    if (fs.existsSync(p) && fs.readFileSync(p).includes(Buffer.from(marker))) hits.push(f);
  }
  return hits;
}

test('SQLite: right after DELETE /me, neither the database nor its WAL holds the account\'s name', { ...T, skip: SQLITE_ONLY }, async (t) => {
  const files = ['hearth.db', 'hearth.db-wal'];
  const tag = crypto.randomBytes(6).toString('hex');
  const u = await srv.signUp(`hyg${tag}`, { displayName: `Hygiene ${tag} Name` });
  // A little of life, so the account's pages go through the log more than once.
  for (let i = 0; i < 3; i++) {
    const r = await srv.api('POST', '/api/v1/checkins', {
      token: u.token, body: { mood: 3, connection: 4, secure: 5, visibility: 'private' },
    });
    assert.equal(r.status, 201, r.text);
  }
  const name = `Hygiene ${tag} Name`;
  assert.deepEqual(findIn(files, name), [], 'the display name is sealed: never in the files in clear');
  const sealedName = srv.sql(`SELECT display_name FROM users WHERE id = '${u.id}'`);
  assert.match(sealedName, /^v1:[0-9a-f]{32}:[A-Za-z0-9_-]+$/, 'the name as the users table holds it');
  const markers = [u.username, sealedName];
  for (const m of markers) {
    assert.notDeepEqual(findIn(files, m), [], `"${m}" is in the files before the deletion (else this test proves nothing)`);
  }
  const r = await srv.api('DELETE', '/api/v1/me', { token: u.token, body: { password: u.password } });
  assert.equal(r.status, 204, r.text);
  const wal = path.join(srv.dataDir, 'hearth.db-wal');
  t.diagnostic(`WAL after the deletion: ${fs.existsSync(wal) ? fs.statSync(wal).size : 'none'} bytes`);
  for (const m of markers) assert.deepEqual(findIn(files, m), [], `"${m}" lingers after the deletion`);
  assert.deepEqual(findIn(files, name), [], 'the display name is not in the files after the deletion either');
  // The server goes on as before.
  const other = await srv.signUp('hygafter');
  assert.equal((await srv.api('GET', '/api/v1/me', { token: other.token })).status, 200);
});

/**
 * `hearth serve` started as root (no metrics listener) on a new data directory of 20,000 files, which
 * makes the hand-over to the service user (one lchown each) last a while. Returns {dir, port, proc,
 * log() (stderr so far), stop() (SIGTERM, wait, remove the directory)}.
 */
async function startAsRoot(env) {
  const dir = tempDir();
  for (let i = 0; i < 20000; i++) fs.writeFileSync(path.join(dir, `f${i}`), '');
  const port = await freePort();
  const db = PG_URL ? ['--database', pgDatabaseFor(dir)] : [];
  const proc = spawn(HEARTH_BIN, ['--data', dir, ...db, 'serve', '--listen', `127.0.0.1:${port}`], {
    cwd: dir, env: childEnv({ HEARTH_METRICS_LISTEN: 'off', ...env }), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (c) => { text += c; });
  const exited = new Promise((resolve) => proc.on('close', resolve));
  const stop = async () => {
    proc.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, port, proc, log: () => text, stop };
}

test('started as root, no request is answered before root is dropped; those sent meanwhile wait, then are answered', {
  ...T, skip: process.getuid() !== 0 && 'needs root (it checks the switch to the service user)',
}, async () => {
  // 20,000 files make the hand-over of the data directory (one lchown each) last long enough for many
  // requests: with the daemon started before the drop, some were answered as root in that time.
  const { dir, port, proc, log, stop } = await startAsRoot({ HEARTH_ACCESS_LOG: '1' });
  try {
    let answered = 0;
    const deadline = Date.now() + 30000;
    while (!answered && Date.now() < deadline) {
      // As fast as the loop goes: each refused connection returns at once.
      const tries = Array.from({ length: 8 }, () => fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(20000) })
        .then(async (r) => { await r.arrayBuffer(); if (r.status === 200) answered++; }, () => {}));
      await Promise.all(tries);
    }
    assert.ok(answered > 0, `the server never answered; log:\n${log()}`);
    // The whole start-up's lines, in the order the server wrote them (one stream).
    await waitFor('the start-up and the first request in the log', () => log().includes('"msg":"serving"') && log().includes('"route":"/healthz"'), 5000);
    const dropped = log().indexOf('"msg":"dropped root"');
    const first = log().indexOf('"route":"/healthz"');
    assert.ok(dropped >= 0, `root was dropped; log:\n${log().slice(0, 2000)}`);
    assert.ok(first > dropped, `a request was answered before root was dropped; log:\n${log().slice(0, 2000)}`);
    const owner = fs.statSync(path.join(dir, 'f19999')).uid;
    assert.notEqual(owner, 0, 'the data directory was handed over');
  } finally {
    await stop();
  }
});

test('started as root, no thread but the store\'s own touches the data directory until root is dropped; every file is then the service user\'s', {
  ...T, skip: process.getuid() !== 0 && 'needs root (it checks the switch to the service user)',
}, async () => {
  // The bug this guards: the push thread started before the drop and opened its database connection
  // while the data directory was being handed over. SQLite, running as root, gives a WAL it opens the
  // owner of the database file, from a stat made before the hand-over of that file: the WAL went back
  // to root, and every connection of the service user failed (CANTOPEN) for the server's whole life.
  // 20,000 files make the hand-over long; meanwhile the threads are read from /proc (by their names,
  // pthread_setname_np), and a reading counts only when the process was still root after it.
  const { dir, port, proc, log, stop } = await startAsRoot({ HEARTH_TEST_MAIL_TICK_MS: '10' });
  const read = (f) => { try { return fs.readFileSync(f, 'utf8'); } catch { return null; } };
  const uid = () => { const m = /^Uid:\s+(\d+)/m.exec(read(`/proc/${proc.pid}/status`) || ''); return m ? Number(m[1]) : null; };
  try {
    const whileRoot = new Set(); // thread names seen in readings made while the process was root
    let readings = 0;
    const deadline = Date.now() + 30000;
    // Synchronous on purpose: nothing else of this test runs meanwhile, and each reading is quick.
    for (;;) {
      let tids = [];
      try { tids = fs.readdirSync(`/proc/${proc.pid}/task`); } catch { /* not started, or gone */ }
      const names = tids.map((t) => (read(`/proc/${proc.pid}/task/${t}/comm`) || '').trim());
      const u = uid();
      if (u === 0) { readings++; for (const n of names) whileRoot.add(n); }
      if ((u !== null && u !== 0) || Date.now() > deadline) break;
    }
    assert.ok(whileRoot.has('hearth-ckpt') || PG_URL, `the hand-over was seen after the store opened (${readings} readings: ${[...whileRoot]}); log:\n${log()}`);
    for (const name of ['hearth-push', 'hearth-mail', 'hearth-hash']) {
      assert.ok(!whileRoot.has(name), `${name} ran while the process was still root; log:\n${log()}`);
    }
    let status = 0;
    for (const end = Date.now() + 30000; status !== 200 && Date.now() < end;) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`);
        await r.arrayBuffer();
        status = r.status;
      } catch { /* not listening yet */ }
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(status, 200, `GET /healthz; log:\n${log()}`);
    // The push thread has ticked (every 10 ms) with its own connection by now.
    await new Promise((r) => setTimeout(r, 200));
    const rootOwned = fs.readdirSync(dir).filter((f) => fs.lstatSync(path.join(dir, f)).uid === 0);
    assert.deepEqual(rootOwned, [], `files of the data directory left to root; log:\n${log()}`);
  } finally {
    await stop();
  }
});
