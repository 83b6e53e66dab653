// A locked-out login says when to try again, and the browser that logged in
// before still gets in (issue 10: device cookies); so does a sign-up page once
// 50 accounts were made from one address within the hour.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { screenshotDir, shoot } from './lib/shots.mjs';
import { signup, logout, login, gotoOk, uniqueUsername, pathOf, submit, PASSWORD } from './lib/hearth.mjs';

describe('locked out of logging in', () => {
  let server; let browser; let base; let shots;
  const user = { username: uniqueUsername('lock'), displayName: 'Lee Locked' };

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    shots = await screenshotDir();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Submits the login form with this password; the response status. */
  async function tryLogin(page, password) {
    await gotoOk(page, base, '/login');
    await page.locator('input[name="username"]').fill(user.username);
    await page.locator('input[name="password"]').fill(password);
    const r = await submit(page, 'Log in');
    return r.status;
  }

  it('after 10 wrong passwords the page says when to try again, keeps the username, and passes axe', async (t) => {
    const own = await newContext(browser);
    const mine = await own.newPage();
    await signup(mine, base, user); // this browser logs in: it gets the device cookie
    await logout(mine);

    const other = await newContext(browser, { bypassCSP: true }); // for axe
    const page = await other.newPage();
    for (let i = 1; i <= 10; i++) assert.equal(await tryLogin(page, `wrong password ${i}`), 401, `wrong #${i}`);
    assert.equal(await tryLogin(page, PASSWORD), 429, 'locked: even the right password waits');
    assert.equal(pathOf(page), '/login');
    const alert = page.getByRole('alert');
    await assert.doesNotReject(alert.waitFor());
    const text = await alert.innerText();
    assert.match(text, /Logging in is paused/);
    assert.match(text, /too many tries to log in/i);
    assert.match(text, /A browser you have logged in with before can still log in/);
    assert.match(text, /Please try again in about (1[0-5]|[1-9]) minutes?\./, text);
    assert.equal(await page.locator('input[name="username"]').inputValue(), user.username, 'the username is kept');
    assert.equal(await page.locator('input[name="password"]').inputValue(), '', 'the password is not');
    await assertNoAxeViolations(page, 'login, locked out');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false);

    for (const [scheme, width, height] of [['light', 1280, 800], ['dark', 1280, 800], ['light', 360, 740], ['dark', 360, 740]]) {
      const c = await newContext(browser, { colorScheme: scheme, viewport: { width, height } });
      const p = await c.newPage();
      assert.equal(await tryLogin(p, 'still locked'), 429);
      if (width === 360) {
        assert.equal(await p.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false, 'no scrolling sideways at 360 px');
      }
      const file = await shoot(p, shots, `lockout-login-${scheme}-${width}.png`);
      if (file) t.diagnostic(`screenshot: ${file}`);
      await c.close();
    }

    // The browser that logged in before is not locked out.
    await login(mine, base, user);
    assert.equal(pathOf(mine), '/dashboard');
    await own.close();
    await other.close();
  });

  it('the 51st sign-up from one address within the hour is paused, with the time to wait, keeping what was typed', async (t) => {
    // One account was made by the page above; 49 more through the API from the same address.
    for (let i = 0; i < 49; i += 2) {
      const batch = [i, i + 1].filter((k) => k < 49).map((k) => fetch(`${base}/api/v1/accounts`, {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: uniqueUsername(`bulk${k}`), password: PASSWORD, display_name: 'Bulk' }),
      }));
      for (const r of await Promise.all(batch)) assert.equal(r.status, 201);
    }
    for (const [scheme, width, height] of [['light', 1280, 800], ['dark', 1280, 800], ['light', 360, 740], ['dark', 360, 740]]) {
      const c = await newContext(browser, { colorScheme: scheme, viewport: { width, height }, bypassCSP: true });
      const page = await c.newPage();
      await gotoOk(page, base, '/signup');
      const username = uniqueUsername('late');
      await page.locator('input[name="username"]').fill(username);
      await page.locator('input[name="display_name"]').fill('Lou Late');
      await page.locator('input[name="password"]').fill(PASSWORD);
      const r = await submit(page, 'Create my account');
      assert.equal(r.status, 429);
      const text = await page.getByRole('alert').innerText();
      assert.match(text, /Signing up is paused/);
      assert.match(text, /Please try again in (about (a minute|\d+ minutes|an hour)|less than a minute)\./, text);
      assert.equal(await page.locator('input[name="username"]').inputValue(), username);
      assert.equal(await page.locator('input[name="display_name"]').inputValue(), 'Lou Late');
      if (width === 360) {
        assert.equal(await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth), false);
      } else if (scheme === 'light') {
        await assertNoAxeViolations(page, 'sign-up, paused');
      }
      const file = await shoot(page, shots, `lockout-signup-${scheme}-${width}.png`);
      if (file) t.diagnostic(`screenshot: ${file}`);
      await c.close();
    }
  });
});
