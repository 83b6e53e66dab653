// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Upgrades (README "Upgrade"): a database written by the hearth of each
// earlier migration level (tests/fixtures/level-N/, made by
// tests/fixtures/generate.mjs through that version's own API) is migrated by
// this hearth when it starts; everything written then reads back the same,
// `hearth check` passes, and the upgraded database takes new writes.
// SQLite only: the fixtures are SQLite files.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, runCli, sqlAt, REPO_ROOT, TEST_TIMEOUT, SQLITE_ONLY } from './lib/server.mjs';

const FIXTURES = path.join(REPO_ROOT, 'tests', 'fixtures');
const levels = fs.readdirSync(FIXTURES).filter((d) => /^level-\d+$/.test(d)).sort();
const TEXTS = ['appreciation', 'need', 'worry'];

test('there is a fixture for every migration level from 1 on', () => {
  assert.deepEqual(levels.map((d) => Number(d.slice(6))), levels.map((_, i) => i + 1));
  assert.ok(levels.length >= 5, `${levels.length} fixtures`);
});

for (const level of levels) {
  test(`${level}: migrates to the newest, reads back what that version wrote, passes check, takes new writes`, { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, async (t) => {
    const from = path.join(FIXTURES, level);
    const want = JSON.parse(fs.readFileSync(path.join(from, 'expected.json'), 'utf8'));
    const dir = tempDir(`hearth-e2e-upgrade-${level}-`);
    let srv;
    try {
      fs.copyFileSync(path.join(from, 'hearth.db'), path.join(dir, 'hearth.db'));
      if (fs.existsSync(path.join(from, 'master.key'))) {
        fs.copyFileSync(path.join(from, 'master.key'), path.join(dir, 'master.key'));
        fs.chmodSync(path.join(dir, 'master.key'), 0o600);
      }
      const mig = runCli(['--data', dir, 'migrate']);
      assert.equal(mig.status, 0, `migrate: ${mig.stderr}`);
      // Sealing what was in clear (migration 10) and migration 33, which made the check-ins' table
      // again, both leave pages free; the data steps compact once after them.
      const db = { file: path.join(dir, 'hearth.db') };
      assert.equal(sqlAt(null, 'SELECT count(*) FROM upgrade_steps', db), '0', 'no data step is left pending');
      assert.equal(sqlAt(null, 'PRAGMA freelist_count', db), '0', 'no free page is left in the file');
      const chk = runCli(['--data', dir, 'check']);
      assert.equal(chk.status, 0, `check after the upgrade: ${chk.stderr}`);

      srv = await startServer({ dataDir: dir });
      const login = async (username) => {
        const r = await srv.api('POST', '/api/v1/sessions', { body: { username, password: want.password } });
        assert.equal(r.status, 201, `log in as ${username}: ${r.status} ${r.text}`);
        return r.json.token;
      };
      const tokens = { alice: await login(want.users.alice), bob: await login(want.users.bob) };
      const me = await srv.api('GET', '/api/v1/me', { token: tokens.alice });
      assert.ok(me.json.space, 'the couple still share their space');

      for (const c of want.checkins) {
        const r = await srv.api('GET', `/api/v1/checkins/${c.id}`, { token: tokens[c.author] });
        assert.equal(r.status, 200, `check-in ${c.id} by its author: ${r.status} ${r.text}`);
        for (const f of ['mood', 'connection', 'secure', 'visibility', ...TEXTS]) {
          assert.equal(r.json[f] ?? null, c[f] ?? null, `check-in ${c.id}: ${f}`);
        }
        const other = c.author === 'alice' ? 'bob' : 'alice';
        const seen = await srv.api('GET', `/api/v1/checkins/${c.id}`, { token: tokens[other] });
        assert.equal(seen.status, c.visibility === 'partner' ? 200 : 404, `check-in ${c.id} (${c.visibility}) as the partner`);
      }
      if (want.repair) {
        const r = await srv.api('GET', `/api/v1/repairs/${want.repair.id}`, { token: tokens.alice });
        assert.equal(r.status, 200, `repair: ${r.text}`);
        assert.equal(r.json.title, want.repair.title);
        assert.equal(r.json.state, 'revealed');
        for (const f of ['perspective', 'touched', 'my_part', 'next_time']) {
          assert.equal(r.json.mine[f], want.repair.alice[f], `repair: my ${f}`);
          assert.equal(r.json.partner[f], want.repair.bob[f], `repair: the partner's ${f}`);
        }
      }
      if (want.prompt) {
        const h = await srv.api('GET', '/api/v1/prompts/history', { token: tokens.bob });
        assert.equal(h.status, 200, `prompt history: ${h.text}`);
        const day = h.json.items.find((i) => i.id === want.prompt.id);
        assert.ok(day, `the answered prompt ${want.prompt.id} is in the history: ${h.text.slice(0, 300)}`);
        assert.equal(day.mine, want.prompt.bob, 'my answer');
        assert.equal(day.partner, want.prompt.alice, "the partner's answer");
      }
      if (want.agreement) {
        const g = await srv.api('GET', `/api/v1/agreements/${want.agreement.id}`, { token: tokens.bob });
        assert.equal(g.status, 200, `agreement: ${g.text}`);
        assert.equal(g.json.text, want.agreement.text);
      }
      if (want.questionnaire) {
        const tr = await srv.api('GET', `/api/v1/trends?metric=${want.questionnaire.id}&author=me`, { token: tokens.alice });
        assert.equal(tr.status, 200, `questionnaire trend: ${tr.text}`);
        assert.ok(JSON.stringify(tr.json).includes(String(want.questionnaire.score)), `the score ${want.questionnaire.score} is in the trend: ${tr.text.slice(0, 300)}`);
      }
      if (want.therapist) {
        const tt = await login(want.therapist.username);
        const spaces = await srv.api('GET', '/api/v1/therapist/spaces', { token: tt });
        assert.equal(spaces.status, 200);
        assert.equal(spaces.json.items.length, 1, 'the therapist still sees the couple');
        const notes = await srv.api('GET', `/api/v1/therapist/spaces/${spaces.json.items[0].id}/notes`, { token: tt });
        assert.equal(notes.status, 200);
        assert.equal(notes.json.items[0]?.text, want.therapist.note, 'the private note decrypts');
      }
      if (want.article) {
        const a = await srv.api('GET', `/api/v1/articles/${want.article.slug}`);
        assert.equal(a.status, 200, `article: ${a.text}`);
        assert.equal(a.json.title, want.article.title);
      }
      const w = await srv.api('POST', '/api/v1/checkins', { token: tokens.bob, body: { mood: 3, connection: 5, secure: 5, need: 'after the upgrade', visibility: 'partner' } });
      assert.equal(w.status, 201, `a new write: ${w.text}`);
      const r = await srv.api('GET', `/api/v1/checkins/${w.json.id}`, { token: tokens.alice });
      assert.equal(r.json.need, 'after the upgrade');
      await srv.stop();
      srv = null;
      const again = runCli(['--data', dir, 'check']);
      assert.equal(again.status, 0, `check after use: ${again.stderr}`);
      t.diagnostic(`${level} (written by ${want.commit}) upgraded`);
    } finally {
      if (srv) await srv.stop().catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

// The "compact" step (SQLite's migration 33: domain/upgrade.c) on its own, as a database that needed
// no sealing meets it: free pages in the file, the step pending; the next start compacts and forgets it.
test('a pending compact step gives the file its free pages back at the next start, once', { timeout: TEST_TIMEOUT, skip: SQLITE_ONLY }, () => {
  const dir = tempDir('hearth-e2e-upgrade-compact-');
  try {
    assert.equal(runCli(['--data', dir, 'migrate']).status, 0);
    const db = { file: path.join(dir, 'hearth.db') };
    sqlAt(null, 'CREATE TABLE filler AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)'
      + ' SELECT i, randomblob(2000) AS b FROM n; DROP TABLE filler;'
      + " INSERT INTO upgrade_steps (step) VALUES ('compact'); PRAGMA wal_checkpoint(TRUNCATE);", db);
    assert.ok(Number(sqlAt(null, 'PRAGMA freelist_count', db)) > 500, 'free pages before');
    const before = fs.statSync(db.file).size;
    const mig = runCli(['--data', dir, 'migrate']);
    assert.equal(mig.status, 0, `migrate: ${mig.stderr}`);
    assert.equal(sqlAt(null, 'PRAGMA freelist_count', db), '0', 'no free page after');
    assert.equal(sqlAt(null, 'SELECT count(*) FROM upgrade_steps', db), '0', 'the step is forgotten');
    assert.ok(fs.statSync(db.file).size < before / 2, `the file shrank: ${before} -> ${fs.statSync(db.file).size}`);
    assert.equal(runCli(['--data', dir, 'check']).status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
