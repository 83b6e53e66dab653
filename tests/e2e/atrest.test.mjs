// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Encryption at rest: the texts of a check-in (appreciation, need, worry) are
// encrypted with per-space data keys wrapped by the master key (DIR/master.key,
// mode 0600, made at first start; --key-file / HEARTH_KEY_FILE move it). No
// file in the data directory — hearth.db, hearth.db-wal, hearth.db-shm, while
// the server runs and after a clean stop — may hold a check-in text in clear,
// as UTF-16 or as base64. The API still returns the plaintext to those who may
// read it. `rotate-key` re-wraps the data keys under a new master key (the old
// one kept as PATH.old); with a wrong key file the server must never answer
// with wrong plaintext.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, runCli, TEST_TIMEOUT, SQLITE_ONLY, PG_URL, pgDatabaseFor } from './lib/server.mjs';
import { needles, filesUnder, scanFiles } from './lib/atrest.mjs';
import { spawnSync } from 'node:child_process';

const hex = (n) => crypto.randomBytes(n).toString('hex');
/** Markers that must never appear at rest. */
const M1 = hex(12); // 24 hex characters
const M1_MB = `Grüße❤心-${hex(12)}-ğ𝄞`; // multibyte (2-, 3- and 4-byte UTF-8)
const M2 = hex(12); // only written by an edit
const M2_MB = `édité→${hex(12)}`;
const MARKERS = { M1, M1_MB, M2, M2_MB };

const FIELDS = ['mood', 'connection', 'secure', 'appreciation', 'need', 'worry', 'visibility'];
const VIS = ['private', 'partner', 'therapist'];

let srv;
let couple;
let scratch;
/** id -> {author: 'a'|'b', body (latest acknowledged)} */
const written = new Map();

const ALL_NEEDLES = Object.entries(MARKERS).flatMap(([n, s]) => needles(n, s));


/** [file: needle] for every marker encoding found in any file under dir. */
const scan = (dir) => scanFiles(dir, ALL_NEEDLES);

const who = (k) => couple[k];

async function assertReadable(server, what) {
  for (const [id, { author, body }] of written) {
    const r = await server.api('GET', `/api/v1/checkins/${id}`, { token: who(author).token });
    assert.equal(r.status, 200, `${what}: the author reads ${id}: ${r.status} ${r.text}`);
    for (const f of FIELDS) assert.equal(r.json[f] ?? null, body[f] ?? null, `${what}: ${id}: ${f}`);
    const partner = author === 'a' ? 'b' : 'a';
    const p = await server.api('GET', `/api/v1/checkins/${id}`, { token: who(partner).token });
    if (body.visibility === 'private') {
      assert.equal(p.status, 404, `${what}: the partner may not read private ${id}`);
    } else {
      assert.equal(p.status, 200, `${what}: the partner reads ${body.visibility} ${id}: ${p.status} ${p.text}`);
      for (const f of FIELDS) assert.equal(p.json[f] ?? null, body[f] ?? null, `${what}: partner view of ${id}: ${f}`);
    }
  }
}

before(async () => {
  scratch = tempDir('hearth-e2e-atrest-');
  srv = await startServer();
  couple = await srv.makeCouple('rest');
}, { timeout: TEST_TIMEOUT });

after(async () => {
  if (srv) await srv.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

test('the master key file is created at first start with mode 0600', { timeout: TEST_TIMEOUT }, () => {
  const key = path.join(srv.dataDir, 'master.key');
  assert.ok(fs.existsSync(key), 'DIR/master.key exists after the first start');
  const st = fs.statSync(key);
  assert.equal(st.mode & 0o777, 0o600, `master.key mode is ${(st.mode & 0o777).toString(8)}`);
  assert.ok(st.size > 0, 'master.key is not empty');
});

test('check-in texts by both partners, all visibilities, and an edit: the API returns the plaintext to author and partner', { timeout: TEST_TIMEOUT }, async () => {
  for (const author of ['a', 'b']) {
    for (const [i, visibility] of VIS.entries()) {
      const m = i % 2 ? M1_MB : M1;
      const body = {
        mood: i + 1, connection: i + 2, secure: i + 3,
        appreciation: `I appreciated ${m} today`, need: `I need ${m}`, worry: `${m} worries me — ${M1_MB}`,
        visibility,
      };
      const r = await srv.api('POST', '/api/v1/checkins', { token: who(author).token, body });
      assert.equal(r.status, 201, `${author} ${visibility}: ${r.status} ${r.text}`);
      for (const f of FIELDS) assert.equal(r.json[f] ?? null, body[f] ?? null, `201 body: ${f}`);
      written.set(r.json.id, { author, body });
    }
  }
  // Texts alone (no surrounding words), too.
  const bare = { mood: 3, connection: 3, secure: 3, appreciation: M1, need: M1_MB, worry: M1, visibility: 'partner' };
  const rb = await srv.api('POST', '/api/v1/checkins', { token: who('a').token, body: bare });
  assert.equal(rb.status, 201, rb.text);
  written.set(rb.json.id, { author: 'a', body: bare });

  // An edit that introduces the second markers.
  const [editId, edited] = [...written].find(([, v]) => v.author === 'b' && v.body.visibility === 'partner');
  const patch = { appreciation: `after the edit ${M2}`, worry: M2_MB };
  const p = await srv.api('PATCH', `/api/v1/checkins/${editId}`, { token: who('b').token, body: patch });
  assert.equal(p.status, 200, `PATCH: ${p.status} ${p.text}`);
  edited.body = { ...edited.body, ...patch };
  for (const f of FIELDS) assert.equal(p.json[f] ?? null, edited.body[f] ?? null, `PATCH answer: ${f}`);

  await assertReadable(srv, 'while running');
  // The partner's list shows the shared texts in clear as well.
  const l = await srv.api('GET', '/api/v1/checkins?author=partner&limit=100', { token: who('a').token });
  assert.equal(l.status, 200);
  assert.ok(l.json.items.some((c) => c.id === editId && c.worry === M2_MB), 'the partner lists the edited text');
});

test('while the server runs (WAL not checkpointed): no file in the data directory holds a marker (plain, UTF-16, base64, hex)', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, () => {
  const files = filesUnder(srv.dataDir).map((f) => path.relative(srv.dataDir, f));
  assert.ok(files.includes('hearth.db'), `hearth.db in ${files}`);
  assert.ok(files.includes('hearth.db-wal'), `the WAL is there while the server runs: ${files}`);
  // Sanity: the scanner finds what it looks for.
  const probe = path.join(scratch, 'probe');
  fs.mkdirSync(probe, { recursive: true });
  fs.writeFileSync(path.join(probe, 'x'), Buffer.concat([Buffer.from('zz'), Buffer.from(`..${Buffer.from(`say ${M1_MB}!`).toString('base64')}..`)]));
  assert.ok(scan(probe).some((h) => h.includes('M1_MB base64')), 'the scanner finds base64 of a marker inside a longer text');
  assert.deepEqual(scan(srv.dataDir), [], 'markers found at rest while running');
});

test('PostgreSQL: a plain dump of the whole database holds no marker (plain, UTF-16, base64, hex)', { timeout: TEST_TIMEOUT, skip: PG_URL ? false : 'PostgreSQL only' }, () => {
  const dump = path.join(scratch, 'pg-dump');
  fs.mkdirSync(dump, { recursive: true });
  const bin = process.env.HEARTH_TEST_PG_BIN ? path.join(process.env.HEARTH_TEST_PG_BIN, 'pg_dump') : 'pg_dump';
  const r = spawnSync(bin, ['--format=plain', '--file', path.join(dump, 'all.sql'), pgDatabaseFor(srv.dataDir)], { encoding: 'utf8' });
  assert.equal(r.status, 0, `pg_dump: ${r.stderr}`);
  assert.ok(fs.statSync(path.join(dump, 'all.sql')).size > 1000, 'the dump holds the data');
  assert.deepEqual(scan(dump), [], 'markers found in the PostgreSQL database');
});

test('after a clean stop: no file in the data directory holds a marker; restarted, the texts read back', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const ex = await srv.terminate();
  assert.deepEqual(ex, { code: 0, signal: null }, 'SIGTERM exits 0');
  assert.deepEqual(scan(srv.dataDir), [], 'markers found at rest after a clean stop');
  await srv.restart();
  await assertReadable(srv, 'after restart');
});

test('the server log holds no check-in text', { timeout: TEST_TIMEOUT }, () => {
  const hits = Object.entries(MARKERS).filter(([, m]) => srv.log.includes(m)).map(([n]) => n);
  assert.deepEqual(hits, []);
});

let rotatedKey;
/** A check-in acknowledged while a wrong master key was configured, if any. */
let wrongKeyWrite = null;

test('rotate-key: exit 0, a new key file (mode 0600), the old one kept as PATH.old; all texts still readable', { timeout: TEST_TIMEOUT }, async () => {
  const keyPath = path.join(srv.dataDir, 'master.key');
  const before = fs.readFileSync(keyPath);
  const ex = await srv.terminate();
  assert.deepEqual(ex, { code: 0, signal: null });
  const r = runCli(['--data', srv.dataDir, 'rotate-key']);
  assert.equal(r.status, 0, `rotate-key: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  const after = fs.readFileSync(keyPath);
  assert.notDeepEqual(after, before, 'the key file content changed');
  assert.equal(fs.statSync(keyPath).mode & 0o777, 0o600, `new key mode ${(fs.statSync(keyPath).mode & 0o777).toString(8)}`);
  const old = `${keyPath}.old`;
  assert.ok(fs.existsSync(old), 'PATH.old exists');
  assert.deepEqual(fs.readFileSync(old), before, 'PATH.old is the previous key');
  assert.equal(fs.statSync(old).mode & 0o777, 0o600, `PATH.old mode ${(fs.statSync(old).mode & 0o777).toString(8)} (it is still a secret)`);
  rotatedKey = after;

  const chk = runCli(['--data', srv.dataDir, 'check']);
  assert.equal(chk.status, 0, `check after rotate-key: ${chk.stderr}`);
  await srv.restart();
  await assertReadable(srv, 'after rotate-key');
  // New writes work under the new key.
  const body = { mood: 4, connection: 4, secure: 4, appreciation: `new after rotation ${M1}`, visibility: 'partner' };
  const w = await srv.api('POST', '/api/v1/checkins', { token: who('a').token, body });
  assert.equal(w.status, 201, w.text);
  written.set(w.json.id, { author: 'a', body });
  await assertReadable(srv, 'after rotate-key, with a new write');
  assert.deepEqual(scan(srv.dataDir), [], 'markers found at rest after rotate-key');
});

test('a wrong master key file: the server refuses to start or answers 500/503 for texts, never wrong plaintext; the right key brings everything back', { timeout: TEST_TIMEOUT }, async (t) => {
  assert.ok(rotatedKey, 'rotate-key ran');
  const keyPath = path.join(srv.dataDir, 'master.key');
  // A freshly generated key from another data directory.
  const other = path.join(scratch, 'other');
  const g = runCli(['--data', other, 'check']);
  assert.equal(g.status, 0, `check on a fresh directory: ${g.stderr}`);
  const wrongKey = fs.readFileSync(path.join(other, 'master.key'));
  assert.notDeepEqual(wrongKey, rotatedKey);

  await srv.terminate();
  const oldPath = `${keyPath}.old`;
  const savedOld = fs.readFileSync(oldPath);
  fs.rmSync(oldPath); // so the server cannot fall back to the old key either
  fs.writeFileSync(keyPath, wrongKey, { mode: 0o600 });
  let wrong = null;
  let behaviour;
  try {
    try {
      wrong = await startServer({ dataDir: srv.dataDir });
    } catch (err) {
      behaviour = `refuses to start: ${String(err.message).split('\n').slice(0, 1).join(' ')}`;
      const lines = String(err.message).split('\n').filter((l) => /key|master|unwrap/i.test(l)).slice(0, 3);
      if (lines.length) behaviour += ` | ${lines.join(' | ')}`;
    }
    if (wrong) {
      const statuses = {};
      for (const [id, { author, body }] of written) {
        const r = await wrong.api('GET', `/api/v1/checkins/${id}`, { token: who(author).token });
        statuses[r.status] = (statuses[r.status] || 0) + 1;
        if (r.status === 200) {
          for (const f of ['appreciation', 'need', 'worry']) {
            assert.equal(r.json[f] ?? null, body[f] ?? null, `wrong key: ${id}: ${f} must never be wrong plaintext`);
          }
        } else {
          assert.ok([500, 503].includes(r.status), `wrong key: GET ${id}: ${r.status} ${r.text}`);
          assert.ok(r.json && r.json.error && typeof r.json.error.code === 'string', `wrong key: error shape: ${r.text}`);
        }
      }
      const l = await wrong.api('GET', '/api/v1/checkins?author=me', { token: who('a').token });
      statuses[`list ${l.status}`] = 1;
      if (l.status === 200) {
        for (const c of l.json.items) {
          const want = written.get(c.id)?.body;
          if (want) for (const f of ['appreciation', 'need', 'worry']) assert.equal(c[f] ?? null, want[f] ?? null, `wrong key: list: ${c.id}: ${f}`);
        }
      }
      // Someone new writes while the wrong key is configured (their data key does not exist yet).
      const nu = await wrong.signUp('wrongkey');
      const nbody = { mood: 3, connection: 3, secure: 3, appreciation: `written under a wrong key ${M1}`, visibility: 'private' };
      const nw = await wrong.api('POST', '/api/v1/checkins', { token: nu.token, body: nbody });
      statuses[`new author's POST ${nw.status}`] = 1;
      if (nw.status === 201) wrongKeyWrite = { token: nu.token, id: nw.json.id, body: nbody };
      // An existing author writes.
      const ew = await wrong.api('POST', '/api/v1/checkins', { token: who('a').token, body: { mood: 3, connection: 3, secure: 3, need: 'x', visibility: 'private' } });
      statuses[`existing author's POST ${ew.status}`] = 1;
      assert.notEqual(ew.status, 201, 'an existing author cannot write under a wrong key (their data key cannot be unwrapped)');
      assert.equal(wrong.exit, null, 'the server with a wrong key did not crash');
      behaviour = `starts; ${JSON.stringify(statuses)}`;
      await wrong.stop();
      wrong = null;
    }
    const chk = runCli(['--data', srv.dataDir, 'check']);
    behaviour += `; \`hearth check\` with the wrong key exits ${chk.status}`;
    t.diagnostic(`with a wrong master key the server ${behaviour}`);
  } finally {
    if (wrong) await wrong.stop().catch(() => {});
    fs.writeFileSync(keyPath, rotatedKey, { mode: 0o600 });
    fs.chmodSync(keyPath, 0o600);
    fs.writeFileSync(oldPath, savedOld, { mode: 0o600 });
  }
  await srv.restart();
  await assertReadable(srv, 'with the right key again');
});

test('a check-in acknowledged (201) while a wrong master key was configured is readable once the right key is back', { timeout: TEST_TIMEOUT }, async (t) => {
  if (!wrongKeyWrite) {
    t.diagnostic('no write was acknowledged under the wrong key');
    return;
  }
  const r = await srv.api('GET', `/api/v1/checkins/${wrongKeyWrite.id}`, { token: wrongKeyWrite.token });
  assert.equal(r.status, 200, `GET the check-in written under the wrong key, now with the right key: ${r.status} ${r.text}`
    + ' (the server accepted it and wrapped a new data key under a master key it did not check against the database)');
  assert.equal(r.json.appreciation, wrongKeyWrite.body.appreciation);
});

test('HEARTH_KEY_FILE moves the key file: created there with mode 0600, none in the data directory; texts still encrypted at rest', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async () => {
  const keyDir = path.join(scratch, 'keys');
  fs.mkdirSync(keyDir, { recursive: true });
  const keyPath = path.join(keyDir, 'elsewhere.key');
  const s2 = await startServer({ env: { HEARTH_KEY_FILE: keyPath } });
  try {
    assert.ok(fs.existsSync(keyPath), 'the key file is created at HEARTH_KEY_FILE');
    assert.equal(fs.statSync(keyPath).mode & 0o777, 0o600, `mode ${(fs.statSync(keyPath).mode & 0o777).toString(8)}`);
    assert.ok(!fs.existsSync(path.join(s2.dataDir, 'master.key')), 'no master.key in the data directory');
    const u = await s2.signUp('keyfile');
    const body = { mood: 2, connection: 2, secure: 2, appreciation: M1, need: M1_MB, visibility: 'private' };
    const r = await s2.api('POST', '/api/v1/checkins', { token: u.token, body });
    assert.equal(r.status, 201, r.text);
    const g = await s2.api('GET', `/api/v1/checkins/${r.json.id}`, { token: u.token });
    assert.equal(g.json.need, M1_MB);
    assert.deepEqual(scan(s2.dataDir), [], 'markers at rest with a moved key file');
  } finally {
    await s2.stop();
  }
});
