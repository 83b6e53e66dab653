// SPDX-License-Identifier: AGPL-3.0-or-later
//
// A break with a promise to return (issue 14), end to end in the browser: A (desktop, with
// JavaScript) takes a break from the home page's "I need a break", choosing "30 minutes" and a
// note; B (360 px, without JavaScript) sees "Alex Partner is taking a break and will be back
// around HH:MM" on the home page, follows it to the calming guide with the note and has no button
// to end or hurry the break; once its time has come (moved by SQL), A's home asks "Ready to come
// back?" and "I'm ready to come back" ends it ("Welcome back"). The daily question's page links to
// a break too. Alone (without JavaScript), a break is a personal pause with the same steps and no
// partner words. axe on every state with JavaScript; no sideways scrolling at 360 px; screenshots
// of the page and the cards, desktop and 360 px, light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { newContext } from './lib/browser.mjs';
import { MOBILE, screenshotSizes, assertNoHorizontalScroll } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  gotoOk, submit, pathOf, makeCouple, signup, login, uniqueUsername,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const HHMM = /\b([01]\d|2[0-3]):[0-5]\d\b/;

describe('a break with a promise to return', () => {
  let server; let browser; let base; let shots;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
  });
  after(() => closeSuite({ server, browser }));

  /** The break's time has come (what the clock would do in 30 minutes). */
  function breakOver() {
    const r = spawnSync('sqlite3', [path.join(server.dataDir, 'hearth.db'), `UPDATE breaks SET until_at = ${Date.now() - 1000}`]);
    assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
  }

  it('two partners: take a break, the partner sees it and cannot end it, come back', async () => {
    const ctxA = await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const ctxB = await newContext(browser, { ...MOBILE, javaScriptEnabled: false });
    const pageA = await ctxA.newPage();
    const pageB = await ctxB.newPage();
    const { b } = await makeCouple(pageA, pageB, base, 'brk');

    await gotoOk(pageA, base, '/dashboard');
    await pageA.getByRole('link', { name: 'I need a break' }).click();
    assert.equal(pathOf(pageA), '/break');
    await pageA.getByRole('heading', { name: 'I need a break' }).waitFor();
    await assertNoAxeViolations(pageA, '/break, the form');
    await screenshotSizes(pageA, shots, 'break-form');
    const choices = await pageA.locator('input[name="choice"]').evaluateAll((xs) => xs.map((x) => x.value));
    assert.deepEqual(choices.slice(0, 4), ['20', '30', '60', '120'], `the choices: ${choices}`);
    await pageA.getByRole('radio', { name: /^30 minutes, back around/ }).check();
    await pageA.getByLabel('A few words for your partner (optional)').fill('I love you. A walk, then I am back.');
    await submit(pageA, 'Take a break');
    assert.equal(pathOf(pageA), '/break');
    await pageA.getByRole('heading', { name: 'You are taking a break' }).waitFor();
    const mineText = await pageA.locator('main .break-mine').innerText();
    assert.match(mineText, HHMM, `"back around" a time: ${mineText}`);
    assert.match(mineText, /I love you\. A walk, then I am back\./);
    assert.equal(await pageA.getByRole('button', { name: 'Take a break' }).count(), 0, 'no second break while one runs');
    await assertNoAxeViolations(pageA, '/break, running');
    await screenshotSizes(pageA, shots, 'break-running');

    // B, without JavaScript at 360 px: the card, the guide, the note; nothing to press.
    await gotoOk(pageB, base, '/dashboard');
    const card = pageB.locator('.home-card[data-kind="partner_break"]');
    const cardText = await card.locator('.home-card-text').innerText();
    assert.match(cardText, /^Alex Partner is taking a break and will be back around ([01]\d|2[0-3]):[0-5]\d/, cardText);
    await assertNoHorizontalScroll(pageB, 'B\'s home with the partner\'s break');
    await card.getByRole('link', { name: 'See the calming guide' }).click();
    assert.equal(pathOf(pageB), '/break');
    await pageB.getByRole('heading', { name: 'Alex Partner is taking a break' }).waitFor();
    const partnerText = await pageB.locator('main .break-partner').innerText();
    assert.match(partnerText, /will be back around/);
    assert.match(partnerText, /I love you\. A walk, then I am back\./);
    assert.equal(await pageB.getByRole('button', { name: 'I\'m ready to come back' }).count(), 0, 'the partner cannot end it');
    await pageB.getByRole('heading', { name: 'Slow your breath' }).waitFor();
    await assertNoHorizontalScroll(pageB, 'B\'s /break');
    // With JavaScript, for axe and the screenshots of what B sees.
    const ctxB2 = await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } });
    const pageB2 = await ctxB2.newPage();
    await login(pageB2, base, { username: b.username });
    await assertNoAxeViolations(pageB2, 'B\'s home with the partner\'s break');
    await screenshotSizes(pageB2, shots, 'break-partner-card');
    await gotoOk(pageB2, base, '/break');
    await assertNoAxeViolations(pageB2, 'B\'s /break');
    await screenshotSizes(pageB2, shots, 'break-partner');
    await ctxB2.close();

    // The time comes: A is asked, and comes back.
    breakOver();
    await gotoOk(pageA, base, '/dashboard');
    const over = pageA.locator('.home-card[data-kind="break_over"]');
    assert.match(await over.innerText(), /Ready to come back\?/);
    await assertNoAxeViolations(pageA, 'A\'s home, the break is over');
    await screenshotSizes(pageA, shots, 'break-over-card');
    await over.getByRole('link', { name: 'Come back' }).click();
    await pageA.getByRole('heading', { name: 'Ready to come back?' }).waitFor();
    await assertNoAxeViolations(pageA, '/break, over');
    await screenshotSizes(pageA, shots, 'break-over');
    await submit(pageA, 'I\'m ready to come back');
    assert.equal(pathOf(pageA), '/dashboard');
    await pageA.getByText('Welcome back. Take it gently.').waitFor();
    assert.equal(await pageA.locator('.home-card[data-kind="break_over"]').count(), 0);
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await pageB.locator('.home-card[data-kind="partner_break"]').count(), 0, 'nothing left on B\'s home');

    // The daily question's page offers a break too.
    await gotoOk(pageB, base, '/prompts');
    await pageB.getByRole('link', { name: 'I need a break' }).click();
    assert.equal(pathOf(pageB), '/break');
    await ctxA.close();
    await ctxB.close();
  });

  it('alone, without JavaScript: a personal pause', async () => {
    const ctx = await newContext(browser, { ...MOBILE, javaScriptEnabled: false });
    const page = await ctx.newPage();
    await signup(page, base, { username: uniqueUsername('brs'), displayName: 'Sam Alone' });
    await gotoOk(page, base, '/break');
    await page.getByLabel('A few words for yourself (optional)').fill('Tea first.');
    await page.getByRole('radio', { name: /^20 minutes/ }).check();
    await submit(page, 'Take a break');
    await page.getByRole('heading', { name: 'You are taking a break' }).waitFor();
    const text = await page.locator('main .break-mine').innerText();
    assert.doesNotMatch(text, /partner/i, `no partner words alone: ${text}`);
    assert.equal(await page.locator('main .break-partner').count(), 0);
    assert.match(text, /Tea first\./);
    await assertNoHorizontalScroll(page, 'alone, /break running');
    await gotoOk(page, base, '/dashboard');
    assert.equal(await page.locator('.home-card[data-kind="partner_break"]').count(), 0);
    breakOver();
    await gotoOk(page, base, '/dashboard');
    assert.equal(await page.locator('.home-card[data-kind="break_over"]').count(), 1);
    await gotoOk(page, base, '/break');
    await submit(page, 'I\'m ready to come back');
    assert.equal(pathOf(page), '/dashboard');
    await page.getByText('Welcome back. Take it gently.').waitFor();
    await ctx.close();
  });
});
