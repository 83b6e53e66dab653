// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Agreements both want (issue 14), in the browser, without JavaScript needed: A proposes and waits
// for B's answer; B finds a card on the home page, sees "Alex Partner would like to try this" with the
// two answers; "Let's talk about it" with a note that comes back with its error keeps what was typed;
// A reads the note; B says yes, and only then can either look back ("How did it go for me?"); either
// pauses and takes it up again. Alone, an agreement is worded as "My intention". axe on every state,
// the Nu HTML Checker on every page, no sideways scrolling at 360 px, screenshots light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, marker, makeCouple, signup, uniqueUsername } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DESKTOP = { viewport: { width: 1100, height: 900 } };

function agreementCard(page, text) {
  return page.locator('main article.card').filter({ has: page.getByRole('heading', { name: text, exact: true }) });
}
const meta = async (card) => (await card.locator('p.muted').first().innerText()).trim();

describe('agreements both want', () => {
  let server; let browser; let base; let shots;
  let pageA; let pageB; let text;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    pageA = await (await newContext(browser, { bypassCSP: true, ...DESKTOP })).newPage();
    pageB = await (await newContext(browser, { bypassCSP: true, ...DESKTOP })).newPage();
    await makeCouple(pageA, pageB, base, 'ac');
  });
  after(() => closeSuite({ server, browser }));

  it('A proposes: a proposal waiting for B, with no look back yet', async () => {
    text = `we put our phones in the drawer at dinner ${marker('agc')}`;
    await gotoOk(pageA, base, '/agreements');
    assert.ok(await pageA.getByText('Brook Partner will be asked whether they want to try it too.').isVisible());
    await pageA.getByLabel('What we agree to try', { exact: true }).fill(text);
    const r = await submit(pageA, 'Propose');
    assert.equal(r.postStatus, 303);
    const card = agreementCard(pageA, text);
    assert.equal(await meta(card), 'Proposed by You · every 7 days · waiting for Brook Partner’s answer');
    assert.equal(await card.getByRole('button', { name: 'Save this look back' }).count(), 0, 'no look back before a yes');
    assert.equal(await card.getByRole('button', { name: 'Yes, I want to try this' }).count(), 0, 'never for the author');
    assert.equal(await card.getByRole('button', { name: 'Retire this agreement' }).count(), 1);
    await assertNoAxeViolations(pageA, '/agreements (A waits)');
    await screenshotSizes(pageA, shots, 'agreements-proposed-author');
  });

  it('B: a home card, then "Alex Partner would like to try this" with the two answers', async () => {
    await gotoOk(pageB, base, '/dashboard');
    const homeCard = pageB.locator('li.home-card', { hasText: 'Alex Partner would like to try an agreement with you' });
    assert.equal(await homeCard.count(), 1, 'a home card for the partner who answers');
    await gotoOk(pageA, base, '/dashboard');
    assert.equal(await pageA.locator('li.home-card', { hasText: 'would like to try an agreement' }).count(), 0, 'none for the author');

    await gotoOk(pageB, base, '/agreements');
    const card = agreementCard(pageB, text);
    assert.ok(await card.getByText('Alex Partner would like to try this.').isVisible());
    assert.equal(await card.getByRole('button', { name: 'Yes, I want to try this' }).count(), 1);
    assert.equal(await card.getByRole('button', { name: 'Let’s talk about it' }).count(), 1);
    assert.equal(await meta(card), 'Proposed by Alex Partner · every 7 days · waiting for your answer');
    // One obvious next step: the answer is the filled button; proposing a new one steps back while it waits.
    assert.match(await pageB.getByRole('button', { name: 'Propose', exact: true }).getAttribute('class'), /\bsecondary\b/);
    await gotoOk(pageA, base, '/agreements');
    assert.doesNotMatch(await pageA.getByRole('button', { name: 'Propose', exact: true }).getAttribute('class'), /\bsecondary\b/,
      'for the author nothing waits: proposing stays the filled button');
    await assertNoAxeViolations(pageB, '/agreements (B answers)');
    await screenshotSizes(pageB, shots, 'agreements-proposed-partner');
  });

  it('"Let\'s talk about it": an error keeps what was typed; then the note is there for both', async () => {
    await gotoOk(pageB, base, '/agreements');
    let card = agreementCard(pageB, text);
    const field = card.getByLabel('Let’s talk about it: what would you like to talk about?', { exact: true });
    const long = `I would like to talk about evenings ${'a'.repeat(4000)}`;
    await field.evaluate((el, v) => { el.removeAttribute('maxlength'); el.value = v; }, long);
    const bad = await submit(pageB, 'Let’s talk about it', { scope: card });
    assert.equal(bad.postStatus, 400, 'a note over 4000 characters answers 400');
    card = agreementCard(pageB, text);
    const again = card.getByLabel('Let’s talk about it: what would you like to talk about?', { exact: true });
    assert.equal(await again.inputValue(), long, 'what was typed is kept');
    assert.equal(await again.getAttribute('aria-invalid'), 'true');
    assert.ok(await card.getByText('Please keep the note to 4000 characters or fewer.').isVisible());
    const summaryHref = await pageB.locator('.error-summary a').first().getAttribute('href');
    assert.equal(await pageB.locator(summaryHref).count(), 1, 'the error summary leads to the field');
    await assertNoAxeViolations(pageB, '/agreements (note too long)');
    await screenshotSizes(pageB, shots, 'agreements-discuss-error', { load: async () => {} });

    const note = `Can we keep Fridays free of this? ${marker('note')}`;
    await again.fill(note);
    const ok = await submit(pageB, 'Let’s talk about it', { scope: agreementCard(pageB, text) });
    assert.equal(ok.postStatus, 303);
    assert.equal(pathOf(pageB), '/agreements');
    assert.ok(await pageB.getByRole('status').filter({ hasText: 'Your note is there for Alex Partner to read.' }).isVisible());
    card = agreementCard(pageB, text);
    assert.ok(await card.getByText(`You would like to talk about it first: “${note}”`).isVisible());
    assert.equal(await card.getByRole('button', { name: 'Yes, I want to try this' }).count(), 1, 'B can still say yes later');
    await gotoOk(pageB, base, '/dashboard');
    assert.equal(await pageB.locator('li.home-card', { hasText: 'would like to try an agreement' }).count(), 0, 'the card went');

    await gotoOk(pageA, base, '/agreements');
    const cardA = agreementCard(pageA, text);
    assert.ok(await cardA.getByText(`Brook Partner would like to talk about it first: “${note}”`).isVisible());
    assert.ok(await cardA.getByText('You can leave it here for Brook Partner to say yes later, or retire it.').isVisible());
    await assertNoAxeViolations(pageA, '/agreements (A reads the note)');
    await screenshotSizes(pageA, shots, 'agreements-discussed-author');
  });

  it('B says yes: active for both, and a look back asks how it went for me', async () => {
    await gotoOk(pageB, base, '/agreements');
    const r = await submit(pageB, 'Yes, I want to try this', { scope: agreementCard(pageB, text) });
    assert.equal(r.postStatus, 303);
    assert.ok(await pageB.getByRole('status').filter({ hasText: 'You said yes.' }).isVisible());
    for (const page of [pageA, pageB]) {
      await gotoOk(page, base, '/agreements');
      const card = agreementCard(page, text);
      assert.match(await meta(card), /every 7 days · next look back: /);
      const group = card.getByRole('group', { name: 'How did it go for me?' });
      assert.deepEqual(await group.getByRole('radio').evaluateAll((rs) => rs.map((x) => x.labels[0].innerText.trim())),
        ['I kept to it', 'Partly', 'Not yet']);
      assert.equal(await card.getByText('would like to talk about it first').count(), 0, 'the note went with the yes');
    }
    const card = agreementCard(pageA, text);
    await card.getByRole('radio', { name: 'I kept to it' }).check();
    assert.equal((await submit(pageA, 'Save this look back', { scope: card })).postStatus, 303);
    assert.ok(await agreementCard(pageA, text).getByText('You — Kept to it').isVisible());
    await assertNoAxeViolations(pageA, '/agreements (active)');
    await screenshotSizes(pageA, shots, 'agreements-active');
  });

  it('either partner pauses it and takes it up again', async () => {
    await gotoOk(pageB, base, '/agreements');
    assert.equal((await submit(pageB, 'Pause for a while', { scope: agreementCard(pageB, text) })).postStatus, 303);
    await gotoOk(pageA, base, '/agreements');
    let card = agreementCard(pageA, text);
    assert.match(await meta(card), / · resting for now$/);
    assert.equal(await card.getByRole('button', { name: 'Save this look back' }).count(), 0, 'no look back while resting');
    await assertNoAxeViolations(pageA, '/agreements (paused)');
    await screenshotSizes(pageA, shots, 'agreements-paused');
    assert.equal((await submit(pageA, 'Take it up again', { scope: card })).postStatus, 303);
    card = agreementCard(pageA, text);
    assert.match(await meta(card), /next look back: /);
  });

  it('alone: "My intention", active at once', async () => {
    const ctx = await newContext(browser, { bypassCSP: true, ...DESKTOP });
    const solo = await ctx.newPage();
    try {
      await signup(solo, base, { username: uniqueUsername('acs'), displayName: 'Sol Alone' });
      await gotoOk(solo, base, '/agreements');
      assert.equal(await solo.getByRole('heading', { name: 'Set an intention for myself' }).count(), 1);
      const mine = `I breathe before I answer ${marker('sol')}`;
      await solo.getByLabel('What I want to try', { exact: true }).fill(mine);
      assert.equal((await submit(solo, 'Set this intention')).postStatus, 303);
      const card = agreementCard(solo, mine);
      assert.match(await meta(card), /^My intention · every 7 days · next look back: /);
      assert.equal(await card.getByRole('group', { name: 'How did it go for me?' }).count(), 1);
      await assertNoAxeViolations(solo, '/agreements (alone)');
      await screenshotSizes(solo, shots, 'agreements-alone');
    } finally {
      await ctx.close();
    }
  });
});
