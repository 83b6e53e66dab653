// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Conversation decks and the installable app (issue 15; API.md "Reminders and the app"):
// GET /decks and GET /decks/{id} are public content (no session), at least 500 questions in at
// least 8 themes with no text twice; an unknown deck is 404. POST /prompts/tomorrow makes a deck
// question tomorrow's daily question for the caller's scope: either partner may choose, the later
// choice wins, and when tomorrow comes both partners get it from GET /prompts/today, with the
// deck's theme as its category. There is no test clock, so "tomorrow comes" is played by moving
// the space's stored days one day back (today's row to yesterday, the choice to today), as
// home.test.mjs moves dates. The pages: /decks, /decks/{id} (anyone), the "Ask this tomorrow"
// form (signed in), and /manifest.webmanifest, /sw.js, /offline with their types and headers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT, assertError, assertJsonType } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };

let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

/** A date (YYYY-MM-DD) plus days, in UTC arithmetic. */
const addDays = (date, days) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

async function today(who) {
  const r = await srv.api('GET', '/api/v1/prompts/today', { token: who.token });
  assert.equal(r.status, 200, `GET /prompts/today: ${r.status} ${r.text}`);
  return r.json;
}

async function allDecks() {
  const list = await srv.api('GET', '/api/v1/decks');
  assert.equal(list.status, 200, list.text);
  const decks = [];
  for (const d of list.json.items) {
    const r = await srv.api('GET', `/api/v1/decks/${d.id}`);
    assert.equal(r.status, 200, `GET /decks/${d.id}: ${r.status} ${r.text}`);
    decks.push(r.json);
  }
  return decks;
}

test('GET /decks: public, the documented shape, at least 8 themes and 500 questions', T, async () => {
  const r = await srv.api('GET', '/api/v1/decks');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next']);
  assert.equal(r.json.next, null);
  const items = r.json.items;
  assert.ok(items.length >= 8, `${items.length} themes`);
  for (const d of items) {
    assert.deepEqual(Object.keys(d).sort(), ['count', 'description', 'id', 'title'], JSON.stringify(d));
    assert.match(d.id, /^[a-z-]+$/);
    assert.ok(d.title.length > 0 && d.description.length > 0);
    assert.ok(Number.isInteger(d.count) && d.count > 0);
  }
  assert.equal(new Set(items.map((d) => d.id)).size, items.length, 'deck ids are unique');
  assert.ok(items.reduce((n, d) => n + d.count, 0) >= 500, 'at least 500 questions');
  const themes = items.map((d) => d.title.toLowerCase()).join(' | ');
  for (const word of ['know', 'dream', 'ritual', 'appreciation', 'money', 'family', 'intima', 'conflict']) {
    assert.ok(themes.includes(word), `a theme about "${word}" in: ${themes}`);
  }
});

test('GET /decks/{id}: every deck\'s questions, each id and text once across all decks; unknown: 404', T, async () => {
  const list = (await srv.api('GET', '/api/v1/decks')).json.items;
  const decks = await allDecks();
  const ids = new Set();
  const texts = new Set();
  for (const [i, d] of decks.entries()) {
    assert.equal(d.id, list[i].id);
    assert.equal(d.title, list[i].title);
    assert.equal(d.questions.length, list[i].count, `${d.id}: count matches`);
    for (const q of d.questions) {
      assert.deepEqual(Object.keys(q).sort(), ['id', 'text']);
      assert.ok(!ids.has(q.id), `question id ${q.id} is used once`);
      ids.add(q.id);
      const norm = q.text.trim().toLowerCase();
      assert.ok(norm.length > 10, `${q.id}: a real question`);
      assert.ok(!texts.has(norm), `"${q.text}" appears once`);
      texts.add(norm);
      assert.ok(q.text.length <= 300, `${q.id} fits a phone card`);
    }
  }
  assert.ok(texts.size >= 500, `${texts.size} distinct questions`);
  // A signed-in caller gets the same content.
  const m = await srv.signUp('dk');
  const again = await srv.api('GET', `/api/v1/decks/${decks[0].id}`, { token: m.token });
  assert.deepEqual(again.json, decks[0]);
  for (const bad of ['nope', 'again-001', 'AGAIN', 'again.json']) {
    assertError(await srv.api('GET', `/api/v1/decks/${bad}`), 404, 'not_found', undefined, `deck ${bad}`);
  }
});

test('POST /prompts/tomorrow: either partner chooses, the later choice wins, and tomorrow both get it', T, async () => {
  const { a, b, spaceId } = await srv.makeCouple('dt');
  const decks = await allDecks();
  const [first, second] = [decks[1].questions[0], decks[6].questions[3]];
  const now = await today(a);
  const tomorrow = addDays(now.date, 1);

  const ra = await srv.api('POST', '/api/v1/prompts/tomorrow', { token: a.token, body: { question_id: first.id } });
  assert.equal(ra.status, 200, ra.text);
  assertJsonType(ra);
  assert.deepEqual(ra.json, { date: tomorrow, question_id: first.id, text: first.text, category: decks[1].id, category_name: decks[1].title });
  const rb = await srv.api('POST', '/api/v1/prompts/tomorrow', { token: b.token, body: { question_id: second.id } });
  assert.equal(rb.status, 200, rb.text);
  assert.equal(rb.json.date, tomorrow);

  // One choice per space and date, the later one; today's question is untouched.
  const rows = srv.sql(`SELECT date, question_id FROM prompt_overrides WHERE space_id = '${spaceId}'`);
  assert.equal(rows, `${tomorrow}|${second.id}`);
  assert.equal((await today(a)).id, now.id);
  assert.equal((await today(b)).text, now.text);

  // Tomorrow comes: today's row becomes yesterday's, the choice is for today.
  srv.sql(`UPDATE prompt_days SET date = '${addDays(now.date, -1)}' WHERE space_id = '${spaceId}' AND date = '${now.date}'`);
  srv.sql(`UPDATE prompt_overrides SET date = '${now.date}' WHERE space_id = '${spaceId}'`);
  const ta = await today(a);
  const tb = await today(b);
  assert.equal(ta.date, now.date);
  assert.equal(ta.text, second.text, 'the later choice is the day\'s question');
  assert.equal(ta.category, decks[6].id, 'the category is the deck\'s theme');
  assert.equal(ta.category_name, decks[6].title);
  assert.ok(Number.isInteger(ta.depth) && ta.depth >= 1 && ta.depth <= 3);
  assert.equal(tb.id, ta.id, 'the same day for both partners');
  assert.equal(tb.text, second.text);
  // It is answered like any day's question.
  const ans = await srv.api('POST', `/api/v1/prompts/${ta.id}/answer`, { token: a.token, body: { text: 'on a walk' } });
  assert.equal(ans.status, 201, ans.text);
});

test('POST /prompts/tomorrow: every invalid question_id on its field; 409 once tomorrow has begun; 401 without a session', T, async () => {
  const { a, spaceId } = await srv.makeCouple('dv');
  for (const body of [{}, { question_id: null }, { question_id: 5 }, { question_id: ['again-001'] }, { question_id: '' },
    { question_id: 'nope' }, { question_id: 'p001' }]) {
    const r = await srv.api('POST', '/api/v1/prompts/tomorrow', { token: a.token, body });
    assertError(r, 400, 'invalid_input', 'question_id', JSON.stringify(body));
  }
  assert.equal(srv.sql(`SELECT count(*) FROM prompt_overrides WHERE space_id = '${spaceId}'`), '0');
  const anon = await srv.api('POST', '/api/v1/prompts/tomorrow', { body: { question_id: 'again-001' } });
  assertError(anon, 401, 'unauthenticated', undefined, 'anonymous');
  // Tomorrow's day has begun (a partner in a zone ahead opened it): its question stays.
  const tomorrow = addDays((await today(a)).date, 1);
  srv.sql(`INSERT INTO prompt_days (space_id, date, id, prompt_id, created_at) VALUES ('${spaceId}', '${tomorrow}', 'dvdayahead${Date.now()}', 'p001', 0)`);
  const late = await srv.api('POST', '/api/v1/prompts/tomorrow', { token: a.token, body: { question_id: 'again-001' } });
  assertError(late, 409, 'conflict', undefined, 'tomorrow already begun');
  assert.equal(srv.sql(`SELECT count(*) FROM prompt_overrides WHERE space_id = '${spaceId}'`), '0');
});

test('POST /prompts/tomorrow: a member without a partner chooses for their own daily question', T, async () => {
  const solo = await srv.signUp('ds');
  const now = await today(solo);
  const r = await srv.api('POST', '/api/v1/prompts/tomorrow', { token: solo.token, body: { question_id: 'play-001' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.date, addDays(now.date, 1));
  assert.equal(srv.sql(`SELECT question_id FROM prompt_overrides WHERE space_id = '${solo.id}'`), 'play-001');
});

test('pages: /decks and /decks/{id} for anyone; "Ask this tomorrow" for a signed-in member; the prompt page links the decks', T, async () => {
  const decks = await allDecks();
  const list = await page(srv, 'GET', '/decks');
  assert.equal(list.status, 200);
  for (const d of decks) assert.ok(list.text.includes(`href="/decks/${d.id}"`), `/decks links ${d.id}`);
  const anon = await page(srv, 'GET', `/decks/${decks[0].id}`);
  assert.equal(anon.status, 200);
  assert.ok(anon.text.includes(decks[0].questions[0].text.replace(/'/g, '&#39;')) || anon.text.includes(decks[0].questions[0].text));
  assert.ok(!anon.text.includes('action="/prompts/tomorrow"'), 'no form for a visitor');
  assert.equal((await page(srv, 'GET', '/decks/nope')).status, 404);

  const { a, b, spaceId } = await srv.makeCouple('dp');
  const sa = await cookieLogin(srv, a.username, a.password);
  const mine = await page(srv, 'GET', `/decks/${decks[2].id}`, { cookie: sa.cookie });
  assert.equal(mine.status, 200);
  assert.equal((mine.text.match(/action="\/prompts\/tomorrow"/g) || []).length, decks[2].questions.length, 'a form per question');
  const q = decks[2].questions[4];
  const noCsrf = await page(srv, 'POST', '/prompts/tomorrow', { cookie: sa.cookie, form: { question_id: q.id } });
  assert.equal(noCsrf.status, 403, 'the form needs its token');
  const ok = await page(srv, 'POST', '/prompts/tomorrow', { cookie: sa.cookie, form: { csrf: sa.csrf, question_id: q.id } });
  assert.equal(ok.status, 303, ok.text.slice(0, 200));
  assert.equal(ok.location, `/decks/${decks[2].id}?asked=1#q-${q.id}`);
  const after = await page(srv, 'GET', `/decks/${decks[2].id}?asked=1`, { cookie: sa.cookie });
  assert.match(after.text, /role="status"/);
  assert.match(after.text, new RegExp(`id="q-${q.id}"[\\s\\S]*?Tomorrow's question`));
  // The partner sees the same choice marked.
  const sb = await cookieLogin(srv, b.username, b.password);
  const theirs = await page(srv, 'GET', `/decks/${decks[2].id}`, { cookie: sb.cookie });
  assert.match(theirs.text, new RegExp(`id="q-${q.id}"[\\s\\S]*?Tomorrow's question`));
  assert.equal(srv.sql(`SELECT question_id FROM prompt_overrides WHERE space_id = '${spaceId}'`), q.id);
  const bad = await page(srv, 'POST', '/prompts/tomorrow', { cookie: sa.cookie, form: { csrf: sa.csrf, question_id: 'nope' } });
  assert.equal(bad.status, 400);
  const prompts = await page(srv, 'GET', '/prompts', { cookie: sa.cookie });
  assert.match(prompts.text, /<a href="\/decks">More questions to talk about<\/a>/);
});

test('the app: manifest, service worker and offline page, with their types and headers', T, async () => {
  const m = await page(srv, 'GET', '/manifest.webmanifest');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^application\/manifest\+json/);
  const man = JSON.parse(m.text);
  assert.equal(man.name, 'hearth');
  assert.equal(man.short_name, 'hearth');
  assert.equal(man.start_url, '/dashboard');
  assert.equal(man.display, 'standalone');
  assert.match(man.theme_color, /^#[0-9a-f]{6}$/);
  for (const size of ['192x192', '512x512']) {
    const icon = man.icons.find((i) => i.sizes === size && i.type === 'image/png');
    assert.ok(icon, `a ${size} PNG icon`);
    const img = await fetch(srv.url + icon.src);
    assert.equal(img.status, 200);
    assert.equal(img.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await img.arrayBuffer());
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
    assert.equal(bytes.readUInt32BE(16), Number(size.split('x')[0]), `${size}: its width`);
  }
  assert.ok(man.icons.some((i) => i.type === 'image/svg+xml'), 'an SVG icon');

  const sw = await page(srv, 'GET', '/sw.js');
  assert.equal(sw.status, 200);
  assert.match(sw.headers.get('content-type'), /^text\/javascript/);
  assert.equal(sw.headers.get('service-worker-allowed'), '/');
  const keep = JSON.parse(/const KEEP = (\[.*\]);/.exec(sw.text)[1]);
  for (const url of keep) {
    assert.ok(/^\/(static\/|offline$|safety$|decks($|\/[a-z-]+$))/.test(url), `the worker keeps only public content: ${url}`);
  }
  for (const want of ['/offline', '/safety', '/decks']) assert.ok(keep.includes(want), `keeps ${want}`);
  assert.match(sw.text, /credentials: 'omit'/, 'kept pages are fetched without a session');

  const csp = sw.headers.get('content-security-policy');
  assert.match(csp, /worker-src 'self'/);
  assert.match(csp, /manifest-src 'self'/);
  const robots = await page(srv, 'GET', '/robots.txt');
  assert.match(robots.text, /^Allow: \/decks$/m, 'the public decks may be found');
  const off = await page(srv, 'GET', '/offline');
  assert.equal(off.status, 200);
  assert.match(off.text, /<h1>You're offline<\/h1>/);
  assert.match(off.text, /<link rel="manifest" href="\/manifest.webmanifest">/);
  assert.match(off.text, /<meta name="theme-color" content="#[0-9a-f]{6}" media="\(prefers-color-scheme: dark\)">/);
});
