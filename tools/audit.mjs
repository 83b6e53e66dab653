// SPDX-License-Identifier: AGPL-3.0-or-later
//
// make audit: Lighthouse (npm lighthouse, with Debian's chromium) on four pages of a throw-away
// server — the public home page, a couple's home (/dashboard), the check-in form and an article —
// and the four category scores of each (performance, accessibility, best practices, SEO).
// Not part of `make test`: the scores vary from run to run. docs/audit.md records a run.
//
// Everything stays on 127.0.0.1. HEARTH_CHROMIUM picks the browser (default /usr/bin/chromium);
// HEARTH_AUDIT_JSON=DIR also keeps each page's Lighthouse report there as JSON.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
// Lighthouse's own driver (a dependency of lighthouse 12): it sets the session cookie in the browser.
import puppeteer from 'puppeteer-core';
import { startServer, addUser } from '../tests/browser/lib/server.mjs';

const PASSWORD = 'a long enough passphrase 42';
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

async function api(base, method, p, { token, body } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A page session, as a browser gets it from the login form: the hearth_session cookie. */
async function cookieFor(base, username) {
  const form = await fetch(`${base}/login`);
  const pre = (form.headers.getSetCookie().find((c) => c.startsWith('hearth_pre=')) || '').split(';')[0];
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())[1];
  const r = await fetch(`${base}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: pre },
    body: new URLSearchParams({ csrf, username, password: PASSWORD }),
  });
  const session = r.headers.getSetCookie().find((c) => c.startsWith('hearth_session='));
  if (!session) throw new Error(`login of ${username} gave no session (${r.status})`);
  return session.split(';')[0];
}

async function main() {
  const server = await startServer();
  const base = server.baseURL;
  let chrome;
  try {
    // The practice: a therapist with a bio and a tagged article; a couple with a check-in.
    await addUser(server, { username: 'audittherapist', role: 'therapist', displayName: 'Dr Ana Reyes', password: PASSWORD });
    const t = await api(base, 'POST', '/api/v1/sessions', { body: { username: 'audittherapist', password: PASSWORD } });
    await api(base, 'PATCH', '/api/v1/me', { token: t.token, body: { bio: 'Couples therapist. Writes about repair and listening.' } });
    const article = await api(base, 'POST', '/api/v1/articles', {
      token: t.token,
      body: {
        title: 'Repair after a hard day', publish: true, tags: ['repair', 'listening'],
        body_markdown: 'When one of you is hurt, **slow down** first.\n\n# What helps\n\n- Name the feeling.\n- Say what it'
          + ' touched in you.\n\n> Security is the promise to repair.\n\nTry `I felt… when…` and read on.',
      },
    });
    for (const [u, name] of [['auditalex', 'Alex'], ['auditbrook', 'Brook']]) {
      await api(base, 'POST', '/api/v1/accounts', { body: { username: u, password: PASSWORD, display_name: name } });
    }
    const a = await api(base, 'POST', '/api/v1/sessions', { body: { username: 'auditalex', password: PASSWORD } });
    const b = await api(base, 'POST', '/api/v1/sessions', { body: { username: 'auditbrook', password: PASSWORD } });
    await api(base, 'POST', '/api/v1/spaces', { token: a.token });
    const inv = await api(base, 'POST', '/api/v1/spaces/current/invites', { token: a.token });
    await api(base, 'POST', '/api/v1/spaces/join', { token: b.token, body: { code: inv.code } });
    await api(base, 'POST', '/api/v1/checkins', {
      token: a.token, body: { mood: 4, connection: 7, secure: 8, appreciation: 'the walk', visibility: 'partner' },
    });
    const cookie = await cookieFor(base, 'auditalex');

    chrome = await chromeLauncher.launch({
      chromePath: process.env.HEARTH_CHROMIUM || '/usr/bin/chromium',
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const pages = [
      ['public home page', '/', null],
      ["a couple's home", '/dashboard', cookie],
      ['check-in form', '/checkins/new', cookie],
      ['an article', `/articles/${article.slug}`, null],
    ];
    const rows = [];
    const driver = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    const tab = (await driver.pages())[0] || await driver.newPage();
    for (const [label, p, c] of pages) {
      // The browser's cookie jar holds the session (or not); Lighthouse must not clear it.
      const [name, value] = (c || '=').split('=');
      if (c) await tab.setCookie({ name, value, url: base, httpOnly: true, sameSite: 'Lax' });
      else await tab.deleteCookie({ name: 'hearth_session', url: base });
      const r = await lighthouse(base + p, {
        port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES, disableStorageReset: true,
      });
      const lhr = r.lhr;
      if (lhr.runtimeError) throw new Error(`${label}: ${lhr.runtimeError.message}`);
      if (new URL(lhr.finalDisplayedUrl).pathname !== p) throw new Error(`${label}: ended at ${lhr.finalDisplayedUrl}`);
      const scores = CATEGORIES.map((k) => Math.round((lhr.categories[k].score ?? 0) * 100));
      const flagged = Object.values(lhr.audits)
        .filter((x) => x.score !== null && x.score < 0.9 && x.scoreDisplayMode !== 'informative' && x.scoreDisplayMode !== 'notApplicable')
        .map((x) => x.id);
      rows.push({ label, path: p, scores, flagged });
      if (process.env.HEARTH_AUDIT_JSON) {
        await mkdir(process.env.HEARTH_AUDIT_JSON, { recursive: true });
        await writeFile(path.join(process.env.HEARTH_AUDIT_JSON, `${label.replace(/\W+/g, '-')}.json`), r.report);
      }
    }
    console.log(`Lighthouse 12.2.3 on ${new Date().toISOString().slice(0, 10)} (mobile, simulated throttling)`);
    console.log(`${'page'.padEnd(20)} ${CATEGORIES.map((k) => k.padStart(15)).join('')}`);
    for (const r of rows) console.log(`${r.label.padEnd(20)} ${r.scores.map((s) => String(s).padStart(15)).join('')}`);
    for (const r of rows) if (r.flagged.length) console.log(`  ${r.label}: below 90: ${r.flagged.join(', ')}`);
    await driver.disconnect();
  } finally {
    if (chrome) await chrome.kill();
    await server.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
