// Growth: agreements with gentle looks back (propose, review, retire, make active again,
// form errors that keep the input), the questionnaire (answers, results over time, an
// unanswered item), trends as an inline SVG chart (works without JavaScript), the mood
// chart on the dashboard, the timeline, the printable export and deleting an account.
// Also axe-core on every state met on the way, 360 px layouts, and the dark colour
// scheme (screenshots of /trends and the dashboard, and axe there).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { MOBILE, assertNoHorizontalScroll, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  gotoOk, submit, pathOf, marker, makeCouple, login, writeCheckin, PASSWORD,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const Q_ID = 'security-check';
const Q_PATH = `/questionnaires/${Q_ID}`;
const TEXT_LABEL = 'What we agree to try';
const DAYS_LABEL = 'Look at it again every … days (1–90)';

/** The agreement card (article.card) on the page whose heading is `text`. */
function agreementCard(page, text) {
  return page.locator('main article.card').filter({ has: page.getByRole('heading', { name: text, exact: true }) });
}

/** The chart on the page: an inline svg[role=img] named by its <title> and described by its <desc>. */
async function assertChart(page, label) {
  const svg = page.locator('main figure svg');
  assert.equal(await svg.count(), 1, `${label}: one inline <svg> chart in a <figure>`);
  const info = await svg.evaluate((s) => {
    const ids = (s.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
    return {
      role: s.getAttribute('role'),
      title: s.querySelector(':scope > title')?.textContent || '',
      desc: s.querySelector(':scope > desc')?.textContent || '',
      labelledBy: ids.map((id) => document.getElementById(id)?.tagName.toLowerCase() || `missing #${id}`),
      ns: s.namespaceURI,
    };
  });
  assert.equal(info.role, 'img', `${label}: the svg has role="img"`);
  assert.equal(info.ns, 'http://www.w3.org/2000/svg', `${label}: a real SVG element`);
  assert.ok(info.title.trim().length > 0, `${label}: the svg has a <title>`);
  assert.ok(info.desc.trim().length > 0, `${label}: the svg has a <desc>`);
  assert.deepEqual(info.labelledBy, ['title', 'desc'], `${label}: aria-labelledby names the <title> and <desc>`);
  return info;
}

/** Every in-page link in the error summary leads to an element on the page. */
async function assertSummaryLinksResolve(page) {
  const hrefs = await page.locator('.error-summary a[href^="#"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(hrefs.length > 0, `an error summary with a link on ${page.url()}`);
  for (const h of hrefs) {
    const found = await page.evaluate((id) => !!document.getElementById(id), h.slice(1));
    assert.ok(found, `${new URL(page.url()).pathname}: the error summary link ${h} leads to an element with id "${h.slice(1)}"`);
  }
}

describe('growth: agreements, questionnaires, trends, timeline, export, deleting an account', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let pageA; let pageB; let couple;
  let agreementText; let reviewNote; let checkinMarkA; let checkinMarkB;
  let questionnaire;
  const axeResults = new Map();
  const AXE_LABELS = [
    '/agreements (empty)', '/agreements (with an error: empty text)', '/agreements (with an error: 0 days)',
    '/agreements (with items)', '/agreements (retired item)', '/questionnaires', `${Q_PATH}`,
    `${Q_PATH} (with an error)`, `${Q_PATH} (with a result)`, '/trends', '/trends?metric=connection&period=7',
    `/trends?metric=${Q_ID}`, '/dashboard (with chart)', '/timeline', '/account/export', '/account/delete',
    '/account/delete (with an error)', '/trends (dark)', '/dashboard (dark)',
  ];

  /** axe on the page as it is; the outcome is reported by its own test below. */
  async function axeState(page, label) {
    assert.ok(AXE_LABELS.includes(label), `unknown axe label ${label}`);
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
    ctxB = await newContext(browser, { bypassCSP: true });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    couple = await makeCouple(pageA, pageB, base, 'gr');
    questionnaire = JSON.parse(await readFile(path.join(repoRoot, 'data/questionnaires', `${Q_ID}.json`), 'utf8'));
  });
  after(() => closeSuite({ server, browser }));

  // --- agreements ---

  it('/agreements is empty at first, with the proposal form', async () => {
    await gotoOk(pageA, base, '/agreements');
    assert.equal(await pageA.locator('h1').textContent(), 'Agreements');
    assert.equal(await pageA.locator('main article').count(), 0, 'no agreements listed');
    assert.ok(await pageA.getByText('No agreements yet.', { exact: true }).isVisible());
    assert.equal(await pageA.getByLabel(TEXT_LABEL, { exact: true }).count(), 1, `a field "${TEXT_LABEL}"`);
    assert.equal(await pageA.getByLabel(DAYS_LABEL, { exact: true }).inputValue(), '7', 'the look-back interval defaults to 7');
    await axeState(pageA, '/agreements (empty)');
  });

  it('an empty agreement: 400, an error next to the text field; the days are kept', async () => {
    await gotoOk(pageA, base, '/agreements');
    await pageA.getByLabel(TEXT_LABEL, { exact: true }).fill('   ');
    await pageA.getByLabel(DAYS_LABEL, { exact: true }).fill('21');
    const r = await submit(pageA, 'Propose', { novalidate: true });
    assert.equal(r.postStatus, 400, 'an empty agreement answers 400');
    const err = pageA.locator('#text-error');
    assert.ok(await err.isVisible(), 'an error next to the text field');
    assert.match(await pageA.locator('#text').getAttribute('aria-describedby'), /\btext-error\b/);
    assert.equal(await pageA.locator('#text').getAttribute('aria-invalid'), 'true');
    assert.equal(await pageA.getByLabel(DAYS_LABEL, { exact: true }).inputValue(), '21', 'the days are kept');
    assert.equal(await pageA.locator('.error-summary[role="alert"]').count(), 1, 'an error summary');
    const target = await pageA.locator('.error-summary a').first().getAttribute('href');
    assert.equal(target, '#text', 'the summary links to the field');
    await axeState(pageA, '/agreements (with an error: empty text)');
  });

  it('0 days (and 91, and "soon"): 400, an error next to the days field; the text is kept', async () => {
    const typed = `we try ${marker('typed')} <b>&amp;</b>`;
    for (const days of ['0', '91', 'soon', '-3']) {
      await gotoOk(pageA, base, '/agreements');
      await pageA.getByLabel(TEXT_LABEL, { exact: true }).fill(typed);
      await pageA.getByLabel(DAYS_LABEL, { exact: true }).evaluate((el, v) => { el.type = 'text'; el.value = v; }, days);
      const r = await submit(pageA, 'Propose', { novalidate: true });
      assert.equal(r.postStatus, 400, `${days} days answers 400`);
      assert.ok(await pageA.locator('#review_every_days-error').isVisible(), `${days} days: an error next to the days field`);
      assert.match(await pageA.locator('#review_every_days').getAttribute('aria-describedby'), /\breview_every_days-error\b/);
      assert.equal(await pageA.getByLabel(TEXT_LABEL, { exact: true }).inputValue(), typed, `${days} days: the text is kept`);
      assert.equal(await pageA.locator('#text-error').count(), 0, 'no error on the text');
      if (days === '0') {
        assert.equal(await pageA.locator('#review_every_days').inputValue(), '0', 'the typed 0 is kept');
        await axeState(pageA, '/agreements (with an error: 0 days)');
      }
    }
    assert.equal(await pageA.locator('main article').count(), 0, 'nothing was saved');
  });

  it('A proposes an agreement; B sees it', async () => {
    agreementText = `pause and breathe before replying ${marker('agr')}`;
    await gotoOk(pageA, base, '/agreements');
    await pageA.getByLabel(TEXT_LABEL, { exact: true }).fill(agreementText);
    await pageA.getByLabel(DAYS_LABEL, { exact: true }).fill('14');
    const r = await submit(pageA, 'Propose');
    assert.equal(r.postStatus, 303, '"Propose" answers 303');
    assert.equal(pathOf(pageA), '/agreements');
    const cardA = agreementCard(pageA, agreementText);
    assert.equal(await cardA.count(), 1, 'the agreement is listed for A');
    const meta = await cardA.locator('p.muted').first().textContent();
    // a proposal until B says yes (API.md, Growth; issue 14): no look back yet
    assert.match(meta, /Proposed by You · every 14 days · waiting for Brook Partner’s answer$/);
    assert.equal(await pageA.getByLabel(TEXT_LABEL, { exact: true }).inputValue(), '', 'the form is empty again');

    await gotoOk(pageB, base, '/agreements');
    const cardB = agreementCard(pageB, agreementText);
    assert.equal(await cardB.count(), 1, 'B sees the agreement');
    assert.match(await cardB.locator('p.muted').first().textContent(), /Proposed by Alex Partner · every 14 days/);
    // B says yes (issue 14): from then on it is active, with its next look back in words
    const yes = await submit(pageB, 'Yes, I want to try this', { scope: cardB });
    assert.equal(yes.postStatus, 303, '"Yes, I want to try this" answers 303');
    // the next look back in words (issue 12): 14 days ahead is a date, with its year only in another year
    assert.match(await agreementCard(pageB, agreementText).locator('p.muted').first().textContent(),
      /Proposed by Alex Partner · every 14 days · next look back: \d{1,2} [A-Z][a-z]{2}( \d{4})?$/);
  });

  it('B saves a look back ("Partly", a note); both see it', async () => {
    reviewNote = `we paused twice ${marker('note')}`;
    await gotoOk(pageB, base, '/agreements');
    const card = agreementCard(pageB, agreementText);
    const group = card.getByRole('group', { name: 'How did it go for me?' });
    assert.equal(await group.getByRole('radio').count(), 3, 'three outcomes');
    await group.getByRole('radio', { name: 'Partly', exact: true }).check();
    await card.getByLabel('A note (optional)', { exact: true }).fill(reviewNote);
    const r = await submit(pageB, 'Save this look back', { scope: card });
    assert.equal(r.postStatus, 303, '"Save this look back" answers 303');
    assert.equal(pathOf(pageB), '/agreements');
    assert.ok(await pageB.locator('[role="status"]').filter({ hasText: 'Thank you for looking at it together.' }).isVisible(),
      'a thank-you notice');
    const after = agreementCard(pageB, agreementText);
    assert.ok(await after.getByText(`You — Partly: “${reviewNote}”`).isVisible(), 'B sees the look back as theirs');
    await axeState(pageB, '/agreements (with items)');

    await gotoOk(pageA, base, '/agreements');
    assert.ok(await agreementCard(pageA, agreementText).getByText(`Brook Partner — Partly: “${reviewNote}”`).isVisible(),
      'A sees B\'s look back');
  });

  it('a look back without an outcome: 400, the page again with an error', async () => {
    await gotoOk(pageB, base, '/agreements');
    const card = agreementCard(pageB, agreementText);
    await card.getByLabel('A note (optional)', { exact: true }).fill('no outcome chosen');
    const r = await submit(pageB, 'Save this look back', { scope: card, novalidate: true });
    assert.equal(r.postStatus, 400, 'a look back without an outcome answers 400');
    assert.equal(await pageB.locator('.error-summary[role="alert"]').count(), 1, 'an error summary');
  });

  it('a look back without an outcome: the error summary links to something on the page', async () => {
    // After the previous test B's page still shows the error.
    await assertSummaryLinksResolve(pageB);
  });

  it('A retires the agreement and makes it active again', async () => {
    await gotoOk(pageA, base, '/agreements');
    let card = agreementCard(pageA, agreementText);
    const r = await submit(pageA, 'Retire this agreement', { scope: card });
    assert.equal(r.postStatus, 303, '"Retire this agreement" answers 303');
    assert.equal(pathOf(pageA), '/agreements');
    card = agreementCard(pageA, agreementText);
    assert.match(await card.locator('p.muted').first().textContent(), /· retired/);
    assert.equal(await card.getByRole('button', { name: 'Save this look back' }).count(), 0, 'no look back on a retired one');
    assert.equal(await card.getByRole('button', { name: 'Make it active again', exact: true }).count(), 1);
    assert.ok(await card.getByText(`Brook Partner — Partly: “${reviewNote}”`).isVisible(), 'the look back stays');
    await axeState(pageA, '/agreements (retired item)');

    const again = await submit(pageA, 'Make it active again', { scope: card });
    assert.equal(again.postStatus, 303, '"Make it active again" answers 303');
    card = agreementCard(pageA, agreementText);
    assert.match(await card.locator('p.muted').first().textContent(), /next look back: (today|tomorrow|[A-Z][a-z]+day|\d{1,2} [A-Z][a-z]{2}( \d{4})?)$/);
    assert.equal(await card.getByRole('button', { name: 'Retire this agreement', exact: true }).count(), 1);
    assert.equal(await card.getByRole('button', { name: 'Save this look back', exact: true }).count(), 1);
  });

  // --- questionnaires ---

  it('/questionnaires lists the security check', async () => {
    await gotoOk(pageA, base, '/questionnaires');
    const link = pageA.getByRole('link', { name: questionnaire.title, exact: true });
    assert.equal(await link.getAttribute('href'), Q_PATH);
    assert.ok(await pageA.getByText(`Suggested every ${questionnaire.suggested_interval_days} days.`).isVisible());
    await axeState(pageA, '/questionnaires');
  });

  /** Answers: item i gets min + (i % span); returns { answers, score } with score as shown ("%.1f"). */
  function plannedAnswers() {
    const answers = {};
    let total = 0;
    questionnaire.items.forEach((it, i) => {
      const v = it.min + (i % (it.max - it.min + 1));
      answers[it.id] = v;
      total += it.reverse ? it.min + it.max - v : v;
    });
    return { answers, score: (total / questionnaire.items.length).toFixed(1) };
  }

  it(`${Q_PATH}: one fieldset of radios per item, no results yet`, async () => {
    await gotoOk(pageA, base, Q_PATH);
    assert.equal(await pageA.locator('h1').textContent(), questionnaire.title);
    const first = questionnaire.items[0];
    const group = pageA.getByRole('group', { name: `1. ${first.text}`, exact: true });
    assert.equal(await group.getByRole('radio').count(), first.max - first.min + 1, 'one radio per value');
    assert.equal(await group.getByRole('radio', { name: first.labels[0], exact: true }).count(), 1, 'radios named by their labels');
    for (const it of questionnaire.items) {
      assert.equal(await pageA.locator(`input[type="radio"][name="${it.id}"]`).count(), it.max - it.min + 1, `radios for ${it.id}`);
    }
    const results = pageA.locator('section').filter({ has: pageA.getByRole('heading', { name: 'My results over time' }) });
    assert.ok(await results.getByText('No results yet.').isVisible());
    await axeState(pageA, Q_PATH);
  });

  it(`${Q_PATH}: one item left unanswered: 400, an error, the other choices kept`, async () => {
    const { answers } = plannedAnswers();
    const skipped = questionnaire.items[5].id;
    await gotoOk(pageA, base, Q_PATH);
    for (const [id, v] of Object.entries(answers)) {
      if (id !== skipped) await pageA.locator(`input[name="${id}"][value="${v}"]`).check();
    }
    await pageA.locator('input[name="visibility"][value="partner"]').check();
    const r = await submit(pageA, 'Save my answers', { novalidate: true });
    assert.equal(r.postStatus, 400, 'an unanswered item answers 400');
    assert.equal(pathOf(pageA), Q_PATH);
    assert.ok(await pageA.locator('#answers-error').isVisible(), 'an error above the items');
    assert.equal(await pageA.locator('.error-summary[role="alert"]').count(), 1, 'an error summary');
    for (const [id, v] of Object.entries(answers)) {
      const checked = await pageA.locator(`input[name="${id}"]:checked`).evaluateAll((els) => els.map((e) => e.value));
      assert.deepEqual(checked, id === skipped ? [] : [String(v)], `the choice for ${id} is kept`);
    }
    assert.ok(await pageA.locator('input[name="visibility"][value="partner"]').isChecked(), 'the visibility is kept');
    await axeState(pageA, `${Q_PATH} (with an error)`);
  });

  it(`${Q_PATH}: the error summary links to something on the page`, async () => {
    // After the previous test the page still shows the error.
    await assertSummaryLinksResolve(pageA);
  });

  it(`${Q_PATH}: answering every item shows a result under "My results over time"`, async () => {
    const { answers, score } = plannedAnswers();
    await gotoOk(pageA, base, Q_PATH);
    for (const [id, v] of Object.entries(answers)) await pageA.locator(`input[name="${id}"][value="${v}"]`).check();
    const r = await submit(pageA, 'Save my answers');
    assert.equal(r.postStatus, 303, '"Save my answers" answers 303');
    assert.equal(pathOf(pageA), Q_PATH);
    const results = pageA.locator('section').filter({ has: pageA.getByRole('heading', { name: 'My results over time' }) });
    const rows = results.locator('p').filter({ has: pageA.locator('strong') });
    assert.equal(await rows.count(), 1, 'one result');
    assert.equal(await rows.first().locator('strong').textContent(), score, `the score is the mean after reversing (${score})`);
    const text = await rows.first().textContent();
    // Each subscale by the name people read ("Open communication"), not its key.
    for (const sub of new Set(questionnaire.items.map((i) => i.subscale))) {
      const name = questionnaire.subscales[sub];
      assert.ok(name, `the instrument names the ${sub} subscale`);
      assert.match(text, new RegExp(`· ${name} \\d+\\.\\d`), `the ${sub} subscale is shown by its name`);
      assert.ok(!text.includes(`· ${sub} `), `not by its key ${sub}`);
    }
    assert.equal(await results.getByText('No results yet.').count(), 0);
    await axeState(pageA, `${Q_PATH} (with a result)`);
  });

  it(`${Q_PATH}: after saving, a notice says it was saved (the redirect to ?done=1)`, async () => {
    const { answers } = plannedAnswers();
    await gotoOk(pageA, base, Q_PATH);
    for (const [id, v] of Object.entries(answers)) await pageA.locator(`input[name="${id}"][value="${v}"]`).check();
    await submit(pageA, 'Save my answers');
    assert.match(pageA.url(), /\?done=1$/, 'redirected with ?done=1');
    const notice = pageA.locator('[role="status"]');
    assert.equal(await notice.count(), 1, 'a "Saved. Your score: …" notice after saving (the template has one)');
  });

  // --- check-ins, trends, dashboard ---

  it('/trends shows an inline SVG chart with <title> and <desc>', async () => {
    checkinMarkA = marker('ciA');
    checkinMarkB = marker('ciB');
    await writeCheckin(pageA, base, { mood: 2, connection: 6, secure: 7, appreciation: checkinMarkA, visibility: 'partner' });
    await writeCheckin(pageA, base, { mood: 4, connection: 8, secure: 9, appreciation: 'a second one', visibility: 'private' });
    await writeCheckin(pageB, base, { mood: 5, connection: 9, secure: 9, appreciation: checkinMarkB, visibility: 'partner' });
    await gotoOk(pageA, base, '/trends');
    const info = await assertChart(pageA, '/trends');
    assert.match(info.title, /^Mood, \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}$/);
    // A's two check-ins today: mean 3.0; B shared one: 5.0.
    assert.match(info.desc, /You: 1 days with data, average 3\.0/);
    assert.match(info.desc, /Brook Partner: 1 days with data, average 5\.0/);
    assert.equal(await pageA.locator('main svg polyline').count(), 2, 'a line for each partner');
    assert.equal(await pageA.getByLabel('What', { exact: true }).inputValue(), 'mood');
    assert.equal(await pageA.getByLabel('When', { exact: true }).inputValue(), '30');
    await axeState(pageA, '/trends');
  });

  it('/trends: "What" and "When" work without JavaScript (a GET form)', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await login(page, base, { username: couple.a.username });
      await gotoOk(page, base, '/trends');
      const form = page.locator('main form').filter({ has: page.getByLabel('What', { exact: true }) });
      assert.equal((await form.getAttribute('method') || '').toLowerCase(), 'get');
      await page.getByLabel('What', { exact: true }).selectOption({ label: 'Connection' });
      await page.getByLabel('When', { exact: true }).selectOption({ label: 'the last 7 days' });
      const r = await submit(page, 'Show');
      assert.equal(r.status, 200);
      const u = new URL(page.url());
      assert.equal(u.pathname, '/trends');
      assert.equal(u.searchParams.get('metric'), 'connection');
      assert.equal(u.searchParams.get('period'), '7');
      assert.equal(await page.getByLabel('What', { exact: true }).inputValue(), 'connection', 'the choice is kept');
      assert.equal(await page.getByLabel('When', { exact: true }).inputValue(), '7', 'the choice is kept');
      const info = await assertChart(page, '/trends?metric=connection&period=7');
      assert.match(info.title, /^Connection, /);
      assert.match(info.desc, /You: 1 days with data, average 7\.0/);
      const from = /^Connection, (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})$/.exec(info.title);
      assert.ok(from, `title names the period: ${info.title}`);
      const days = (Date.parse(from[2]) - Date.parse(from[1])) / 86400000;
      assert.equal(days, 6, 'the last 7 days, today included');

      await page.getByLabel('What', { exact: true }).selectOption({ label: questionnaire.title });
      await page.getByLabel('When', { exact: true }).selectOption({ label: 'the last year' });
      await submit(page, 'Show');
      assert.equal(new URL(page.url()).searchParams.get('metric'), Q_ID);
      const q = await assertChart(page, `/trends?metric=${Q_ID}`);
      assert.match(q.title, new RegExp(`^${questionnaire.title}, `));
      assert.match(q.desc, /You: 1 days with data/);
    } finally {
      await ctx.close();
    }
    await gotoOk(pageA, base, '/trends?metric=connection&period=7');
    await axeState(pageA, '/trends?metric=connection&period=7');
    await gotoOk(pageA, base, `/trends?metric=${Q_ID}&period=365`);
    await axeState(pageA, `/trends?metric=${Q_ID}`);
  });

  it('/trends with an unknown metric answers 400 with a page', async () => {
    const resp = await pageA.goto(`${base}/trends?metric=%3Cscript%3E`);
    assert.equal(resp.status(), 400);
    assert.equal(await pageA.locator('main script').count(), 0);
  });

  it('the dashboard shows the mood chart after some check-ins', async () => {
    await gotoOk(pageA, base, '/dashboard');
    assert.ok(await pageA.getByRole('heading', { name: 'Mood, the last 30 days', exact: true }).isVisible());
    const info = await assertChart(pageA, '/dashboard');
    assert.match(info.title, /^Mood, /);
    assert.match(info.desc, /average 3\.0/);
    for (const name of ['More trends', 'Timeline', 'Questionnaires']) {
      assert.equal(await pageA.getByRole('link', { name, exact: true }).count(), 1, `a link "${name}"`);
    }
    await axeState(pageA, '/dashboard (with chart)');
  });

  // --- timeline, export ---

  it('/timeline lists check-ins, the agreement, the look back and the questionnaire', async () => {
    await gotoOk(pageA, base, '/timeline');
    await axeState(pageA, '/timeline');
    const items = pageA.locator('main ol.timeline > li');
    assert.ok(await items.count() >= 5, `several items (got ${await items.count()})`);
    const text = await pageA.locator('main ol.timeline').textContent();
    for (const kind of ['Check-in', 'Agreement', 'Review of an agreement', 'Questionnaire']) {
      assert.ok(text.includes(kind), `the timeline has a "${kind}"`);
    }
    assert.ok(text.includes(agreementText), 'the agreement text');
    // check-ins appear as their figures: A's shared one (mood 2) and B's (mood 5, by Brook Partner)
    assert.ok(text.includes('mood 2/5, connection 6/10, felt secure 7/10'), 'A\'s check-in');
    assert.ok(text.includes('mood 5/5, connection 9/10, felt secure 9/10'), 'B\'s shared check-in');
    assert.ok(text.includes('Brook Partner'), 'B is named');
    assert.ok(await items.first().locator('time[datetime]').count() === 1, 'each item has a <time>');
  });

  it('/account/export shows what A wrote and links to the JSON', async () => {
    await gotoOk(pageA, base, '/account/export');
    const main = await pageA.locator('main').textContent();
    assert.ok(main.includes(checkinMarkA), 'A\'s check-in');
    assert.ok(main.includes(agreementText), 'A\'s agreement');
    assert.ok(main.includes(Q_ID), 'A\'s questionnaire result');
    assert.ok(!main.includes(checkinMarkB), 'not B\'s check-in');
    assert.ok(!main.includes(reviewNote), 'not B\'s look back');
    const link = pageA.getByRole('link', { name: 'download JSON', exact: true });
    const href = await link.getAttribute('href');
    assert.equal(href, '/api/v1/me/export');
    const resp = await pageA.request.get(base + href);
    assert.equal(resp.status(), 200, 'the JSON link works for the signed-in person');
    assert.match(resp.headers()['content-type'] || '', /json/);
    const body = await resp.text();
    assert.ok(body.includes(checkinMarkA) && body.includes(agreementText), 'the JSON holds the same texts');
    await axeState(pageA, '/account/export');

    await gotoOk(pageB, base, '/account/export');
    const mainB = await pageB.locator('main').textContent();
    assert.ok(mainB.includes(checkinMarkB), 'B\'s check-in');
    assert.ok(mainB.includes(reviewNote), 'B\'s look back');
    assert.ok(!mainB.includes(checkinMarkA), 'not A\'s check-in');
  });

  // --- 360 px and the dark colour scheme ---

  it('360 px: no horizontal scrolling on /agreements, the questionnaire, /trends, /dashboard', async () => {
    const ctx = await newContext(browser, MOBILE);
    try {
      const page = await ctx.newPage();
      await login(page, base, { username: couple.a.username });
      for (const p of ['/agreements', Q_PATH, '/trends', `/trends?metric=${Q_ID}&period=365`, '/dashboard']) {
        await gotoOk(page, base, p);
        await assertNoHorizontalScroll(page, p);
      }
      // and with errors
      await gotoOk(page, base, '/agreements');
      await page.getByLabel(TEXT_LABEL, { exact: true }).fill('x'.repeat(300));
      await page.getByLabel(DAYS_LABEL, { exact: true }).fill('0');
      await submit(page, 'Propose', { novalidate: true });
      await assertNoHorizontalScroll(page, '/agreements with an error');
      await gotoOk(page, base, Q_PATH);
      await submit(page, 'Save my answers', { novalidate: true });
      await assertNoHorizontalScroll(page, `${Q_PATH} with an error`);
    } finally {
      await ctx.close();
    }
  });

  it('dark colour scheme: screenshots of /trends and the dashboard, and axe there', async (t) => {
    const ctx = await newContext(browser, { bypassCSP: true, colorScheme: 'dark', viewport: { width: 1024, height: 900 } });
    try {
      const page = await ctx.newPage();
      await login(page, base, { username: couple.a.username });
      assert.ok(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), 'the context is dark');
      await gotoOk(page, base, '/trends');
      const trends = await shoot(page, shots, 'trends-dark.png');
      if (trends) t.diagnostic(`screenshot: ${trends}`);
      await axeState(page, '/trends (dark)');
      await gotoOk(page, base, '/dashboard');
      const dash = await shoot(page, shots, 'dashboard-dark.png');
      if (dash) t.diagnostic(`screenshot: ${dash}`);
      await axeState(page, '/dashboard (dark)');
    } finally {
      await ctx.close();
    }
  });

  // --- deleting an account (last: B goes) ---

  it('/account/delete: a wrong password keeps the account', async () => {
    await gotoOk(pageB, base, '/account/delete');
    await axeState(pageB, '/account/delete');
    await pageB.getByLabel('Your password, to confirm', { exact: true }).fill('not my password at all');
    const r = await submit(pageB, 'Delete my account and everything I wrote', { novalidate: true });
    assert.ok(r.postStatus >= 400 && r.postStatus < 500, `a wrong password answers 4xx (got ${r.postStatus})`);
    assert.equal(pathOf(pageB), '/account/delete');
    assert.ok(await pageB.locator('#password-error').isVisible(), 'an error next to the password');
    assert.match(await pageB.locator('#password').getAttribute('aria-describedby'), /\bpassword-error\b/);
    await axeState(pageB, '/account/delete (with an error)');
    await gotoOk(pageB, base, '/dashboard');
  });

  it('/account/delete: the right password deletes; logging in again fails', async () => {
    await gotoOk(pageB, base, '/account/delete');
    await pageB.getByLabel('Your password, to confirm', { exact: true }).fill(PASSWORD);
    const r = await submit(pageB, 'Delete my account and everything I wrote');
    assert.equal(r.postStatus, 303, 'deleting answers 303');
    assert.equal(pathOf(pageB), '/');
    assert.ok(await pageB.locator('[role="status"]')
      .filter({ hasText: 'Your account and everything you wrote have been deleted.' }).isVisible(), 'the "deleted" notice');
    const resp = await pageB.goto(`${base}/dashboard`);
    assert.notEqual(pathOf(pageB), '/dashboard', `the old session no longer works (status ${resp.status()})`);

    await pageB.goto(`${base}/login`);
    await pageB.locator('input[name="username"]').fill(couple.b.username);
    await pageB.locator('input[name="password"]').fill(PASSWORD);
    await submit(pageB, 'Log in', { novalidate: true });
    assert.notEqual(pathOf(pageB), '/dashboard', 'logging in again fails');
  });

  it('after B is gone, A\'s pages still work and A\'s agreement stays', async () => {
    for (const p of ['/agreements', '/timeline', '/trends', '/dashboard', '/account/export']) {
      await gotoOk(pageA, base, p);
    }
    await gotoOk(pageA, base, '/agreements');
    const text = await pageA.locator('main').textContent();
    assert.equal(await agreementCard(pageA, agreementText).count(), 1,
      `A's own agreement is still listed on /agreements after the partner deleted their account; the page says: ${text.replace(/\s+/g, ' ').slice(0, 600)}`);
    assert.ok(!text.includes(reviewNote), 'B\'s look back went with B');
    await gotoOk(pageA, base, '/trends');
    assert.ok(!(await pageA.locator('main svg desc').textContent()).includes('Brook'), 'no line for a deleted partner');
  });

  for (const label of AXE_LABELS) {
    it(`axe: ${label}`, () => {
      assert.ok(axeResults.has(label), `${label} was not reached (an earlier test failed)`);
      const e = axeResults.get(label);
      if (e) throw e;
    });
  }
});
