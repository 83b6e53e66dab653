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
// Every HTML page a context of this file loads is kept. When the test file ends, they are
// either validated at once by one run of vnu (npm vnu-jar, with Java), any error failing the
// file; or, when HEARTH_VNU_DIR names a directory (`make test-browser`), written there for
// tests/browser/vnu.mjs to validate the pages of every file in one run: a Java start and its
// warm-up once per suite instead of once per file (about 100 s of CPU on 40 files).
import { after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runVnu, formatVnuErrors } from './vnu.mjs';

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

/** Writes the kept pages into DIR/NAME-i.html and their URLs into DIR/NAME.json; returns {file: url}. */
function writePages(dir, name) {
  const urls = {};
  let i = 0;
  for (const { url, html } of visited.values()) {
    const file = `${name}-${i += 1}.html`;
    writeFileSync(path.join(dir, file), html);
    urls[file] = url;
  }
  writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ urls }));
  return urls;
}

after(async () => {
  await Promise.all([...pending]);
  if (visited.size === 0) return;
  // The test file's name (process.argv[1] under `node --test`), so a page is traced to its file.
  const name = path.basename(process.argv[1] || 'pages', '.mjs').replace(/[^A-Za-z0-9_.-]/g, '_');
  if (process.env.HEARTH_VNU_DIR) {
    mkdirSync(process.env.HEARTH_VNU_DIR, { recursive: true });
    writePages(process.env.HEARTH_VNU_DIR, name);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hearth-vnu-'));
  try {
    const urls = writePages(dir, name);
    const errors = await runVnu(Object.keys(urls).map((f) => path.join(dir, f)));
    assert.equal(errors.length, 0, `the Nu HTML Checker found ${errors.length} error(s) in ${visited.size} page(s):\n`
      + formatVnuErrors(errors, (file) => urls[path.basename(file)]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
