// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The Reminders page (issue 15): a person chooses a reminder for their check-in (time, days, their
// own words) and makes their private calendar address; a real iCalendar parser reads the feed behind
// it; a form with faults keeps what was typed and names each fault where it is; the address can be
// replaced and stopped. axe on each state, 360 px without sideways scrolling, screenshots desktop
// and 360 px, light and dark. With an outgoing mail server (a real SMTP server on loopback, npm
// smtp-server): the address form refuses a wrong address on its field, sends the confirmation link,
// and the pages behind an email's links (confirm, unsubscribe) work without a session. Quiet hours
// and notices of the partner's activity: a fault keeps what was typed and chosen; notices are off
// and neutral until the person chooses otherwise; without email, notices say they need it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startMailbox, waitFor, outboxEnv } from '../e2e/lib/outbox.mjs';
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

  it('without email, quiet hours are offered and notices say they need email', async () => {
    await gotoOk(page, base, '/reminders');
    assert.equal(await page.locator('section#quiet summary').innerText(), 'Set quiet hours');
    assert.equal(await page.locator('section#quiet form[action="/reminders/quiet-hours"]').count(), 1);
    assert.match(await page.locator('section#notices').innerText(), /Notices come by email, which this server does not send/);
    assert.equal(await page.locator('section#notices form').count(), 0);
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

describe('reminders by email, with an outgoing mail server', () => {
  let mailbox; let server; let browser; let base; let shots; let ctx; let page;

  before(async () => {
    mailbox = await startMailbox();
    ({ server, base, browser, shots } = await openSuite({ env: outboxEnv(null, { mailbox }) }));
    ctx = await newContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    page = await ctx.newPage();
    await signup(page, base, { username: uniqueUsername('mail'), displayName: 'Morgan Mail' });
  });
  after(async () => {
    await closeSuite({ server, browser });
    await mailbox?.close();
  });

  /** The confirmation link sent to address, once it has come. */
  async function confirmLink(address) {
    const link = await waitFor(`a confirmation to ${address}`, () => {
      const m = mailbox.received.find((x) => x.to.includes(address));
      return m && m.data.match(/https?:\/\/\S+(\/email\/confirm\/\S+)/);
    });
    return link[1];
  }

  it('a wrong address is named on its field and kept; a right one gets a link, and the form asks for a different one', async () => {
    await gotoOk(page, base, '/reminders');
    const section = page.locator('section[aria-labelledby="email-heading"]');
    await section.getByLabel('Your email address').fill('not an address');
    const bad = await submit(page, 'Send me a link to confirm it', { novalidate: true });
    assert.equal(bad.postStatus, 400);
    assert.equal(await page.locator('.error-summary').getByRole('link').first().getAttribute('href'), '#email');
    assert.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#email').inputValue(), 'not an address');
    assert.equal(mailbox.received.length, 0, 'nothing is sent for a wrong address');
    await assertNoAxeViolations(page, '/reminders, a wrong address');

    await page.locator('#email').fill('morgan@example.org');
    const sent = await submit(page, 'Send me a link to confirm it');
    assert.equal(sent.postStatus, 303);
    await page.getByText('A link to confirm your address is on its way.').waitFor();
    assert.match(await section.innerText(), /Waiting for you to open the link we sent to morgan@example\.org/);
    assert.equal(await section.getByLabel('A different address').inputValue(), '', 'the field for a different address starts empty');
    await assertNoAxeViolations(page, '/reminders, an address waiting');
    await screenshotSizes(page, shots, 'reminders-email-waiting', { load: () => page.goto(`${base}/reminders`) });
  });

  it('the link opens a page without a session; its button confirms; email is then a way to be reminded', async () => {
    const link = await confirmLink('morgan@example.org');
    const other = await newContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const p = await other.newPage();
      await gotoOk(p, base, link);
      assert.equal(await p.getByRole('heading', { level: 1 }).innerText(), 'Confirm your address');
      await assertNoAxeViolations(p, 'the confirmation page');
      await screenshotSizes(p, shots, 'email-confirm', { load: () => p.goto(`${base}${link}`) });
      const done = await submit(p, 'Confirm my address');
      assert.equal(done.status, 200);
      assert.equal(await p.getByRole('heading', { level: 1 }).innerText(), 'Your address is confirmed');
      assert.equal(await p.getByRole('link', { name: 'Your reminders' }).count(), 0, 'no link to a page that needs a session');
      await assertNoAxeViolations(p, 'the confirmation, done');
    } finally {
      await other.close();
    }
    await gotoOk(page, base, '/reminders');
    assert.match(await page.locator('section[aria-labelledby="email-heading"]').innerText(),
      /Reminders you choose by email go to morgan@example\.org/);
    const form = page.locator('section#break_over');
    await form.locator('summary').click();
    assert.equal(await form.getByLabel('By email').isChecked(), true, 'a break\'s end comes by email');
    assert.equal(await form.getByLabel('Time', { exact: true }).count(), 0, 'a break\'s end has no time');
    const saved = await submit(page, 'Save the reminder for When a break ends', { scope: form });
    assert.equal(saved.postStatus, 303);
    assert.match(await page.locator('section#break_over').innerText(), /On: by email, when a break ends/);
  });

  it('quiet hours: a window that ends where it begins names its field and keeps the typing; then it is on', async () => {
    await gotoOk(page, base, '/reminders');
    const quiet = page.locator('section#quiet');
    assert.match(await quiet.innerText(), /Off/);
    await quiet.locator('summary').click();
    await quiet.getByLabel('From', { exact: true }).fill('23:00');
    await quiet.getByLabel('Until', { exact: true }).fill('23:00');
    const bad = await submit(page, 'Turn on quiet hours', { novalidate: true });
    assert.equal(bad.postStatus, 400);
    assert.equal(await page.locator('.error-summary').getByRole('link').first().getAttribute('href'), '#quiet-to');
    assert.equal(await page.locator('#quiet-to').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('section#quiet details').getAttribute('open'), '', 'the form with faults is open');
    assert.equal(await page.locator('#quiet-from').inputValue(), '23:00', 'what was typed is kept');
    assert.equal(await page.locator('#quiet-to').inputValue(), '23:00');
    assert.match(await page.locator('section#quiet').innerText(), /different from their beginning/);
    await assertNoAxeViolations(page, '/reminders, quiet hours with a fault');
    await screenshotSizes(page, shots, 'reminders-quiet-fault', { load: async () => {
      await page.goto(`${base}/reminders`);
      await page.locator('section#quiet summary').click();
      await page.locator('#quiet-from').fill('23:00');
      await page.locator('#quiet-to').fill('23:00');
      await submit(page, 'Turn on quiet hours', { novalidate: true });
    } });
    await page.locator('#quiet-to').fill('07:30');
    const ok = await submit(page, 'Turn on quiet hours');
    assert.equal(ok.postStatus, 303);
    await page.getByText('Anything due in your quiet hours waits').waitFor();
    assert.match(await page.locator('section#quiet').innerText(), /On: 23:00 to 07:30, your time/);
  });

  it('notices of the partner: off until turned on, neutral words unless chosen; a fault keeps the choice', async () => {
    await gotoOk(page, base, '/reminders');
    const notices = page.locator('section#notices');
    assert.match(await notices.innerText(), /Off/);
    await notices.locator('summary').click();
    assert.equal(await notices.getByLabel('Only “Something new in hearth”').isChecked(), true, 'neutral by default');
    for (const box of await notices.locator('input[name="kinds"]').all()) assert.equal(await box.isChecked(), false, 'nothing ticked');
    await notices.getByLabel(/Who and what/).check();
    const bad = await submit(page, 'Turn on notices');
    assert.equal(bad.postStatus, 400);
    assert.equal(await page.locator('.error-summary').getByRole('link').first().getAttribute('href'), '#notices-kinds');
    assert.equal(await page.locator('section#notices').getByLabel(/Who and what/).isChecked(), true, 'the choice is kept');
    await assertNoAxeViolations(page, '/reminders, notices with a fault');
    await page.locator('section#notices').getByLabel('When my partner answers today’s question').check();
    await page.locator('section#notices').getByLabel('When my partner shares a check-in with me').check();
    const ok = await submit(page, 'Turn on notices');
    assert.equal(ok.postStatus, 303);
    await page.getByText('You will hear of it by email from now on.').waitFor();
    const on = page.locator('section#notices');
    assert.match(await on.innerText(), /On: by email/);
    await on.locator('summary').click();
    assert.equal(await on.getByLabel('When my partner answers today’s question').isChecked(), true);
    assert.equal(await on.getByLabel('When my partner proposes an agreement').isChecked(), false);
    await assertNoAxeViolations(page, '/reminders, quiet hours and notices on');
    await screenshotSizes(page, shots, 'reminders-quiet-notices', { load: async () => {
      await page.goto(`${base}/reminders`);
      await page.locator('section#notices summary').click();
    } });
    await submit(page, 'Turn notices off');
    await page.getByText('Notices are off.').waitFor();
    await submit(page, 'Turn quiet hours off');
    await page.getByText('Quiet hours are off.').waitFor();
    assert.match(await page.locator('section#quiet').innerText(), /Off/);
  });

  it('an unsubscribe link opens a page without a session; a stale one says so', async () => {
    const other = await newContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    try {
      const p = await other.newPage();
      const stale = `/unsubscribe/${'0'.repeat(32)}.${'A'.repeat(43)}`;
      await gotoOk(p, base, stale);
      assert.equal(await p.getByRole('heading', { level: 1 }).innerText(), 'Stop reminders by email?');
      await assertNoAxeViolations(p, 'the unsubscribe page');
      const gone = await submit(p, 'Stop reminders by email');
      assert.equal(gone.status, 404);
      assert.match(await p.locator('main').innerText(), /does not work any more/);
    } finally {
      await other.close();
    }
  });
});
