// Every page has a "Quick exit" link at the very top, to HEARTH_QUICK_EXIT_URL;
// every signed-in page has "Log out" in its header; every POST form carries csrf.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import {
  signup, uniqueUsername, createSpace, writeCheckin, ownCheckinId, marker, submit,
} from './lib/hearth.mjs';

describe('quick exit on every page', () => {
  let server; let browser; let base; let anon; let page; let ctxAnon; let ctx;
  let id;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctxAnon = await newContext(browser);
    ctx = await newContext(browser);
    anon = await ctxAnon.newPage();
    page = await ctx.newPage();
    await signup(page, base, { username: uniqueUsername('qx'), displayName: 'Quinn Exit' });
    const mk = marker('qx');
    await writeCheckin(page, base, { appreciation: mk, visibility: 'private' });
    id = await ownCheckinId(page, base, mk);
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function assertQuickExit(p, label) {
    const link = p.getByRole('link', { name: 'Quick exit', exact: true });
    assert.equal(await link.count(), 1, `${label}: exactly one "Quick exit" link`);
    assert.equal(await link.getAttribute('href'), server.quickExitURL, `${label}: Quick exit href`);
    assert.ok(await link.isVisible(), `${label}: Quick exit link is visible`);
    const beforeMain = await p.evaluate(() => {
      const a = document.querySelector('a.quick-exit');
      const main = document.querySelector('main') || document.querySelector('h1');
      if (!a) return 'no a.quick-exit';
      if (!main) return 'no main element';
      return (a.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING) ? 'ok' : 'after main';
    });
    assert.equal(beforeMain, 'ok', `${label}: a.quick-exit comes before the main content`);
  }

  async function assertCsrf(p, label) {
    const forms = await p.locator('form').evaluateAll((fs) => fs.map((f) => ({
      method: (f.getAttribute('method') || 'get').toLowerCase(),
      action: f.getAttribute('action') || '',
      csrf: f.querySelector('input[type="hidden"][name="csrf"]')?.value || '',
    })));
    for (const f of forms.filter((x) => x.method === 'post')) {
      assert.ok(f.csrf.length > 0, `${label}: POST form to "${f.action}" has a non-empty hidden csrf field`);
    }
  }

  const anonPages = ['/', '/signup', '/login', '/safety', '/articles', '/articles?q=nothing'];
  for (const path of anonPages) {
    it(`${path} (signed out)`, async () => {
      await anon.goto(base + path);
      await assertQuickExit(anon, path);
      await assertCsrf(anon, path);
    });
  }

  const signedIn = () => ['/dashboard', '/checkins/new', '/checkins', '/checkins?author=all',
    `/checkins/${id}/edit`, `/checkins/${id}/delete`, '/space', '/account',
    '/repairs', '/repairs/new', '/repairs/new?ready=1', '/safety', '/prompts', '/prompts/history',
    '/agreements', '/questionnaires', '/questionnaires/security-check', '/trends', '/timeline', '/account/export',
    '/account/delete', '/articles'];
  it('signed-in pages: dashboard, check-in form, history, edit, delete, space, account', async () => {
    for (const path of signedIn()) {
      const resp = await page.goto(base + path);
      assert.equal(resp.status(), 200, `${path} status`);
      await assertQuickExit(page, path);
      await assertCsrf(page, path);
      const logoutInHeader = page.locator('header').getByRole('button', { name: 'Log out', exact: true });
      assert.ok(await logoutInHeader.count() >= 1, `${path}: a "Log out" button in the header`);
    }
  });

  it('space page in a space', async () => {
    await createSpace(page, base);
    await page.goto(`${base}/space`);
    await assertQuickExit(page, '/space (in a space)');
    await assertCsrf(page, '/space (in a space)');
  });

  it('a form shown with errors', async () => {
    await page.goto(`${base}/checkins/new`);
    await submit(page, 'Save check-in', { novalidate: true });
    await assertQuickExit(page, '/checkins/new with errors');
  });

  it('the not-found page', async () => {
    const resp = await page.goto(`${base}/no/such/page`);
    assert.equal(resp.status(), 404, 'unknown URL answers 404');
    await assertQuickExit(page, 'not-found page');
  });

  it('following the link leaves for the neutral page', async () => {
    await page.goto(`${base}/dashboard`);
    await Promise.all([
      page.waitForURL(server.quickExitURL),
      page.getByRole('link', { name: 'Quick exit', exact: true }).click(),
    ]);
    assert.equal(page.url(), server.quickExitURL);
  });
});
