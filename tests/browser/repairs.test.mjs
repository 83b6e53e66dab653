// Repairs: the private safety check, opening a repair, writing one's side in private,
// sharing, the reveal only when both have shared, acknowledgements, form errors,
// solo reflections. Also axe-core on every state met on the way, and the writing page
// at 360 px (partner B uses a phone-sized context). The side is written in steps, one
// per screen (issue 11; tests/browser/repair-steps.test.mjs tests the stepper itself):
// fillSide walks them, and the partner who joins and everyone before "I have heard you"
// first answer the private check.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  gotoOk, submit, pathOf, marker, makeCouple, signup, uniqueUsername, createSpace, createInvite,
  joinSpace, html,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const REPAIR_PATH = /^\/repairs\/([^/?#]+)$/;

/** The private check with nothing ticked, then the title form; returns the repair id. */
async function openRepair(page, base, title) {
  await gotoOk(page, base, '/repairs/new');
  await page.getByRole('heading', { name: 'First, a private check' }).waitFor();
  for (const box of await page.locator('form[action="/repairs/safety"] input[type="checkbox"]').all()) {
    assert.equal(await box.isChecked(), false, 'safety check boxes start unticked');
  }
  const cont = await submit(page, 'Continue');
  assert.equal(cont.status, 200, `after "Continue": status ${cont.status} at ${page.url()}`);
  assert.equal(pathOf(page), '/repairs/new', `"Continue" with nothing ticked should lead to the title form, got ${page.url()}`);
  await page.getByLabel('What happened, in a few words', { exact: true }).fill(title);
  const r = await submit(page, 'Open the repair');
  const m = REPAIR_PATH.exec(pathOf(page));
  assert.ok(m, `"Open the repair" should land on /repairs/{id}, got ${page.url()} (status ${r.status})`);
  assert.equal(await page.locator('h1').textContent(), title, 'the repair page is headed by its title');
  return m[1];
}

const TEXTS = ['perspective', 'touched', 'my_part', 'next_time'];

/** Opens every folded group of feelings (each a <details>), so that their checkboxes can be used. */
async function openFeelingGroups(page) {
  const closed = page.locator('fieldset#feelings details:not([open]) > summary');
  while (await closed.count() > 0) await closed.first().click();
}

/**
 * Walks the steps of one's side from the first: ticks the given feelings (with `clear`, unticks the
 * others first), fills the four texts (those given), each on its own step, with Next (which saves);
 * ends on the last step, "Read it through", where "Save my draft" and "Share my side" are.
 */
async function fillSide(page, side, { clear = false } = {}) {
  const id = REPAIR_PATH.exec(pathOf(page).replace(/\/mine$/, ''))[1];
  await page.goto(`${new URL(page.url()).origin}/repairs/${id}?step=feelings`);
  await openFeelingGroups(page);
  if (clear) await page.locator('input[name="feelings"]').evaluateAll((bs) => { for (const b of bs) b.checked = false; });
  for (const word of side.feelings || []) {
    await page.locator(`input[type="checkbox"][name="feelings"][value="${word}"]`).check();
  }
  await submit(page, 'Next');
  for (const name of TEXTS) {
    if (side[name] !== undefined) await page.locator(`textarea[name="${name}"]`).fill(side[name]);
    await submit(page, 'Next');
  }
  assert.equal(new URL(page.url()).searchParams.get('step'), 'review', 'fillSide ends on the last step');
}

/** The value of a text field of one's draft, read on its own step. */
async function draftText(page, base, id, name) {
  await gotoOk(page, base, `/repairs/${id}?step=${name}`);
  return page.locator(`textarea[name="${name}"]`).inputValue();
}

/** The private check with nothing ticked (the partner who joins, and before "I have heard you"). */
async function passCheck(page) {
  assert.equal(await page.locator('form[action$="/safety"]').count(), 1, 'the private check is asked');
  for (const box of await page.locator('form[action$="/safety"] input[type="checkbox"]').all()) {
    assert.equal(await box.isChecked(), false, 'safety check boxes start unticked');
  }
  const r = await submit(page, 'Continue');
  assert.equal(r.status, 200);
}

function sideTexts(mk) {
  return {
    perspective: `${mk} perspective: I felt unheard when the plans changed`,
    touched: `${mk} touched: an old fear of not mattering`,
    my_part: `${mk} my part: I raised my voice`,
    next_time: `${mk} next time: let us pause and talk later`,
  };
}

describe('repairs', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let pageA; let pageB;
  let repairId; let title; let markA; let markB;
  const axeResults = new Map();

  /** axe on the page as it is; the outcome is reported by its own test below. */
  async function axeState(page, label) {
    try {
      await assertNoAxeViolations(page, label);
      axeResults.set(label, null);
    } catch (e) {
      axeResults.set(label, e);
    }
  }

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true, ...MOBILE });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    await makeCouple(pageA, pageB, base, 'rp');
  });
  after(() => closeSuite({ server, browser }));

  it('/repairs is empty at first; the check step and title step of /repairs/new', async () => {
    await gotoOk(pageA, base, '/repairs');
    assert.equal(await pageA.locator('main article').count(), 0, 'no repairs listed yet');
    await axeState(pageA, '/repairs (empty)');
    await gotoOk(pageA, base, '/repairs/new');
    await axeState(pageA, '/repairs/new (check step)');
    await submit(pageA, 'Continue');
    assert.equal(pathOf(pageA), '/repairs/new');
    await axeState(pageA, '/repairs/new (title step)');
    // An empty title: the title form again with its error, linked to the field.
    const r = await submit(pageA, 'Open the repair', { novalidate: true });
    assert.equal(r.postStatus, 400, 'an empty title answers 400');
    const err = pageA.locator('#title-error');
    assert.ok(await err.isVisible(), 'an error next to the title field');
    assert.match(await pageA.locator('#title').getAttribute('aria-describedby'), /\btitle-error\b/);
    assert.equal(await pageA.locator('.error-summary[role="alert"]').count(), 1, 'an error summary');
    await axeState(pageA, '/repairs/new (title step with an error)');
  });

  it('A opens a repair and writes a private draft that B never sees', async () => {
    title = `the talk about the holidays ${marker('t')}`;
    markA = marker('sideA');
    repairId = await openRepair(pageA, base, title);

    // Feelings: checkboxes named "feelings", grouped in fieldsets inside the feelings fieldset.
    const groups = pageA.locator('fieldset#feelings fieldset.feeling-group');
    assert.ok(await groups.count() >= 2, 'feelings come in several groups');
    for (const g of await groups.all()) {
      assert.ok(((await g.locator(':scope > legend').textContent()) || '').trim().length > 0, 'each group has a legend');
    }
    const boxes = pageA.locator('input[type="checkbox"][name="feelings"]');
    const outside = await boxes.evaluateAll((bs) => bs.filter((b) => !b.closest('fieldset.feeling-group')).length);
    assert.equal(outside, 0, 'every feeling checkbox is inside a group fieldset');
    assert.ok(await boxes.count() > 10, 'a vocabulary of feelings');
    await axeState(pageA, '/repairs/{id} (writing)');

    await fillSide(pageA, { feelings: ['hurt', 'lonely'], ...sideTexts(markA) });
    const saved = await submit(pageA, 'Save my draft');
    assert.ok(saved.status === 200, `"Save my draft": status ${saved.status}`);
    assert.equal(pathOf(pageA), `/repairs/${repairId}`, 'the draft is saved on the repair page');
    await gotoOk(pageA, base, `/repairs/${repairId}?step=feelings`);
    assert.ok(await pageA.locator('input[name="feelings"][value="hurt"]').isChecked(), 'saved feeling stays ticked');
    assert.equal(await draftText(pageA, base, repairId, 'perspective'), sideTexts(markA).perspective);

    // B sees the repair (its title), but nothing of A's draft.
    await gotoOk(pageB, base, '/repairs');
    const link = pageB.getByRole('link', { name: title, exact: true });
    assert.equal(await link.count(), 1, 'B sees the repair in /repairs');
    assert.ok(!(await html(pageB)).includes(markA), 'A\'s draft text is not on B\'s /repairs');
    await Promise.all([pageB.waitForNavigation(), link.click()]);
    assert.equal(pathOf(pageB), `/repairs/${repairId}`);
    // B joins: the private check first, then the first step; neither shows anything of A's draft.
    for (const screen of ['the check', 'the first step']) {
      if (screen === 'the first step') await passCheck(pageB);
      const bHtml = await html(pageB);
      assert.ok(!bHtml.includes(markA), `A's draft text must not appear anywhere in B's repair page (${screen})`);
      assert.ok(!bHtml.includes('value="hurt" checked') && !(await pageB.locator('input[name="feelings"]:checked').count()),
        `none of A's feelings is ticked on B's page (${screen})`);
      assert.doesNotMatch(await pageB.locator('main').innerText(), /partner has shared/i,
        `a draft is not announced as shared (${screen})`);
    }
    assert.equal(await pageB.locator('input[name="feelings"]').count() > 10, true, 'B is on the feelings step');
  });

  it('a form error keeps what was typed (share with no feeling chosen)', async () => {
    await gotoOk(pageA, base, `/repairs/${repairId}`);
    // Untick everything, keep (and change) the texts.
    const typed = { perspective: `${markA} typed again`, touched: `${markA} touched typed`, my_part: `${markA} part typed`, next_time: `${markA} next typed` };
    await fillSide(pageA, typed, { clear: true });
    const r = await submit(pageA, 'Share my side', { novalidate: true });
    assert.equal(r.postStatus, 400, `sharing without a feeling answers 400 (got ${r.postStatus})`);
    const err = pageA.locator('#feelings-error');
    assert.equal(await err.count(), 1, 'a field error for the feelings');
    assert.ok(await err.isVisible());
    assert.equal(await pageA.locator('fieldset#feelings #feelings-error').count(), 1, 'the error is next to (inside) the feelings fieldset');
    assert.match(await pageA.locator('fieldset#feelings').getAttribute('aria-describedby') || '', /\bfeelings-error\b/,
      'the feelings fieldset is described by its error');
    assert.equal(await pageA.locator('.error-summary[role="alert"]').count(), 1, 'an error summary at the top');
    await axeState(pageA, '/repairs/{id} (writing, with an error)');
    for (const [name, value] of Object.entries(typed)) {
      assert.equal(await draftText(pageA, base, repairId, name), value, `${name} is kept`);
    }
    // B still sees nothing of it.
    await gotoOk(pageB, base, `/repairs/${repairId}`);
    assert.ok(!(await html(pageB)).includes(markA), 'A\'s texts are not on B\'s page after the error');
  });

  it('A shares; B is told the side is there but cannot read it; A waits', async () => {
    await gotoOk(pageA, base, `/repairs/${repairId}`);
    await fillSide(pageA, { feelings: ['hurt', 'lonely'], ...sideTexts(markA) });
    const r = await submit(pageA, 'Share my side');
    assert.equal(r.status, 200);
    assert.equal(pathOf(pageA), `/repairs/${repairId}`);
    const mainA = await pageA.locator('main').innerText();
    assert.match(mainA, /Your side is shared/i, 'A is told the side is shared and waits');
    assert.equal(await pageA.locator('textarea[name="perspective"]').count(), 0, 'a shared side cannot be edited');
    await axeState(pageA, '/repairs/{id} (waiting)');

    await gotoOk(pageB, base, `/repairs/${repairId}`);
    const bHtml = await html(pageB);
    assert.ok(!bHtml.includes(markA), 'A\'s shared side stays closed to B until B shares');
    assert.match(await pageB.locator('main').innerText(), /Your partner has shared their side/i);
    await assertNoHorizontalScroll(pageB, '/repairs/{id} writing (360 px)');
    // All feeling checkboxes ticked still fit at 360 px (every group opened).
    await openFeelingGroups(pageB);
    await pageB.locator('input[name="feelings"]').evaluateAll((bs) => { for (const b of bs) b.checked = true; });
    await assertNoHorizontalScroll(pageB, '/repairs/{id} writing, all feelings ticked (360 px)');
    await pageB.locator('input[name="feelings"]').evaluateAll((bs) => { for (const b of bs) b.checked = false; });
    await shoot(pageB, shots, 'repair-writing-360.png');
  });

  it('B writes a draft (A sees nothing of it), then shares: both sides open for both', async (t) => {
    markB = marker('sideB');
    await fillSide(pageB, { feelings: ['misunderstood', 'anxious'], ...sideTexts(markB) });
    await submit(pageB, 'Save my draft');
    await gotoOk(pageA, base, `/repairs/${repairId}`);
    assert.ok(!(await html(pageA)).includes(markB), 'B\'s draft is not on A\'s page');
    await gotoOk(pageA, base, '/repairs');
    assert.ok(!(await html(pageA)).includes(markB), 'B\'s draft is not on A\'s /repairs');

    await gotoOk(pageB, base, `/repairs/${repairId}?step=review`);
    const r = await submit(pageB, 'Share my side');
    assert.equal(r.status, 200);
    assert.equal(pathOf(pageB), `/repairs/${repairId}`);
    for (const [who, p] of [['A', pageA], ['B', pageB]]) {
      await gotoOk(p, base, `/repairs/${repairId}`);
      const sides = p.locator('article.side');
      assert.equal(await sides.count(), 2, `${who} sees two sides`);
      const text = await p.locator('main').innerText();
      for (const mk of [markA, markB]) {
        for (const part of Object.values(sideTexts(mk))) assert.ok(text.includes(part), `${who} sees "${part}"`);
      }
      for (const word of ['hurt', 'lonely', 'misunderstood', 'anxious']) {
        assert.ok(await p.locator('article.side .tag', { hasText: word }).count() >= 1, `${who} sees feeling "${word}"`);
      }
      await passCheck(p);
      assert.equal(await p.getByRole('button', { name: 'I have heard you', exact: true }).count(), 1,
        `${who} can acknowledge`);
    }
    await axeState(pageA, '/repairs/{id} (revealed)');
    await assertNoHorizontalScroll(pageB, '/repairs/{id} revealed (360 px)');
    const shot = await shoot(pageB, shots, 'repair-revealed-360.png');
    if (shot) t.diagnostic(`screenshots: ${shot}, repair-writing-360.png beside it`);
  });

  it('A acknowledges with a note, then B: the repair is resolved', async () => {
    const note = `thank you for telling me ${marker('note')}`;
    await gotoOk(pageA, base, `/repairs/${repairId}`);
    await pageA.getByLabel('A note for your partner (optional)').fill(note);
    await submit(pageA, 'I have heard you');
    assert.equal(pathOf(pageA), `/repairs/${repairId}`);
    assert.equal(await pageA.getByRole('button', { name: 'I have heard you', exact: true }).count(), 0,
      'A cannot acknowledge twice');
    assert.doesNotMatch(await pageA.locator('main').innerText(), /You have both acknowledged/i, 'not resolved yet');

    await gotoOk(pageB, base, `/repairs/${repairId}`);
    assert.ok((await pageB.locator('main').innerText()).includes(note), 'B sees A\'s note');
    await submit(pageB, 'I have heard you');
    for (const [who, p] of [['A', pageA], ['B', pageB]]) {
      await gotoOk(p, base, `/repairs/${repairId}`);
      assert.match(await p.locator('main').innerText(), /You have both acknowledged each other/,
        `${who}'s page says the repair is resolved`);
      assert.equal(await p.getByRole('button', { name: 'I have heard you', exact: true }).count(), 0);
    }
    await axeState(pageA, '/repairs/{id} (resolved)');
    await gotoOk(pageB, base, '/repairs');
    assert.match(await pageB.locator('main').innerText(), /Resolved/i, 'the list shows it resolved');
    await axeState(pageB, '/repairs (with items)');
  });

  it('solo: without a partner a repair is a private reflection, never waiting for anyone', async () => {
    const ctx = await newContext(browser, { bypassCSP: true });
    const ctxLater = await newContext(browser);
    try {
      const page = await ctx.newPage();
      await signup(page, base, { username: uniqueUsername('solo'), displayName: 'Sam Solo' });
      await createSpace(page, base);
      const soloTitle = `my own reflection ${marker('solo')}`;
      const mk = marker('soloside');
      await gotoOk(page, base, '/repairs/new');
      await submit(page, 'Continue');
      assert.match(await page.locator('main').innerText(), /private reflection/i,
        'the title step says this will be a private reflection');
      const id = await openRepair(page, base, soloTitle);
      const writing = await page.locator('main').innerText();
      assert.match(writing, /private reflection/i, 'the repair page says private reflection');
      assert.equal(await page.locator('form[action$="/safety"]').count(), 0, 'no check for one\'s own reflection');
      assert.doesNotMatch(writing, /waiting|partner has shared|opens for your partner/i,
        'nothing waits for a partner while writing');
      assert.equal(await page.getByRole('button', { name: 'Share my side', exact: true }).count(), 0,
        'nothing is "shared" in solo mode');
      await fillSide(page, { feelings: ['sad'], ...sideTexts(mk) });
      const r = await submit(page, 'Finish my reflection');
      assert.equal(r.status, 200);
      assert.equal(pathOf(page), `/repairs/${id}`);
      const done = await page.locator('main').innerText();
      assert.ok(done.includes(sideTexts(mk).perspective), 'the finished reflection is shown');
      assert.doesNotMatch(done, /waiting/i, 'a solo reflection never says it is waiting');
      assert.doesNotMatch(done, /for your partner|partner has/i, 'a solo reflection never waits for a partner');
      assert.equal(await page.getByRole('button', { name: 'I have heard you', exact: true }).count(), 0,
        'nothing to acknowledge in a solo reflection');
      await gotoOk(page, base, '/repairs');
      assert.doesNotMatch(await page.locator('main').innerText(), /waiting/i, '/repairs does not say waiting');

      // A partner who joins later does not see the reflection.
      const code = await createInvite(page, base);
      const later = await ctxLater.newPage();
      await signup(later, base, { username: uniqueUsername('late'), displayName: 'Lee Later' });
      await joinSpace(later, base, code);
      await gotoOk(later, base, '/repairs');
      const lHtml = await html(later);
      assert.ok(!lHtml.includes(soloTitle) && !lHtml.includes(mk), 'a later partner does not see a solo reflection');
      const resp = await later.goto(`${base}/repairs/${id}`);
      assert.equal(resp.status(), 404, 'a solo reflection is 404 for the later partner');
      assert.ok(!(await html(later)).includes(mk));
    } finally {
      await ctx.close();
      await ctxLater.close();
    }
  });

  for (const label of ['/repairs (empty)', '/repairs/new (check step)', '/repairs/new (title step)',
    '/repairs/new (title step with an error)', '/repairs/{id} (writing)', '/repairs/{id} (writing, with an error)',
    '/repairs/{id} (waiting)', '/repairs/{id} (revealed)', '/repairs/{id} (resolved)', '/repairs (with items)']) {
    it(`axe: ${label}`, () => {
      assert.ok(axeResults.has(label), `${label} was not reached (an earlier test failed)`);
      const e = axeResults.get(label);
      if (e) throw e;
    });
  }
});
