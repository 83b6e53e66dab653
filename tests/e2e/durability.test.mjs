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
import { startServer, tempDir, runCli, runCliAsync, sleep, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';

let srv;
let u;
const acked = new Set();
let deletedId;

before(async () => {
  srv = await startServer();
  u = await srv.signUp('dur');
}, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

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
