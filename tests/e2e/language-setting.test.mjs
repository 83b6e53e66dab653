// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The language a person reads hearth in (issue 16, API.md "Additions: Languages"):
//   PATCH /me {language: en|es|de|""|null} -> 200 as GET /me, which gains `language` (the choice, null for
//     none) and `content_language` (what this answer's content is in). Anything else: 400 invalid_input
//     on `language`, with every other invalid field at once, and nothing changed.
//   Pages: the person's setting, else Accept-Language, else HEARTH_DEFAULT_LANGUAGE; <html lang> says which.
//   The Account page's language form saves it (POST /account/profile with `language` alone); a refused
//   value keeps the form and the name form as they were. Each partner's language is their own.
//   Error messages of the API stay English whatever the language: clients translate by code.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { cookieLogin, page, csrfFromHtml, addRoleUser } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv, spanish;
before(async () => {
  srv = await startServer();
  spanish = await startServer({ env: { HEARTH_DEFAULT_LANGUAGE: 'es' } });
}, T);
after(async () => {
  if (srv) await srv.stop();
  if (spanish) await spanish.stop();
}, T);

const me = (s, u, headers = {}) => s.api('GET', '/api/v1/me', { token: u.token, headers });
const patch = (u, body) => srv.api('PATCH', '/api/v1/me', { token: u.token, body });
const htmlLang = (html) => (/<html lang="([a-z]+)">/.exec(html) || [])[1];

test('GET /me: no language chosen; the content follows Accept-Language, else the server default', T, async () => {
  const a = await srv.signUp('lga');
  let r = await me(srv, a);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.language, null);
  assert.equal(r.json.content_language, 'en');
  r = await me(srv, a, { 'Accept-Language': 'de-CH, de;q=0.9, en;q=0.5' });
  assert.equal(r.json.content_language, 'de');
  r = await me(srv, a, { 'Accept-Language': 'fr, it' });
  assert.equal(r.json.content_language, 'en', 'nothing we speak: the default');
  const b = await spanish.signUp('lgb');
  r = await me(spanish, b, { 'Accept-Language': 'fr' });
  assert.equal(r.json.content_language, 'es', 'HEARTH_DEFAULT_LANGUAGE=es');
});

test('PATCH /me sets, keeps and clears the language; the setting wins over the browser', T, async () => {
  const a = await srv.signUp('lgc');
  let r = await patch(a, { language: 'de' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.language, 'de');
  assert.equal(r.json.content_language, 'de');
  r = await me(srv, a, { 'Accept-Language': 'es' });
  assert.equal(r.json.content_language, 'de', 'the person chose');
  r = await patch(a, { display_name: 'Dana' });
  assert.equal(r.json.language, 'de', 'a change of another field keeps it');
  assert.equal((await srv.ok(a, 'GET', '/api/v1/me/export')).account.language, 'de', 'the setting is in the export');
  r = await patch(a, { language: null });
  assert.equal(r.json.language, null);
  r = await me(srv, a, { 'Accept-Language': 'es' });
  assert.equal(r.json.content_language, 'es', 'back to the browser');
  r = await patch(a, { language: 'es' });
  r = await patch(a, { language: '' });
  assert.equal(r.json.language, null, '"" is none too');
  assert.equal((await srv.ok(a, 'GET', '/api/v1/me/export')).account.language, null, 'none in the export');
});

test('PATCH /me refuses another language with every invalid field at once, and changes nothing', T, async () => {
  const a = await srv.signUp('lgd');
  await patch(a, { language: 'es' });
  for (const bad of ['fr', 'DE', 'de-AT', 'english', ' es']) {
    const r = await patch(a, { language: bad, time_zone: 'Mars/Olympus', display_name: 'New' });
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
    assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['language', 'time_zone'], r.text);
    const msg = r.json.errors.find((e) => e.field === 'language').message;
    assert.match(msg, /English/, 'API messages stay English (clients translate by code)');
  }
  const r = await patch(a, { language: 7 });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'language');
  const now = await me(srv, a);
  assert.equal(now.json.language, 'es', 'nothing changed');
  assert.notEqual(now.json.display_name, 'New', 'nothing changed');
});

test('pages: <html lang> and words follow the setting, else Accept-Language; partners choose apart', T, async () => {
  // anonymous pages follow the browser
  let p = await page(srv, 'GET', '/login', { headers: { 'Accept-Language': 'de' } });
  assert.equal(htmlLang(p.text), 'de');
  assert.match(p.text, /Schnell verlassen/);
  p = await page(srv, 'GET', '/login');
  assert.equal(htmlLang(p.text), 'en');
  assert.match(p.text, />Quick exit</);
  p = await page(spanish, 'GET', '/login');
  assert.equal(htmlLang(p.text), 'es', 'the server default');
  assert.match(p.text, /Salida rápida/);

  const { a, b } = await srv.makeCouple('lge');
  await patch(a, { language: 'de' });
  const ca = await cookieLogin(srv, a.username, a.password);
  const cb = await cookieLogin(srv, b.username, b.password);
  p = await page(srv, 'GET', '/dashboard', { cookie: ca.cookie, headers: { 'Accept-Language': 'es' } });
  assert.equal(htmlLang(p.text), 'de', 'the setting wins over the browser');
  p = await page(srv, 'GET', '/dashboard', { cookie: cb.cookie });
  assert.equal(htmlLang(p.text), 'en', 'the partner keeps their own');
});

test('the Account page: the language form saves, says so in the new language, and keeps a refused value', T, async () => {
  const a = await srv.signUp('lgf');
  const c = await cookieLogin(srv, a.username, a.password);
  let p = await page(srv, 'GET', '/account', { cookie: c.cookie });
  assert.equal(p.status, 200);
  assert.match(p.text, /<select id="language" name="language"/);
  assert.match(p.text, /<option value="" selected>As my browser asks<\/option>/);
  assert.match(p.text, /<option value="de" lang="de">Deutsch<\/option>/);
  const csrf = csrfFromHtml(p.text);
  let r = await page(srv, 'POST', '/account/profile', { cookie: c.cookie, form: { csrf, language: 'es' } });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.equal(r.location, '/account?language=1');
  p = await page(srv, 'GET', r.location, { cookie: c.cookie });
  assert.equal(htmlLang(p.text), 'es');
  assert.match(p.text, /<option value="es" lang="es" selected>Español<\/option>/);
  assert.match(p.text, /role="status"/);
  assert.equal((await me(srv, a)).json.language, 'es');
  // the name form is untouched by the language form
  assert.match(p.text, new RegExp(`name="display_name"[^>]*value="${a.display_name}"`));
  r = await page(srv, 'POST', '/account/profile', { cookie: c.cookie, form: { csrf, language: 'klingon' } });
  assert.equal(r.status, 400);
  assert.match(r.text, /aria-invalid="true"/);
  assert.match(r.text, /id="language-error"/);
  assert.equal((await me(srv, a)).json.language, 'es', 'nothing changed');
});

test('an article may say its language: kept, changed, cleared, refused with every other fault at once', T, async () => {
  const t = await addRoleUser(srv, 'lgt', 'therapist');
  const post = (body) => srv.api('POST', '/api/v1/articles', { token: t.token, body });
  let r = await post({ title: 'Streit ohne Sieger', body_markdown: 'Wenn ihr streitet …', publish: true, language: 'de' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.language, 'de');
  const slug = r.json.slug;
  r = await srv.api('GET', `/api/v1/articles/${slug}`, { headers: { 'Accept-Language': 'es' } });
  assert.equal(r.json.language, 'de', 'an article stays in the language it was written in');
  r = await post({ title: 'No language said', body_markdown: 'Text', publish: true });
  assert.equal(r.json.language, null);
  r = await post({ title: '', body_markdown: 'Text', language: 'fr' });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['language', 'title']);
  const patchArticle = (body) => srv.api('PATCH', `/api/v1/articles/${slug}`, { token: t.token, body });
  r = await patchArticle({ title: 'Streit ohne Sieger!' });
  assert.equal(r.json.language, 'de', 'another change keeps it');
  r = await patchArticle({ language: 'es' });
  assert.equal(r.json.language, 'es');
  r = await patchArticle({ language: null });
  assert.equal(r.json.language, null);
  r = await patchArticle({ language: 'xx' });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'language');
  const list = await srv.api('GET', '/api/v1/articles');
  assert.ok(list.json.items.every((a) => a.language === null || ['en', 'es', 'de'].includes(a.language)));
});

test('an article\'s page, list and feed entry are marked with its language; the editor keeps a refused one', T, async () => {
  const t = await addRoleUser(srv, 'lgw', 'therapist');
  const r = await srv.api('POST', '/api/v1/articles', { token: t.token, body: { title: 'Hablar sin herir', body_markdown: 'Cuando discuten…', publish: true, language: 'es' } });
  assert.equal(r.status, 201, r.text);
  const slug = r.json.slug;
  let p = await page(srv, 'GET', `/articles/${slug}`, { headers: { 'Accept-Language': 'de' } });
  assert.equal(htmlLang(p.text), 'de', 'the page is the reader\'s');
  assert.match(p.text, /<h1 lang="es">Hablar sin herir<\/h1>/);
  assert.match(p.text, /<div class="prose-html" lang="es">/);
  p = await page(srv, 'GET', '/articles');
  assert.match(p.text, /<h2 class="card-title" lang="es"><a href="\/articles\/[^"]+">Hablar sin herir<\/a><\/h2>/);
  p = await page(srv, 'GET', '/articles.atom');
  assert.match(p.text, /<entry xml:lang="es">\n<title>Hablar sin herir<\/title>/);
  // the editor: the article's language chosen; a refused one kept with its error
  const c = await cookieLogin(srv, t.username, t.password);
  p = await page(srv, 'GET', `/articles/${slug}/edit`, { cookie: c.cookie });
  assert.match(p.text, /<option value="es" lang="es" selected>Español<\/option>/);
  const csrf = csrfFromHtml(p.text);
  const bad = await page(srv, 'POST', `/articles/${slug}/edit`, { cookie: c.cookie, form: { csrf, title: 'Hablar sin herir', body_markdown: 'x', language: 'fr', publish: '1', action: 'save' } });
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="language-error"/);
  const ok = await page(srv, 'POST', `/articles/${slug}/edit`, { cookie: c.cookie, form: { csrf, title: 'Hablar sin herir', body_markdown: 'x', language: '', publish: '1', action: 'save' } });
  assert.equal(ok.status, 303);
  assert.equal((await srv.api('GET', `/api/v1/articles/${slug}`)).json.language, null);
  // a new article's editor proposes the writer's own language
  p = await page(srv, 'GET', '/articles/new', { cookie: c.cookie, headers: { 'Accept-Language': 'de' } });
  assert.match(p.text, /<option value="de" lang="de" selected>Deutsch<\/option>/);
});
