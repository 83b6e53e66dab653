// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What the routes added by issues 13 to 15 refuse, beyond the authorization matrix and the
// feature suites (a second pass of routes-review.test.mjs):
// - the API routes with a body: every invalid field at once, named in `errors` in the order of
//   the body's description (API.md "Conventions"), a route of one field naming that field alone,
//   and broken JSON answered invalid_json, with nothing changed;
// - the pages that take input: 400, and the error summary links to every field at fault.
// The feature suites check each fault one at a time; these check them all together.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, cookieLogin, linkTherapist, page, firstFeeling, revealedRepair } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
let WORD;
before(async () => {
  srv = await startServer();
  WORD = await firstFeeling(srv);
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

const fieldsOf = (r) => r.json.errors.map((e) => e.field);
const BROKEN = { rawBody: '{"text":', headers: { 'Content-Type': 'application/json' } };
/** The fields an HTML error summary links to, in its order. */
function summaryFields(html) {
  const summary = html.match(/<div class="error-summary"[\s\S]*?<\/div>/);
  assert.ok(summary, `an error summary: ${html.slice(0, 300)}`);
  return [...summary[0].matchAll(/href="#([a-z_0-9-]+)"/g)].map((m) => m[1]);
}

/** A shared repair of the couple, both sides submitted (revealed). */
const revealed = (c) => revealedRepair(srv, c, () => ({ feelings: [WORD], perspective: 'my side' }));

/** A couple whose space has a therapist linked with a's consent, and a homework item for both. */
async function withTherapist(prefix) {
  const c = await srv.makeCouple(prefix);
  const t = await addRoleUser(srv, `${prefix}t`, 'therapist', { displayName: 'Dr Lee' });
  await linkTherapist(srv, t, c.a);
  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  const space = (await srv.ok(c.a, 'GET', '/api/v1/me')).space.id;
  const hw = await srv.ok(t, 'POST', `/api/v1/therapist/spaces/${space}/homework`, { kind: 'task', text: 'A walk', for: 'both' }, 201);
  return { ...c, t, space, hw };
}

test('the API routes with two or more fields: every invalid field at once', T, async () => {
  const c = await withTherapist('rv2many');
  const id = await revealed(c);
  const step = (s, tail = '') => `/api/v1/repairs/${id}/steps/${s}${tail}`;
  await srv.ok(c.a, 'PUT', step('my_part'), { text: 'I raised my voice' });
  await srv.ok(c.a, 'POST', step('my_part', '/submit'));
  await srv.ok(c.a, 'PUT', step('heard'), { text: 'what I heard' });
  await srv.ok(c.a, 'POST', step('heard', '/submit'));
  const bridge = await srv.ok(c.a, 'POST', '/api/v1/bridge', { text: 'our weekends' }, 201);
  const cases = [
    ['POST', '/api/v1/breaks', c.a, { minutes: 7, note: 'x'.repeat(2001) }, ['minutes', 'note']],
    ['POST', '/api/v1/bridge', c.a, { text: 'x'.repeat(1001), share_with_partner: 'yes', share_with_therapist: 1 }, ['text', 'share_with_partner', 'share_with_therapist']],
    ['PATCH', `/api/v1/bridge/${bridge.id}`, c.a, { text: '', share_with_partner: 'no' }, ['text', 'share_with_partner']],
    ['PUT', '/api/v1/cycle/mine', c.a, { when_i_feel: '', i_tend_to: ' ', i_long_for: 'x'.repeat(501) }, ['when_i_feel', 'i_tend_to', 'i_long_for']],
    ['POST', step('heard', '/answer'), c.b, { answer: 'maybe', note: 'n'.repeat(2001) }, ['answer', 'note']],
    ['POST', step('my_part', '/answer'), c.b, { answer: 'yes', note: 'n'.repeat(2001) }, ['answer', 'note']],
    ['PUT', '/api/v1/reminders/checkin', c.a, { channels: ['pigeon'], time: '25:00', days: ['someday'], text: 'x'.repeat(2001) }, ['channels', 'time', 'days', 'text']],
    ['POST', `/api/v1/therapist/spaces/${c.space}/homework`, c.t, { kind: 'chore', text: 5, due_on: 'soon', for: 'everyone' }, ['kind', 'text', 'due_on', 'for']],
  ];
  for (const [method, p, who, body, fields] of cases) {
    const what = `${method} ${p}`;
    const r = await srv.call(who, method, p, body);
    assertError(r, 400, 'invalid_input', undefined, what);
    assert.deepEqual(fieldsOf(r).sort(), [...fields].sort(), `${what}: every invalid field: ${r.text}`);
    assertError(await srv.api(method, p, { token: who.token, ...BROKEN }), 400, 'invalid_json', undefined, `${what} broken JSON`);
  }
  // Nothing was applied.
  assertError(await srv.call(c.a, 'GET', '/api/v1/breaks/current'), 404, 'not_found', undefined, 'no break was started');
  assert.deepEqual((await srv.ok(c.a, 'GET', '/api/v1/reminders')).items, []);
  const steps = (await srv.ok(c.a, 'GET', `/api/v1/repairs/${id}`)).steps;
  assert.equal(steps.heard.mine.answer, null);
  assert.equal(steps.my_part.mine.answer, null);
});

test('the API routes of one field: that field alone, and broken JSON', T, async () => {
  const c = await withTherapist('rv2one');
  const id = await revealed(c);
  for (const who of [c.a, c.b]) {
    await srv.ok(who, 'PUT', '/api/v1/cycle/mine', { when_i_feel: 'worried', i_tend_to: 'pursue', i_long_for: 'closeness' });
    await srv.ok(who, 'POST', '/api/v1/cycle/mine/submit');
  }
  const g = await srv.ok(c.a, 'POST', '/api/v1/agreements', { text: 'phones away at dinner' }, 201);
  const cases = [
    ['PUT', '/api/v1/cycle/shared', c.a, { text: 'x'.repeat(4001) }, 'text'],
    ['POST', '/api/v1/prompts/tomorrow', c.a, { question_id: 'nope' }, 'question_id'],
    ['PUT', `/api/v1/therapist/spaces/${c.space}/next-session`, c.t, { at: 'next tuesday' }, 'at'],
    ['POST', `/api/v1/agreements/${g.id}/discuss`, c.b, { note: '' }, 'note'],
    ['POST', `/api/v1/homework/${c.hw.id}/not-this-week`, c.b, { note: 'x'.repeat(501) }, 'note'],
    ['PUT', `/api/v1/repairs/${id}/steps/heard`, c.a, { text: 'x'.repeat(2001) }, 'text'],
  ];
  for (const [method, p, who, body, field] of cases) {
    const what = `${method} ${p}`;
    const r = await srv.call(who, method, p, body);
    assertError(r, 400, 'invalid_input', field, what);
    assert.deepEqual(fieldsOf(r), [field], `${what}: ${r.text}`);
    assertError(await srv.api(method, p, { token: who.token, ...BROKEN }), 400, 'invalid_json', undefined, `${what} broken JSON`);
  }
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/cycle')).shared.suggested, true, 'the shared text is still the suggestion');
  assert.equal((await srv.ok(c.a, 'GET', `/api/v1/agreements/${g.id}`)).status, 'proposed', 'no refused answer was taken');
  assert.equal((await srv.ok(c.a, 'GET', `/api/v1/repairs/${id}`)).steps.heard.mine, null, 'no refused step was kept');
});

// A field of the wrong type beside another field's fault: both are named, as the bridge and the
// therapist's homework do (the domain's check joins the API's collection, problem_join).
test('a wrong type beside another fault: both named', T, async () => {
  const c = await srv.makeCouple('rv2mix');
  const id = await revealed(c);
  const step = (s, tail = '') => `/api/v1/repairs/${id}/steps/${s}${tail}`;
  await srv.ok(c.a, 'PUT', step('heard'), { text: 'what I heard' });
  await srv.ok(c.a, 'POST', step('heard', '/submit'));
  const cases = [
    ['PUT', '/api/v1/cycle/mine', c.a, { when_i_feel: '', i_tend_to: 3, i_long_for: 'x'.repeat(501) }, ['when_i_feel', 'i_tend_to', 'i_long_for']],
    ['PUT', '/api/v1/reminders/checkin', c.a, { channels: 'calendar', time: '25:00', days: ['mon'] }, ['channels', 'time']],
    ['POST', '/api/v1/breaks', c.a, { minutes: '20', note: 'x'.repeat(2001) }, ['minutes', 'note']],
    ['POST', step('heard', '/answer'), c.b, { answer: 'maybe', note: 5 }, ['answer', 'note']],
  ];
  const short = [];
  for (const [method, p, who, body, fields] of cases) {
    const r = await srv.call(who, method, p, body);
    assertError(r, 400, 'invalid_input', undefined, `${method} ${p}`);
    if (fieldsOf(r).sort().join() !== [...fields].sort().join()) short.push(`${method} ${p}: ${fieldsOf(r)}`);
  }
  assert.deepEqual(short, [], 'routes that named fewer fields than were wrong');
});

test('the pages that take input: 400, the summary links to every field at fault', T, async () => {
  const c = await withTherapist('rv2page');
  const id = await revealed(c);
  await srv.ok(c.a, 'PUT', `/api/v1/repairs/${id}/steps/heard`, { text: 'what I heard' });
  await srv.ok(c.a, 'POST', `/api/v1/repairs/${id}/steps/heard/submit`);
  const g = await srv.ok(c.a, 'POST', '/api/v1/agreements', { text: 'phones away at dinner' }, 201);
  const bridge = await srv.ok(c.a, 'POST', '/api/v1/bridge', { text: 'our weekends' }, 201);
  const sa = await cookieLogin(srv, c.a.username, c.a.password);
  const sb = await cookieLogin(srv, c.b.username, c.b.password);
  const st = await cookieLogin(srv, c.t.username, c.t.password);
  // The private check before the steps, not worried (no box ticked).
  for (const s of [sa, sb]) {
    const r = await page(srv, 'POST', `/repairs/${id}/safety?next=heard`, { cookie: s.cookie, form: { csrf: s.csrf } });
    assert.equal(r.status, 303, r.text.slice(0, 300));
  }
  const cases = [
    [sa, '/bridge', { text: '' }, ['text']],
    [sa, `/bridge/${bridge.id}`, { text: '' }, [`text-${bridge.id}`]],
    [sa, '/cycle/mine', { when_i_feel: '', i_tend_to: ' ', i_long_for: 'x'.repeat(501) }, ['when_i_feel', 'i_tend_to', 'i_long_for']],
    [sa, '/reminders/checkin', { channels: 'pigeon', time: '25:00', days: 'someday', text: 'x'.repeat(2001) },
      ['checkin-channels', 'checkin-time', 'checkin-days', 'checkin-text']],
    [sb, `/repairs/${id}/steps/heard/answer`, { answer: 'maybe', note: 'n'.repeat(2001) }, ['answer', 'note']],
    [sa, `/repairs/${id}/steps/my_part`, { text: 'x'.repeat(2001) }, ['text']],
    // An unknown kind needs no text (whether it does depends on the kind).
    [st, `/therapist/spaces/${c.space}/homework`, { kind: 'chore', ref: '', text: '', due_on: 'soon', for: 'everyone' }, ['hw_kind', 'hw_due_on', 'hw_for']],
    [st, `/therapist/spaces/${c.space}/next-session`, { at: 'next tuesday' }, ['at']],
    [sb, `/agreements/${g.id}/discuss`, { note: '' }, [`discuss-${g.id}`]],
  ];
  for (const [s, p, form, fields] of cases) {
    const r = await page(srv, 'POST', p, { cookie: s.cookie, form: { csrf: s.csrf, ...form } });
    assert.equal(r.status, 400, `POST ${p}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.deepEqual(summaryFields(r.text), fields, `POST ${p}`);
  }
  // Nothing was applied.
  assert.deepEqual((await srv.ok(c.a, 'GET', '/api/v1/bridge')).items.map((i) => i.text), ['our weekends']);
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/cycle')).mine, null);
  assert.deepEqual((await srv.ok(c.a, 'GET', '/api/v1/reminders')).items, []);
  const steps = (await srv.ok(c.a, 'GET', `/api/v1/repairs/${id}`)).steps;
  assert.equal(steps.heard.mine.answer, null);
  assert.equal(steps.my_part.mine, null);
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/me')).space.next_session_at, null);
  assert.equal((await srv.ok(c.a, 'GET', `/api/v1/agreements/${g.id}`)).status, 'proposed');
});
