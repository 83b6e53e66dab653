// SPDX-License-Identifier: AGPL-3.0-or-later
//
// A person's own name and time zone (API.md "Additions", issue 12 "Time as people say it"):
//   PATCH /me {display_name?, time_zone?} -> 200 as GET /me, which gains `time_zone`: the person's own
//     IANA zone, else their space's, else UTC. time_zone "" or null goes back to the space's.
//   Every invalid field at once: 400 invalid_input with `errors` [{code, message, field}], the first also
//     in `error`; nothing is changed then. Unknown fields are ignored, as everywhere in the API.
//   The partner sees the new name; times stay RFC 3339 UTC in the API whatever the zone.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertJsonType, TEST_TIMEOUT, RFC3339_UTC } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const me = (u) => srv.api('GET', '/api/v1/me', { token: u.token });
/** A sealed value, as docs/security.md and sealed.test.mjs know it. */
const SEALED = /^v1:[0-9a-f]{32}:[A-Za-z0-9_-]+$/;

const patch = (u, body) => srv.api('PATCH', '/api/v1/me', { token: u.token, body });

/** A 400 with every invalid field: `errors` lists them (in the order of the fields), `error` is the first. */
function assertInvalid(r, fields, what) {
  assert.equal(r.status, 400, `${what}: ${r.status} ${r.text}`);
  assertJsonType(r, what);
  assert.deepEqual(Object.keys(r.json).sort(), ['error', 'errors'], what);
  assert.deepEqual(r.json.errors.map((e) => e.field), fields, `${what}: ${r.text}`);
  for (const e of r.json.errors) {
    assert.equal(e.code, 'invalid_input', what);
    assert.ok(typeof e.message === 'string' && e.message.length > 0, what);
  }
  assert.deepEqual(r.json.error, r.json.errors[0], `${what}: the first problem is also the error`);
}

test('GET /me has time_zone: UTC alone, the space\'s zone in a space', T, async () => {
  const a = await srv.signUp('tza');
  let r = await me(a);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.time_zone, 'UTC');
  const sp = await srv.api('POST', '/api/v1/spaces', { token: a.token, body: { time_zone: 'Pacific/Auckland' } });
  assert.equal(sp.status, 201, sp.text);
  r = await me(a);
  assert.equal(r.json.time_zone, 'Pacific/Auckland');
});

test('PATCH /me changes the name and the zone, answers as GET /me, and the partner sees the new name', T, async () => {
  const { a, b } = await srv.makeCouple('tzc');
  const r = await patch(a, { display_name: 'Ana María', time_zone: 'America/Chicago' });
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  const again = await me(a);
  assert.deepEqual(r.json, again.json, 'PATCH answers what GET /me says afterwards');
  assert.equal(again.json.display_name, 'Ana María');
  assert.equal(again.json.time_zone, 'America/Chicago');
  assert.equal(again.json.username, a.username, 'the username stays');
  // the new name is sealed at rest like every name (issue 10, part E); the zone is a clear column
  const row = srv.sql(`SELECT display_name || '|' || time_zone FROM users WHERE id = '${a.id}'`, { optional: true });
  if (row !== null) {
    const [name, zone] = row.split('|');
    assert.match(name, SEALED, 'the name is stored sealed');
    assert.ok(!row.includes('Ana María'), 'never in clear');
    assert.equal(zone, 'America/Chicago');
  }
  const seen = await me(b);
  assert.equal(seen.json.space.partner.display_name, 'Ana María');
  assert.equal(seen.json.time_zone, 'UTC', 'the partner keeps the space\'s zone');

  // one field alone leaves the other as it is
  const onlyZone = await patch(a, { time_zone: 'Asia/Tokyo' });
  assert.equal(onlyZone.status, 200, onlyZone.text);
  assert.equal(onlyZone.json.display_name, 'Ana María');
  assert.equal(onlyZone.json.time_zone, 'Asia/Tokyo');
  const onlyName = await patch(a, { display_name: 'Ana' });
  assert.equal(onlyName.json.time_zone, 'Asia/Tokyo');
  assert.equal(onlyName.json.display_name, 'Ana');
  // "" and null go back to the space's zone
  assert.equal((await patch(a, { time_zone: '' })).json.time_zone, 'UTC');
  await patch(a, { time_zone: 'Asia/Tokyo' });
  assert.equal((await patch(a, { time_zone: null })).json.time_zone, 'UTC');
  // an empty change is no change; unknown fields are ignored, as everywhere in this API
  const none = await patch(a, { favourite_colour: 'green' });
  assert.equal(none.status, 200, none.text);
  assert.equal(none.json.display_name, 'Ana');
  assert.ok(!('favourite_colour' in none.json));

  // times in the API stay RFC 3339 UTC whatever the reader's zone
  await patch(a, { time_zone: 'Pacific/Kiritimati' });
  const ci = await srv.api('POST', '/api/v1/checkins', { token: a.token, body: { mood: 4, connection: 6, secure: 7, visibility: 'partner' } });
  assert.equal(ci.status, 201, ci.text);
  assert.match(ci.json.created_at, RFC3339_UTC);
});

test('alone, without a space, the own zone is also the zone of the day (today\'s question, reviews)', T, async () => {
  const a = await srv.signUp('tzs');
  const set = await patch(a, { time_zone: 'Pacific/Kiritimati' }); // UTC+14: its day is not UTC's after 10:00Z
  assert.equal(set.json.time_zone, 'Pacific/Kiritimati');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
  const q = await srv.api('GET', '/api/v1/prompts/today', { token: a.token });
  assert.equal(q.status, 200, q.text);
  const after = new Intl.DateTimeFormat('en-CA', { timeZone: 'Pacific/Kiritimati' }).format(new Date());
  assert.ok([today, after].includes(q.json.date), `today's question is of the person's own day: ${q.json.date}, not ${today}`);
  const back = await patch(a, { time_zone: '' });
  assert.equal(back.json.time_zone, 'UTC', 'back to UTC at once');
  assert.equal((await me(a)).json.time_zone, 'UTC');
});

test('every invalid field at once, and then nothing changes', T, async () => {
  const a = await srv.signUp('tzv');
  const before = (await me(a)).json;
  assertInvalid(await patch(a, { display_name: '', time_zone: 'Mars/Olympus_Mons' }), ['display_name', 'time_zone'], 'both');
  assertInvalid(await patch(a, { display_name: 'x'.repeat(65), time_zone: 'Europe/Berlin' }), ['display_name'], 'too long');
  assertInvalid(await patch(a, { display_name: '   ' }), ['display_name'], 'blank');
  for (const tz of ['Europe', '../etc/passwd', 'Europe/Berlin ', 'GMT+5', 'x'.repeat(200), 'Europe/Atlantis']) {
    assertInvalid(await patch(a, { time_zone: tz }), ['time_zone'], `zone ${JSON.stringify(tz)}`);
  }
  // wrong types are problems of their own fields, together with the others
  assertInvalid(await patch(a, { display_name: 42, time_zone: 'Nowhere/Land' }), ['display_name', 'time_zone'], 'types');
  assertInvalid(await patch(a, { display_name: null }), ['display_name'], 'a name cannot be null');
  assertInvalid(await patch(a, { display_name: 'Fine', time_zone: 7 }), ['time_zone'], 'zone type');
  assert.deepEqual((await me(a)).json, before, 'nothing changed');
  // not signed in: 401
  const anon = await srv.api('PATCH', '/api/v1/me', { body: { display_name: 'x' } });
  assert.equal(anon.status, 401);
});

test('the account page changes the name and the zone, keeps what was typed when refused', T, async () => {
  const a = await srv.signUp('tzp');
  const s = await cookieLogin(srv, a.username, a.password);
  const bad = await page(srv, 'POST', '/account/profile', { cookie: s.cookie, form: { csrf: s.csrf, display_name: '', time_zone: 'Atlantis/Capital' } });
  assert.equal(bad.status, 400, bad.text.slice(0, 300));
  assert.match(bad.text, /value="Atlantis\/Capital"/, 'the zone typed is kept');
  assert.match(bad.text, /id="display_name-error"/);
  assert.match(bad.text, /id="time_zone-error"/);
  const ok = await page(srv, 'POST', '/account/profile', { cookie: s.cookie, form: { csrf: s.csrf, display_name: 'Noor', time_zone: 'Europe/Lisbon' } });
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.location, '/account?profile=1');
  const r = await me(a);
  assert.equal(r.json.display_name, 'Noor');
  assert.equal(r.json.time_zone, 'Europe/Lisbon');
  const shown = await page(srv, 'GET', '/account?profile=1', { cookie: s.cookie });
  assert.match(shown.text, /Every time you see is now in Europe\/Lisbon/);
});
