// Launches Debian's chromium-headless-shell (or chromium) through playwright-core
// (no browser download) and makes contexts that can only reach loopback addresses.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Debian's chromium-headless-shell, Chromium's old headless mode without the desktop browser around
// it: the same Blink, but it starts in half the time and loads a page in about two thirds (the browser
// suite: 192 -> 116 s for six files). The full browser when the shell is not there.
const SHELL = '/usr/bin/chromium-headless-shell';
const BROWSER = process.env.HEARTH_CHROMIUM || (existsSync(SHELL) ? SHELL : '/usr/bin/chromium');

export function launchBrowser() {
  return chromium.launch({
    executablePath: BROWSER,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

function isLoopback(urlString) {
  let u;
  try { u = new URL(urlString); } catch { return false; }
  if (u.protocol === 'data:' || u.protocol === 'about:' || u.protocol === 'blob:') return true;
  const h = u.hostname;
  return h === 'localhost' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** A new context whose requests to anything but loopback are aborted. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  await context.route('**/*', (route) => {
    if (isLoopback(route.request().url())) return route.continue();
    return route.abort('blockedbyclient');
  });
  watchPages(context);
  return context;
}

// ---- the Nu HTML Checker (issue 12) ----
// Every HTML page a context of this file loads is kept; when the test file ends, one run of
// vnu (npm vnu-jar, with Java) validates them all at once, and any error fails the file.
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const visited = new Map(); // content hash -> { url, html }
const pending = new Set();
const VISITED_MAX = 400;

function keepPage(response) {
  const req = response.request();
  if (req.resourceType() !== 'document' || response.status() >= 300 && response.status() < 400) return;
  if (!/^text\/html/.test(response.headers()['content-type'] || '')) return;
  const p = response.text().then((html) => {
    const key = createHash('sha256').update(html).digest('hex');
    if (!visited.has(key) && visited.size < VISITED_MAX) visited.set(key, { url: response.url(), html });
  }).catch(() => {}).finally(() => pending.delete(p));
  pending.add(p);
}

export function watchPages(context) {
  context.on('response', keepPage);
}

after(async () => {
  await Promise.all([...pending]);
  if (visited.size === 0) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-vnu-'));
  const files = new Map();
  let i = 0;
  for (const { url, html } of visited.values()) {
    const f = path.join(dir, `page-${i += 1}.html`);
    writeFileSync(f, html);
    files.set(`file:${f}`, url);
  }
  const jar = createRequire(import.meta.url)('vnu-jar').toString();
  const output = await new Promise((resolve) => {
    // A short-lived JVM: the quick compiler only and the serial collector halve its CPU (2.4 -> 1.1 s
    // for 48 pages), once per test file.
    execFile('java', ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', jar, '--errors-only', '--format', 'json', ...[...files.keys()].map((u) => u.slice(5))],
      { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => resolve(stderr || stdout));
  });
  rmSync(dir, { recursive: true, force: true });
  let messages;
  try { messages = JSON.parse(output).messages; } catch { assert.fail(`vnu gave no JSON: ${output.slice(0, 500)}`); }
  const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  const lines = errors.map((m) => `  ${files.get(m.url) || m.url}:${m.lastLine}: ${m.message} [${(m.extract || '').replace(/\s+/g, ' ').slice(0, 120)}]`);
  assert.equal(errors.length, 0, `the Nu HTML Checker found ${errors.length} error(s) in ${visited.size} page(s):\n${lines.join('\n')}`);
});
