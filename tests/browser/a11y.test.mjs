// axe-core (WCAG 2.0/2.1 A and AA, 2.2 AA) finds no violations on each page.
import { describe, it, before, after } from 'node:test';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  signup, gotoOk, submit, uniqueUsername, createSpace, createInvite, joinSpace,
  writeCheckin, ownCheckinId, marker,
} from './lib/hearth.mjs';

describe('accessibility (axe-core)', () => {
  let server; let browser; let ctxA; let ctxB; let ctxAnon; let pageA; let pageB; let anon; let base;
  let checkinId;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true });
    ctxAnon = await newContext(browser, { bypassCSP: true });
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    anon = await ctxAnon.newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const p of ['/', '/signup', '/login', '/safety', '/articles', '/articles?q=nothing']) {
    it(`${p} (signed out)`, async () => {
      await gotoOk(anon, base, p);
      await assertNoAxeViolations(anon, p);
    });
  }

  it('/signup shown with errors', async () => {
    await gotoOk(anon, base, '/signup');
    await anon.locator('input[name="username"]').fill('ab');
    await anon.locator('input[name="display_name"]').fill('');
    await anon.locator('input[name="password"]').fill('short');
    await submit(anon, 'Create my account', { novalidate: true });
    await assertNoAxeViolations(anon, '/signup with errors');
  });

  it('/login shown with an error', async () => {
    await gotoOk(anon, base, '/login');
    await anon.locator('input[name="username"]').fill('nobody-here');
    await anon.locator('input[name="password"]').fill('wrong password here');
    await submit(anon, 'Log in', { novalidate: true });
    await assertNoAxeViolations(anon, '/login with an error');
  });

  it('/dashboard (new account, no space)', async () => {
    await signup(pageA, base, { username: uniqueUsername('axa'), displayName: 'Ada Axe' });
    await assertNoAxeViolations(pageA, '/dashboard without space');
  });

  it('/space (no space)', async () => {
    await gotoOk(pageA, base, '/space');
    await assertNoAxeViolations(pageA, '/space without space');
  });

  it('/space shown with an error (wrong invite code)', async () => {
    await gotoOk(pageA, base, '/space');
    await pageA.locator('input[name="code"]').fill('no-such-code');
    await submit(pageA, 'Join space', { novalidate: true });
    await assertNoAxeViolations(pageA, '/space join error');
  });

  it('/space (space without partner)', async () => {
    await createSpace(pageA, base);
    await gotoOk(pageA, base, '/space');
    await assertNoAxeViolations(pageA, '/space without partner');
  });

  it('/space (invite code shown)', async () => {
    const code = await createInvite(pageA, base);
    let failure = null;
    try {
      await assertNoAxeViolations(pageA, '/space with invite code');
    } catch (e) {
      failure = e;
    }
    // The partner joins whatever axe said, so that the later pages have both partners.
    await signup(pageB, base, { username: uniqueUsername('axb'), displayName: 'Bo Axe' });
    await joinSpace(pageB, base, code);
    if (failure) throw failure;
  });

  it('/space (with partner)', async () => {
    await gotoOk(pageA, base, '/space');
    await assertNoAxeViolations(pageA, '/space with partner');
  });

  it('/checkins/new', async () => {
    await gotoOk(pageA, base, '/checkins/new');
    await assertNoAxeViolations(pageA, '/checkins/new');
  });

  it('/checkins/new shown with errors', async () => {
    await gotoOk(pageA, base, '/checkins/new');
    // No mood chosen: the server must answer with the form and its errors.
    await pageA.locator('textarea[name="appreciation"]').fill('typed text');
    await submit(pageA, 'Save check-in', { novalidate: true });
    await assertNoAxeViolations(pageA, '/checkins/new with errors');
  });

  it('/checkins (with items from both partners)', async () => {
    const mk = marker('axe');
    await writeCheckin(pageA, base, { appreciation: mk, need: 'a walk together', worry: 'work', visibility: 'partner' });
    await writeCheckin(pageA, base, { appreciation: 'private note', visibility: 'private', mood: 2 });
    await writeCheckin(pageB, base, { appreciation: 'thanks for dinner', visibility: 'therapist', mood: 5 });
    checkinId = await ownCheckinId(pageA, base, mk);
    for (const q of ['/checkins', '/checkins?author=all', '/checkins?author=partner']) {
      await gotoOk(pageA, base, q);
      await assertNoAxeViolations(pageA, q);
    }
  });

  it('/dashboard (with items)', async () => {
    await gotoOk(pageA, base, '/dashboard');
    await assertNoAxeViolations(pageA, '/dashboard with items');
  });

  it('/checkins/{id}/edit', async () => {
    await gotoOk(pageA, base, `/checkins/${checkinId}/edit`);
    await assertNoAxeViolations(pageA, '/checkins/{id}/edit');
  });

  it('/checkins/{id}/delete', async () => {
    await gotoOk(pageA, base, `/checkins/${checkinId}/delete`);
    await assertNoAxeViolations(pageA, '/checkins/{id}/delete');
  });

  it('/account', async () => {
    await gotoOk(pageA, base, '/account');
    await assertNoAxeViolations(pageA, '/account');
  });

  for (const p of ['/repairs', '/repairs/new', '/repairs/new?ready=1', '/prompts', '/prompts/history', '/safety',
    '/agreements', '/questionnaires', '/questionnaires/security-check', '/trends', '/timeline', '/account/export',
    '/account/delete', '/articles']) {
    it(`${p} (signed in, with partner)`, async () => {
      await gotoOk(pageA, base, p);
      await assertNoAxeViolations(pageA, p);
    });
  }

  it('not-found page', async () => {
    await pageA.goto(`${base}/checkins/does-not-exist/edit`);
    await assertNoAxeViolations(pageA, 'not-found page');
  });
});
