// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The Reminders page (issue 15): a person chooses a reminder for their check-in (time, days, their
// own words) and makes their private calendar address; a real iCalendar parser reads the feed behind
// it; a form with faults keeps what was typed and names each fault where it is; the address can be
// replaced and stopped. axe on each state, 360 px without sideways scrolling, screenshots desktop
// and 360 px, light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { newContext } from './lib/browser.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { signup, gotoOk, uniqueUsername, submit } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** A day's chip in a reminder's form (its name carries the tick CSS draws, so it is found by value). */
const day = (form, d) => form.locator(`input[name="days"][value="${d}"]`);

describe('reminders by the person\'s own calendar', () => {
  let server; let browser; let base; let shots; let ctx; let page;

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await ctx.newPage();
    await signup(page, base, { username: uniqueUsername('remind'), displayName: 'Rowan Remind' });
  });
  after(() => closeSuite({ server, browser }));

  it('the account page leads to Reminders; the page says what a reminder never says', async () => {
    await gotoOk(page, base, '/account');
    await page.getByRole('link', { name: 'Choose your reminders' }).click();
    await page.waitForURL(/\/reminders$/);
    await assertNoAxeViolations(page, '/reminders, nothing set');
    assert.match(await page.locator('main').innerText(), /never says what anyone wrote/);
    await screenshotSizes(page, shots, 'reminders-empty');
  });

  it('a check-in reminder on two days with the person\'s words; the calendar address carries it', async () => {
    const form = page.locator('section#checkin');
    assert.match(await form.innerText(), /Off/);
    await form.locator('summary').click();
    await form.getByLabel('Time', { exact: true }).fill('07:30');
    for (const d of DAYS) {
      const box = day(form, d);
      if (['tue', 'sat'].includes(d)) await box.check(); else await box.uncheck();
    }
    await form.getByLabel('Words', { exact: true }).fill('Slow breath, warm tea');
    const saved = await submit(page, 'Save the reminder for Your check-in', { scope: form });
    assert.equal(saved.postStatus, 303);
    await page.getByText('Saved.').waitFor();
    assert.match(await page.locator('section#checkin').innerText(), /On: 07:30, Tue Sat · “Slow breath, warm tea”/);

    const made = await submit(page, 'Make my calendar address');
    assert.equal(made.postStatus, 303);
    const url = await page.getByLabel('Your private calendar address').inputValue();
    assert.match(url, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    await assertNoAxeViolations(page, '/reminders, with an address');
    await screenshotSizes(page, shots, 'reminders-set', { load: () => page.goto(`${base}/reminders`) });

    const text = await (await fetch(`${base}${new URL(url).pathname}`)).text();
    const events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
    assert.equal(events.length, 1);
    assert.equal(events[0].summary, 'Slow breath, warm tea');
    assert.equal(events[0].startDate.hour, 7);
    assert.equal(events[0].startDate.minute, 30);
    assert.deepEqual(events[0].component.getFirstPropertyValue('rrule').parts.BYDAY, ['TU', 'SA']);
    assert.ok(!text.includes('Rowan'), 'the feed says nothing of the person');
  });

  it('a form with faults keeps what was typed and names each fault on its field; nothing is saved', async () => {
    await gotoOk(page, base, '/reminders');
    const form = page.locator('section#prompt');
    await form.locator('summary').click();
    for (const d of DAYS) await day(form, d).uncheck();
    await form.getByLabel('Words', { exact: true }).fill('Kept words');
    const bad = await submit(page, 'Save the reminder for Today’s question', { scope: form });
    assert.equal(bad.postStatus, 400);
    const summary = page.locator('.error-summary');
    assert.match(await summary.innerText(), /at least one day/);
    assert.equal(await summary.getByRole('link').first().getAttribute('href'), '#prompt-days');
    assert.equal(await page.locator('section#prompt').getByLabel('Words', { exact: true }).inputValue(), 'Kept words');
    assert.match(await page.locator('section#prompt').innerText(), /Choose at least one day of the week/);
    assert.equal(await page.locator('section#prompt details').getAttribute('open'), '', 'the form with faults is open');
    await assertNoAxeViolations(page, '/reminders, a fault');
    await screenshotSizes(page, shots, 'reminders-fault', { load: async () => {
      await page.goto(`${base}/reminders`);
      const f = page.locator('section#prompt');
      await f.locator('summary').click();
      for (const d of DAYS) await day(f, d).uncheck();
      await submit(page, 'Save the reminder for Today’s question', { scope: f });
    } });
    await gotoOk(page, base, '/reminders');
    assert.doesNotMatch(await page.locator('section#prompt').innerText(), /On:/);
  });

  it('a new address ends the old one; "Stop this address" ends it; "Turn off" ends a reminder', async () => {
    await gotoOk(page, base, '/reminders');
    const old = await page.getByLabel('Your private calendar address').inputValue();
    await submit(page, 'Make a new address');
    const now = await page.getByLabel('Your private calendar address').inputValue();
    assert.notEqual(now, old);
    assert.equal((await fetch(`${base}${new URL(old).pathname}`)).status, 404);
    await submit(page, 'Stop this address');
    assert.equal((await fetch(`${base}${new URL(now).pathname}`)).status, 404);
    assert.equal(await page.getByRole('button', { name: 'Make my calendar address' }).count(), 1);
    await submit(page, 'Turn off the reminder for Your check-in');
    await page.getByText('That reminder is off.').waitFor();
    assert.doesNotMatch(await page.locator('section#checkin').innerText(), /On:/);
  });
});
