// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Conversation decks and the installable app (issue 15): the deck pages (axe, the Nu HTML
// Checker, 360 px, screenshots light and dark) and "Ask this tomorrow" in a context that lets
// axe run (bypassCSP); then, with the real CSP (a context without bypassCSP, so the CSP must
// allow the worker), the service worker registers, and after a member signed in and visited
// private pages, Cache Storage holds nothing private: no /dashboard, no /api/, no page with the
// member's words, name or form token, no signed-in layout. Offline, a private page falls back to
// /offline and a deck page comes from the kept public copy. The Quick exit still leaves with
// location.replace while the worker controls the page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, screenshotSizes, assertNoHorizontalScroll } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  gotoOk, submit, pathOf, marker, signup, createSpace, writeCheckin, uniqueUsername,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

/** Every cache's URLs and, for text responses, their bodies. */
async function cacheContents(page) {
  return page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const req of await cache.keys()) {
        const res = await cache.match(req);
        const type = res.headers.get('content-type') || '';
        const body = /^(text\/|application\/(json|manifest))/.test(type) ? await res.text() : '';
        out.push({ cache: name, url: req.url, type, body });
      }
    }
    return out;
  });
}

/** Waits until the page is controlled by the active worker and its cache is filled. */
async function workerReady(page) {
  return page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    const keys = await caches.keys();
    return { scope: reg.scope, script: reg.active && reg.active.scriptURL, caches: keys };
  });
}

describe('conversation decks and the installable app', () => {
  let server; let browser; let base; let shots; let ctx; let page; let mobile; let sw;
  let who; let words; let question;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    page = await (await newContext(browser, { bypassCSP: true })).newPage();
    mobile = await (await newContext(browser, { bypassCSP: true, ...MOBILE })).newPage();
    ctx = await newContext(browser); // the real CSP: the worker must be allowed by it
    sw = await ctx.newPage();
  });
  after(() => closeSuite({ server, browser }));

  it('a visitor browses the decks: themes as cards, one question per card, no forms', async () => {
    await gotoOk(page, base, '/decks');
    assert.ok(await page.locator('li.deck-theme').count() >= 8, 'eight themes or more');
    await assertNoAxeViolations(page, '/decks');
    await screenshotSizes(page, shots, 'decks');
    await page.getByRole('link', { name: 'Money', exact: true }).click();
    assert.equal(pathOf(page), '/decks/money');
    assert.ok(await page.locator('li.deck-question').count() >= 40, 'the deck\'s questions');
    assert.equal(await page.locator('form[action="/prompts/tomorrow"]').count(), 0, 'no "Ask this tomorrow" for a visitor');
    await assertNoAxeViolations(page, '/decks/money');
    await gotoOk(mobile, base, '/decks/tender');
    await assertNoHorizontalScroll(mobile, '/decks/tender (360 px)');
    await screenshotSizes(page, shots, 'deck-money');
    await gotoOk(page, base, '/offline');
    await assertNoAxeViolations(page, '/offline');
    await screenshotSizes(page, shots, 'offline');
  });

  it('a member asks a deck question for tomorrow: the question is marked, the notice says so', async () => {
    await signup(page, base, { username: uniqueUsername('dka'), displayName: 'Ash Asker' });
    await createSpace(page, base);
    await gotoOk(page, base, '/prompts');
    await page.getByRole('link', { name: 'More questions to talk about' }).click();
    assert.equal(pathOf(page), '/decks');
    await gotoOk(page, base, '/decks/rituals');
    const card = page.locator('li.deck-question').nth(3);
    question = (await card.locator('.deck-text').textContent()).trim();
    const r = await submit(page, 'Ask this tomorrow', { scope: card });
    assert.equal(r.postStatus, 303);
    assert.equal(pathOf(page), '/decks/rituals');
    assert.ok((await page.locator('p.notice[role="status"]').textContent()).includes(question), 'the notice names the question');
    assert.equal(await card.getByText("Tomorrow's question", { exact: true }).count(), 1, 'the chosen question is marked');
    await assertNoAxeViolations(page, '/decks/rituals (signed in, one chosen)');
    await screenshotSizes(page, shots, 'deck-rituals-signed-in', { load: () => page.goto(`${base}/decks/rituals?asked=1`) });
  });

  it('the service worker registers under the real CSP and keeps the public shell', async () => {
    await gotoOk(sw, base, '/');
    const ready = await workerReady(sw);
    assert.equal(ready.scope, `${base}/`);
    assert.equal(ready.script, `${base}/sw.js`);
    assert.equal(ready.caches.length, 1, `one cache: ${ready.caches}`);
    const kept = (await cacheContents(sw)).map((e) => new URL(e.url).pathname);
    for (const want of ['/offline', '/safety', '/decks', '/decks/money', '/static/style.css', '/static/icon-192.png']) {
      assert.ok(kept.includes(want), `the cache keeps ${want}: ${kept.join(', ')}`);
    }
  });

  it('a member signs in, writes and visits private pages; the cache holds nothing private', async () => {
    who = { username: uniqueUsername('dk'), displayName: 'Rowan Deckhand' };
    await signup(sw, base, who);
    await createSpace(sw, base);
    words = marker('deckwords');
    await writeCheckin(sw, base, { appreciation: `Our walk by the river ${words}`, visibility: 'private' });
    await gotoOk(sw, base, '/prompts');
    await sw.getByLabel('Your answer', { exact: true }).fill(`A quiet morning ${words}`);
    await submit(sw, 'Share my answer');
    await gotoOk(sw, base, '/decks/rituals');
    await submit(sw, 'Ask this tomorrow', { scope: sw.locator('li.deck-question').nth(5) });
    assert.equal(await sw.getByText("Tomorrow's question", { exact: true }).count(), 1);
    const csrf = await sw.locator('input[name="csrf"]').first().inputValue();
    for (const p of ['/dashboard', '/checkins', '/prompts', '/prompts/history', '/account', '/space', '/safety', '/decks']) {
      await gotoOk(sw, base, p);
    }
    assert.ok(await sw.evaluate(() => !!navigator.serviceWorker.controller), 'the worker controls the pages');
    await sw.evaluate(() => fetch('/api/v1/home').then((res) => res.text()));

    const entries = await cacheContents(sw);
    assert.ok(entries.length > 0, 'the cache is not empty');
    for (const e of entries) {
      const path = new URL(e.url).pathname;
      assert.ok(!path.startsWith('/api/'), `no API answer is kept: ${e.url}`);
      assert.ok(path !== '/dashboard', 'the dashboard is not kept');
      assert.ok(/^\/(static\/|offline$|safety$|decks($|\/[a-z-]+$))/.test(path), `only public content is kept: ${e.url}`);
      for (const secret of [words, who.username, who.displayName, csrf]) {
        assert.ok(!e.body.includes(secret), `${e.url} holds "${secret}"`);
      }
      assert.ok(!e.body.includes('Log out'), `${e.url} is a signed-in page`);
      assert.ok(!e.body.includes("Tomorrow's question"), `${e.url} holds the couple's choice`);
    }
  });

  it('offline: a private page falls back to /offline; the decks and the safety page still open', async () => {
    await ctx.setOffline(true);
    try {
      await sw.goto(`${base}/dashboard`);
      assert.equal(await sw.locator('h1').textContent(), "You're offline");
      await sw.goto(`${base}/decks/rituals`);
      assert.equal((await sw.locator('h1').textContent()).trim(), 'Rituals of connection');
      assert.equal(await sw.locator('form[action="/prompts/tomorrow"]').count(), 0, 'the kept copy is the public one');
      await sw.goto(`${base}/safety`);
      assert.equal(await sw.locator('h1').textContent(), 'You deserve to be safe');
    } finally {
      await ctx.setOffline(false);
    }
  });

  it('the Quick exit still leaves at once while the worker controls the page', async () => {
    await gotoOk(sw, base, '/decks');
    assert.ok(await sw.evaluate(() => !!navigator.serviceWorker.controller), 'the page is controlled');
    const length = await sw.evaluate(() => history.length);
    await Promise.all([
      sw.waitForURL(server.quickExitURL),
      sw.getByRole('link', { name: 'Quick exit', exact: true }).click(),
    ]);
    assert.equal(sw.url(), server.quickExitURL);
    assert.equal(await sw.evaluate(() => history.length), length, 'the page was replaced, not added to');
  });
});
