// The repair stepper (issue 11): one step per screen ("Step 2 of 6"), Back and Next that
// save the draft (Back keeps what was typed), "Draft saved at HH:MM" in a <time datetime>,
// feelings as chips in folding groups, the ground rules on the first step only, the private
// safety check for the partner who joins and before "I have heard you" (a worrying answer:
// resources, and going on privately only, the partner told nothing), each acknowledgement
// note under the side it answers, solo reflections. End to end for both partners, once with
// JavaScript (A at desktop size, B at 360 px; axe on every screen; screenshots light and dark)
// and once without JavaScript (both). Screenshots when HEARTH_SCREENSHOT_DIR is set.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, SCREENSHOTS, assertNoHorizontalScroll, shootSchemes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  gotoOk, submit, pathOf, marker, makeCouple, signup, uniqueUsername, createSpace, html,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DESKTOP = { viewport: { width: 1200, height: 900 } };
const STEPS = ['feelings', 'perspective', 'touched', 'my_part', 'next_time', 'review'];
const TEXT_STEPS = ['perspective', 'touched', 'my_part', 'next_time'];
// Words that would give a safety check away on the partner's pages.
const TELLTALE = /afraid|pressured|deserve to be safe|where to find help|privately/i;
const REPAIR_PATH = /^\/repairs\/([^/?#]+)$/;

function stepOf(page) {
  return new URL(page.url()).searchParams.get('step');
}

/** The check with nothing ticked, then the title; lands on step 1 of the new repair. */
async function openRepair(page, base, title) {
  await gotoOk(page, base, '/repairs/new');
  await page.getByRole('heading', { name: 'First, a private check' }).waitFor();
  await submit(page, 'Continue');
  await page.getByLabel('What happened, in a few words', { exact: true }).fill(title);
  await submit(page, 'Open the repair');
  const m = REPAIR_PATH.exec(pathOf(page));
  assert.ok(m, `"Open the repair" lands on /repairs/{id}, got ${page.url()}`);
  return m[1];
}

/** Opens the group of a feeling (its <details>) and ticks the chip. */
async function chooseFeeling(page, word) {
  const box = page.locator(`input[type="checkbox"][name="feelings"][value="${word}"]`);
  const details = page.locator('details', { has: box });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  await box.check();
}

describe('repair stepper', () => {
  let server; let browser; let base; let shots;
  const shotList = [];

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
  });
  after(() => closeSuite({ server, browser }));

  /** Screenshots of the page as it is, light and dark (with JavaScript only). */
  async function shootWithJs(page, name, js) {
    if (js) shotList.push(...await shootSchemes(page, shots, name));
  }

  /** What every screen gets: axe (with JS), no sideways scrolling at 360 px, screenshots. */
  async function screen(page, who, label, { js, mobile }) {
    // As the screen loads (scrolled to the top): the sticky quick exit covers the header once scrolled,
    // which is the layout's, not this screen's.
    if (js) await page.evaluate(() => window.scrollTo(0, 0));
    if (js) await assertNoAxeViolations(page, `${who}: ${label}`);
    if (mobile && js) await assertNoHorizontalScroll(page, `${who}: ${label}`);
    await shootWithJs(page, `${who}-${label.replace(/[^a-z0-9]+/gi, '-')}-${mobile ? '360' : 'desktop'}`, js);
  }

  /**
   * Writes a whole side step by step: checks "Step N of 6", the ground rules on the first step only,
   * the saved time, and that Back keeps what was typed; shares it at the end.
   */
  async function writeSide(page, id, side, who, opts) {
    assert.equal(pathOf(page), `/repairs/${id}`);
    // Step 1: the feelings, with the ground rules.
    assert.match(await page.locator('.step-count').innerText(), /^Step 1 of 6$/);
    const rules = page.getByRole('heading', { name: 'Before you begin' });
    assert.equal(await rules.count(), 1, 'the ground rules on the first step');
    assert.ok((await page.locator('#rules li').count()) >= 3, 'the ground rules are listed');
    const groups = page.locator('fieldset#feelings fieldset.feeling-group');
    assert.ok(await groups.count() >= 2, 'feelings in several groups');
    for (const g of await groups.all()) {
      assert.ok(((await g.locator(':scope > legend').textContent()) || '').trim().length > 0, 'each group is labelled');
      assert.equal(await g.locator('details').count(), 1, 'each group folds (details)');
    }
    const allOpen = await page.locator('fieldset.feeling-group details[open]').count();
    assert.equal(allOpen, 0, 'the groups start folded when nothing is chosen');
    await screen(page, who, 'step-1-feelings', opts);
    for (const w of side.feelings) await chooseFeeling(page, w);
    if (opts.js) await screen(page, who, 'step-1-feelings-chosen', opts);
    await submit(page, 'Next');
    assert.equal(stepOf(page), 'perspective');
    // The saved time, in a <time datetime>, and no score of how many were chosen.
    const time = page.locator('.saved time');
    assert.equal(await time.count(), 1, 'draft saved time shown');
    assert.match(await time.getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(await time.innerText(), /^\d\d:\d\d$/);
    assert.match(await page.locator('.saved').innerText(), /^Draft saved at \d\d:\d\d UTC$/);
    // Later steps: no ground rules, but a small way to reread them.
    assert.equal(await page.getByRole('heading', { name: 'Before you begin' }).count(), 0, 'the rules are shown once');
    assert.equal(await page.locator('details.reread summary', { hasText: 'Reread the ground rules' }).count(), 1);

    for (let i = 0; i < TEXT_STEPS.length; i += 1) {
      const name = TEXT_STEPS[i];
      assert.equal(stepOf(page), name);
      assert.equal(await page.locator('.step-count').innerText(), `Step ${i + 2} of 6`);
      const box = page.locator(`textarea[name="${name}"]`);
      assert.equal(await page.locator('textarea').count(), 1, 'one question per screen');
      await box.fill(side[name]);
      if (i === 0) {
        // Back saves and keeps what was typed; Next brings it back.
        await submit(page, 'Back');
        assert.equal(stepOf(page), 'feelings');
        for (const w of side.feelings) {
          assert.ok(await page.locator(`input[name="feelings"][value="${w}"]`).isChecked(), `${w} stays chosen`);
        }
        const summaries = await page.locator('fieldset.feeling-group summary .chosen').allInnerTexts();
        assert.ok(summaries.join(' ').includes(side.feelings[0]), 'the chosen words show in the folded group');
        assert.ok(!summaries.some((s) => /^\s*\d+\s*$/.test(s)), 'no count is shown as a score');
        await submit(page, 'Next');
        assert.equal(await page.locator('textarea[name="perspective"]').inputValue(), side.perspective,
          'Back kept what was typed');
      }
      await screen(page, who, `step-${i + 2}-${name}`, opts);
      await submit(page, 'Next');
    }
    assert.equal(stepOf(page), 'review');
    assert.equal(await page.locator('.step-count').innerText(), 'Step 6 of 6');
    const review = await page.locator('main').innerText();
    for (const name of TEXT_STEPS) assert.ok(review.includes(side[name]), `the review shows ${name}`);
    for (const w of side.feelings) assert.ok(review.includes(w), `the review shows ${w}`);
    await screen(page, who, 'step-6-review', opts);
    const r = await submit(page, side.solo ? 'Finish my reflection' : 'Share my side');
    assert.equal(r.status, 200);
    assert.equal(pathOf(page), `/repairs/${id}`);
  }

  for (const js of [true, false]) {
    it(`two partners end to end ${js ? 'with' : 'without'} JavaScript (A desktop, B 360 px)`, async (t) => {
      const ctxA = await newContext(browser, { bypassCSP: true, javaScriptEnabled: js, ...DESKTOP });
      const ctxB = await newContext(browser, { bypassCSP: true, javaScriptEnabled: js, ...MOBILE });
      try {
        const a = await ctxA.newPage();
        const b = await ctxB.newPage();
        await makeCouple(a, b, base, js ? 'st' : 'sn');
        const optsA = { js, mobile: false };
        const optsB = { js, mobile: true };
        const title = `the talk about the holidays ${marker('t')}`;
        const id = await openRepair(a, base, title);
        const mA = marker('A');
        const mB = marker('B');
        const sideA = {
          feelings: ['hurt', 'lonely'],
          perspective: `${mA} I felt unheard when the plans changed`,
          touched: `${mA} an old fear of not mattering`,
          my_part: `${mA} I raised my voice`,
          next_time: `${mA} let us pause and talk later`,
        };
        const sideB = {
          feelings: ['misunderstood', 'anxious'],
          perspective: `${mB} I was tired and it came out wrong`,
          touched: `${mB} being told I am too much`,
          my_part: `${mB} I walked away mid-sentence`,
          next_time: `${mB} I will say when I need a break`,
        };
        await writeSide(a, id, sideA, 'A', optsA);
        assert.match(await a.locator('main').innerText(), /Your side is shared/);
        await screen(a, 'A', 'waiting', optsA);

        // B joins: first the private check, then step 1.
        await gotoOk(b, base, `/repairs/${id}`);
        await b.getByRole('heading', { name: 'First, a private check' }).waitFor();
        assert.equal(await b.locator('.step-count').count(), 0, 'the check comes before the steps');
        assert.ok(!(await html(b)).includes(mA), 'nothing of A\'s side before B shares');
        await screen(b, 'B', 'join-check', optsB);
        await submit(b, 'Continue');
        assert.equal(pathOf(b), `/repairs/${id}`);
        assert.match(await b.locator('main').innerText(), /Your partner has shared their side/);
        await writeSide(b, id, sideB, 'B', optsB);

        // Revealed: both sides for both; the check comes before "I have heard you".
        for (const [who, p, opts] of [['A', a, optsA], ['B', b, optsB]]) {
          await gotoOk(p, base, `/repairs/${id}`);
          assert.equal(await p.locator('article.side').count(), 2, `${who} sees both sides`);
          const text = await p.locator('main').innerText();
          for (const s of [sideA, sideB]) for (const n of TEXT_STEPS) assert.ok(text.includes(s[n]), `${who} sees ${n}`);
          assert.equal(await p.getByRole('button', { name: 'I have heard you', exact: true }).count(), 0,
            'no "I have heard you" before the check');
          await p.getByRole('heading', { name: 'Before you answer, a private check' }).waitFor();
          await screen(p, who, 'revealed-check', opts);
        }
        // A: a clear check, then the note.
        await submit(a, 'Continue');
        assert.equal(await a.getByRole('button', { name: 'I have heard you', exact: true }).count(), 1);
        await screen(a, 'A', 'acknowledge', optsA);
        const noteA = `thank you for telling me ${marker('noteA')}`;
        await a.getByLabel('A note for your partner (optional)').fill(noteA);
        await submit(a, 'I have heard you');

        // B: a worrying answer first: the resources, then going on privately; A is told nothing.
        const aBefore = await (async () => { await gotoOk(a, base, `/repairs/${id}`); return a.locator('main').innerText(); })();
        await gotoOk(b, base, `/repairs/${id}`);
        await b.getByLabel('I feel pressured to do this').check();
        await submit(b, 'Continue');
        assert.equal(pathOf(b), '/safety');
        assert.match(await b.locator('main').innerText(), /Where to find help/);
        await screen(b, 'B', 'heard-worrying-resources', optsB);
        await Promise.all([b.waitForNavigation(), b.getByRole('link', { name: 'Continue privately' }).click()]);
        assert.equal(pathOf(b), `/repairs/${id}`);
        assert.equal(await b.getByRole('button', { name: 'I have heard you', exact: true }).count(), 0,
          'privately only: no acknowledgement from here');
        assert.match(await b.locator('main').innerText(), /Nothing is sent to your partner/);
        assert.equal(await b.getByRole('link', { name: 'Propose an agreement from this repair' }).count(), 0,
          'privately only: nothing proposed to the partner from here');
        await screen(b, 'B', 'heard-privately', optsB);
        await gotoOk(a, base, `/repairs/${id}`);
        const aAfter = await a.locator('main').innerText();
        assert.equal(aAfter, aBefore, 'A\'s page is the same after B\'s check');
        assert.doesNotMatch(aAfter, TELLTALE, 'A\'s page says nothing of B\'s check');

        // B answers again, clear this time, and acknowledges.
        await Promise.all([b.waitForNavigation(), b.getByRole('link', { name: 'Answer the private check again' }).click()]);
        await submit(b, 'Continue');
        const noteB = `I hear you ${marker('noteB')}`;
        await b.getByLabel('A note for your partner (optional)').fill(noteB);
        await submit(b, 'I have heard you');

        // Each note under the side it answers: A's note under B's side, B's under A's.
        for (const [who, p] of [['A', a], ['B', b]]) {
          await gotoOk(p, base, `/repairs/${id}`);
          const sideOfA = p.locator('article.side', { hasText: sideA.perspective });
          const sideOfB = p.locator('article.side', { hasText: sideB.perspective });
          assert.ok((await sideOfB.locator('.heard').innerText()).includes(noteA), `${who}: A's note under B's side`);
          assert.ok((await sideOfA.locator('.heard').innerText()).includes(noteB), `${who}: B's note under A's side`);
          assert.ok(!(await sideOfA.innerText()).includes(noteA), `${who}: A's note is not under A's own side`);
          assert.match(await p.locator('main').innerText(), /You have both acknowledged each other/);
        }
        await screen(a, 'A', 'resolved', optsA);
        await screen(b, 'B', 'resolved', optsB);
        if (js && shots) t.diagnostic(`screenshots: ${shots}`);
      } finally {
        await ctxA.close();
        await ctxB.close();
      }
    });
  }

  it('the joining partner\'s worrying answer: resources, then writing privately only; A is told nothing', async () => {
    const ctxA = await newContext(browser, { bypassCSP: true, ...DESKTOP });
    const ctxB = await newContext(browser, { bypassCSP: true, ...MOBILE });
    try {
      const a = await ctxA.newPage();
      const b = await ctxB.newPage();
      await makeCouple(a, b, base, 'sw');
      const id = await openRepair(a, base, `the dishes ${marker('t')}`);
      await gotoOk(a, base, `/repairs/${id}`);
      const aBefore = await html(a);
      await gotoOk(b, base, `/repairs/${id}`);
      await b.getByLabel('I feel afraid of my partner').check();
      await submit(b, 'Continue');
      assert.equal(pathOf(b), '/safety');
      await assertNoAxeViolations(b, 'resources after the join check');
      await Promise.all([b.waitForNavigation(), b.getByRole('link', { name: 'Continue privately' }).click()]);
      assert.equal(stepOf(b), null);
      assert.match(await b.locator('main').innerText(), /You are writing privately/);
      await assertNoAxeViolations(b, 'step 1, privately');
      await chooseFeeling(b, 'scared');
      for (const s of STEPS.slice(0, 5)) {
        assert.match(await b.locator('main').innerText(), /You are writing privately/, `${s}: still private`);
        if (TEXT_STEPS.includes(s)) await b.locator(`textarea[name="${s}"]`).fill(`private ${s}`);
        await submit(b, 'Next');
      }
      assert.equal(stepOf(b), 'review');
      assert.equal(await b.getByRole('button', { name: 'Share my side', exact: true }).count(), 0, 'no sharing privately');
      await assertNoAxeViolations(b, 'review, privately');
      await shootWithJs(b, 'B-join-privately-review-360', true);
      // A sees nothing of it: the same page as before.
      await gotoOk(a, base, `/repairs/${id}`);
      assert.equal(await html(a), aBefore, 'A\'s repair page did not change');
      await gotoOk(a, base, '/repairs');
      assert.doesNotMatch(await a.locator('main').innerText(), TELLTALE);
      assert.doesNotMatch(await a.locator('main').innerText(), /has shared/i);
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  });

  it('the opener\'s worrying answer offers a private reflection that the partner never sees', async () => {
    const ctxA = await newContext(browser, { bypassCSP: true });
    const ctxB = await newContext(browser);
    try {
      const a = await ctxA.newPage();
      const b = await ctxB.newPage();
      await makeCouple(a, b, base, 'sr');
      await gotoOk(a, base, '/repairs/new');
      await a.getByLabel('I feel pressured to do this').check();
      await submit(a, 'Continue');
      await Promise.all([a.waitForNavigation(), a.getByRole('link', { name: 'Write a private reflection' }).click()]);
      assert.match(await a.locator('main').innerText(), /private reflection/);
      const title = `just for me ${marker('r')}`;
      await a.getByLabel('What happened, in a few words', { exact: true }).fill(title);
      await submit(a, 'Open the repair');
      assert.ok(REPAIR_PATH.test(pathOf(a)));
      await gotoOk(b, base, '/repairs');
      assert.ok(!(await html(b)).includes(title), 'the partner does not see the reflection');
    } finally {
      await ctxA.close();
      await ctxB.close();
    }
  });

  it('solo: the same steps, a private reflection, no check and nothing to acknowledge', async () => {
    const ctx = await newContext(browser, { bypassCSP: true, ...MOBILE });
    try {
      const page = await ctx.newPage();
      await signup(page, base, { username: uniqueUsername('ss'), displayName: 'Sam Solo' });
      await createSpace(page, base);
      const id = await openRepair(page, base, `my own reflection ${marker('s')}`);
      assert.match(await page.locator('main').innerText(), /private reflection/i);
      const mk = marker('solo');
      await writeSide(page, id, {
        solo: true, feelings: ['sad'], perspective: `${mk} p`, touched: `${mk} t`, my_part: `${mk} m`, next_time: `${mk} n`,
      }, 'solo', { js: true, mobile: true });
      const done = await page.locator('main').innerText();
      assert.ok(done.includes(`${mk} p`));
      assert.doesNotMatch(done, /waiting|partner/i);
      assert.equal(await page.getByRole('button', { name: 'I have heard you', exact: true }).count(), 0);
      assert.equal(await page.getByRole('heading', { name: 'First, a private check' }).count(), 0);
      await screen(page, 'solo', 'finished', { js: true, mobile: true });
    } finally {
      await ctx.close();
    }
  });

  it('an error on the way keeps what was typed and says where (sharing without a feeling)', async () => {
    const ctx = await newContext(browser, { bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await signup(page, base, { username: uniqueUsername('se'), displayName: 'Eli Error' });
      await createSpace(page, base);
      const id = await openRepair(page, base, `errors ${marker('e')}`);
      await submit(page, 'Next');
      const typed = `${marker('typed')} what I saw`;
      await page.locator('textarea[name="perspective"]').fill(typed);
      for (let i = 0; i < 4; i += 1) await submit(page, 'Next');
      const r = await submit(page, 'Finish my reflection');
      assert.equal(r.postStatus, 400);
      assert.equal(stepOf(page), null);
      assert.equal(await page.locator('fieldset#feelings #feelings-error').count(), 1, 'the feelings step with its error');
      assert.match(await page.locator('.step-count').innerText(), /^Step 1 of 6$/);
      assert.equal(await page.locator('.error-summary[role="alert"]').count(), 1);
      await assertNoAxeViolations(page, 'feelings step with an error');
      await submit(page, 'Next');
      assert.equal(await page.locator('textarea[name="perspective"]').inputValue(), typed, 'the typed text is kept');
      assert.equal(pathOf(page), `/repairs/${id}`);
    } finally {
      await ctx.close();
    }
  });

  it('screenshots were taken', { skip: !SCREENSHOTS && 'no HEARTH_SCREENSHOT_DIR' }, (t) => {
    assert.ok(shotList.length >= 20, `screenshots: ${shotList.length}`);
    t.diagnostic(`screenshots in ${shots}`);
  });
});
