// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The command line: --version, help, bad arguments (exit 2, one line on
// stderr), runtime failures (exit 1), migrate and check on a fresh directory
// (API.md: "Command line").

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { runCli, tempDir, freePort, sleep, HEARTH_BIN, TEST_TIMEOUT } from './lib/server.mjs';

const dirs = [];
const fresh = () => { const d = tempDir(); dirs.push(d); return d; };
after(() => { for (const d of dirs) fs.rmSync(d, { recursive: true, force: true }); });

function assertUsageError(r, what) {
  assert.equal(r.signal, null, `${what}: killed by ${r.signal} (did it start serving?)`);
  assert.equal(r.status, 2, `${what}: exit ${r.status}; stderr: ${r.stderr}`);
  const text = r.stderr.replace(/\n$/, '');
  assert.ok(text.trim().length > 0, `${what}: stderr is empty`);
  assert.equal(text.split('\n').length, 1, `${what}: stderr is not one line: ${JSON.stringify(r.stderr)}`);
}

test('hearth --version → exit 0 and a version on stdout', { timeout: TEST_TIMEOUT }, () => {
  const r = runCli(['--version']);
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
  assert.ok(r.stdout.trim().length > 0, 'prints something');
  assert.match(r.stdout, /\d/, 'contains a version number');
});

test('hearth help → exit 0 and lists the subcommands', { timeout: TEST_TIMEOUT }, () => {
  const r = runCli(['help']);
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
  for (const cmd of ['serve', 'user', 'migrate', 'backup', 'check']) {
    assert.match(r.stdout + r.stderr, new RegExp(`\\b${cmd}\\b`), `help mentions ${cmd}`);
  }
});

test('an unknown subcommand → exit 2 with one line on stderr', { timeout: TEST_TIMEOUT }, () => {
  assertUsageError(runCli(['--data', fresh(), 'frobnicate']), 'frobnicate');
  assertUsageError(runCli(['--data', fresh(), 'Serve']), 'Serve');
});

test('bad arguments → exit 2 with one line on stderr', { timeout: TEST_TIMEOUT }, () => {
  const d = fresh();
  const cases = [
    ['--no-such-option', 'check'],
    ['--data'],
    ['--data', d, 'serve', '--no-such-flag'],
    ['--data', d, 'serve', '--listen'],
    ['--data', d, 'user', 'add'],
    ['--data', d, 'user', 'add', 'someone', '--role'],
    ['--data', d, 'user', 'frob'],
    ['--data', d, 'backup'],
    ['--data', d, 'check', 'extra-argument'],
    ['--data', d, 'seed', '--spaces', 'many', '--days', '3'],
  ];
  for (const args of cases) {
    assertUsageError(runCli(args, { input: 'a-long-enough-password\n', timeout: 20000 }), args.join(' '));
  }
});

test('no subcommand → exit 2 with one line on stderr', { timeout: TEST_TIMEOUT }, () => {
  assertUsageError(runCli(['--data', fresh()]), '(none)');
});

test('a runtime failure (listen address in use) → exit 1', { timeout: TEST_TIMEOUT }, async () => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  try {
    const { port } = blocker.address();
    const r = runCli(['--data', fresh(), 'serve', '--listen', `127.0.0.1:${port}`], { timeout: 30000 });
    assert.equal(r.signal, null, 'serve must not keep running when it cannot listen');
    assert.equal(r.status, 1, `exit ${r.status}; stderr: ${r.stderr}`);
    assert.ok(r.stderr.trim().length > 0, 'says why');
  } finally {
    blocker.close();
  }
});

test('migrate then check on a fresh data directory → exit 0; the database is SQLite', { timeout: TEST_TIMEOUT }, () => {
  const d = fresh();
  let r = runCli(['--data', d, 'migrate']);
  assert.equal(r.status, 0, `migrate: exit ${r.status}; stderr: ${r.stderr}`);
  r = runCli(['--data', d, 'migrate']);
  assert.equal(r.status, 0, `migrate is idempotent: exit ${r.status}; stderr: ${r.stderr}`);
  r = runCli(['--data', d, 'check']);
  assert.equal(r.status, 0, `check: exit ${r.status}; stderr: ${r.stderr}`);
});

// Long commands show progress on stderr: redrawn in place on a terminal, and
// when stderr is not one (here: a pipe) one summary line at the end, with no
// carriage returns or terminal escapes (src/util/progress.h).
const SUMMARY = (label) => new RegExp(`^${label}: (\\d+)/(\\d+) in \\d+\\.\\d\\d s \\(\\d+(\\.\\d)?/s\\)$`);
test('seed and rotate-key with stderr not a terminal: one progress summary line each, done/total, time and rate', { timeout: TEST_TIMEOUT }, () => {
  const d = fresh();
  // Migrated first: a migration taking a second or more says so on stderr
  // (db.c, MIGRATE_LONG_MS), as it may on a busy machine; the seed's own line
  // is what this test counts.
  let r = runCli(['--data', d, 'migrate']);
  assert.equal(r.status, 0, `migrate: exit ${r.status}; stderr: ${r.stderr}`);
  r = runCli(['--data', d, 'seed', '--spaces', '3', '--days', '2']);
  assert.equal(r.status, 0, `seed: exit ${r.status}; stderr: ${r.stderr}`);
  assert.match(r.stdout, /^seeded 3 spaces \(6 accounts\), 12 check-ins over 2 days/, 'the seed still reports on stdout');
  assert.ok(!/[\r\x1b]/.test(r.stderr), `no carriage return or escape when stderr is not a terminal: ${JSON.stringify(r.stderr)}`);
  let lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `seed: one line on stderr: ${JSON.stringify(r.stderr)}`);
  let m = SUMMARY('seed: check-ins').exec(lines[0]);
  assert.ok(m, `seed: the summary line: ${JSON.stringify(lines[0])}`);
  assert.deepEqual([m[1], m[2]], ['12', '12'], 'seed: 12 of 12 check-ins');

  r = runCli(['--data', d, 'rotate-key']);
  assert.equal(r.status, 0, `rotate-key: exit ${r.status}; stderr: ${r.stderr}`);
  assert.ok(!/[\r\x1b]/.test(r.stderr), `no carriage return or escape when stderr is not a terminal: ${JSON.stringify(r.stderr)}`);
  lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `rotate-key: one line on stderr: ${JSON.stringify(r.stderr)}`);
  m = SUMMARY('rotate-key: data keys').exec(lines[0]);
  assert.ok(m, `rotate-key: the summary line: ${JSON.stringify(lines[0])}`);
  assert.ok(Number(m[2]) >= 3 && m[1] === m[2], `rotate-key: all of the data keys (one a space at least): ${lines[0]}`);
  assert.equal(runCli(['--data', d, 'check']).status, 0);
});

test('restore with stderr not a terminal: one progress line for its five steps; a refused one says at which step it stopped', { timeout: TEST_TIMEOUT }, () => {
  const d = fresh();
  assert.equal(runCli(['--data', d, 'seed', '--spaces', '2', '--days', '2']).status, 0, 'seed');
  const copy = `${fresh()}/copy.db`;
  const b = runCli(['--data', d, 'backup', copy]);
  assert.equal(b.status, 0, `backup: ${b.stderr}`);

  // Into a fresh directory with the key file the copy was made under.
  const into = fresh();
  fs.copyFileSync(`${d}/master.key`, `${into}/master.key`);
  fs.chmodSync(`${into}/master.key`, 0o600);
  let r = runCli(['--data', into, 'restore', copy]);
  assert.equal(r.status, 0, `restore: exit ${r.status}; stderr: ${r.stderr}`);
  assert.match(r.stdout, /^restored .*copy\.db \(schema \d+\) into /, 'the result still on stdout');
  assert.ok(!/[\r\x1b]/.test(r.stderr), `no carriage return or escape when stderr is not a terminal: ${JSON.stringify(r.stderr)}`);
  let lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `restore: one line on stderr (a quick migration says nothing): ${JSON.stringify(r.stderr)}`);
  const m = SUMMARY('restore').exec(lines[0]);
  assert.ok(m, `restore: the summary line: ${JSON.stringify(lines[0])}`);
  assert.deepEqual([m[1], m[2]], ['5', '5'], 'copy, check, migrate, keys, swap: all five done');
  assert.equal(runCli(['--data', into, 'check']).status, 0);

  // Without the key file: refused at the keys step, after copy, check and migrate.
  const keyless = fresh();
  r = runCli(['--data', keyless, 'restore', copy]);
  assert.equal(r.status, 1, `restore without the key file: exit ${r.status}; stderr: ${r.stderr}`);
  lines = r.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 2, `the progress line, then the reason: ${JSON.stringify(r.stderr)}`);
  assert.match(lines[0], /^restore: keys: 3\/5 in \d+\.\d\d s /, 'stopped at the keys, three steps done');
  assert.match(lines[1], /^hearth: restore: .*nothing was changed$/);
  assert.ok(!fs.existsSync(`${keyless}/hearth.db`), 'nothing was swapped in');
});

test('HEARTH_DATA selects the data directory', { timeout: TEST_TIMEOUT }, () => {
  const d = fresh();
  const r = runCli(['migrate'], { env: { HEARTH_DATA: d } });
  assert.equal(r.status, 0, `exit ${r.status}; stderr: ${r.stderr}`);
  assert.ok(fs.readdirSync(d).length > 0, 'the database was created under HEARTH_DATA');
});

test('HEARTH_LISTEN and HEARTH_DATA configure `serve`; SIGTERM stops it with exit 0', { timeout: TEST_TIMEOUT }, async () => {
  const d = fresh();
  const port = await freePort();
  const p = spawn(HEARTH_BIN, ['serve'], {
    cwd: d, env: { ...process.env, HEARTH_DATA: d, HEARTH_LISTEN: `127.0.0.1:${port}` }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  p.stdout.on('data', (c) => { log += c; });
  p.stderr.on('data', (c) => { log += c; });
  const exited = new Promise((resolve) => p.on('close', (code, signal) => resolve({ code, signal })));
  try {
    let ok = false;
    for (let i = 0; i < 300 && !ok; i++) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) });
        ok = r.status === 200;
      } catch { /* not yet */ }
      if (!ok) await sleep(100);
    }
    assert.ok(ok, `no answer on HEARTH_LISTEN port; log:\n${log}`);
    assert.ok(fs.readdirSync(d).length > 0, 'the database is under HEARTH_DATA');
  } finally {
    p.kill('SIGTERM');
  }
  assert.deepEqual(await exited, { code: 0, signal: null });
});
