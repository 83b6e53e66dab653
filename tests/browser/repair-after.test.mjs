// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The steps after a repair's reveal (issue 14): from the repair page, "After hearing each other"
// leads to one step per screen ("Step 1 of 3", a place, never a count of steps not taken). The
// private check comes first (once per person, as before "I have heard you"); a draft is kept and
// stays private; a refused form keeps what was typed and names the field; shared, the partner
// reads it from a home card and answers with the step's choices (changeable; "What I still need
// is…" needs its note); the author reads the answer; next_time becomes an agreement proposal. A
// worrying check leaves the person writing privately only (no Share, no answer), the partner told
// nothing. A solo reflection keeps the same steps, without a check or answers, and works without
// JavaScript. axe on every screen, 360 px without sideways scrolling, screenshots light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, screenshotSizes, assertNoHorizontalScroll } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, makeCouple, signup, uniqueUsername, marker, html, apiAs } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DESKTOP = { viewport: { width: 1200, height: 900 } };
const TELLTALE = /afraid|pressured|deserve to be safe|where to find help|privately/i;

/** A repair with both sides shared, opened by A through the API; its id. */
async function revealedRepair(apiA, apiB) {
  const feelings = (await apiA('GET', '/feelings')).groups[0].words.slice(0, 1);
  const rep = await apiA('POST', '/repairs', { title: 'The missed call' }, 201);
  for (const [call, words] of [[apiA, 'I waited and felt forgotten.'], [apiB, 'I was stuck at work and hurried.']]) {
    await call('PUT', `/repairs/${rep.id}/mine`, { feelings, perspective: words });
    await call('POST', `/repairs/${rep.id}/mine/submit`);
  }
  return rep.id;
}

describe('repair steps after the reveal', () => {
  let server; let browser; let base; let shots;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
  });
  after(() => closeSuite({ server, browser }));

  async function screen(page, label, { mobile = false, shoot = false } = {}) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await assertNoAxeViolations(page, label);
    if (mobile) await assertNoHorizontalScroll(page, label);
    if (shoot) await screenshotSizes(page, shots, label.replace(/[^a-z0-9]+/gi, '-'), { load: async () => {} });
  }

  it('both partners: check, draft, refused form kept, share, answer from the home card, agreement, worrying check', async () => {
    const ctxA = await newContext(browser, { bypassCSP: true, ...DESKTOP });
    const ctxB = await newContext(browser, { bypassCSP: true, ...MOBILE });
    const pageA = await ctxA.newPage();
    const pageB = await ctxB.newPage();
    const { a, b } = await makeCouple(pageA, pageB, base, 'ra');
    const apiA = await apiAs(base, a.username);
    const apiB = await apiAs(base, b.username);
    const id = await revealedRepair(apiA, apiB);

    // A: the repair page offers the steps as places to go.
    await gotoOk(pageA, base, `/repairs/${id}`);
    const section = pageA.getByRole('region', { name: 'After hearing each other' });
    await section.waitFor();
    assert.equal(await section.getByRole('link').count(), 3);
    await screen(pageA, 'after-repair-page', { shoot: true });
    await section.getByRole('link', { name: 'What I heard you say, and what makes sense to me' }).click();
    await pageA.waitForLoadState('load');
    assert.equal(pathOf(pageA), `/repairs/${id}/steps/heard`);
    // The private check first.
    await pageA.getByRole('heading', { name: 'Before you go on, a private check' }).waitFor();
    await screen(pageA, 'after-check', { shoot: true });
    await submit(pageA, 'Continue');
    assert.equal(pathOf(pageA), `/repairs/${id}/steps/heard`);
    assert.match(await pageA.locator('.step-count').innerText(), /Step 1 of 3$/);
    assert.doesNotMatch(await pageA.locator('main').innerText(), /skipp|not taken|left out/i, 'no counting of steps not taken');
    // Sharing nothing: refused, the field named, with a link to it.
    let r = await submit(pageA, 'Share with Brook Partner', { novalidate: true });
    assert.equal(r.status, 400);
    assert.equal(await pageA.locator('.error-summary a[href="#text"]').count(), 1);
    assert.equal(await pageA.locator('#text').getAttribute('aria-invalid'), 'true');
    // A draft, kept; then a text too long keeps what was typed.
    const heard = marker('heard');
    await pageA.getByLabel('What I heard you say, and what makes sense to me').fill(`You felt forgotten ${heard}`);
    await submit(pageA, 'Save my draft');
    assert.match(await pageA.locator('.saved').innerText(), /^Draft saved /);
    assert.equal(await pageA.locator('#text').inputValue(), `You felt forgotten ${heard}`);
    assert.equal((await apiB('GET', `/repairs/${id}`)).steps.heard.partner, null, 'a draft is not the partner\'s to read');
    const long = 'x'.repeat(2001);
    await pageA.locator('#text').evaluate((el, v) => { el.removeAttribute('maxlength'); el.value = v; }, long);
    r = await submit(pageA, 'Share with Brook Partner', { novalidate: true });
    assert.equal(r.status, 400);
    assert.equal((await pageA.locator('#text').inputValue()).length, 2001, 'what was typed is kept');
    await screen(pageA, 'after-heard-error');
    await pageA.locator('#text').fill(`You felt forgotten ${heard}`);
    await submit(pageA, 'Share with Brook Partner');
    await pageA.getByRole('heading', { name: 'What I heard you say, and what makes sense to me' }).waitFor();
    assert.match(await pageA.locator('main').innerText(), /Shared with Brook Partner/);
    assert.equal(await pageA.locator('textarea#text').count(), 0, 'shared: no form');
    await screen(pageA, 'after-heard-shared', { shoot: true });
    // A shares my_part too (the next step, through the page's own link).
    await pageA.getByRole('link', { name: /^On to the next step: My part/ }).click();
    await pageA.waitForLoadState('load');
    assert.match(await pageA.locator('.step-count').innerText(), /Step 2 of 3$/);
    await pageA.getByLabel('My part').fill('I regret not calling back.');
    await submit(pageA, 'Share with Brook Partner');

    // B: the home card leads to the step; the check first; then A's words and the answers.
    await gotoOk(pageB, base, '/dashboard');
    const card = pageB.getByRole('link', { name: 'Read it' });
    assert.equal(await card.count(), 1, 'one card for the shared steps');
    await card.click();
    await pageB.waitForLoadState('load');
    assert.equal(pathOf(pageB), `/repairs/${id}/steps/heard`);
    await submit(pageB, 'Continue');
    await pageB.getByRole('heading', { name: 'What Alex Partner heard you say, and what makes sense to them' }).waitFor();
    assert.match(await pageB.locator('main').innerText(), new RegExp(heard));
    await screen(pageB, 'after-partner-heard-360', { mobile: true, shoot: true });
    await pageB.getByLabel('Not quite').check();
    await pageB.getByLabel('A note for Alex Partner (optional)').fill('Almost: I felt alone, not forgotten.');
    await submit(pageB, 'Send my answer');
    assert.match(await pageB.locator('main').innerText(), /You answered: Not quite/);
    assert.equal(await pageB.getByLabel('Not quite').isChecked(), true, 'the answer can be changed');
    // my_part: "What I still need is…" needs its note; the choice is kept.
    await pageB.getByRole('link', { name: /^On to the next step: My part/ }).click();
    await pageB.waitForLoadState('load');
    await pageB.getByLabel('What I still need is…').check();
    r = await submit(pageB, 'Send my answer', { novalidate: true });
    assert.equal(r.status, 400);
    assert.equal(await pageB.getByLabel('What I still need is…').isChecked(), true, 'the choice is kept');
    assert.equal(await pageB.locator('.error-summary a[href="#note"]').count(), 1);
    await screen(pageB, 'after-partner-my-part-error-360', { mobile: true });
    await pageB.getByLabel('A note for Alex Partner (optional)').fill('A walk together on Sunday.');
    await submit(pageB, 'Send my answer');
    assert.match(await pageB.locator('main').innerText(), /You answered: What I still need is…/);

    // A reads the answers under their steps.
    await gotoOk(pageA, base, `/repairs/${id}/steps/heard`);
    assert.match(await pageA.locator('.heard-by').innerText(), /Brook Partner: Not quite/);
    assert.match(await pageA.locator('main').innerText(), /Almost: I felt alone/);
    // next_time: shared, then proposed as an agreement.
    await gotoOk(pageA, base, `/repairs/${id}/steps/next_time`);
    assert.match(await pageA.locator('.step-count').innerText(), /Step 3 of 3$/);
    await pageA.getByLabel('Next time, I will…').fill('I will text you when I am running late.');
    await submit(pageA, 'Share with Brook Partner');
    await screen(pageA, 'after-next-time-shared', { shoot: true });
    await submit(pageA, 'Propose it as an agreement');
    assert.equal(pathOf(pageA), '/agreements');
    assert.match(await pageA.locator('main').innerText(), /I will text you when I am running late\./);
    await gotoOk(pageA, base, `/repairs/${id}/steps/next_time`);
    assert.match(await pageA.locator('main').innerText(), /This is an agreement proposal now/);
    assert.equal(await pageA.getByRole('button', { name: 'Propose it as an agreement' }).count(), 0);

    // B answers the check again, worried: private only from then on; A is told nothing.
    await gotoOk(pageB, base, `/repairs/${id}/steps/next_time?check=1`);
    await pageB.getByLabel('I feel pressured to do this').check();
    await submit(pageB, 'Continue');
    assert.equal(pathOf(pageB), '/safety');
    await gotoOk(pageB, base, `/repairs/${id}/steps/next_time`);
    assert.match(await pageB.locator('.notice').innerText(), /You are writing privately/);
    assert.equal(await pageB.getByRole('button', { name: /^Share with/ }).count(), 0, 'nothing can be shared');
    const draftB = marker('bdraft');
    await pageB.getByLabel('Next time, I will…').fill(`I will say when I need a pause ${draftB}`);
    await submit(pageB, 'Save my draft');
    await screen(pageB, 'after-private-only-360', { mobile: true, shoot: true });
    await gotoOk(pageB, base, `/repairs/${id}/steps/heard`);
    assert.equal(await pageB.getByRole('button', { name: 'Send my answer' }).count(), 0, 'no answers while private only');
    for (const p of [`/repairs/${id}`, `/repairs/${id}/steps/next_time`, '/dashboard', '/timeline']) {
      await gotoOk(pageA, base, p);
      const text = await html(pageA);
      assert.ok(!text.includes(draftB), `${p}: the partner's draft`);
      assert.doesNotMatch(await pageA.locator('main').innerText(), TELLTALE, `${p}: the partner's check shows`);
    }
    await ctxA.close();
    await ctxB.close();
  });

  it('solo, without JavaScript: the same steps for oneself, no check, no answers', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false, ...MOBILE });
    const page = await ctx.newPage();
    const me = { username: uniqueUsername('rsolo'), displayName: 'Sam Alone' };
    await signup(page, base, me);
    const api = await apiAs(base, me.username);
    const feelings = (await api('GET', '/feelings')).groups[0].words.slice(0, 1);
    const rep = await api('POST', '/repairs', { title: 'Snapping at my sister' }, 201);
    await api('PUT', `/repairs/${rep.id}/mine`, { feelings, perspective: 'I was tired and short.' });
    // Not finished: the steps wait (back to the repair).
    await page.goto(`${base}/repairs/${rep.id}/steps/heard`);
    assert.equal(pathOf(page), `/repairs/${rep.id}`);
    await api('POST', `/repairs/${rep.id}/mine/submit`);
    await gotoOk(page, base, `/repairs/${rep.id}`);
    assert.match(await page.locator('main').innerText(), /After your reflection\s+If it helps, three gentle steps, for you alone/);
    await gotoOk(page, base, `/repairs/${rep.id}/steps/my_part`);
    assert.equal(await page.getByRole('heading', { name: /private check/ }).count(), 0, 'no check for oneself');
    assert.match(await page.locator('.step-count').innerText(), /Step 2 of 3$/);
    await page.getByLabel('My part').fill('I regret the tone I used.');
    await submit(page, 'Keep this step');
    assert.match(await page.locator('main').innerText(), /Kept/);
    assert.equal(await page.getByRole('button', { name: 'Propose it as an agreement' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Send my answer' }).count(), 0);
    await screenshotSizes(page, shots, 'after-solo', { load: async () => {} });
    await ctx.close();
  });
});
