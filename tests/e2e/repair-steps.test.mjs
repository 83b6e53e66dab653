// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Repair steps after the reveal (issue 14, API.md "Compassion protocols"): heard, my_part,
// next_time. Each is a draft for its author until submitted, then shown to the partner, who
// answers heard and my_part (and may change the answer). Before the reveal: 409 not_revealed.
// A solo repair keeps the steps privately once its side is finished, without answers. A
// partner's draft never reaches any answer (checked on the raw response text), others' repairs
// are 404, every invalid field is named at once, and the steps reach the timeline, the export
// and the home ("repair_step"). Leaving takes one's steps along, without answers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, TEST_TIMEOUT, RFC3339_UTC, assertError, assertJsonType } from './lib/server.mjs';
import { firstFeeling, revealedRepair } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const mark = (tag) => `${tag}${crypto.randomBytes(10).toString('hex')}`;
const STEPS = ['heard', 'my_part', 'next_time'];

let srv;
let WORD;

before(async () => {
  srv = await startServer();
  WORD = await firstFeeling(srv);
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

const side = (m) => ({ feelings: [WORD], perspective: `perspective ${m}` });
const path = (id, step, tail = '') => `/api/v1/repairs/${id}/steps/${step}${tail}`;

/** A shared repair of the couple, both sides written and, unless submit is false, submitted (revealed). */
const revealed = (c, opts) => revealedRepair(srv, c, () => side(mark('s')), opts);

const steps = async (who, id) => (await srv.ok(who, 'GET', `/api/v1/repairs/${id}`)).steps;

test('GET /repairs/{id} carries steps: each {mine, partner, answer}, null until written', T, async () => {
  const c = await srv.makeCouple('rsg');
  const id = await revealed(c, { submit: false });
  const r = await srv.call(c.a, 'GET', `/api/v1/repairs/${id}`);
  assert.equal(r.status, 200);
  assertJsonType(r);
  assert.deepEqual(Object.keys(r.json.steps).sort(), [...STEPS].sort());
  for (const s of STEPS) assert.deepEqual(r.json.steps[s], { mine: null, partner: null, answer: null });
});

test('before the reveal every step is 409 not_revealed; the sides stay as they were', T, async () => {
  const c = await srv.makeCouple('rsb');
  const id = await revealed(c, { submit: false });
  await srv.ok(c.a, 'POST', `/api/v1/repairs/${id}/mine/submit`);
  for (const s of STEPS) {
    assertError(await srv.call(c.a, 'PUT', path(id, s), { text: 'too early' }), 409, 'not_revealed', undefined, `PUT ${s}`);
    assertError(await srv.call(c.b, 'POST', path(id, s, '/submit')), 409, 'not_revealed', undefined, `submit ${s}`);
  }
  assertError(await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' }), 409, 'not_revealed');
  assert.equal((await srv.ok(c.a, 'GET', `/api/v1/repairs/${id}`)).state, 'open');
});

test('a draft is the author\'s alone (raw text); submitted, the partner reads it; once only', T, async () => {
  const c = await srv.makeCouple('rsd');
  const id = await revealed(c);
  const m = mark('heard');
  let r = await srv.call(c.a, 'PUT', path(id, 'heard'), { text: `I heard ${m}` });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, id, 'answers the repair');
  const mine = r.json.steps.heard.mine;
  assert.equal(mine.text, `I heard ${m}`);
  assert.equal(mine.submitted, false);
  assert.equal(mine.submitted_at, null);
  assert.match(mine.updated_at, RFC3339_UTC);
  assert.equal(mine.answer, null);
  // The partner sees nothing of the draft, anywhere it could show.
  for (const p of [`/api/v1/repairs/${id}`, '/api/v1/repairs', '/api/v1/timeline', '/api/v1/home', '/api/v1/me/export']) {
    const raw = await srv.call(c.b, 'GET', p);
    assert.ok(!raw.text.includes(m), `${p} shows the partner's draft`);
  }
  assert.equal((await steps(c.b, id)).heard.partner, null);
  // A second draft replaces the first.
  const m2 = mark('heard2');
  await srv.ok(c.a, 'PUT', path(id, 'heard'), { text: `I heard ${m2}` });
  r = await srv.call(c.a, 'POST', path(id, 'heard', '/submit'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.steps.heard.mine.submitted, true);
  assert.match(r.json.steps.heard.mine.submitted_at, RFC3339_UTC);
  const theirs = (await steps(c.b, id)).heard;
  assert.equal(theirs.partner.text, `I heard ${m2}`);
  assert.match(theirs.partner.submitted_at, RFC3339_UTC);
  assert.equal(theirs.mine, null);
  assert.equal(theirs.answer, null);
  // Once shared, it cannot change, nor be shared again.
  assertError(await srv.call(c.a, 'POST', path(id, 'heard', '/submit')), 409, 'already_submitted');
  assertError(await srv.call(c.a, 'PUT', path(id, 'heard'), { text: 'changed' }), 409, 'already_submitted');
  assert.equal((await steps(c.b, id)).heard.partner.text, `I heard ${m2}`);
  // Steps are independent: my_part is still to write.
  assert.equal((await steps(c.a, id)).my_part.mine, null);
});

test('validation: text 1..2000 characters, all invalid fields at once, unknown steps 404', T, async () => {
  const c = await srv.makeCouple('rsv');
  const id = await revealed(c);
  assertError(await srv.call(c.a, 'PUT', path(id, 'heard'), { text: '   ' }), 400, 'invalid_input', 'text');
  assertError(await srv.call(c.a, 'PUT', path(id, 'heard'), {}), 400, 'invalid_input', 'text');
  assertError(await srv.call(c.a, 'PUT', path(id, 'heard'), { text: 'x'.repeat(2001) }), 400, 'invalid_input', 'text');
  assertError(await srv.call(c.a, 'PUT', path(id, 'heard'), { text: 42 }), 400, 'invalid_input', 'text');
  assert.equal((await srv.call(c.a, 'PUT', path(id, 'heard'), { text: 'é'.repeat(2000) })).status, 200, '2000 characters fit');
  // Sharing without a draft.
  assertError(await srv.call(c.a, 'POST', path(id, 'my_part', '/submit')), 400, 'invalid_input', 'text');
  for (const bad of ['review', 'feelings', 'HEARD']) {
    assertError(await srv.call(c.a, 'PUT', path(id, bad), { text: 'x' }), 404, 'not_found', undefined, bad);
    assertError(await srv.call(c.a, 'POST', path(id, bad, '/submit')), 404, 'not_found', undefined, bad);
  }
  // next_time takes no answers: the route does not exist (404 from the router, whatever the method).
  assert.equal((await srv.call(c.b, 'POST', path(id, 'next_time', '/answer'), { answer: 'yes' })).status, 404);
  // Answers: every invalid field at once.
  await srv.ok(c.a, 'POST', path(id, 'heard', '/submit'));
  const r = await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), { answer: 'accept', note: 'n'.repeat(2001) });
  assertError(r, 400, 'invalid_input', 'answer');
  assert.deepEqual(r.json.errors.map((e) => e.field), ['answer', 'note']);
  assertError(await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), {}), 400, 'invalid_input', 'answer');
  assertError(await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), { answer: true }), 400, 'invalid_input', 'answer');
  // Wrong types in both fields: both named at once too.
  const typed = await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), { answer: true, note: 5 });
  assertError(typed, 400, 'invalid_input', 'answer');
  assert.deepEqual(typed.json.errors.map((e) => e.field), ['answer', 'note']);
});

test('answers: only the other partner, only once shared, changeable; still_need needs its note', T, async () => {
  const c = await srv.makeCouple('rsa');
  const id = await revealed(c);
  await srv.ok(c.a, 'PUT', path(id, 'heard'), { text: 'what I heard' });
  // Not shared yet: nothing to answer.
  assertError(await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' }), 409, 'not_submitted');
  await srv.ok(c.a, 'POST', path(id, 'heard', '/submit'));
  // The author cannot answer their own step (the partner has shared none).
  assertError(await srv.call(c.a, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' }), 409, 'not_submitted');
  let r = await srv.call(c.b, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.steps.heard.answer.answer, 'yes');
  assert.equal(r.json.steps.heard.answer.note, null);
  assert.match(r.json.steps.heard.answer.answered_at, RFC3339_UTC);
  let a = (await steps(c.a, id)).heard.mine.answer;
  assert.equal(a.answer, 'yes');
  // B changes the answer, with a note.
  const note = mark('note');
  await srv.ok(c.b, 'POST', path(id, 'heard', '/answer'), { answer: 'not_quite', note: `almost, ${note}` });
  a = (await steps(c.a, id)).heard.mine.answer;
  assert.deepEqual([a.answer, a.note], ['not_quite', `almost, ${note}`]);
  // my_part: accept, not_ready, still_need (with a note).
  await srv.ok(c.a, 'PUT', path(id, 'my_part'), { text: 'I regret raising my voice' });
  await srv.ok(c.a, 'POST', path(id, 'my_part', '/submit'));
  assertError(await srv.call(c.b, 'POST', path(id, 'my_part', '/answer'), { answer: 'yes' }), 400, 'invalid_input', 'answer');
  assertError(await srv.call(c.b, 'POST', path(id, 'my_part', '/answer'), { answer: 'still_need' }), 400, 'invalid_input', 'note');
  for (const ans of ['not_ready', 'accept']) {
    await srv.ok(c.b, 'POST', path(id, 'my_part', '/answer'), { answer: ans });
    assert.equal((await steps(c.a, id)).my_part.mine.answer.answer, ans);
  }
  await srv.ok(c.b, 'POST', path(id, 'my_part', '/answer'), { answer: 'still_need', note: 'a walk together first' });
  a = (await steps(c.a, id)).my_part.mine.answer;
  assert.deepEqual([a.answer, a.note], ['still_need', 'a walk together first']);
  // Both may take every step; a resolved repair too.
  for (const who of [c.a, c.b]) await srv.ok(who, 'POST', `/api/v1/repairs/${id}/acknowledge`, {});
  await srv.ok(c.b, 'PUT', path(id, 'heard'), { text: 'what B heard' });
  await srv.ok(c.b, 'POST', path(id, 'heard', '/submit'));
  await srv.ok(c.a, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' });
  const s = await steps(c.b, id);
  assert.equal(s.heard.mine.answer.answer, 'yes');
  assert.equal(s.heard.answer.answer, 'not_quite', 'B\'s own answer to A\'s step');
});

test('next_time becomes an agreement through POST /agreements with repair_id', T, async () => {
  const c = await srv.makeCouple('rsn');
  const id = await revealed(c);
  await srv.ok(c.a, 'PUT', path(id, 'next_time'), { text: 'I will ask before I assume' });
  await srv.ok(c.a, 'POST', path(id, 'next_time', '/submit'));
  const text = (await steps(c.a, id)).next_time.mine.text;
  const g = await srv.ok(c.a, 'POST', '/api/v1/agreements', { text, repair_id: id }, 201);
  assert.equal(g.repair_id, id);
  assert.equal(g.text, text);
});

test('solo: the steps open once the reflection is finished, privately, without answers', T, async () => {
  const me = await srv.signUp('rss');
  const rep = await srv.ok(me, 'POST', '/api/v1/repairs', { title: 'alone with it' }, 201);
  assert.equal(rep.solo, true);
  await srv.ok(me, 'PUT', `/api/v1/repairs/${rep.id}/mine`, side('solo'));
  assertError(await srv.call(me, 'PUT', path(rep.id, 'heard'), { text: 'early' }), 409, 'not_revealed');
  await srv.ok(me, 'POST', `/api/v1/repairs/${rep.id}/mine/submit`);
  for (const s of STEPS) {
    await srv.ok(me, 'PUT', path(rep.id, s), { text: `solo ${s}` });
    const r = await srv.ok(me, 'POST', path(rep.id, s, '/submit'));
    assert.equal(r.steps[s].mine.submitted, true);
  }
  assertError(await srv.call(me, 'POST', path(rep.id, 'heard', '/answer'), { answer: 'yes' }), 409, 'not_submitted');
  const other = await srv.signUp('rso');
  for (const [m, p, body] of [['GET', `/api/v1/repairs/${rep.id}`], ['PUT', path(rep.id, 'heard'), { text: 'x' }],
    ['POST', path(rep.id, 'heard', '/submit')], ['POST', path(rep.id, 'heard', '/answer'), { answer: 'yes' }]]) {
    assertError(await srv.call(other, m, p, body), 404, 'not_found', undefined, `${m} ${p}`);
  }
});

test('others\' repairs are 404 for every step route', T, async () => {
  const c = await srv.makeCouple('rso');
  const id = await revealed(c);
  await srv.ok(c.a, 'PUT', path(id, 'heard'), { text: 'mine' });
  await srv.ok(c.a, 'POST', path(id, 'heard', '/submit'));
  const out = await srv.signUp('rsout');
  await srv.ok(out, 'POST', '/api/v1/spaces', undefined, 201);
  for (const [m, p, body] of [['PUT', path(id, 'my_part'), { text: 'x' }], ['POST', path(id, 'my_part', '/submit')],
    ['POST', path(id, 'heard', '/answer'), { answer: 'yes' }], ['POST', path(id, 'my_part', '/answer'), { answer: 'accept' }]]) {
    assertError(await srv.call(out, m, p, body), 404, 'not_found', undefined, `${m} ${p}`);
  }
  assertError(await srv.call(out, 'PUT', '/api/v1/repairs/nosuchrepair0000000000000/steps/heard', { text: 'x' }), 404, 'not_found');
});

test('timeline, export and the home card', T, async () => {
  const c = await srv.makeCouple('rst');
  const home = async (who) => (await srv.ok(who, 'GET', '/api/v1/home')).items;
  const id = await revealed(c);
  for (const who of [c.a, c.b]) await srv.ok(who, 'POST', `/api/v1/repairs/${id}/acknowledge`, {});
  for (const who of [c.a, c.b]) {
    for (const it of await home(who)) await srv.ok(who, 'POST', '/api/v1/home/dismiss', { kind: it.kind, id: it.id }, 204);
  }
  const draft = mark('draft');
  await srv.ok(c.a, 'PUT', path(id, 'heard'), { text: `heard ${draft}` });
  assert.deepEqual(await home(c.b), [], 'a draft makes no card');
  const shared = mark('shared');
  await srv.ok(c.a, 'PUT', path(id, 'heard'), { text: `heard ${shared}` });
  await srv.ok(c.a, 'POST', path(id, 'heard', '/submit'));
  let items = await home(c.b);
  assert.deepEqual(items.map((i) => [i.kind, i.id, i.href]), [['repair_step', id, `/repairs/${id}/steps/heard`]]);
  assert.deepEqual(await home(c.a), [], 'nothing waits for the author');
  // Answered: the card goes; a shared next_time makes one until set aside.
  await srv.ok(c.b, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' });
  assert.deepEqual(await home(c.b), []);
  await srv.ok(c.a, 'PUT', path(id, 'next_time'), { text: 'I will pause first' });
  await srv.ok(c.a, 'POST', path(id, 'next_time', '/submit'));
  items = await home(c.b);
  assert.deepEqual(items.map((i) => [i.kind, i.href]), [['repair_step', `/repairs/${id}/steps/next_time`]]);
  await srv.ok(c.b, 'POST', '/api/v1/home/dismiss', { kind: 'repair_step', id }, 204);
  assert.deepEqual(await home(c.b), []);
  // The timeline: shared steps, the partner's too, never a draft.
  await srv.ok(c.b, 'PUT', path(id, 'my_part'), { text: `B's draft ${draft}` });
  for (const [who, me, partner] of [[c.a, 'me', null], [c.b, null, 'partner']]) {
    const tl = await srv.call(who, 'GET', '/api/v1/timeline');
    assert.equal(tl.status, 200);
    const st = tl.json.items.filter((i) => i.type === 'repair_step');
    assert.deepEqual(st.map((i) => [i.step, i.who, i.repair_id]).sort(),
      [['heard', me || partner, id], ['next_time', me || partner, id]].sort());
    assert.ok(st.find((i) => i.step === 'heard').text.includes(shared));
    assert.ok(!tl.text.includes(draft) || who === c.b, 'no draft of the partner in the timeline');
  }
  const tlA = await srv.call(c.a, 'GET', '/api/v1/timeline');
  assert.ok(!tlA.text.includes(draft), 'B\'s draft is not in A\'s timeline');
  // The export: my steps (drafts too) and my answers, never the partner's texts.
  await srv.call(c.a, 'POST', '/api/v1/sessions/current/reauth', { password: c.a.password });
  await srv.call(c.b, 'POST', '/api/v1/sessions/current/reauth', { password: c.b.password });
  const exA = await srv.ok(c.a, 'GET', '/api/v1/me/export');
  const repA = exA.repairs.find((r) => r.id === id);
  assert.deepEqual(repA.my_steps.map((s) => s.step), ['heard', 'next_time']);
  assert.deepEqual(repA.my_answers, []);
  const exB = await srv.call(c.b, 'GET', '/api/v1/me/export');
  assert.equal(exB.status, 200, exB.text);
  const repB = exB.json.repairs.find((r) => r.id === id);
  assert.deepEqual(repB.my_steps.map((s) => [s.step, s.submitted_at]), [['my_part', null]]);
  assert.deepEqual(repB.my_answers.map((x) => [x.step, x.answer]), [['heard', 'yes']]);
  assert.ok(!exB.text.includes(shared), 'the partner\'s step is not in my export');
});

test('leaving takes one\'s steps along, privately and without answers; the partner keeps theirs', T, async () => {
  const c = await srv.makeCouple('rsl');
  const id = await revealed(c);
  for (const [who, other] of [[c.a, c.b], [c.b, c.a]]) {
    await srv.ok(who, 'PUT', path(id, 'heard'), { text: `heard by ${who.username}` });
    await srv.ok(who, 'POST', path(id, 'heard', '/submit'));
    await srv.ok(other, 'POST', path(id, 'heard', '/answer'), { answer: 'yes' });
  }
  await srv.ok(c.a, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  const a = await srv.ok(c.a, 'GET', `/api/v1/repairs/${id}`);
  assert.equal(a.solo, true);
  assert.equal(a.steps.heard.mine.text, `heard by ${c.a.username}`);
  assert.equal(a.steps.heard.mine.answer, null, 'the partner\'s answer stays behind');
  assert.equal(a.steps.heard.partner, null);
  const b = await srv.ok(c.b, 'GET', `/api/v1/repairs/${id}`);
  assert.equal(b.steps.heard.mine.text, `heard by ${c.b.username}`);
  assert.equal(b.steps.heard.mine.answer, null, 'the leaver\'s answer leaves with them');
  assert.equal(b.steps.heard.partner, null, 'the leaver\'s step leaves with them');
});

test('deleting an account deletes its steps and its answers; the partner keeps their own steps', T, async () => {
  const c = await srv.makeCouple('rsx');
  const id = await revealed(c);
  for (const [who, other] of [[c.a, c.b], [c.b, c.a]]) {
    await srv.ok(who, 'PUT', path(id, 'heard'), { text: `heard by ${who.username}` });
    await srv.ok(who, 'POST', path(id, 'heard', '/submit'));
    await srv.ok(other, 'POST', path(id, 'heard', '/answer'), { answer: 'yes', note: `from ${other.username}` });
  }
  await srv.ok(c.a, 'PUT', path(id, 'my_part'), { text: 'a draft of a' });
  const r = await srv.call(c.a, 'DELETE', '/api/v1/me', { password: c.a.password });
  assert.equal(r.status, 204, r.text);
  const count = (where) => Number(srv.sql(`SELECT count(*) FROM repair_after_steps WHERE ${where}`));
  assert.equal(count(`author_id = '${c.a.id}' OR space_id = '${c.a.id}'`), 0, 'a\'s steps are gone');
  assert.equal(count(`answered_by = '${c.a.id}'`), 0, 'a\'s answers are gone');
  const b = await srv.ok(c.b, 'GET', `/api/v1/repairs/${id}`);
  assert.equal(b.steps.heard.mine.text, `heard by ${c.b.username}`);
  assert.equal(b.steps.heard.mine.answer, null);
  assert.equal(b.steps.heard.partner, null);
});
