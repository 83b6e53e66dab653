// "Log out" returns to /, and the dashboard then asks to log in again.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import {
  signup, login, logout, gotoOk, uniqueUsername, pathOf, submit,
} from './lib/hearth.mjs';

describe('log out', () => {
  let server; let browser; let ctx; let page; let base;
  const user = { username: uniqueUsername('out'), displayName: 'Olive Out' };

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

  it('/ shows "Sign up" and "Log in" links when signed out', async () => {
    await gotoOk(page, base, '/');
    const s = page.getByRole('link', { name: 'Sign up', exact: true });
    const l = page.getByRole('link', { name: 'Log in', exact: true });
    assert.ok(await s.count() >= 1, '"Sign up" link');
    assert.ok(await l.count() >= 1, '"Log in" link');
    assert.equal(new URL(await s.first().getAttribute('href'), base).pathname, '/signup');
    assert.equal(new URL(await l.first().getAttribute('href'), base).pathname, '/login');
  });

  it('signed in, / redirects to /dashboard', async () => {
    await signup(page, base, user);
    await page.goto(`${base}/`);
    assert.equal(pathOf(page), '/dashboard');
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Your hearth' }).count(), 1, 'h1 "Your hearth"');
    const w = page.getByRole('link', { name: 'Write a check-in', exact: true });
    assert.equal(await w.count(), 1, '"Write a check-in" link on the dashboard');
    assert.equal(new URL(await w.getAttribute('href'), base).pathname, '/checkins/new');
  });

  it('"Log out" returns to / and /dashboard then asks to log in', async () => {
    await gotoOk(page, base, '/dashboard');
    const r = await logout(page);
    assert.equal(r.postStatus, 303, `POST /logout answered ${r.postStatus}, expected 303`);
    assert.equal(pathOf(page), '/', `after Log out: ${page.url()}`);
    const resp = await page.goto(`${base}/dashboard`);
    const onLogin = pathOf(page) === '/login'
      || (await page.getByRole('button', { name: 'Log in', exact: true }).count()) === 1;
    assert.ok(onLogin, `after logging out, /dashboard showed ${page.url()} (status ${resp.status()})`);
    assert.equal(await page.getByRole('heading', { name: 'Your hearth' }).count(), 0, 'dashboard content not shown');
  });

  it('the old session cookie no longer works after logging out', async () => {
    await login(page, base, user);
    const cookies = await ctx.cookies();
    await logout(page);
    const ctx2 = await newContext(browser);
    try {
      await ctx2.addCookies(cookies);
      const p2 = await ctx2.newPage();
      await p2.goto(`${base}/dashboard`);
      assert.notEqual(pathOf(p2), '/dashboard', 'a logged-out session cookie must not open the dashboard');
    } finally {
      await ctx2.close();
    }
  });

  it('/account shows username and name; "Log out on every device" ends every session', async () => {
    await login(page, base, user);
    const other = await newContext(browser);
    try {
      const p2 = await other.newPage();
      await login(p2, base, user);
      await gotoOk(page, base, '/account');
      const text = await page.locator('main').textContent();
      assert.ok(text.includes(user.username), '/account shows the username');
      assert.ok(text.includes(user.displayName), '/account shows the name');
      const r = await submit(page, 'Log out on every device');
      assert.equal(r.postStatus, 303, `POST /account/logout-everywhere answered ${r.postStatus}, expected 303`);
      const u = new URL(page.url());
      assert.equal(`${u.pathname}${u.search}`, '/login?ended=1', `after logging out everywhere: ${page.url()}`);
      await p2.goto(`${base}/dashboard`);
      assert.notEqual(pathOf(p2), '/dashboard', 'the session in the other browser has ended too');
      await page.goto(`${base}/dashboard`);
      assert.notEqual(pathOf(page), '/dashboard', 'this session has ended');
    } finally {
      await other.close();
    }
  });
});

