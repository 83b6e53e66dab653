// Pending invite codes and consent in three states (issue 10, part D), in the browser:
// - "Our space" lists the codes waiting to be used (created, works until - never the code again), each with
//   a Revoke button; a revoked code lets nobody in; a join voids the others and the list is gone;
// - consent to the therapist: not decided yet (asked, "Give my consent" / "Not now"), said no, consents -
//   on the space page of each partner and on the therapist's pages;
// - axe-core on each state, no horizontal scrolling at 360 px, revoking without JavaScript, and
//   screenshots (desktop and 360 px, light and dark) when HEARTH_SCREENSHOT_DIR is set.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addUser } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { assertNoHorizontalScroll, screenshotSizes } from './lib/shots.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import {
  PASSWORD, signup, login, gotoOk, submit, uniqueUsername, createSpace, createInvite, joinSpace, pathOf, html, therapistCode, linkTherapistCode,
} from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DR = 'Dr Quill';

const mainText = (page) => page.locator('main').innerText();
const pending = (page) => page.locator('main li.pending-invite');
const button = (page, name) => page.getByRole('button', { name, exact: true });

describe('pending invite codes and consent in three states', () => {
  let server; let browser; let base; let shots;
  let ctxA; let ctxB; let ctxT; let ctxM; let ctxNoJs;
  let pageA; let pageB; let ther; let mobile; let noJs;
  const A = { username: uniqueUsername('inva'), displayName: 'Avery Host' };
  const B = { username: uniqueUsername('invb'), displayName: 'Blair Joiner' };
  const therapist = { username: uniqueUsername('invt'), displayName: DR };

  /** Desktop and 360 px, light and dark, of the path as `who` (a signed-in page) sees it. */
  const screenshots = (who, urlPath, name) =>
    screenshotSizes(who, shots, name, { load: () => gotoOk(who, base, urlPath), label: `${urlPath} (${name})` });

  before(async () => {
    ({ server, base, browser, shots } = await openSuite());
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    // bypassCSP only so that axe-core can be injected; the pages are otherwise unchanged.
    const desktop = { bypassCSP: true, viewport: { width: 1100, height: 900 } };
    [ctxA, ctxB, ctxT] = await Promise.all([1, 2, 3].map(() => newContext(browser, desktop)));
    ctxM = await newContext(browser, { bypassCSP: true, viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    ctxNoJs = await newContext(browser, { javaScriptEnabled: false });
    [pageA, pageB, ther, mobile, noJs] = await Promise.all([ctxA, ctxB, ctxT, ctxM, ctxNoJs].map((c) => c.newPage()));
  });
  after(() => closeSuite({ server, browser }));

  it('lists the codes waiting to be used, never the code again; revoke stops one; a join voids the rest', async () => {
    await signup(pageA, base, A);
    await createSpace(pageA, base);
    assert.equal(await pending(pageA).count(), 0, 'no pending list before any code');
    const first = await createInvite(pageA, base);
    const second = await createInvite(pageA, base);
    const third = await createInvite(pageA, base);
    // The page shows the newest code once, and lists all three by their times.
    const page = await html(pageA);
    assert.ok(page.includes(third), 'the new code is shown once, right after it was made');
    assert.ok(!page.includes(first) && !page.includes(second), 'older codes are never shown again');
    assert.equal(await pending(pageA).count(), 3, 'three codes waiting');
    assert.equal(await pageA.getByRole('heading', { name: 'Codes waiting to be used' }).count(), 1);
    const item = await pending(pageA).first().innerText();
    // human times (issue 12): made now, valid for 72 hours, so three days ahead on a weekday
    assert.match(item, /Created (Today|Yesterday), \d\d:\d\d/, item);
    assert.match(item, /Works until (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), \d\d:\d\d/, item);
    const revokes = pageA.getByRole('button', { name: /^Revoke the code created / });
    assert.equal(await revokes.count(), 3, 'a named Revoke button for each code');
    await assertNoAxeViolations(pageA, '/space with pending codes');
    await gotoOk(pageA, base, '/space');
    await screenshots(pageA, '/space', 'space-pending-invites');

    // Revoke the oldest (listed last).
    await gotoOk(pageA, base, '/space');
    const [revoked] = await Promise.all([pageA.waitForNavigation(), revokes.last().click()]);
    assert.equal(revoked.status(), 200);
    assert.equal(pathOf(pageA), '/space');
    assert.ok((await mainText(pageA)).includes('That invite code no longer works.'), 'a notice says it is revoked');
    assert.equal(await pending(pageA).count(), 2);
    await assertNoAxeViolations(pageA, '/space after revoking');

    // The revoked code lets nobody in; B sees why, with what they typed kept.
    await signup(pageB, base, B);
    await gotoOk(pageB, base, '/space');
    await pageB.getByLabel('Invite code', { exact: true }).fill(first);
    const bad = await submit(pageB, 'Join space');
    assert.equal(bad.status, 404);
    assert.ok((await mainText(pageB)).includes('That invite code is not valid.'));
    assert.equal(await pageB.getByLabel('Invite code', { exact: true }).inputValue(), first, 'the typed code is kept');
    assert.equal(await pageB.getByLabel('Invite code', { exact: true }).getAttribute('aria-invalid'), 'true');

    // B joins with the second; the third dies with it: A's list is gone, and nobody else gets in with it.
    await joinSpace(pageB, base, second);
    await gotoOk(pageA, base, '/space');
    assert.equal(await pending(pageA).count(), 0, 'no codes wait once the partner has joined');
    assert.ok(!(await mainText(pageA)).includes('Codes waiting'), 'the list is gone');
    const ctxC = await newContext(browser);
    const pageC = await ctxC.newPage();
    await signup(pageC, base, { username: uniqueUsername('invc'), displayName: 'Casey Late' });
    await gotoOk(pageC, base, '/space');
    await pageC.getByLabel('Invite code', { exact: true }).fill(third);
    assert.equal((await submit(pageC, 'Join space')).status, 404, 'the third code was voided by the join');
    await ctxC.close();
  });

  it('consent in three states: not decided (asked), said no, consents - for both partners and the therapist', async () => {
    await login(ther, base, therapist);
    const code = await therapistCode(ther, base);
    await linkTherapistCode(pageA, base, code);

    // A linked: A consents; B has not decided and is asked.
    let a = await mainText(pageA);
    assert.ok(a.includes('You consent'), a);
    assert.ok(a.includes(`${B.displayName} has not decided yet`), a);
    await gotoOk(pageB, base, '/space');
    let b = await mainText(pageB);
    assert.ok(b.includes('You have not decided yet'), b);
    assert.ok(b.includes(`Would you like ${DR} to see what you mark “therapist”?`), b);
    assert.equal(await button(pageB, 'Give my consent').count(), 1);
    assert.equal(await button(pageB, 'Not now').count(), 1);
    assert.equal(await button(pageB, 'Withdraw my consent').count(), 0);
    await assertNoAxeViolations(pageB, '/space, consent not decided');
    await screenshots(pageB, '/space', 'space-consent-undecided');
    await gotoOk(ther, base, '/therapist');
    assert.ok((await mainText(ther)).includes(`${B.displayName}: has not consented yet (not decided)`));
    const spacePath = await ther.locator('main a[href^="/therapist/spaces/"]').getAttribute('href');

    // B: "Not now".
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Not now');
    b = await mainText(pageB);
    assert.ok(b.includes('You said no'), b);
    assert.ok(b.includes(`${DR} sees nothing of yours. You can change your mind at any time.`), b);
    assert.equal(await button(pageB, 'Give my consent').count(), 1);
    assert.equal(await button(pageB, 'Not now').count(), 0);
    await assertNoAxeViolations(pageB, '/space, consent declined');
    await screenshots(pageB, '/space', 'space-consent-declined');
    await gotoOk(pageA, base, '/space');
    assert.ok((await mainText(pageA)).includes(`${B.displayName} does not consent`));
    for (const p of ['/therapist', spacePath]) {
      await gotoOk(ther, base, p);
      assert.ok((await mainText(ther)).includes(`${B.displayName}: has not consented (said no)`), p);
      await assertNoAxeViolations(ther, `${p}, a partner said no`);
    }
    await screenshots(ther, spacePath, 'therapist-space-declined');
    await screenshots(ther, '/therapist', 'therapist-home-declined');

    // B changes their mind.
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Give my consent');
    b = await mainText(pageB);
    assert.ok(b.includes('You consent'), b);
    assert.equal(await button(pageB, 'Withdraw my consent').count(), 1);
    await gotoOk(ther, base, spacePath);
    assert.ok((await mainText(ther)).includes(`${B.displayName}: consents`));
  });

  it('at 360 px the pending list does not scroll sideways; revoking works without JavaScript', async () => {
    const m = { username: uniqueUsername('invm'), displayName: 'Morgan Of The Rather Long Display Name' };
    await signup(mobile, base, m);
    await createSpace(mobile, base);
    for (let i = 0; i < 2; i++) await createInvite(mobile, base);
    await gotoOk(mobile, base, '/space');
    assert.equal(await pending(mobile).count(), 2);
    await assertNoHorizontalScroll(mobile, '/space with pending codes');
    await assertNoAxeViolations(mobile, '/space with pending codes at 360 px');

    const n = { username: uniqueUsername('invn'), displayName: 'Nico No Script' };
    await signup(noJs, base, n);
    await createSpace(noJs, base);
    await createInvite(noJs, base);
    await gotoOk(noJs, base, '/space');
    assert.equal(await pending(noJs).count(), 1);
    const [resp] = await Promise.all([
      noJs.waitForNavigation(),
      noJs.getByRole('button', { name: /^Revoke the code created / }).click(),
    ]);
    assert.equal(resp.status(), 200);
    assert.equal(new URL(noJs.url()).search, '?revoked=1');
    assert.equal(await pending(noJs).count(), 0);
  });
});
