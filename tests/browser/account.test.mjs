// Sessions and passwords on the pages (issue 10, part A): "Keep me signed in" at login, where one is
// signed in on /account (ending one session, or all others, also without JavaScript), changing the
// password with the reason a password is refused, and the reauth page that returns to where the
// person was. axe on every page and state; 360 px without horizontal scrolling; screenshots of each
// page, desktop and 360 px, light and dark (when HEARTH_SCREENSHOT_DIR is set).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { assertNoHorizontalScroll, shootSchemes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  signup, login, logout, gotoOk, uniqueUsername, pathOf, submit, PASSWORD,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

// A session stays fresh this long after the password was typed (the server's 10 minutes, shortened).
const FRESH_MS = 4000;
const NEW_PASSWORD = 'maple kettle orbit lantern';
const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) '
  + 'Chromium/126.0.0.0 Mobile Safari/537.36';
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, userAgent: ANDROID };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

describe('sessions and passwords on the pages', () => {
  let server; let browser; let base; let shots;
  let ctxDesk; let desk; let ctxPhone; let phone;
  const user = { username: uniqueUsername('acct'), displayName: 'Avery Account' };

  /** Screenshots of the page as it is now: light and dark (none when the run takes none). */
  async function shootBoth(page, name, t) {
    for (const file of await shootSchemes(page, shots, name)) t.diagnostic(`screenshot: ${file}`);
  }

  before(async () => {
    ({ server, base, browser, shots } = await openSuite({ env: { HEARTH_FRESH_MS: String(FRESH_MS) } }));
    ctxDesk = await newContext(browser, { viewport: { width: 1280, height: 900 }, bypassCSP: true });
    ctxPhone = await newContext(browser, { ...PHONE, bypassCSP: true });
    desk = await ctxDesk.newPage();
    phone = await ctxPhone.newPage();
    await signup(desk, base, user);
  });
  after(() => closeSuite({ server, browser }));

  it('/login offers "Keep me signed in on this device": a 30-day cookie; without it, a cookie for the browser session', async (t) => {
    await gotoOk(phone, base, '/login');
    const box = phone.getByRole('checkbox', { name: 'Keep me signed in on this device' });
    assert.equal(await box.count(), 1, 'the checkbox, labelled');
    assert.equal(await box.isChecked(), false, 'off unless chosen');
    assert.match(await phone.locator('#remember-hint').textContent(), /shared or borrowed device/);
    await assertNoAxeViolations(phone, '/login');
    await assertNoHorizontalScroll(phone, '/login');
    await shootBoth(phone, 'login-360', t);
    const anon = await (await newContext(browser, { viewport: { width: 1280, height: 900 } })).newPage();
    await gotoOk(anon, base, '/login');
    await shootBoth(anon, 'login-desktop', t);
    await anon.context().close();
    await phone.locator('input[name="username"]').fill(user.username);
    await phone.locator('input[name="password"]').fill(PASSWORD);
    await box.check();
    await submit(phone, 'Log in');
    assert.equal(pathOf(phone), '/dashboard');
    const kept = (await ctxPhone.cookies()).find((c) => c.name === 'hearth_session');
    const days = (kept.expires * 1000 - Date.now()) / (24 * 3600 * 1000);
    assert.ok(days > 29.9 && days <= 30, `the cookie lasts 30 days (${days.toFixed(2)})`);
    const plain = (await ctxDesk.cookies()).find((c) => c.name === 'hearth_session');
    assert.equal(plain.expires, -1, 'without "keep me signed in" the cookie goes with the browser session');
  });

  it('/account lists where I am signed in, this device marked; another session ends with its button', async (t) => {
    await gotoOk(desk, base, '/account');
    const list = desk.getByRole('region', { name: 'Where you are signed in' });
    const items = list.locator('li.session');
    assert.equal(await items.count(), 2, 'two sessions');
    const texts = await items.allTextContents();
    assert.ok(texts.some((x) => /Chromium on Linux/.test(x) && /this device/.test(x)), `this device: ${texts}`);
    assert.ok(texts.some((x) => /Chromium on Android/.test(x) && !/this device/.test(x)), `the phone: ${texts}`);
    // human times in the reader's zone (issue 12), the last use to the hour only
    assert.ok(texts.every((x) => /Signed in (Today|Yesterday), \d\d:\d\d · last used (Today|Yesterday), \d\d:00–\d\d:00/.test(x.replace(/\s+/g, ' '))), `times, to the hour: ${texts}`);
    const stamps = await list.locator('li.session time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
    assert.equal(stamps.length, 4, 'each time is a <time> element');
    assert.ok(stamps.every((s) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(s)), `exact instants: ${stamps}`);
    assert.ok(stamps.filter((s, i) => i % 2 === 1).every((s) => /T\d\d:00:00Z$/.test(s)), `the last use to the hour: ${stamps}`);
    assert.equal(await desk.getByRole('button', { name: 'End all other sessions', exact: true }).count(), 1);
    await assertNoAxeViolations(desk, '/account');
    await shootBoth(desk, 'account-desktop', t);
    await gotoOk(phone, base, '/account');
    await assertNoAxeViolations(phone, '/account (360 px)');
    await assertNoHorizontalScroll(phone, '/account');
    await shootBoth(phone, 'account-360', t);

    const end = desk.getByRole('button', { name: /^End this session on Chromium on Android/ });
    assert.equal(await end.count(), 1, 'an end button that names the session');
    const r = await submit(desk, /^End this session on Chromium on Android/);
    assert.equal(r.postStatus, 303);
    assert.equal(pathOf(desk), '/account');
    assert.match(await desk.locator('.notice').textContent(), /That session has ended/);
    assert.equal(await desk.locator('li.session').count(), 1);
    await phone.goto(`${base}/dashboard`);
    assert.equal(pathOf(phone), '/login', 'the phone was signed out');
  });

  it('"End all other sessions" works without JavaScript; this browser stays signed in', async () => {
    const noJs = await newContext(browser, { javaScriptEnabled: false });
    try {
      const p = await noJs.newPage();
      await login(phone, base, user);
      await login(p, base, user);
      await gotoOk(p, base, '/account');
      await submit(p, 'End all other sessions');
      assert.equal(pathOf(p), '/account');
      assert.match(await p.locator('.notice').textContent(), /Every other session has ended/);
      await phone.goto(`${base}/dashboard`);
      assert.equal(pathOf(phone), '/login', 'the phone was signed out');
      await desk.goto(`${base}/dashboard`);
      assert.equal(pathOf(desk), '/login', 'the desktop was signed out');
      await login(desk, base, user);
    } finally {
      await noJs.close();
    }
  });

  it('/account/password says why a password is refused, all problems at once, and keeps no password in the page', async (t) => {
    await gotoOk(desk, base, '/account');
    await desk.getByRole('link', { name: 'Change your password', exact: true }).click();
    await desk.waitForURL(`${base}/account/password`);
    await assertNoAxeViolations(desk, '/account/password');
    for (const label of ['Your current password', 'New password', 'The new password again']) {
      assert.equal(await desk.getByLabel(label, { exact: true }).count(), 1, `field "${label}"`);
    }
    await desk.getByLabel('New password', { exact: true }).fill('password1234');
    await desk.getByLabel('The new password again', { exact: true }).fill('password1234');
    const r = await submit(desk, 'Change my password', { novalidate: true });
    assert.equal(r.status, 400);
    const summary = await desk.locator('.error-summary').textContent();
    assert.match(summary, /Type your current password/);
    assert.match(summary, /too easy to guess/);
    assert.equal(await desk.getByLabel('New password', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await desk.getByLabel('New password', { exact: true }).inputValue(), '', 'no password is sent back');
    assert.ok(!(await desk.content()).includes('password1234'));
    await assertNoAxeViolations(desk, '/account/password (with errors)');
    await shootBoth(desk, 'password-errors-desktop', t);

    await login(phone, base, user);
    await gotoOk(phone, base, '/account/password');
    await phone.getByLabel('Your current password', { exact: true }).fill(PASSWORD);
    await phone.getByLabel('New password', { exact: true }).fill(`${user.username} forever and ever`);
    await phone.getByLabel('The new password again', { exact: true }).fill(`${user.username} forever and ever`);
    await submit(phone, 'Change my password', { novalidate: true });
    assert.match(await phone.locator('#new-error').textContent(), /must not contain your username/);
    await assertNoHorizontalScroll(phone, '/account/password (with errors)');
    await shootBoth(phone, 'password-errors-360', t);

    await desk.getByLabel('Your current password', { exact: true }).fill(PASSWORD);
    await desk.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await desk.getByLabel('The new password again', { exact: true }).fill(NEW_PASSWORD);
    await submit(desk, 'Change my password');
    assert.equal(pathOf(desk), '/account');
    assert.match(await desk.locator('.notice').textContent(), /Your password is changed/);
    await phone.goto(`${base}/dashboard`);
    assert.equal(pathOf(phone), '/login', 'the other session ended with the change');
    await login(phone, base, { username: user.username, password: NEW_PASSWORD });
  });

  it('a stale session: /account/export asks for the password again and returns there', async (t) => {
    await sleep(FRESH_MS + 500);
    await desk.goto(`${base}/account/export`);
    assert.equal(pathOf(desk), '/reauth', `a stale session goes to the reauth page: ${desk.url()}`);
    assert.equal(new URL(desk.url()).searchParams.get('next'), '/account/export');
    assert.equal(await desk.getByRole('heading', { level: 1, name: 'Please confirm it is you' }).count(), 1);
    assert.match(await desk.locator('main').textContent(), /before showing everything you wrote/);
    await assertNoAxeViolations(desk, '/reauth');
    await shootBoth(desk, 'reauth-desktop', t);
    await desk.getByLabel('Your password', { exact: true }).fill('not my password at all');
    const wrong = await submit(desk, 'Continue', { novalidate: true });
    assert.equal(wrong.status, 401);
    assert.match(await desk.locator('#password-error').textContent(), /That is not your password/);
    await assertNoAxeViolations(desk, '/reauth (with an error)');
    await desk.getByLabel('Your password', { exact: true }).fill(NEW_PASSWORD);
    await submit(desk, 'Continue');
    assert.equal(pathOf(desk), '/account/export', 'back where the person was');
    assert.equal(await desk.getByRole('heading', { level: 1, name: 'Everything you wrote' }).count(), 1);

    await sleep(FRESH_MS + 500);
    await phone.goto(`${base}/account/export`);
    assert.equal(pathOf(phone), '/reauth');
    await assertNoHorizontalScroll(phone, '/reauth');
    await assertNoAxeViolations(phone, '/reauth (360 px)');
    await shootBoth(phone, 'reauth-360', t);
    await phone.getByLabel('Your password', { exact: true }).fill(NEW_PASSWORD);
    await submit(phone, 'Continue');
    assert.equal(pathOf(phone), '/account/export');
    await logout(phone);
  });
});
