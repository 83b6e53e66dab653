// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Every error at once (API.md, Additions, "Errors"): a 400 invalid_input
// carries "errors": [{code, message, field}, ...], every invalid field of the
// request, the first repeated in "error". One test per feature whose input has
// several fields: each sends several faults together and expects them all in
// one answer, and nothing saved.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;

before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

/** Asserts a 400 invalid_input naming exactly these fields, in this order; returns the errors. */
function assertFields(res, fields, what) {
  const e = assertError(res, 400, 'invalid_input', fields[0], what);
  assert.deepEqual(res.json.errors.map((x) => x.field), fields, `${what}: fields of errors`);
  for (const x of res.json.errors) assert.ok(x.message.length > 3, `${what}: a message for ${x.field}`);
  return e;
}

test('check-ins: POST and PATCH name every invalid field at once, and save nothing', T, async () => {
  const u = await srv.signUp('erc');
  const bad = { mood: 0, connection: 11, appreciation: 'x'.repeat(4001), visibility: 'everyone' };
  const r = await srv.api('POST', '/api/v1/checkins', { token: u.token, body: bad });
  assertFields(r, ['mood', 'connection', 'secure', 'appreciation', 'visibility'], 'POST /checkins');
  const types = await srv.api('POST', '/api/v1/checkins', {
    token: u.token, body: { mood: 'good', connection: 2.5, secure: 3, need: 7, visibility: 'partner' },
  });
  assertFields(types, ['mood', 'connection', 'need'], 'POST /checkins with wrong types');
  const list = await srv.api('GET', '/api/v1/checkins?author=me', { token: u.token });
  assert.equal(list.json.items.length, 0, 'nothing saved');

  const ok = await srv.api('POST', '/api/v1/checkins', {
    token: u.token, body: { mood: 3, connection: 5, secure: 5, visibility: 'private' },
  });
  assert.equal(ok.status, 201, ok.text);
  const p = await srv.api('PATCH', `/api/v1/checkins/${ok.json.id}`, {
    token: u.token, body: { mood: 9, secure: -1, worry: 'y'.repeat(4001) },
  });
  assertFields(p, ['mood', 'secure', 'worry'], 'PATCH /checkins/{id}');
  const again = await srv.api('GET', `/api/v1/checkins/${ok.json.id}`, { token: u.token });
  assert.equal(again.json.mood, 3, 'unchanged');
});

test('agreements and their reviews: every invalid field at once', T, async () => {
  const u = await srv.signUp('era');
  const r = await srv.api('POST', '/api/v1/agreements', { token: u.token, body: { text: '  ', review_every_days: 91 } });
  assertFields(r, ['text', 'review_every_days'], 'POST /agreements');
  const g = await srv.api('POST', '/api/v1/agreements', { token: u.token, body: { text: 'Walk on Sundays' } });
  assert.equal(g.status, 201, g.text);
  const rv = await srv.api('POST', `/api/v1/agreements/${g.json.id}/reviews`, {
    token: u.token, body: { outcome: 'perfect', note: 'n'.repeat(4001) },
  });
  assertFields(rv, ['outcome', 'note'], 'POST /agreements/{id}/reviews');
});

test('repairs: the title and the date at once; a side with every fault at once', T, async () => {
  const u = await srv.signUp('err');
  const r = await srv.api('POST', '/api/v1/repairs', { token: u.token, body: { title: '', occurred_on: '30.11.2026' } });
  assertFields(r, ['title', 'occurred_on'], 'POST /repairs');
  const rp = await srv.api('POST', '/api/v1/repairs', { token: u.token, body: { title: 'The dishes' } });
  assert.equal(rp.status, 201, rp.text);
  const side = await srv.api('PUT', `/api/v1/repairs/${rp.json.id}/mine`, {
    token: u.token,
    body: { feelings: ['not-a-feeling'], perspective: 'p'.repeat(4001), touched: 't', my_part: 'm'.repeat(4001), next_time: '' },
  });
  assertFields(side, ['feelings', 'perspective', 'my_part'], 'PUT /repairs/{id}/mine');
});

test('questionnaires: "answers" first, then every unanswered or out-of-range item by its id', T, async () => {
  const u = await srv.signUp('erq');
  const list = await srv.api('GET', '/api/v1/questionnaires', { token: u.token });
  const q = (await srv.api('GET', `/api/v1/questionnaires/${list.json.items[0].id}`, { token: u.token })).json;
  const answers = {};
  for (const it of q.items) answers[it.id] = it.min;
  delete answers[q.items[0].id];
  answers[q.items[1].id] = q.items[1].max + 1;
  const r = await srv.api('POST', `/api/v1/questionnaires/${q.id}/responses`, { token: u.token, body: { answers } });
  assertFields(r, ['answers', q.items[0].id, q.items[1].id], 'POST responses');
});

test('sign-up: every missing or invalid field at once', T, async () => {
  const missing = await srv.api('POST', '/api/v1/accounts', { body: { password: 7 } });
  assertFields(missing, ['username', 'password', 'display_name'], 'POST /accounts without fields');
  const bad = await srv.api('POST', '/api/v1/accounts', { body: { username: 'A!', password: 'short', display_name: '' } });
  assertFields(bad, ['username', 'password', 'display_name'], 'POST /accounts with bad fields');
});

test('articles: the title and the body at once; single-field inputs list their one fault', T, async () => {
  const author = await addRoleUser(srv, 'erart', 'therapist');
  const r = await srv.api('POST', '/api/v1/articles', {
    token: author.token, body: { title: ' ', body_markdown: 'b'.repeat(60001), publish: false },
  });
  assertFields(r, ['title', 'body_markdown'], 'POST /articles');
  const u = await srv.signUp('ers');
  const today = await srv.api('GET', '/api/v1/prompts/today', { token: u.token });
  assert.equal(today.status, 200, today.text);
  const a = await srv.api('POST', `/api/v1/prompts/${today.json.id}/answer`, { token: u.token, body: { text: ' ' } });
  assertFields(a, ['text'], 'POST /prompts/{id}/answer');
});
