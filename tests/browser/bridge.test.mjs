// SPDX-License-Identifier: AGPL-3.0-or-later
//
// "For our next session" (issue 13): a partner reaches the list from Growth, adds items (a form
// with a problem keeps what was typed and the boxes ticked), shares one with the therapist and the
// partner, changes the words of another (a blank change comes back open, with its error); the
// partner sees only what was shared with them; the therapist sees only what was shared with them on
// the couple's page and marks it "Talked about"; it leaves the list and stays in the writer's
// timeline. axe on every state met, no sideways scrolling at 360 px, screenshots light and dark;
// every page also goes through the Nu HTML Checker (lib/browser.mjs).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import {
  gotoOk, submit, pathOf, marker, makeCouple, login, signup, uniqueUsername, PASSWORD, therapistCode, linkTherapistCode,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DR = 'Dr Rowan';
const ADD_LABEL = 'What would you like to bring?';
const mainText = (page) => page.locator('main').innerText();
/** The card of one's own item on /bridge. */
const card = (page, text) => page.locator('main article.card').filter({ hasText: text });

describe('for our next session: the list, sharing, talked about', () => {
  let server; let browser; let base; let shots;
  let ther; let pageA; let pageB;
  let spacePath;
  const therapist = { username: uniqueUsername('brther'), displayName: DR };
  const forTherapist = marker('For the therapist and Brook');
  const keptPrivate = marker('Only for me');

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    // bypassCSP only so that axe-core can be injected; the pages are otherwise unchanged.
    const [ctxT, ctxA, ctxB] = await Promise.all([0, 1, 2].map(() => newContext(browser, { bypassCSP: true })));
    [ther, pageA, pageB] = await Promise.all([ctxT, ctxA, ctxB].map((c) => c.newPage()));
    await makeCouple(pageA, pageB, base, 'br');
    // The therapist makes a code; A links them (A consents by linking).
    await login(ther, base, therapist);
    const code = await therapistCode(ther, base);
    await linkTherapistCode(pageA, base, code);
    await gotoOk(ther, base, '/therapist');
    spacePath = await ther.locator('main a[href^="/therapist/spaces/"]').first().getAttribute('href');
    assert.ok(spacePath, 'the couple is listed for the therapist');
  });
  after(() => closeSuite({ server, browser }));

  it('is reached from Growth; empty at first, in warm words', async () => {
    await gotoOk(pageA, base, '/growth');
    const link = pageA.getByRole('link', { name: 'For our next session', exact: true });
    assert.equal(await link.getAttribute('href'), '/bridge', 'Growth links the list');
    await gotoOk(pageA, base, '/bridge');
    assert.equal(await pageA.locator('h1').textContent(), 'For our next session');
    assert.ok((await mainText(pageA)).includes('Nothing on your list right now.'));
    await assertNoAxeViolations(pageA, '/bridge (empty)');
    await screenshotSizes(pageA, shots, 'bridge-empty');
  });

  it('a blank item comes back with its error, the boxes still ticked', async () => {
    await gotoOk(pageA, base, '/bridge');
    await pageA.getByLabel(ADD_LABEL, { exact: true }).fill('   ');
    await pageA.getByLabel('Share with our therapist', { exact: true }).check();
    const r = await submit(pageA, 'Add to my list', { novalidate: true });
    assert.equal(r.postStatus, 400);
    assert.ok(await pageA.locator('.error-summary a[href="#text"]').isVisible(), 'the summary links the field');
    assert.equal(await pageA.getByLabel(ADD_LABEL, { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await pageA.getByLabel('Share with our therapist', { exact: true }).isChecked(), true, 'the box is kept');
    assert.equal(await pageA.getByLabel('Share with Brook Partner', { exact: true }).isChecked(), false);
    await assertNoAxeViolations(pageA, '/bridge (an error)');
  });

  it('adds one shared with the therapist and the partner, and one kept private', async () => {
    await gotoOk(pageA, base, '/bridge');
    await pageA.getByLabel(ADD_LABEL, { exact: true }).fill(forTherapist);
    await pageA.getByLabel('Share with our therapist', { exact: true }).check();
    await pageA.getByLabel('Share with Brook Partner', { exact: true }).check();
    let r = await submit(pageA, 'Add to my list');
    assert.equal(r.postStatus, 303);
    assert.equal(pageA.url(), `${base}/bridge?added=1`);
    assert.ok((await mainText(pageA)).includes('Added to your list.'));
    await pageA.getByLabel(ADD_LABEL, { exact: true }).fill(keptPrivate);
    r = await submit(pageA, 'Add to my list');
    assert.equal(r.postStatus, 303);
    const shared = await card(pageA, forTherapist).innerText();
    assert.ok(shared.includes('shared with our therapist') && shared.includes('shared with Brook Partner'), shared);
    const priv = await card(pageA, keptPrivate).innerText();
    assert.ok(priv.includes('not shared with our therapist') && priv.includes('not shared with Brook Partner'), priv);
  });

  it('the share buttons change one thing each; a blank change of words comes back open with what was typed', async () => {
    await gotoOk(pageA, base, '/bridge');
    let r = await submit(pageA, 'Share with Brook Partner', { scope: card(pageA, keptPrivate) });
    assert.equal(r.postStatus, 303);
    assert.ok((await card(pageA, keptPrivate).innerText()).includes('shared with Brook Partner'));
    r = await submit(pageA, 'Keep from Brook Partner', { scope: card(pageA, keptPrivate) });
    assert.ok((await card(pageA, keptPrivate).innerText()).includes('not shared with Brook Partner'));

    const c = card(pageA, keptPrivate);
    await c.getByText('Change the words', { exact: true }).click();
    await c.getByLabel('What you would like to bring', { exact: true }).fill(' ');
    r = await submit(pageA, 'Save', { scope: c, novalidate: true });
    assert.equal(r.postStatus, 400);
    const open = pageA.locator('main details[open]');
    assert.equal(await open.count(), 1, 'the change form is open');
    const field = open.getByLabel('What you would like to bring', { exact: true });
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    const href = await pageA.locator('.error-summary a').first().getAttribute('href');
    assert.equal(href, `#${await field.getAttribute('id')}`, 'the summary links the item\'s own field');
    await assertNoAxeViolations(pageA, '/bridge (a change with an error)');
    await field.fill(`${keptPrivate} (still mine)`);
    r = await submit(pageA, 'Save', { scope: pageA.locator('main details[open]') });
    assert.equal(r.postStatus, 303);
    assert.ok((await mainText(pageA)).includes(`${keptPrivate} (still mine)`));
    await assertNoAxeViolations(pageA, '/bridge (two items)');
    await screenshotSizes(pageA, shots, 'bridge-list');
  });

  it('the partner sees only what was shared with them', async () => {
    await gotoOk(pageB, base, '/bridge');
    const text = await mainText(pageB);
    assert.ok(text.includes('What Alex Partner would like to bring'), text);
    assert.ok(text.includes(forTherapist), 'the shared item');
    assert.ok(!text.includes(keptPrivate), 'an unshared item reached the partner');
    await assertNoAxeViolations(pageB, '/bridge (the partner\'s view)');
    await screenshotSizes(pageB, shots, 'bridge-partner');
  });

  it('the therapist sees what was shared with them, marks it talked about; it leaves the list, stays in the timeline', async () => {
    await gotoOk(ther, base, spacePath);
    const section = ther.locator('section').filter({ has: ther.locator('#bridge-heading') });
    let text = await section.innerText();
    assert.ok(text.includes(forTherapist), text);
    assert.ok(text.includes('Alex Partner'), 'who wrote it');
    assert.ok(!(await mainText(ther)).includes(keptPrivate), 'an unshared item reached the therapist');
    await assertNoAxeViolations(ther, 'the couple\'s page with the list');
    await screenshotSizes(ther, shots, 'bridge-therapist');
    const r = await submit(ther, 'Talked about', { scope: section });
    assert.equal(r.postStatus, 303);
    assert.equal(pathOf(ther), spacePath);
    text = await ther.locator('section').filter({ has: ther.locator('#bridge-heading') }).innerText();
    assert.ok(!text.includes(forTherapist) && text.includes('Nothing shared for the next session.'), text);
    // What was talked about can still be seen, marked so.
    await Promise.all([ther.waitForNavigation(), ther.getByRole('link', { name: 'Also show what was talked about', exact: true }).click()]);
    text = await ther.locator('section').filter({ has: ther.locator('#bridge-heading') }).innerText();
    assert.ok(text.includes(forTherapist) && text.includes('Talked about Today'), text);
    assert.equal(await ther.getByRole('button', { name: 'Talked about', exact: true }).count(), 0, 'no button on a talked-about item');
    await assertNoAxeViolations(ther, 'the couple\'s page with what was talked about');
    await screenshotSizes(ther, shots, 'bridge-therapist-all');

    await gotoOk(pageA, base, '/bridge');
    assert.ok(!(await mainText(pageA)).includes(forTherapist), 'it left the writer\'s list');
    await gotoOk(pageB, base, '/bridge');
    assert.ok(!(await mainText(pageB)).includes(forTherapist), 'it left the partner\'s view');
    await gotoOk(pageA, base, '/timeline');
    const entry = pageA.locator('main li').filter({ hasText: forTherapist });
    assert.equal(await entry.count(), 1, 'in the writer\'s timeline');
    assert.ok((await entry.innerText()).includes('Talked about in a session'));
    await gotoOk(pageB, base, '/timeline');
    assert.ok(!(await mainText(pageB)).includes(forTherapist), 'not in the partner\'s timeline');
    // The access log both partners read names the visit.
    await gotoOk(pageA, base, '/space');
    assert.ok((await mainText(pageA)).includes('the list for the next session'), 'the access log names the list');
  });

  it('without a space: a sentence and the way to one', async () => {
    const ctx = await newContext(browser, { bypassCSP: true });
    const page = await ctx.newPage();
    await signup(page, base, { username: uniqueUsername('brn'), displayName: 'Noor Alone' });
    await gotoOk(page, base, '/bridge');
    assert.ok((await mainText(page)).includes('it begins once you are in one'));
    assert.equal(await page.getByRole('link', { name: 'Go to your space', exact: true }).count(), 1);
    await assertNoAxeViolations(page, '/bridge (no space)');
    await screenshotSizes(page, shots, 'bridge-no-space');
    await ctx.close();
  });
});
