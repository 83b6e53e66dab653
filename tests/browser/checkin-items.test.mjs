// Check-ins and forms of issue 11, in the browser:
// - every error at once: the check-in form and the sign-up form sent with several invalid fields show one
//   summary (role=alert) linking to every invalid field (#id), each field aria-invalid and described by its
//   message, and what was typed kept;
// - mood as five large labelled choices and connection / felt secure as 0-10 segmented scales, native radio
//   buttons underneath: filled with the keyboard alone, and without JavaScript;
// - visibility per item ("Choose per item" folded in a <details>): what the partner and the therapist see,
//   item by item; the default on the Account page;
// - the partner answers a shared appreciation ("Thank you"); the author reads it on the check-in;
// - axe-core on each new state; screenshots (desktop and 360 px, light and dark) when
//   HEARTH_SCREENSHOT_DIR is set.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  PASSWORD, signup, login, gotoOk, submit, uniqueUsername, makeCouple, pathOf, fillCheckin, marker, therapistCode, linkTherapistCode,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DR = 'Dr Items';

const mainText = (page) => page.locator('main').innerText();

describe('check-ins: every error at once, scales, visibility per item, replies', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let ctxT; let ctxNoJs; let ctxAnon;
  let pageA; let pageB; let ther; let noJs; let anon;
  const therapist = { username: uniqueUsername('citt'), displayName: DR };
  let couple;
  const marks = { appreciation: marker('appr'), need: marker('need'), worry: marker('worry') };

  /** Desktop and 360 px, light and dark, of the page as it is now (reloaded for each scheme when reload). */
  const screenshots = (who, name, { reload = true } = {}) =>
    screenshotSizes(who, shots, name, { load: reload ? () => who.reload() : async () => {} });

  /** The summary lists exactly these fields; each link leads to an element with that id, marked invalid. */
  async function assertSummary(page, fields, where) {
    const summary = page.locator('.error-summary[role="alert"]');
    assert.equal(await summary.count(), 1, `${where}: one error summary with role=alert`);
    const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, fields.map((f) => `#${f}`), `${where}: a link to every invalid field`);
    for (const f of fields) {
      assert.equal(await page.locator(`[id="${f}"]`).count(), 1, `${where}: #${f} exists`);
      const described = await page.locator('[aria-describedby]').evaluateAll((els, id) => els
        .filter((e) => e.getAttribute('aria-describedby').split(/\s+/).includes(`${id}-error`)).length, f);
      assert.ok(described > 0, `${where}: something is described by #${f}-error`);
      assert.ok(await page.locator(`#${f}-error`).isVisible(), `${where}: #${f}-error shows`);
      const invalid = await page.locator(`[id="${f}"][aria-invalid="true"], [id="${f}"] [aria-invalid="true"], [name="${f}"][aria-invalid="true"]`).count();
      assert.ok(invalid > 0, `${where}: ${f} is marked aria-invalid`);
    }
    // The links work: following one moves to its field.
    await summary.locator('a').last().click();
    assert.equal(new URL(page.url()).hash, `#${fields[fields.length - 1]}`, `${where}: the last link leads to its field`);
    const inView = await page.locator(`[id="${fields[fields.length - 1]}"]`).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    });
    assert.ok(inView, `${where}: the field the link leads to is in view`);
    await page.evaluate(() => window.scrollTo(0, 0));
  }

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    const desktop = { bypassCSP: true, viewport: { width: 1100, height: 900 } };
    [ctxA, ctxB, ctxT, ctxAnon] = await Promise.all([1, 2, 3, 4].map(() => newContext(browser, desktop)));
    ctxNoJs = await newContext(browser, { javaScriptEnabled: false });
    [pageA, pageB, ther, anon, noJs] = await Promise.all([ctxA, ctxB, ctxT, ctxAnon, ctxNoJs].map((c) => c.newPage()));
    couple = await makeCouple(pageA, pageB, base, 'cit');
    // The therapist, linked by A (A consents); B consents too.
    await login(ther, base, therapist);
    const code = await therapistCode(ther, base);
    await linkTherapistCode(pageA, base, code);
  });
  after(() => closeSuite({ server, browser }));

  it('the check-in form: every error at once, with working links and what was typed kept', async () => {
    await gotoOk(pageA, base, '/checkins/new');
    await assertNoAxeViolations(pageA, '/checkins/new');
    await screenshots(pageA, 'checkin-new');
    await pageA.locator('textarea[name="appreciation"]').fill('kept appreciation');
    await pageA.locator('textarea[name="worry"]').fill('kept worry');
    await pageA.locator('input[name="visibility"][value="partner"]').check();
    const r = await submit(pageA, 'Save check-in', { novalidate: true });
    assert.equal(r.status, 400);
    await assertSummary(pageA, ['mood', 'connection', 'secure'], 'check-in without numbers');
    assert.equal(await pageA.locator('textarea[name="appreciation"]').inputValue(), 'kept appreciation');
    assert.equal(await pageA.locator('textarea[name="worry"]').inputValue(), 'kept worry');
    assert.ok(await pageA.locator('input[name="visibility"][value="partner"]').isChecked());
    await assertNoAxeViolations(pageA, '/checkins/new with three errors');
    await screenshots(pageA, 'checkin-errors', { reload: false });
  });

  it('the sign-up form: every error at once, values kept', async () => {
    await gotoOk(anon, base, '/signup');
    await anon.locator('input[name="username"]').fill('No Spaces!');
    await anon.locator('input[name="display_name"]').fill('');
    await anon.locator('input[name="password"]').fill('short');
    const r = await submit(anon, 'Create my account', { novalidate: true });
    assert.equal(r.status, 400);
    await assertSummary(anon, ['username', 'password', 'display_name'], 'sign-up');
    assert.equal(await anon.locator('input[name="username"]').inputValue(), 'No Spaces!');
    await assertNoAxeViolations(anon, '/signup with three errors');
    await screenshots(anon, 'signup-errors', { reload: false });
  });

  it('mood and the scales work with the keyboard alone', async () => {
    await gotoOk(pageA, base, '/checkins/new');
    await pageA.locator('input[name="mood"][value="1"]').focus();
    await pageA.keyboard.press('ArrowRight');
    await pageA.keyboard.press('ArrowRight');
    assert.ok(await pageA.locator('input[name="mood"][value="3"]').isChecked(), 'arrow keys move along the mood choices');
    await pageA.locator('input[name="connection"][value="0"]').focus();
    for (let i = 0; i < 7; i++) await pageA.keyboard.press('ArrowRight');
    assert.ok(await pageA.locator('input[name="connection"][value="7"]').isChecked(), 'arrow keys move along the scale');
    const box = await pageA.locator('.mood-choice').first().boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `a mood choice is large: ${JSON.stringify(box)}`);
  });

  it('visibility per item: the partner and the therapist see only what is marked for them', async () => {
    await gotoOk(pageA, base, '/checkins/new');
    await fillCheckin(pageA, { mood: 2, connection: 8, secure: 3, ...marks, visibility: 'partner' });
    await pageA.getByText('Choose per item', { exact: true }).click();
    await pageA.getByLabel('The worry', { exact: true }).selectOption('private');
    await pageA.getByLabel('Felt secure', { exact: true }).selectOption('private');
    await pageA.getByLabel('The need', { exact: true }).selectOption('therapist');
    await pageA.getByLabel('Mood', { exact: true }).selectOption('therapist');
    await assertNoAxeViolations(pageA, '/checkins/new, per item open');
    await screenshots(pageA, 'checkin-per-item', { reload: false });
    await submit(pageA, 'Save check-in');
    assert.equal(pathOf(pageA), '/checkins');
    const mine = await mainText(pageA);
    assert.ok(mine.includes(marks.worry) && mine.includes('(only me)'), 'the author sees every item, the private ones marked');

    // B: mood, connection, appreciation and need; not the secure score, not the worry.
    await gotoOk(pageB, base, '/checkins?author=partner');
    const b = await mainText(pageB);
    assert.ok(b.includes(marks.appreciation) && b.includes(marks.need), 'B sees the shared texts');
    assert.ok(!b.includes(marks.worry), 'B never sees the private worry');
    assert.ok(b.includes('Connection') && b.includes('8/10'), 'B sees the connection');
    assert.ok(!b.includes('Felt secure'), 'B does not see the private felt-secure score');
    assert.ok(!(await pageB.content()).includes(marks.worry), 'the worry is nowhere in the page');
    await assertNoAxeViolations(pageB, '/checkins, a partner check-in shared in part');
    await screenshots(pageB, 'checkin-partner-view');

    // The therapist: only the items marked therapist (mood and need).
    await gotoOk(ther, base, '/therapist');
    const spacePath = await ther.locator('main a[href^="/therapist/spaces/"]').first().getAttribute('href');
    await gotoOk(ther, base, spacePath);
    const t = await ther.content();
    assert.ok(t.includes(marks.need), 'the therapist sees the need marked therapist');
    assert.ok(!t.includes(marks.appreciation), 'the therapist does not see the partner-only appreciation');
    assert.ok(!t.includes(marks.worry), 'the therapist never sees the private worry');
    const tText = await mainText(ther);
    assert.ok(tText.includes('Mood 2/5'), 'the therapist sees the mood marked therapist');
    assert.ok(!tText.includes('8/10') && !tText.includes('3/10'), 'nor the connection or felt-secure scores');
    await assertNoAxeViolations(ther, '/therapist/spaces/{id}, a check-in shared in part');
    await screenshots(ther, 'therapist-per-item');
  });

  it('the partner answers the appreciation; the author reads the reply', async () => {
    await gotoOk(pageB, base, '/checkins?author=partner');
    const card = pageB.locator('article.checkin', { hasText: marks.appreciation });
    await submit(pageB, 'Thank you', { scope: card });
    assert.equal(pathOf(pageB), '/checkins');
    assert.equal(await pageB.locator('article.checkin', { hasText: marks.appreciation })
      .getByRole('button', { name: 'Thank you', exact: true }).getAttribute('aria-pressed'), 'true');
    await gotoOk(pageA, base, '/checkins?author=me');
    const a = await pageA.locator('article.checkin', { hasText: marks.appreciation }).innerText();
    assert.ok(a.includes(`${couple.b.displayName} thanked you.`), a);
    await assertNoAxeViolations(pageA, '/checkins with a reply');
    await screenshots(pageA, 'checkin-reply');
  });

  it('the default for new check-ins is set on the Account page and used by the form', async () => {
    await gotoOk(pageB, base, '/account');
    const group = pageB.getByRole('group', { name: 'Unless I choose otherwise, a new check-in is seen by' });
    await group.getByRole('radio', { name: 'Me and my partner', exact: true }).check();
    await submit(pageB, 'Save this choice');
    assert.equal(pathOf(pageB), '/account');
    assert.ok((await mainText(pageB)).includes('New check-ins start with this choice'));
    await assertNoAxeViolations(pageB, '/account, default saved');
    await screenshots(pageB, 'account-checkin-default');
    await gotoOk(pageB, base, '/checkins/new');
    assert.ok(await pageB.locator('input[name="visibility"][value="partner"]').isChecked(), 'the form starts from the default');
  });

  it('a questionnaire names every unanswered item at once, each linked', async () => {
    await gotoOk(pageB, base, '/questionnaires/security-check');
    const names = await pageB.locator('form input[type="radio"]').evaluateAll((els) => [...new Set(els.map((e) => e.name))]
      .filter((n) => n !== 'visibility'));
    assert.ok(names.length >= 3, `items: ${names}`);
    // Answer the first item only.
    await pageB.locator(`input[name="${names[0]}"]`).first().check();
    const r = await submit(pageB, 'Save my answers', { novalidate: true });
    assert.equal(r.status, 400);
    const hrefs = await pageB.locator('.error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(hrefs, ['#answers', ...names.slice(1).map((n) => `#${n}`)].slice(0, 16),
      'the summary links to the answers and to each unanswered item');
    assert.ok(await pageB.locator(`input[name="${names[0]}"]:checked`).count() === 1, 'the answer given is kept');
    assert.equal(await pageB.locator(`[id="${names[1]}"][aria-describedby="${names[1]}-error"]`).count(), 1);
    assert.equal(await pageB.locator(`input[name="${names[1]}"][aria-invalid="true"]`).count() > 0, true);
    await assertNoAxeViolations(pageB, '/questionnaires/security-check, every unanswered item named');
    await screenshots(pageB, 'questionnaire-errors', { reload: false });
  });

  it('the printable export shows the reply and who sees each item', async () => {
    await gotoOk(pageA, base, '/account/export');
    const text = await mainText(pageA);
    assert.ok(text.includes("Your partner's reply: thank_you"), 'the reply to the check-in');
    assert.ok(text.includes('Who sees each item: mood therapist · connection partner · felt secure private'), text.slice(0, 400));
    await assertNoAxeViolations(pageA, '/account/export');
    await screenshots(pageA, 'export-print');
  });

  it('without JavaScript: the errors, the scales and the per-item choice all work', async () => {
    await signup(noJs, base, { username: uniqueUsername('citn'), displayName: 'No Script' });
    await gotoOk(noJs, base, '/checkins/new');
    await noJs.locator('textarea[name="need"]').fill('no-js need');
    let r = await submit(noJs, 'Save check-in', { novalidate: true });
    assert.equal(r.status, 400);
    assert.equal(await noJs.locator('.error-summary a').count(), 3, 'three links in the summary');
    assert.equal(await noJs.locator('textarea[name="need"]').inputValue(), 'no-js need');
    await fillCheckin(noJs, { mood: 5, connection: 10, secure: 0, visibility: 'private' });
    await noJs.getByText('Choose per item', { exact: true }).click();
    await noJs.getByLabel('The need', { exact: true }).selectOption('partner');
    r = await submit(noJs, 'Save check-in');
    assert.equal(pathOf(noJs), '/checkins');
    const text = await mainText(noJs);
    assert.ok(text.includes('Very good (5/5)') && text.includes('10/10') && text.includes('0/10'), text);
    assert.ok(text.includes('Shared in part'), 'the mixed check-in says it is shared in part');
  });
});
