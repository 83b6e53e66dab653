// Time as people say it (issue 12), in the browser:
// - two partners in different time zones (set on the Account page) see the same check-in at their own
//   local times, in words ("Today, 20:14"), with the same exact instant in <time datetime>;
// - the Account page's name and time zone form: every problem at once, what was typed kept, a saved notice;
// - an agreement says its next look back in words ("next look back: Sunday"), the timeline in words too;
// - axe-core on the pages, and screenshots (desktop and 360 px, light and dark) of the Account page and
//   pages with times, when HEARTH_SCREENSHOT_DIR is set.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newContext } from './lib/browser.mjs';
import { screenshotSizes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { makeCouple, signup, uniqueUsername, gotoOk, submit, writeCheckin, checkinArticle, marker, pathOf } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const ZONE_A = 'Asia/Kolkata'; // UTC+05:30
const ZONE_B = 'America/Los_Angeles'; // UTC-08:00 or -07:00

/** "HH:MM" of an instant on a wall clock in a zone, as the browser's own ICU says it. */
function clockIn(zone, iso) {
  return new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** "Today" or "Yesterday": the instant's local day against now's in a zone. */
function dayWord(zone, iso) {
  const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(d);
  return day(new Date(iso)) === day(new Date()) ? 'Today' : 'Yesterday';
}

async function setZone(page, base, zone) {
  await gotoOk(page, base, '/account');
  await page.getByLabel('Your time zone', { exact: true }).fill(zone);
  const r = await submit(page, 'Save', { scope: page.getByRole('region', { name: 'Your name and time zone' }) });
  assert.equal(r.postStatus, 303, 'Save answers 303');
  assert.equal(pathOf(page), '/account');
  assert.match(await page.getByRole('status').first().innerText(), new RegExp(`Every time you see is now in ${zone}`));
}

describe('times in each reader\'s own zone, in words', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let pageA; let pageB;

  /** Desktop and 360 px, light and dark, of the path as `who` sees it. */
  const screenshots = (who, urlPath, name) =>
    screenshotSizes(who, shots, name, { load: () => gotoOk(who, base, urlPath), label: `${urlPath} at 360 px` });

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    const desktop = { bypassCSP: true, viewport: { width: 1100, height: 900 } };
    [ctxA, ctxB] = await Promise.all([1, 2].map(() => newContext(browser, desktop)));
    [pageA, pageB] = await Promise.all([ctxA, ctxB].map((c) => c.newPage()));
    await makeCouple(pageA, pageB, base, 'tm');
  });
  after(() => closeSuite({ server, browser }));

  it('the Account page changes the time zone; a refused form keeps what was typed and names every problem', async () => {
    await gotoOk(pageA, base, '/account');
    const region = pageA.getByRole('region', { name: 'Your name and time zone' });
    assert.equal(await pageA.getByLabel('Your name', { exact: true }).inputValue(), 'Alex Partner');
    assert.match(await region.innerText(), /Now: UTC\./);
    await pageA.getByLabel('Your name', { exact: true }).fill('');
    await pageA.getByLabel('Your time zone', { exact: true }).fill('Atlantis/Capital');
    const bad = await submit(pageA, 'Save', { scope: region });
    assert.equal(bad.postStatus, 400);
    const summary = await pageA.locator('.error-summary').innerText();
    assert.match(summary, /name/i);
    assert.match(summary, /time zone/i);
    assert.equal(await pageA.getByLabel('Your time zone', { exact: true }).inputValue(), 'Atlantis/Capital');
    assert.equal(await pageA.getByLabel('Your time zone', { exact: true }).getAttribute('aria-invalid'), 'true');
    await assertNoAxeViolations(pageA, '/account with errors');
    await pageA.getByLabel('Your name', { exact: true }).fill('Alex Partner');
    await setZone(pageA, base, ZONE_A);
    await setZone(pageB, base, ZONE_B);
    await assertNoAxeViolations(pageA, '/account');
    await screenshots(pageA, '/account', 'time-account');
  });

  it('two partners in different zones see the same check-in at their own local times, same instant', async () => {
    const text = marker('zones');
    await writeCheckin(pageA, base, { appreciation: text, visibility: 'partner' });
    const readAs = async (page, zone) => {
      await gotoOk(page, base, '/checkins');
      const t = checkinArticle(page, text).locator('h3 time');
      assert.equal(await t.count(), 1, 'the time is a <time> element');
      const iso = await t.getAttribute('datetime');
      const words = (await t.innerText()).trim();
      assert.match(iso, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'the exact instant, in UTC');
      assert.equal(words, `${dayWord(zone, iso)}, ${clockIn(zone, iso)}`, `${zone}: ${words} for ${iso}`);
      return { iso, words };
    };
    const a = await readAs(pageA, ZONE_A);
    const b = await readAs(pageB, ZONE_B);
    assert.equal(a.iso, b.iso, 'the same instant for both');
    assert.notEqual(a.words, b.words, `each reads their own clock: ${a.words} / ${b.words}`);
    await assertNoAxeViolations(pageB, '/checkins');
    await screenshots(pageB, '/checkins', 'time-checkins');
  });

  it('an agreement says when the next look back is in words; the timeline says its times in words', async () => {
    const ctx = await newContext(browser, { bypassCSP: true, viewport: { width: 1100, height: 900 } });
    const solo = await ctx.newPage();
    try {
      await signup(solo, base, { username: uniqueUsername('tms'), displayName: 'Sol Alone' });
      await setZone(solo, base, 'Pacific/Auckland');
      const text = marker('agree');
      await gotoOk(solo, base, '/agreements');
      await solo.getByLabel('What I want to try', { exact: true }).fill(text);
      await solo.getByLabel('Look at it again every … days (1–90)', { exact: true }).fill('3');
      const r = await submit(solo, 'Set this intention');
      assert.equal(r.postStatus, 303);
      const card = solo.locator('main article.card').filter({ has: solo.getByRole('heading', { name: text, exact: true }) });
      const meta = (await card.locator('p.muted').first().innerText()).trim();
      // alone, an agreement is active at once; three days ahead is a weekday, never a date string
      assert.match(meta, /next look back: (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)$/, meta);
      const on = await card.locator('p.muted time').first().getAttribute('datetime');
      assert.match(on, /^\d{4}-\d\d-\d\d$/, 'the date itself in the datetime');
      const weekday = new Intl.DateTimeFormat('en-GB', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${on}T12:00:00Z`));
      assert.ok(meta.endsWith(weekday), `${meta} names ${on}`);
      await assertNoAxeViolations(solo, '/agreements');
      await screenshots(solo, '/agreements', 'time-agreements');
      await gotoOk(solo, base, '/timeline');
      const stamp = solo.locator('main li time').first();
      assert.match(await stamp.getAttribute('datetime'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(await stamp.innerText(), /^(Today|Yesterday), \d\d:\d\d$/);
      await screenshots(solo, '/timeline', 'time-timeline');
    } finally {
      await ctx.close();
    }
  });
});
