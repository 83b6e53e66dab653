// A form with errors is shown again with what the person typed, an error summary,
// and each message next to its field (id FIELD-error, linked by aria-describedby).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { signup, gotoOk, submit, uniqueUsername, pathOf } from './lib/hearth.mjs';

async function describedByIds(locator) {
  return ((await locator.getAttribute('aria-describedby')) || '').split(/\s+/).filter(Boolean);
}

describe('form errors keep the input', () => {
  let server; let browser; let ctx; let page; let base;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctx = await newContext(browser);
    page = await ctx.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sign-up with a too-short password keeps username and name and explains next to the password', async () => {
    const username = uniqueUsername('short');
    await gotoOk(page, base, '/signup');
    await page.locator('input[name="username"]').fill(username);
    await page.locator('input[name="display_name"]').fill('Kept Name');
    await page.locator('input[name="password"]').fill('short');
    const r = await submit(page, 'Create my account', { novalidate: true });
    assert.equal(r.status, 400, `sign-up with a short password answered ${r.status}, expected 400`);
    assert.equal(pathOf(page), '/signup');
    assert.equal(await page.locator('input[name="username"]').inputValue(), username, 'username kept');
    assert.equal(await page.locator('input[name="display_name"]').inputValue(), 'Kept Name', 'display name kept');
    const err = page.locator('#password-error');
    assert.equal(await err.count(), 1, 'an element with id password-error exists');
    assert.ok(await err.isVisible(), '#password-error is visible');
    assert.ok((await err.textContent()).trim().length > 0, '#password-error has a message');
    assert.ok(await err.evaluate((e) => e.classList.contains('field-error')), '#password-error has class field-error');
    const ids = await describedByIds(page.locator('input[name="password"]'));
    assert.ok(ids.includes('password-error'), `password input aria-describedby="${ids.join(' ')}" should contain password-error`);
    const summary = page.locator('.error-summary');
    assert.equal(await summary.count(), 1, 'one .error-summary');
    assert.equal(await summary.getAttribute('role'), 'alert', '.error-summary has role="alert"');
    assert.ok(await summary.isVisible(), '.error-summary is visible');
    assert.equal(await page.locator('#username-error').count(), 0, 'no error for the valid username');
  });

  it('the account was not created: fixing the password then succeeds with the same name', async () => {
    await page.locator('input[name="password"]').fill('now a long enough password');
    const r = await submit(page, 'Create my account', { novalidate: true });
    assert.equal(pathOf(page), '/dashboard', `after fixing the password: ${page.url()} (status ${r.status})`);
  });

  it('check-in without a mood keeps the texts and the visibility and shows the mood error', async () => {
    await gotoOk(page, base, '/checkins/new');
    await page.locator('input[name="connection"][value="6"]').check();
    await page.locator('input[name="secure"][value="3"]').check();
    await page.locator('textarea[name="appreciation"]').fill('kept appreciation <b>&amp; "quotes"</b>');
    await page.locator('textarea[name="need"]').fill('kept need\nsecond line');
    await page.locator('textarea[name="worry"]').fill('kept worry');
    await page.locator('input[name="visibility"][value="partner"]').check();
    const r = await submit(page, 'Save check-in', { novalidate: true });
    assert.equal(r.status, 400, `check-in without mood answered ${r.status}, expected 400`);
    assert.equal(await page.locator('textarea[name="appreciation"]').inputValue(), 'kept appreciation <b>&amp; "quotes"</b>');
    assert.equal(await page.locator('textarea[name="need"]').inputValue(), 'kept need\nsecond line');
    assert.equal(await page.locator('textarea[name="worry"]').inputValue(), 'kept worry');
    assert.ok(await page.locator('input[name="connection"][value="6"]').isChecked(), 'connection kept');
    assert.ok(await page.locator('input[name="secure"][value="3"]').isChecked(), 'felt-secure kept');
    assert.equal(await page.locator('input[name="connection"]:checked').count(), 1, 'one connection value chosen');
    assert.ok(await page.locator('input[name="visibility"][value="partner"]').isChecked(), 'chosen visibility (partner) kept');
    assert.ok(!(await page.locator('input[name="visibility"][value="private"]').isChecked()), 'default visibility not re-checked');
    const err = page.locator('#mood-error');
    assert.equal(await err.count(), 1, 'an element with id mood-error exists');
    assert.ok(await err.isVisible(), '#mood-error is visible');
    const linked = await page.locator('[aria-describedby]').evaluateAll((els) => els
      .filter((e) => e.getAttribute('aria-describedby').split(/\s+/).includes('mood-error'))
      .map((e) => e.tagName.toLowerCase() + (e.getAttribute('name') ? `[name=${e.getAttribute('name')}]` : '')));
    assert.ok(linked.length > 0, 'the mood fieldset or its radios refer to #mood-error with aria-describedby');
    assert.equal(await page.locator('.error-summary[role="alert"]').count(), 1, 'error summary with role=alert');
  });

  it('the failed check-in was not saved', async () => {
    await gotoOk(page, base, '/checkins?author=me');
    assert.ok(!(await page.content()).includes('kept worry'), 'no check-in was stored');
  });

  it('log-in with a wrong password keeps the username and says so', async () => {
    const ctx2 = await newContext(browser);
    const p = await ctx2.newPage();
    try {
      const username = uniqueUsername('wrong');
      await signup(p, base, { username, displayName: 'Wrong Pw' });
      await ctx2.clearCookies();
      await gotoOk(p, base, '/login');
      await p.locator('input[name="username"]').fill(username);
      await p.locator('input[name="password"]').fill('not the right password at all');
      const r = await submit(p, 'Log in', { novalidate: true });
      assert.ok([400, 401].includes(r.status), `wrong password answered ${r.status}, expected 400 (or 401)`);
      assert.equal(await p.locator('input[name="username"]').inputValue(), username, 'username kept');
      assert.equal(await p.locator('.error-summary[role="alert"]').count(), 1, 'error summary with role=alert');
    } finally {
      await ctx2.close();
    }
  });
});
