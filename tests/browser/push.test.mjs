// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Notifications on this device (issue 15, web push) on the Reminders page. A headless Chromium
// cannot subscribe without a real push service, so the subscription is made with the API (as the
// page's script would post it) and the page's own states are checked: without JavaScript the page
// says notifications need the browser to allow them and offers no dead button; with it, the button
// to turn them on appears (static/push.js, no inline script); a device set up is listed with its
// date and removed with a plain form; a reminder can then be chosen "as a notification". axe on
// each state, and 360 px without sideways scrolling.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { assertNoHorizontalScroll, MOBILE } from './lib/shots.mjs';
import { signup, login, gotoOk, uniqueUsername, submit, apiAs, pushSubscription } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

describe('notifications on this device', () => {
  let server; let browser; let base; let plain; let scripted; let unscripted; let username;

  before(async () => {
    ({ server, base, browser } = await openSuite());
    username = uniqueUsername('push');
    plain = await (await newContext(browser, { javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
    await signup(plain, base, { username, displayName: 'Pat Push' });
    scripted = await (await newContext(browser, { ...MOBILE, bypassCSP: true })).newPage();
    await login(scripted, base, { username });
    // axe needs JavaScript: the page as it is without its script, push.js kept from loading
    const bare = await newContext(browser, { bypassCSP: true });
    await bare.route('**/static/push.js*', (route) => route.abort());
    unscripted = await bare.newPage();
    await login(unscripted, base, { username });
  });
  after(() => closeSuite({ server, browser }));

  it('without JavaScript the page says the browser must allow notifications, and offers no dead button', async () => {
    await gotoOk(plain, base, '/reminders');
    const section = plain.locator('section#push');
    assert.match(await section.innerText(), /Notifications on this device/);
    assert.match(await section.innerText(), /need this device’s browser to allow them/);
    assert.equal(await section.getByRole('button', { name: 'Turn on notifications on this device' }).isVisible(), false);
    assert.equal(await plain.locator('input[name="channels"][value="push"]').count(), 0, 'no push choice without a device');
    await gotoOk(unscripted, base, '/reminders');
    assert.equal(await unscripted.locator('section#push [data-push-nojs]').isVisible(), true);
    await assertNoAxeViolations(unscripted, '/reminders, no script, no device');
  });

  it('with JavaScript the button to turn notifications on appears, from a script file (no inline script)', async () => {
    await gotoOk(scripted, base, '/reminders');
    const section = scripted.locator('section#push');
    await section.getByRole('button', { name: 'Turn on notifications on this device' }).waitFor();
    assert.equal(await section.locator('[data-push-nojs]').isVisible(), false);
    assert.equal(await scripted.locator('script:not([src])').count(), 0, 'no inline script');
    assert.match(await section.locator('script[src]').getAttribute('src'), /^\/static\/push\.js\?v=/);
    assert.match(await section.getAttribute('data-push-key'), /^[A-Za-z0-9_-]{87}$/);
    await assertNoAxeViolations(scripted, '/reminders, with JavaScript');
    await assertNoHorizontalScroll(scripted, '/reminders at 360 px');
  });

  it('a device set up is listed with its date; a reminder can come to it; "Remove" works without JavaScript', async () => {
    const api = await apiAs(base, username);
    await api('POST', '/push/subscriptions', pushSubscription(), 201);
    await gotoOk(plain, base, '/reminders');
    const list = plain.locator('ul.push-devices li');
    assert.equal(await list.count(), 1);
    assert.match(await list.first().innerText(), /^Added .+, through push\.example\.net/);
    await gotoOk(unscripted, base, '/reminders');
    await assertNoAxeViolations(unscripted, '/reminders, no script, a device');

    const form = plain.locator('section#checkin');
    await form.locator('summary').click();
    await form.getByLabel('As a notification on my devices').check();
    await form.locator('input[name="channels"][value="calendar"]').uncheck();
    const saved = await submit(plain, 'Save the reminder for Your check-in', { scope: form });
    assert.equal(saved.postStatus, 303);
    const [reminder] = (await api('GET', '/reminders')).items;
    assert.deepEqual(reminder.channels, ['push']);

    const removed = await submit(plain, /^Remove the device added/);
    assert.equal(removed.postStatus, 303);
    await plain.getByText('That device gets no more reminders from here.').waitFor();
    assert.equal(await plain.locator('ul.push-devices').count(), 0);
    assert.deepEqual((await api('GET', '/push/subscriptions')).items, []);
  });
});
