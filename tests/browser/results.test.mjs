// Charts people would rather look at, and results that mean something: the trends
// chart with both partners' equal values as two distinct markers (a circle and a
// diamond, side by side, a legend naming both), human dates on the axis, labels of
// 12 px or more at 360 px (measured: the font size times the SVG's scale), a sentence
// instead of an empty chart; a questionnaire result on its own page ("3.5 of 5 — up
// from 1.8 on 30 Nov", subscales by their names, the anchors explained, no blank form
// above it, source and licence inside "About this questionnaire"), a banded
// instrument's band and reliable change (the made-up fixture in
// tests/fixtures/questionnaires), the questionnaire's own chart with the scale's
// words. axe on every state; screenshots desktop and 360 px, light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { MOBILE, SCREENSHOTS, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, makeCouple, login, writeCheckin } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const Q_PATH = '/questionnaires/security-check';
const B_PATH = '/questionnaires/banded-sum';
const HUMAN_DATE = /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)( \d{4})?$/;

/** The chart's markers that mark a day (they carry a <title>), with their centres on the screen. */
async function markers(page) {
  return page.locator('main figure svg').evaluate((svg) => [...svg.querySelectorAll('.dot')]
    .filter((m) => m.querySelector('title'))
    .map((m) => {
      const r = m.getBoundingClientRect();
      return {
        shape: m.tagName.toLowerCase(), who: m.querySelector('title').textContent,
        x: r.x + r.width / 2, y: r.y + r.height / 2, w: r.width, h: r.height,
        fill: getComputedStyle(m).fill,
      };
    }));
}

/** The smallest rendered size of the chart's texts: the font size times the SVG's scale. */
async function smallestLabel(page) {
  return page.locator('main figure svg').first().evaluate((svg) => {
    const scale = svg.getScreenCTM().a;
    const sizes = [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    return { min: Math.min(...sizes), count: sizes.length, scale };
  });
}

/** Answers every item of the form on the page with `value` (mirrored for reversed items when `honest`). */
async function answerAll(page, items, pick) {
  for (const it of items) await page.locator(`input[name="${it.id}"][value="${pick(it)}"]`).check();
}

describe('charts and results', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let pageA; let pageB; let couple;
  let sc; let banded;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite({ env: { HEARTH_QUESTIONNAIRES_DIR: path.join(repoRoot, 'tests/fixtures/questionnaires') } }));
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    couple = await makeCouple(pageA, pageB, base, 'rs');
    sc = await (await pageA.request.get(`${base}/api/v1/questionnaires/security-check`)).json();
    banded = await (await pageA.request.get(`${base}/api/v1/questionnaires/banded-sum`)).json();
  });
  after(() => closeSuite({ server, browser }));

  /** Screenshots of path as A: desktop and 360 px, light and dark. */
  async function screenshots(label, urlPath) {
    for (const [size, opts] of [['desktop', { viewport: { width: 1200, height: 900 } }], ['360', MOBILE]]) {
      for (const scheme of ['light', 'dark']) {
        const ctx = await newContext(browser, { ...opts, colorScheme: scheme });
        try {
          const page = await ctx.newPage();
          await login(page, base, { username: couple.a.username });
          await gotoOk(page, base, urlPath);
          await shoot(page, shots, `results-${label}-${size}-${scheme}.png`);
        } finally {
          await ctx.close();
        }
      }
    }
  }

  it('/trends without data says so in a sentence instead of drawing an empty chart', async () => {
    await gotoOk(pageA, base, '/trends');
    assert.equal(await pageA.locator('main svg').count(), 0, 'no chart');
    assert.ok(await pageA.getByText('No check-ins in this period yet from either of you.', { exact: true }).isVisible());
    await assertNoAxeViolations(pageA, '/trends (empty)');
  });

  it('equal values of both partners are two distinct markers, side by side, named by a legend', async () => {
    await writeCheckin(pageA, base, { mood: 3, visibility: 'partner' });
    await writeCheckin(pageB, base, { mood: 3, visibility: 'partner' });
    await gotoOk(pageA, base, '/trends');
    const ms = await markers(pageA);
    assert.equal(ms.length, 2, `one marker each: ${JSON.stringify(ms)}`);
    const mine = ms.find((m) => m.who.startsWith('You,'));
    const theirs = ms.find((m) => m.who.startsWith(`${couple.b.displayName},`));
    assert.ok(mine && theirs, `each marker names whose it is: ${ms.map((m) => m.who)}`);
    assert.notEqual(mine.shape, theirs.shape, 'two shapes, not colour alone');
    assert.notEqual(mine.fill, theirs.fill, 'and two colours');
    for (const m of [mine, theirs]) assert.ok(m.w >= 8 && m.h >= 8, `a visible marker: ${JSON.stringify(m)}`);
    const apart = Math.abs(mine.x - theirs.x);
    assert.ok(apart >= (mine.w + theirs.w) / 2, `side by side, not one behind the other (${apart.toFixed(1)} px apart)`);
    assert.ok(Math.abs(mine.y - theirs.y) < 1, 'at the same height: the same value');
    assert.match(mine.who, /, \d{1,2} [A-Z][a-z]{2}: 3\.0$/);
    const legend = await pageA.locator('main figure svg text').allTextContents();
    assert.ok(legend.includes('You') && legend.includes(couple.b.displayName), `a legend names both: ${legend}`);
    await assertNoAxeViolations(pageA, '/trends (equal values)');
  });

  it('the time axis has human dates and starts at the first point', async () => {
    await gotoOk(pageA, base, '/trends?period=365');
    const texts = await pageA.locator('main figure svg text[text-anchor]').allTextContents();
    const dates = texts.filter((t) => /[A-Za-z]/.test(t) && !['You', couple.b.displayName].includes(t));
    assert.ok(dates.length >= 1, `date labels: ${texts}`);
    for (const d of dates) assert.match(d, HUMAN_DATE);
    assert.ok(!texts.some((t) => /\d{4}-\d{2}-\d{2}/.test(t)), 'no ISO dates on the axis');
    // All data is from today: the window is today, not a year with one point at its right edge.
    const ms = await markers(pageA);
    const box = await pageA.locator('main figure svg').boundingBox();
    for (const m of ms) assert.ok(m.x < box.x + box.width * 0.75, `the point is not squeezed to the right edge (${m.x} of ${box.x}+${box.width})`);
  });

  it('labels are at least 12 px on a 360-px phone (trends, the questionnaire chart)', async () => {
    const ctx = await newContext(browser, { ...MOBILE, bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await login(page, base, { username: couple.a.username });
      await gotoOk(page, base, '/trends');
      const t = await smallestLabel(page);
      assert.ok(t.count >= 4, `texts in the chart: ${t.count}`);
      assert.ok(t.min >= 12, `the smallest label is ${t.min.toFixed(2)} px (scale ${t.scale.toFixed(3)})`);
      const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
      assert.ok(scrollWidth <= 360, `no horizontal scrolling (${scrollWidth})`);
      await assertNoAxeViolations(page, '/trends at 360 px');
    } finally {
      await ctx.close();
    }
  });

  it(`${Q_PATH}: the page says it is not a clinical measure; source and licence live in "About this questionnaire"`, async () => {
    await gotoOk(pageA, base, Q_PATH);
    assert.ok(await pageA.getByText(/not a validated clinical measure/).first().isVisible());
    const about = pageA.locator('main details').filter({ has: pageA.locator('summary', { hasText: 'About this questionnaire' }) });
    assert.equal(await about.count(), 1, 'an "About this questionnaire" detail');
    assert.equal(await about.getAttribute('open'), null, 'closed at first');
    assert.ok(!(await about.getByText(`Licence: ${sc.licence}`).isVisible()), 'the licence is not in the couple\'s view');
    const outside = await pageA.locator('main').evaluate((m, lic) => {
      const copy = m.cloneNode(true);
      copy.querySelectorAll('details').forEach((d) => d.remove());
      return copy.textContent.includes(lic);
    }, sc.licence);
    assert.ok(!outside, 'the licence appears nowhere else on the page');
    await about.locator('summary').click();
    assert.ok(await about.getByText(`Licence: ${sc.licence}`).isVisible());
    assert.ok(await about.getByText(`Source: ${sc.citation}`).isVisible());
    // axe's target-size rule measures what is on the screen: back to the top, where a reader starts.
    await pageA.evaluate(() => window.scrollTo(0, 0));
    await assertNoAxeViolations(pageA, `${Q_PATH} (about open)`);
  });

  it(`${Q_PATH}: a result on its own page: "3.5 of 5 — up from 1.8 on …", subscales by name, no blank form`, async () => {
    // First: every answer 1 (reversed items 1 too): (12 × 1 + 4 × 5) / 16 = 2.0.
    await gotoOk(pageA, base, Q_PATH);
    await answerAll(pageA, sc.items, () => 1);
    let r = await submit(pageA, 'Save my answers');
    assert.equal(r.postStatus, 303);
    assert.equal(pathOf(pageA), Q_PATH);
    const first = (await pageA.locator('main .result-score').textContent()).trim();
    assert.equal(first, '2.0 of 5', 'the first result has nothing to compare with');
    // Then: 4 everywhere: (12 × 4 + 4 × 2) / 16 = 3.5.
    await gotoOk(pageA, base, Q_PATH);
    await answerAll(pageA, sc.items, () => 4);
    r = await submit(pageA, 'Save my answers');
    assert.match(pageA.url(), /\?done=1$/);
    assert.equal(await pageA.locator('[role="status"]').count(), 1, 'a notice says it was saved');
    const line = (await pageA.locator('main .result-score').textContent()).trim();
    assert.match(line, /^3\.5 of 5 — up from 2\.0 on \d{1,2} [A-Z][a-z]{2}$/);
    assert.equal(await pageA.getByRole('button', { name: 'Save my answers' }).count(), 0, 'the blank form is not repeated');
    assert.equal(await pageA.locator('main input[type="radio"]').count(), 0);
    const parts = await pageA.locator('main dl.result-parts dt').allTextContents();
    assert.deepEqual(parts, Object.values(sc.subscales), 'each subscale by its name');
    for (const key of Object.keys(sc.subscales)) assert.ok(!parts.includes(key), `not the key ${key}`);
    assert.deepEqual(await pageA.locator('main dl.result-parts dd').allTextContents(), ['3.5 of 5', '3.5 of 5', '3.5 of 5', '3.5 of 5']);
    const hint = await pageA.locator('main p.hint').first().textContent();
    assert.match(hint, /Scores go from 1 to 5/);
    assert.match(hint, /from 1, “Not at all true”, to 5, “Very true”/, 'the anchors explained');
    assert.match(hint, /count in reverse/);
    assert.ok(await pageA.getByText(/not a validated clinical measure/).first().isVisible(), 'the result page says it too');
    assert.equal(await pageA.locator('main').getByText(/range “/).count(), 0, 'no bands for the security check');
    assert.equal(await pageA.locator('main details summary', { hasText: 'About this questionnaire' }).count(), 1);
    await assertNoAxeViolations(pageA, `${Q_PATH}?done=1 (result)`);
    // The older result has its own page too, reached from the list.
    await pageA.locator('main .result-row a').nth(1).click();
    await pageA.waitForLoadState('load');
    assert.match(pageA.url(), /\?result=[0-9a-f]+$/);
    assert.equal((await pageA.locator('main .result-score').textContent()).trim(), '2.0 of 5');
    assert.equal(await pageA.locator('[role="status"]').count(), 0, 'no "Saved" notice there');
    // Someone else's result id is not found.
    const other = await pageB.goto(`${base}${new URL(pageA.url()).pathname}${new URL(pageA.url()).search}`);
    assert.equal(other.status(), 404, "the partner cannot open A's result page");
  });

  it("the questionnaire's own chart has the scale's words on its axis, readable at 360 px", async () => {
    await gotoOk(pageA, base, Q_PATH);
    const texts = await pageA.locator('main figure svg text').allTextContents();
    for (const w of ['Not at all true', 'Very true']) assert.ok(texts.includes(w), `"${w}" on the axis: ${texts}`);
    await assertNoAxeViolations(pageA, `${Q_PATH} (with results)`);
    const ctx = await newContext(browser, { ...MOBILE, bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await login(page, base, { username: couple.a.username });
      await gotoOk(page, base, `${Q_PATH}?done=1`);
      const t = await smallestLabel(page);
      assert.ok(t.min >= 12, `the smallest label is ${t.min.toFixed(2)} px`);
      const { scrollWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth }));
      assert.ok(scrollWidth <= 360, `no horizontal scrolling (${scrollWidth})`);
      await assertNoAxeViolations(page, `${Q_PATH}?done=1 at 360 px`);
    } finally {
      await ctx.close();
    }
  });

  it(`${B_PATH}: a banded instrument shows the band and whether the change is larger than its threshold`, async () => {
    await gotoOk(pageA, base, B_PATH);
    await answerAll(pageA, banded.items, (it) => (it.reverse ? it.max : it.min)); // sum 0
    await submit(pageA, 'Save my answers');
    assert.equal((await pageA.locator('main .result-score').textContent()).trim(), '0 of 20');
    assert.ok(await pageA.getByText('This score is in the range “Below the cut-off” (0 to 9).', { exact: true }).isVisible());
    assert.equal(await pageA.getByText(/^This change is/).count(), 0, 'a first result has no change to judge');
    await gotoOk(pageA, base, B_PATH);
    await answerAll(pageA, banded.items, (it) => (it.reverse ? it.min : it.max)); // sum 20
    await submit(pageA, 'Save my answers');
    assert.match((await pageA.locator('main .result-score').textContent()).trim(), /^20 of 20 — up from 0 on \d{1,2} [A-Z][a-z]{2}$/);
    assert.ok(await pageA.getByText('This score is in the range “At or above the cut-off” (10 to 20).', { exact: true }).isVisible());
    assert.ok(await pageA.getByText(/^This change is larger than 3 points/).isVisible());
    assert.deepEqual(await pageA.locator('main dl.result-parts dt').allTextContents(), ['Feeling close', 'Feeling calm']);
    await pageA.locator('main details summary').click();
    assert.ok(await pageA.getByText('At or above the cut-off: 10 to 20', { exact: true }).isVisible(), 'the bands listed in About');
    assert.ok(await pageA.getByText(/A change of more than 3 points/).isVisible());
    await assertNoAxeViolations(pageA, `${B_PATH}?done=1 (banded)`);
    // a small change: within the threshold
    await gotoOk(pageA, base, B_PATH);
    await answerAll(pageA, banded.items, (it) => (it.id === 'n1' ? it.max - 2 : it.reverse ? it.min : it.max)); // sum 18
    await submit(pageA, 'Save my answers');
    assert.match((await pageA.locator('main .result-score').textContent()).trim(), /^18 of 20 — down from 20 on /);
    assert.ok(await pageA.getByText(/^This change is within 3 points/).isVisible());
  });

  it('screenshots: trends, a result, the questionnaire chart; desktop and 360 px, light and dark', { skip: !SCREENSHOTS && 'no HEARTH_SCREENSHOT_DIR' }, async () => {
    await screenshots('trends', '/trends');
    await screenshots('result', `${Q_PATH}?done=1`);
    await screenshots('banded', `${B_PATH}?done=1`);
    await screenshots('questionnaire-chart', '/trends?metric=security-check');
  });
});
