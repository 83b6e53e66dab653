// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Reminders by the person's own calendar (issue 15): GET /reminders, PUT and DELETE
// /reminders/{kind}, POST and DELETE /calendar, and the private feed /calendar/{token}.ics,
// read with a real iCalendar parser (ical.js). What is asserted:
// - a reminder is the person's own: the partner neither sees nor changes it, and the feed
//   carries only its owner's reminders on the calendar channel;
// - the feed says nothing anyone wrote: only the words the person chose, "A moment for you"
//   by default; its events recur weekly on the chosen days at the chosen local time;
// - a new address ends the old one, DELETE /calendar ends it, a deleted account's feed is gone;
// - every invalid field at once, and a clear word for the channels this version does not offer;
// - the words and the token are sealed at rest.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ICAL from 'ical.js';
import { startServer, assertError, TEST_TIMEOUT } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const fieldsOf = (r) => r.json.errors.map((e) => e.field);
/** The feed at url (the server's public address, here the test server's). */
async function feed(url) {
  const path = new URL(url).pathname;
  const r = await fetch(`${srv.url}${path}`);
  return { status: r.status, type: r.headers.get('content-type'), cache: r.headers.get('cache-control'), text: await r.text() };
}
function events(text) {
  const cal = new ICAL.Component(ICAL.parse(text));
  return cal.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
}

test('a reminder set with the API is an event of the private calendar feed, weekly on its days at its local time', T, async () => {
  const a = await srv.signUp('cal');
  const none = await srv.ok(a, 'GET', '/api/v1/reminders');
  assert.deepEqual(none.items, []);
  assert.equal(none.calendar, null);
  assert.deepEqual(none.channels_available, ['calendar']);

  const set = await srv.ok(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['calendar'], time: '20:30', days: ['mon', 'thu'] });
  assert.deepEqual(set, { kind: 'checkin', channels: ['calendar'], time: '20:30', days: ['mon', 'thu'], text: 'A moment for you', updated_at: set.updated_at });
  await srv.ok(a, 'PUT', '/api/v1/reminders/prompt', { channels: ['calendar'], time: '08:05', days: ['sun'], text: 'Tea; then, a walk' });

  const made = await srv.ok(a, 'POST', '/api/v1/calendar', undefined, 201);
  assert.match(made.url, /\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const list = await srv.ok(a, 'GET', '/api/v1/reminders');
  assert.deepEqual(list.items.map((i) => i.kind), ['checkin', 'prompt']);
  assert.equal(list.calendar.url, made.url, 'the owner sees the same address again');

  const f = await feed(made.url);
  assert.equal(f.status, 200);
  assert.equal(f.type, 'text/calendar; charset=utf-8');
  assert.match(f.cache, /no-store/);
  assert.ok(f.text.includes('\r\n'), 'lines end in CRLF');
  const ev = events(f.text);
  assert.equal(ev.length, 2);
  const byText = Object.fromEntries(ev.map((e) => [e.summary, e]));
  const checkin = byText['A moment for you'];
  assert.ok(checkin, `the default words: ${f.text}`);
  assert.equal(checkin.startDate.zone.tzid, 'floating', 'the time of day on the person\'s own clock');
  assert.equal(checkin.startDate.hour, 20);
  assert.equal(checkin.startDate.minute, 30);
  const rule = checkin.component.getFirstPropertyValue('rrule');
  assert.equal(rule.freq, 'WEEKLY');
  assert.deepEqual(rule.parts.BYDAY, ['MO', 'TH']);
  // The next occurrences fall on Mondays and Thursdays only, starting on one of them.
  const it = checkin.iterator();
  for (let i = 0; i < 6; i++) {
    const next = it.next();
    assert.ok([2, 5].includes(next.dayOfWeek()), `occurrence ${next} on a Monday or a Thursday`);
  }
  const alarm = checkin.component.getFirstSubcomponent('valarm');
  assert.equal(alarm.getFirstPropertyValue('action'), 'DISPLAY');
  assert.equal(byText['Tea; then, a walk'].startDate.hour, 8, 'escaped words read back as written');
  // The person's own export holds their reminders, words and all.
  const exp = await srv.ok(a, 'GET', '/api/v1/me/export');
  assert.deepEqual(exp.reminders.map((r) => [r.kind, r.time, r.days, r.text]),
    [['checkin', '20:30', ['mon', 'thu'], 'A moment for you'], ['prompt', '08:05', ['sun'], 'Tea; then, a walk']]);
  for (const said of [a.username, a.display_name, a.id, 'checkin', 'prompt']) assert.ok(!f.text.includes(said), `the feed says nothing of "${said}"`);
  assert.match(f.text, /\r\nX-WR-CALNAME:Reminders\r\n/, 'a calendar name that tells nothing');
});

test('the partner cannot see, change or remove a reminder; only the calendar channel goes into the feed', T, async () => {
  const { a, b } = await srv.makeCouple('rem');
  await srv.ok(a, 'PUT', '/api/v1/reminders/agreement_review', { channels: ['calendar'], time: '19:00', days: ['fri'], text: 'Mine only' });
  assert.deepEqual((await srv.ok(b, 'GET', '/api/v1/reminders')).items, []);
  assertError(await srv.call(b, 'DELETE', '/api/v1/reminders/agreement_review'), 404, 'not_found');
  await srv.ok(b, 'PUT', '/api/v1/reminders/agreement_review', { channels: ['calendar'], time: '07:00', days: ['sat'] });
  const mine = (await srv.ok(a, 'GET', '/api/v1/reminders')).items;
  assert.equal(mine.length, 1);
  assert.equal(mine[0].text, 'Mine only');
  assert.equal(mine[0].time, '19:00');
  const url = (await srv.ok(b, 'POST', '/api/v1/calendar', undefined, 201)).url;
  const ev = events((await feed(url)).text);
  assert.deepEqual(ev.map((e) => e.summary), ['A moment for you'], 'the partner\'s feed holds only their own reminder');
  await srv.ok(a, 'DELETE', '/api/v1/reminders/agreement_review', undefined, 204);
  assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/reminders')).items, []);
  assert.equal((await srv.ok(b, 'GET', '/api/v1/reminders')).items.length, 1, 'the partner\'s stays');
});

test('a new address ends the old one; DELETE /calendar ends the feed; an unknown token is a plain 404', T, async () => {
  const a = await srv.signUp('addr');
  const first = (await srv.ok(a, 'POST', '/api/v1/calendar', undefined, 201)).url;
  assert.equal((await feed(first)).status, 200);
  const second = (await srv.ok(a, 'POST', '/api/v1/calendar', undefined, 201)).url;
  assert.notEqual(second, first);
  assert.equal((await feed(first)).status, 404, 'the old address stops working');
  assert.equal((await feed(second)).status, 200);
  await srv.ok(a, 'DELETE', '/api/v1/calendar', undefined, 204);
  assert.equal((await feed(second)).status, 404);
  assertError(await srv.call(a, 'DELETE', '/api/v1/calendar'), 404, 'not_found');
  assert.equal((await srv.ok(a, 'GET', '/api/v1/reminders')).calendar, null);
  const gone = await feed(`${srv.url}/calendar/${'x'.repeat(43)}.ics`);
  assert.equal(gone.status, 404);
  assert.match(gone.text, /no longer work|does not work/);
});

test('every invalid field at once; email and push are refused in words; a break cannot be in a calendar', T, async () => {
  const a = await srv.signUp('bad');
  let r = await srv.call(a, 'PUT', '/api/v1/reminders/checkin', { channels: [], time: '25:00', days: ['mon', 'mon'], text: 'two\nlines' });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(fieldsOf(r), ['channels', 'time', 'days', 'text']);
  r = await srv.call(a, 'PUT', '/api/v1/reminders/checkin', { channels: 'calendar', time: 830, days: 'mon', text: 5 });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(fieldsOf(r).sort(), ['channels', 'days', 'text', 'time']);
  r = await srv.call(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['email'], time: '08:30', days: ['someday'] });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(fieldsOf(r), ['channels', 'days']);
  assert.match(r.json.errors[0].message, /email/i);
  r = await srv.call(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['push'], time: '08:30', days: ['tue'] });
  assert.match(r.json.error.message, /device/);
  r = await srv.call(a, 'PUT', '/api/v1/reminders/break_over', { channels: ['calendar'], time: '08:30', days: ['tue'] });
  assertError(r, 400, 'invalid_input', 'channels');
  r = await srv.call(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['calendar'], time: '08:30', days: ['tue'], text: 'x'.repeat(61) });
  assertError(r, 400, 'invalid_input', 'text');
  assertError(await srv.call(a, 'PUT', '/api/v1/reminders/sometimes', { channels: ['calendar'], time: '08:30', days: ['tue'] }), 404, 'not_found');
  assertError(await srv.call(a, 'DELETE', '/api/v1/reminders/checkin'), 404, 'not_found');
  assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/reminders')).items, [], 'nothing was stored');
});

test('the words and the feed token are sealed at rest; a deleted account takes its reminders and feed along', T, async () => {
  const a = await srv.signUp('seal');
  const words = 'Marker-words-7f3a';
  await srv.ok(a, 'PUT', '/api/v1/reminders/homework', { channels: ['calendar'], time: '18:00', days: ['wed'], text: words });
  const url = (await srv.ok(a, 'POST', '/api/v1/calendar', undefined, 201)).url;
  const token = url.match(/\/calendar\/([^.]+)\.ics$/)[1];
  const stored = srv.sql(`SELECT text FROM reminders WHERE user_id = '${a.id}'`);
  assert.match(stored, /^v1:/);
  assert.ok(!stored.includes(words));
  const feedRow = srv.sql(`SELECT token_hash || ' ' || token FROM calendar_feeds WHERE user_id = '${a.id}'`);
  assert.ok(!feedRow.includes(token), 'neither the hash column nor the sealed one holds the token');
  // Deleting the account: a fresh password, then DELETE /me.
  await srv.ok(a, 'POST', '/api/v1/sessions/current/reauth', { password: a.password }, 204);
  await srv.ok(a, 'DELETE', '/api/v1/me', { password: a.password }, 204);
  assert.equal(srv.sql(`SELECT count(*) FROM reminders WHERE user_id = '${a.id}'`), '0');
  assert.equal(srv.sql(`SELECT count(*) FROM calendar_feeds WHERE user_id = '${a.id}'`), '0');
  assert.equal((await feed(url)).status, 404);
});

test('the Reminders page: set one without JavaScript, a fault keeps what was typed, make and stop the address', T, async () => {
  const a = await srv.signUp('page');
  const s = await cookieLogin(srv, a.username, a.password);
  let r = await page(srv, 'GET', '/reminders', { cookie: s.cookie });
  assert.equal(r.status, 200);
  assert.match(r.text, /A moment for you/);
  r = await page(srv, 'POST', '/reminders/checkin', { cookie: s.cookie, form: { csrf: s.csrf, channels: 'calendar', time: '', text: 'Kept words' } });
  assert.equal(r.status, 400);
  assert.match(r.text, /href="#checkin-time"/, 'the summary links to the field of this form');
  assert.match(r.text, /href="#checkin-days"/);
  assert.match(r.text, /value="Kept words"/);
  assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/reminders')).items, []);
  r = await page(srv, 'POST', '/reminders/checkin', { cookie: s.cookie, form: `csrf=${encodeURIComponent(s.csrf)}&channels=calendar&time=21%3A15&days=tue&days=sat&text=` });
  assert.equal(r.status, 303);
  const items = (await srv.ok(a, 'GET', '/api/v1/reminders')).items;
  assert.deepEqual(items.map((i) => [i.kind, i.time, i.days, i.text]), [['checkin', '21:15', ['tue', 'sat'], 'A moment for you']]);
  r = await page(srv, 'POST', '/reminders/calendar', { cookie: s.cookie, form: { csrf: s.csrf } });
  assert.equal(r.status, 303);
  r = await page(srv, 'GET', '/reminders?link=1', { cookie: s.cookie });
  const url = r.text.match(/value="([^"]+\.ics)"/)[1];
  assert.equal((await feed(url)).status, 200);
  r = await page(srv, 'POST', '/reminders/checkin/off', { cookie: s.cookie, form: { csrf: s.csrf } });
  assert.equal(r.status, 303);
  r = await page(srv, 'POST', '/reminders/calendar/end', { cookie: s.cookie, form: { csrf: s.csrf } });
  assert.equal(r.status, 303);
  assert.equal((await feed(url)).status, 404);
});
