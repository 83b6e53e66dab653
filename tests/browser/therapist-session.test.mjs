// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Issue 13, sessions, in the browser: the therapist sets the next session on a couple's page
// (in their own time zone, with a field error that keeps the page when the date is missing),
// the partner sees it on their home in their own time zone, the therapist reads the shared
// questionnaire results (band and change in words) and the before-session summary, which
// passes axe and the Nu HTML Checker and prints without the site's navigation. Screenshots
// desktop and 360 px, light and dark, and the summary as printed.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { addUser, repoRoot } from './lib/server.mjs';
import { newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { screenshotSizes, shoot } from './lib/shots.mjs';
import { PASSWORD, login, gotoOk, submit, uniqueUsername, makeCouple, writeCheckin, pathOf, therapistCode, linkTherapistCode } from './lib/hearth.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

const DR = 'Dr Lee';
const PARTNER_ZONE = 'Asia/Tokyo';

/** Text of <main> only. */
const mainText = (page) => page.locator('main').innerText();

/** An API call as the page's signed-in person: the session cookie and the page's CSRF token. */
async function apiAs(page, base, method, p, data) {
  const csrf = await page.locator('input[name="csrf"]').first().getAttribute('value');
  const r = await page.request.fetch(`${base}${p}`, { method, data, headers: { 'X-CSRF-Token': csrf } });
  assert.ok(r.status() < 300, `${method} ${p}: ${r.status()} ${await r.text()}`);
  return r.json();
}

/** Answers of the banded test instrument summing to total (0..20); c2 is reversed. */
function banded(total) {
  const a = { n1: 0, n2: 0, c1: 0, c2: 5 };
  let left = total;
  for (const k of ['n1', 'n2', 'c1']) { const v = Math.min(5, left); a[k] = v; left -= v; }
  a.c2 = 5 - Math.min(5, left);
  return a;
}

describe('the next session and the before-session summary', () => {
  let server; let browser; let base; let shots;
  let ctxT; let ctxA; let ctxB; let ther; let pageA; let pageB;
  let spacePath;
  const therapist = { username: uniqueUsername('sesther'), displayName: DR };

  before(async () => {
    ({ server, base, browser, shots } = await openSuite({ env: { HEARTH_QUESTIONNAIRES_DIR: path.join(repoRoot, 'tests/fixtures/questionnaires') } }));
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    // bypassCSP only so that axe-core can be injected; the pages are otherwise unchanged.
    ctxT = await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } });
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true, viewport: { width: 1200, height: 900 } });
    [ther, pageA, pageB] = await Promise.all([ctxT, ctxA, ctxB].map((c) => c.newPage()));
  });
  after(() => closeSuite({ server, browser }));

  it('the therapist sets the next session; the partner sees it on their home in their own time zone', async () => {
    await login(ther, base, therapist);
    const code = await therapistCode(ther, base);
    await makeCouple(pageA, pageB, base, 'ses');
    await linkTherapistCode(pageA, base, code);
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Give my consent');
    // B reads times in Tokyo.
    await gotoOk(pageB, base, '/account');
    await pageB.getByLabel('Your time zone', { exact: true }).fill(PARTNER_ZONE);
    await submit(pageB, 'Save', { scope: pageB.locator('form', { has: pageB.locator('#time_zone') }) });
    // What the partners share with the therapist: check-ins, two results of the banded instrument.
    await writeCheckin(pageA, base, { mood: 2, connection: 4, secure: 5, appreciation: 'shared with the therapist', visibility: 'therapist' });
    await writeCheckin(pageB, base, { mood: 4, connection: 7, secure: 8, visibility: 'therapist' });
    await gotoOk(pageA, base, '/space');
    await apiAs(pageA, base, 'POST', '/api/v1/questionnaires/banded-sum/responses', { answers: banded(5), visibility: 'therapist' });
    await apiAs(pageA, base, 'POST', '/api/v1/questionnaires/banded-sum/responses', { answers: banded(12), visibility: 'therapist' });

    await gotoOk(ther, base, '/therapist');
    spacePath = await ther.locator('main a[href^="/therapist/spaces/"]').first().getAttribute('href');
    await gotoOk(ther, base, spacePath);
    assert.ok((await mainText(ther)).includes('No date is set for the next session.'));
    // Without a date: the page again, 400, with the field's error.
    const bad = await submit(ther, 'Save the date', { novalidate: true });
    assert.equal(bad.status, 400);
    assert.equal(await ther.locator('#at-error').count(), 1, 'the field error');
    assert.equal(await ther.locator('#at').getAttribute('aria-invalid'), 'true');
    await assertNoAxeViolations(ther, 'the couple\'s page with a session error');
    // Five days ahead, 17:00 in the therapist's zone (UTC: no zone set).
    const when = new Date(Date.now() + 5 * 86400e3);
    const day = when.toISOString().slice(0, 10);
    await ther.locator('#at').fill(`${day}T17:00`);
    const ok = await submit(ther, 'Save the date');
    assert.equal(ok.status, 200);
    assert.equal(pathOf(ther), spacePath);
    const t = await mainText(ther);
    assert.ok(t.includes('Saved. Both partners see the date'), t);
    assert.ok(/The next session is on \w+ \d{1,2} \w+, 17:00\./.test(t), `the date in words: ${t}`);
    // The shared results in words: band and a reliable change.
    assert.ok(t.includes('Questionnaires shared with you'), t);
    assert.ok(t.includes('At or above the cut-off'), 'the band in words');
    assert.ok(t.includes('more than chance would give (a reliable change)'), 'the change in words');
    assert.equal(await ther.locator('main figure svg').count() >= 1, true, 'a chart of the results');
    await assertNoAxeViolations(ther, 'the couple\'s page');
    await screenshotSizes(ther, shots, 'session-therapist-space');

    // B's home, in Tokyo: 17:00 UTC is 02:00 the next day there.
    await gotoOk(pageB, base, '/dashboard');
    const card = pageB.locator('li.home-card[data-kind="session_upcoming"]');
    assert.equal(await card.count(), 1, 'the session card on B\'s home');
    const tokyo = new Date(`${day}T17:00:00Z`);
    const dayThere = new Intl.DateTimeFormat('en-GB', { timeZone: PARTNER_ZONE, day: 'numeric' }).format(tokyo);
    const monthThere = new Intl.DateTimeFormat('en-GB', { timeZone: PARTNER_ZONE, month: 'long' }).format(tokyo);
    const cardText = await card.innerText();
    assert.ok(cardText.includes(`Your next session with ${DR}: `), cardText);
    assert.ok(cardText.includes(`${dayThere} ${monthThere}, 02:00.`), `in B's zone: ${cardText}`);
    await assertNoAxeViolations(pageB, 'B\'s home with the session card');
    await screenshotSizes(pageB, shots, 'session-home');
    // A (in the space's zone) sees it too, and on "Our space".
    await gotoOk(pageA, base, '/space');
    assert.ok((await mainText(pageA)).includes(`Your next session with ${DR}: `));
  });

  it('the summary: shared items only, axe, and it prints without the navigation', async () => {
    await gotoOk(ther, base, `${spacePath}/summary`);
    const t = await mainText(ther);
    assert.ok(t.includes('Before your session with'), t);
    assert.ok(/From \d{1,2} \w{3} \d{4} to \d{1,2} \w{3} \d{4}\./.test(t), `the period: ${t}`);
    assert.ok(t.includes('Mood') && t.includes('2.0 of 5'), `A's mood mean: ${t}`);
    assert.ok(t.includes('4.0 of 5'), `B's mood mean: ${t}`);
    assert.ok(t.includes('At or above the cut-off'), 'the band');
    assert.ok(!t.includes('shared with the therapist') || !t.includes('Appreciation'), 'no check-in texts');
    assert.equal(await ther.getByRole('button', { name: 'Print', exact: true }).isVisible(), true, 'the script shows the Print button');
    await assertNoAxeViolations(ther, 'the summary');
    await screenshotSizes(ther, shots, 'session-summary');
    // A bad period: the default one with the field errors.
    const r = await ther.goto(`${base}${spacePath}/summary?from=soon&to=2026-13-40`);
    assert.equal(r.status(), 400);
    assert.equal(await ther.locator('#from-error').count(), 1);
    assert.equal(await ther.locator('#to-error').count(), 1);
    await assertNoAxeViolations(ther, 'the summary with period errors');
    // Printed: no header, footer, form or buttons; the partners' sections are there.
    await gotoOk(ther, base, `${spacePath}/summary`);
    await ther.emulateMedia({ media: 'print' });
    for (const sel of ['.site-header', '.site-footer', '.quick-exit', 'form.period', '[data-print]']) {
      assert.equal(await ther.locator(sel).first().isVisible(), false, `${sel} is hidden in print`);
    }
    assert.equal(await ther.locator('section.summary-partner').count(), 2);
    assert.equal(await ther.locator('section.summary-partner').first().isVisible(), true);
    await shoot(ther, shots, 'session-summary-print.png');
    await ther.emulateMedia({ media: 'screen' });
  });
});
