// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The public blog protects its readers (issue 12; API.md Additions "Articles"):
//   tags (0-5 of a-z0-9-, 1..32): GET /articles?tag=, GET /api/v1/tags, GET /articles.atom?tag=
//   author {display_name, bio}: bio set with PATCH /me {bio} (0..500), GET /me gains bio
//   POST .../comments {name 1..40, default: initials}: the only name shown publicly
//   the author's own reads are not counted; summaries have no space before punctuation
//   GET /robots.txt, GET /sitemap.xml; static files versioned, ETag, gzip; signed-in pages and pages with a
//   CSRF field never compressed (BREACH), anonymous public pages may be
//   the Atom feed parses in Debian's python3-feedparser with the right authors, tags and links
// Runs on both backends (tests/pg/with-postgres.sh for PostgreSQL). 127.0.0.1 only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, assertError, runCli, tempDir, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
let author;
let reader;


before(async () => {
  srv = await startServer();
  author = await addRoleUser(srv, 'blau', 'therapist', { displayName: 'Dr Robin Author' });
  reader = await addRoleUser(srv, 'blrd', 'member', { displayName: 'Maria Client Lopez' });
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

test('tags: 0-5 valid words, filtered lists, the tag list; invalid tags are refused', T, async () => {
  const a = await srv.ok(author, 'POST', '/api/v1/articles',
    { title: 'Tagged one', body_markdown: 'Words.', publish: true, tags: ['repair', 'listening', 'repair'] }, 201);
  assert.deepEqual(a.tags, ['listening', 'repair']);
  const b = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'Untagged', body_markdown: 'Words.', publish: true }, 201);
  assert.deepEqual(b.tags, []);
  const list = await srv.ok(null, 'GET', '/api/v1/articles?tag=repair', undefined, 200);
  assert.ok(list.items.some((i) => i.slug === a.slug));
  assert.ok(!list.items.some((i) => i.slug === b.slug), 'an untagged article is not in the tag list');
  assert.deepEqual(list.items.find((i) => i.slug === a.slug).tags, ['listening', 'repair']);
  const tags = await srv.ok(null, 'GET', '/api/v1/tags', undefined, 200);
  assert.deepEqual(tags.items.filter((t) => t.tag === 'repair'), [{ tag: 'repair', articles: 1 }]);
  for (const bad of [['Upper'], ['has space'], [''], ['x'.repeat(33)], ['a', 'b', 'c', 'd', 'e', 'f'], 'repair', [3]]) {
    const r = await srv.api('POST', '/api/v1/articles', { token: author.token, body: { title: 'Bad tags', body_markdown: 'x', publish: true, tags: bad } });
    assertError(r, 400, 'invalid_input', 'tags', JSON.stringify(bad));
  }
  const five = await srv.ok(author, 'PATCH', `/api/v1/articles/${b.slug}`, { tags: ['a', 'b-2', 'c', 'd', 'e'] }, 200);
  assert.deepEqual(five.tags, ['a', 'b-2', 'c', 'd', 'e']);
  const none = await srv.ok(author, 'PATCH', `/api/v1/articles/${b.slug}`, { tags: [] }, 200);
  assert.deepEqual(none.tags, []);
  assertError(await srv.api('GET', '/api/v1/articles?tag=No%20Such'), 400, 'invalid_input', 'tag');
  // A title that is a page of its own gets another slug.
  const t = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'Tags', body_markdown: 'x', publish: true }, 201);
  assert.notEqual(t.slug, 'tags');
  const page1 = await page(srv, 'GET', '/articles/tags');
  assert.equal(page1.status, 200);
  assert.match(page1.text, /href="\/articles\?tag=repair"/);
  const tagged = await page(srv, 'GET', '/articles?tag=repair');
  assert.equal(tagged.status, 200);
  assert.match(tagged.text, /Tagged one/);
  assert.doesNotMatch(tagged.text, /Untagged/);
});

test('byline: the author display name and bio (PATCH /me {bio}, sealed), in GET /me too', T, async () => {
  const me = await srv.ok(author, 'PATCH', '/api/v1/me', { bio: 'Couples therapist; listens first.' }, 200);
  assert.equal(me.bio, 'Couples therapist; listens first.');
  assert.equal((await srv.ok(author, 'GET', '/api/v1/me', undefined, 200)).bio, 'Couples therapist; listens first.');
  assertError(await srv.api('PATCH', '/api/v1/me', { token: author.token, body: { bio: 'x'.repeat(501) } }), 400, 'invalid_input', 'bio');
  assertError(await srv.api('PATCH', '/api/v1/me', { token: author.token, body: { bio: 7 } }), 400, 'invalid_input', 'bio');
  const a = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'With a byline', body_markdown: 'Words.', publish: true }, 201);
  const got = await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200);
  assert.deepEqual(got.author, { display_name: 'Dr Robin Author', bio: 'Couples therapist; listens first.' });
  const html = (await page(srv, 'GET', `/articles/${a.slug}`)).text;
  assert.match(html, /By Dr Robin Author/);
  assert.match(html, /Couples therapist; listens first\./);
  // Sealed at rest: not in the SQLite file as written.
  if (!process.env.HEARTH_TEST_PG_URL) {
    const fs = await import('node:fs');
    const path = await import('node:path');
    const files = fs.readdirSync(srv.dataDir).filter((f) => /\.db(-wal)?$/.test(f));
    for (const f of files) assert.ok(!fs.readFileSync(path.join(srv.dataDir, f)).includes('listens first'), `bio in clear in ${f}`);
  }
  // Part of the export (a fresh session: the token of addRoleUser was made just now).
  const exp = await srv.ok(author, 'GET', '/api/v1/me/export', undefined, 200);
  assert.equal(exp.account.bio, 'Couples therapist; listens first.');
  const cleared = await srv.ok(author, 'PATCH', '/api/v1/me', { bio: '' }, 200);
  assert.equal(cleared.bio, '');
});

test('comments show the chosen name, default initials, never the account display name', T, async () => {
  const a = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'Comment names', body_markdown: 'Words.', publish: true }, 201);
  const k1 = await srv.ok(reader, 'POST', `/api/v1/articles/${a.slug}/comments`, { body: 'Thank you.' }, 201);
  assert.equal(k1.name, 'MCL');
  const k2 = await srv.ok(reader, 'POST', `/api/v1/articles/${a.slug}/comments`, { body: 'Again.', name: '  A hopeful reader ' }, 201);
  assert.equal(k2.name, 'A hopeful reader');
  assertError(await srv.api('POST', `/api/v1/articles/${a.slug}/comments`, { token: reader.token, body: { body: 'x', name: 'n'.repeat(41) } }), 400, 'invalid_input', 'name');
  for (const k of [k1, k2]) await srv.ok(author, 'POST', `/api/v1/articles/${a.slug}/comments/${k.id}/approve`, undefined, 200);
  const list = await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}/comments`, undefined, 200);
  assert.deepEqual(list.items.map((k) => k.name).sort(), ['A hopeful reader', 'MCL']);
  const all = JSON.stringify(list) + (await page(srv, 'GET', `/articles/${a.slug}`)).text
    + (await page(srv, 'GET', '/articles.atom')).text + (await page(srv, 'GET', '/articles')).text;
  assert.ok(!all.includes('Maria'), 'the account display name shows on a public page');
  assert.ok(!all.includes(reader.username), 'the username shows on a public page');
  assert.ok(!all.includes(reader.id), 'the account id shows on a public page');
  // The moderation view (the author's page, pending comments included) shows the chosen names only.
  const k3 = await srv.ok(reader, 'POST', `/api/v1/articles/${a.slug}/comments`, { body: 'Pending one.' }, 201);
  const mod = await cookieLogin(srv, author.username, author.password);
  const modPage = (await page(srv, 'GET', `/articles/${a.slug}`, { cookie: mod.cookie })).text;
  assert.match(modPage, /Pending one\./);
  assert.ok(!modPage.includes('Maria'), 'the moderation view shows the account name');
  const pending = await srv.ok(author, 'GET', `/api/v1/articles/${a.slug}/comments?include=pending`, undefined, 200);
  assert.equal(pending.items.find((k) => k.id === k3.id).name, 'MCL');
});

test('views: readers count, the author does not; "1 view" and "2 comments"; summaries', T, async () => {
  const a = await srv.ok(author, 'POST', '/api/v1/articles', {
    title: 'Counting', publish: true,
    body_markdown: 'A *hurt* is **named**, then `held`.\n\nSee [this](https://example.org)!',
  }, 201);
  assert.equal(a.summary, 'A hurt is named, then held. See this!');
  await srv.ok(author, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200);
  await srv.ok(author, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200);
  assert.equal((await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200)).views, 1);
  const html = (await page(srv, 'GET', `/articles/${a.slug}`)).text; // the second reader's view
  assert.match(html, /2 views/);
  const listed = (await page(srv, 'GET', '/articles')).text;
  assert.match(listed, /0 comments/);
  const b = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'Once', body_markdown: 'x', publish: true }, 201);
  await srv.ok(null, 'GET', `/api/v1/articles/${b.slug}`, undefined, 200);
  await srv.ok(author, 'POST', `/api/v1/articles/${b.slug}/comments`, { body: 'first' }, 201);
  const one = (await page(srv, 'GET', '/articles')).text;
  assert.match(one, /1 view · 1 comment</);
  // A large count is written as the reader's language writes numbers.
  srv.sql(`UPDATE articles SET views = 12345 WHERE slug = '${b.slug}'`);
  assert.match((await page(srv, 'GET', '/articles')).text, /12,345 views · 1 comment</);
  assert.match((await page(srv, 'GET', '/articles', { headers: { 'Accept-Language': 'de' } })).text, /12\.345 Aufrufe · 1 Kommentar</);
  assert.match((await page(srv, 'GET', '/articles', { headers: { 'Accept-Language': 'es' } })).text, /12\.345 visitas · 1 comentario</);
  // Markdown's # is the page's h2 (the title is the h1).
  const c = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'Heads', body_markdown: '# Top\n\n## Next', publish: true }, 201);
  assert.match(c.html, /<h2>Top<\/h2>\s*<h3>Next<\/h3>/);
});

test('robots.txt and sitemap.xml', T, async () => {
  const a = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'In the sitemap', body_markdown: 'x', publish: true }, 201);
  const d = await srv.ok(author, 'POST', '/api/v1/articles', { title: 'A draft not in it', body_markdown: 'x', publish: false }, 201);
  const robots = await page(srv, 'GET', '/robots.txt');
  assert.equal(robots.status, 200);
  assert.match(robots.headers.get('content-type'), /^text\/plain/);
  assert.match(robots.text, /^User-agent: \*$/m);
  assert.match(robots.text, /^Allow: \/articles$/m);
  assert.match(robots.text, /^Disallow: \/$/m);
  assert.match(robots.text, /^Sitemap: \S+\/sitemap\.xml$/m);
  const map = await page(srv, 'GET', '/sitemap.xml');
  assert.equal(map.status, 200);
  assert.match(map.headers.get('content-type'), /xml/);
  assert.match(map.text, new RegExp(`<loc>[^<]*/articles/${a.slug}</loc>`));
  assert.ok(!map.text.includes(d.slug), 'a draft is in the sitemap');
});

test('static files: versioned URLs, ETag, gzip when accepted; pages are never compressed', T, async () => {
  const home = await page(srv, 'GET', '/');
  const m = /href="(\/static\/style\.css\?v=([0-9a-f]+))"/.exec(home.text);
  assert.ok(m, 'the layout links a versioned stylesheet');
  assert.match(home.text, /<link rel="icon" href="\/static\/favicon\.svg\?v=[0-9a-f]+" type="image\/svg\+xml">/);
  assert.match(home.text, /<meta name="description" content="[^"]{20,}">/);
  const gz = await srv.raw({ path: m[1], headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers['cache-control'], /max-age=31536000/);
  const etag = gz.headers.etag;
  assert.ok(etag, 'an ETag');
  const again = await srv.raw({ path: '/static/style.css', headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const plain = await srv.raw({ path: '/static/style.css' });
  assert.equal(plain.headers['content-encoding'], undefined);
  const icon = await page(srv, 'GET', '/static/favicon.svg');
  assert.equal(icon.status, 200);
  assert.match(icon.headers.get('content-type'), /^image\/svg\+xml/);
  const s = await cookieLogin(srv, reader.username, reader.password);
  for (const p of ['/dashboard', '/account', '/articles']) {
    const r = await srv.raw({ path: p, headers: { Cookie: s.cookie, 'Accept-Encoding': 'gzip, deflate, br' } });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers['content-encoding'], undefined, `${p} is compressed (BREACH)`);
  }
  // A public page without a session and without a form's CSRF field may be compressed; one with a field may not.
  const anonList = await srv.raw({ path: '/articles', headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(anonList.headers['content-encoding'], 'gzip', 'the anonymous article list is not compressed');
  assert.match(anonList.headers.vary || '', /Accept-Encoding/);
  const login = await srv.raw({ path: '/login', headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(login.headers['content-encoding'], undefined, '/login (a CSRF field) is compressed');
});

test('the Atom feed parses in python3-feedparser with authors, tags and links', T, async () => {
  await srv.ok(author, 'PATCH', '/api/v1/me', { bio: 'x' }, 200);
  const a = await srv.ok(author, 'POST', '/api/v1/articles',
    { title: 'Feed & "quotes" <ok>', body_markdown: '# Head\n\nBody with <b>raw</b> and *em*.', publish: true, tags: ['feed-one', 'repair'] }, 201);
  const script = `
import json, sys, feedparser
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({"bozo": d.bozo, "exc": str(d.get("bozo_exception", "")), "title": d.feed.get("title"),
  "entries": [{"title": e.title, "author": e.get("author"), "link": e.link, "id": e.id,
               "tags": [t.term for t in e.get("tags", [])], "content": e.content[0].value} for e in d.entries]}))
`;
  const parse = async (p) => {
    const feed = await page(srv, 'GET', p);
    assert.equal(feed.status, 200);
    assert.match(feed.headers.get('content-type'), /^application\/atom\+xml/);
    return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: feed.text }).toString());
  };
  const all = await parse('/articles.atom');
  assert.equal(all.bozo, false, all.exc);
  const e = all.entries.find((x) => x.link.endsWith(`/articles/${a.slug}`));
  assert.ok(e, 'the article is in the feed');
  assert.equal(e.title, 'Feed & "quotes" <ok>');
  assert.equal(e.author, 'Dr Robin Author');
  assert.deepEqual(e.tags.sort(), ['feed-one', 'repair']);
  assert.match(e.content, /<h2>Head<\/h2>/);
  assert.ok(!e.content.includes('<b>'), 'raw HTML reaches the feed');
  const tagged = await parse('/articles.atom?tag=feed-one');
  assert.equal(tagged.bozo, false, tagged.exc);
  assert.deepEqual(tagged.entries.map((x) => x.title), ['Feed & "quotes" <ok>']);
  assert.match(tagged.title, /feed-one/);
  assertError(await srv.api('GET', '/articles.atom?tag=Bad%20Tag'), 400, 'invalid_input', 'tag');
});

test('serve warns when HEARTH_PUBLIC_URL is unset and the listener is not loopback', T, () => {
  // A safety file that cannot be read stops serve after the warning and before it binds: nothing listens.
  const env = { HEARTH_SAFETY_FILE: '/nonexistent/safety.json', HEARTH_PUBLIC_URL: '' };
  const run = (listen, extra = {}) => runCli(['--data', tempDir(), 'serve', '--listen', listen], { env: { ...env, ...extra } });
  const wide = run('0.0.0.0:9');
  assert.equal(wide.status, 1, wide.stderr);
  assert.match(wide.stderr, /HEARTH_PUBLIC_URL is not set while listening on 0\.0\.0\.0/);
  const local = run('127.0.0.1:9');
  assert.doesNotMatch(local.stderr, /HEARTH_PUBLIC_URL/);
  const set = run('0.0.0.0:9', { HEARTH_PUBLIC_URL: 'https://hearth.example.org' });
  assert.doesNotMatch(set.stderr, /HEARTH_PUBLIC_URL/);
});
