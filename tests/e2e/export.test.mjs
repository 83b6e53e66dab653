// SPDX-License-Identifier: AGPL-3.0-or-later
//
// GET /me/export (API.md "Accounts and sessions"): 200, everything the caller
// wrote as one JSON document {"format":"hearth-export","version":1, account,
// checkins, repairs, prompt_answers, agreements, agreement_reviews,
// questionnaire_responses}. Both partners write into every kind of item with
// unique markers; the export holds every marker of the caller and, in its raw
// text, none of the partner's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, assertError, assertJsonType, TEST_TIMEOUT, RFC3339_UTC } from './lib/server.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');

let srv;
let WORDS;
let Q;

before(async () => {
  srv = await startServer();
  const f = await srv.api('GET', '/api/v1/feelings');
  WORDS = f.json.groups.flatMap((g) => g.words);
  const u = await srv.signUp('exq');
  Q = (await srv.api('GET', '/api/v1/questionnaires/security-check', { token: u.token })).json;
}, T);

after(async () => { if (srv) await srv.stop(); }, T);


/**
 * Both partners write one of everything, each text with a marker of its own.
 * Returns {c, marks: {a: [...], b: [...]}, ids: {a: {...}, b: {...}}}.
 */
async function writeEverything(prefix) {
  const c = await srv.makeCouple(prefix);
  const marks = { a: [], b: [] };
  const ids = { a: { checkins: [], agreements: [], reviews: [], responses: [], repairs: [] }, b: { checkins: [], agreements: [], reviews: [], responses: [], repairs: [] } };
  const m = (k, tag) => { const x = `${k}${tag}${hex(8)}`; marks[k].push(x); return x; };
  for (const k of ['a', 'b']) {
    const who = c[k];
    for (const visibility of ['private', 'partner', 'therapist']) {
      const ci = await srv.ok(who, 'POST', '/api/v1/checkins', {
        mood: 3, connection: 5, secure: 6, visibility,
        appreciation: m(k, 'appr'), need: m(k, 'need'), worry: m(k, 'worry'),
      }, 201);
      ids[k].checkins.push(ci.id);
    }
    const sc = await srv.ok(who, 'POST', '/api/v1/safety-checks', { afraid: false, pressured: false }, 201);
    void sc;
  }
  // A repair a opened, both sides written and submitted, both acknowledge with notes.
  const r1 = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: m('a', 'title') }, 201);
  // A repair b opened; a writes a side too.
  const r2 = await srv.ok(c.b, 'POST', '/api/v1/repairs', { title: m('b', 'title') }, 201);
  ids.a.repairs.push(r1.id);
  ids.b.repairs.push(r2.id);
  for (const rid of [r1.id, r2.id]) {
    for (const k of ['a', 'b']) {
      await srv.ok(c[k], 'PUT', `/api/v1/repairs/${rid}/mine`, {
        feelings: [WORDS[k === 'a' ? 2 : 3]], perspective: m(k, 'persp'), touched: m(k, 'touch'), my_part: m(k, 'part'), next_time: m(k, 'next'),
      }, 200);
    }
    for (const k of ['a', 'b']) await srv.ok(c[k], 'POST', `/api/v1/repairs/${rid}/mine/submit`, undefined, 200);
  }
  for (const k of ['a', 'b']) await srv.ok(c[k], 'POST', `/api/v1/repairs/${r1.id}/acknowledge`, { note: m(k, 'ack') }, 200);
  // Today's prompt: both answer.
  const day = await srv.ok(c.a, 'GET', '/api/v1/prompts/today', undefined, 200);
  for (const k of ['a', 'b']) await srv.ok(c[k], 'POST', `/api/v1/prompts/${day.id}/answer`, { text: m(k, 'answer') }, 201);
  await srv.ok(c.b, 'POST', `/api/v1/prompts/${day.id}/acknowledge`, { kind: 'hug' }, 201);
  // Agreements: one each; each reviews both with a note.
  for (const k of ['a', 'b']) ids[k].agreements.push((await srv.ok(c[k], 'POST', '/api/v1/agreements', { text: m(k, 'agree') }, 201)).id);
  // Each says yes to the other's proposal (API.md, Growth: proposed until the partner says yes).
  for (const [k, owner] of [['a', 'b'], ['b', 'a']]) await srv.ok(c[k], 'POST', `/api/v1/agreements/${ids[owner].agreements[0]}/accept`);
  for (const k of ['a', 'b']) {
    for (const gid of [ids.a.agreements[0], ids.b.agreements[0]]) {
      ids[k].reviews.push((await srv.ok(c[k], 'POST', `/api/v1/agreements/${gid}/reviews`, { outcome: 'partly', note: m(k, 'review') }, 201)).id);
    }
  }
  // Questionnaire responses (no free text: checked by id).
  for (const k of ['a', 'b']) {
    for (const visibility of ['private', 'partner']) {
      const answers = Object.fromEntries(Q.items.map((it) => [it.id, k === 'a' ? it.min : it.max]));
      ids[k].responses.push((await srv.ok(c[k], 'POST', '/api/v1/questionnaires/security-check/responses', { answers, visibility }, 201)).id);
    }
  }
  return { c, marks, ids, promptDay: day.id };
}

let world;

test('GET /me/export: 200 JSON, format hearth-export version 1, with every section', T, async () => {
  world = await writeEverything('ex');
  const { c } = world;
  const r = await srv.api('GET', '/api/v1/me/export', { token: c.a.token });
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assertJsonType(r, 'GET /me/export');
  const d = r.json;
  assert.equal(d.format, 'hearth-export');
  assert.equal(d.version, 1);
  for (const k of ['checkins', 'repairs', 'prompt_answers', 'agreements', 'agreement_reviews', 'questionnaire_responses']) {
    assert.ok(Array.isArray(d[k]), `${k} is a list: ${JSON.stringify(d[k])}`);
  }
  assert.equal(d.account.id, c.a.id);
  assert.equal(d.account.username, c.a.username);
  assert.equal(d.account.display_name, c.a.display_name);
  assert.equal(d.account.role, 'member');
  const flat = r.text.toLowerCase();
  for (const secret of ['password', '$argon2', c.a.password.toLowerCase(), c.a.token.toLowerCase(), c.b.token.toLowerCase()]) {
    assert.ok(!flat.includes(secret), `the export does not contain ${secret}`);
  }
  assertError(await srv.api('GET', '/api/v1/me/export'), 401, 'unauthenticated', undefined, 'anonymous');
});

test('the export holds everything the caller wrote: every marker, every check-in, agreement, review and response', T, async () => {
  const { c, marks, ids } = world;
  const r = await srv.api('GET', '/api/v1/me/export', { token: c.a.token });
  const d = r.json;
  const missing = marks.a.filter((x) => !r.text.includes(x));
  assert.deepEqual(missing, [], 'markers of the caller missing from the export');
  assert.deepEqual(d.checkins.map((x) => x.id).sort(), [...ids.a.checkins].sort(), 'all and only my check-ins');
  for (const ci of d.checkins) {
    for (const k of ['id', 'created_at', 'mood', 'connection', 'secure', 'visibility']) assert.ok(k in ci, `check-in ${k}`);
    assert.match(ci.created_at, RFC3339_UTC);
  }
  assert.deepEqual(d.agreements.map((x) => x.id), ids.a.agreements, 'my agreement only');
  assert.deepEqual(d.agreement_reviews.map((x) => x.id).sort(), [...ids.a.reviews].sort(), 'my reviews, of both agreements');
  assert.deepEqual(d.questionnaire_responses.map((x) => x.id).sort(), [...ids.a.responses].sort(), 'my responses');
  for (const q of d.questionnaire_responses) {
    assert.equal(typeof q.score, 'number');
    assert.ok(q.answers && Object.keys(q.answers).length === Q.items.length, `a response carries its answers: ${JSON.stringify(q)}`);
  }
  const repairIds = d.repairs.map((x) => x.id).sort();
  assert.deepEqual(repairIds, [...ids.a.repairs, ...ids.b.repairs].sort(), 'both repairs I wrote a side of');
  assert.equal(d.prompt_answers.length, 1, `one prompt answer: ${JSON.stringify(d.prompt_answers)}`);
  assert.ok(d.prompt_answers[0].answer.includes('aanswer'), 'the answer text');
});

test("the export holds nothing the partner wrote: none of the partner's markers or ids in the raw text", T, async () => {
  const { c, marks, ids } = world;
  for (const [self, other] of [['a', 'b'], ['b', 'a']]) {
    const r = await srv.api('GET', '/api/v1/me/export', { token: c[self].token });
    assert.equal(r.status, 200);
    const leaked = marks[other].filter((x) => r.text.includes(x));
    assert.deepEqual(leaked, [], `${self}'s export contains ${other}'s words`);
    const present = marks[self].filter((x) => !r.text.includes(x));
    assert.deepEqual(present, [], `${self}'s export misses ${self}'s words`);
    for (const id of [...ids[other].checkins, ...ids[other].responses, ...ids[other].reviews]) {
      assert.ok(!r.text.includes(id), `${self}'s export names ${other}'s item ${id}`);
    }
    assert.ok(!r.text.includes(c[other].username), `${self}'s export names ${other}'s username`);
  }
});

test('an account alone, with nothing written: an export with empty sections', T, async () => {
  const u = await srv.signUp('exe');
  const r = await srv.api('GET', '/api/v1/me/export', { token: u.token });
  assert.equal(r.status, 200, r.text);
  for (const k of ['checkins', 'repairs', 'prompt_answers', 'agreements', 'agreement_reviews', 'questionnaire_responses']) {
    assert.deepEqual(r.json[k], [], k);
  }
  assert.equal(r.json.account.id, u.id);
});

test('the printable export (/account/export) holds everything the JSON export does (issue 11)', T, async () => {
  const { c } = await writeEverything('exprint');
  // A check-in shared item by item, with the partner's reply to it.
  const ci = await srv.ok(c.a, 'POST', '/api/v1/checkins', {
    mood: 2, connection: 9, secure: 4, appreciation: `apprprint${hex(6)}`, worry: `worryprint${hex(6)}`,
    visibility: { appreciation: 'partner', worry: 'private', mood: 'therapist' },
  }, 201);
  await srv.ok(c.b, 'POST', `/api/v1/checkins/${ci.id}/acknowledge`, { kind: 'me_too' }, 201);
  // The settings that say how hearth reaches the person are theirs too.
  await srv.ok(c.a, 'PATCH', '/api/v1/me', { language: 'en' });
  await srv.ok(c.a, 'PUT', '/api/v1/me/quiet-hours', { from: '22:15', to: '07:05' });
  await srv.ok(c.a, 'PUT', '/api/v1/reminders/checkin', { channels: ['calendar'], time: '20:40', days: ['tue'], text: `remprint${hex(6)}` });
  const json = await srv.ok(c.a, 'GET', '/api/v1/me/export', undefined, 200);
  assert.equal(json.account.language, 'en');
  assert.deepEqual(json.quiet_hours, { from: '22:15', to: '07:05' });
  assert.equal(json.checkins.find((x) => x.id === ci.id).acknowledgement_received, 'me_too');
  assert.equal(json.checkins.find((x) => x.id === ci.id).visibility, 'mixed');

  const { cookieLogin, page } = await import('./lib/actors.mjs');
  const web = await cookieLogin(srv, c.a.username, c.a.password);
  const res = await page(srv, 'GET', '/account/export', { cookie: web.cookie });
  assert.equal(res.status, 200, res.text.slice(0, 200));
  const text = res.text.replace(/<[^>]*>/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'").replace(/&amp;/g, '&');

  // Every value of the JSON document is on the page, except ids, the format's own fields and the moment
  // of each export (two exports, two moments).
  const skip = new Set(['id', 'agreement_id', 'format', 'version', 'exported_at', 'solo']);
  const missing = [];
  let checked = 0;
  (function walk(v, where) {
    if (Array.isArray(v)) { v.forEach((x, i) => walk(x, `${where}[${i}]`)); return; }
    if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!skip.has(k)) walk(x, `${where}.${k}`);
      return;
    }
    if (v === null || typeof v === 'boolean') return;
    checked++;
    // Moments and days are said in words, each inside <time datetime="the value the file holds">.
    if (/\.(\w+_at|date|occurred_on|next_review_on)$/.test(where)) {
      if (!res.text.includes(`<time datetime="${v}">`)) missing.push(`${where} = ${JSON.stringify(v)} (as a <time>)`);
      return;
    }
    const want = typeof v === 'number' ? String(Number.isInteger(v) ? v : parseFloat(v.toPrecision(6))) : v;
    if (!text.includes(want)) missing.push(`${where} = ${JSON.stringify(v)}`);
  })(json, 'export');
  assert.ok(checked > 100, `a full export was compared (${checked} values)`);
  assert.deepEqual(missing, [], 'every value of the JSON export is on the printable page');
  // The repair sides under their headings, the acknowledgement notes included.
  assert.ok(text.includes('Language: English (en).'), 'the language setting by its name');
  for (const h of ['Perspective', 'What it touched', 'My part', 'Next time', 'My acknowledgement']) {
    assert.ok(text.includes(h), `the heading "${h}"`);
  }
  // Each look back says when, in its own line (a moment shared with another item must not hide a missing one).
  const looks = res.text.match(/My looks back[\s\S]*?<\/section>/)[0].match(/<p>.*?<\/p>/g) ?? [];
  assert.equal(looks.length, json.agreement_reviews.length, 'one line per look back');
  for (const line of looks) assert.match(line, /^<p><time datetime="[^"]+">/, `the look back says when: ${line}`);
});
