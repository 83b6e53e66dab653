// The private safety check before a repair: answering "yes" shows resources to that
// person alone; the partner sees nothing of it anywhere. /safety is public.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, makeCouple, html } from './lib/hearth.mjs';

const SAFE_TITLE = 'You deserve to be safe';
// Words that would give the check away on the partner's pages.
const TELLTALE = /afraid|pressured|deserve to be safe|safety check|where to find help|helpline/i;

describe('safety check and the safety page', () => {
  let server; let browser; let base; let quickExit;
  let ctxA; let ctxB; let ctxAnon; let pageA; let pageB; let anon;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    quickExit = server.quickExitURL;
    browser = await launchBrowser();
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser);
    ctxAnon = await newContext(browser, { bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    anon = await ctxAnon.newPage();
    await makeCouple(pageA, pageB, base, 'sf');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** The safety page content that every variant shows. */
  async function assertSafetyPage(page, label) {
    assert.equal(await page.title(), `${SAFE_TITLE} · hearth`, `${label}: page title`);
    assert.equal((await page.locator('h1').textContent()).trim(), SAFE_TITLE, `${label}: h1`);
    const help = page.locator('main section', { has: page.getByRole('heading', { name: 'Where to find help' }) });
    assert.equal(await help.count(), 1, `${label}: a "Where to find help" section`);
    assert.ok(await help.locator('li').count() >= 1, `${label}: at least one resource is listed`);
    const main = await page.locator('main').innerText();
    assert.match(main, /emergency/i, `${label}: the emergency resource`);
    assert.match(main, /don.t do this exercise together right now/i, `${label}: the advice not to do this together now`);
    const exit = page.getByRole('link', { name: 'Quick exit', exact: true });
    assert.equal(await exit.count(), 1, `${label}: the quick exit link`);
    assert.equal(await exit.getAttribute('href'), quickExit, `${label}: quick exit href`);
    assert.match(main, /Quick exit/, `${label}: the page explains the quick exit`);
  }

  it('"I feel afraid of my partner" → the safety page, with how to leave the space', async () => {
    await gotoOk(pageA, base, '/repairs/new');
    await pageA.getByLabel('I feel afraid of my partner').check();
    const r = await submit(pageA, 'Continue');
    assert.equal(r.status, 200, `after "Continue": status ${r.status}`);
    await assertSafetyPage(pageA, 'after the check (afraid)');
    assert.match(await pageA.locator('main').innerText(), /your partner will not see it/i,
      'it says the answer is private');
    const leave = pageA.locator('main').locator('a[href="/space"]');
    assert.equal(await leave.count(), 1, 'a link to /space in the page body, to leave the space');
    assert.match(await pageA.locator('main').innerText(), /Leave this space/, 'it names the "Leave this space" button');
    assert.notEqual(pathOf(pageA), '/repairs/new', 'no title form follows the yes answer');
    assert.equal(await pageA.getByLabel('What happened, in a few words').count(), 0, 'no repair form on the page');
    await assertNoAxeViolations(pageA, 'safety page after the check');
  });

  it('"I feel pressured to do this" leads to the same page', async () => {
    await gotoOk(pageA, base, '/repairs/new');
    await pageA.getByLabel('I feel pressured to do this').check();
    await submit(pageA, 'Continue');
    await assertSafetyPage(pageA, 'after the check (pressured)');
  });

  it('the partner sees nothing of it anywhere', async () => {
    for (const p of ['/dashboard', '/repairs', '/prompts', '/prompts/history', '/space', '/checkins?author=all']) {
      await gotoOk(pageB, base, p);
      const text = await pageB.locator('main').innerText();
      assert.doesNotMatch(text, TELLTALE, `B's ${p} must not mention A's safety check`);
      const h = await html(pageB);
      assert.ok(!/deserve to be safe|afraid|pressured/i.test(h), `B's ${p} HTML must not mention it`);
    }
    await gotoOk(pageB, base, '/repairs');
    assert.equal(await pageB.locator('main article').count(), 0, 'no repair appears for B');
    // A's own list does not show a repair either: the yes path opens none.
    await gotoOk(pageA, base, '/repairs');
    assert.equal(await pageA.locator('main article').count(), 0, 'no repair was opened');
  });

  it('/safety works without signing in', async () => {
    const resp = await anon.goto(`${base}/safety`);
    assert.equal(resp.status(), 200);
    assert.equal(pathOf(anon), '/safety', 'no redirect to the log-in page');
    await assertSafetyPage(anon, '/safety signed out');
    assert.equal(await anon.locator('main a[href="/space"]').count(), 0, 'nothing about a space when signed out');
    assert.equal(await anon.getByRole('button', { name: 'Log out' }).count(), 0);
    await assertNoAxeViolations(anon, '/safety signed out');
    const sw = await anon.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(sw <= 360, `/safety at 360 px: scrollWidth ${sw} > 360`);
  });

  it('/safety signed in and in a space shows how to leave the space', async () => {
    await gotoOk(pageA, base, '/safety');
    await assertSafetyPage(pageA, '/safety signed in');
    assert.equal(await pageA.locator('main a[href="/space"]').count(), 1, 'link to /space');
    await assertNoAxeViolations(pageA, '/safety signed in');
  });
});
