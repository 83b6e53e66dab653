// The home "waiting for you" (issue 11): every card appearing and going away for both partners and the
// therapist (acted on, or "Not now"); each role's own home; the navigation (five sections, the account
// in a <details> menu, aria-current) and its height at 360 px with the quick exit; the home without
// JavaScript; Quick exit that leaves no way back (and signs out when asked); leaving the space after a
// confirmation. axe-core on every new state; screenshots desktop and 360 px, light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startServer, addUser } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { MOBILE, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  PASSWORD, signup, login, gotoOk, submit, uniqueUsername, createSpace, createInvite, joinSpace, pathOf, therapistCode, linkTherapistCode,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DESKTOP = { viewport: { width: 1280, height: 900 } };

/** The texts of the home's cards, in order. */
const cardTexts = (page) => page.locator('li.home-card .home-card-text').allInnerTexts();
const card = (page, text) => page.locator('li.home-card', { hasText: text });

/** An API call with the page's own session (cookie) and its CSRF token. */
async function api(page, base, method, p, body) {
  const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value');
  const r = await page.request.fetch(base + p, {
    method, headers: { 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
    data: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status(), json: text ? JSON.parse(text) : null, text };
}

describe('the home: waiting for you', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let ctxT; let pageA; let pageB; let ther;
  const A = { username: uniqueUsername('hma'), displayName: 'Alex Partner' };
  const B = { username: uniqueUsername('hmb'), displayName: 'Sam Partner' };
  const T = { username: uniqueUsername('hmt'), displayName: 'Dr Hale' };
  let repairId;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    await addUser(server, { ...T, role: 'therapist', password: PASSWORD });
    // bypassCSP only so that axe-core can be injected; the pages are otherwise unchanged.
    ctxA = await newContext(browser, { ...DESKTOP, bypassCSP: true });
    ctxB = await newContext(browser, { ...MOBILE, bypassCSP: true });
    ctxT = await newContext(browser, { ...DESKTOP, bypassCSP: true });
    [pageA, pageB, ther] = await Promise.all([ctxA, ctxB, ctxT].map((c) => c.newPage()));
  });
  after(() => closeSuite({ server, browser }));

  /** Screenshots of the page at desktop and 360 px, light and dark, each looked at by axe too. */
  async function look(page, name) {
    for (const [size, vp] of [['desktop', DESKTOP.viewport], ['360', MOBILE.viewport]]) {
      for (const scheme of ['light', 'dark']) {
        await page.setViewportSize(vp);
        await page.emulateMedia({ colorScheme: scheme });
        await shoot(page, shots, `home-${name}-${size}-${scheme}.png`);
        await assertNoAxeViolations(page, `${name} (${size}, ${scheme})`);
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
  }
  const restoreSize = async (page, desktop) => page.setViewportSize(desktop ? DESKTOP.viewport : MOBILE.viewport);

  async function headerHeight(page) {
    return page.evaluate(() => {
      const rects = [document.querySelector('header.site-header'), document.querySelector('a.quick-exit')]
        .map((e) => e.getBoundingClientRect());
      return Math.max(...rects.map((r) => r.bottom)) - Math.min(0, ...rects.map((r) => r.top));
    });
  }

  it('a member without a space: a home that invites to start or join; the header at 360 px', async () => {
    await signup(pageB, base, B);
    const cta = pageB.getByRole('link', { name: "Start our space, or join your partner's", exact: true });
    assert.equal(await cta.count(), 1, 'the one next step: start or join');
    assert.equal(await cta.getAttribute('href'), '/space');
    assert.equal(await pageB.getByRole('link', { name: 'Write a check-in', exact: true }).count(), 1);
    // No counts, badges or streaks on the home.
    const main = await pageB.locator('main').innerText();
    assert.ok(!/streak|\b\d+ (new|waiting|unread)\b/i.test(main), `no counts: ${main}`);
    // Navigation: brand, five sections, the account in a menu; Home is the current page.
    const nav = pageB.getByRole('navigation', { name: 'Main' });
    assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['Home', 'Check-in', 'Question', 'Repairs', 'Growth']);
    assert.equal(await nav.getByRole('link', { name: 'Home' }).getAttribute('aria-current'), 'page');
    assert.equal(await pageB.locator('[aria-current="page"]').count(), 1);
    assert.equal(await pageB.locator('header details.account-menu > summary').innerText(), 'Account');
    const h = await headerHeight(pageB);
    assert.ok(h <= 120, `header with the quick exit at 360 px is ${h} px tall`);
    await look(pageB, 'no-space');
    await restoreSize(pageB, false);
  });

  it('Growth links its four pages; each section marks itself current; the account menu opens', async () => {
    await gotoOk(pageB, base, '/growth');
    const nav = pageB.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Growth' }).getAttribute('aria-current'), 'page');
    for (const name of ['Agreements', 'Questionnaires', 'Trends', 'Timeline']) {
      assert.equal(await pageB.locator('main').getByRole('link', { name, exact: true }).count(), 1, `Growth links ${name}`);
    }
    await look(pageB, 'growth');
    await restoreSize(pageB, false);
    for (const [p, section] of [['/agreements', 'Growth'], ['/trends', 'Growth'], ['/checkins', 'Check-in'],
      ['/prompts', 'Question'], ['/repairs', 'Repairs'], ['/dashboard', 'Home']]) {
      await gotoOk(pageB, base, p);
      const current = pageB.locator('header [aria-current="page"]');
      assert.equal(await current.count(), 1, `${p}: one current link`);
      assert.equal(await current.innerText(), section, `${p}: ${section} is current`);
    }
    const menu = pageB.locator('details.account-menu');
    assert.equal(await menu.getByRole('link', { name: 'Our space' }).isVisible(), false, 'closed at first');
    await menu.locator('summary').click();
    await menu.getByRole('link', { name: 'Our space' }).click();
    await pageB.waitForURL(`${base}/space`);
    assert.equal((await pageB.locator('details.account-menu a[aria-current="page"]').textContent()).trim(), 'Our space');
  });

  it('a couple: "partner joined" for the one who was there, acted on; today\'s question for both', async () => {
    await signup(pageA, base, A);
    await createSpace(pageA, base);
    const code = await createInvite(pageA, base);
    await joinSpace(pageB, base, code);
    await gotoOk(pageA, base, '/dashboard');
    assert.equal((await cardTexts(pageA)).length, 2, `two cards: ${await cardTexts(pageA)}`);
    assert.equal(await card(pageA, 'Sam Partner joined your space. You can share what you choose, when you choose.').count(), 1);
    assert.equal(await card(pageA, "Today's question is waiting").count(), 1);
    await gotoOk(pageB, base, '/dashboard');
    assert.deepEqual(await cardTexts(pageB), ["Today's question is waiting for both of you."], 'B joined: B is not told B joined');
    await look(pageA, 'cards');
    await restoreSize(pageA, true);
    // Acting on it (its one button) takes it away.
    await submit(pageA, 'See our space', { scope: card(pageA, 'joined your space') });
    assert.equal(pathOf(pageA), '/space');
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'joined your space').count(), 0, 'acted on: gone');
  });

  it('today\'s question: "Not now", then the partner answered — a new card; answering takes it away', async () => {
    await gotoOk(pageB, base, '/dashboard');
    await submit(pageB, 'Not now', { scope: card(pageB, "Today's question is waiting") });
    assert.equal(pathOf(pageB), '/dashboard');
    assert.equal(await card(pageB, "Today's question").count(), 0, 'set aside');
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, "Today's question is waiting").count(), 1, 'A\'s card is A\'s own');
    await pageA.getByRole('link', { name: "See today's question", exact: true }).click();
    await pageA.waitForURL(`${base}/prompts`);
    await pageA.locator('textarea[name="text"]').fill('a walk by the river');
    await submit(pageA, 'Share my answer');
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, "Today's question").count(), 0, 'answered: gone');
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, "Alex Partner answered today's question. Answer yours to read theirs.").count(), 1);
    assert.ok(!(await pageB.content()).includes('a walk by the river'), 'never the answer itself');
    await pageB.getByRole('link', { name: "Answer today's question", exact: true }).click();
    await pageB.locator('textarea[name="text"]').fill('the morning coffee');
    await submit(pageB, 'Share my answer');
    await submit(pageB, 'A hug');
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, "today's question").count(), 0);
    await gotoOk(pageA, base, '/dashboard');
    const ack = card(pageA, 'Sam Partner sent you a kind word about your answer.');
    assert.equal(await ack.count(), 1, 'A is told of B\'s acknowledgement');
    await submit(pageA, 'See it', { scope: ack });
    assert.equal(pathOf(pageA), '/prompts/history');
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'kind word').count(), 0, 'read: gone');
  });

  it('a repair: opened, your turn, both sides, heard — each card for the right partner, gone when acted on', async () => {
    await gotoOk(pageA, base, '/dashboard');
    const words = (await api(pageA, base, 'GET', '/api/v1/feelings')).json.groups[0].words;
    const r = await api(pageA, base, 'POST', '/api/v1/repairs', { title: 'the holidays talk' });
    assert.equal(r.status, 201, r.text);
    repairId = r.json.id;
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'repair').count(), 0, 'the one who opened it is not told');
    await gotoOk(pageB, base, '/dashboard');
    const opened = card(pageB, 'Alex Partner opened a repair. Your side can wait until you are ready.');
    assert.equal(await opened.count(), 1);
    assert.equal(await opened.getByRole('link', { name: 'Open the repair' }).getAttribute('href'), `/repairs/${repairId}`);
    await assertNoAxeViolations(pageB, 'home with a repair card (360)');
    // A's draft shows nothing new; A shares: B's turn.
    const side = { feelings: [words[0]], perspective: 'p', touched: 't', my_part: 'm', next_time: 'n' };
    assert.equal((await api(pageA, base, 'PUT', `/api/v1/repairs/${repairId}/mine`, side)).status, 200);
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, 'opened a repair').count(), 1, 'a draft changes nothing');
    assert.equal((await api(pageA, base, 'POST', `/api/v1/repairs/${repairId}/mine/submit`)).status, 200);
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, 'opened a repair').count(), 0);
    assert.equal(await card(pageB, 'Alex Partner has written their side of a repair. Your turn, when you are ready.').count(), 1);
    assert.equal((await api(pageB, base, 'PUT', `/api/v1/repairs/${repairId}/mine`, side)).status, 200);
    assert.equal((await api(pageB, base, 'POST', `/api/v1/repairs/${repairId}/mine/submit`)).status, 200);
    for (const p of [pageA, pageB]) {
      await gotoOk(p, base, '/dashboard');
      assert.equal(await card(p, 'Both sides of a repair are open now.').count(), 1);
      assert.equal(await card(p, 'Your turn').count(), 0);
    }
    await pageA.getByRole('link', { name: 'Read both sides', exact: true }).click();
    await pageA.waitForURL(`${base}/repairs/${repairId}`);
    // "I have heard you" (through the API: the repair's own pages are tested in repairs.test.mjs).
    assert.equal((await api(pageA, base, 'POST', `/api/v1/repairs/${repairId}/acknowledge`, {})).status, 200);
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'Both sides').count(), 0, 'heard: gone for A');
    await gotoOk(pageB, base, '/dashboard');
    const heard = card(pageB, 'Alex Partner has heard your side of a repair.');
    assert.equal(await heard.count(), 1);
    await submit(pageB, 'Not now', { scope: card(pageB, 'Both sides') });
    assert.equal(await card(pageB, 'Both sides').count(), 0, 'set aside');
    await submit(pageB, 'See it', { scope: heard });
    assert.equal(pathOf(pageB), `/repairs/${repairId}`);
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, 'has heard your side').count(), 0);
  });

  it('an agreement due for a look back, for both; looking back takes it away', async () => {
    const r = await api(pageA, base, 'POST', '/api/v1/agreements', { text: 'we text when we are late', review_every_days: 7 });
    assert.equal(r.status, 201, r.text);
    const q = spawnSync('sqlite3', ['-batch', '-cmd', '.timeout 10000', path.join(server.dataDir, 'hearth.db'),
      `UPDATE agreements SET next_review_on = '2020-01-01', status = 'active' WHERE id = '${r.json.id}'`], { encoding: 'utf8' });
    assert.equal(q.status, 0, q.stderr);
    for (const p of [pageA, pageB]) {
      await gotoOk(p, base, '/dashboard');
      assert.equal(await card(p, 'Time for a look back at an agreement: “we text when we are late”').count(), 1);
    }
    assert.equal((await api(pageB, base, 'POST', `/api/v1/agreements/${r.json.id}/reviews`, { outcome: 'kept' })).status, 201);
    for (const p of [pageA, pageB]) {
      await gotoOk(p, base, '/dashboard');
      assert.equal(await card(p, 'look back').count(), 0);
    }
  });

  it('the therapist: a practice for a home, no couple navigation; consent asked of the partner who has not decided', async () => {
    await login(ther, base, T);
    assert.equal(await ther.getByRole('heading', { level: 1 }).innerText(), 'Your practice');
    const nav = ther.getByRole('navigation', { name: 'Main' });
    assert.deepEqual(await nav.getByRole('link').allInnerTexts(), ['Home', 'Couples', 'Articles']);
    assert.equal(await ther.getByRole('link', { name: 'Check-in', exact: true }).count(), 0);
    assert.ok((await ther.locator('main').innerText()).includes('No couple has linked you yet.'));
    const code = await therapistCode(ther, base);
    await linkTherapistCode(pageA, base, code);
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'consent').count(), 0, 'A linked: A consents already');
    await gotoOk(pageB, base, '/dashboard');
    const ask = card(pageB, 'Your therapist asks for your consent');
    assert.equal(await ask.count(), 1);
    await ask.getByRole('link', { name: 'Decide about consent' }).click();
    await pageB.waitForURL(`${base}/space`);
    await submit(pageB, 'Give my consent');
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, 'consent').count(), 0, 'decided: gone');
    await gotoOk(ther, base, '/dashboard');
    const text = await ther.locator('main').innerText();
    assert.ok(text.includes('Alex Partner: consents') && text.includes('Sam Partner: consents'), text);
    assert.equal(await ther.locator('header [aria-current="page"]').innerText(), 'Home');
    await look(ther, 'practice');
    await restoreSize(ther, true);
  });

  it('leaving asks first, on a page that says what happens; the partner who stays gets a kind card', async () => {
    await gotoOk(pageB, base, '/space');
    const r = await submit(pageB, 'Leave this space');
    assert.equal(r.status, 200);
    assert.equal(await pageB.getByRole('heading', { level: 1 }).innerText(), 'Leave our space?');
    const text = await pageB.locator('main').innerText();
    assert.ok(text.includes('everything you wrote leaves with you'), text);
    await look(pageB, 'leave-confirm');
    await restoreSize(pageB, false);
    // "Stay" changes nothing.
    await pageB.getByRole('link', { name: 'Stay in the space' }).click();
    await pageB.waitForURL(`${base}/space`);
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'left the space').count(), 0);
    await gotoOk(pageB, base, '/space/leave');
    await submit(pageB, 'Leave the space');
    assert.equal(pathOf(pageB), '/space');
    await gotoOk(pageA, base, '/dashboard');
    const day = new Date().toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
    const left = card(pageA, `Sam Partner left the space on ${day}. Your words stay yours.`);
    assert.equal(await left.count(), 1, `the card: ${await cardTexts(pageA)}`);
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await card(pageB, 'left the space').count(), 0, 'the one who left is not told');
    await look(pageA, 'partner-left');
    await restoreSize(pageA, true);
    await submit(pageA, 'See our space', { scope: left });
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await card(pageA, 'left the space').count(), 0, 'acted on: gone');
  });

  it('when nothing waits: a warm line and one next step, no counts', async () => {
    await gotoOk(pageA, base, '/dashboard');
    for (const t of await cardTexts(pageA)) await submit(pageA, 'Not now', { scope: card(pageA, t) });
    assert.deepEqual(await cardTexts(pageA), []);
    const main = await pageA.locator('main').innerText();
    assert.ok(main.includes('Your space is ready whenever your partner is.'), main);
    assert.equal(await pageA.getByRole('link', { name: 'Invite your partner', exact: true }).count() >= 1, true);
    await look(pageA, 'quiet');
    await restoreSize(pageA, true);
  });

  it('the header stays within 120 px at 360 px for a couple and for the therapist, light and dark', async () => {
    const ctx = await newContext(browser, MOBILE);
    const p = await ctx.newPage();
    await login(p, base, A);
    for (const scheme of ['light', 'dark']) {
      await p.emulateMedia({ colorScheme: scheme });
      for (const u of ['/dashboard', '/checkins/new', '/account']) {
        await gotoOk(p, base, u);
        const h = await headerHeight(p);
        assert.ok(h <= 120, `${u} (${scheme}): the header is ${h} px tall`);
      }
    }
    await ctx.close();
    const ctxT2 = await newContext(browser, MOBILE);
    const t = await ctxT2.newPage();
    await login(t, base, T);
    const h = await headerHeight(t);
    assert.ok(h <= 120, `therapist: ${h} px`);
    await ctxT2.close();
  });
});

describe('without JavaScript, and Quick exit', () => {
  let server; let browser; let base;
  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the home, its "Not now" and the account menu work without JavaScript; the quick exit still leaves', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false, bypassCSP: true });
    const p = await ctx.newPage();
    await signup(p, base, { username: uniqueUsername('hnojs'), displayName: 'Nora NoScript' });
    assert.equal(await card(p, "Today's question is waiting for you.").count(), 1);
    await submit(p, 'Not now', { scope: card(p, "Today's question") });
    assert.equal(pathOf(p), '/dashboard');
    assert.equal(await card(p, "Today's question").count(), 0);
    await p.locator('details.account-menu > summary').click();
    assert.ok(await p.getByRole('link', { name: 'Your account' }).isVisible(), 'the menu opens without JavaScript');
    await Promise.all([p.waitForURL(server.quickExitURL), p.getByRole('link', { name: 'Quick exit', exact: true }).click()]);
    await ctx.close();
  });

  it('Back after Quick exit does not return to hearth', async () => {
    const ctx = await newContext(browser);
    const p = await ctx.newPage();
    await signup(p, base, { username: uniqueUsername('hqx'), displayName: 'Quinn' });
    const fresh = await ctx.newPage(); // a tab that opened hearth directly
    await fresh.goto(`${base}/dashboard`);
    await Promise.all([fresh.waitForURL(server.quickExitURL), fresh.getByRole('link', { name: 'Quick exit', exact: true }).click()]);
    await fresh.goBack().catch(() => null);
    assert.ok(!fresh.url().startsWith(base), `Back after Quick exit showed ${fresh.url()}`);
    await ctx.close();
  });

  it('"Sign me out on Quick exit": the session ends on the way out, so Back finds hearth locked', async () => {
    const ctx = await newContext(browser, { bypassCSP: true });
    const p = await ctx.newPage();
    await signup(p, base, { username: uniqueUsername('hqs'), displayName: 'Quinn' });
    await gotoOk(p, base, '/account');
    await p.getByLabel('Sign me out on Quick exit').check();
    await submit(p, 'Save this setting');
    assert.ok(await p.getByLabel('Sign me out on Quick exit').isChecked());
    await assertNoAxeViolations(p, '/account with the quick-exit setting');
    await gotoOk(p, base, '/checkins');
    await Promise.all([p.waitForURL(server.quickExitURL), p.getByRole('link', { name: 'Quick exit', exact: true }).click()]);
    // The beacon ends the session.
    let me;
    for (let i = 0; i < 50; i++) {
      me = await p.request.get(`${base}/api/v1/me`);
      if (me.status() === 401) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(me.status(), 401, 'the session ended');
    await p.goBack().catch(() => null);
    if (p.url().startsWith(base)) {
      assert.equal(await p.getByRole('button', { name: 'Log out' }).count(), 0, `Back shows ${p.url()} signed out`);
      assert.notEqual(pathOf(p), '/checkins', 'never the page that was left');
    }
    await ctx.close();
  });
});
