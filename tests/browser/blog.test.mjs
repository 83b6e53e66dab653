// The public blog protects its readers (issue 12): a commenter's account name never reaches a public
// page (article list, article, topics, a tag's list, the feed) nor the author's moderation view; the
// byline and bio, tags and the typography of what Markdown makes; axe-core and 360 px on these pages;
// screenshots of the article list, an article and the topics, desktop and 360 px, light and dark
// (when HEARTH_SCREENSHOT_DIR is set; never inside the repository).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, addUser } from './lib/server.mjs';
import { launchBrowser, newContext } from './lib/browser.mjs';
import { assertNoAxeViolations } from './lib/axe.mjs';
import { screenshotDir, shoot } from './lib/shots.mjs';
import { PASSWORD, login, gotoOk, submit, uniqueUsername, makeCouple, pathOf } from './lib/hearth.mjs';

const BODY = [
  'When one of you is hurt, **slow down** first. Then *listen*, before you answer.',
  '',
  '# What helps',
  '',
  '- Name the feeling.',
  '- Say what it touched in you.',
  '',
  '> Security is not the absence of hurt; it is the promise to repair.',
  '',
  '## A small script',
  '',
  'Try `I felt… when…` and read more on [repair](https://example.org/repair).',
].join('\n');

describe('the public blog', () => {
  let server; let browser; let base;
  let ctxT; let ctxA; let ctxB; let ctxAnon;
  let ther; let pageA; let pageB; let anon;
  let couple; let articlePath;
  const therapist = { username: uniqueUsername('blth'), displayName: 'Dr Sam Rivers' };

  before(async () => {
    server = await startServer();
    base = server.baseURL;
    await addUser(server, { ...therapist, role: 'therapist', password: PASSWORD });
    browser = await launchBrowser();
    ctxT = await newContext(browser, { bypassCSP: true });
    ctxA = await newContext(browser, { bypassCSP: true });
    ctxB = await newContext(browser, { bypassCSP: true });
    ctxAnon = await newContext(browser, { bypassCSP: true });
    [ther, pageA, pageB, anon] = await Promise.all([ctxT, ctxA, ctxB, ctxAnon].map((c) => c.newPage()));
    couple = await makeCouple(pageA, pageB, base, 'bl');
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('a therapist writes a bio and a tagged article; readers see the byline, topics and typography', async () => {
    await login(ther, base, therapist);
    await gotoOk(ther, base, '/account');
    await ther.getByLabel('Short bio (shown under your name on your articles)').fill('Couples therapist in Leeds; twenty years of listening.');
    await submit(ther, 'Save bio');
    assert.equal(pathOf(ther), '/account');
    assert.match(await ther.getByRole('status').first().innerText(), /bio is saved/);

    await gotoOk(ther, base, '/articles/new');
    await ther.getByLabel('Title', { exact: true }).fill('Repair after a hard day');
    await ther.getByLabel('Text (Markdown)', { exact: true }).fill(BODY);
    await ther.getByLabel('Topics (up to 5)').fill('Repair, listening');
    await ther.getByLabel('Published (everyone can read it)').check();
    await submit(ther, 'Save');
    articlePath = pathOf(ther);
    assert.match(articlePath, /^\/articles\/repair-after-a-hard-day$/);

    await gotoOk(anon, base, articlePath);
    const main = anon.locator('main');
    assert.equal(await main.locator('h1').count(), 1, 'one h1: the title');
    assert.equal(await main.locator('.prose-html h2').first().innerText(), 'What helps', 'Markdown # is an h2');
    assert.equal(await main.locator('.prose-html h3').first().innerText(), 'A small script');
    assert.equal(await main.locator('.prose-html blockquote').count(), 1);
    assert.match(await main.locator('.byline').innerText(), /By Dr Sam Rivers/);
    assert.match(await main.locator('.author-bio').innerText(), /twenty years of listening/);
    assert.deepEqual(await main.locator('article.article ul.tags a').allInnerTexts(), ['listening', 'repair']);
    assert.match(await main.locator('article.article p.muted').first().innerText(), /· 1 view$/);
    const desc = await anon.locator('meta[name="description"]').getAttribute('content');
    assert.ok(desc.startsWith('When one of you is hurt, slow down first.'), `description: ${desc}`);
    await assertNoAxeViolations(anon, 'article page');

    await anon.getByRole('link', { name: 'repair', exact: true }).first().click();
    await anon.waitForURL(/\/articles\?tag=repair$/);
    assert.equal(await anon.getByRole('heading', { level: 1 }).innerText(), 'Articles about repair');
    assert.equal(await anon.getByRole('link', { name: 'Repair after a hard day' }).count(), 1);
    await assertNoAxeViolations(anon, 'a tag\'s articles');
    await gotoOk(anon, base, '/articles/tags');
    assert.deepEqual(await anon.locator('main ul.tag-list a').allInnerTexts(), ['listening', 'repair']);
    await assertNoAxeViolations(anon, 'topics');
  });

  it('comments show the chosen name; no public page shows a commenter\'s account name', async () => {
    assert.ok(articlePath, 'needs the article of the first test');
    // Partner A keeps the suggested initials; partner B types a name.
    await gotoOk(pageA, base, articlePath);
    const nameField = pageA.getByLabel('Name shown with your comment');
    assert.equal(await nameField.inputValue(), 'AP', 'the initials are suggested');
    await pageA.getByLabel('Your comment', { exact: true }).fill('This helped us tonight.');
    await submit(pageA, 'Send comment');
    await gotoOk(pageB, base, articlePath);
    await pageB.getByLabel('Name shown with your comment').fill('A grateful reader');
    await pageB.getByLabel('Your comment', { exact: true }).fill('Thank you for the script.');
    await submit(pageB, 'Send comment');
    // A name too long: the form comes back with what was typed and the reason.
    await gotoOk(pageB, base, articlePath);
    await pageB.evaluate(() => document.getElementById('name').removeAttribute('maxlength'));
    await pageB.getByLabel('Name shown with your comment').fill('x'.repeat(41));
    await pageB.getByLabel('Your comment', { exact: true }).fill('kept text');
    const bad = await submit(pageB, 'Send comment', { novalidate: true });
    assert.equal(bad.status, 400);
    assert.equal(await pageB.getByLabel('Your comment', { exact: true }).inputValue(), 'kept text');
    assert.match(await pageB.locator('#name-error').innerText(), /40 characters/);
    await assertNoAxeViolations(pageB, 'comment form with a name error');

    // The moderation view: chosen names only.
    await gotoOk(ther, base, articlePath);
    const modText = await ther.locator('main').innerText();
    for (const n of [couple.a.displayName, couple.b.displayName, couple.a.username, couple.b.username]) {
      assert.ok(!modText.includes(n), `the moderation view shows "${n}"`);
    }
    for (const text of ['This helped us tonight.', 'Thank you for the script.']) {
      const card = ther.locator('section.comments article.card').filter({ hasText: text });
      await submit(ther, 'Approve', { scope: card });
    }
    await assertNoAxeViolations(ther, 'article with comments (author)');

    const publicPages = [articlePath, '/articles', '/articles/tags', '/articles?tag=repair', '/'];
    for (const p of publicPages) {
      await gotoOk(anon, base, p);
      const all = await anon.content();
      for (const n of [couple.a.displayName, couple.b.displayName, couple.a.username, couple.b.username, 'Partner']) {
        assert.ok(!all.includes(n), `${p} shows "${n}"`);
      }
    }
    await gotoOk(anon, base, articlePath);
    const names = await anon.locator('section.comments article.card p.muted').allInnerTexts();
    assert.deepEqual(names.map((t) => t.split(' · ')[0]), ['AP', 'A grateful reader']);
    assert.match(await anon.locator('section.comments > p.muted').first().innerText(), /^2 comments$/);
    const feed = await (await anon.request.get(`${base}/articles.atom`)).text();
    for (const n of [couple.a.displayName, couple.b.displayName]) assert.ok(!feed.includes(n), `the feed shows ${n}`);
    assert.match(feed, /<author><name>Dr Sam Rivers<\/name><\/author>/);
  });

  it('360 px, and screenshots (desktop and 360 px, light and dark)', async (t) => {
    const dir = await screenshotDir();
    for (const scheme of dir ? ['light', 'dark'] : ['light']) {
      for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['360', { width: 360, height: 740 }]]) {
        const ctx = await newContext(browser, { viewport, colorScheme: scheme });
        const p = await ctx.newPage();
        for (const [name, url] of [['articles', '/articles'], ['article', articlePath], ['tags', '/articles/tags']]) {
          await gotoOk(p, base, url);
          if (label === '360') {
            const w = await p.evaluate(() => document.documentElement.scrollWidth);
            assert.ok(w <= 360, `${url} at 360 px is ${w} px wide`);
          }
          await shoot(p, dir, `blog-${name}-${label}-${scheme}.png`);
        }
        await ctx.close();
      }
    }
    if (dir) t.diagnostic(`screenshots in ${dir}`);
  });
});
