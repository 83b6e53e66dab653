// SPDX-License-Identifier: AGPL-3.0-or-later
//
// A break with a promise to return (issue 14; API.md "Additions", Compassion protocols):
//   POST /breaks {minutes 20..1440, note?} -> 201 {id, until, note, mine, who, started_at};
//   GET /breaks/current -> the caller's running break, else the partner's, else 404;
//   DELETE /breaks/current -> 204 ends the caller's own (also one whose time has come), else 404.
// One running break per person: a second one is 409 break_running (never a silent replacement); a
// break whose time has come is replaced by a new one. The partner reads the break and its note (it is
// written for them) but cannot end or change it: no route does (DELETE ends only one's own: 404;
// other methods 405). The home's cards: partner_break for the partner while it runs, break_over for
// the taker once its time has come, neither for anyone else. Alone, a break is a personal pause. A
// leave ends what the ex-partner sees; the export holds the break; deleting the account deletes it;
// the note is sealed.
// The page /break without JavaScript: start, the partner's view in their own time zone, come back.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, assertError, assertJsonType, TEST_TIMEOUT, RFC3339_UTC,
} from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const MIN = 60 * 1000;
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const start = (who, body) => srv.call(who, 'POST', '/api/v1/breaks', body);
const current = (who) => srv.call(who, 'GET', '/api/v1/breaks/current');
const end = (who) => srv.call(who, 'DELETE', '/api/v1/breaks/current');
const homeKinds = async (who) => (await srv.ok(who, 'GET', '/api/v1/home')).items.filter((c) => /break/.test(c.kind));
/** Moves a person's break into the past: its time has come. */
const makeOver = (who) => srv.sql(`UPDATE breaks SET until_at = ${Date.now() - 1000} WHERE user_id = '${who.id}'`);

function assertBreak(json, { mine, who, note, minutes }) {
  assert.deepEqual(Object.keys(json).sort(), ['id', 'mine', 'note', 'started_at', 'until', 'who'], JSON.stringify(json));
  assert.match(json.id, /^[0-9a-f]{32}$/);
  assert.match(json.until, RFC3339_UTC);
  assert.match(json.started_at, RFC3339_UTC);
  assert.equal(json.mine, mine);
  assert.equal(json.who, who);
  assert.equal(json.note, note);
  if (minutes) {
    const span = Date.parse(json.until) - Date.parse(json.started_at);
    assert.ok(Math.abs(span - minutes * MIN) < 1000, `until is ${minutes} minutes after the start: ${span} ms`);
    assert.ok(Math.abs(Date.parse(json.until) - (Date.now() + minutes * MIN)) < 60 * 1000, 'until counts from now');
  }
}

test('validation: minutes 20..1440 and a short note, every invalid field at once, wrong types too', T, async () => {
  const a = await srv.signUp('bkv');
  for (const minutes of [undefined, 0, 19, 1441, 100000, -30]) {
    const r = await start(a, minutes === undefined ? {} : { minutes });
    assertError(r, 400, 'invalid_input', 'minutes', `minutes ${minutes}`);
  }
  let r = await start(a, { minutes: '30' });
  assertError(r, 400, 'invalid_input', 'minutes');
  r = await start(a, { minutes: 30.5 });
  assertError(r, 400, 'invalid_input', 'minutes');
  r = await start(a, { minutes: 'soon', note: 42 });
  assertError(r, 400, 'invalid_input', 'minutes');
  assert.deepEqual(r.json.errors.map((e) => e.field), ['minutes', 'note'], r.text);
  r = await start(a, { minutes: 10, note: 'x'.repeat(501) });
  assertError(r, 400, 'invalid_input', 'minutes');
  assert.deepEqual(r.json.errors.map((e) => e.field), ['minutes', 'note'], r.text);
  assert.equal((await current(a)).status, 404, 'nothing was started');
  // The edges are fine; a note of 500 characters too, and null or blank is no note.
  assertBreak(await srv.ok(a, 'POST', '/api/v1/breaks', { minutes: 20, note: 'é'.repeat(500) }, 201),
    { mine: true, who: a.display_name, note: 'é'.repeat(500), minutes: 20 });
  assert.equal((await end(a)).status, 204);
  assertBreak(await srv.ok(a, 'POST', '/api/v1/breaks', { minutes: 1440, note: null }, 201),
    { mine: true, who: a.display_name, note: null, minutes: 1440 });
  assert.equal((await end(a)).status, 204);
  assert.equal((await srv.ok(a, 'POST', '/api/v1/breaks', { minutes: 60, note: '   ' }, 201)).note, null);
  assert.equal((await end(a)).status, 204);
});

test('a couple: the partner reads the break and its note, and cannot end or change it', T, async () => {
  const c = await srv.makeCouple('bkc');
  const b0 = await srv.ok(c.a, 'POST', '/api/v1/breaks', { minutes: 30, note: 'I love you. I need to calm down first.' }, 201);
  assertBreak(b0, { mine: true, who: c.a.display_name, note: 'I love you. I need to calm down first.', minutes: 30 });
  const mine = await current(c.a);
  assert.equal(mine.status, 200);
  assertJsonType(mine);
  assert.deepEqual(mine.json, b0, 'the taker reads what they started');
  const theirs = await srv.ok(c.b, 'GET', '/api/v1/breaks/current');
  assert.deepEqual(theirs, { ...b0, mine: false }, 'the partner reads it too, the note included');

  // One at a time: a second break is a conflict, and the first is left as it was.
  const again = await start(c.a, { minutes: 120 });
  assertError(again, 409, 'break_running');
  assert.deepEqual((await current(c.a)).json, b0);

  // The partner cannot end it, nor change it by any method.
  assertError(await end(c.b), 404, 'not_found');
  for (const method of ['PATCH', 'PUT', 'POST']) {
    const r = await srv.call(c.b, method, '/api/v1/breaks/current', { minutes: 20 });
    assert.equal(r.status, 405, `${method} /breaks/current: ${r.status} ${r.text}`);
  }
  assert.equal((await srv.call(c.b, 'DELETE', `/api/v1/breaks/${b0.id}`)).status, 404, 'no route names a break by id');
  assert.deepEqual((await current(c.a)).json, b0, 'the break is unchanged after everything the partner tried');

  // Home: the partner's card while it runs; nothing for the taker.
  let cards = await homeKinds(c.b);
  assert.deepEqual(cards.map((x) => [x.kind, x.id, x.href]), [['partner_break', b0.id, '/break']]);
  assert.equal(cards[0].since, b0.started_at);
  assert.deepEqual(await homeKinds(c.a), []);

  // The partner may take a break of their own meanwhile: they read theirs first, and end theirs only.
  const bb = await srv.ok(c.b, 'POST', '/api/v1/breaks', { minutes: 20 }, 201);
  assert.equal((await srv.ok(c.b, 'GET', '/api/v1/breaks/current')).id, bb.id);
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/breaks/current')).id, b0.id, 'the taker still reads their own');
  assert.equal((await end(c.b)).status, 204);
  assert.equal((await srv.ok(c.b, 'GET', '/api/v1/breaks/current')).id, b0.id, 'the partner reads A\'s again');
  assert.deepEqual((await current(c.a)).json, b0);

  // The taker ends it early: gone for both, no cards.
  assert.equal((await end(c.a)).status, 204);
  assertError(await current(c.a), 404, 'not_found');
  assertError(await current(c.b), 404, 'not_found');
  assertError(await end(c.a), 404, 'not_found');
  assert.deepEqual(await homeKinds(c.b), []);
  assert.deepEqual(await homeKinds(c.a), []);
});

test('when the time comes: "Ready to come back?" for the taker only; the partner is never shown "late"', T, async () => {
  const c = await srv.makeCouple('bko');
  const b0 = await srv.ok(c.a, 'POST', '/api/v1/breaks', { minutes: 45, note: 'a walk' }, 201);
  makeOver(c.a);
  assertError(await current(c.a), 404, 'not_found', undefined, 'an over break is not running');
  assertError(await current(c.b), 404, 'not_found');
  let cards = await homeKinds(c.a);
  assert.deepEqual(cards.map((x) => [x.kind, x.id, x.href]), [['break_over', b0.id, '/break']]);
  assert.deepEqual(await homeKinds(c.b), [], 'no card for the partner once the time has come');
  // Set aside, it stays away; ending it is coming back.
  assert.equal((await srv.call(c.a, 'POST', '/api/v1/home/dismiss', { kind: 'break_over', id: b0.id })).status, 204);
  assert.deepEqual(await homeKinds(c.a), []);
  assert.equal((await end(c.a)).status, 204);
  assertError(await end(c.a), 404, 'not_found');

  // An over break that was not ended makes room for a new one (no 409).
  await srv.ok(c.a, 'POST', '/api/v1/breaks', { minutes: 20 }, 201);
  makeOver(c.a);
  assert.deepEqual((await homeKinds(c.a)).map((x) => x.kind), ['break_over']);
  const b2 = await srv.ok(c.a, 'POST', '/api/v1/breaks', { minutes: 30 }, 201);
  assert.deepEqual(await homeKinds(c.a), [], 'running again: no "ready to come back"');
  assert.deepEqual((await homeKinds(c.b)).map((x) => [x.kind, x.id]), [['partner_break', b2.id]]);
  assert.equal(Number(srv.sql(`SELECT count(*) FROM breaks WHERE user_id = '${c.a.id}'`)), 1, 'one row per person');
  assert.equal((await end(c.a)).status, 204);
  assert.equal(Number(srv.sql(`SELECT count(*) FROM breaks WHERE user_id = '${c.a.id}'`)), 0, 'ending keeps no history');
});

test('alone, a break is a personal pause: no partner card, "ready to come back" all the same', T, async () => {
  const solo = await srv.signUp('bks');
  const b0 = await srv.ok(solo, 'POST', '/api/v1/breaks', { minutes: 20, note: 'for me' }, 201);
  assertBreak(await srv.ok(solo, 'GET', '/api/v1/breaks/current'), { mine: true, who: solo.display_name, note: 'for me' });
  assert.deepEqual(await homeKinds(solo), []);
  makeOver(solo);
  assert.deepEqual((await homeKinds(solo)).map((x) => [x.kind, x.id]), [['break_over', b0.id]]);
  assert.equal((await end(solo)).status, 204);
  // In a space of one's own, waiting for a partner: the same.
  const one = await srv.signUp('bk1');
  await srv.ok(one, 'POST', '/api/v1/spaces', undefined, 201);
  await srv.ok(one, 'POST', '/api/v1/breaks', { minutes: 30 }, 201);
  assert.deepEqual(await homeKinds(one), []);
  assert.equal((await srv.ok(one, 'GET', '/api/v1/breaks/current')).mine, true);
  // Someone else, in no space with the taker, never sees it.
  assertError(await current(solo), 404, 'not_found');
});

test('a leave ends what the ex-partner sees; deleting the account deletes the break; the note is sealed', T, async () => {
  const c = await srv.makeCouple('bkl');
  await srv.ok(c.a, 'POST', '/api/v1/breaks', { minutes: 60, note: 'sealed-note-marker' }, 201);
  const stored = srv.sql(`SELECT note FROM breaks WHERE user_id = '${c.a.id}'`);
  assert.match(stored, /^v1:[0-9a-f]{32}:[A-Za-z0-9_-]+$/, 'the note is sealed at rest');
  assert.equal((await srv.ok(c.b, 'GET', '/api/v1/breaks/current')).note, 'sealed-note-marker');
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  assertError(await current(c.b), 404, 'not_found', undefined, 'the ex-partner no longer sees it');
  assert.deepEqual(await homeKinds(c.b), []);
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/breaks/current')).note, 'sealed-note-marker', 'the taker still has it');
  // The export holds it (the page too); the partner's export does not.
  const exp = await srv.ok(c.a, 'GET', '/api/v1/me/export');
  assert.equal(exp.break.note, 'sealed-note-marker');
  assert.match(exp.break.until_at, RFC3339_UTC);
  assert.equal((await srv.ok(c.b, 'GET', '/api/v1/me/export')).break, null);
  const web = await cookieLogin(srv, c.a.username, c.a.password);
  const printed = await page(srv, 'GET', '/account/export', { cookie: web.cookie });
  assert.equal(printed.status, 200);
  assert.match(printed.text, /Your note: sealed-note-marker/);
  assert.match(printed.text, new RegExp(`back around <time datetime="${exp.break.until_at}">`));
  const del = await srv.call(c.a, 'DELETE', '/api/v1/me', { password: c.a.password });
  assert.equal(del.status, 204, `DELETE /me: ${del.status} ${del.text}`);
  assert.equal(Number(srv.sql(`SELECT count(*) FROM breaks WHERE user_id = '${c.a.id}'`)), 0);
});

/** The wall clock HH:MM of an instant in a zone, as the pages write it. */
const clock = (iso, timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

test('the page, without JavaScript: start, the partner\'s view in their own time zone, come back', T, async () => {
  const c = await srv.makeCouple('bkp');
  await srv.ok(c.a, 'PATCH', '/api/v1/me', { time_zone: 'Europe/Berlin' });
  await srv.ok(c.b, 'PATCH', '/api/v1/me', { time_zone: 'America/New_York' });
  const pa = await cookieLogin(srv, c.a.username, c.a.password);
  const pb = await cookieLogin(srv, c.b.username, c.b.password);
  // "I need a break" from the home page, a repair and the daily question.
  const rep = await srv.ok(c.a, 'POST', '/api/v1/repairs', { title: 'the dishes' }, 201);
  for (const from of ['/dashboard', `/repairs/${rep.id}`, '/prompts']) {
    const p = await page(srv, 'GET', from, { cookie: pa.cookie });
    assert.equal(p.status, 200, from);
    assert.match(p.text, /<a [^>]*href="\/break"[^>]*>I need a break<\/a>/, `${from} links to /break`);
  }
  let r = await page(srv, 'GET', '/break', { cookie: pa.cookie });
  assert.equal(r.status, 200);
  for (const key of ['20', '30', '60', '120']) assert.match(r.text, new RegExp(`name="choice" value="${key}"`));
  assert.match(r.text, /Slow your breath/, 'the calming guide');
  // A choice that is not offered, and a note too long: both named, what was typed kept.
  r = await page(srv, 'POST', '/break', { cookie: pa.cookie, form: { csrf: pa.csrf, choice: '7', note: `kept words ${'x'.repeat(500)}` } });
  assert.equal(r.status, 400);
  assert.match(r.text, /href="#choice"/);
  assert.match(r.text, /href="#note"/);
  assert.match(r.text, /kept words x/);
  r = await page(srv, 'POST', '/break', { cookie: pa.cookie, form: { csrf: pa.csrf, choice: '60', note: 'Back after a walk <3' } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/break');
  const b0 = await srv.ok(c.a, 'GET', '/api/v1/breaks/current');
  assert.ok(Math.abs(Date.parse(b0.until) - Date.parse(b0.started_at) - 60 * MIN) < 1000, 'the choice "60" is an hour');
  r = await page(srv, 'GET', '/break', { cookie: pa.cookie });
  assert.match(r.text, /You are taking a break/);
  assert.match(r.text, new RegExp(`back around <strong><time datetime="${b0.until.replace(/\.\d+Z$/, 'Z')}">${clock(b0.until, 'Europe/Berlin')}`));
  assert.match(r.text, /action="\/break\/end"/);
  assert.doesNotMatch(r.text, /action="\/break"/, 'no second break while one runs');
  // The partner: on their home and on /break, the time in New York's clock, the note, nothing to press.
  r = await page(srv, 'GET', '/dashboard', { cookie: pb.cookie });
  assert.match(r.text, new RegExp(`${c.a.display_name} is taking a break and will be back around ${clock(b0.until, 'America/New_York')}`));
  r = await page(srv, 'GET', '/break', { cookie: pb.cookie });
  assert.match(r.text, new RegExp(`will be back around <strong><time[^>]*>${clock(b0.until, 'America/New_York')}`));
  assert.match(r.text, /Back after a walk &lt;3/);
  assert.doesNotMatch(r.text, /action="\/break\/end"/, 'the partner has no button to end it');
  // The partner's "come back" ends nothing of A's.
  r = await page(srv, 'POST', '/break/end', { cookie: pb.cookie, form: { csrf: pb.csrf } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/dashboard', 'no "welcome back" for a break that was not theirs');
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/breaks/current')).id, b0.id);
  // Once over: "Ready to come back?" on A's home; A comes back.
  makeOver(c.a);
  r = await page(srv, 'GET', '/dashboard', { cookie: pa.cookie });
  assert.match(r.text, /Ready to come back\?/);
  r = await page(srv, 'POST', '/break/end', { cookie: pa.cookie, form: { csrf: pa.csrf } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/dashboard?back=1');
  assertError(await current(c.a), 404, 'not_found');
  r = await page(srv, 'GET', '/dashboard?back=1', { cookie: pa.cookie });
  assert.match(r.text, /Welcome back/);
  assert.doesNotMatch(r.text, /Ready to come back/);
});
