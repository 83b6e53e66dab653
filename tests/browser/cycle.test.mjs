// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Our cycle and what we came through (issue 14). Every form is a plain form: A and B (with
// JavaScript only so that axe can run) submit them as a browser without it would; the person alone
// does it all with JavaScript off. A takes the private check, is refused with every empty field named (what was
// typed kept), then shares a side; B answers the check worried, reads the resources, goes on
// privately (only "Save for now"; A is told nothing), answers again and shares; both sides open
// with a first wording of the shared text, which both change, the earlier version kept. Alone,
// one's own side only. axe on every screen, the Nu checker on every page; screenshots of each page
// at desktop and 360 px, light and dark (when HEARTH_SCREENSHOT_DIR is set).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, makeCouple, signup, login, uniqueUsername, html } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

describe('our cycle, for both partners and alone, with plain forms', () => {
  let server; let browser; let base; let dir;
  let ctxA; let ctxB; let ctxC; let ctxD; let pageA; let pageB; let pageC; let pageD;

  before(async () => {
    ({ server, base, browser, shots: dir } = await openSuite());
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true });
    ctxC = await newContext(browser, { javaScriptEnabled: false });
    ctxD = await newContext(browser, { bypassCSP: true });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    pageC = await ctxC.newPage();
    pageD = await ctxD.newPage();
    await makeCouple(pageA, pageB, base, 'cy');
  });
  after(() => closeSuite({ server, browser }));

  const main = (page) => page.locator('main').innerText();

  it('A: the private check first, then every empty field named at once, what was typed kept', async () => {
    await gotoOk(pageA, base, '/cycle');
    assert.equal((await pageA.locator('h1').textContent()).trim(), 'Our cycle');
    assert.equal(await pageA.getByLabel('When I feel…').count(), 0, 'no form before the check');
    await assertNoAxeViolations(pageA, 'the check before the cycle');
    await submit(pageA, 'Continue');
    assert.equal(pathOf(pageA), '/cycle');
    await pageA.getByLabel('I tend to…').fill('push for an answer');
    const r = await submit(pageA, 'Share my side', { novalidate: true });
    assert.equal(r.status, 400);
    const summary = await pageA.locator('.error-summary').innerText();
    assert.equal((summary.match(/Write a few words here/g) || []).length, 2, summary);
    assert.equal(await pageA.getByLabel('I tend to…').inputValue(), 'push for an answer', 'what was typed is kept');
    assert.equal(await pageA.getByLabel('When I feel…').getAttribute('aria-invalid'), 'true');
    assert.ok(await pageA.locator('datalist#feeling-words option[value="worried"], datalist#feeling-words option').count() > 10,
      'the feelings vocabulary is offered');
    await assertNoAxeViolations(pageA, 'the cycle form with errors');
    await pageA.getByLabel('When I feel…').fill('anxious');
    await pageA.getByLabel('What I long for is…').fill('to know we are all right');
    await submit(pageA, 'Share my side');
    assert.match(await main(pageA), /Your side is shared\. Both sides open together when Brook Partner has shared theirs/);
    assert.equal(await pageA.getByLabel('When I feel…').count(), 0, 'a shared side no longer changes');
  });

  it('B: a worried answer shows the resources and keeps B\'s side private; A is told nothing', async () => {
    await gotoOk(pageB, base, '/cycle');
    await pageB.getByLabel('I feel pressured to do this').check();
    await submit(pageB, 'Continue');
    assert.equal(pathOf(pageB), '/safety');
    assert.match(await main(pageB), /Where to find help/);
    await screenshotSizes(pageB, dir, 'cycle-safety');
    await Promise.all([pageB.waitForNavigation(), pageB.getByRole('link', { name: 'Continue privately' }).click()]);
    assert.equal(pathOf(pageB), '/cycle');
    assert.match(await main(pageB), /Take all the time you need/);
    assert.equal(await pageB.getByRole('button', { name: 'Share my side' }).count(), 0, 'no way to share');
    await pageB.getByLabel('When I feel…').fill('overwhelmed');
    await pageB.getByLabel('I tend to…').fill('go quiet and leave the room');
    await pageB.getByLabel('What I long for is…').fill('calm, and time');
    await submit(pageB, 'Save for now');
    assert.match(await main(pageB), /Saved\. It is for you alone/);
    await assertNoAxeViolations(pageB, 'the cycle, privately');
    await screenshotSizes(pageB, dir, 'cycle-private');
    await gotoOk(pageA, base, '/cycle');
    const a = await main(pageA);
    assert.doesNotMatch(a, /overwhelmed|leave the room|pressured|afraid|safety/i);
    assert.match(a, /Your side is shared/);
    for (const p of ['/dashboard', '/came-through', '/timeline']) {
      await gotoOk(pageA, base, p);
      assert.doesNotMatch(await html(pageA), /overwhelmed|leave the room/, p);
    }
  });

  it('B answers again and shares: both sides open, with a first wording both change; each version kept', async () => {
    await gotoOk(pageB, base, '/cycle?check=1');
    await submit(pageB, 'Continue');
    await submit(pageB, 'Share my side');
    const b = await main(pageB);
    assert.match(b, /Both sides are open/);
    assert.match(b, /Alex Partner's side|Brook Partner's side/);
    assert.match(b, /push for an answer/);
    const first = await pageB.getByLabel('How we name our cycle').inputValue();
    assert.match(first, /When Brook Partner feels overwhelmed, Brook Partner tends to go quiet and leave the room/);
    assert.match(first, /this is our cycle, and we face it together/);
    await pageB.getByLabel('How we name our cycle').fill('When the worry rises, Alex pursues and Brook withdraws.');
    await submit(pageB, 'Save this version');
    assert.match(await main(pageB), /Last changed by you \(/);
    await gotoOk(pageA, base, '/cycle');
    assert.equal(await pageA.getByLabel('How we name our cycle').inputValue(), 'When the worry rises, Alex pursues and Brook withdraws.');
    assert.match(await main(pageA), /Last changed by Brook Partner/);
    await pageA.getByLabel('How we name our cycle').fill('');
    const bad = await submit(pageA, 'Save this version', { novalidate: true });
    assert.equal(bad.status, 400);
    assert.match(await pageA.locator('.error-summary').innerText(), /Write how you would name your cycle/);
    await pageA.getByLabel('How we name our cycle').fill('When the worry rises, we both reach for safety, in opposite ways.');
    await submit(pageA, 'Save this version');
    await pageA.locator('summary', { hasText: 'Earlier versions' }).click();
    assert.match(await pageA.locator('details.reread').innerText(), /Brook Partner[\s\S]*Alex pursues and Brook withdraws/);
    await assertNoAxeViolations(pageA, 'the cycle, both sides open');
    await screenshotSizes(pageA, dir, 'cycle-shared');
  });

  it('what we came through, linked from Repairs and Growth', async () => {
    for (const from of ['/repairs', '/growth']) {
      await gotoOk(pageA, base, from);
      await Promise.all([pageA.waitForNavigation(), pageA.locator('main a[href="/came-through"]').first().click()]);
      assert.equal(pathOf(pageA), '/came-through');
    }
    assert.equal((await pageA.locator('h1').textContent()).trim(), 'What we came through');
    assert.match(await main(pageA), /Nothing here yet/);
    await assertNoAxeViolations(pageA, 'what we came through');
    await screenshotSizes(pageA, dir, 'came-through');
  });

  it('alone: one\'s own side only, no check, no sharing, no shared part', async () => {
    const cam = { username: uniqueUsername('cyc'), displayName: 'Cam Alone' };
    await signup(pageC, base, cam);
    await gotoOk(pageC, base, '/cycle');
    assert.match(await main(pageC), /This is for you alone/);
    assert.equal(await pageC.getByRole('button', { name: 'Share my side' }).count(), 0);
    await pageC.getByLabel('When I feel…').fill('lonely');
    await pageC.getByLabel('I tend to…').fill('keep busy');
    await pageC.getByLabel('What I long for is…').fill('company');
    await submit(pageC, 'Save for now');
    assert.match(await main(pageC), /Saved/);
    assert.equal(await pageC.getByLabel('When I feel…').inputValue(), 'lonely');
    assert.equal(await pageC.getByLabel('How we name our cycle').count(), 0);
    // the same page with JavaScript, for axe and the screenshots
    await login(pageD, base, cam);
    await gotoOk(pageD, base, '/cycle');
    await assertNoAxeViolations(pageD, 'the cycle alone');
    await screenshotSizes(pageD, dir, 'cycle-alone');
    console.log(`screenshots in ${dir}`);
  });
});
