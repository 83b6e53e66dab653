// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The pages behind an email's links (issue 15, docs/pages.md "GET /email/confirm/{token}, GET
// /unsubscribe/{token}"), in the browser, against a real SMTP server on loopback (npm smtp-server)
// and the mailer's clock moved through the test-only HEARTH_TEST_CLOCK_FILE (as
// tests/e2e/email.test.mjs). A person gives an address on /reminders (a malformed one first: 400,
// the field named, what was typed kept); the confirmation link opens, at 360 px and without a
// session as from a mail app, "Confirm your address" with one button, and opening it confirms
// nothing; the button does ("Your address is confirmed"); the button of a link that does not work
// answers a 404 page that says why. A reminder by email then carries a link to "Stop reminders by
// email?", whose button stops them ("No more reminders by email"), the calendar left as it was. axe
// on every page, no sideways scrolling at 360 px, screenshots desktop and 360 px, light and dark.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startMailbox, newClockDir, waitFor, setClock as setClockFile, outboxEnv } from '../e2e/lib/outbox.mjs';
import { newContext } from './lib/browser.mjs';
import { MOBILE, screenshotSizes, assertNoHorizontalScroll } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, signup, uniqueUsername, apiAs } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

describe('the pages behind an email\'s links', () => {
  let server; let browser; let base; let shots;
  let mailbox; let clockDir; let clockFile;
  let desk; let phone; let wide;
  const who = { username: uniqueUsername('mail'), displayName: 'Morgan Mail' };
  const address = `${who.username}@example.org`;

  /** The messages to the address, as {headers, body, data}. */
  const mail = () => mailbox.mailTo(address);
  /** Waits for the count-th message to the address, and answers it. */
  const waitForMail = (count) => waitFor(`message ${count} to ${address}`, () => mail().length >= count && mail()[count - 1]);
  /** Moves the mailer's clock to `at` (ms since the epoch, at or after now). */
  const setClock = (at) => setClockFile(clockFile, at);

  before(async () => {
    mailbox = await startMailbox();
    clockDir = newClockDir();
    clockFile = path.join(clockDir, 'clock');
    ({ server, base, browser, shots } = await openSuite({ env: outboxEnv(clockFile, { mailbox }) }));
    desk = await (await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } })).newPage();
    // The links open in a mail app's browser: no session, a phone.
    phone = await (await newContext(browser, { bypassCSP: true, ...MOBILE })).newPage();
    wide = await (await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } })).newPage();
    await signup(desk, base, who);
  });
  after(async () => {
    await closeSuite({ server, browser });
    await mailbox?.close();
    if (clockDir) fs.rmSync(clockDir, { recursive: true, force: true });
  });

  /**
   * axe and no sideways scrolling on the page open on `phone`, and its screenshots from a desktop
   * window without a session (a GET of these pages changes nothing).
   */
  async function look(urlPath, label) {
    await assertNoAxeViolations(phone, label);
    await assertNoHorizontalScroll(phone, label);
    await gotoOk(wide, base, urlPath);
    await screenshotSizes(wide, shots, label);
  }

  it('confirm the address: the link shows one button, which confirms; a link that does not work says why', async () => {
    const api = await apiAs(base, who.username);
    await gotoOk(desk, base, '/reminders');
    const field = desk.getByRole('textbox', { name: 'Your email address', exact: true });
    await field.fill('not an address');
    let r = await submit(desk, 'Send me a link to confirm it', { novalidate: true });
    assert.equal(r.status, 400, 'a malformed address is refused');
    assert.equal(await desk.locator('.error-summary a[href="#email"]').count(), 1, 'the summary links to the field');
    assert.equal(await desk.getByRole('textbox', { name: 'Your email address', exact: true }).inputValue(), 'not an address', 'what was typed is kept');
    assert.equal((await api('GET', '/reminders')).email, null);

    await desk.getByRole('textbox', { name: 'Your email address', exact: true }).fill(address);
    r = await submit(desk, 'Send me a link to confirm it');
    assert.equal(r.status, 200);
    assert.equal(pathOf(desk), '/reminders');
    assert.match(await desk.locator('main').innerText(), /Waiting for you to open the link we sent to/);
    const confirm = await waitForMail(1);
    const link = confirm.body.match(/https?:\/\/\S+(\/email\/confirm\/\S+)/);
    assert.ok(link, `a confirmation link: ${confirm.body}`);

    await gotoOk(phone, base, link[1]);
    await phone.getByRole('heading', { level: 1, name: 'Confirm your address' }).waitFor();
    assert.equal(await phone.locator('main form button').count(), 1, 'one button');
    assert.equal((await api('GET', '/reminders')).email.confirmed, false, 'opening the link confirms nothing');
    await look(link[1], 'email-confirm');
    await phone.locator('main form button').click();
    await phone.waitForLoadState('load');
    await phone.getByRole('heading', { level: 1, name: 'Your address is confirmed' }).waitFor();
    assert.equal((await api('GET', '/reminders')).email.confirmed, true);
    await assertNoAxeViolations(phone, 'email-confirm, done');
    await assertNoHorizontalScroll(phone, 'email-confirm, done');

    // A link that no longer works (here one that never did): the page asks (a GET reads nothing), the button
    // answers a 404 page that says why.
    await gotoOk(phone, base, `/email/confirm/${'0'.repeat(32)}.nope`);
    const [gone] = await Promise.all([phone.waitForNavigation(), phone.locator('main form button').click()]);
    assert.equal(gone.status(), 404, 'a link that does not work is a 404 page');
    assert.ok((await phone.locator('main').innerText()).trim().length > 0, 'the 404 page says why');
    await assertNoAxeViolations(phone, 'email-confirm, a link that does not work');
    assert.equal((await api('GET', '/reminders')).email.confirmed, true, 'the address stays confirmed');
  });

  it('stop reminders by email: the link in a reminder asks once, the button stops them, the calendar stays', async () => {
    const api = await apiAs(base, who.username);
    await api('PATCH', '/me', { time_zone: 'UTC' });
    const at = new Date(Math.ceil((Date.now() + 90 * 60000) / 60000) * 60000);
    const hhmm = at.toISOString().slice(11, 16);
    await api('PUT', '/reminders/checkin', {
      channels: ['email', 'calendar'], time: hhmm, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], text: 'A moment for you',
    });
    setClock(at.getTime() + 30000);
    const reminder = await waitForMail(2);
    const unsub = (reminder.headers['list-unsubscribe'] || '').match(/^<https?:\/\/[^/]+(\/unsubscribe\/[^>]+)>$/);
    assert.ok(unsub, `List-Unsubscribe: ${reminder.headers['list-unsubscribe']}`);

    await gotoOk(phone, base, unsub[1]);
    await phone.getByRole('heading', { level: 1, name: 'Stop reminders by email?' }).waitFor();
    assert.equal(await phone.locator('main form button').count(), 1, 'one button');
    assert.deepEqual((await api('GET', '/reminders')).items.map((i) => i.channels), [['email', 'calendar']], 'opening the link stops nothing');
    await look(unsub[1], 'unsubscribe');
    await phone.locator('main form button').click();
    await phone.waitForLoadState('load');
    await phone.getByRole('heading', { level: 1, name: 'No more reminders by email' }).waitFor();
    assert.deepEqual((await api('GET', '/reminders')).items.map((i) => i.channels), [['calendar']], 'email is off; the calendar stays');
    await assertNoAxeViolations(phone, 'unsubscribe, done');
    await assertNoHorizontalScroll(phone, 'unsubscribe, done');
  });
});
