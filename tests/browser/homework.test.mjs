// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Homework from the therapist (issue 13), end to end in the browser: the therapist gives three kinds
// (a questionnaire, a task for one partner, a theme for the daily question) from the couple's page,
// a refused form keeps what was typed; the partner sees "From Dr Lee, for this week: …" on their
// home and on /homework, takes the questionnaire (done by itself), marks the task done and sets the
// theme aside for this week with a note; the therapist sees each status change, and the other
// partner's status stays theirs. axe on every page, no sideways scrolling at 360 px, screenshots
// light and dark (when HEARTH_SCREENSHOT_DIR is set).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import { PASSWORD, login, gotoOk, submit, makeCouple, uniqueUsername, pathOf, therapistCode, linkTherapistCode } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DR = 'Dr Lee';
const mainText = (page) => page.locator('main').innerText();

describe('homework', () => {
  let server; let browser; let base; let shots;
  let ther; let pageA; let pageB;
  let spacePath;
  const therapist = { username: uniqueUsername('hwther'), displayName: DR };

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    const contexts = await Promise.all([0, 1, 2].map(() => newContext(browser, { bypassCSP: true })));
    [ther, pageA, pageB] = await Promise.all(contexts.map((c) => c.newPage()));
  });
  after(() => closeSuite({ server, browser }));

  it('the therapist gives three kinds; a partner sees and acts; the therapist sees the status change', async () => {
    await login(ther, base, therapist);
    const code = await therapistCode(ther, base);
    await makeCouple(pageA, pageB, base, 'hw');
    await linkTherapistCode(pageA, base, code);
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Give my consent');

    await gotoOk(ther, base, '/therapist');
    spacePath = await ther.locator('main a[href^="/therapist/spaces/"]').getAttribute('href');
    await gotoOk(ther, base, spacePath);
    assert.ok((await mainText(ther)).includes('No homework given yet.'));
    await assertNoAxeViolations(ther, 'the therapist\'s page with the homework form');

    // A refused form: a task without its words, a date in the past; what was typed stays.
    await ther.getByLabel('What kind', { exact: true }).selectOption('task');
    await ther.getByLabel('Until (optional)', { exact: true }).fill('2001-01-01');
    let r = await submit(ther, 'Give homework', { novalidate: true });
    assert.equal(r.status, 400);
    assert.equal(await ther.locator('#hw_text-error').count(), 1);
    assert.equal(await ther.locator('#hw_due_on-error').count(), 1);
    assert.equal(await ther.getByLabel('What kind', { exact: true }).inputValue(), 'task');
    assert.equal(await ther.getByLabel('Until (optional)', { exact: true }).inputValue(), '2001-01-01');
    await assertNoAxeViolations(ther, 'the homework form with errors');

    const give = async (kind, { ref, text, forWho = 'both' } = {}) => {
      await gotoOk(ther, base, spacePath);
      await ther.getByLabel('What kind', { exact: true }).selectOption(kind);
      if (ref) await ther.getByLabel('Which theme, questionnaire or article', { exact: true }).selectOption(ref);
      if (text) await ther.getByLabel(/^A short note/).fill(text);
      await ther.getByLabel('For', { exact: true }).selectOption(forWho === 'both' ? 'both' : { label: forWho });
      const res = await submit(ther, 'Give homework');
      assert.equal(res.postStatus, 303, `giving ${kind}: ${res.postStatus}`);
      assert.ok((await mainText(ther)).includes('The homework is on its way to their home.'));
    };
    await give('questionnaire', { ref: 'security-check', text: 'Take it on a calm evening.' });
    await give('task', { text: 'Write down three things you value in Brook', forWho: 'Alex Partner' });
    await give('prompt_category', { ref: 'appreciation' });

    // Partner A: the home's cards, then /homework.
    await gotoOk(pageA, base, '/dashboard');
    const home = await mainText(pageA);
    assert.ok(home.includes(`From ${DR}, for this week: the questionnaire`), home);
    assert.ok(home.includes(`From ${DR}, for this week: Write down three things you value in Brook`), home);
    assert.ok(home.includes(`From ${DR}, for this week: the daily questions about “Appreciation”`), home);
    await screenshotSizes(pageA, shots, 'homework-dashboard');
    await assertNoAxeViolations(pageA, 'the home with homework cards');
    // B sees the shared ones, not A's task.
    await gotoOk(pageB, base, '/homework');
    assert.ok(!(await mainText(pageB)).includes('three things'), 'a task for A alone is not on B\'s page');

    // A takes the questionnaire from the card's button: done by itself.
    await gotoOk(pageA, base, '/homework');
    await screenshotSizes(pageA, shots, 'homework-partner');
    await assertNoAxeViolations(pageA, '/homework');
    await pageA.getByRole('link', { name: 'Take the questionnaire' }).click();
    await pageA.waitForLoadState('load');
    assert.equal(pathOf(pageA), '/questionnaires/security-check');
    for (const fs of await pageA.locator('main fieldset').all()) {
      const first = fs.locator('input[type="radio"]').first();
      if (await first.count()) await first.check();
    }
    const taken = await submit(pageA, await pageA.locator('main form button[type="submit"]').last().innerText());
    assert.ok(taken.status === 200, `the questionnaire answered ${taken.status}`);

    // A marks the task done and sets the theme aside with a note.
    await gotoOk(pageA, base, '/homework');
    const task = pageA.locator('article', { hasText: 'three things' });
    r = await submit(pageA, 'Mark as done', { scope: task });
    assert.equal(pathOf(pageA), '/homework');
    assert.ok((await mainText(pageA)).includes('Marked as done.'));
    const theme = pageA.locator('article', { hasText: 'Appreciation' });
    await theme.locator('summary').click();
    await theme.getByLabel('A word for your therapist (optional)').fill('A hard week at work');
    await submit(pageA, 'Not this week', { scope: theme.locator('form') });
    assert.ok((await mainText(pageA)).includes('you wrote: “A hard week at work”'));
    await screenshotSizes(pageA, shots, 'homework-partner-answered');
    const shown = await mainText(pageA);
    assert.ok(!shown.includes('Brook Partner'), 'nothing of B\'s status on A\'s page');

    // The therapist sees each status, per partner.
    await gotoOk(ther, base, spacePath);
    const t = await mainText(ther);
    assert.match(t, /For both: the questionnaire[^\n]*\n[\s\S]*?Alex Partner: done\s*\nBrook Partner: not yet/);
    assert.match(t, /For Alex Partner: Write down three things you value in Brook[\s\S]*?Alex Partner: done/);
    assert.match(t, /Alex Partner: not this week — “A hard week at work”/);
    await screenshotSizes(ther, shots, 'homework-therapist');
    await assertNoAxeViolations(ther, 'the therapist\'s page with statuses');

    // B withdraws consent: B's homework is gone for B, B's status hidden from the therapist.
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Withdraw my consent');
    await gotoOk(pageB, base, '/homework');
    assert.ok((await mainText(pageB)).includes('Nothing from your therapist right now.'));
    await gotoOk(ther, base, spacePath);
    assert.ok((await mainText(ther)).includes('Brook Partner: not shown (does not consent now)'));
  });
});
