// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Agreements both want (issue 14; API.md Growth and "Compassion protocols"):
//   POST /agreements in a couple's space -> status "proposed" until the partner says yes;
//   alone -> "active" at once (a personal intention).
//   POST /agreements/{id}/accept -> 200 active, next_review_on counted from the yes; the author: 409
//   not_yours_to_accept; not proposed: 409 not_proposed.
//   POST /agreements/{id}/discuss {note} -> 200, still proposed, the note shown to both (sealed at rest).
//   PATCH /agreements/{id} {status: active|paused|retired}: either partner pauses, resumes, retires; the author
//   cannot make a proposal active (409 not_yours_to_accept); pausing one that is not active: 409 not_active.
//   Looks back only on active agreements; a paused one is never due.
//   A partner who joins is asked about the intentions set before; a leave retires the proposals.
//   Home: agreement_proposed for the partner who answers, gone after a yes or a note.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, assertError, TEST_TIMEOUT, RFC3339_UTC } from './lib/server.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n) => crypto.randomBytes(n).toString('hex');
const todayUtc = () => new Date().toISOString().slice(0, 10);
function addDays(date, n) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const propose = (who, body) => srv.ok(who, 'POST', '/api/v1/agreements', body, 201);
const get = (who, id) => srv.ok(who, 'GET', `/api/v1/agreements/${id}`);
const homeKinds = async (who) => (await srv.ok(who, 'GET', '/api/v1/home')).items.map((i) => `${i.kind}:${i.id}`);

test('in a couple a new agreement is proposed; the partner says yes: active, looks back counted from the yes', T, async () => {
  const c = await srv.makeCouple('acy');
  const g = await propose(c.a, { text: `phones away at dinner ${hex(4)}`, review_every_days: 5 });
  assert.equal(g.status, 'proposed');
  assert.equal(g.accepted_by, null);
  assert.equal(g.accepted_at, null);
  assert.equal(g.discussion, null);
  assert.equal(g.review_due, false, 'a proposal is never due');
  // The proposal is made due on paper: still not due, and no look back yet.
  srv.sql(`UPDATE agreements SET next_review_on = '2020-01-01' WHERE id = '${g.id}'`);
  assert.equal((await get(c.b, g.id)).review_due, false, 'a proposal is never due for a look back');
  for (const who of [c.a, c.b]) {
    assertError(await srv.call(who, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' }), 409, 'conflict', undefined, 'review of a proposal');
  }
  // The author cannot answer their own proposal, in any of the three ways.
  assertError(await srv.call(c.a, 'POST', `/api/v1/agreements/${g.id}/accept`), 409, 'not_yours_to_accept', undefined, 'author accepts');
  assertError(await srv.call(c.a, 'POST', `/api/v1/agreements/${g.id}/discuss`, { note: 'hm' }), 409, 'not_yours_to_accept', undefined, 'author discusses');
  assertError(await srv.call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'active' }), 409, 'not_yours_to_accept', undefined, 'author PATCH active');
  assertError(await srv.call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'paused' }), 409, 'not_active', undefined, 'pause a proposal');
  assert.equal((await get(c.a, g.id)).status, 'proposed', 'nothing changed');

  const yes = await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/accept`);
  assert.equal(yes.status, 'active');
  assert.equal(yes.accepted_by, c.b.id);
  assert.match(yes.accepted_at, RFC3339_UTC);
  assert.equal(yes.next_review_on, addDays(todayUtc(), 5), 'looks back counted from the yes');
  assert.equal(yes.review_due, false);
  assert.deepEqual(await get(c.a, g.id), yes, 'both read the same');
  // Once active: no second yes; a look back by either.
  assertError(await srv.call(c.b, 'POST', `/api/v1/agreements/${g.id}/accept`), 409, 'not_proposed', undefined, 'accept twice');
  assertError(await srv.call(c.b, 'POST', `/api/v1/agreements/${g.id}/discuss`, { note: 'late' }), 409, 'not_proposed', undefined, 'discuss an active one');
  await srv.ok(c.a, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'partly' }, 201);
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' }, 201);
  // The partner's PATCH active on a proposal is a yes too.
  const h = await propose(c.b, { text: 'we say goodnight' });
  const viaPatch = await srv.ok(c.a, 'PATCH', `/api/v1/agreements/${h.id}`, { status: 'active' });
  assert.equal(viaPatch.status, 'active');
  assert.equal(viaPatch.accepted_by, c.a.id);
});

test('"Let\'s talk about it": a note both read, still proposed; the author may retire it or wait; a later yes clears it', T, async () => {
  const c = await srv.makeCouple('acd');
  const g = await propose(c.a, { text: 'we plan the weekend on Thursdays' });
  // Validation: the note is required, text, at most 4000 characters.
  for (const [body, what] of [[{}, 'none'], [{ note: '' }, 'empty'], [{ note: '  \n ' }, 'blank'], [{ note: 7 }, 'number'],
    [{ note: null }, 'null'], [{ note: 'x'.repeat(4001) }, 'too long']]) {
    assertError(await srv.call(c.b, 'POST', `/api/v1/agreements/${g.id}/discuss`, body), 400, 'invalid_input', 'note', `discuss ${what}`);
  }
  const note = `Thursdays are my late shift ${hex(4)}`;
  const d = await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/discuss`, { note });
  assert.equal(d.status, 'proposed');
  assert.equal(d.discussion.note, note);
  assert.equal(d.discussion.author_id, c.b.id);
  assert.match(d.discussion.created_at, RFC3339_UTC);
  assert.deepEqual((await get(c.a, g.id)).discussion, d.discussion, 'the author reads the note');
  // The note is in its writer's export, not in the author's; the author's export says the status.
  const exB = await srv.ok(c.b, 'GET', '/api/v1/me/export');
  assert.deepEqual(exB.agreement_notes, [{ agreement_id: g.id, note, created_at: d.discussion.created_at }]);
  const exA = await srv.ok(c.a, 'GET', '/api/v1/me/export');
  assert.deepEqual(exA.agreement_notes, []);
  assert.equal(exA.agreements.find((x) => x.id === g.id).status, 'proposed');
  // The timeline says the state as it is now.
  const tl = await srv.ok(c.a, 'GET', '/api/v1/timeline');
  assert.equal(tl.items.find((x) => x.id === g.id).state, 'proposed');
  // The note is sealed at rest.
  assert.equal(Number(srv.sql(`SELECT count(*) FROM agreement_answers WHERE discuss_note LIKE '%${note.slice(-8)}%'`)), 0);
  assert.equal(Number(srv.sql(`SELECT count(*) FROM agreement_answers WHERE agreement_id = '${g.id}' AND discuss_note IS NOT NULL`)), 1);
  // A second note replaces the first; the partner may still say yes later, which clears the note.
  const d2 = await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/discuss`, { note: 'and Sundays are better' });
  assert.equal(d2.discussion.note, 'and Sundays are better');
  const yes = await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/accept`);
  assert.equal(yes.status, 'active');
  assert.equal(yes.discussion, null);
  // Or the author retires one that was talked about; retired, it can be proposed again (proposed, not active).
  const k = await propose(c.a, { text: 'no screens in bed' });
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${k.id}/discuss`, { note: 'I read on my phone' });
  const r = await srv.ok(c.a, 'PATCH', `/api/v1/agreements/${k.id}`, { status: 'retired' });
  assert.equal(r.status, 'retired');
  assertError(await srv.call(c.b, 'POST', `/api/v1/agreements/${k.id}/accept`), 409, 'not_proposed', undefined, 'accept a retired one');
  const again = await srv.ok(c.a, 'PATCH', `/api/v1/agreements/${k.id}`, { status: 'active' });
  assert.equal(again.status, 'proposed', 'the author asks again rather than makes it active');
  // Unknown and outsiders: 404.
  const o = await srv.signUp('acdo');
  for (const [method, p, body] of [['POST', `/api/v1/agreements/${k.id}/accept`], ['POST', `/api/v1/agreements/${k.id}/discuss`, { note: 'x' }],
    ['POST', `/api/v1/agreements/${hex(16)}/accept`], ['POST', '/api/v1/agreements/not-an-id/discuss', { note: 'x' }]]) {
    assertError(await srv.call(o, method, p, body), 404, 'not_found', undefined, `${method} ${p}`);
  }
  assertError(await srv.call(null, 'POST', `/api/v1/agreements/${k.id}/accept`), 401, 'unauthenticated', undefined, 'anonymous');
});

test('pause and resume: either partner; a paused agreement is never due; resuming counts looks back from today', T, async () => {
  const c = await srv.makeCouple('acp');
  const g = await propose(c.a, { text: 'a walk after dinner', review_every_days: 3 });
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/accept`);
  const paused = await srv.ok(c.b, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'paused' });
  assert.equal(paused.status, 'paused');
  srv.sql(`UPDATE agreements SET next_review_on = '2020-01-01' WHERE id = '${g.id}'`);
  assert.equal((await get(c.a, g.id)).review_due, false, 'paused: not due');
  assert.ok(!(await homeKinds(c.a)).includes(`agreement_review_due:${g.id}`), 'no home card while paused');
  assertError(await srv.call(c.a, 'POST', `/api/v1/agreements/${g.id}/reviews`, { outcome: 'kept' }), 409, 'conflict', undefined, 'review while paused');
  const resumed = await srv.ok(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'active' });
  assert.equal(resumed.status, 'active');
  assert.equal(resumed.next_review_on, addDays(todayUtc(), 3));
  assert.equal(resumed.accepted_by, c.b.id, 'the yes stays');
  // Retire by the partner, and make active again by the author: both said yes once, so it is active again.
  assert.equal((await srv.ok(c.b, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'retired' })).status, 'retired');
  assertError(await srv.call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'paused' }), 409, 'not_active', undefined, 'pause a retired one');
  assert.equal((await srv.ok(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'active' })).status, 'active');
  for (const status of ['proposed', 'Paused', 'pause']) {
    assertError(await srv.call(c.a, 'PATCH', `/api/v1/agreements/${g.id}`, { status }), 400, 'invalid_input', 'status', `PATCH ${status}`);
  }
});

test('alone an agreement is a personal intention, active at once; a partner who joins is asked; a leave retires proposals', T, async () => {
  const a = await srv.signUp('aca');
  const b = await srv.signUp('acb');
  await srv.ok(a, 'POST', '/api/v1/spaces', undefined, 201);
  const mine = await propose(a, { text: 'I breathe before I answer' });
  assert.equal(mine.status, 'active', 'alone in the space: active at once');
  assert.equal(mine.accepted_by, null);
  const paused = await propose(a, { text: 'I write a gratitude line' });
  await srv.ok(a, 'PATCH', `/api/v1/agreements/${paused.id}`, { status: 'paused' });
  const retired = await propose(a, { text: 'an old one' });
  await srv.ok(a, 'PATCH', `/api/v1/agreements/${retired.id}`, { status: 'retired' });
  // Alone, the author may pause, resume, retire and take up again at will.
  const solo = await srv.signUp('acs');
  const s1 = await propose(solo, { text: 'I go to bed by eleven' });
  assert.equal(s1.status, 'active');
  await srv.ok(solo, 'PATCH', `/api/v1/agreements/${s1.id}`, { status: 'retired' });
  assert.equal((await srv.ok(solo, 'PATCH', `/api/v1/agreements/${s1.id}`, { status: 'active' })).status, 'active');
  assertError(await srv.call(solo, 'POST', `/api/v1/agreements/${s1.id}/accept`), 409, 'not_proposed', undefined, 'accept an intention');

  const inv = await srv.ok(a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  await srv.ok(b, 'POST', '/api/v1/spaces/join', { code: inv.code });
  // The new partner is asked about every living intention; nothing is a rule for them.
  assert.equal((await get(b, mine.id)).status, 'proposed');
  assert.equal((await get(b, paused.id)).status, 'proposed');
  assert.equal((await get(b, retired.id)).status, 'retired');
  const kinds = await homeKinds(b);
  assert.ok(kinds.includes(`agreement_proposed:${mine.id}`) && kinds.includes(`agreement_proposed:${paused.id}`), kinds.join());
  assert.ok(!(await homeKinds(a)).some((k) => k.startsWith('agreement_proposed')), 'never a card for the author');
  await srv.ok(b, 'POST', `/api/v1/agreements/${mine.id}/accept`);

  // A's open proposal and B's: the leave retires both (nobody is there to answer); the accepted one goes on.
  const open = await propose(a, { text: 'a question nobody answers' });
  const bOpen = await propose(b, { text: 'b asks too' });
  await srv.ok(b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  assert.equal((await get(a, open.id)).status, 'retired');
  assert.equal((await get(b, bOpen.id)).status, 'retired');
  const kept = await get(a, mine.id);
  assert.equal(kept.status, 'active', 'what both said yes to goes on for its author');
  assert.equal(kept.accepted_by, null, 'the leaver\'s answer left with them');
  // Alone again, a retired proposal comes back as the person's own intention.
  assert.equal((await srv.ok(a, 'PATCH', `/api/v1/agreements/${open.id}`, { status: 'active' })).status, 'active');
  assertError(await srv.call(a, 'GET', `/api/v1/agreements/${bOpen.id}`), 404, 'not_found', undefined, 'b\'s proposal went with b');
});

test('home: agreement_proposed waits for the partner who answers; a yes or a note takes it away', T, async () => {
  const c = await srv.makeCouple('ach');
  const g = await propose(c.a, { text: 'we hug before leaving' });
  const h = await propose(c.a, { text: 'we ask before planning' });
  const items = (await srv.ok(c.b, 'GET', '/api/v1/home')).items.filter((i) => i.kind === 'agreement_proposed');
  assert.deepEqual(items.map((i) => i.id).sort(), [g.id, h.id].sort());
  for (const i of items) {
    assert.equal(i.href, '/agreements');
    assert.match(i.since, RFC3339_UTC);
  }
  assert.ok(!(await homeKinds(c.a)).some((k) => k.startsWith('agreement_proposed')), 'not for the author');
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${g.id}/accept`);
  await srv.ok(c.b, 'POST', `/api/v1/agreements/${h.id}/discuss`, { note: 'after the holidays?' });
  assert.ok(!(await homeKinds(c.b)).some((k) => k.startsWith('agreement_proposed')), 'gone after a yes and a note');
  // Set aside like any card: a new proposal brings a card of its own.
  const k = await propose(c.a, { text: 'we cook together on Fridays' });
  assert.ok((await homeKinds(c.b)).includes(`agreement_proposed:${k.id}`));
  await srv.ok(c.b, 'POST', '/api/v1/home/dismiss', { kind: 'agreement_proposed', id: k.id }, 204);
  assert.ok(!(await homeKinds(c.b)).includes(`agreement_proposed:${k.id}`), 'set aside');
});
