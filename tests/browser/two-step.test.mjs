// Two-step login in the browser (issue 10, part B): from the Account page, the
// introduction, the setup with its QR code and typed key, a wrong code (the
// error by the field, what was typed kept), the recovery codes shown once,
// then logging in with a code from the app and with a recovery code, a wrong
// code on the code page, and turning it off with the password. TOTP codes are
// computed here from the key the page shows (RFC 6238, node:crypto).
// Also: everything without JavaScript, axe-core on every state, no horizontal
// scrolling at 360 px, and screenshots of each page at desktop and 360 px
// widths in the light and dark schemes (when HEARTH_SCREENSHOT_DIR is
// set; printed as diagnostics).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { MOBILE, SCREENSHOTS, shoot } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  signup, gotoOk, submit, pathOf, logout, uniqueUsername, PASSWORD,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { stepOf, totp } from '../e2e/lib/totp.mjs';

const DESKTOP = { viewport: { width: 1024, height: 900 } };

async function assertNoHorizontalScroll(page, label) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth,
  }));
  assert.ok(scrollWidth <= clientWidth, `${label}: scrollWidth ${scrollWidth} > ${clientWidth}`);
}

/** The key the setup page shows, without the spaces that group it. */
async function shownSecret(page) {
  const text = await page.locator('main .secret').textContent();
  const secret = text.replace(/\s+/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/, `the key on the page: ${text}`);
  return secret;
}

/** The code of a step (the server accepts its own step and one either side). */
const codeAt = (secret, step) => totp(secret, { at: step * 30000 + 1000 });

/** A six-digit code that is none of the codes around now. */
function wrongCode(secret) {
  const now = stepOf(Date.now());
  const near = new Set([-1, 0, 1, 2].map((d) => codeAt(secret, now + d)));
  let c = Number(codeAt(secret, now));
  do c = (c + 314159) % 1e6; while (near.has(String(c).padStart(6, '0')));
  return String(c).padStart(6, '0');
}

/** Fills the username and password on /login and sends them: the code page comes next. */
async function passwordStep(page, base, username) {
  await gotoOk(page, base, '/login');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  const r = await submit(page, 'Log in');
  assert.equal(r.status, 200);
  assert.equal(pathOf(page), '/login', 'still on the login form');
  assert.equal(await page.locator('h1').textContent(), 'One more step');
}

describe('two-step login', () => {
  let server; let browser; let base; let shots;
  const axeFailures = [];
  async function axe(page, label) {
    try { await assertNoAxeViolations(page, label); } catch (e) { axeFailures.push(e.message); }
  }

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
  });
  after(() => closeSuite({ server, browser }));

  const user = { username: uniqueUsername('ts'), displayName: 'Tess Twostep' };
  let secret; let codes; let step;

  it('the Account page offers it; the setup shows a QR code and the key; a wrong code keeps what was typed', async () => {
    const ctx = await newContext(browser, { bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await signup(page, base, user);
      await gotoOk(page, base, '/account');
      const section = page.getByRole('region', { name: 'Two-step login' });
      assert.match(await section.textContent(), /Off\./);
      await axe(page, '/account (two-step off)');
      await section.getByRole('link', { name: 'Set up two-step login', exact: true }).click();
      await page.waitForURL(`${base}/account/two-step`);
      assert.equal(await page.locator('h1').textContent(), 'Two-step login');
      await axe(page, '/account/two-step (introduction)');
      await submit(page, 'Set up two-step login');
      assert.equal(pathOf(page), '/account/two-step', 'the setup after a redirect');
      const qr = page.locator('main figure svg');
      assert.equal(await qr.count(), 1, 'one inline QR code');
      assert.equal(await qr.getAttribute('role'), 'img');
      assert.ok((await qr.getAttribute('aria-label')).length > 0, 'the QR code has a name');
      secret = await shownSecret(page);
      await axe(page, '/account/two-step (setup)');
      // a reload shows the same pending setup (the key is not changed by looking at it)
      await page.reload();
      assert.equal(await shownSecret(page), secret, 'the same key after a reload');

      const wrong = wrongCode(secret);
      await page.getByLabel('6-digit code', { exact: true }).fill(wrong);
      const r = await submit(page, 'Turn on two-step login', { novalidate: true });
      assert.equal(r.postStatus, 400, 'a wrong code answers 400');
      assert.equal(await page.locator('.error-summary').count(), 1, 'an error summary');
      const input = page.getByLabel('6-digit code', { exact: true });
      assert.equal(await input.inputValue(), wrong, 'what was typed is kept');
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      assert.match(await input.getAttribute('aria-describedby'), /otp-error/);
      assert.equal(await shownSecret(page), secret, 'still the same key');
      await axe(page, '/account/two-step (wrong code)');

      step = stepOf(Date.now());
      await input.fill(codeAt(secret, step));
      const ok = await submit(page, 'Turn on two-step login');
      assert.equal(ok.postStatus, 200, 'the recovery codes are the answer itself');
      assert.equal(await page.locator('h1').textContent(), 'Two-step login is on');
      codes = await page.locator('main ol.recovery-codes li').allTextContents();
      assert.equal(codes.length, 10, 'ten recovery codes');
      for (const c of codes) assert.match(c.trim(), /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      await axe(page, '/account/two-step/confirm (recovery codes)');
      await page.getByRole('link', { name: 'I have kept them safe', exact: true }).click();
      await page.waitForURL(`${base}/account?two_step=on`);
      assert.match(await page.getByRole('region', { name: 'Two-step login' }).textContent(), /Two-step login is on\.[\s\S]*On:/);
      await axe(page, '/account (two-step on)');
      // The codes are never shown again: the page now shows the "on" state.
      await gotoOk(page, base, '/account/two-step');
      assert.equal(await page.locator('main ol.recovery-codes').count(), 0);
      assert.match(await page.locator('main').textContent(), /You have 10 unused recovery codes/);
      await axe(page, '/account/two-step (on)');
    } finally {
      await ctx.close();
    }
  });

  it('logging in asks for the code; a wrong one is refused by the field; the right one signs in (without JavaScript)', async () => {
    const ctx = await newContext(browser, { javaScriptEnabled: false });
    try {
      const page = await ctx.newPage();
      await passwordStep(page, base, user.username);
      const cookies = await ctx.cookies();
      assert.ok(!cookies.some((c) => c.name === 'hearth_session'), 'no session after the password alone');
      const field = page.getByLabel('Code from your app', { exact: true });
      await field.fill(wrongCode(secret));
      const r = await submit(page, 'Log in', { novalidate: true });
      assert.equal(r.postStatus, 401);
      assert.equal(await page.locator('h1').textContent(), 'One more step');
      assert.equal(await page.locator('.error-summary').count(), 1);
      assert.match(await field.getAttribute('aria-describedby'), /otp-hint otp-error/);
      await field.fill(codeAt(secret, step + 1));
      await submit(page, 'Log in');
      assert.equal(pathOf(page), '/dashboard', `signed in: ${page.url()}`);
    } finally {
      await ctx.close();
    }
    const a = await newContext(browser, { bypassCSP: true });
    try {
      const page = await a.newPage();
      await passwordStep(page, base, user.username);
      await axe(page, '/login (code page)');
      await page.getByLabel('Code from your app', { exact: true }).fill('000000');
      await submit(page, 'Log in', { novalidate: true });
      await axe(page, '/login/code (wrong code)');
    } finally {
      await a.close();
    }
  });

  it('a recovery code signs in once', async () => {
    const ctx = await newContext(browser);
    try {
      const page = await ctx.newPage();
      await passwordStep(page, base, user.username);
      await page.getByLabel('Code from your app', { exact: true }).fill(codes[0].toLowerCase());
      await submit(page, 'Log in');
      assert.equal(pathOf(page), '/dashboard');
      await logout(page);
      await passwordStep(page, base, user.username);
      await page.getByLabel('Code from your app', { exact: true }).fill(codes[0]);
      const again = await submit(page, 'Log in', { novalidate: true });
      assert.equal(again.postStatus, 401, 'a used recovery code');
      await page.getByLabel('Code from your app', { exact: true }).fill(codes[1]);
      await submit(page, 'Log in');
      assert.equal(pathOf(page), '/dashboard');
      await gotoOk(page, base, '/account/two-step');
      assert.match(await page.locator('main').textContent(), /You have 8 unused recovery codes/);
    } finally {
      await ctx.close();
    }
  });

  it('turning it off needs the password; then the password alone logs in', async () => {
    const ctx = await newContext(browser, { bypassCSP: true });
    try {
      const page = await ctx.newPage();
      await passwordStep(page, base, user.username);
      await page.getByLabel('Code from your app', { exact: true }).fill(codes[2]);
      await submit(page, 'Log in');
      await gotoOk(page, base, '/account/two-step');
      await page.getByLabel('Your password, to confirm', { exact: true }).fill('not my password at all');
      const bad = await submit(page, 'Turn off two-step login', { novalidate: true });
      assert.equal(bad.postStatus, 401);
      assert.equal(await page.locator('#password-error').count(), 1);
      await axe(page, '/account/two-step/off (wrong password)');
      await page.getByLabel('Your password, to confirm', { exact: true }).fill(PASSWORD);
      await submit(page, 'Turn off two-step login');
      assert.equal(`${pathOf(page)}${new URL(page.url()).search}`, '/account?two_step=off');
      assert.match(await page.getByRole('region', { name: 'Two-step login' }).textContent(), /Two-step login is off\./);
      await logout(page);
      await gotoOk(page, base, '/login');
      await page.getByLabel('Username', { exact: true }).fill(user.username);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await submit(page, 'Log in');
      assert.equal(pathOf(page), '/dashboard', 'no code asked');
    } finally {
      await ctx.close();
    }
  });

  // Each scheme and width: a person of its own goes through the pages; screenshots of each, axe in the
  // dark scheme, and no horizontal scrolling at 360 px. Without screenshots, desktop-light checks nothing more.
  for (const [mode, options] of [['desktop-light', DESKTOP], ['desktop-dark', { ...DESKTOP, colorScheme: 'dark' }],
    ['360-light', MOBILE], ['360-dark', { ...MOBILE, colorScheme: 'dark' }]]) {
    const skip = mode === 'desktop-light' && !SCREENSHOTS && 'no HEARTH_SCREENSHOT_DIR';
    it(`screenshots, ${mode}`, { skip }, async (t) => {
      const ctx = await newContext(browser, { bypassCSP: true, ...options });
      const page = await ctx.newPage();
      const who = { username: uniqueUsername('tss'), displayName: 'Sam Screens' };
      const shot = async (name) => {
        if (mode.startsWith('360')) await assertNoHorizontalScroll(page, `${name} at 360 px`);
        if (mode.endsWith('dark')) await axe(page, `${name} (${mode})`);
        const file = await shoot(page, shots, `two-step-${name}-${mode}.png`);
        if (file) t.diagnostic(`screenshot: ${file}`);
      };
      try {
        await signup(page, base, who);
        await gotoOk(page, base, '/account');
        await shot('account');
        await gotoOk(page, base, '/account/two-step');
        await shot('introduction');
        await submit(page, 'Set up two-step login');
        const key = await shownSecret(page);
        await shot('setup');
        await page.getByLabel('6-digit code', { exact: true }).fill('12345');
        await submit(page, 'Turn on two-step login', { novalidate: true });
        await shot('setup-error');
        const s = stepOf(Date.now());
        await page.getByLabel('6-digit code', { exact: true }).fill(codeAt(key, s));
        await submit(page, 'Turn on two-step login');
        await shot('recovery-codes');
        await gotoOk(page, base, '/account/two-step');
        await shot('on');
        await logout(page);
        await passwordStep(page, base, who.username);
        await shot('login-code');
        await page.getByLabel('Code from your app', { exact: true }).fill(codeAt(key, s + 1));
        await submit(page, 'Log in');
        assert.equal(pathOf(page), '/dashboard');
      } finally {
        await ctx.close();
      }
    });
  }

  it('axe-core finds no violations on any state met above', () => {
    assert.deepEqual(axeFailures, []);
  });
});
