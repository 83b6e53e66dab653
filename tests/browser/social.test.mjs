// The therapist (invite code, per-partner consent, therapist-marked check-ins only,
// private notes, access log) and the public articles (Markdown, search, views,
// moderated comments, drafts); axe-core and 360 px on these pages.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { assertNoHorizontalScroll } from './lib/shots.mjs';
import {
  PASSWORD, login, signup, gotoOk, submit, uniqueUsername, makeCouple, createSpace, writeCheckin,
  marker, pathOf, html,
} from './lib/hearth.mjs';

const DR = 'Dr Hale';

/** Text of <main> only (the visible page content). */
const mainText = (page) => page.locator('main').innerText();

describe('therapist and articles', () => {
  let server; let browser; let base;
  let ctxT; let ctxA; let ctxB; let ctxAnon;
  let ther; let pageA; let pageB; let anon;
  const therapist = { username: uniqueUsername('ther'), displayName: DR };
  // State shared by the later tests (axe, 360 px).
  let spacePath = null; let articlePath = null; let articleTitle = null; let searchWord = null;

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    browser = await launchBrowser();
    // bypassCSP only so that axe-core can be injected; the pages are otherwise unchanged.
    ctxT = await newContext(browser, { bypassCSP: true });
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true });
    ctxAnon = await newContext(browser, { bypassCSP: true });
    [ther, pageA, pageB, anon] = await Promise.all([ctxT, ctxA, ctxB, ctxAnon].map((c) => c.newPage()));
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a therapist sees only therapist-marked check-ins of consenting partners; notes stay private; access log', async () => {
    await login(ther, base, therapist);
    await gotoOk(ther, base, '/therapist');
    assert.ok((await mainText(ther)).includes('No couple has linked you yet.'), '/therapist before any link');
    const r = await submit(ther, 'Create a code');
    assert.equal(r.status, 200, `"Create a code" answered ${r.status}`);
    const code = (await ther.locator('.invite-code').first().textContent()).trim();
    assert.ok(code.length > 0, 'therapist invite code is empty');

    await makeCouple(pageA, pageB, base, 'th');
    // Partner A links the therapist with the code.
    await gotoOk(pageA, base, '/space');
    await pageA.getByLabel("Your therapist's code", { exact: true }).fill(code);
    const link = await submit(pageA, 'Link our therapist');
    assert.equal(link.status, 200, `"Link our therapist" answered ${link.status} at ${pageA.url()}`);
    assert.equal(pathOf(pageA), '/space');
    assert.ok((await mainText(pageA)).includes(`${DR} is linked to this space`), 'A: therapist shown as linked');
    assert.equal(await pageA.getByRole('button', { name: 'Withdraw my consent', exact: true }).count(), 1,
      'A: linking gives A\'s consent, so A is offered "Withdraw my consent"');

    // Partner B sees the therapist and is asked for consent.
    await gotoOk(pageB, base, '/space');
    assert.ok((await mainText(pageB)).includes(`${DR} is linked to this space`), 'B: therapist shown as linked');
    assert.equal(await pageB.getByRole('button', { name: 'Give my consent', exact: true }).count(), 1,
      'B: "Give my consent" offered');

    const aTher = marker('a-ther'); const aPartner = marker('a-partner');
    const bTher = marker('b-ther'); const bPartner = marker('b-partner');
    await writeCheckin(pageA, base, { appreciation: aTher, visibility: 'therapist' });
    await writeCheckin(pageA, base, { appreciation: aPartner, visibility: 'partner' });
    await writeCheckin(pageB, base, { appreciation: bTher, visibility: 'therapist' });
    await writeCheckin(pageB, base, { appreciation: bPartner, visibility: 'partner' });

    // The therapist's dashboard lists the couple; the space page shows A's therapist-marked item only.
    await gotoOk(ther, base, '/therapist');
    const spaceLink = ther.locator('main a[href^="/therapist/spaces/"]');
    assert.equal(await spaceLink.count(), 1, '/therapist lists exactly one linked couple');
    spacePath = await spaceLink.getAttribute('href');
    const dash = await mainText(ther);
    assert.ok(dash.includes('Alex Partner: consents'), `/therapist: A consents; got:\n${dash}`);
    assert.ok(dash.includes('Brook Partner: has not consented'), `/therapist: B has not consented; got:\n${dash}`);

    await gotoOk(ther, base, spacePath);
    let t = await html(ther);
    assert.ok(t.includes(aTher), 'therapist space page shows A\'s therapist-marked check-in');
    assert.ok(!t.includes(bTher), 'before B consents: B\'s therapist-marked check-in is not shown');
    assert.ok(!t.includes(aPartner) && !t.includes(bPartner), 'partner-only check-ins never shown to the therapist');

    // B consents.
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Give my consent');
    assert.equal(await pageB.getByRole('button', { name: 'Withdraw my consent', exact: true }).count(), 1,
      'B: after consenting, "Withdraw my consent" is offered');
    await gotoOk(ther, base, spacePath);
    t = await html(ther);
    assert.ok(t.includes(aTher) && t.includes(bTher), 'after B consents: both therapist-marked check-ins shown');
    assert.ok(!t.includes(aPartner) && !t.includes(bPartner), 'after B consents: partner-only check-ins still not shown');

    // A private note.
    const note = marker('private-note');
    await ther.getByLabel('A note', { exact: true }).fill(note);
    const saved = await submit(ther, 'Save note');
    assert.equal(saved.postStatus, 303, `"Save note" POST answered ${saved.postStatus}`);
    assert.equal(pathOf(ther), spacePath, `after "Save note": ${ther.url()}`);
    assert.ok((await mainText(ther)).includes(note), 'the note shows on the therapist\'s space page');

    // Neither partner sees the note anywhere; both see the access log.
    for (const [who, p] of [['A', pageA], ['B', pageB]]) {
      for (const path of ['/space', '/dashboard', '/checkins?author=all', '/timeline', '/trends', '/repairs',
        '/agreements', '/articles']) {
        await p.goto(base + path);
        assert.ok(!(await html(p)).includes(note), `${who}: ${path} must not contain the therapist's note`);
      }
      const api = await p.request.get(`${base}/api/v1/therapist/spaces/${spacePath.split('/').pop()}/notes`);
      const body = await api.text();
      assert.ok(!body.includes(note), `${who}: the notes API must not give the note (status ${api.status()})`);
      assert.ok(api.status() >= 400, `${who}: GET the therapist's notes API answered ${api.status()}, expected 4xx`);
      await gotoOk(p, base, '/space');
      const logText = await p.locator('main').innerText();
      assert.ok(logText.includes(`${DR} viewed the check-ins shared with the therapist`),
        `${who}: /space access log shows "${DR} viewed …"; got:\n${logText}`);
    }

    // B withdraws: B's items leave the therapist's page, A's stay.
    await gotoOk(pageB, base, '/space');
    await submit(pageB, 'Withdraw my consent');
    assert.equal(await pageB.getByRole('button', { name: 'Give my consent', exact: true }).count(), 1,
      'B: after withdrawing, "Give my consent" is offered again');
    await gotoOk(ther, base, spacePath);
    t = await html(ther);
    assert.ok(!t.includes(bTher), 'after B withdraws: B\'s check-in is gone from the therapist\'s page');
    assert.ok(t.includes(aTher), 'after B withdraws: A\'s therapist-marked check-in still shown');
    assert.ok((await mainText(ther)).includes('Brook Partner: has not consented'), 'B shown as not consenting');
  });

  it('articles: publish, search, read anonymously, moderated comments, drafts', async () => {
    searchWord = `zephyr${Math.random().toString(36).slice(2, 8)}`;
    articleTitle = `Listening after a hard day ${searchWord.slice(-4)}`;
    const body = `# Start with a pause\n\nWhen one of you comes home tired, ${searchWord} helps: `
      + 'listen first, *advise later*.\n\n- breathe\n- ask\n\n<script>window.__pwned = 1;</script>\n\nThe end.\n';
    await gotoOk(ther, base, '/articles/new');
    await ther.getByLabel('Title', { exact: true }).fill(articleTitle);
    await ther.getByLabel('Text (Markdown)', { exact: true }).fill(body);
    await ther.getByLabel('Published (everyone can read it)').check();
    const saved = await submit(ther, 'Save');
    assert.equal(saved.postStatus, 303, `article Save answered ${saved.postStatus}`);
    assert.match(pathOf(ther), /^\/articles\/[^/]+$/, `after Save: ${ther.url()}`);
    articlePath = pathOf(ther);

    // An anonymous reader browses, searches, opens.
    await gotoOk(anon, base, '/articles');
    assert.equal(await anon.getByRole('link', { name: articleTitle, exact: true }).count(), 1, '/articles lists the article');
    await anon.getByLabel('Search titles and text', { exact: true }).fill(searchWord);
    await submit(anon, 'Search');
    assert.equal(pathOf(anon), '/articles');
    assert.equal(new URL(anon.url()).searchParams.get('q'), searchWord, 'search puts the word in ?q=');
    assert.equal(await anon.getByRole('heading', { level: 1 }).innerText(), 'Search articles');
    const hit = anon.getByRole('link', { name: articleTitle, exact: true });
    assert.equal(await hit.count(), 1, 'the search finds the article by a word from its body');
    await Promise.all([anon.waitForNavigation(), hit.click()]);
    assert.equal(pathOf(anon), articlePath);
    assert.equal(await anon.locator('main article.article h1').first().innerText(), articleTitle);
    assert.equal(await anon.getByRole('heading', { name: 'Start with a pause', exact: true }).count(), 1,
      'the Markdown heading is rendered as a heading');
    const meta = await anon.locator('main article.article p.muted').first().innerText();
    assert.match(meta, /\d+ min read/, `reading time shown; got "${meta}"`);
    assert.match(meta, /\d+ views?/, `view count shown; got "${meta}"`);
    assert.equal(await anon.locator('main script').count(), 0, 'no <script> element from the body in the page');
    assert.equal(await anon.evaluate(() => window.__pwned), undefined, 'the body\'s script did not run');
    const canonical = await anon.locator('link[rel="canonical"]').getAttribute('href');
    assert.ok(canonical && canonical.endsWith(articlePath), `canonical link ends with ${articlePath}; got ${canonical}`);
    assert.equal(await anon.locator('meta[property="og:title"]').getAttribute('content'), articleTitle, 'og:title');
    assert.ok((await anon.locator('section.comments').innerText()).includes('Log in to comment'),
      'the anonymous reader sees "Log in to comment"');
    assert.equal(await anon.locator('section.comments').getByRole('link', { name: 'Log in', exact: true }).count(), 1);
    assert.equal(await anon.locator('textarea[name="body"]').count(), 0, 'no comment form for the anonymous reader');

    // A signed-in partner comments: held for approval.
    const comment = marker('comment');
    await gotoOk(pageA, base, articlePath);
    await pageA.getByLabel('Your comment', { exact: true }).fill(comment);
    const sent = await submit(pageA, 'Send comment');
    assert.equal(sent.postStatus, 303, `"Send comment" answered ${sent.postStatus}`);
    assert.equal(new URL(pageA.url()).searchParams.get('commented'), 'pending', `after sending: ${pageA.url()}`);
    const notice = await pageA.getByRole('status').innerText();
    assert.match(notice, /will appear once the author has read it/, `commenter's notice; got "${notice}"`);
    await gotoOk(anon, base, articlePath);
    assert.ok(!(await html(anon)).includes(comment), 'pending comment not visible to the anonymous reader');

    // The author sees it waiting and approves it.
    await gotoOk(ther, base, articlePath);
    const card = ther.locator('section.comments article.card').filter({ hasText: comment });
    assert.equal(await card.count(), 1, 'the author sees the pending comment');
    assert.ok((await card.innerText()).includes('waiting for approval'), 'marked "waiting for approval"');
    await submit(ther, 'Approve', { scope: card });
    await gotoOk(anon, base, articlePath);
    assert.ok((await mainText(anon)).includes(comment), 'approved comment visible to the anonymous reader');

    // A draft stays with its author.
    const draftTitle = `Draft on ${searchWord} for later`;
    await gotoOk(ther, base, '/articles/new');
    await ther.getByLabel('Title', { exact: true }).fill(draftTitle);
    await ther.getByLabel('Text (Markdown)', { exact: true }).fill(`Not ready: ${searchWord}.`);
    assert.equal(await ther.getByLabel('Published (everyone can read it)').isChecked(), false, 'Published starts unticked');
    await submit(ther, 'Save');
    assert.match(pathOf(ther), /^\/articles\/[^/]+$/, `after saving the draft: ${ther.url()}`);
    const draftPath = pathOf(ther);
    assert.ok((await mainText(ther)).includes('Draft (only you can see it)'), 'author sees the draft marked as draft');
    await gotoOk(anon, base, '/articles');
    assert.equal(await anon.getByRole('link', { name: draftTitle }).count(), 0, 'draft not listed for the anonymous reader');
    await gotoOk(anon, base, `/articles?q=${searchWord}`);
    assert.equal(await anon.getByRole('link', { name: draftTitle }).count(), 0, 'draft not found by search');
    const resp = await anon.goto(base + draftPath);
    assert.equal(resp.status(), 404, `anonymous GET of a draft answered ${resp.status()}, expected 404`);
    assert.ok(!(await html(anon)).includes(draftTitle), 'the 404 page does not reveal the draft title');
  });

  describe('axe-core on the therapist and article pages', () => {
    const need = (v, what) => assert.ok(v, `needs ${what} from the earlier test`);

    it('/therapist (with a linked couple and a fresh code)', async () => {
      await gotoOk(ther, base, '/therapist');
      await assertNoAxeViolations(ther, '/therapist');
      await submit(ther, 'Create a code');
      await assertNoAxeViolations(ther, '/therapist with a code');
    });

    it('therapist space page (and with a note error)', async () => {
      need(spacePath, 'a space');
      await gotoOk(ther, base, spacePath);
      await assertNoAxeViolations(ther, 'therapist space page');
      await ther.getByLabel('A note', { exact: true }).fill('');
      const r = await submit(ther, 'Save note', { novalidate: true });
      assert.ok(r.status >= 400 && r.status < 500, `an empty note answered ${r.status}, expected 4xx with the form`);
      await assertNoAxeViolations(ther, 'therapist space page with a note error');
    });

    it('/space with a therapist linked', async () => {
      need(spacePath, 'a linked space');
      await gotoOk(pageA, base, '/space');
      await assertNoAxeViolations(pageA, '/space with therapist');
    });

    it('/space with the therapist code form, and with an error', async () => {
      const c = await (await newContext(browser, { bypassCSP: true })).newPage();
      await signup(c, base, { username: uniqueUsername('axc'), displayName: 'Casey Code' });
      await createSpace(c, base);
      await gotoOk(c, base, '/space');
      await assertNoAxeViolations(c, '/space with the therapist code form');
      await c.getByLabel("Your therapist's code", { exact: true }).fill('no-such-code');
      const r = await submit(c, 'Link our therapist', { novalidate: true });
      assert.ok(r.status >= 400 && r.status < 500, `a wrong therapist code answered ${r.status}, expected 4xx`);
      assert.equal(await c.locator('#therapist_code-error').count(), 1, 'the error is shown as #therapist_code-error');
      await assertNoAxeViolations(c, '/space with a therapist code error');
      await c.context().close();
    });

    it('/articles and a search result page', async () => {
      await gotoOk(anon, base, '/articles');
      await assertNoAxeViolations(anon, '/articles');
      need(searchWord, 'an article');
      await gotoOk(anon, base, `/articles?q=${searchWord}`);
      await assertNoAxeViolations(anon, '/articles?q= (hits)');
      await gotoOk(anon, base, '/articles?q=nothingmatchesthisword');
      await assertNoAxeViolations(anon, '/articles?q= (no hits)');
    });

    it('an article page (anonymous, signed in with the comment form, and moderator)', async () => {
      need(articlePath, 'an article');
      await gotoOk(anon, base, articlePath);
      await assertNoAxeViolations(anon, 'article page (anonymous)');
      await gotoOk(pageB, base, articlePath);
      assert.equal(await pageB.locator('textarea[name="body"]').count(), 1, 'comment form shown when signed in');
      await assertNoAxeViolations(pageB, 'article page (signed in, comment form)');
      await submit(pageB, 'Send comment', { novalidate: true });
      await assertNoAxeViolations(pageB, 'article page (empty comment error)');
      await gotoOk(ther, base, articlePath);
      await assertNoAxeViolations(ther, 'article page (author, moderation)');
    });

    it('/articles/new (and with an error)', async () => {
      await gotoOk(ther, base, '/articles/new');
      await assertNoAxeViolations(ther, '/articles/new');
      const r = await submit(ther, 'Save', { novalidate: true });
      assert.ok(r.status >= 400 && r.status < 500, `an empty article answered ${r.status}, expected 4xx with the form`);
      assert.equal(await ther.locator('#title-error').count(), 1, 'the title error is shown as #title-error');
      await assertNoAxeViolations(ther, '/articles/new with an error');
    });
  });

  it('360 px: no horizontal scrolling on /articles, an article, a therapist space page', async () => {
    need(articlePath && spacePath);
    const ctxM = await newContext(browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const m = await ctxM.newPage();
    await gotoOk(m, base, '/articles');
    await assertNoHorizontalScroll(m, '/articles');
    await gotoOk(m, base, articlePath);
    await assertNoHorizontalScroll(m, articlePath);
    await login(m, base, therapist);
    await gotoOk(m, base, spacePath);
    await assertNoHorizontalScroll(m, 'therapist space page');
    await gotoOk(m, base, '/therapist');
    await assertNoHorizontalScroll(m, '/therapist');
    await ctxM.close();

    function need(ok) { assert.ok(ok, 'needs an article and a space from the earlier tests'); }
  });
});
