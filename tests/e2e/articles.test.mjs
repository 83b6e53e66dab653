// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The public articles (API.md "Articles"):
//   GET /articles?q=&limit=&before= -> {items:[{slug, title, summary, published_at, views, comments}], next}
//   GET /articles/{slug} -> {slug, title, html, published_at, views, comments, recent}; counts a view
//   POST /articles (therapist or admin) {title, body_markdown, publish} -> 201; PATCH/DELETE (author or admin)
//   comments: pending for readers, published for the author; approve/delete by the author or an admin
//   GET /articles.atom: Atom 1.0
// Node built-ins only; 127.0.0.1 only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, assertError, assertJsonType, TEST_TIMEOUT, RFC3339_UTC } from './lib/server.mjs';
import { addRoleUser, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const word = () => `w${crypto.randomBytes(5).toString('hex')}`;

let srv;
let author; // a therapist
let other; // another therapist
let admin;
let member;
let reader; // another member

const create = (who, title, body_markdown = 'Some words.', publish = true) =>
  srv.ok(who, 'POST', '/api/v1/articles', { title, body_markdown, publish }, 201);

/** Every published item of the list (following next), as the caller sees it. */
async function listAll(who, q = '') {
  const items = [];
  let before = null;
  for (let i = 0; i < 100; i++) {
    const qs = new URLSearchParams({ limit: '2' });
    if (q) qs.set('q', q);
    if (before) qs.set('before', before);
    const r = await srv.ok(who, 'GET', `/api/v1/articles?${qs}`, undefined, 200);
    items.push(...r.items);
    before = r.next;
    if (!before) break;
  }
  return items;
}

before(async () => {
  srv = await startServer();
  author = await addRoleUser(srv, 'arau', 'therapist', { displayName: 'Dr Author' });
  other = await addRoleUser(srv, 'aroth', 'therapist');
  admin = await addRoleUser(srv, 'aradm', 'admin');
  member = await srv.signUp('armem');
  reader = await srv.signUp('arread');
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

test('create: 201 for therapists and admins, slug from the title, unique slugs -2, -3; members 403', T, async () => {
  const a = await create(author, 'Hello, World: On Listening!');
  assert.equal(a.slug, 'hello-world-on-listening');
  assert.equal(a.title, 'Hello, World: On Listening!');
  assert.match(a.published_at, RFC3339_UTC);
  assert.equal((await create(other, 'Hello, World: On Listening!')).slug, 'hello-world-on-listening-2');
  assert.equal((await create(admin, 'hello world on listening')).slug, 'hello-world-on-listening-3');
  for (const who of [member, reader]) {
    assertError(await srv.api('POST', '/api/v1/articles', { token: who.token, body: { title: 'x', body_markdown: 'y', publish: true } }), 403, 'forbidden');
  }
  assertError(await srv.api('POST', '/api/v1/articles', { body: { title: 'x', body_markdown: 'y', publish: true } }), 401, 'unauthenticated');
});

test('validation: empty or blank title, too long title or body -> 400 with the field', T, async () => {
  const bad = [
    [{ title: '', body_markdown: 'b', publish: false }, 'title'],
    [{ title: '   ', body_markdown: 'b', publish: false }, 'title'],
    [{ title: 'x'.repeat(201), body_markdown: 'b', publish: false }, 'title'],
    [{ title: 'ok', body_markdown: 'b'.repeat(60001), publish: false }, 'body_markdown'],
    [{ title: 7, body_markdown: 'b', publish: false }, 'title'],
  ];
  for (const [body, field] of bad) {
    assertError(await srv.api('POST', '/api/v1/articles', { token: author.token, body }), 400, 'invalid_input', field, JSON.stringify(body).slice(0, 60));
  }
  assert.equal((await create(author, 'é'.repeat(200), 'b', false)).title, 'é'.repeat(200));
  assertError(await srv.api('POST', '/api/v1/articles', { token: author.token, rawBody: '{"title":', headers: { 'Content-Type': 'application/json' } }), 400, 'invalid_json');
});

test('Markdown is rendered and sanitised: no raw HTML, no javascript: links', T, async () => {
  const md = [
    '# A heading',
    '',
    'Some *emphasis* and a [good link](https://example.org/x).',
    '',
    '<script>alert(1)</script>',
    '',
    'Inline <b onclick="x()">raw</b> and <img src=x onerror=alert(2)>.',
    '',
    '[bad](javascript:alert(3)) [bad2](JaVaScRiPt:alert(4)) ![img](javascript:alert(5))',
  ].join('\n');
  const a = await create(author, `Markdown ${word()}`, md);
  const r = await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200);
  const html = r.html;
  assert.match(html, /<h[1-6]>A heading<\/h[1-6]>/); // headings may be demoted below the page title
  assert.match(html, /<em>emphasis<\/em>/);
  assert.match(html, /<a href="https:\/\/example.org\/x">good link<\/a>/);
  assert.ok(!/<script/i.test(html), `html has <script: ${html}`);
  assert.ok(!/javascript:/i.test(html), `html has javascript: ${html}`);
  assert.ok(!/onerror|onclick/i.test(html), `html keeps event handlers: ${html}`);
  assert.ok(!/<b[\s>]|<img src="?x/i.test(html), `raw HTML kept: ${html}`);
  // The page and the feed neither.
  const p = await page(srv, 'GET', `/articles/${a.slug}`);
  assert.equal(p.status, 200);
  assert.ok(!p.text.includes('alert(1)</script>') && !/href="javascript:/i.test(p.text) && !/onerror=alert/i.test(p.text), 'the page carries the raw HTML');
  const feed = await page(srv, 'GET', '/articles.atom');
  assert.ok(!/<script/i.test(feed.text) && !/javascript:/i.test(feed.text), 'the feed carries a script or javascript: link');
});

test('drafts: 404 for anonymous, members and other therapists; the author and an admin read them', T, async () => {
  const title = `Draft ${word()}`;
  const d = await create(author, title, 'draft body', false);
  assert.equal(d.published_at ?? null, null);
  assertError(await srv.api('GET', `/api/v1/articles/${d.slug}`), 404, 'not_found', undefined, 'anonymous');
  for (const who of [member, other]) {
    assertError(await srv.api('GET', `/api/v1/articles/${d.slug}`, { token: who.token }), 404, 'not_found');
    assertError(await srv.api('GET', `/api/v1/articles/${d.slug}/comments`, { token: who.token }), 404, 'not_found');
    assertError(await srv.api('POST', `/api/v1/articles/${d.slug}/comments`, { token: who.token, body: { body: 'hi' } }), 404, 'not_found');
    assertError(await srv.api('PATCH', `/api/v1/articles/${d.slug}`, { token: who.token, body: { publish: true } }), 404, 'not_found');
    assertError(await srv.api('DELETE', `/api/v1/articles/${d.slug}`, { token: who.token }), 404, 'not_found');
  }
  assert.equal((await srv.ok(author, 'GET', `/api/v1/articles/${d.slug}`, undefined, 200)).title, title);
  assert.equal((await srv.ok(admin, 'GET', `/api/v1/articles/${d.slug}`, undefined, 200)).title, title);
  assert.ok(!(await listAll(null)).some((x) => x.slug === d.slug), 'the anonymous list shows a draft');
  assert.ok(!(await listAll(other)).some((x) => x.slug === d.slug), 'another therapist\'s list shows the draft');
  assert.ok(!(await listAll(null, title)).some((x) => x.slug === d.slug), 'search finds a draft');
  assert.equal((await page(srv, 'GET', `/articles/${d.slug}`)).status, 404);
  assert.ok(!(await page(srv, 'GET', '/articles.atom')).text.includes(title), 'the feed has a draft');
  // Publish via PATCH.
  const p = await srv.ok(author, 'PATCH', `/api/v1/articles/${d.slug}`, { publish: true }, 200);
  assert.equal(p.slug, d.slug);
  assert.match(p.published_at, RFC3339_UTC);
  assert.equal((await srv.ok(null, 'GET', `/api/v1/articles/${d.slug}`, undefined, 200)).title, title);
  assert.ok((await listAll(null)).some((x) => x.slug === d.slug));
});

test('views count up on each GET and show in the list; no tracking cookie', T, async () => {
  const a = await create(author, `Views ${word()}`);
  const v0 = (await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200)).views;
  const r = await srv.api('GET', `/api/v1/articles/${a.slug}`);
  assert.equal(r.json.views, v0 + 1);
  assert.equal(r.headers.getSetCookie().length, 0, `a cookie on reading: ${r.headers.getSetCookie()}`);
  await srv.ok(member, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200);
  const item = (await listAll(null)).find((x) => x.slug === a.slug);
  assert.equal(item.views, v0 + 2, `list views: ${JSON.stringify(item)}`);
  for (const k of ['slug', 'title', 'summary', 'published_at', 'views', 'comments']) assert.ok(k in item, `list item lacks ${k}`);
});

test('search: q matches titles and bodies; a title match ranks before a body-only match', T, async () => {
  const w = word();
  const inTitle = await create(author, `About ${w} today`, 'Nothing special here.');
  const inBody = await create(other, `Something else ${word()}`, `A long body that mentions ${w} once.`);
  const hits = (await srv.ok(null, 'GET', `/api/v1/articles?q=${w}`, undefined, 200)).items.map((x) => x.slug);
  assert.deepEqual(hits, [inTitle.slug, inBody.slug], `ranking: ${hits}`);
  assert.deepEqual((await srv.ok(null, 'GET', `/api/v1/articles?q=${w.toUpperCase()}`, undefined, 200)).items.map((x) => x.slug).sort(), [inTitle.slug, inBody.slug].sort(), 'case');
  assert.equal((await srv.ok(null, 'GET', `/api/v1/articles?q=${word()}`, undefined, 200)).items.length, 0);
  // Operators in q are text, never syntax.
  for (const q of ['"', 'a OR', 'NEAR(', '*', '-x', '&|!', "'"]) {
    assert.equal((await srv.api('GET', `/api/v1/articles?q=${encodeURIComponent(q)}`)).status, 200, `q=${q}`);
  }
});

test('pagination: limit, before and next walk every published article once, newest first', T, async () => {
  for (let i = 0; i < 5; i++) await create(i % 2 ? author : other, `Page ${i} ${word()}`);
  const all = await listAll(null);
  const slugs = all.map((x) => x.slug);
  assert.equal(new Set(slugs).size, slugs.length, 'an article appears twice');
  const full = await srv.ok(null, 'GET', '/api/v1/articles?limit=100', undefined, 200);
  assert.deepEqual(slugs, full.items.map((x) => x.slug), 'pages differ from one big page');
  assert.equal(full.next, null);
  const times = all.map((x) => Date.parse(x.published_at));
  for (let i = 1; i < times.length; i++) assert.ok(times[i - 1] >= times[i], 'not newest first');
  for (const bad of ['limit=0', 'limit=101', 'before=garbage']) {
    assertError(await srv.api('GET', `/api/v1/articles?${bad}`), 400, 'invalid_input', undefined, bad);
  }
});

test('comments: pending for readers, published for the author; approve and delete by the author only', T, async () => {
  const a = await create(author, `Comments ${word()}`);
  const base = `/api/v1/articles/${a.slug}/comments`;
  const html = '<img src=x onerror=alert(1)><b>bold</b> & more';
  const pend = await srv.ok(reader, 'POST', base, { body: html }, 201);
  assert.equal(pend.status, 'pending');
  let list = await srv.ok(null, 'GET', base, undefined, 200);
  assert.ok(!list.items.some((k) => k.id === pend.id), 'a pending comment is public');
  assert.ok(!(await srv.ok(member, 'GET', base, undefined, 200)).items.some((k) => k.id === pend.id));
  const own = await srv.ok(author, 'POST', base, { body: 'The author answers.' }, 201);
  assert.equal(own.status, 'published');
  assert.ok((await srv.ok(null, 'GET', base, undefined, 200)).items.some((k) => k.id === own.id));
  // Moderation: members (also the comment's writer) and other therapists 403; anonymous 401.
  for (const who of [reader, member, other]) {
    assertError(await srv.api('POST', `${base}/${pend.id}/approve`, { token: who.token }), 403, 'forbidden');
    assertError(await srv.api('DELETE', `${base}/${pend.id}`, { token: who.token }), 403, 'forbidden');
  }
  assertError(await srv.api('POST', `${base}/${pend.id}/approve`), 401, 'unauthenticated');
  await srv.ok(author, 'POST', `${base}/${pend.id}/approve`, undefined, 200);
  list = await srv.ok(null, 'GET', base, undefined, 200);
  const shown = list.items.find((k) => k.id === pend.id);
  assert.ok(shown, 'the approved comment is not shown');
  assert.equal(shown.body, html, 'the comment body is not returned as the plain text written');
  assert.equal((await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200)).comments, 2);
  // On the page, the HTML is text.
  const p = await page(srv, 'GET', `/articles/${a.slug}`);
  assert.ok(!p.text.includes('<img src=x onerror') && !p.text.includes('<b>bold</b>'), 'the page renders a comment\'s HTML');
  // Delete (author), and an admin deletes another.
  await srv.ok(author, 'DELETE', `${base}/${pend.id}`, undefined, 204);
  assert.ok(!(await srv.ok(null, 'GET', base, undefined, 200)).items.some((k) => k.id === pend.id));
  const k2 = await srv.ok(member, 'POST', base, { body: 'second' }, 201);
  await srv.ok(admin, 'POST', `${base}/${k2.id}/approve`, undefined, 200);
  await srv.ok(admin, 'DELETE', `${base}/${k2.id}`, undefined, 204);
  assertError(await srv.api('DELETE', `${base}/${k2.id}`, { token: author.token }), 404, 'not_found', undefined, 'deleted twice');
  // Validation and access.
  assertError(await srv.api('POST', base, { token: reader.token, body: { body: '' } }), 400, 'invalid_input', 'body');
  assertError(await srv.api('POST', base, { token: reader.token, body: { body: 'x'.repeat(2001) } }), 400, 'invalid_input', 'body');
  assert.equal((await srv.ok(reader, 'POST', base, { body: 'y'.repeat(2000) }, 201)).status, 'pending');
  assertError(await srv.api('POST', base, { body: { body: 'anon' } }), 401, 'unauthenticated');
  assertError(await srv.api('GET', '/api/v1/articles/no-such-article/comments'), 404, 'not_found');
});

test('PATCH/DELETE: another therapist and members 403; the admin may edit and delete', T, async () => {
  const a = await create(author, `Owned ${word()}`, 'original');
  for (const who of [other, member]) {
    assertError(await srv.api('PATCH', `/api/v1/articles/${a.slug}`, { token: who.token, body: { title: 'hijack' } }), 403, 'forbidden');
    assertError(await srv.api('DELETE', `/api/v1/articles/${a.slug}`, { token: who.token }), 403, 'forbidden');
  }
  assertError(await srv.api('PATCH', `/api/v1/articles/${a.slug}`, { body: { title: 'anon' } }), 401, 'unauthenticated');
  assert.equal((await srv.ok(null, 'GET', `/api/v1/articles/${a.slug}`, undefined, 200)).title, a.title, 'a refused edit changed the title');
  const e = await srv.ok(admin, 'PATCH', `/api/v1/articles/${a.slug}`, { body_markdown: 'edited by the admin' }, 200);
  assert.match(e.html, /edited by the admin/);
  assert.equal(e.title, a.title);
  const t = await srv.ok(author, 'PATCH', `/api/v1/articles/${a.slug}`, { title: 'A new title' }, 200);
  assert.equal(t.title, 'A new title');
  assert.equal(t.slug, a.slug, 'the slug changed');
  assertError(await srv.api('PATCH', `/api/v1/articles/${a.slug}`, { token: author.token, body: { title: '' } }), 400, 'invalid_input', 'title');
  await srv.ok(admin, 'DELETE', `/api/v1/articles/${a.slug}`, undefined, 204);
  assertError(await srv.api('GET', `/api/v1/articles/${a.slug}`), 404, 'not_found');
  const b = await create(author, `Own delete ${word()}`);
  await srv.ok(author, 'DELETE', `/api/v1/articles/${b.slug}`, undefined, 204);
  assertError(await srv.api('DELETE', `/api/v1/articles/${b.slug}`, { token: author.token }), 404, 'not_found');
});

// ---------------------------------------------------------------- Atom

/**
 * A small strict XML checker: one root, every tag closed in order, attributes
 * quoted and unique, only the five named entities or numeric references, no
 * raw < or & in text. Returns the element tree {name, attrs, children, text}.
 */
function parseXml(xml) {
  let i = 0;
  const fail = (m) => { throw new Error(`XML: ${m} at ${i}: ${JSON.stringify(xml.slice(i, i + 60))}`); };
  const NAME = /^[A-Za-z_][\w.:-]*/;
  const checkText = (s) => {
    if (s.includes('<')) fail('raw <');
    for (const m of s.matchAll(/&([^;]*);?/g)) {
      if (!m[0].endsWith(';') || !/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1])) fail(`bad entity ${m[0]}`);
    }
    return s;
  };
  if (xml.startsWith('<?xml')) {
    const e = xml.indexOf('?>');
    if (e < 0) fail('unterminated declaration');
    i = e + 2;
  }
  const root = { name: '#doc', children: [] };
  const stack = [root];
  let text = '';
  while (i < xml.length) {
    if (xml[i] !== '<') {
      const e = xml.indexOf('<', i);
      const chunk = xml.slice(i, e < 0 ? xml.length : e);
      checkText(chunk);
      if (stack.length === 1 && chunk.trim()) fail('text outside the root');
      text += chunk;
      stack[stack.length - 1].text = (stack[stack.length - 1].text || '') + chunk;
      i = e < 0 ? xml.length : e;
      continue;
    }
    if (xml.startsWith('<!--', i)) { const e = xml.indexOf('-->', i); if (e < 0) fail('comment'); i = e + 3; continue; }
    if (xml.startsWith('<![CDATA[', i)) { const e = xml.indexOf(']]>', i); if (e < 0) fail('cdata'); stack[stack.length - 1].text = (stack[stack.length - 1].text || '') + xml.slice(i + 9, e); i = e + 3; continue; }
    if (xml[i + 1] === '/') {
      const m = NAME.exec(xml.slice(i + 2));
      if (!m) fail('bad end tag');
      const top = stack.pop();
      if (!top || top.name !== m[0]) fail(`</${m[0]}> closes <${top && top.name}>`);
      i += 2 + m[0].length;
      while (/\s/.test(xml[i])) i++;
      if (xml[i] !== '>') fail('end tag not closed');
      i++;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) fail('bad start tag');
    const el = { name: m[0], attrs: {}, children: [], text: '' };
    i += 1 + m[0].length;
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))[0];
      i += ws.length;
      if (xml.startsWith('/>', i)) { i += 2; stack[stack.length - 1].children.push(el); break; }
      if (xml[i] === '>') { i++; stack[stack.length - 1].children.push(el); stack.push(el); break; }
      if (!ws) fail('attributes need white space');
      const a = /^([A-Za-z_][\w.:-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(xml.slice(i));
      if (!a) fail('bad attribute');
      if (a[1] in el.attrs) fail(`duplicate attribute ${a[1]}`);
      el.attrs[a[1]] = checkText(a[3] ?? a[4]);
      i += a[0].length;
    }
    if (stack.length === 1 && root.children.length > 1) fail('more than one root');
  }
  if (stack.length !== 1) fail(`unclosed <${stack[stack.length - 1].name}>`);
  if (root.children.length !== 1) fail('no single root');
  void text;
  return root.children[0];
}

const unescape = (s) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]);

test('the checker itself refuses broken XML', () => {
  for (const bad of ['<a><b></a></b>', '<a>x & y</a>', '<a x=1/>', '<a></a><b/>', '<a>', '<a x="1" x="2"/>', '<a>&nbsp;</a>']) {
    assert.throws(() => parseXml(bad), /XML/, bad);
  }
  assert.equal(parseXml('<?xml version="1.0"?>\n<a x="1"><b>t &amp; u</b><c/></a>').children.length, 2);
});

test('GET /articles.atom: well-formed Atom with one entry per published article', T, async () => {
  const tricky = await create(author, `Ampersands & <angles> "quotes" ${word()}`, 'Body with & and <tags> and ]]> too.');
  await create(author, `A draft for the feed ${word()}`, 'hidden', false);
  const r = await srv.api('GET', '/articles.atom');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/atom\+xml/);
  const feed = parseXml(r.text);
  assert.equal(feed.name, 'feed');
  assert.equal(feed.attrs.xmlns, 'http://www.w3.org/2005/Atom');
  const kids = (el, n) => el.children.filter((c) => c.name === n);
  for (const n of ['title', 'id', 'updated']) assert.equal(kids(feed, n).length, 1, `feed <${n}>`);
  assert.match(kids(feed, 'updated')[0].text, RFC3339_UTC);
  const published = await listAll(null);
  const entries = kids(feed, 'entry');
  assert.ok(published.length <= 20, 'more articles than the feed shows: the test assumes a short feed');
  assert.equal(entries.length, published.length, 'one entry per published article');
  const titles = entries.map((e) => unescape(kids(e, 'title')[0].text)).sort();
  assert.deepEqual(titles, published.map((x) => x.title).sort());
  assert.ok(titles.includes(tricky.title));
  const ids = new Set();
  for (const e of entries) {
    for (const n of ['title', 'id', 'updated', 'link']) assert.equal(kids(e, n).length >= 1, true, `entry <${n}>`);
    assert.match(kids(e, 'updated')[0].text, RFC3339_UTC);
    ids.add(kids(e, 'id')[0].text);
    assert.ok(kids(e, 'author').length === 1 || kids(feed, 'author').length === 1, 'Atom needs an author');
  }
  assert.equal(ids.size, entries.length, 'entry ids are not unique');
  assert.ok(!r.text.includes('A draft for the feed'), 'the feed has a draft');
});

test('reading needs no account: anonymous list, article, comments and pages', T, async () => {
  const a = await create(admin, `Open to all ${word()}`);
  const l = await srv.api('GET', '/api/v1/articles');
  assert.equal(l.status, 200);
  assertJsonType(l);
  assert.equal((await srv.api('GET', `/api/v1/articles/${a.slug}`)).status, 200);
  assert.equal((await srv.api('GET', `/api/v1/articles/${a.slug}/comments`)).status, 200);
  assert.equal((await page(srv, 'GET', '/articles')).status, 200);
  assert.equal((await page(srv, 'GET', `/articles/${a.slug}`)).status, 200);
  assertError(await srv.api('GET', '/api/v1/articles/no-such-slug'), 404, 'not_found');
  assertError(await srv.api('GET', `/api/v1/articles/${'x'.repeat(300)}`), 404, 'not_found');
});
