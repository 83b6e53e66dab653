// Every page works without JavaScript.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import {
  signup, login, logout, writeCheckin, gotoOk, uniqueUsername, marker, pathOf, createSpace,
} from './lib/hearth.mjs';

describe('works without JavaScript', () => {
  let server; let browser; let ctx; let page; let base;
  const user = { username: uniqueUsername('nojs'), displayName: 'Nils No Script' };

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctx = await newContext(browser, { javaScriptEnabled: false });
    page = await ctx.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('signs up', async () => {
    await signup(page, base, user);
    assert.equal(await page.getByRole('heading', { level: 1, name: 'Your hearth' }).count(), 1, 'h1 "Your hearth"');
  });

  it('logs out and logs in again', async () => {
    await logout(page);
    assert.equal(pathOf(page), '/', `Log out lands on /, got ${page.url()}`);
    await login(page, base, user);
  });

  it('saves a private check-in and sees it in the history', async () => {
    const mk = marker('nojs');
    await writeCheckin(page, base, { appreciation: mk, visibility: 'private', mood: 2 });
    await gotoOk(page, base, '/checkins?author=me');
    assert.ok((await page.content()).includes(mk), 'the check-in is listed');
  });

  it('creates a space and shares a check-in', async () => {
    await createSpace(page, base);
    const mk = marker('nojs-shared');
    await writeCheckin(page, base, { appreciation: mk, visibility: 'partner', mood: 5 });
    await gotoOk(page, base, '/dashboard');
    assert.ok((await page.content()).includes(mk), 'the shared check-in is on the dashboard');
  });
});
