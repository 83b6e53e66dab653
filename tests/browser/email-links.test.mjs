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
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { newContext } from './lib/browser.mjs';
import { MOBILE, screenshotSizes, assertNoHorizontalScroll } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { gotoOk, submit, pathOf, signup, uniqueUsername, apiAs } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('the pages behind an email\'s links', () => {
  let server; let browser; let base; let shots;
  let smtp; let clockDir; let clockFile;
  let desk; let phone; let wide;
  const received = [];
  const who = { username: uniqueUsername('mail'), displayName: 'Morgan Mail' };
  const address = `${who.username}@example.org`;

  /** The messages to the address, as {headers, body}. */
  function mail() {
    return received.filter((m) => m.to.includes(address)).map((m) => {
      const [head, ...rest] = m.data.split('\r\n\r\n');
      const headers = {};
      for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      return { headers, body: rest.join('\r\n\r\n') };
    });
  }
  async function waitForMail(count) {
    const end = Date.now() + 15000;
    while (mail().length < count) {
      if (Date.now() > end) assert.fail(`timed out waiting for message ${count} to ${address}`);
      await sleep(50);
    }
    return mail()[count - 1];
  }
  /** Moves the mailer's clock to `at` (ms since the epoch, at or after now). */
  const setClock = (at) => fs.writeFileSync(clockFile, String(Math.max(0, at - Date.now())));

  before(async () => {
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onData(stream, session, cb) {
        let data = '';
        stream.setEncoding('utf8');
        stream.on('data', (c) => { data += c; });
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    clockDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-clock-'));
    fs.chmodSync(clockDir, 0o755); // a server started as root reads it after dropping to nobody
    clockFile = path.join(clockDir, 'clock');
    fs.writeFileSync(clockFile, '0');
    ({ server, base, browser, shots } = await openSuite({
      env: {
        HEARTH_SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`, HEARTH_SMTP_FROM: 'Reminders <reminders@example.org>',
        HEARTH_TEST_CLOCK_FILE: clockFile, HEARTH_TEST_MAIL_TICK_MS: '50',
      },
    }));
    desk = await (await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } })).newPage();
    // The links open in a mail app's browser: no session, a phone.
    phone = await (await newContext(browser, { bypassCSP: true, ...MOBILE })).newPage();
    wide = await (await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } })).newPage();
    await signup(desk, base, who);
  });
  after(async () => {
    await closeSuite({ server, browser });
    await new Promise((resolve) => smtp?.close(resolve));
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
