// SPDX-License-Identifier: AGPL-3.0-or-later
//
// HEARTH_PG_PARTITIONS=N (src/store/postgres/partition.sql): a new database's
// couple-owned tables, every table with a space_id column but the two global
// ones, are hash-partitioned by space_id into N partitions, as a distributed
// PostgreSQL would shard them; a table a later migration adds is partitioned
// too; a key that partitioning cannot keep stops the start; a database made
// without partitions stays as it is. The whole API suite runs once more with
// HEARTH_PG_PARTITIONS=8 (`make test-e2e-pg-partitions`); these tests set it
// for their own servers either way.
//
//   tests/pg/with-postgres.sh node --test tests/pg/partitions.test.mjs

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, runCli, tempDir, pgDatabaseFor, PG_URL, TEST_TIMEOUT } from '../e2e/lib/server.mjs';

const skip = PG_URL ? false : 'HEARTH_TEST_PG_URL is not set (run under tests/pg/with-postgres.sh)';
const N = Number(process.env.HEARTH_PG_PARTITIONS || 8);
const binDir = process.env.HEARTH_TEST_PG_BIN || '';
/** Tables with a space_id column that stay whole: looked up by person and by invite code (partition.sql). */
const GLOBAL = ['invites', 'space_members'];

/** Runs SQL (written here, never from input) with psql; returns trimmed stdout. */
function psql(url, sql) {
  const r = spawnSync(binDir ? path.join(binDir, 'psql') : 'psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql: ${r.stderr}`);
  return r.stdout.trim();
}
const rows = (url, sql) => psql(url, sql).split('\n').filter(Boolean);

/** The plain and the partitioned tables with a space_id column, and each partitioned table's strategy, key and partition count. */
function layout(db) {
  const withSpace = rows(db, "SELECT c.relname || ' ' || c.relkind::text FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid"
    + " WHERE a.attname = 'space_id' AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
    + " AND c.relnamespace = current_schema()::regnamespace ORDER BY 1");
  const parted = Object.fromEntries(rows(db, "SELECT c.relname || ' ' || p.partstrat::text || ' ' || pg_get_partkeydef(c.oid)"
    + " || ' ' || (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)"
    + ' FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid ORDER BY 1').map((l) => {
    const [name, ...rest] = l.split(' ');
    return [name, rest.join(' ')];
  }));
  return {
    plain: withSpace.filter((l) => l.endsWith(' r')).map((l) => l.split(' ')[0]),
    partitioned: withSpace.filter((l) => l.endsWith(' p')).map((l) => l.split(' ')[0]),
    parted,
  };
}

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });
async function serve(env = {}, dataDir) {
  const s = await startServer({ env: { HEARTH_PG_PARTITIONS: String(N), ...env }, dataDir });
  servers.push(s);
  return s;
}
const checkin = (s, u, need) => s.api('POST', '/api/v1/checkins',
  { token: u.token, body: { mood: 3, connection: 3, secure: 3, need, visibility: 'partner' } });

test(`a new database: every table with space_id but ${GLOBAL.join(' and ')} is hash-partitioned by space_id into ${N} partitions`, { skip, timeout: TEST_TIMEOUT }, async () => {
  const srv = await serve();
  const db = pgDatabaseFor(srv.dataDir);
  const { plain, partitioned, parted } = layout(db);
  assert.deepEqual(plain, GLOBAL, 'only the global tables stay whole');
  assert.ok(partitioned.includes('checkins') && partitioned.includes('repair_sides') && partitioned.includes('access_log'),
    `the couple-owned tables are partitioned: ${partitioned}`);
  for (const t of partitioned) assert.equal(parted[t], `h HASH (space_id) ${N}`, `${t}: hash by space_id, ${N} partitions`);
  // What partitioning requires, as a distributed database does: space_id in every unique key, no foreign keys.
  const uniqueWithout = rows(db, 'SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid'
    + " JOIN pg_partitioned_table p ON p.partrelid = i.indrelid WHERE i.indisunique AND NOT EXISTS"
    + " (SELECT 1 FROM pg_attribute a WHERE a.attrelid = i.indrelid AND a.attname = 'space_id' AND a.attnum = ANY (i.indkey::int2[]))");
  assert.deepEqual(uniqueWithout, [], 'every unique key of a partitioned table contains space_id');
  assert.equal(psql(db, "SELECT count(*) FROM pg_constraint WHERE contype = 'f'"), '0', 'no foreign keys');
  // The keys and indexes came along under their names; the ids of random rows are still indexed.
  assert.match(psql(db, "SELECT pg_get_indexdef('checkins_pkey'::regclass)"), /^CREATE UNIQUE INDEX checkins_pkey ON ONLY \S+ USING btree \(space_id, id\)$/);
  assert.match(psql(db, "SELECT pg_get_indexdef('checkins_id'::regclass)"), /^CREATE INDEX checkins_id ON ONLY \S+ USING btree \(id\)$/);
  assert.match(psql(db, "SELECT pg_get_indexdef('repairs_time'::regclass)"), /\(space_id, created_at, id\)$/);
  assert.match(psql(db, "SELECT pg_get_indexdef('prompt_days_id_key'::regclass)"), /^CREATE INDEX prompt_days_id_key/);
  assert.equal(psql(db, "SELECT collation_name FROM information_schema.columns WHERE table_name = 'checkins' AND column_name = 'id'"), 'C');

  // The rows of several couples spread over the partitions, and each couple reads its own.
  const couples = [];
  for (let i = 0; i < 6; i++) couples.push(await srv.makeCouple(`pt${i}`));
  for (const [i, c] of couples.entries()) {
    assert.equal((await checkin(srv, c.a, `a${i}`)).status, 201);
    assert.equal((await checkin(srv, c.b, `b${i}`)).status, 201);
  }
  const used = Number(psql(db, 'SELECT count(DISTINCT tableoid) FROM checkins'));
  assert.ok(used >= 2, `check-ins of 6 couples are in ${used} partition(s)`);
  for (const [i, c] of couples.entries()) {
    const r = await srv.api('GET', '/api/v1/checkins?author=all', { token: c.a.token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.items.map((x) => x.need).sort(), [`a${i}`, `b${i}`], `couple ${i} reads its own two`);
  }
  // Leaving moves the leaver's rows to their own scope: a row changes partition.
  const c0 = couples[0];
  assert.equal((await srv.api('POST', '/api/v1/spaces/current/leave', { token: c0.b.token })).status, 204);
  const mine = await srv.api('GET', '/api/v1/checkins?author=me', { token: c0.b.token });
  assert.deepEqual(mine.json.items.map((x) => x.need), ['b0'], 'the leaver keeps their check-in');
  assert.equal(psql(db, `SELECT space_id FROM checkins WHERE author_id = '${c0.b.id}'`), c0.b.id);
  const chk = runCli(['--data', srv.dataDir, 'check']);
  assert.equal(chk.status, 0, `hearth check: ${chk.stderr}`);
});

test('a table a later migration adds is partitioned at the next start; one with a unique key without space_id stops the start', { skip, timeout: TEST_TIMEOUT }, async () => {
  const srv = await serve();
  const db = pgDatabaseFor(srv.dataDir);
  await srv.terminate();
  // What a later migration could add (made here by hand), with a row in it already.
  psql(db, 'CREATE TABLE later_notes (space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,'
    + ' body TEXT NOT NULL, PRIMARY KEY (space_id, id)); CREATE INDEX later_notes_body ON later_notes (body);'
    + " INSERT INTO later_notes VALUES ('s1', 'n1', 'kept')");
  // Without HEARTH_PG_PARTITIONS: a partitioned database keeps partitioning, with its own N.
  const again = await serve({ HEARTH_PG_PARTITIONS: '' }, srv.dataDir);
  assert.equal(layout(db).parted.later_notes, `h HASH (space_id) ${N}`, 'the new table is partitioned like the others');
  assert.equal(psql(db, 'SELECT body FROM later_notes'), 'kept', 'its rows came along');
  assert.match(psql(db, "SELECT pg_get_indexdef('later_notes_body'::regclass)"), /\(body\)$/);
  await again.terminate();

  psql(db, 'CREATE TABLE later_codes (space_id TEXT NOT NULL, code TEXT NOT NULL UNIQUE, PRIMARY KEY (space_id, code))');
  const r = runCli(['--data', srv.dataDir, 'migrate']);
  assert.notEqual(r.status, 0, 'migrate refuses to go on');
  assert.equal(layout(db).plain.includes('later_codes'), true, 'the table stays as it was');
  psql(db, 'DROP TABLE later_codes');
  const ok = runCli(['--data', srv.dataDir, 'migrate']);
  assert.equal(ok.status, 0, `migrate once the table is gone: ${ok.stderr}`);
});

test('a database made without partitions stays unpartitioned when started with HEARTH_PG_PARTITIONS, and works', { skip, timeout: TEST_TIMEOUT }, async () => {
  const srv = await serve({ HEARTH_PG_PARTITIONS: '' });
  const db = pgDatabaseFor(srv.dataDir);
  const u = await srv.signUp('ptold');
  assert.equal((await checkin(srv, u, 'before')).status, 201);
  await srv.terminate();
  const again = await serve({}, srv.dataDir);
  const { partitioned } = layout(db);
  assert.deepEqual(partitioned, [], 'nothing was partitioned');
  assert.equal((await checkin(again, u, 'after')).status, 201);
  const r = await again.api('GET', '/api/v1/checkins?author=me', { token: u.token });
  assert.deepEqual(r.json.items.map((x) => x.need).sort(), ['after', 'before']);
});

test('HEARTH_PG_PARTITIONS that is not a whole number from 1 to 1024 stops the start with a message', { skip, timeout: TEST_TIMEOUT }, () => {
  const dir = tempDir('hearth-pg-parts-');
  try {
    for (const bad of ['0', '-1', 'eight', '1025', '8x']) {
      const r = runCli(['--data', dir, '--database', pgDatabaseFor(dir), 'migrate'], { env: { HEARTH_PG_PARTITIONS: bad } });
      assert.notEqual(r.status, 0, `HEARTH_PG_PARTITIONS=${bad}`);
      assert.match(r.stderr, /HEARTH_PG_PARTITIONS must be a whole number from 1 to 1024/, `HEARTH_PG_PARTITIONS=${bad}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
