// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The content and the dates in the reader's language (issue 16; API.md "Languages"): the content
// the API returns (today's question, the decks, the feelings, a questionnaire, the safety
// resources) is the Spanish or German twin of data/ (data/i18n/LANG/, read here from the files)
// under Accept-Language es or de, with the same ids, categories, ranges and codes as in English,
// and English without the header. A feeling chosen in German is stored as its English word: the
// other person reads it in English under English, and the writer reads it in German. Pages: the
// repair guide and the safety page in the reader's language, and a check-in's time in words
// ("Heute" under German, "Today" under English). Both backends (tests/pg/with-postgres.sh).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, TEST_TIMEOUT, REPO_ROOT } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const LANGS = ['es', 'de'];

/** A content file in English (lang 'en') or its twin. */
function data(lang, rel) {
  const file = lang === 'en' ? path.join(REPO_ROOT, 'data', rel) : path.join(REPO_ROOT, 'data', 'i18n', lang, rel);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The text as the pages escape it (html_escape: & < > " '). */
const html = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

/** GET an API path with a token (or none) under a language (or none: English). */
async function get(p, { token, lang } = {}) {
  const r = await srv.api('GET', p, { token, headers: lang ? { 'Accept-Language': lang } : {} });
  assert.equal(r.status, 200, `GET ${p} (${lang || 'no language'}): ${r.status} ${r.text}`);
  return r.json;
}

test("today's question: the twin's words for the same question, its theme's name translated", T, async () => {
  const c = await srv.makeCouple('lq');
  const en = await get('/api/v1/prompts/today', { token: c.a.token });
  const prompts = data('en', 'prompts.json');
  const q = prompts.prompts.find((p) => p.text === en.text);
  assert.ok(q, `today's English text is a shipped question: ${en.text}`);
  for (const lang of LANGS) {
    const tw = data(lang, 'prompts.json');
    const got = await get('/api/v1/prompts/today', { token: c.a.token, lang });
    assert.equal(got.id, en.id, 'the same day');
    assert.equal(got.category, en.category, 'the category is an id');
    assert.equal(got.depth, en.depth);
    assert.equal(got.text, tw.prompts.find((p) => p.id === q.id).text, lang);
    assert.equal(got.category_name, tw.categories.find((k) => k.id === q.category).name, lang);
    assert.notEqual(got.text, en.text);
    // the history says the same question in the same words
    const hist = await get('/api/v1/prompts/history', { token: c.a.token, lang });
    for (const e of hist.items) if (e.id === en.id) assert.equal(e.text, got.text);
  }
  // a region and a weight are understood; English is the fallback for a language hearth lacks
  assert.equal((await get('/api/v1/prompts/today', { token: c.a.token, lang: 'fr-FR, de-AT;q=0.8' })).text,
    data('de', 'prompts.json').prompts.find((p) => p.id === q.id).text);
  assert.equal((await get('/api/v1/prompts/today', { token: c.a.token, lang: 'fr' })).text, en.text);
});

test('the decks: titles, descriptions and questions are the twin\'s, ids the same', T, async () => {
  const enList = await get('/api/v1/decks');
  for (const lang of LANGS) {
    const tw = data(lang, 'decks.json').decks;
    const list = await get('/api/v1/decks', { lang });
    assert.deepEqual(list.items.map((d) => d.id), enList.items.map((d) => d.id));
    assert.deepEqual(list.items.map((d) => d.count), enList.items.map((d) => d.count));
    for (const d of list.items) {
      const want = tw.find((x) => x.id === d.id);
      assert.equal(d.title, want.title);
      assert.equal(d.description, want.description);
    }
    for (const id of [enList.items[0].id, enList.items.at(-1).id]) {
      const en = await get(`/api/v1/decks/${id}`);
      const got = await get(`/api/v1/decks/${id}`, { lang });
      const want = tw.find((x) => x.id === id);
      assert.equal(got.id, id);
      assert.equal(got.title, want.title);
      assert.deepEqual(got.questions.map((q) => q.id), en.questions.map((q) => q.id));
      assert.deepEqual(got.questions.map((q) => q.text), want.questions.map((q) => q.text));
    }
  }
});

test('the feelings, a questionnaire and the safety resources follow the language', T, async () => {
  const { token } = await srv.signUp('lqq');
  const enQ = await get('/api/v1/questionnaires/security-check', { token });
  for (const lang of LANGS) {
    const feelings = await get('/api/v1/feelings', { lang });
    assert.deepEqual(feelings.groups, data(lang, 'feelings.json').groups);

    const safety = await get('/api/v1/safety/resources', { lang });
    const tws = data(lang, 'safety.json');
    assert.deepEqual(safety, { resources: tws.resources, advice: tws.advice });

    const q = await get('/api/v1/questionnaires/security-check', { token, lang });
    const twq = data(lang, 'questionnaires/security-check.json');
    assert.equal(q.id, enQ.id);
    assert.equal(q.title, twq.title);
    assert.deepEqual(q.items.map((it) => it.id), enQ.items.map((it) => it.id));
    assert.deepEqual(q.items.map((it) => it.text), twq.items.map((it) => it.text));
    assert.deepEqual(q.items.map((it) => [it.min, it.max, it.reverse, it.subscale]),
      enQ.items.map((it) => [it.min, it.max, it.reverse, it.subscale]));
    assert.deepEqual(Object.keys(q.subscales).sort(), Object.keys(enQ.subscales).sort());
    assert.deepEqual(q.score_range, enQ.score_range);
    assert.equal(q.scoring, enQ.scoring);
    const list = await get('/api/v1/questionnaires', { token, lang });
    assert.equal(list.items.find((x) => x.id === 'security-check').title, twq.title);
  }
  assert.deepEqual((await get('/api/v1/feelings')).groups, data('en', 'feelings.json').groups);
});

test('a questionnaire answered in German scores as in English', T, async () => {
  const a = await srv.signUp('lqs');
  const q = await get('/api/v1/questionnaires/security-check', { token: a.token });
  const answers = Object.fromEntries(q.items.map((it, i) => [it.id, it.min + (i % 3)]));
  const scores = [];
  for (const lang of ['en', 'de']) {
    const r = await srv.api('POST', '/api/v1/questionnaires/security-check/responses',
      { token: a.token, body: { answers }, headers: { 'Accept-Language': lang } });
    assert.equal(r.status, 201, r.text);
    scores.push([r.json.score, r.json.subscales]);
  }
  assert.deepEqual(scores[1], scores[0]);
});

test('a feeling chosen in German is stored in English: the other reads English, the writer German', T, async () => {
  const c = await srv.makeCouple('lf');
  const en = data('en', 'feelings.json').groups, de = data('de', 'feelings.json').groups;
  const picks = [[0, 1], [1, 0]]; // two places: a group and a word
  const rep = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: 'the late dinner' }, 201);
  const put = (who, feelings, lang) => srv.api('PUT', `/api/v1/repairs/${rep.id}/mine`, {
    token: who.token, headers: { 'Accept-Language': lang },
    body: { feelings, perspective: 'p', touched: 't', my_part: 'm', next_time: 'n' },
  });
  // a word of no language is refused
  let r = await put(c.a, ['nicht ein Gefühl'], 'de');
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.field, 'feelings');
  r = await put(c.a, picks.map(([g, k]) => de[g].words[k]), 'de');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.mine.feelings, picks.map(([g, k]) => de[g].words[k]), 'the writer reads German');
  r = await put(c.b, [en[0].words[0]], 'en');
  assert.equal(r.status, 200, r.text);
  for (const who of [c.a, c.b]) await srv.ok(who, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  // stored as English: the partner reads English under English, and the writer too
  const seen = await get(`/api/v1/repairs/${rep.id}`, { token: c.b.token, lang: 'en' });
  assert.deepEqual(seen.partner.feelings, picks.map(([g, k]) => en[g].words[k]));
  const own = await get(`/api/v1/repairs/${rep.id}`, { token: c.a.token });
  assert.deepEqual(own.mine.feelings, picks.map(([g, k]) => en[g].words[k]));
  // and the partner's English choice reads Spanish under Spanish
  const es = data('es', 'feelings.json').groups;
  assert.deepEqual((await get(`/api/v1/repairs/${rep.id}`, { token: c.a.token, lang: 'es' })).partner.feelings,
    [es[0].words[0]]);
});

test('pages: the repair guide, the safety page and a check-in\'s time in the reader\'s language', T, async () => {
  const c = await srv.makeCouple('lp');
  const rep = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: 'the late dinner' }, 201);
  const ck = await srv.api('POST', '/api/v1/checkins', {
    token: c.a.token, body: { mood: 4, connection: 4, secure: 4, visibility: 'private' },
  });
  assert.ok(ck.status === 201, `POST /checkins: ${ck.status} ${ck.text}`);
  const s = await cookieLogin(srv, c.a.username, c.a.password);
  const at = (p, lang) => page(srv, 'GET', p, { cookie: s.cookie, headers: { 'Accept-Language': lang } });

  for (const lang of ['en', ...LANGS]) {
    const guide = data(lang, 'repair-guide.json');
    const r = await at(`/repairs/${rep.id}`, lang);
    assert.equal(r.status, 200, `/repairs/${rep.id} ${lang}: ${r.status}`);
    assert.ok(r.text.includes(html(guide.ground_rules[0])), `${lang}: the first ground rule`);

    const safety = await page(srv, 'GET', '/safety', { headers: { 'Accept-Language': lang } });
    assert.equal(safety.status, 200);
    assert.ok(safety.text.includes(html(data(lang, 'safety.json').resources[0].name)), `${lang}: the first resource`);
  }

  // a feeling ticked on the German page is saved as its English word, and shown ticked in German
  const de = data('de', 'feelings.json').groups, en = data('en', 'feelings.json').groups;
  const saved = await page(srv, 'POST', `/repairs/${rep.id}/mine`, {
    cookie: s.cookie, headers: { 'Accept-Language': 'de' },
    form: { csrf: s.csrf, step: 'feelings', action: 'save', feelings: de[2].words[3] },
  });
  assert.equal(saved.status, 303, saved.text.slice(0, 300));
  assert.deepEqual((await get(`/api/v1/repairs/${rep.id}`, { token: c.a.token })).mine.feelings, [en[2].words[3]]);
  const step = await at(`/repairs/${rep.id}?step=feelings`, 'de');
  assert.match(step.text, new RegExp(`value="${html(de[2].words[3])}" checked`), 'ticked in German');

  const word = { en: 'Today', es: 'Hoy', de: 'Heute' };
  for (const [lang, w] of Object.entries(word)) {
    const r = await at('/checkins', lang);
    assert.equal(r.status, 200);
    assert.match(r.text, new RegExp(`<time datetime="[^"]+">${w}, \\d{1,2}:\\d\\d</time>`), `${lang}: ${w}`);
  }
});

test('a page that is not there, or not for this method, answers in the browser\'s language', T, async () => {
  const words = {
    en: ['Not found', 'Not allowed'], es: ['No encontrado', 'No permitido'], de: ['Nicht gefunden', 'Nicht möglich'],
  };
  for (const [lang, [missing, refused]] of Object.entries(words)) {
    const r = await page(srv, 'GET', '/no-such-page', { headers: { 'Accept-Language': lang } });
    assert.equal(r.status, 404);
    assert.match(r.text, new RegExp(`<html lang="${lang}"`));
    assert.ok(r.text.includes(missing), `${lang}: "${missing}" on the 404 page`);
    const m = await page(srv, 'DELETE', '/login', { headers: { 'Accept-Language': lang } });
    assert.equal(m.status, 405);
    assert.ok(m.text.includes(refused), `${lang}: "${refused}" on the 405 page`);
  }
});
