// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Sealed at rest, field by field (docs/security.md, "Every stored field"; issue 10):
// - the document lists every column of the schema, each "sealed" or "clear, because ...";
// - a couple and their therapist write one of everything, with a marker in every free text
//   and display name and distinctive words in the fixed vocabularies (a review's outcome,
//   an acknowledgement, a feeling, a questionnaire's item ids and subscales);
// - SQL (sqlite3, or psql in PostgreSQL mode) finds every value of every column the
//   document calls sealed in the sealed form (v1:KEY_ID:..., or NULL or empty for none),
//   in the database and, on SQLite, in a `hearth backup` of it;
// - no marker or word is found in any file of the data directory (the WAL while the server
//   runs) nor in the backup, as text, UTF-16, base64 or hex;
// - the API answers what was written (numbers, words and names read back after opening);
// - values put back in clear by hand (as a database from before migration 10 holds them)
//   with the upgrade step pending again are sealed at the next start, read back the same,
//   and are gone from the files (the database is compacted);
// - the tables of issue 10's parts A-D hold rows too (sessions with their client, a two-step
//   secret and recovery codes, throttling counts of a failed login, a pending invite), so
//   their columns are checked like the others: the secret sealed, the username typed at the
//   failed login nowhere in the files, and two-step login still working after the upgrade.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, tempDir, REPO_ROOT, TEST_TIMEOUT, PG_URL } from './lib/server.mjs';
import { addRoleUser, linkTherapist } from './lib/actors.mjs';
import { stepOf, totp } from './lib/totp.mjs';
import { needles, scanFiles } from './lib/atrest.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');
const SEALED = /^v1:[0-9a-f]{32}:[A-Za-z0-9_-]+$/;
const WRAPPED = /^[A-Za-z0-9_-]{96}$/; // a data key: 24 + 32 + 16 bytes, base64url

let srv;
let scratch;
const S = { markers: [] };

/** A marker: distinctive, and remembered for the scans. */
const mark = (tag) => {
  const m = `${tag}${hex(10)}`;
  S.markers.push(m);
  return m;
};

/** Rows of a query on the server's database (or on a SQLite file), columns split by tabs. */
const sql = (query, file) => srv.sql(query, { file, separator: '\t', trim: false }).split('\n').filter((l) => l !== '');

/** The document's table: {"table.column": "sealed" | "clear, because ..."}. */
function documented() {
  const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'security.md'), 'utf8');
  const rows = {};
  for (const line of doc.split('\n')) {
    const m = /^\| `([a-z_]+)\.([a-z_]+)` \| (.+?) \|$/.exec(line);
    if (m) rows[`${m[1]}.${m[2]}`] = m[3];
  }
  return rows;
}

/** Every column of the schema as "table.column" (SQLite's search index counted as articles_fts). */
function schemaColumns(file) {
  if (PG_URL && !file) {
    // The partitions of HEARTH_PG_PARTITIONS hold their parent's columns: the parent is the table the document names.
    return sql("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema()"
      + ' AND table_name NOT IN (SELECT relname FROM pg_class WHERE relispartition) ORDER BY 1');
  }
  return sql("SELECT m.name || '.' || p.name FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.type = 'table'"
    + " AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'articles_fts_%' ORDER BY 1", file);
}

/** The columns the document calls sealed, and for each a value that is not in the sealed form, if any. */
function unsealed(file) {
  const rows = documented();
  const bad = [];
  for (const [field, what] of Object.entries(rows)) {
    if (!what.startsWith('sealed')) continue;
    const [table, column] = field.split('.');
    const form = field === 'data_keys.wrapped' ? WRAPPED : SEALED;
    for (const v of sql(`SELECT ${column} FROM ${table} WHERE ${column} IS NOT NULL AND ${column} <> ''`, file)) {
      if (!form.test(v)) bad.push(`${field}: ${v.slice(0, 60)}`);
    }
  }
  return bad;
}


/** [file: needle] for every marker or word found in a file under dir (or in the one file), in every encoding; short words too. */
const scan = (where, words) => scanFiles(where, words.flatMap((w) => needles(w, w, { minBase64: 12 })));


/** What the couple reads back (nothing here writes to the access log). */
async function readBack() {
  const { a, b } = S;
  const out = {};
  out.meA = await srv.ok(a, 'GET', '/api/v1/me');
  out.meB = await srv.ok(b, 'GET', '/api/v1/me');
  out.checkins = await srv.ok(a, 'GET', '/api/v1/checkins?author=all&limit=100');
  for (const metric of ['mood', 'connection', 'secure', 'security-check']) {
    out[`trend-${metric}`] = await srv.ok(a, 'GET', `/api/v1/trends?metric=${metric}&author=me`);
    out[`trend-${metric}-partner`] = await srv.ok(b, 'GET', `/api/v1/trends?metric=${metric}&author=partner`);
  }
  out.responses = await srv.ok(a, 'GET', '/api/v1/questionnaires/security-check/responses');
  out.agreement = await srv.ok(b, 'GET', `/api/v1/agreements/${S.agreementId}`);
  out.history = await srv.ok(a, 'GET', '/api/v1/prompts/history');
  out.accessLog = await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log');
  out.timeline = await srv.ok(a, 'GET', '/api/v1/timeline');
  out.comments = (await srv.api('GET', `/api/v1/articles/${S.slug}/comments`)).json;
  out.therapistSpaces = await srv.ok(S.t, 'GET', '/api/v1/therapist/spaces');
  out.homeworkB = await srv.ok(b, 'GET', '/api/v1/homework'); // issue 13: a partner's read, not logged
  // Issue 10, parts A-D: sessions (the last use moves, to the hour: left out), pending invites.
  const sessions = await srv.ok(a, 'GET', '/api/v1/sessions');
  out.sessions = sessions.items.map(({ id, created_at, client, current }) => ({ id, created_at, client, current }));
  out.invitesC = await srv.ok(S.c, 'GET', '/api/v1/spaces/current/invites');
  // Issue 14: the break, as its taker and the partner read it (the note opened).
  out.breakA = await srv.ok(a, 'GET', '/api/v1/breaks/current');
  out.breakB = await srv.ok(b, 'GET', '/api/v1/breaks/current');
  const exp = await srv.ok(a, 'GET', '/api/v1/me/export');
  delete exp.exported_at;
  out.export = exp;
  const expB = await srv.ok(b, 'GET', '/api/v1/me/export');
  delete expB.exported_at;
  out.exportB = expB;
  return out;
}

before(async () => {
  scratch = tempDir('hearth-e2e-sealed-');
  srv = await startServer();
}, T);

after(async () => {
  if (srv) await srv.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
}, T);

test('docs/security.md lists every column of the schema, each "sealed" or "clear, because ..."', T, () => {
  const rows = documented();
  const bad = Object.entries(rows).filter(([, what]) => !(what === 'sealed' || /^sealed \(.+\)$/.test(what) || /^clear, because .{10,}/.test(what)));
  assert.deepEqual(bad, [], 'every row says "sealed" or "clear, because ..."');
  const missing = schemaColumns().filter((c) => !(c in rows));
  assert.deepEqual(missing, [], 'columns of the schema that docs/security.md does not list (add a row for each)');
  // And nothing listed that no backend has (articles.search is PostgreSQL's, articles_fts SQLite's).
  const other = PG_URL ? ['articles_fts.title', 'articles_fts.body'] : ['articles.search'];
  const known = new Set([...schemaColumns(), ...other]);
  assert.deepEqual(Object.keys(rows).filter((c) => !known.has(c)), [], 'rows of docs/security.md for columns that do not exist');
});

test('set-up: a couple and their therapist write one of everything, markers in every text and name', T, async () => {
  const a = await srv.signUp('sla', { displayName: mark('NameA') });
  const b = await srv.signUp('slb', { displayName: mark('NameB') });
  const t = await addRoleUser(srv, 'slt', 'therapist', { displayName: mark('NameT') });
  Object.assign(S, { a, b, t });
  await srv.ok(a, 'POST', '/api/v1/spaces', undefined, 201);
  const inv = await srv.ok(a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  await srv.ok(b, 'POST', '/api/v1/spaces/join', { code: inv.code });
  await linkTherapist(srv, t, a);
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });

  for (const [who, k] of [[a, 'a'], [b, 'b']]) {
    for (const [i, visibility] of ['private', 'partner', 'therapist'].entries()) {
      await srv.ok(who, 'POST', '/api/v1/checkins', {
        mood: 1 + i, connection: 7 + i, secure: 2 + i * 3, visibility,
        appreciation: mark(`appr${k}`), need: mark(`need${k}`), worry: mark(`worry${k}`),
      }, 201);
    }
    await srv.ok(who, 'POST', '/api/v1/safety-checks', { afraid: k === 'a', pressured: true, share_with_therapist: true }, 201);
  }
  // A repair, revealed and acknowledged; the rarest-looking feeling of the vocabulary.
  const words = (await srv.api('GET', '/api/v1/feelings')).json.groups.flatMap((g) => g.words);
  const feeling = [...words].sort((x, y) => y.length - x.length)[0];
  S.words = [feeling];
  const rid = (await srv.ok(a, 'POST', '/api/v1/repairs', { title: mark('title') }, 201)).id;
  for (const [who, k] of [[a, 'a'], [b, 'b']]) {
    await srv.ok(who, 'PUT', `/api/v1/repairs/${rid}/mine`, {
      feelings: [feeling], perspective: mark(`persp${k}`), touched: mark(`touch${k}`), my_part: mark(`part${k}`), next_time: mark(`next${k}`),
    });
  }
  for (const who of [a, b]) await srv.ok(who, 'POST', `/api/v1/repairs/${rid}/mine/submit`);
  for (const who of [a, b]) await srv.ok(who, 'POST', `/api/v1/repairs/${rid}/acknowledge`, { note: mark('ack') });
  // Issue 14: the steps after the reveal, shared and answered (with the longest answer word and a note).
  for (const [who, k] of [[a, 'a'], [b, 'b']]) {
    for (const step of ['heard', 'my_part', 'next_time']) {
      await srv.ok(who, 'PUT', `/api/v1/repairs/${rid}/steps/${step}`, { text: mark(`step${step}${k}`) });
      await srv.ok(who, 'POST', `/api/v1/repairs/${rid}/steps/${step}/submit`);
    }
  }
  await srv.ok(b, 'POST', `/api/v1/repairs/${rid}/steps/heard/answer`, { answer: 'not_quite', note: mark('heardnote') });
  await srv.ok(b, 'POST', `/api/v1/repairs/${rid}/steps/my_part/answer`, { answer: 'still_need', note: mark('needNote') });
  S.words.push('still_need', 'not_quite');
  // The prompt, answered and acknowledged with the longest kind.
  const day = await srv.ok(a, 'GET', '/api/v1/prompts/today');
  for (const who of [a, b]) await srv.ok(who, 'POST', `/api/v1/prompts/${day.id}/answer`, { text: mark('answer') }, 201);
  await srv.ok(a, 'POST', `/api/v1/prompts/${day.id}/acknowledge`, { kind: 'i_hear_you' }, 201);
  await srv.ok(b, 'POST', `/api/v1/prompts/${day.id}/acknowledge`, { kind: 'thank_you' }, 201);
  S.words.push('i_hear_you', 'thank_you');
  // An agreement and a review that did not go well.
  S.agreementId = (await srv.ok(a, 'POST', '/api/v1/agreements', { text: mark('agree') }, 201)).id;
  await srv.ok(b, 'POST', `/api/v1/agreements/${S.agreementId}/accept`); // proposed until the partner says yes
  await srv.ok(b, 'POST', `/api/v1/agreements/${S.agreementId}/reviews`, { outcome: 'not_yet', note: mark('review') }, 201);
  // Issue 14: a proposal the partner wants to talk about first, with a note.
  const proposal = (await srv.ok(a, 'POST', '/api/v1/agreements', { text: mark('propose') }, 201)).id;
  await srv.ok(b, 'POST', `/api/v1/agreements/${proposal}/discuss`, { note: mark('discuss') });
  S.words.push('not_yet');
  // A questionnaire response: its item ids and subscale names are words too.
  const q = await srv.ok(a, 'GET', '/api/v1/questionnaires/security-check');
  const answers = Object.fromEntries(q.items.map((it, i) => [it.id, i % 2 ? it.min : it.max]));
  for (const [who, visibility] of [[a, 'partner'], [a, 'private']]) {
    await srv.ok(who, 'POST', '/api/v1/questionnaires/security-check/responses', { answers, visibility }, 201);
  }
  S.words.push(`"${q.items[0].id}":`, ...new Set(q.items.map((it) => it.subscale).filter(Boolean).map((sub) => `"${sub}":`)));
  // The therapist reads (their name goes into the access log), writes a note, and an article with a comment.
  const spaceId = (await srv.ok(a, 'GET', '/api/v1/me')).space.id;
  const tp = (what) => `/api/v1/therapist/spaces/${spaceId}/${what}`;
  await srv.ok(t, 'GET', tp('checkins'));
  await srv.ok(t, 'GET', tp('trends?metric=mood'));
  S.therapistSafety = (await srv.ok(t, 'GET', tp('safety-checks'))).items;
  await srv.ok(t, 'POST', tp('notes'), { text: mark('note') }, 201);
  // Issue 13: an item of the list for the next session, shared with the therapist and the partner, read by both.
  await srv.ok(a, 'POST', '/api/v1/bridge', { text: mark('bridge'), share_with_therapist: true, share_with_partner: true }, 201);
  assert.equal((await srv.ok(t, 'GET', tp('bridge'))).items.length, 1, 'the therapist reads the shared item');
  assert.equal((await srv.ok(b, 'GET', '/api/v1/bridge')).partner_items.length, 1, 'the partner reads the shared item');
  // Issue 12: the bio of the therapist's byline is sealed too.
  S.bio = mark('bio');
  assert.equal((await srv.ok(t, 'PATCH', '/api/v1/me', { bio: S.bio })).bio, S.bio);
  // Issue 14: both sides of the couple's cycle and a version of its shared text (the therapist reads it).
  for (const who of [a, b]) {
    await srv.ok(who, 'PUT', '/api/v1/cycle/mine', { when_i_feel: mark('feel'), i_tend_to: mark('tend'), i_long_for: mark('long') });
    await srv.ok(who, 'POST', '/api/v1/cycle/mine/submit');
  }
  await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: mark('cycle') });
  await srv.ok(t, 'GET', tp('cycle'));
  const art = await srv.ok(t, 'POST', '/api/v1/articles', { title: 'On repair', body_markdown: 'Some public words.', publish: true }, 201);
  S.slug = art.slug;
  const cm = await srv.ok(b, 'POST', `/api/v1/articles/${S.slug}/comments`, { body: 'Thank you for this.' }, 201);
  await srv.ok(t, 'POST', `/api/v1/articles/${S.slug}/comments/${cm.id}/approve`);

  // Issue 10, parts A-D: two-step login on for A (a sealed secret, hashed recovery codes), a
  // failed login whose typed username must be stored nowhere (throttling keys are keyed
  // hashes), and a pending invite of someone alone in a space (an invite id).
  const setup = await srv.ok(a, 'POST', '/api/v1/me/two-step', undefined, 201);
  const conf = await srv.ok(a, 'POST', '/api/v1/me/two-step/confirm',
    { otp: totp(setup.secret, { at: stepOf(Date.now()) * 30000 + 1000 }) }, 200);
  S.recoveryCodes = conf.recovery_codes;
  S.words.push(setup.secret, ...conf.recovery_codes);
  const typed = mark('typed');
  const failed = await srv.api('POST', '/api/v1/sessions', { body: { username: typed, password: 'not the password at all' } });
  assert.equal(failed.status, 401, `a failed login: ${failed.status} ${failed.text}`);
  S.c = await srv.signUp('slc', { displayName: mark('NameC') });
  await srv.ok(S.c, 'POST', '/api/v1/spaces', undefined, 201);
  await srv.ok(S.c, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  // Issue 14: a break with a note for the partner (sealed), read back by both.
  await srv.ok(a, 'POST', '/api/v1/breaks', { minutes: 1440, note: mark('breaknote') }, 201);

  // Issue 13: homework with a note from the therapist, and a partner's note back ("not this week").
  const hw = await srv.ok(t, 'POST', `/api/v1/therapist/spaces/${spaceId}/homework`, { kind: 'task', text: mark('homework'), for: 'both' }, 201);
  await srv.ok(b, 'POST', `/api/v1/homework/${hw.id}/not-this-week`, { note: mark('hwnote') });
  S.homeworkId = hw.id;
  // Issue 15: a reminder's words and the private calendar address are sealed; the address must be in no file.
  await srv.ok(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['calendar'], time: '20:30', days: ['mon'], text: mark('remind') });
  const feedUrl = (await srv.ok(a, 'POST', '/api/v1/calendar', undefined, 201)).url;
  S.words.push(feedUrl.match(/\/calendar\/([^.]+)\.ics$/)[1]);

  S.before = await readBack();
  // What was written reads back: numbers, words and names.
  assert.equal(S.before.meA.display_name, S.markers[0]);
  assert.equal(S.before.meA.space.partner.display_name, S.markers[1]);
  assert.equal(S.before.meA.space.therapist.display_name, S.markers[2]);
  const scales = S.before.checkins.items.map((c) => [c.mood, c.connection, c.secure]);
  assert.ok(scales.some(([m, c, s]) => m === 3 && c === 9 && s === 8), `the check-ins' scales: ${JSON.stringify(scales)}`);
  assert.equal(S.before.agreement.reviews[0].outcome, 'not_yet');
  assert.ok(JSON.stringify(S.before.history).includes('"i_hear_you"') && JSON.stringify(S.before.history).includes('"thank_you"'), 'acknowledgement kinds');
  assert.ok(S.before.accessLog.items.length >= 3 && S.before.accessLog.items.every((e) => e.who === S.markers[2]), `the access log names the therapist: ${JSON.stringify(S.before.accessLog.items)}`);
  assert.deepEqual(S.therapistSafety.map((x) => [x.display_name, x.afraid, x.pressured]).sort(),
    [[S.markers[0], true, true], [S.markers[1], false, true]].sort(), 'the safety checks as the therapist reads them');
  // Issue 12: a comment shows the name its writer chose (here the default: the initials of the display name),
  // never the display name itself.
  assert.ok(S.before.comments.items.some((c) => c.author === S.markers[1][0].toUpperCase()), `the commenter's name: ${JSON.stringify(S.before.comments)}`);
  assert.ok(!JSON.stringify(S.before.comments).includes(S.markers[1]), 'the commenter\'s display name is in the comments');
  assert.equal(S.before.responses.items.length, 2);
  assert.equal(S.before.export.account.display_name, S.markers[0]);
  assert.equal(S.before.meA.two_step, true);
  assert.equal(S.before.meB.space.therapist.consent_state, 'granted');
  assert.ok(S.before.breakA.note.startsWith('breaknote') && S.before.breakB.note === S.before.breakA.note, 'the break\'s note reads back for both');
  assert.equal(S.before.invitesC.items.length, 1, `C's pending invite: ${JSON.stringify(S.before.invitesC)}`);
  assert.ok(S.before.sessions.some((x) => x.current), `A's sessions: ${JSON.stringify(S.before.sessions)}`);
  // Each table of parts A-D has rows for the checks below.
  // Issue 13: the homework's text and B's note read back open.
  const hwB = S.before.homeworkB.items.find((x) => x.id === S.homeworkId);
  assert.ok(hwB && hwB.text.startsWith('homework') && hwB.note.startsWith('hwnote'), `B's homework: ${JSON.stringify(S.before.homeworkB)}`);
  for (const table of ['sessions', 'two_step', 'recovery_codes', 'auth_failures', 'throttle_locks', 'invites']) {
    assert.ok(Number(sql(`SELECT count(*) FROM ${table}`)[0]) > 0, `rows in ${table}`);
  }
});

test('every value of every column docs/security.md calls sealed is in the sealed form', T, () => {
  assert.deepEqual(unsealed(), []);
  // The numbers really are there: one sealed value for the three scales of each check-in.
  assert.equal(Number(sql("SELECT count(*) FROM checkins WHERE scales LIKE 'v1:%'")[0]), 6);
  assert.equal(Number(sql("SELECT count(*) FROM two_step WHERE secret LIKE 'v1:%'")[0]), 1, 'the two-step secret');
  assert.equal(Number(sql("SELECT count(*) FROM homework WHERE text LIKE 'v1:%'")[0]), 1, 'the homework\'s text');
  assert.equal(Number(sql("SELECT count(*) FROM homework_marks WHERE note LIKE 'v1:%'")[0]), 1, 'the partner\'s note on it');
  assert.equal(Number(sql("SELECT count(*) FROM breaks WHERE note LIKE 'v1:%'")[0]), 1, 'the break\'s note (issue 14)');
});

test('no marker or word is in any file of the data directory while the server runs (the WAL too), nor in a backup', T, () => {
  const words = [...S.markers, ...S.words];
  assert.deepEqual(scan(srv.dataDir, words), [], 'found in the data directory');
  const file = path.join(scratch, 'backup.db');
  const r = srv.cli(['backup', file]);
  assert.equal(r.status, 0, `hearth backup: ${r.stderr}`);
  assert.ok(fs.statSync(file).size > 1000, 'the backup holds the data');
  assert.deepEqual(scan(file, words), [], 'found in the backup');
  if (!PG_URL) {
    assert.deepEqual(unsealed(file), [], 'values not sealed in the backup');
    assert.deepEqual(schemaColumns(file), schemaColumns(), 'the backup has the same columns');
  }
});

test('values put back in clear, with the upgrade step pending: sealed at the next start, read back the same, gone from the files', T, async () => {
  await srv.terminate();
  // What a database from before migration 10 holds: the numbers and words in clear (and, from
  // before migration 2, the check-in texts), and the step migration 10 records.
  const q = (s) => `'${String(s).replace(/'/g, "''")}'`;
  const updates = ["INSERT INTO upgrade_steps (step) VALUES ('seal-in-clear')"];
  for (const who of ['a', 'b']) {
    const u = S[who];
    updates.push(`UPDATE users SET display_name = ${q(S.before[`me${who.toUpperCase()}`].display_name)} WHERE id = ${q(u.id)}`);
  }
  updates.push(`UPDATE users SET display_name = ${q(S.markers[2])} WHERE id = ${q(S.t.id)}`);
  updates.push(`UPDATE access_log SET who_name = ${q(S.markers[2])}`);
  for (const c of [...S.before.export.checkins, ...S.before.exportB.checkins]) {
    const set = [`scales = ${q(`${c.mood} ${c.connection} ${c.secure}`)}`]
      .concat(['appreciation', 'need', 'worry'].map((f) => `${f} = ${c[f] == null ? 'NULL' : q(c[f])}`));
    updates.push(`UPDATE checkins SET ${set.join(', ')} WHERE id = ${q(c.id)}`);
  }
  updates.push("UPDATE safety_checks SET afraid = '1' WHERE user_id = " + q(S.a.id));
  updates.push("UPDATE safety_checks SET afraid = '0' WHERE user_id = " + q(S.b.id));
  updates.push("UPDATE safety_checks SET pressured = '1'");
  for (const r of S.before.export.questionnaire_responses) {
    updates.push(`UPDATE questionnaire_responses SET score = ${q(r.score)}, subscales = ${q(JSON.stringify(r.subscales))} WHERE id = ${q(r.id)}`);
  }
  updates.push("UPDATE agreement_reviews SET outcome = 'not_yet'");
  updates.push(`UPDATE prompt_acks SET kind = 'i_hear_you' WHERE from_id = ${q(S.a.id)}`);
  updates.push(`UPDATE prompt_acks SET kind = 'thank_you' WHERE from_id = ${q(S.b.id)}`);
  sql(updates.join('; '));
  assert.ok(unsealed().length >= 20, `values in clear now: ${unsealed().length}`);
  if (!PG_URL) {
    const found = scan(srv.dataDir, [...S.markers, ...S.words]);
    assert.ok(found.length >= 10, `the scan finds the values put in clear: ${found.length}`);
  }

  await srv.restart();
  assert.deepEqual(unsealed(), [], 'sealed again at the start');
  assert.deepEqual(sql('SELECT step FROM upgrade_steps'), [], 'the step is done and forgotten');
  const after = await readBack();
  assert.deepEqual(after, S.before, 'everything reads back as it was written');
  // Two-step login still asks for the code, and a recovery code still opens it.
  const login = (extra) => srv.api('POST', '/api/v1/sessions', { body: { username: S.a.username, password: S.a.password, ...extra } });
  const bare = await login({});
  assert.equal(bare.status, 401, `login without a code: ${bare.status} ${bare.text}`);
  assert.equal(bare.json.error.code, 'second_factor_required');
  const withCode = await login({ otp: S.recoveryCodes[0] });
  assert.equal(withCode.status, 201, `login with a recovery code: ${withCode.status} ${withCode.text}`);
  assert.equal(withCode.json.user.display_name, S.markers[0], 'the name opened at login');
  if (!PG_URL) {
    await srv.terminate();
    assert.deepEqual(scan(srv.dataDir, [...S.markers, ...S.words]), [], 'found in the data directory after the upgrade');
    await srv.restart();
  }
});
