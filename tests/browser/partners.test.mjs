// Two partners, two browser contexts: visibility of check-ins between them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import {
  makeCouple, writeCheckin, EDIT, DELETE, gotoOk, checkinArticle, ownCheckinId, html, marker, submit, pathOf,
} from './lib/hearth.mjs';

const VIS = ['private', 'partner', 'therapist'];

describe('two partners: check-in visibility', () => {
  let server; let browser; let ctxA; let ctxB; let pageA; let pageB; let base;
  const m = { A: {}, B: {} };
  let bPrivateId;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    browser = await launchBrowser();
    ctxA = await newContext(browser);
    ctxB = await newContext(browser);
    pageA = await ctxA.newPage();
    pageB = await ctxB.newPage();
    for (const who of ['A', 'B']) for (const v of VIS) m[who][v] = marker(`${who}-${v}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('A creates the space and an invite code; B signs up and joins with it', async () => {
    await makeCouple(pageA, pageB, base, 'vis');
    await gotoOk(pageB, base, '/space');
    assert.match(await pageB.locator('main').textContent(), /Alex Partner/,
      "B's /space should name the partner (A)");
    await gotoOk(pageA, base, '/space');
    assert.match(await pageA.locator('main').textContent(), /Brook Partner/,
      "A's /space should name the partner (B)");
  });

  it('each partner writes one check-in with each visibility', async () => {
    for (const v of VIS) {
      await writeCheckin(pageA, base, { appreciation: m.A[v], visibility: v });
      await writeCheckin(pageB, base, { appreciation: m.B[v], visibility: v });
    }
  });

  async function assertSees(page, who, other, where) {
    const content = await html(page);
    for (const v of VIS) {
      assert.ok(content.includes(m[who][v]), `${who}'s ${where} should show ${who}'s own ${v} check-in`);
    }
    assert.ok(content.includes(m[other].partner), `${who}'s ${where} should show ${other}'s partner check-in`);
    assert.ok(content.includes(m[other].therapist), `${who}'s ${where} should show ${other}'s therapist check-in`);
    assert.ok(!content.includes(m[other].private), `${who}'s ${where} must never contain ${other}'s private check-in`);
    const articles = await page.locator('article.checkin').count();
    assert.equal(articles, 5, `${who}'s ${where} should list exactly 5 check-ins (3 own + 2 shared), found ${articles}`);
  }

  it("A's dashboard shows A's three and B's shared ones, never B's private one", async () => {
    await gotoOk(pageA, base, '/dashboard');
    await assertSees(pageA, 'A', 'B', 'dashboard');
  });

  it("A's history (Both) shows A's three and B's shared ones, never B's private one", async () => {
    await gotoOk(pageA, base, '/checkins?author=all');
    await assertSees(pageA, 'A', 'B', 'history (author=all)');
  });

  it("A's history tabs: Mine and My partner's filter by author", async () => {
    await gotoOk(pageA, base, '/checkins?author=all');
    for (const name of ['Mine', "My partner's", 'Both']) {
      assert.equal(await pageA.getByRole('link', { name, exact: true }).count(), 1, `tab link "${name}" on /checkins`);
    }
    await Promise.all([pageA.waitForNavigation(), pageA.getByRole('link', { name: 'Mine', exact: true }).click()]);
    let content = await html(pageA);
    for (const v of VIS) assert.ok(content.includes(m.A[v]), `Mine shows A's ${v}`);
    for (const v of VIS) assert.ok(!content.includes(m.B[v]), `Mine must not show B's ${v}`);
    await Promise.all([pageA.waitForNavigation(), pageA.getByRole('link', { name: "My partner's", exact: true }).click()]);
    content = await html(pageA);
    for (const v of VIS) assert.ok(!content.includes(m.A[v]), `My partner's must not show A's ${v}`);
    assert.ok(content.includes(m.B.partner) && content.includes(m.B.therapist), "My partner's shows B's shared ones");
    assert.ok(!content.includes(m.B.private), "My partner's never shows B's private one");
  });

  it("B's dashboard and history show B's three and A's shared ones, never A's private one", async () => {
    await gotoOk(pageB, base, '/dashboard');
    await assertSees(pageB, 'B', 'A', 'dashboard');
    await gotoOk(pageB, base, '/checkins?author=all');
    await assertSees(pageB, 'B', 'A', 'history (author=all)');
  });

  it('own check-ins have Edit and Delete; the partner\'s have neither', async () => {
    await gotoOk(pageA, base, '/checkins?author=all');
    for (const v of VIS) {
      const art = checkinArticle(pageA, m.A[v]);
      assert.equal(await art.getByRole('link', { name: EDIT }).count(), 1, `A's ${v} has an Edit link`);
      assert.equal(await art.getByRole('link', { name: DELETE }).count(), 1, `A's ${v} has a Delete link`);
    }
    for (const v of ['partner', 'therapist']) {
      const art = checkinArticle(pageA, m.B[v]);
      assert.equal(await art.count(), 1, `B's ${v} check-in is one article on A's history`);
      assert.equal(await art.getByRole('link', { name: /edit/i }).count(), 0, `A must have no Edit link on B's ${v}`);
      assert.equal(await art.getByRole('link', { name: /delete/i }).count(), 0, `A must have no Delete link on B's ${v}`);
      assert.equal(await art.getByRole('button', { name: /edit|delete/i }).count(), 0, `A must have no Edit/Delete button on B's ${v}`);
    }
  });

  it('B edits one check-in (the form comes filled in) and deletes another', async () => {
    const editId = await ownCheckinId(pageB, base, m.B.partner);
    await gotoOk(pageB, base, `/checkins/${editId}/edit`);
    assert.equal(await pageB.locator('textarea[name="appreciation"]').inputValue(), m.B.partner,
      'edit form keeps the appreciation text');
    assert.ok(await pageB.locator('input[name="visibility"][value="partner"]').isChecked(),
      'edit form has the saved visibility checked');
    assert.ok(await pageB.locator('input[name="mood"][value="4"]').isChecked(), 'edit form has the saved mood checked');
    const edited = marker('B-partner-edited');
    m.B.edited = edited;
    await pageB.locator('textarea[name="appreciation"]').fill(edited);
    const r = await submit(pageB, 'Save changes');
    assert.equal(pathOf(pageB), '/checkins', `after Save changes: ${pageB.url()} (status ${r.status})`);

    await gotoOk(pageB, base, '/checkins?author=me');
    const del = checkinArticle(pageB, m.B.therapist);
    await Promise.all([pageB.waitForNavigation(), del.getByRole('link', { name: DELETE }).click()]);
    assert.match(pathOf(pageB), /^\/checkins\/[^/]+\/delete$/, 'Delete link leads to the confirmation page');
    const d = await submit(pageB, 'Delete this check-in');
    assert.equal(pathOf(pageB), '/checkins', `after deleting: ${pageB.url()} (status ${d.status})`);
    const content = await html(pageB);
    assert.ok(!content.includes(m.B.therapist), 'deleted check-in is gone from B\'s history');
    assert.ok(content.includes(edited), 'edited check-in shows the new text');
  });

  it('A sees the edit and no longer sees the deleted check-in', async () => {
    for (const p of ['/dashboard', '/checkins?author=all']) {
      await gotoOk(pageA, base, p);
      const content = await html(pageA);
      assert.ok(content.includes(m.B.edited), `A's ${p} shows B's edited text`);
      assert.ok(!content.includes(m.B.partner), `A's ${p} no longer shows B's old text`);
      assert.ok(!content.includes(m.B.therapist), `A's ${p} no longer shows B's deleted check-in`);
      assert.ok(!content.includes(m.B.private), `A's ${p} never shows B's private check-in`);
    }
  });

  it("A opening B's private check-in edit URL gets a not-found page (404)", async () => {
    bPrivateId = await ownCheckinId(pageB, base, m.B.private);
    const resp = await pageA.goto(`${base}/checkins/${bPrivateId}/edit`);
    assert.equal(resp.status(), 404, `GET /checkins/{B's private id}/edit as A answered ${resp.status()}`);
    assert.ok(!(await html(pageA)).includes(m.B.private), 'the not-found page must not leak the text');
  });

  it("A opening B's private check-in delete URL gets 404 too", async () => {
    const resp = await pageA.goto(`${base}/checkins/${bPrivateId}/delete`);
    assert.equal(resp.status(), 404, `GET /checkins/{B's private id}/delete as A answered ${resp.status()}`);
  });

  it("A cannot edit B's shared check-in through its URL either", async () => {
    const sharedId = await ownCheckinId(pageB, base, m.B.edited);
    const resp = await pageA.goto(`${base}/checkins/${sharedId}/edit`);
    assert.ok([403, 404].includes(resp.status()),
      `GET /checkins/{B's partner id}/edit as A answered ${resp.status()}, expected 404 (or 403)`);
  });
});
