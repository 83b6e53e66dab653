// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The couple's therapist (API.md "Therapist"):
//   POST /therapist/invites (therapist only) -> 201 {code, expires_at}: single use, 72 h
//   POST /spaces/current/therapist {code} -> 200; the linker consents, the partner is pending
//   POST /spaces/current/therapist/consent {grant} -> 200, per partner; DELETE .../therapist -> 204
//   GET /therapist/spaces, /therapist/spaces/{id}/checkins|repairs|trends|safety-checks, notes
//   GET /spaces/current/access-log: one entry per therapist read, for both partners
// What the therapist may read: only items with visibility "therapist" of partners who consent now;
// never "partner" or "private" items; nothing of a partner who has not consented or revoked.
// The raw responses are searched for unique markers. Notes are the therapist's alone and
// encrypted at rest. Node built-ins only; 127.0.0.1 only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, assertError, TEST_TIMEOUT, RFC3339_UTC, PG_URL, pgDatabaseFor, tempDir } from './lib/server.mjs';
import { addRoleUser, page, cookieLogin } from './lib/actors.mjs';

const hex = (n = 8) => crypto.randomBytes(n).toString('hex');
const T = { timeout: TEST_TIMEOUT };

let srv;
let C; // the couple {a, b, spaceId}
let C2; // a second couple
let t1; // the therapist
let t2; // another therapist
let admin;
let loner; // a member with a space of their own
/** Markers: `${who}:${visibility}` -> marker of a check-in in C's space. */
const MARK = {};
const SIDE_MARK = { a: `sidea${hex()}`, b: `sideb${hex()}` };
const REPAIR_TITLE = `repairtitle${hex()}`;
const NOTE_MARK = `note${hex(12)}`;

const invite = async (t = t1) => (await srv.ok(t, 'POST', '/api/v1/therapist/invites', undefined, 201)).code;
const link = (who, code) => srv.api('POST', '/api/v1/spaces/current/therapist', { token: who.token, body: { code } });
const consent = (who, grant) => srv.ok(who, 'POST', '/api/v1/spaces/current/therapist/consent', { grant }, 200);
const tpath = (what, space = C.spaceId) => `/api/v1/therapist/spaces/${space}/${what}`;

/** Every page of the therapist's check-ins list: {items, text}. */
async function therapistCheckins(t = t1, space = C.spaceId) {
  const items = [];
  let text = '';
  let before = null;
  for (let i = 0; i < 50; i++) {
    const q = `?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`;
    const r = await srv.api('GET', tpath('checkins', space) + q, { token: t.token });
    assert.equal(r.status, 200, `therapist check-ins: ${r.status} ${r.text}`);
    assert.ok(Array.isArray(r.json.items) && 'next' in r.json, `list shape: ${r.text}`);
    items.push(...r.json.items);
    text += r.text;
    before = r.json.next;
    if (!before) break;
  }
  return { items, text };
}

/** Assert the therapist sees exactly the "therapist" items of the consenting partners, in every read. */
async function assertSees(consenting, what) {
  const { items, text } = await therapistCheckins();
  const ids = { a: C.a.id, b: C.b.id };
  for (const [key, m] of Object.entries(MARK)) {
    const [who, vis] = key.split(':');
    const want = vis === 'therapist' && consenting.includes(who);
    assert.equal(text.includes(m), want, `${what}: check-ins: ${key} marker ${want ? 'missing' : 'visible to the therapist'}`);
  }
  for (const it of items) {
    assert.equal(it.visibility, 'therapist', `${what}: an item with visibility ${it.visibility}`);
    assert.ok(consenting.map((w) => ids[w]).includes(it.author_id), `${what}: an item of a partner who does not consent`);
  }
  const tr = await srv.ok(t1, 'GET', `${tpath('trends')}?metric=mood`, undefined, 200);
  const got = (tr.partners || []).map((p) => p.partner_id).sort();
  assert.deepEqual(got, consenting.map((w) => ids[w]).sort(), `${what}: trends partners: ${JSON.stringify(tr)}`);
  for (const p of tr.partners) {
    assert.ok(Array.isArray(p.series) && p.series.length >= 1, `${what}: a consenting partner's series is empty: ${JSON.stringify(p)}`);
    for (const pt of p.series) assert.ok(/^\d{4}-\d{2}-\d{2}$/.test(pt.date) && typeof pt.value === 'number', JSON.stringify(pt));
  }
  for (const [key, m] of Object.entries(MARK)) assert.ok(!JSON.stringify(tr).includes(m), `${what}: trends leak ${key}`);
}

before(async () => {
  srv = await startServer();
  C = await srv.makeCouple('th');
  C2 = await srv.makeCouple('th2');
  loner = await srv.signUp('thlone');
  await srv.ok(loner, 'POST', '/api/v1/spaces', undefined, 201);
  t1 = await addRoleUser(srv, 'tht1', 'therapist', { displayName: 'Dr One' });
  t2 = await addRoleUser(srv, 'tht2', 'therapist', { displayName: 'Dr Two' });
  admin = await addRoleUser(srv, 'thadm', 'admin');
  for (const who of ['a', 'b']) {
    for (const visibility of ['therapist', 'partner', 'private']) {
      const m = `mk${who}${visibility}${hex()}`;
      MARK[`${who}:${visibility}`] = m;
      await srv.ok(C[who], 'POST', '/api/v1/checkins', {
        mood: who === 'a' ? 2 : 4, connection: 5, secure: 5, appreciation: m, need: m, worry: m, visibility,
      }, 201);
    }
  }
  // A revealed repair with side texts the therapist must never read.
  const rep = await srv.ok(C.a, 'POST', '/api/v1/repairs', { title: REPAIR_TITLE }, 201);
  for (const who of ['a', 'b']) {
    const m = SIDE_MARK[who];
    await srv.ok(C[who], 'PUT', `/api/v1/repairs/${rep.id}/mine`, { feelings: ['hurt'], perspective: m, touched: m, my_part: m, next_time: m }, 200);
    await srv.ok(C[who], 'POST', `/api/v1/repairs/${rep.id}/mine/submit`, undefined, 200);
  }
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

test('only therapists invite and list spaces: members and the admin get 403', T, async () => {
  for (const who of [C.a, loner, admin]) {
    assertError(await srv.api('POST', '/api/v1/therapist/invites', { token: who.token }), 403, 'forbidden', undefined, 'invite');
    assertError(await srv.api('GET', '/api/v1/therapist/spaces', { token: who.token }), 403, 'forbidden', undefined, 'spaces');
  }
  assertError(await srv.api('POST', '/api/v1/therapist/invites'), 401, 'unauthenticated');
  const r = await srv.ok(t1, 'POST', '/api/v1/therapist/invites', undefined, 201);
  assert.equal(typeof r.code, 'string');
  assert.match(r.expires_at, RFC3339_UTC);
  const ahead = Date.parse(r.expires_at) - Date.now();
  assert.ok(Math.abs(ahead - 72 * 3600e3) < 15 * 60e3, `expires_at is ${ahead / 3600e3} h ahead, not 72`);
  assert.notEqual((await invite()), r.code, 'two invites gave the same code');
});

test('before a link: the therapist gets 404 for the space; GET /me shows no therapist', T, async () => {
  for (const what of ['checkins', 'repairs', 'trends', 'safety-checks', 'notes']) {
    assertError(await srv.api('GET', tpath(what), { token: t1.token }), 404, 'not_found', undefined, what);
  }
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.therapist, null);
  assertError(await srv.api('POST', '/api/v1/spaces/current/therapist/consent', { token: C.a.token, body: { grant: true } }), 404, 'not_found');
  assertError(await srv.api('DELETE', '/api/v1/spaces/current/therapist', { token: C.a.token }), 404, 'not_found');
});

test('A links: A consents, B is pending; the therapist sees only A\'s "therapist" items', T, async () => {
  const code = await invite();
  const r = await link(C.a, code);
  assert.equal(r.status, 200, r.text);
  const meA = await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200);
  const meB = await srv.ok(C.b, 'GET', '/api/v1/me', undefined, 200);
  // consent_state (issue 10): the linker granted; the partner has not answered yet.
  assert.deepEqual(meA.space.therapist, { id: t1.id, display_name: 'Dr One', my_consent: true, consent_state: 'granted' });
  assert.deepEqual(meB.space.therapist, { id: t1.id, display_name: 'Dr One', my_consent: false, consent_state: 'undecided' });
  const sp = await srv.ok(t1, 'GET', '/api/v1/therapist/spaces', undefined, 200);
  const mine = sp.items.find((x) => x.id === C.spaceId);
  assert.ok(mine, `the space is not listed: ${JSON.stringify(sp)}`);
  const consentOf = Object.fromEntries(mine.partners.map((p) => [p.id, p.consent]));
  assert.deepEqual(consentOf, { [C.a.id]: true, [C.b.id]: false });
  assert.ok(!JSON.stringify(sp).includes('mk'), 'the space list leaks a check-in text');
  // Another therapist's list does not have it; their reads are 404.
  assert.ok(!(await srv.ok(t2, 'GET', '/api/v1/therapist/spaces', undefined, 200)).items.some((x) => x.id === C.spaceId));
  for (const what of ['checkins', 'repairs', 'trends', 'notes']) {
    assertError(await srv.api('GET', tpath(what), { token: t2.token }), 404, 'not_found', undefined, `t2 ${what}`);
  }
  // Members of the space and the admin are no therapists: 404.
  for (const who of [C.a, C.b, admin]) {
    assertError(await srv.api('GET', tpath('checkins'), { token: who.token }), 404, 'not_found', undefined, 'non-therapist');
  }
  await assertSees(['a'], 'A consents, B pending');
});

test('codes are single use: a used code gets 404; a second link while one is linked gets 409', T, async () => {
  const used = await invite();
  assert.equal((await link(C2.a, used)).status, 200);
  // used by C2 now: unlink there, then the same code again is 404 (not re-usable)
  await srv.ok(C2.a, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
  assertError(await link(C2.a, used), 404, 'not_found', undefined, 'used code');
  assertError(await link(C2.a, 'NOPE-NOPE-NOPE'), 404, 'not_found', undefined, 'unknown code');
  // C already has t1: t2's fresh code gets 409, and stays usable elsewhere.
  const other = await invite(t2);
  assertError(await link(C.b, other), 409, 'therapist_linked', undefined, 'second link');
  assert.equal((await link(C2.b, other)).status, 200, 'the refused code was used up');
  await srv.ok(C2.b, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
  // Without a space: 404; members can not link a therapist without code.
  assertError(await link(admin, await invite()), 404, 'not_found', undefined, 'no space');
  assertError(await srv.api('POST', '/api/v1/spaces/current/therapist', { token: C2.a.token, body: {} }), 400, 'invalid_input');
});

test('codes expire: a code older than 72 hours gets 404', T, async (t) => {
  const code = await invite(t2);
  const sql = `UPDATE therapist_invites SET expires_at = ${Date.now() - 1000} WHERE therapist_id = '${t2.id}' AND used_at IS NULL`;
  let r;
  if (PG_URL) r = spawnSync('psql', [pgDatabaseFor(srv.dataDir), '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
  else r = spawnSync('sqlite3', ['-cmd', '.timeout 10000', path.join(srv.dataDir, 'hearth.db'), sql], { encoding: 'utf8' });
  if (r.error) { t.skip(`no ${PG_URL ? 'psql' : 'sqlite3'} to age the code`); return; }
  assert.equal(r.status, 0, `ageing the code: ${r.stderr}`);
  assertError(await link(C2.a, code), 404, 'not_found', undefined, 'expired code');
});

test('B grants: both partners\' "therapist" items; A revokes: only B\'s', T, async () => {
  await consent(C.b, true);
  assert.equal((await srv.ok(C.b, 'GET', '/api/v1/me', undefined, 200)).space.therapist.my_consent, true);
  await assertSees(['a', 'b'], 'both consent');
  await consent(C.a, false);
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.therapist.my_consent, false);
  await assertSees(['b'], 'A revoked');
  const sp = await srv.ok(t1, 'GET', '/api/v1/therapist/spaces', undefined, 200);
  const consentOf = Object.fromEntries(sp.items.find((x) => x.id === C.spaceId).partners.map((p) => [p.id, p.consent]));
  assert.deepEqual(consentOf, { [C.a.id]: false, [C.b.id]: true });
});

test('repairs: titles and states only, never a side text; only repairs a consenting partner opened', T, async () => {
  // A (who opened the repair) has revoked: its title does not reach the therapist.
  const hidden = await srv.api('GET', tpath('repairs'), { token: t1.token });
  assert.equal(hidden.status, 200, hidden.text);
  assert.ok(!hidden.text.includes(REPAIR_TITLE), 'a repair opened by a partner who does not consent reached the therapist');
  await consent(C.a, true);
  const r = await srv.api('GET', tpath('repairs'), { token: t1.token });
  await consent(C.a, false); // back to the state the following tests expect
  assert.equal(r.status, 200, r.text);
  const it = r.json.items.find((x) => x.title === REPAIR_TITLE);
  assert.ok(it, `the repair is not listed: ${r.text}`);
  assert.equal(it.state, 'revealed');
  for (const m of Object.values(SIDE_MARK)) assert.ok(!r.text.includes(m), 'a side text reached the therapist');
  for (const k of Object.keys(it)) assert.ok(['id', 'title', 'state', 'created_at'].includes(k), `unexpected field ${k}`);
});

test('safety checks reach the therapist only with share_with_therapist:true', T, async () => {
  const before = await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200);
  assert.equal(before.items.length, 0, `nothing shared yet: ${JSON.stringify(before)}`);
  await srv.ok(C.b, 'POST', '/api/v1/safety-checks', { afraid: true, pressured: false }, 201);
  await srv.ok(C.b, 'POST', '/api/v1/safety-checks', { afraid: false, pressured: true, share_with_therapist: false }, 201);
  assert.equal((await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200)).items.length, 0, 'an unshared check reached the therapist');
  await srv.ok(C.b, 'POST', '/api/v1/safety-checks', { afraid: true, pressured: true, share_with_therapist: true }, 201);
  const s = await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200);
  assert.equal(s.items.length, 1, JSON.stringify(s));
  assert.equal(s.items[0].partner_id, C.b.id);
  assert.equal(s.items[0].afraid, true);
  assert.equal(s.items[0].pressured, true);
  // Never visible to the partner: nothing about it in A's views.
  for (const p of ['/api/v1/me/export', '/api/v1/timeline', '/api/v1/spaces/current/access-log']) {
    const r = await srv.api('GET', p, { token: C.a.token });
    assert.ok(!/"afraid"\s*:\s*true/.test(r.text), `${p} shows B's safety check to A`);
  }
});

test('safety checks: a partner who revokes consent takes their shared checks away (API and the therapist page)', T, async () => {
  // B consents and shared one check (above); A does not consent.
  const tp = await cookieLogin(srv, t1.username, t1.password);
  const spacePage = async () => {
    const r = await page(srv, 'GET', `/therapist/spaces/${C.spaceId}`, { cookie: tp.cookie });
    assert.equal(r.status, 200, `therapist page: ${r.status} ${r.text.slice(0, 200)}`);
    return r.text;
  };
  assert.equal((await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200)).items.length, 1, 'the shared check is not there to begin with');
  const shown = await spacePage();
  assert.match(shown, /Safety checks shared with you/);
  assert.match(shown, /feels afraid of their partner/);
  await consent(C.b, false);
  try {
    const s = await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200);
    assert.deepEqual(s.items, [], `B revoked consent, yet the therapist reads B's safety checks: ${JSON.stringify(s)}`);
    assert.doesNotMatch(await spacePage(), /Safety checks shared with you|feels afraid|feels pressured/, "B revoked consent, yet the therapist's page shows B's safety checks");
  } finally {
    await consent(C.b, true);
  }
  assert.equal((await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200)).items.length, 1, 'consent granted again brings the shared check back');
});

test('access log: one entry per therapist read, readable by both partners; outsiders 404', T, async () => {
  const count = async () => {
    const r = await srv.ok(C.a, 'GET', '/api/v1/spaces/current/access-log?limit=100', undefined, 200);
    return r.items;
  };
  const start = (await count()).length;
  await srv.ok(t1, 'GET', tpath('checkins'), undefined, 200);
  await srv.ok(t1, 'GET', tpath('repairs'), undefined, 200);
  await srv.ok(t1, 'GET', `${tpath('trends')}?metric=mood`, undefined, 200);
  await srv.ok(t1, 'GET', tpath('safety-checks'), undefined, 200); // one shared check exists
  const afterA = await count();
  assert.equal(afterA.length, start + 4, `expected 4 new entries: ${JSON.stringify(afterA.slice(0, 6))}`);
  for (const e of afterA.slice(0, 4)) {
    assert.match(e.at, RFC3339_UTC);
    assert.equal(e.who, 'Dr One');
    assert.equal(typeof e.what, 'string');
  }
  const fromB = await srv.ok(C.b, 'GET', '/api/v1/spaces/current/access-log?limit=100', undefined, 200);
  assert.deepEqual(fromB.items, afterA, 'the partners read different logs');
  // A refused read (t2) is not the couple's business but must not add an entry of t2's.
  await srv.api('GET', tpath('checkins'), { token: t2.token });
  assert.ok(!(await count()).some((e) => e.who === 'Dr Two'));
  // Therapists and the admin have no space: 404; C2 reads its own log, without C's entries.
  assertError(await srv.api('GET', '/api/v1/spaces/current/access-log', { token: t1.token }), 404, 'not_found');
  assertError(await srv.api('GET', '/api/v1/spaces/current/access-log', { token: admin.token }), 404, 'not_found');
  const other = await srv.ok(C2.a, 'GET', '/api/v1/spaces/current/access-log?limit=100', undefined, 200);
  assert.ok(!other.items.some((e) => e.who === 'Dr One'), `C's reads are in C2's log: ${JSON.stringify(other.items)}`);
});

test('notes are private to their therapist and encrypted at rest', T, async () => {
  const n = await srv.ok(t1, 'POST', tpath('notes'), { text: `first session ${NOTE_MARK}` }, 201);
  assert.equal(n.text, `first session ${NOTE_MARK}`);
  assertError(await srv.api('POST', tpath('notes'), { token: t1.token, body: { text: '   ' } }), 400, 'invalid_input', 'text');
  const list = await srv.ok(t1, 'GET', tpath('notes'), undefined, 200);
  assert.ok(list.items.some((x) => x.id === n.id && x.text.includes(NOTE_MARK)));
  // Another therapist, the admin and the partners: 404 (the partners have no notes endpoint at all).
  for (const who of [t2, admin, C.a, C.b]) {
    assertError(await srv.api('GET', tpath('notes'), { token: who.token }), 404, 'not_found', undefined, 'notes');
    assertError(await srv.api('POST', tpath('notes'), { token: who.token, body: { text: 'x' } }), 404, 'not_found', undefined, 'notes');
  }
  // Nothing the partners can read holds the note.
  for (const who of [C.a, C.b]) {
    for (const p of ['/api/v1/me/export', '/api/v1/timeline', '/api/v1/spaces/current/access-log?limit=100', '/api/v1/me']) {
      const r = await srv.api('GET', p, { token: who.token });
      assert.ok(!r.text.includes(NOTE_MARK), `${p} shows the therapist's note to a partner`);
    }
    const s = await cookieLogin(srv, who.username, who.password);
    for (const p of ['/space', '/dashboard', '/timeline']) {
      assert.ok(!(await page(srv, 'GET', p, { cookie: s.cookie })).text.includes(NOTE_MARK), `page ${p} shows the note`);
    }
  }
  // At rest.
  const needles = [Buffer.from(NOTE_MARK), Buffer.from(Buffer.from(NOTE_MARK).toString('base64').slice(0, 20)), Buffer.from(NOTE_MARK, 'utf16le')];
  const hits = [];
  const scanDir = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) scanDir(f);
      else if (e.isFile()) { const b = fs.readFileSync(f); for (const nd of needles) if (b.includes(nd)) hits.push(`${e.name}`); }
    }
  };
  if (PG_URL) {
    const dump = tempDir('hearth-th-dump-');
    const bin = process.env.HEARTH_TEST_PG_BIN ? path.join(process.env.HEARTH_TEST_PG_BIN, 'pg_dump') : 'pg_dump';
    const r = spawnSync(bin, ['--format=plain', '--file', path.join(dump, 'all.sql'), pgDatabaseFor(srv.dataDir)], { encoding: 'utf8' });
    assert.equal(r.status, 0, `pg_dump: ${r.stderr}`);
    scanDir(dump);
    fs.rmSync(dump, { recursive: true, force: true });
  } else {
    scanDir(srv.dataDir);
  }
  assert.deepEqual(hits, [], 'the note is stored in clear');
});

test('unlink: the therapist loses access (404); relink with a new code: consents start over', T, async () => {
  await srv.ok(C.b, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
  for (const what of ['checkins', 'repairs', 'trends', 'notes']) {
    assertError(await srv.api('GET', tpath(what), { token: t1.token }), 404, 'not_found', undefined, `after unlink ${what}`);
  }
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.therapist, null);
  assert.ok(!(await srv.ok(t1, 'GET', '/api/v1/therapist/spaces', undefined, 200)).items.some((x) => x.id === C.spaceId));
  assertError(await srv.api('DELETE', '/api/v1/spaces/current/therapist', { token: C.a.token }), 404, 'not_found');
  // The access log stays for the couple.
  assert.ok((await srv.ok(C.a, 'GET', '/api/v1/spaces/current/access-log', undefined, 200)).items.length > 0);
  // Relink (B, with a new code): B consents, A is pending again (A had revoked anyway).
  assert.equal((await link(C.b, await invite())).status, 200);
  assert.equal((await srv.ok(C.a, 'GET', '/api/v1/me', undefined, 200)).space.therapist.my_consent, false);
  assert.equal((await srv.ok(C.b, 'GET', '/api/v1/me', undefined, 200)).space.therapist.my_consent, true);
  await assertSees(['b'], 'relinked by B');
  await consent(C.a, true);
  await assertSees(['a', 'b'], 'relinked, both consent');
});

test('nobody consenting: the therapist reads nothing of the couple (check-ins, trends, repairs)', T, async () => {
  await consent(C.a, false);
  await consent(C.b, false);
  await assertSees([], 'nobody consents');
  const r = await srv.ok(t1, 'GET', tpath('repairs'), undefined, 200);
  assert.ok(!r.items.some((x) => x.title === REPAIR_TITLE),
    `API.md: /repairs gives "only items of partners who consent", but with no consent the repair is listed: ${JSON.stringify(r.items)}`);
});

test('pages: a linked therapist\'s space page shows only consenting partners\' "therapist" items', T, async () => {
  await consent(C.a, true);
  await consent(C.b, false);
  const s = await cookieLogin(srv, t1.username, t1.password);
  const p = await page(srv, 'GET', `/therapist/spaces/${C.spaceId}`, { cookie: s.cookie });
  assert.equal(p.status, 200);
  for (const [key, m] of Object.entries(MARK)) assert.equal(p.text.includes(m), key === 'a:therapist', `page: ${key}`);
  for (const m of Object.values(SIDE_MARK)) assert.ok(!p.text.includes(m), 'page: a repair side text');
  const s2 = await cookieLogin(srv, t2.username, t2.password);
  assert.equal((await page(srv, 'GET', `/therapist/spaces/${C.spaceId}`, { cookie: s2.cookie })).status, 404);
  assert.ok(!(await page(srv, 'GET', '/therapist', { cookie: s.cookie })).text.includes(MARK['b:therapist']));
});

/** Ten well-formed codes that are not `code`: its twelve characters rotated by 1..10. */
function wrongCodes(code) {
  const raw = code.replace(/-/g, '');
  return Array.from({ length: 10 }, (_, i) => {
    const w = raw.slice(i + 1) + raw.slice(0, i + 1);
    return `${w.slice(0, 4)}-${w.slice(4, 8)}-${w.slice(8)}`;
  }).filter((w) => w !== code);
}

test('wrong therapist codes are counted: after 10, the next attempt → 429 rate_limited with Retry-After, even with a valid code', T, async () => {
  const guesser = await srv.signUp('thguess');
  await srv.ok(guesser, 'POST', '/api/v1/spaces', undefined, 201);
  const real = await invite(t2);
  const wrong = wrongCodes(real);
  assert.equal(wrong.length, 10);
  for (const [i, w] of wrong.entries()) assertError(await link(guesser, w), 404, 'not_found', undefined, `wrong code #${i + 1}`);
  for (const code of ['NOPE-NOPE-NOPE', real]) {
    const r = await link(guesser, code);
    assertError(r, 429, 'rate_limited', undefined, `attempt with ${code === real ? 'the valid' : 'another wrong'} code after 10 wrong ones`);
    const ra = r.headers.get('retry-after');
    assert.ok(/^\d+$/.test(ra || '') && Number(ra) >= 1 && Number(ra) <= 901, `Retry-After within the 15-minute window (rounded up): ${ra}`);
  }
  assert.equal((await srv.ok(guesser, 'GET', '/api/v1/me', undefined, 200)).space.therapist, null, 'a throttled attempt linked the therapist');
  // The refused attempt did not use the code up, and it holds up nobody else.
  const other = await srv.signUp('thother');
  await srv.ok(other, 'POST', '/api/v1/spaces', undefined, 201);
  assert.equal((await link(other, real)).status, 200, 'the valid code was used up by a throttled attempt, or another member is held up');
  await srv.ok(other, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
});
