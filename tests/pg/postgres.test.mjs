// SPDX-License-Identifier: AGPL-3.0-or-later
//
// PostgreSQL-only end-to-end tests for src/store/postgres.c: what the shared
// API suite (tests/e2e/) cannot see through the API alone. Run under a
// throwaway cluster:
//
//   tests/pg/with-postgres.sh node --test tests/pg/
//
// Without HEARTH_TEST_PG_URL every test is skipped. Uses the e2e harness,
// which gives each server a fresh database (pgDatabaseFor) in PostgreSQL mode.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  startServer, runCli, runCliAsync, tempDir, newPgDatabase, pgDatabaseFor, PG_URL, TEST_TIMEOUT,
} from '../e2e/lib/server.mjs';

/** The migration versions this hearth ships (src/store/postgres/migrations/NNN.sql). */
const MIGRATIONS = fs.readdirSync(new URL('../../src/store/postgres/migrations/', import.meta.url))
  .filter((f) => /^\d{3}\.sql$/.test(f)).map((f) => Number(f.slice(0, 3))).sort((a, b) => a - b);

const skip = PG_URL ? false : 'HEARTH_TEST_PG_URL is not set (run under tests/pg/with-postgres.sh)';
const binDir = process.env.HEARTH_TEST_PG_BIN || '';
const pgTool = (name) => (binDir ? path.join(binDir, name) : name);

/** Runs SQL (written here, never from input) with psql; returns trimmed stdout. */
function psql(url, sql) {
  const r = spawnSync(pgTool('psql'), ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `psql: ${r.stderr}`);
  return r.stdout.trim();
}

let srv;
let work;
before(async () => {
  if (skip) return;
  work = tempDir('hearth-pg-');
  srv = await startServer();
}, { timeout: TEST_TIMEOUT });
after(async () => {
  if (srv) await srv.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const createSpace = (u) => srv.api('POST', '/api/v1/spaces', { token: u.token });
const invite = (u) => srv.api('POST', '/api/v1/spaces/current/invites', { token: u.token });
const join = (u, code) => srv.api('POST', '/api/v1/spaces/join', { token: u.token, body: { code } });
const checkin = (u, need) => srv.api('POST', '/api/v1/checkins',
  { token: u.token, body: { mood: 3, connection: 3, secure: 3, need, visibility: 'private' } });

test('the schema: every shipped migration recorded, space_id leads every couple-owned primary key', { skip, timeout: TEST_TIMEOUT }, () => {
  const db = pgDatabaseFor(srv.dataDir);
  assert.equal(psql(db, 'SELECT string_agg(version::text, \',\' ORDER BY version) FROM schema_migrations'), MIGRATIONS.join(','));
  const pk = psql(db, "SELECT pg_get_indexdef('checkins_pkey'::regclass)");
  assert.match(pk, /\(space_id, id\)/);
  assert.match(psql(db, "SELECT pg_get_indexdef('space_members_pkey'::regclass)"), /\(space_id, user_id\)/);
  assert.match(psql(db, "SELECT pg_get_indexdef('invites_pkey'::regclass)"), /\(space_id, code_hash\)/);
  for (const table of ['repairs', 'repair_sides', 'prompt_days', 'prompt_seen', 'prompt_skips', 'prompt_answers',
    'prompt_acks', 'safety_checks', 'agreements', 'agreement_reviews', 'questionnaire_responses',
    'therapist_consents', 'therapist_notes', 'access_log', 'therapist_visits']) {
    assert.match(psql(db, `SELECT pg_get_indexdef('${table}_pkey'::regclass)`), /\(space_id, /, table);
  }
  // Ids and dates that lists are ordered by sort bytewise, as with SQLite, whatever the database's locale.
  const collated = psql(db, "SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name, column_name)"
    + " FROM information_schema.columns WHERE collation_name = 'C' AND table_name IN ('repairs', 'repair_sides', 'prompt_answers')"
    + " AND column_name IN ('id', 'author_id', 'date')");
  assert.equal(collated, 'prompt_answers.author_id,prompt_answers.date,repair_sides.author_id,repairs.id');
  // Migration 4: the same columns as SQLite's, times BIGINT, ids sorting bytewise; migration 10 made the score
  // text, because it is sealed at rest (issue 10, part E).
  const columns = (table) => psql(db, "SELECT string_agg(column_name || ' ' || data_type"
    + " || coalesce(' ' || collation_name, ''), ',' ORDER BY ordinal_position)"
    + ` FROM information_schema.columns WHERE table_name = '${table}'`);
  assert.equal(columns('agreements'), 'space_id text C,id text C,author_id text C,text text,'
    + 'review_every_days integer,next_review_on text C,status text,repair_id text C,created_at bigint');
  assert.equal(columns('agreement_reviews'), 'space_id text C,agreement_id text C,id text C,author_id text C,'
    + 'outcome text,note text,created_at bigint');
  assert.equal(columns('questionnaire_responses'), 'space_id text C,id text C,author_id text C,'
    + 'questionnaire_id text C,answers text,score text,subscales text,visibility text,created_at bigint');
  assert.match(psql(db, "SELECT pg_get_indexdef('agreement_reviews_pkey'::regclass)"), /\(space_id, agreement_id, id\)/);
  assert.match(psql(db, "SELECT pg_get_indexdef('agreements_time'::regclass)"), /\(space_id, created_at, id\)/);
  assert.match(psql(db, "SELECT pg_get_indexdef('qresponses_author'::regclass)"),
    /\(author_id, questionnaire_id, created_at\)/);
  // Migration 5: times BIGINT, ids sorting bytewise, comments keyed by their article, search through a GIN index.
  assert.equal(columns('therapist_notes'), 'space_id text C,id text C,therapist_id text C,text text,created_at bigint');
  assert.equal(columns('access_log'), 'space_id text C,id text C,at bigint,who_id text C,who_name text,what text');
  // Migration 16 (issue 12): the name its writer chose for the comment, the only one shown publicly.
  assert.equal(columns('article_comments'), 'article_id text C,id text C,author_id text C,body text,status text,'
    + 'created_at bigint,name text');
  // Migration 21 (issue 13): homework and each partner's mark, keyed by their space, ids sorting bytewise.
  assert.equal(columns('homework'), 'space_id text C,id text C,therapist_id text C,kind text C,ref text C,text text,'
    + 'due_on text C,for_id text C,created_at bigint');
  assert.equal(columns('homework_marks'), 'space_id text C,homework_id text C,user_id text C,status text C,note text,'
    + 'updated_at bigint');
  assert.match(psql(db, "SELECT pg_get_indexdef('homework_pkey'::regclass)"), /\(space_id, id\)/);
  assert.match(psql(db, "SELECT pg_get_indexdef('homework_marks_pkey'::regclass)"), /\(space_id, homework_id, user_id\)/);
  assert.match(psql(db, "SELECT pg_get_indexdef('space_therapists_pkey'::regclass)"), /\(space_id\)/);
  // Migration 22 (issue 13): the next session's times on the therapist's link, BIGINT ms, NULL for none.
  assert.match(columns('space_therapists'), /,next_session_at bigint,previous_session_at bigint,session_set_at bigint$/);
  assert.match(psql(db, "SELECT pg_get_indexdef('article_comments_pkey'::regclass)"), /\(article_id, id\)/);
  assert.equal(psql(db, "SELECT data_type || ' ' || is_generated FROM information_schema.columns"
    + " WHERE table_name = 'articles' AND column_name = 'search'"), 'tsvector ALWAYS');
  assert.match(psql(db, "SELECT pg_get_indexdef('articles_search'::regclass)"), /USING gin \(search\)/);
});

test('8 people join one space through 8 different codes at once: exactly one gets in', { skip, timeout: TEST_TIMEOUT }, async () => {
  const host = await srv.signUp('pgh');
  assert.equal((await createSpace(host)).status, 201);
  const codes = [];
  for (let i = 0; i < 8; i++) {
    const inv = await invite(host);
    assert.equal(inv.status, 201, inv.text);
    codes.push(inv.json.code);
  }
  const people = await Promise.all(codes.map((_, i) => srv.signUp(`pgj${i}`)));
  const rs = await Promise.all(people.map((p, i) => join(p, codes[i])));
  assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => `${r.status} ${r.text}`).join('\n'));
  // The others' codes were voided by the join (API.md Additions): 404, or 409 when the space filled first.
  for (const r of rs) assert.ok([200, 404, 409].includes(r.status), `${r.status} ${r.text}`);
  const db = pgDatabaseFor(srv.dataDir);
  assert.equal(psql(db, 'SELECT max(n) FROM (SELECT count(*) AS n FROM space_members GROUP BY space_id) x'), '2');
});

test('one person joins 6 spaces at once: in exactly one space afterwards', { skip, timeout: TEST_TIMEOUT }, async () => {
  const hosts = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => srv.signUp(`pgm${i}`)));
  const codes = [];
  for (const h of hosts) {
    assert.equal((await createSpace(h)).status, 201);
    codes.push((await invite(h)).json.code);
  }
  const x = await srv.signUp('pgx');
  const rs = await Promise.all(codes.map((c) => join(x, c)));
  assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => `${r.status} ${r.text}`).join('\n'));
  const db = pgDatabaseFor(srv.dataDir);
  assert.equal(psql(db, `SELECT count(*) FROM space_members WHERE user_id = '${x.id.replace(/[^0-9a-f]/g, '')}'`), '1');
});

test('both partners leave at once: the space and its invites are gone, nothing orphaned', { skip, timeout: TEST_TIMEOUT }, async () => {
  for (let round = 0; round < 5; round++) {
    const c = await srv.makeCouple(`pgl${round}`);
    // makeCouple's (used) invite is still there; it goes with the space.
    const rs = await Promise.all([c.a, c.b].map((u) => srv.api('POST', '/api/v1/spaces/current/leave', { token: u.token })));
    for (const r of rs) assert.ok(r.status < 300, `${r.status} ${r.text}`);
    const db = pgDatabaseFor(srv.dataDir);
    const id = c.spaceId.replace(/[^0-9a-f]/g, '');
    assert.equal(psql(db, `SELECT count(*) FROM spaces WHERE id = '${id}'`), '0', 'the empty space is removed');
    assert.equal(psql(db, `SELECT count(*) FROM invites WHERE space_id = '${id}'`), '0', 'its invites are removed');
  }
  const r = runCli(['--data', srv.dataDir, 'check']);
  assert.equal(r.status, 0, r.stderr);
});

test('both partners skip today\'s prompt at once: each skip either happens whole or not at all', { skip, timeout: TEST_TIMEOUT }, async () => {
  for (let round = 0; round < 5; round++) {
    const c = await srv.makeCouple(`pgs${round}`);
    const today = await srv.api('GET', '/api/v1/prompts/today', { token: c.a.token });
    assert.equal(today.status, 200, today.text);
    const rs = await Promise.all([c.a, c.b].map((u) => srv.api('POST', '/api/v1/prompts/today/skip', { token: u.token })));
    for (const r of rs) assert.ok(r.status === 200 || r.status === 409, `${r.status} ${r.text}`);
    const skipped = rs.filter((r) => r.status === 200).length;
    assert.ok(skipped >= 1, 'at least one skip goes through');
    const db = pgDatabaseFor(srv.dataDir);
    const id = c.spaceId.replace(/[^0-9a-f]/g, '');
    assert.equal(psql(db, `SELECT count(*) FROM prompt_skips WHERE space_id = '${id}'`), String(skipped),
      'a skip that was refused left no row');
    assert.equal(psql(db, `SELECT count(*) FROM prompt_days d JOIN prompt_seen s ON s.space_id = d.space_id`
      + ` AND s.prompt_id = d.prompt_id WHERE d.space_id = '${id}'`), '1', 'the prompt in place is marked seen');
    const after = await srv.api('GET', '/api/v1/prompts/today', { token: c.b.token });
    assert.equal(after.status, 200, after.text);
    assert.notEqual(after.json.id, today.json.id, 'the day has a new prompt');
  }
});

test('connections killed by the server are reset: the next requests succeed', { skip, timeout: TEST_TIMEOUT }, async () => {
  const u = await srv.signUp('pgk');
  assert.equal((await checkin(u, 'before')).status, 201);
  const db = pgDatabaseFor(srv.dataDir);
  const dbName = db.slice(db.lastIndexOf('/') + 1).replace(/[^a-z0-9_]/g, '');
  const killed = psql(PG_URL, 'SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity'
    + ` WHERE datname = '${dbName}' AND pid <> pg_backend_pid()) x`);
  assert.ok(Number(killed) >= 1, `terminated ${killed} connections`);
  for (let i = 0; i < 20; i++) {
    const r = await checkin(u, `after ${i}`);
    assert.equal(r.status, 201, `check-in ${i} after the kill: ${r.status} ${r.text}`);
  }
  const list = await srv.api('GET', '/api/v1/checkins?author=me&limit=100', { token: u.token });
  assert.equal(list.json.items.length, 21);
  const h = await srv.api('GET', '/healthz');
  assert.equal(h.status, 200);
});

test('a database that cannot be reached: start-up fails with one clear line, no password echoed', { skip, timeout: TEST_TIMEOUT }, () => {
  const dir = path.join(work, 'unreachable');
  fs.mkdirSync(dir);
  const r = runCli(['--data', dir, '--database', 'postgresql://hearth:s3cr3t-pw@127.0.0.1:1/nothing', 'migrate']);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot connect to PostgreSQL/);
  assert.ok(!r.stderr.includes('s3cr3t-pw'), r.stderr);
});

test('two servers starting together on one empty database both come up (migrations take a lock)', { skip, timeout: TEST_TIMEOUT }, async () => {
  const db = newPgDatabase();
  const dirs = [0, 1, 2, 3].map((i) => path.join(work, `together${i}`));
  for (const d of dirs) fs.mkdirSync(d);
  const rs = await Promise.all(dirs.map((d) => runCliAsync(['--data', d, '--database', db, 'migrate'])));
  for (const r of rs) assert.equal(r.status, 0, r.stderr);
  assert.equal(psql(db, 'SELECT count(*) FROM schema_migrations'), String(MIGRATIONS.length));
});

test('backup: a pg_dump custom-format file that pg_restore brings back into a fresh database', { skip, timeout: TEST_TIMEOUT }, async () => {
  const u = await srv.signUp('pgb');
  const r1 = await checkin(u, 'kept by the backup');
  assert.equal(r1.status, 201);
  const file = path.join(work, 'hearth.dump');
  const b = runCli(['--data', srv.dataDir, 'backup', file]);
  assert.equal(b.status, 0, b.stderr);
  assert.equal(fs.readFileSync(file).subarray(0, 5).toString(), 'PGDMP');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.ok(!fs.existsSync(`${file}.partial`));

  const fresh = newPgDatabase();
  const rr = spawnSync(pgTool('pg_restore'), ['--no-owner', '--exit-on-error', '-d', fresh, file], { encoding: 'utf8' });
  assert.equal(rr.status, 0, rr.stderr);
  const dir = path.join(work, 'restored');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(srv.dataDir, 'master.key'), path.join(dir, 'master.key'));
  const chk = runCli(['--data', dir, '--database', fresh, 'check']);
  assert.equal(chk.status, 0, chk.stderr);
  assert.equal(psql(fresh, `SELECT count(*) FROM checkins WHERE id = '${r1.json.id.replace(/[^0-9a-f]/g, '')}'`), '1');
});

test('check: orphaned rows make `hearth check` fail with a detail', { skip, timeout: TEST_TIMEOUT }, () => {
  const db = newPgDatabase();
  const dir = path.join(work, 'orphans');
  fs.mkdirSync(dir);
  let r = runCli(['--data', dir, '--database', db, 'check']);
  assert.equal(r.status, 0, r.stderr);
  psql(db, "INSERT INTO space_members (space_id, user_id, joined_at) VALUES ('nospace', 'nouser', 0)");
  r = runCli(['--data', dir, '--database', db, 'check']);
  assert.equal(r.status, 1, `${r.stdout} ${r.stderr}`);
  assert.match(r.stderr, /space members without/);
});
