// Mobile-first: no horizontal scrolling at 360 px; screenshots of the dashboard.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { SCREENSHOTS, screenshotDir, shoot, assertNoHorizontalScroll } from './lib/shots.mjs';
import {
  signup, gotoOk, uniqueUsername, createSpace, createInvite, joinSpace, writeCheckin, submit,
} from './lib/hearth.mjs';

const LONG = 'A rather long appreciation that goes on and on so that the card has to wrap '
  + 'its lines on a narrow phone screen; with one very long word too: '
  + 'supercalifragilisticexpialidocious-and-then-some-more-characters-without-any-space';

describe('mobile layout (360 x 740)', () => {
  let server; let browser; let base; let mobile; let desktop; let shots;
  let ctxM; let ctxD;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctxM = await newContext(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    ctxD = await newContext(browser, { viewport: { width: 1280, height: 900 } });
    mobile = await ctxM.newPage();
    desktop = await ctxD.newPage();
    shots = await screenshotDir();
    // Mobile person A with a partner (desktop person B) and check-ins from both.
    await signup(mobile, base, { username: uniqueUsername('mob'), displayName: 'Morgan With A Fairly Long Display Name' });
    await createSpace(mobile, base);
    const code = await createInvite(mobile, base);
    await signup(desktop, base, { username: uniqueUsername('desk'), displayName: 'Dana Desktop' });
    await joinSpace(desktop, base, code);
    await writeCheckin(mobile, base, { appreciation: LONG, need: 'time together on Sunday', worry: 'the move', visibility: 'partner', mood: 3 });
    await writeCheckin(desktop, base, { appreciation: 'you made tea for me', need: 'a quiet evening', visibility: 'partner', mood: 5 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('dashboard has no horizontal scrolling', async () => {
    await gotoOk(mobile, base, '/dashboard');
    await assertNoHorizontalScroll(mobile, '/dashboard');
  });

  it('check-in form has no horizontal scrolling (also with errors)', async () => {
    await gotoOk(mobile, base, '/checkins/new');
    await assertNoHorizontalScroll(mobile, '/checkins/new');
    await mobile.locator('textarea[name="appreciation"]').fill(LONG);
    await submit(mobile, 'Save check-in', { novalidate: true });
    await assertNoHorizontalScroll(mobile, '/checkins/new with errors');
  });

  it('space page has no horizontal scrolling', async () => {
    await gotoOk(mobile, base, '/space');
    await assertNoHorizontalScroll(mobile, '/space');
  });

  it('history has no horizontal scrolling', async () => {
    await gotoOk(mobile, base, '/checkins?author=all');
    await assertNoHorizontalScroll(mobile, '/checkins');
  });

  for (const p of ['/prompts', '/safety', '/repairs', '/repairs/new', '/repairs/new?ready=1',
    '/agreements', '/questionnaires/security-check', '/trends', '/articles', '/articles?q=nothing']) {
    it(`${p} has no horizontal scrolling`, async () => {
      await gotoOk(mobile, base, p);
      await assertNoHorizontalScroll(mobile, p);
    });
  }

  it('saves dashboard screenshots (desktop and 360 px)', { skip: !SCREENSHOTS && 'no HEARTH_SCREENSHOT_DIR' }, async (t) => {
    await gotoOk(mobile, base, '/dashboard');
    const m = await shoot(mobile, shots, 'dashboard-360.png');
    await gotoOk(desktop, base, '/dashboard');
    const d = await shoot(desktop, shots, 'dashboard-desktop.png');
    t.diagnostic(`screenshot: ${d}`);
    t.diagnostic(`screenshot: ${m}`);
  });
});
