// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Trends and the timeline (API.md "Growth"):
//   GET /trends?metric=mood|connection|secure|QUESTIONNAIRE_ID&author=me|partner&from=&to=
//     -> {metric, series:[{date, value}]}: one point per day with data (the day's mean),
//     oldest first, days without data left out. The partner's series holds only what
//     the partner shared (never a private check-in or response).
//   GET /trends.svg (same parameters) -> image/svg+xml: well-formed XML with <title>
//     and <desc>, under a Content-Security-Policy that allows no script.
//   GET /timeline -> {items:[{type, at, ...}], next}: newest first, mixed types,
//     limit/before paging, nothing the caller could not open elsewhere.
// Check-ins and responses can only be written "now", so the test moves some of
// them back in time with SQL (sqlite3, or psql in PostgreSQL mode): created_at
// is not part of what is encrypted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  startServer, assertError, assertJsonType, TEST_TIMEOUT, RFC3339_UTC,
} from './lib/server.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');
const EPS = 1e-9;
const QID = 'security-check';
const TODAY = new Date().toISOString().slice(0, 10);
function addDays(date, n) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const D = (n) => addDays(TODAY, n);
/** Milliseconds at HH:00 UTC of a date. */
const at = (date, hour) => Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);

let srv;
let Q;

before(async () => {
  srv = await startServer();
  const u = await srv.signUp('trq');
  const r = await srv.api('GET', `/api/v1/questionnaires/${QID}`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  Q = r.json;
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

async function checkin(who, mood, connection, secure, visibility = 'partner', extra = {}) {
  const r = await srv.call(who, 'POST', '/api/v1/checkins', { mood, connection, secure, visibility, ...extra });
  assert.equal(r.status, 201, `POST /checkins: ${r.status} ${r.text}`);
  return r.json;
}
function backdate(table, id, ms) {
  srv.sql(`UPDATE ${table} SET created_at = ${ms} WHERE id = '${id}'`);
}

function answersFor(seed) {
  return Object.fromEntries(Q.items.map((it, i) => [it.id, it.min + ((seed * (i + 3)) % (it.max - it.min + 1))]));
}
async function qrespond(who, seed, visibility) {
  const r = await srv.call(who, 'POST', `/api/v1/questionnaires/${QID}/responses`, { answers: answersFor(seed), visibility });
  assert.equal(r.status, 201, `POST responses: ${r.status} ${r.text}`);
  return r.json;
}

async function trends(who, query) {
  const r = await srv.call(who, 'GET', `/api/v1/trends?${query}`);
  assert.equal(r.status, 200, `GET /trends?${query}: ${r.status} ${r.text}`);
  assertJsonType(r, `GET /trends?${query}`);
  assert.ok(Array.isArray(r.json.series), `series is a list: ${r.text}`);
  for (const p of r.json.series) {
    assert.deepEqual(Object.keys(p).sort(), ['date', 'value'], `point keys: ${JSON.stringify(p)}`);
    assert.match(p.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(typeof p.value, 'number');
  }
  return r.json;
}

/** series must equal [[date, value], ...] (values within EPS). */
function assertSeries(got, want, what) {
  const g = got.series.map((p) => [p.date, p.value]);
  assert.deepEqual(g.map((p) => p[0]), want.map((p) => p[0]), `${what}: dates ${JSON.stringify(g)}`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(g[i][1] - want[i][1]) <= EPS, `${what}: ${want[i][0]}: got ${g[i][1]}, expected ${want[i][1]}`);
  }
}
const mean = (...xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ---------------------------------------------------------------- trends

let couple;
const A = {}; // expected series of a's own check-ins, per metric
const B = {};

test('GET /trends: one point per day (the day\'s mean), oldest first, days without data left out', T, async () => {
  couple = await srv.makeCouple('tr');
  const { a, b } = couple;
  // a: two on D-5, one on D-2, two today (one private: the author's own series includes it), one on D-40.
  const a1 = await checkin(a, 2, 3, 4);
  const a2 = await checkin(a, 5, 9, 8, 'private');
  const a3 = await checkin(a, 3, 6, 6, 'therapist');
  await checkin(a, 4, 7, 2);
  await checkin(a, 1, 0, 10, 'private');
  const a6 = await checkin(a, 5, 10, 10);
  backdate('checkins', a1.id, at(D(-5), 9));
  backdate('checkins', a2.id, at(D(-5), 18));
  backdate('checkins', a3.id, at(D(-2), 12));
  backdate('checkins', a6.id, at(D(-40), 12));
  A.mood = [[D(-5), mean(2, 5)], [D(-2), 3], [TODAY, mean(4, 1)]];
  A.connection = [[D(-5), mean(3, 9)], [D(-2), 6], [TODAY, mean(7, 0)]];
  A.secure = [[D(-5), mean(4, 8)], [D(-2), 6], [TODAY, mean(2, 10)]];

  for (const metric of ['mood', 'connection', 'secure']) {
    const r = await trends(a, `metric=${metric}&author=me&from=${D(-10)}&to=${TODAY}`);
    assert.equal(r.metric, metric);
    assertSeries(r, A[metric], `a's ${metric}`);
    const dflt = await trends(a, `metric=${metric}`);
    assertSeries(dflt, A[metric], `a's ${metric}, default author and the last 30 days (D-40 left out)`);
    if ('from' in dflt) assert.equal(dflt.from, D(-29), 'the default period is the last 30 days');
    if ('to' in dflt) assert.equal(dflt.to, TODAY);
  }
  const wide = await trends(a, `metric=mood&from=${D(-60)}&to=${TODAY}`);
  assertSeries(wide, [[D(-40), 5], ...A.mood], 'a wider period reaches D-40');
  assertSeries(await trends(a, `metric=mood&from=${D(-2)}&to=${D(-2)}`), [[D(-2), 3]], 'one day');
  assertSeries(await trends(a, `metric=mood&from=${D(-4)}&to=${D(-3)}`), [], 'days without data');
  assertSeries(await trends(a, `metric=mood&from=${D(-5)}&to=${D(-5)}`), [[D(-5), 3.5]], 'both ends inclusive');
  assertSeries(await trends(a, `metric=mood&from=${D(1)}&to=${D(5)}`), [], 'the future');
});

test('author=partner shows only the partner\'s shared check-ins; a private one with an extreme value changes nothing', T, async () => {
  const { a, b } = couple;
  await checkin(b, 3, 5, 5, 'partner');
  await checkin(b, 4, 6, 6, 'therapist');
  await checkin(b, 1, 0, 0, 'private'); // extreme, private: never in a's view of b
  const b4 = await checkin(b, 1, 0, 0, 'private');
  const b5 = await checkin(b, 2, 4, 3, 'partner');
  backdate('checkins', b4.id, at(D(-3), 12)); // a day with only a private check-in
  backdate('checkins', b5.id, at(D(-1), 12));
  const seen = await trends(a, `metric=mood&author=partner&from=${D(-10)}&to=${TODAY}`);
  assertSeries(seen, [[D(-1), 2], [TODAY, mean(3, 4)]], "a's view of b's mood");
  assertSeries(await trends(a, `metric=connection&author=partner&from=${D(-10)}&to=${TODAY}`),
    [[D(-1), 4], [TODAY, mean(5, 6)]], "a's view of b's connection");
  assertSeries(await trends(a, `metric=secure&author=partner&from=${D(-10)}&to=${TODAY}`),
    [[D(-1), 3], [TODAY, mean(5, 6)]], "a's view of b's secure");
  // b's own series includes the private ones.
  assertSeries(await trends(b, `metric=mood&author=me&from=${D(-10)}&to=${TODAY}`),
    [[D(-3), 1], [D(-1), 2], [TODAY, mean(3, 4, 1)]], "b's own mood");
  // b sees a's shared ones only: the private a2 on D-5 and the private one today are left out.
  assertSeries(await trends(b, `metric=mood&author=partner&from=${D(-10)}&to=${TODAY}`),
    [[D(-5), 2], [D(-2), 3], [TODAY, 4]], "b's view of a's mood");
  // Alone: no partner, an empty series.
  const solo = await srv.signUp('trs');
  await checkin(solo, 5, 5, 5, 'partner');
  assertSeries(await trends(solo, 'metric=mood&author=partner'), [], 'no partner');
  assertSeries(await trends(solo, 'metric=mood&author=me'), [[TODAY, 5]], 'alone, own series');
});

test('metric=QUESTIONNAIRE_ID: the day\'s mean score; the partner\'s private responses stay out', T, async () => {
  const { a, b } = couple;
  const r1 = await qrespond(a, 1, 'private');
  const r2 = await qrespond(a, 2, 'partner');
  const r3 = await qrespond(a, 3, 'partner');
  backdate('questionnaire_responses', r3.id, at(D(-4), 12));
  assertSeries(await trends(a, `metric=${QID}&from=${D(-10)}&to=${TODAY}`),
    [[D(-4), r3.score], [TODAY, mean(r1.score, r2.score)]], "a's security-check");
  const s1 = await qrespond(b, 4, 'partner');
  // An extreme private answer (everything at its worst) that must not move a's view of b.
  const worst = Object.fromEntries(Q.items.map((it) => [it.id, it.reverse ? it.max : it.min]));
  const pr = await srv.call(b, 'POST', `/api/v1/questionnaires/${QID}/responses`, { answers: worst, visibility: 'private' });
  assert.equal(pr.status, 201);
  assertSeries(await trends(a, `metric=${QID}&author=partner&from=${D(-10)}&to=${TODAY}`), [[TODAY, s1.score]], "a's view of b");
  assertSeries(await trends(b, `metric=${QID}&author=me&from=${D(-10)}&to=${TODAY}`),
    [[TODAY, mean(s1.score, pr.json.score)]], "b's own");
  assertSeries(await trends(b, `metric=${QID}&author=partner&from=${D(-10)}&to=${TODAY}`),
    [[D(-4), r3.score], [TODAY, r2.score]], "b's view of a (a's private one left out)");
});

test('GET /trends validation: 400 invalid_input with the field at fault', T, async () => {
  const { a } = couple;
  const cases = [
    ['', 'metric'],
    ['metric=', 'metric'],
    ['metric=happiness', 'metric'],
    ['metric=MOOD', 'metric'],
    ['metric=mood&author=all', 'author'],
    ['metric=mood&author=them', 'author'],
    ['metric=mood&from=2026-13-01', 'from'],
    ['metric=mood&from=yesterday', 'from'],
    ['metric=mood&from=2025-02-29', 'from'],
    ['metric=mood&from=2024-1-01', 'from'],
    ['metric=mood&to=2024-02-30', 'to'],
    ['metric=mood&to=20240101', 'to'],
    [`metric=mood&from=${D(1)}&to=${TODAY}`, 'from'],
    ['metric=mood&from=2024-05-02&to=2024-05-01', 'from'],
  ];
  for (const [q, field] of cases) {
    for (const p of ['/api/v1/trends', '/api/v1/trends.svg']) {
      const r = await srv.call(a, 'GET', `${p}?${q}`);
      assertError(r, 400, 'invalid_input', field, `GET ${p}?${q}`);
    }
  }
  assertError(await srv.api('GET', '/api/v1/trends?metric=mood'), 401, 'unauthenticated', undefined, 'anonymous');
  assertError(await srv.api('GET', '/api/v1/trends.svg?metric=mood'), 401, 'unauthenticated', undefined, 'anonymous svg');
});

// ---------------------------------------------------------------- SVG

const ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes character and entity references; throws on an undefined or malformed one. */
function decodeRefs(s, where) {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '<') throw new Error(`raw '<' in ${where}`);
    if (ch !== '&') { out += ch; continue; }
    const end = s.indexOf(';', i);
    if (end < 0) throw new Error(`unterminated reference in ${where}: ${s.slice(i, i + 20)}`);
    const name = s.slice(i + 1, end);
    if (/^#[0-9]+$/.test(name)) out += String.fromCodePoint(Number(name.slice(1)));
    else if (/^#x[0-9a-fA-F]+$/.test(name)) out += String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (name in ENTITIES) out += ENTITIES[name];
    else throw new Error(`undefined reference &${name}; in ${where}`);
    i = end;
  }
  return out;
}

const NAME_START = (c) => /[A-Za-z_:]/.test(c) || c.charCodeAt(0) > 0x7f;
const NAME_CHAR = (c) => /[A-Za-z0-9_:.\-]/.test(c) || c.charCodeAt(0) > 0x7f;

/**
 * A strict, small XML 1.0 well-formedness checker (a character-by-character
 * tokenizer with an element stack). Returns {root, elements:[{name, attrs, text}]},
 * where text is the decoded character data directly inside the element.
 * Throws with a reason when the document is not well-formed.
 */
function parseXml(doc) {
  let i = 0;
  const stack = [];
  const elements = [];
  let root = null;
  let rootClosed = false;
  const fail = (why) => { throw new Error(`${why} at offset ${i}: ${JSON.stringify(doc.slice(Math.max(0, i - 40), i + 40))}`); };
  const readName = () => {
    if (i >= doc.length || !NAME_START(doc[i])) fail('expected a name');
    const s = i;
    while (i < doc.length && NAME_CHAR(doc[i])) i++;
    return doc.slice(s, i);
  };
  const skipWs = () => { while (i < doc.length && /[ \t\r\n]/.test(doc[i])) i++; };
  if (doc.startsWith('<?xml')) {
    const e = doc.indexOf('?>');
    if (e < 0) fail('unterminated XML declaration');
    i = e + 2;
  }
  while (i < doc.length) {
    if (doc[i] !== '<') {
      const e = doc.indexOf('<', i);
      const text = doc.slice(i, e < 0 ? doc.length : e);
      if (text.includes(']]>')) fail("']]>' in character data");
      const decoded = decodeRefs(text, 'character data');
      if (!stack.length) { if (text.trim()) fail('text outside the root element'); } else stack[stack.length - 1].text += decoded;
      i = e < 0 ? doc.length : e;
      continue;
    }
    if (doc.startsWith('<!--', i)) {
      const e = doc.indexOf('-->', i + 4);
      if (e < 0) fail('unterminated comment');
      if (doc.slice(i + 4, e).includes('--')) fail("'--' inside a comment");
      i = e + 3;
      continue;
    }
    if (doc.startsWith('<![CDATA[', i)) {
      if (!stack.length) fail('CDATA outside the root');
      const e = doc.indexOf(']]>', i);
      if (e < 0) fail('unterminated CDATA');
      stack[stack.length - 1].text += doc.slice(i + 9, e);
      i = e + 3;
      continue;
    }
    if (doc.startsWith('<!', i)) fail('DOCTYPE or other declaration (not expected in a chart)');
    if (doc.startsWith('<?', i)) {
      const e = doc.indexOf('?>', i);
      if (e < 0) fail('unterminated processing instruction');
      i = e + 2;
      continue;
    }
    if (doc[i + 1] === '/') {
      i += 2;
      const name = readName();
      skipWs();
      if (doc[i] !== '>') fail('expected > after an end tag name');
      i++;
      const open = stack.pop();
      if (!open || open.name !== name) fail(`end tag </${name}> does not match <${open ? open.name : '(none)'}>`);
      if (!stack.length) rootClosed = true;
      continue;
    }
    i++;
    const name = readName();
    const attrs = {};
    for (;;) {
      const before = i;
      skipWs();
      if (doc[i] === '>' || doc.startsWith('/>', i)) break;
      if (i === before) fail('expected whitespace before an attribute');
      const an = readName();
      skipWs();
      if (doc[i] !== '=') fail(`attribute ${an} without =`);
      i++;
      skipWs();
      const q = doc[i];
      if (q !== '"' && q !== "'") fail(`attribute ${an} value is not quoted`);
      const e = doc.indexOf(q, i + 1);
      if (e < 0) fail('unterminated attribute value');
      if (an in attrs) fail(`duplicate attribute ${an}`);
      attrs[an] = decodeRefs(doc.slice(i + 1, e), `attribute ${an}`);
      i = e + 1;
    }
    if (rootClosed || (root && !stack.length)) fail('a second root element');
    const el = { name, attrs, text: '' };
    elements.push(el);
    if (!root) root = el;
    if (doc.startsWith('/>', i)) {
      i += 2;
      if (!stack.length) rootClosed = true;
    } else {
      i++;
      stack.push(el);
    }
  }
  if (stack.length) throw new Error(`unclosed elements: ${stack.map((e) => e.name).join(' > ')}`);
  if (!root) throw new Error('no root element');
  return { root, elements };
}

test('the XML checker itself rejects broken documents', () => {
  const bad = ['<svg><title>x</svg>', '<svg a="1" a="2"/>', '<svg>&nbsp;</svg>', '<svg><g></svg></g>', '<svg/><svg/>',
    '<svg a=1/>', '<svg>a < b</svg>', '<svg>&amp</svg>', 'text<svg/>', '<svg><title>'];
  for (const d of bad) assert.throws(() => parseXml(d), undefined, d);
  const ok = parseXml('<?xml version="1.0"?><svg xmlns="x"><title>A &amp; B</title><desc>&#60;3</desc><g/></svg>');
  assert.equal(ok.root.name, 'svg');
  assert.equal(ok.elements[1].text, 'A & B');
  assert.equal(ok.elements[2].text, '<3');
});

function assertNoScriptCsp(res, what) {
  const csp = res.headers.get('content-security-policy');
  assert.ok(csp, `${what}: a Content-Security-Policy is sent`);
  const dirs = Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [n, ...v] = d.split(/\s+/);
    return [n.toLowerCase(), v];
  }));
  const scripts = dirs['script-src'] || dirs['script-src-elem'] || dirs['default-src'];
  assert.ok(scripts, `${what}: the CSP restricts scripts (script-src or default-src): ${csp}`);
  assert.deepEqual(scripts, ["'none'"], `${what}: scripts are not allowed by the CSP: ${csp}`);
  for (const d of ['script-src-attr', 'script-src-elem']) {
    if (dirs[d]) assert.deepEqual(dirs[d], ["'none'"], `${what}: ${d}: ${csp}`);
  }
}

function assertChart(res, what) {
  assert.equal(res.status, 200, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
  assert.match(String(res.headers.get('content-type')), /^image\/svg\+xml(;\s*charset="?utf-8"?)?$/i, `${what}: Content-Type`);
  assertNoScriptCsp(res, what);
  let xml;
  try { xml = parseXml(res.text); } catch (err) { assert.fail(`${what}: not well-formed XML: ${err.message}`); }
  assert.equal(xml.root.name, 'svg', `${what}: the root is <svg>`);
  assert.equal(xml.root.attrs.xmlns, 'http://www.w3.org/2000/svg', `${what}: SVG namespace`);
  const title = xml.elements.find((e) => e.name === 'title');
  const desc = xml.elements.find((e) => e.name === 'desc');
  assert.ok(title && title.text.trim(), `${what}: a non-empty <title>`);
  assert.ok(desc && desc.text.trim(), `${what}: a non-empty <desc>`);
  for (const e of xml.elements) {
    assert.ok(!['script', 'foreignObject', 'iframe', 'object', 'embed'].includes(e.name), `${what}: <${e.name}> in the chart`);
    for (const [k, v] of Object.entries(e.attrs)) {
      assert.ok(!/^on/i.test(k), `${what}: event attribute ${k} on <${e.name}>`);
      assert.ok(!/^\s*javascript:/i.test(v), `${what}: javascript: URL in ${k}`);
    }
  }
  return { xml, title: title.text, desc: desc.text };
}

test('GET /trends.svg: 200 image/svg+xml, well-formed XML with <title> and <desc>, a CSP that allows no script', T, async () => {
  const { a } = couple;
  for (const q of [`metric=mood&from=${D(-10)}&to=${TODAY}`, 'metric=connection', 'metric=secure&author=partner', `metric=${QID}`,
    `metric=mood&from=${D(-4)}&to=${D(-3)}`, `metric=mood&from=${TODAY}&to=${TODAY}`]) {
    const r = await srv.call(a, 'GET', `/api/v1/trends.svg?${q}`);
    const { desc } = assertChart(r, `trends.svg?${q}`);
    assert.ok(desc.length > 10, `the description says something: ${desc}`);
  }
  const r = await srv.call(a, 'GET', `/api/v1/trends.svg?metric=mood&from=${D(-10)}&to=${TODAY}`);
  const { xml, desc } = assertChart(r, 'mood');
  assert.ok(desc.includes(D(-10)) && desc.includes(TODAY), `the description names the period: ${desc}`);
  assert.ok(desc.includes('3 days'), `the description counts the days with data: ${desc}`);
  assert.ok(xml.elements.some((e) => e.name === 'polyline' || e.name === 'path' || e.name === 'circle'), 'a line is drawn');
  assert.equal(xml.elements.filter((e) => e.name === 'circle').length, 3, 'one dot per day with data');
});

test('trends.svg with a partner whose display name is markup: still well-formed, the name is text, no script', T, async () => {
  const evil = `<script>alert(1)</script>&"x'<![CDATA[`;
  const a = await srv.signUp('trxa');
  const b = await srv.signUp('trxb', { displayName: evil });
  const sp = await srv.call(a, 'POST', '/api/v1/spaces');
  const inv = await srv.call(a, 'POST', '/api/v1/spaces/current/invites');
  const j = await srv.call(b, 'POST', '/api/v1/spaces/join', { code: inv.json.code });
  assert.equal(sp.status + inv.status + j.status, 201 + 201 + 200);
  await checkin(b, 4, 4, 4, 'partner');
  const r = await srv.call(a, 'GET', '/api/v1/trends.svg?metric=mood&author=partner');
  const { xml, desc } = assertChart(r, 'partner chart');
  assert.ok(desc.includes(evil), `the name appears as text in the description: ${desc}`);
  assert.ok(xml.elements.some((e) => e.name === 'text' && e.text.includes(evil)), 'and as text in the legend');
});

// ---------------------------------------------------------------- timeline

test('GET /timeline: newest first, mixed types; a partner\'s private check-in or response never appears', T, async () => {
  const c = await srv.makeCouple('tl');
  const secret = `tlsecret${hex(8)}`;
  const ca = await checkin(c.a, 3, 3, 3, 'private');
  const cb = await checkin(c.b, 4, 4, 4, 'partner');
  const cbPriv = await checkin(c.b, 1, 1, 1, 'private', { need: secret });
  const rep = await srv.call(c.a, 'POST', '/api/v1/repairs', { title: 'timeline repair' });
  assert.equal(rep.status, 201);
  const ag = await srv.call(c.a, 'POST', '/api/v1/agreements', { text: 'timeline agreement' });
  assert.equal(ag.status, 201);
  assert.equal((await srv.call(c.b, 'POST', `/api/v1/agreements/${ag.json.id}/accept`)).status, 200); // proposed until a yes
  const rv = await srv.call(c.b, 'POST', `/api/v1/agreements/${ag.json.id}/reviews`, { outcome: 'kept', note: 'fine' });
  assert.equal(rv.status, 201);
  const qa = await qrespond(c.a, 5, 'private');
  const qbPriv = await qrespond(c.b, 6, 'private');
  const qb = await qrespond(c.b, 7, 'partner');

  const r = await srv.call(c.a, 'GET', '/api/v1/timeline?limit=100');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r, 'GET /timeline');
  assert.deepEqual(Object.keys(r.json).sort(), ['items', 'next']);
  assert.equal(r.json.next, null);
  const items = r.json.items;
  for (const it of items) {
    assert.equal(typeof it.type, 'string', JSON.stringify(it));
    assert.match(it.at, RFC3339_UTC, JSON.stringify(it));
  }
  for (let k = 1; k < items.length; k++) assert.ok(items[k - 1].at >= items[k].at, `newest first: ${items[k - 1].at} before ${items[k].at}`);
  const ids = items.map((it) => it.id);
  for (const [what, id] of [['own private check-in', ca.id], ["partner's shared check-in", cb.id], ['repair', rep.json.id],
    ['agreement', ag.json.id], ['review', rv.json.id], ['own private response', qa.id], ["partner's shared response", qb.id]]) {
    assert.ok(ids.includes(id), `${what} is on the timeline: ${JSON.stringify(items).slice(0, 600)}`);
  }
  const types = new Set(items.map((it) => it.type));
  for (const t of ['checkin', 'repair', 'agreement', 'review', 'questionnaire']) assert.ok(types.has(t), `type ${t} appears`);
  assert.ok(!ids.includes(cbPriv.id), "the partner's private check-in is not on the timeline");
  assert.ok(!ids.includes(qbPriv.id), "the partner's private response is not on the timeline");
  assert.ok(!r.text.includes(secret), "nothing of the partner's private check-in appears");
  // The partner's own timeline does show them.
  const rb = await srv.call(c.b, 'GET', '/api/v1/timeline?limit=100');
  assert.ok(rb.json.items.some((it) => it.id === cbPriv.id), 'b sees b\'s own private check-in');
  assert.ok(!rb.json.items.some((it) => it.id === ca.id), "b does not see a's private check-in");
  assertError(await srv.api('GET', '/api/v1/timeline'), 401, 'unauthenticated', undefined, 'anonymous');
});

test('GET /timeline paging: limit and before walk every item exactly once, newest first', T, async () => {
  const c = await srv.makeCouple('tlp');
  for (let k = 0; k < 3; k++) await checkin(c.a, 3, 3, 3, 'partner');
  await checkin(c.b, 4, 4, 4, 'partner');
  const ag = await srv.call(c.b, 'POST', '/api/v1/agreements', { text: 'paging' });
  await srv.call(c.a, 'POST', `/api/v1/agreements/${ag.json.id}/accept`); // proposed until the partner says yes
  await srv.call(c.a, 'POST', `/api/v1/agreements/${ag.json.id}/reviews`, { outcome: 'partly' });
  await qrespond(c.a, 9, 'private');
  await srv.call(c.a, 'POST', '/api/v1/repairs', { title: 'paging repair' });
  const full = await srv.call(c.a, 'GET', '/api/v1/timeline?limit=100');
  assert.equal(full.status, 200);
  const all = full.json.items.map((it) => `${it.type}:${it.id}`);
  assert.ok(all.length >= 8, `${all.length} items`);
  const problems = [];
  for (const limit of [1, 2, 3]) {
    const seen = [];
    let next = null;
    let pages = 0;
    do {
      const r = await srv.call(c.a, 'GET', `/api/v1/timeline?limit=${limit}${next ? `&before=${encodeURIComponent(next)}` : ''}`);
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.items.length <= limit, `limit=${limit} gave ${r.json.items.length}`);
      seen.push(...r.json.items.map((it) => `${it.type}:${it.id}`));
      next = r.json.next;
      pages++;
    } while (next && pages < 3 * all.length);
    const dupes = [...new Set(seen.filter((x, k) => seen.indexOf(x) !== k))];
    const missing = all.filter((x) => !seen.includes(x));
    if (dupes.length || missing.length || JSON.stringify([...new Set(seen)]) !== JSON.stringify(all)) {
      problems.push(`limit=${limit}: ${pages} pages gave ${seen.length} items for ${all.length}; repeated: ${dupes.join(', ') || 'none'};`
        + ` missing: ${missing.join(', ') || 'none'}${next ? '; paging never ended (stopped)' : ''}`);
    }
  }
  assert.deepEqual(problems, [], 'the pages together must be the whole timeline, each item once, in order');
  // An empty cursor means the first page, as for every list.
  for (const q of ['limit=0', 'limit=101', 'before=abc', 'before=-5']) {
    const r = await srv.call(c.a, 'GET', `/api/v1/timeline?${q}`);
    assertError(r, 400, 'invalid_input', undefined, `GET /timeline?${q}`);
  }
});
