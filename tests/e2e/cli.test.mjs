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
