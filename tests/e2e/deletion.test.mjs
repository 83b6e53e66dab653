// SPDX-License-Identifier: AGPL-3.0-or-later
//
// DELETE /me {password} (API.md "Accounts and sessions"): a wrong password gets
// 401 bad_credentials; the right one 204. The account and all it wrote are
// deleted; the partner's own items stay and still read. After the server
// stops, SQL (sqlite3 on hearth.db, or psql in PostgreSQL mode) finds no row
// of the deleted user left in the tables that hold people's data, and on
// SQLite no file of the data directory holds any marker the user wrote.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, assertError, TEST_TIMEOUT, PG_URL } from './lib/server.mjs';
import { anonForm, page } from './lib/actors.mjs';
import { totp } from './lib/totp.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');

let srv;
let WORDS;
let Q;
let stopped = false;

before(async () => {
  srv = await startServer();
  const f = await srv.api('GET', '/api/v1/feelings');
  WORDS = f.json.groups.flatMap((g) => g.words);
  const u = await srv.signUp('dlq');
  Q = (await srv.api('GET', '/api/v1/questionnaires/security-check', { token: u.token })).json;
}, T);

after(async () => {
  if (srv && !stopped) await srv.stop();
  else if (srv) fs.rmSync(srv.dataDir, { recursive: true, force: true });
}, T);


// ---------------------------------------------------------------- the world

const S = {}; // shared state of this file: a (to be deleted), b (the partner), markers, ids

test('set-up: both partners write one of everything (check-ins, repairs, prompt answers, agreements, reviews, responses, safety checks)', T, async () => {
  const nameMark = `dlname${hex(8)}`;
  const c = { a: await srv.signUp('dla', { displayName: `A ${nameMark}` }), b: await srv.signUp('dlb') };
  await srv.ok(c.a, 'POST', '/api/v1/spaces', undefined, 201);
  const inv = await srv.ok(c.a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  await srv.ok(c.b, 'POST', '/api/v1/spaces/join', { code: inv.code }, 200);
  const second = await srv.logIn(c.a.username, c.a.password); // a second session of a's
  S.a = c.a;
  S.b = c.b;
  S.aTokens = [c.a.token, second.token];
  S.marks = { a: [nameMark], b: [] };
  // a's display name is a marker too: it must go with the account.
  const m = (k, tag) => { const x = `${k}${tag}${hex(8)}`; S.marks[k].push(x); return x; };
  const ids = { a: {}, b: {} };
  S.ids = ids;
  for (const k of ['a', 'b']) {
    ids[k].checkins = [];
    for (const visibility of ['private', 'partner', 'therapist']) {
      const ci = await srv.ok(c[k], 'POST', '/api/v1/checkins', {
        mood: 2, connection: 4, secure: 6, visibility, appreciation: m(k, 'appr'), need: m(k, 'need'), worry: m(k, 'worry'),
      }, 201);
      ids[k].checkins.push(ci.id);
    }
    await srv.ok(c[k], 'POST', '/api/v1/safety-checks', { afraid: k === 'a', pressured: false }, 201);
  }
  // Repairs: one opened by a, one by b; both write and submit their sides; both acknowledge r1.
  ids.a.repair = (await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: m('a', 'title') }, 201)).id;
  ids.b.repair = (await srv.ok(c.b, 'POST', '/api/v1/repairs', { title: m('b', 'title') }, 201)).id;
  S.sides = { a: {}, b: {} };
  for (const rid of [ids.a.repair, ids.b.repair]) {
    for (const k of ['a', 'b']) {
      const side = { feelings: [WORDS[k === 'a' ? 1 : 4]], perspective: m(k, 'persp'), touched: m(k, 'touch'), my_part: m(k, 'part'), next_time: m(k, 'next') };
      S.sides[k][rid] = side;
      await srv.ok(c[k], 'PUT', `/api/v1/repairs/${rid}/mine`, side, 200);
    }
    for (const k of ['a', 'b']) await srv.ok(c[k], 'POST', `/api/v1/repairs/${rid}/mine/submit`, undefined, 200);
  }
  for (const k of ['a', 'b']) await srv.ok(c[k], 'POST', `/api/v1/repairs/${ids.a.repair}/acknowledge`, { note: m(k, 'ack') }, 200);
  // Prompt: both answer today's and acknowledge each other.
  const day = await srv.ok(c.a, 'GET', '/api/v1/prompts/today', undefined, 200);
  S.promptId = day.id;
  S.answers = {};
  for (const k of ['a', 'b']) {
    S.answers[k] = m(k, 'answer');
    await srv.ok(c[k], 'POST', `/api/v1/prompts/${day.id}/answer`, { text: S.answers[k] }, 201);
  }
  for (const k of ['a', 'b']) await srv.ok(c[k], 'POST', `/api/v1/prompts/${day.id}/acknowledge`, { kind: 'thank_you' }, 201);
  // Agreements, and reviews of both by both.
  S.agreementText = {};
  for (const k of ['a', 'b']) {
    S.agreementText[k] = m(k, 'agree');
    ids[k].agreement = (await srv.ok(c[k], 'POST', '/api/v1/agreements', { text: S.agreementText[k] }, 201)).id;
  }
  // Each says yes to the other's proposal (API.md, Growth: proposed until the partner says yes).
  for (const [k, owner] of [['a', 'b'], ['b', 'a']]) await srv.ok(c[k], 'POST', `/api/v1/agreements/${ids[owner].agreement}/accept`);
  for (const k of ['a', 'b']) {
    ids[k].reviews = {};
    for (const owner of ['a', 'b']) {
      const note = m(k, 'review');
      if (k === 'b' && owner === 'a') S.bReviewOfA = note; // goes with a's agreement
      ids[k].reviews[owner] = (await srv.ok(c[k], 'POST', `/api/v1/agreements/${ids[owner].agreement}/reviews`, { outcome: 'kept', note }, 201)).id;
    }
  }
  // Questionnaire responses.
  for (const k of ['a', 'b']) {
    ids[k].responses = [];
    for (const visibility of ['private', 'partner']) {
      const answers = Object.fromEntries(Q.items.map((it) => [it.id, it.max]));
      ids[k].responses.push((await srv.ok(c[k], 'POST', '/api/v1/questionnaires/security-check/responses', { answers, visibility }, 201)).id);
    }
  }
  // Two-step login (issue 10, part B): a turns it on (a sealed secret, recovery codes) and is half-way
  // through a page login (a login ticket); all of it must go with the account.
  const setup = await srv.ok(c.a, 'POST', '/api/v1/me/two-step', undefined, 201);
  await srv.ok(c.a, 'POST', '/api/v1/me/two-step/confirm', { otp: totp(setup.secret) }, 200);
  const anon = await anonForm(srv);
  const half = await page(srv, 'POST', '/login', { cookie: anon.cookie, form: { csrf: anon.csrf, username: c.a.username, password: c.a.password } });
  assert.match(half.text, /name="ticket"/, 'a login ticket for a');
  // b's own view before the deletion, to compare with afterwards.
  S.bCheckins = {};
  for (const id of ids.b.checkins) S.bCheckins[id] = await srv.ok(c.b, 'GET', `/api/v1/checkins/${id}`, undefined, 200);
});

// ---------------------------------------------------------------- refusals

test('DELETE /me with a wrong or missing password: refused, nothing deleted', T, async () => {
  const { a } = S;
  const wrong = await srv.api('DELETE', '/api/v1/me', { token: a.token, body: { password: `${a.password}x` } });
  assertError(wrong, 401, 'bad_credentials', undefined, 'wrong password');
  const other = await srv.api('DELETE', '/api/v1/me', { token: a.token, body: { password: S.b.password } });
  assertError(other, 401, 'bad_credentials', undefined, "the partner's password");
  const missing = await srv.api('DELETE', '/api/v1/me', { token: a.token, body: {} });
  // API.md names only the wrong password (401); a missing or non-string one may be 400 or 401.
  assertError(missing, [400, 401], ['invalid_input', 'bad_credentials'], undefined, 'no password');
  const typed = await srv.api('DELETE', '/api/v1/me', { token: a.token, body: { password: 12345678901234 } });
  assertError(typed, [400, 401], ['invalid_input', 'bad_credentials'], undefined, 'a number');
  const anon = await srv.api('DELETE', '/api/v1/me', { body: { password: a.password } });
  assertError(anon, 401, 'unauthenticated', undefined, 'anonymous');
  // Still all there.
  const me = await srv.ok(a, 'GET', '/api/v1/me', undefined, 200);
  assert.equal(me.id, a.id);
  assert.equal(me.space.partner.id, S.b.id);
  await srv.ok(a, 'GET', `/api/v1/checkins/${S.ids.a.checkins[0]}`, undefined, 200);
});

// ---------------------------------------------------------------- deletion

test('DELETE /me with the right password: 204; every session of the account ends; logging in fails', T, async () => {
  const { a } = S;
  const r = await srv.api('DELETE', '/api/v1/me', { token: a.token, body: { password: a.password } });
  assert.equal(r.status, 204, `${r.status} ${r.text}`);
  assert.equal(r.text, '', '204 has no body');
  for (const token of S.aTokens) {
    const me = await srv.api('GET', '/api/v1/me', { token });
    assertError(me, 401, 'unauthenticated', undefined, 'a token of the deleted account');
    const ci = await srv.api('GET', `/api/v1/checkins/${S.ids.a.checkins[0]}`, { token });
    assertError(ci, 401, 'unauthenticated', undefined, 'reading with a token of the deleted account');
  }
  const login = await srv.api('POST', '/api/v1/sessions', { body: { username: a.username, password: a.password } });
  assertError(login, 401, 'bad_credentials', undefined, 'logging in as the deleted account');
});

test("the partner's own items stay and still read; the deleted account's are gone for them too", T, async () => {
  const { b, ids } = S;
  const me = await srv.ok(b, 'GET', '/api/v1/me', undefined, 200);
  assert.ok(me.space, 'b keeps the space');
  assert.equal(me.space.partner, null, 'b has no partner now');
  // Check-ins: b's are unchanged, a's are gone.
  for (const id of ids.b.checkins) {
    const got = await srv.ok(b, 'GET', `/api/v1/checkins/${id}`, undefined, 200);
    assert.deepEqual(got, S.bCheckins[id], `b's check-in ${id} is unchanged`);
  }
  for (const id of ids.a.checkins) assertError(await srv.api('GET', `/api/v1/checkins/${id}`, { token: b.token }), 404, 'not_found', undefined, "a's check-in");
  const list = await srv.ok(b, 'GET', '/api/v1/checkins?author=all&limit=100', undefined, 200);
  assert.deepEqual(list.items.map((x) => x.id).sort(), [...ids.b.checkins].sort(), "b's list holds b's check-ins only");
  // b's agreement and b's own review of it stay; a's agreement and a's reviews are gone.
  const g = await srv.ok(b, 'GET', `/api/v1/agreements/${ids.b.agreement}`, undefined, 200);
  assert.equal(g.text, S.agreementText.b);
  assert.deepEqual(g.reviews.map((x) => x.id), [ids.b.reviews.b], "b's review stays, a's review of it is gone");
  assertError(await srv.api('GET', `/api/v1/agreements/${ids.a.agreement}`, { token: b.token }), 404, 'not_found', undefined, "a's agreement");
  // Repairs: b's sides stay readable on both repairs; none of a's words show (checked at the end).
  const leftWords = [];
  for (const rid of [ids.b.repair, ids.a.repair]) {
    const r = await srv.api('GET', `/api/v1/repairs/${rid}`, { token: b.token });
    assert.equal(r.status, 200, `b reads repair ${rid} (${rid === ids.a.repair ? "opened by a" : 'opened by b'}): ${r.status} ${r.text}`);
    const side = S.sides.b[rid];
    assert.ok(r.json.mine, `b's side of ${rid} is there`);
    for (const k of ['perspective', 'touched', 'my_part', 'next_time']) assert.equal(r.json.mine[k], side[k], `b's ${k} on ${rid}`);
    for (const mk of S.marks.a) if (r.text.includes(mk)) leftWords.push(`GET /repairs/${rid} (${rid === ids.a.repair ? 'opened by a' : 'opened by b'}) shows a's ${mk.replace(/[0-9a-f]{16}$/, '')} ${mk}`);
  }
  const b2 = await srv.api('GET', `/api/v1/repairs/${ids.b.repair}`, { token: b.token });
  assert.ok(b2.json.title.startsWith('btitle'), "b's repair keeps its title");
  // The rest is checked softly, so that one problem does not hide the next.
  const soft = async (what, fn) => { try { await fn(); } catch (err) { leftWords.push(`${what}: ${err.message.replace(/\s+/g, ' ').slice(0, 400)}`); } };
  await soft("b's prompt answer", async () => {
    const today = await srv.ok(b, 'GET', '/api/v1/prompts/today', undefined, 200);
    assert.equal(today.mine, S.answers.b, "b's answer to today's prompt stays (GET /prompts/today mine)");
  });
  await soft("b's questionnaire responses", async () => {
    const qr = await srv.ok(b, 'GET', '/api/v1/questionnaires/security-check/responses', undefined, 200);
    assert.deepEqual(qr.items.map((x) => x.id).sort(), [...ids.b.responses].sort(), `b lists ${qr.items.length} of b's ${ids.b.responses.length} responses`);
  });
  await soft("b's export", async () => {
    const ex = await srv.api('GET', '/api/v1/me/export', { token: b.token });
    assert.equal(ex.status, 200, ex.text.slice(0, 200));
    const leaked = S.marks.a.filter((x) => ex.text.includes(x));
    assert.deepEqual(leaked, [], `b's export holds a's words: ${leaked.join(', ')}`);
    const keep = S.marks.b.filter((x) => x !== S.bReviewOfA);
    assert.deepEqual(keep.filter((x) => !ex.text.includes(x)), [], "b's export still holds b's words");
  });
  await soft("b's timeline", async () => {
    const tl = await srv.ok(b, 'GET', '/api/v1/timeline?limit=100', undefined, 200);
    assert.ok(!tl.items.some((it) => it.who === 'partner'), `an item of a's on b's timeline: ${JSON.stringify(tl.items.filter((it) => it.who === 'partner')).slice(0, 300)}`);
  });
  // b can write on.
  await srv.ok(b, 'POST', '/api/v1/checkins', { mood: 4, connection: 4, secure: 4, visibility: 'partner' }, 201);
  const rl = await srv.ok(b, 'GET', '/api/v1/repairs?limit=100', undefined, 200);
  for (const mk of S.marks.a) if (JSON.stringify(rl).includes(mk)) leftWords.push(`GET /repairs shows a's ${mk}`);
  assert.deepEqual(leftWords, [], "the deleted account's words still reach the partner");
});

// ---------------------------------------------------------------- at rest

const TABLES = [
  ['checkins', 'author_id'],
  ['repair_sides', 'author_id'],
  ['prompt_answers', 'author_id'],
  ['agreement_reviews', 'author_id'],
  ['questionnaire_responses', 'author_id'],
  ['safety_checks', 'user_id'],
  ['sessions', 'user_id'],
  ['space_members', 'user_id'],
  ['users', 'id'],
  ['data_keys', 'scope_id'],
  // not named in the brief but holding the person's words or traces too:
  ['agreements', 'author_id'],
  ['prompt_acks', 'from_id'],
  ['prompt_acks', 'answer_author'],
  ['prompt_skips', 'user_id'],
  ['invites', 'created_by'],
  ['two_step', 'user_id'],
  ['recovery_codes', 'user_id'],
  ['login_tickets', 'user_id'],
];
/** Tables keyed by scope: the deleted user's own scope (space_id = user id) must be empty. */
const SCOPED = ['checkins', 'repairs', 'repair_sides', 'prompt_answers', 'prompt_days', 'agreements', 'agreement_reviews',
  'questionnaire_responses', 'safety_checks'];

test('after a clean stop, no row of the deleted user remains (SQL on the database)', T, async () => {
  await srv.stop({ keepData: true });
  stopped = true;
  const id = S.a.id;
  const left = [];
  for (const [table, col] of TABLES) {
    const n = Number(srv.sql(`SELECT count(*) FROM ${table} WHERE ${col} = '${id}'`));
    if (n) left.push(`${table}.${col}: ${n}`);
  }
  for (const table of SCOPED) {
    const n = Number(srv.sql(`SELECT count(*) FROM ${table} WHERE space_id = '${id}'`));
    if (n) left.push(`${table} in the user's own scope: ${n}`);
  }
  assert.deepEqual(left, [], `rows of the deleted user ${id} remain`);
  // b is still there, with b's data key (b's scope or the space's).
  assert.equal(Number(srv.sql(`SELECT count(*) FROM users WHERE id = '${S.b.id}'`)), 1);
  assert.ok(Number(srv.sql(`SELECT count(*) FROM checkins WHERE author_id = '${S.b.id}'`)) >= 3);
});

test('no marker the deleted user wrote remains anywhere (SQLite: any file of the data directory; PostgreSQL: any row)', T, async () => {
  // (The username is not scanned: the failed login after the deletion leaves a throttling record
  // "login-user:USERNAME" in auth_failures by design, for 15 minutes.)
  const markers = [...S.marks.a];
  if (PG_URL) {
    // Every row of every table (partitions too), as text, against every marker: one statement, where a
    // client per table and marker (thousands, with partitions) took three minutes.
    const found = (words) => {
      for (const w of words) assert.match(w, /^[A-Za-z0-9_-]+$/, 'a word searched for needs no quoting');
      return srv.sql("SELECT t.tablename || ': ' || m FROM pg_tables t"
        + ` CROSS JOIN unnest(ARRAY[${words.map((w) => `'${w}'`).join(', ')}]) m WHERE t.schemaname = 'public'`
        + " AND (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM public.%I x WHERE x::text LIKE %L',"
        + " t.tablename, '%' || m || '%'), false, true, '')))[1]::text::int > 0 ORDER BY 1").split('\n').filter(Boolean);
    };
    // The search finds what is there: the partner's username, kept in clear in the users table.
    assert.ok(found([S.b.username]).some((h) => h.startsWith('users: ')), 'the search finds a word that is there');
    assert.deepEqual(found(markers), []);
    return;
  }
  const needles = [];
  for (const mk of markers) {
    const u8 = Buffer.from(mk, 'utf8');
    needles.push([mk, u8], [`${mk} utf-16le`, Buffer.from(mk, 'utf16le')], [`${mk} hex`, Buffer.from(u8.toString('hex'))]);
    for (let pad = 0; pad < 3; pad++) {
      const enc = Buffer.concat([Buffer.alloc(pad), u8, Buffer.alloc(3)]).toString('base64');
      const core = enc.slice(Math.ceil(pad / 3) * 4, Math.floor((pad + u8.length) / 3) * 4);
      if (core.length >= 16) needles.push([`${mk} base64@${pad}`, Buffer.from(core)]);
    }
  }
  const hits = [];
  for (const e of fs.readdirSync(srv.dataDir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const f = path.join(e.path ?? e.parentPath ?? srv.dataDir, e.name);
    const bytes = fs.readFileSync(f);
    for (const [name, n] of needles) if (bytes.includes(n)) hits.push(`${path.relative(srv.dataDir, f)}: ${name}`);
  }
  assert.deepEqual(hits, [], 'markers of the deleted user found in the data directory');
});
