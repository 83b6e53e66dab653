// Starts and stops a throw-away hearth server for the browser tests.
// Everything stays on loopback: the server listens on 127.0.0.1, and the
// quick-exit target is a tiny neutral page served by this helper on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../e2e/lib/test-env.mjs';
import { freePort } from '../../e2e/lib/port.mjs';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function hearthBin() {
  const bin = process.env.HEARTH_BIN || 'build/hearth';
  return path.resolve(repoRoot, bin);
}

export { freePort };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A neutral page on loopback that stands in for the quick-exit target.
async function startNeutralPage() {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><html lang="en"><head><title>Weather</title></head>'
      + '<body><main><h1>Weather today</h1><p>Mild and dry.</p></main></body></html>');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { server, url: `http://127.0.0.1:${port}/weather` };
}

/**
 * Start `hearth --data TMPDIR serve --listen 127.0.0.1:PORT`, wait until
 * GET /healthz answers 200. `env` adds to the server's environment.
 * Returns { baseURL, quickExitURL, stop(), log() }.
 */
export async function startServer({ timeoutMs = 30000, env = {} } = {}) {
  const bin = hearthBin();
  if (!existsSync(bin)) {
    throw new Error(`hearth binary not found at ${bin} (build it first or set HEARTH_BIN)`);
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hearth-browser-data-'));
  const neutral = await startNeutralPage();
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  let output = '';
  const keep = (chunk) => {
    output += chunk.toString();
    if (output.length > 65536) output = output.slice(-65536);
  };
  const child = spawn(bin, ['--data', dataDir, 'serve', '--listen', `127.0.0.1:${port}`], {
    cwd: dataDir,
    env: childEnv({ HEARTH_QUICK_EXIT_URL: neutral.url, ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exitPromise = new Promise((resolve) => {
    child.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
  });

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => { if (!exited) child.kill('SIGKILL'); }, 10000);
      await exitPromise;
      clearTimeout(t);
    }
    await new Promise((resolve) => neutral.server.close(resolve));
    await rm(dataDir, { recursive: true, force: true });
  }

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`hearth exited early (${JSON.stringify(exited)}):\n${output}`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`hearth did not answer /healthz with 200 in time:\n${output}`);
    }
    await sleep(100);
  }
  return { baseURL, quickExitURL: neutral.url, dataDir, stop, log: () => output };
}

/**
 * Add an account with the CLI against a running server's data directory:
 * `hearth --data DIR user add NAME --role ROLE --display-name X`, password on stdin.
 */
export function addUser(server, { username, role, displayName, password }) {
  return new Promise((resolve, reject) => {
    const args = ['--data', server.dataDir, 'user', 'add', username, '--role', role];
    if (displayName) args.push('--display-name', displayName);
    const child = spawn(hearthBin(), args, { cwd: server.dataDir, env: childEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out)
      : reject(new Error(`hearth user add ${username} exited ${code}:\n${out}`))));
    child.stdin.end(`${password}\n`);
  });
}
