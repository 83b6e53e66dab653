// SPDX-License-Identifier: AGPL-3.0-or-later
//
// A bridge between sessions (issue 13, API.md "Therapist practice"):
//   POST /bridge {text 1..1000, share_with_therapist?, share_with_partner?} -> 201 the item
//   GET /bridge -> {items: the caller's open items (author "me"), partner_items: the partner's open items shared
//                   with the partner (author "partner")}
//   PATCH /bridge/{id} (own only: text, the two shares) -> 200; DELETE /bridge/{id} -> 204; others' -> 404
//   GET /therapist/spaces/{id}/bridge[?state=all] -> items shared with the therapist by consenting partners
//   POST /therapist/spaces/{id}/bridge/{item}/talked-about -> 200; an item not shared or of a partner who does
//     not consent -> 404. A talked-about item leaves every list and stays in its author's timeline and export.
// Every therapist read is written to the couple's access log.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
let ther;
let other;
before(async () => {
  srv = await startServer();
  ther = await addRoleUser(srv, 'brt', 'therapist', { displayName: 'Dr Bridge' });
  other = await addRoleUser(srv, 'bro', 'therapist', { displayName: 'Dr Elsewhere' });
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

const add = (who, body, want = 201) => srv.ok(who, 'POST', '/api/v1/bridge', body, want);
const list = (who) => srv.ok(who, 'GET', '/api/v1/bridge', undefined, 200);
const tlist = (t, spaceId, q = '') => srv.ok(t, 'GET', `/api/v1/therapist/spaces/${spaceId}/bridge${q}`, undefined, 200);
const talked = (t, spaceId, id) => srv.call(t, 'POST', `/api/v1/therapist/spaces/${spaceId}/bridge/${id}/talked-about`);
const consent = (who, grant) => srv.ok(who, 'POST', '/api/v1/spaces/current/therapist/consent', { grant }, 200);

/** A couple with the therapist linked by a, b consenting too. */
async function linkedCouple(prefix) {
  const c = await srv.makeCouple(prefix);
  await linkTherapist(srv, ther, c.a);
  await consent(c.b, true);
  return c;
}

test('add, list, change and delete one\'s own items; the shape of an item', T, async () => {
  const c = await srv.makeCouple('bra');
  const it = await add(c.a, { text: 'How we talk about money' });
  assert.deepEqual(Object.keys(it).sort(), ['author', 'created_at', 'id', 'share_with_partner', 'share_with_therapist',
    'talked_about', 'talked_about_at', 'text', 'updated_at']);
  assert.equal(it.text, 'How we talk about money');
  assert.equal(it.author, 'me');
  assert.equal(it.share_with_therapist, false, 'private unless shared');
  assert.equal(it.share_with_partner, false);
  assert.equal(it.talked_about, false);
  assert.equal(it.talked_about_at, null);
  const second = await add(c.a, { text: 'The weekend that went well', share_with_therapist: true, share_with_partner: true });
  assert.equal(second.share_with_therapist, true);
  assert.equal(second.share_with_partner, true);

  let l = await list(c.a);
  assert.deepEqual(Object.keys(l).sort(), ['items', 'partner_items']);
  assert.deepEqual(l.items.map((x) => x.id), [it.id, second.id], 'oldest first');
  assert.deepEqual(l.partner_items, []);

  const changed = await srv.ok(c.a, 'PATCH', `/api/v1/bridge/${it.id}`, { share_with_therapist: true }, 200);
  assert.equal(changed.text, 'How we talk about money', 'a change of a share keeps the text');
  assert.equal(changed.share_with_therapist, true);
  assert.equal(changed.share_with_partner, false);
  const reworded = await srv.ok(c.a, 'PATCH', `/api/v1/bridge/${it.id}`, { text: 'How we talk about money, calmly' }, 200);
  assert.equal(reworded.text, 'How we talk about money, calmly');
  assert.equal(reworded.share_with_therapist, true, 'a change of the text keeps the shares');

  await srv.ok(c.a, 'DELETE', `/api/v1/bridge/${second.id}`, undefined, 204);
  l = await list(c.a);
  assert.deepEqual(l.items.map((x) => [x.id, x.text]), [[it.id, 'How we talk about money, calmly']]);
  assertError(await srv.call(c.a, 'DELETE', `/api/v1/bridge/${second.id}`), 404, 'not_found', undefined, 'deleted twice');
  assertError(await srv.call(c.a, 'PATCH', `/api/v1/bridge/${second.id}`, { text: 'x' }), 404, 'not_found', undefined, 'a deleted item');
  assertError(await srv.call(c.a, 'PATCH', '/api/v1/bridge/not-an-id', { text: 'x' }), 404, 'not_found', undefined, 'no such id');
});

test('every invalid field at once; 1000 characters fit, 1001 do not', T, async () => {
  const c = await srv.makeCouple('brv');
  let r = await srv.call(c.a, 'POST', '/api/v1/bridge', { share_with_therapist: 'yes', share_with_partner: 1 });
  assertError(r, 400, 'invalid_input', undefined, 'nothing but wrong types');
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['share_with_partner', 'share_with_therapist', 'text']);
  r = await srv.call(c.a, 'POST', '/api/v1/bridge', { text: '   ' });
  assertError(r, 400, 'invalid_input', 'text', 'a blank text');
  r = await srv.call(c.a, 'POST', '/api/v1/bridge', { text: 42 });
  assertError(r, 400, 'invalid_input', 'text', 'a number for a text');
  r = await srv.call(c.a, 'POST', '/api/v1/bridge', { text: 'é'.repeat(1001) });
  assertError(r, 400, 'invalid_input', 'text', '1001 characters');
  const ok = await add(c.a, { text: 'é'.repeat(1000) });
  assert.equal(ok.text.length, 1000);
  r = await srv.call(c.a, 'PATCH', `/api/v1/bridge/${ok.id}`, { text: '', share_with_partner: 'no' });
  assertError(r, 400, 'invalid_input', undefined, 'a change with two faults');
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['share_with_partner', 'text']);
  assert.equal((await list(c.a)).items[0].text, 'é'.repeat(1000), 'nothing changed');
});

test('the partner sees only what was shared with them, never changes it; an unshared item never reaches them', T, async () => {
  const c = await srv.makeCouple('brp');
  const shared = await add(c.a, { text: 'For both of us', share_with_partner: true });
  const therapistOnly = await add(c.a, { text: 'For the therapist only', share_with_therapist: true });
  const mine = await add(c.a, { text: 'Only mine' });
  const l = await list(c.b);
  assert.deepEqual(l.items, [], "b's own list is empty");
  assert.equal(l.partner_items.length, 1);
  assert.deepEqual(Object.keys(l.partner_items[0]).sort(), ['author', 'created_at', 'id', 'talked_about', 'text']);
  assert.equal(l.partner_items[0].id, shared.id);
  assert.equal(l.partner_items[0].author, 'partner');
  assert.equal(l.partner_items[0].text, 'For both of us');
  assert.ok(!JSON.stringify(l).includes('therapist only') && !JSON.stringify(l).includes('Only mine'), JSON.stringify(l));
  for (const it of [shared, therapistOnly, mine]) {
    assertError(await srv.call(c.b, 'PATCH', `/api/v1/bridge/${it.id}`, { text: 'taken over' }), 404, 'not_found', undefined, 'partner PATCH');
    assertError(await srv.call(c.b, 'DELETE', `/api/v1/bridge/${it.id}`), 404, 'not_found', undefined, 'partner DELETE');
  }
  // Sharing can be taken back.
  await srv.ok(c.a, 'PATCH', `/api/v1/bridge/${shared.id}`, { share_with_partner: false }, 200);
  assert.deepEqual((await list(c.b)).partner_items, []);
  assert.equal((await list(c.a)).items.length, 3);
});

test('the therapist sees shared items of consenting partners only; withdrawing consent hides everything', T, async () => {
  const c = await linkedCouple('brt');
  const a1 = await add(c.a, { text: 'A: shared with the therapist', share_with_therapist: true });
  await add(c.a, { text: 'A: kept to myself' });
  await add(c.a, { text: 'A: for my partner only', share_with_partner: true });
  const b1 = await add(c.b, { text: 'B: shared with the therapist', share_with_therapist: true });
  let l = await tlist(ther, c.spaceId);
  assert.deepEqual(l.items.map((x) => x.text), ['A: shared with the therapist', 'B: shared with the therapist']);
  assert.deepEqual(Object.keys(l.items[0]).sort(), ['author_id', 'created_at', 'display_name', 'id', 'talked_about',
    'talked_about_at', 'text']);
  assert.equal(l.items[0].author_id, c.a.id);
  assert.equal(l.items[0].display_name, c.a.display_name);
  assert.ok(!JSON.stringify(l).includes('myself') && !JSON.stringify(l).includes('partner only'), 'an unshared item reached the therapist');

  await consent(c.b, false);
  l = await tlist(ther, c.spaceId);
  assert.deepEqual(l.items.map((x) => x.id), [a1.id], 'nothing of b after b withdrew');
  assertError(await talked(ther, c.spaceId, b1.id), 404, 'not_found', undefined, 'an item of a partner who withdrew');
  await consent(c.a, false);
  assert.deepEqual((await tlist(ther, c.spaceId)).items, [], 'nothing at all once both withdrew');
  assert.deepEqual((await tlist(ther, c.spaceId, '?state=all')).items, []);
  assertError(await talked(ther, c.spaceId, a1.id), 404, 'not_found', undefined, 'after consent withdrawal');
  await consent(c.a, true);
  assert.deepEqual((await tlist(ther, c.spaceId)).items.map((x) => x.id), [a1.id], 'back once a consents again');

  // Every read is in the access log both partners read.
  const log = (await srv.ok(c.b, 'GET', '/api/v1/spaces/current/access-log?limit=100', undefined, 200)).items;
  assert.ok(log.filter((e) => e.what === 'viewed the list for the next session').length >= 4, JSON.stringify(log));
  assert.ok(log.some((e) => e.what === 'viewed the list for the next session, with what was talked about'), JSON.stringify(log));
  assertError(await srv.call(ther, 'GET', `/api/v1/therapist/spaces/${c.spaceId}/bridge?state=closed`), 400, 'invalid_input', 'state', 'an unknown state');
});

test('talked about: leaves both lists, stays in the writer\'s timeline and export (not the partner\'s)', T, async () => {
  const c = await linkedCouple('brk');
  const it = await add(c.a, { text: 'The argument about the holidays', share_with_therapist: true, share_with_partner: true });
  const unshared = await add(c.a, { text: 'Not for the therapist', share_with_partner: true });
  assertError(await talked(ther, c.spaceId, unshared.id), 404, 'not_found', undefined, 'an item not shared with the therapist');
  const r = await talked(ther, c.spaceId, it.id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, it.id);
  assert.equal(r.json.talked_about, true);
  assert.ok(r.json.talked_about_at);
  const again = await talked(ther, c.spaceId, it.id);
  assert.equal(again.status, 200, 'marking twice is fine');
  assert.equal(again.json.talked_about_at, r.json.talked_about_at, 'the first time stays');

  assert.deepEqual((await list(c.a)).items.map((x) => x.id), [unshared.id], "off a's list");
  assert.deepEqual((await list(c.b)).partner_items.map((x) => x.id), [unshared.id], "off b's view of a's list");
  assert.deepEqual((await tlist(ther, c.spaceId)).items, [], "off the therapist's open list");
  const all = await tlist(ther, c.spaceId, '?state=all');
  assert.deepEqual(all.items.map((x) => [x.id, x.talked_about]), [[it.id, true]], 'the talked-about one with ?state=all');

  const tlA = await srv.ok(c.a, 'GET', '/api/v1/timeline', undefined, 200);
  const entry = tlA.items.find((x) => x.type === 'bridge');
  assert.ok(entry, `a's timeline: ${JSON.stringify(tlA.items)}`);
  assert.equal(entry.id, it.id);
  assert.equal(entry.text, 'The argument about the holidays');
  assert.equal(entry.who, 'me');
  assert.equal(entry.at, r.json.talked_about_at);
  const tlB = await srv.ok(c.b, 'GET', '/api/v1/timeline', undefined, 200);
  assert.ok(!tlB.items.some((x) => x.type === 'bridge'), "not in b's timeline");

  const exp = await srv.ok(c.a, 'GET', '/api/v1/me/export', undefined, 200);
  assert.deepEqual(exp.bridge_items.map((x) => [x.text, x.talked_about_at]).sort(),
    [['Not for the therapist', null], ['The argument about the holidays', r.json.talked_about_at]].sort());
  const expB = await srv.ok(c.b, 'GET', '/api/v1/me/export', undefined, 200);
  assert.deepEqual(expB.bridge_items, [], "nothing of a's in b's export");

  // The author still owns it: they may delete it, and then it is gone from the timeline too.
  await srv.ok(c.a, 'DELETE', `/api/v1/bridge/${it.id}`, undefined, 204);
  assert.ok(!(await srv.ok(c.a, 'GET', '/api/v1/timeline', undefined, 200)).items.some((x) => x.type === 'bridge'));
});

test('who may not: another couple\'s therapist, an unlinked therapist, a partner, a member without a space, anonymous', T, async () => {
  const c = await linkedCouple('brw');
  const it = await add(c.a, { text: 'Shared with our therapist', share_with_therapist: true });
  const outsiders = await srv.makeCouple('brx');
  await linkTherapist(srv, other, outsiders.a); // the therapist of another couple
  const unlinked = await addRoleUser(srv, 'bru', 'therapist');
  const alone = await srv.signUp('brn'); // a member without a space
  for (const who of [other, unlinked, c.a, c.b, alone, outsiders.a]) {
    assertError(await srv.call(who, 'GET', `/api/v1/therapist/spaces/${c.spaceId}/bridge`), 404, 'not_found', undefined, `${who.username} reads`);
    assertError(await talked(who, c.spaceId, it.id), 404, 'not_found', undefined, `${who.username} marks`);
  }
  // The other couple's therapist, in their own space, cannot reach this item either.
  assertError(await talked(other, outsiders.spaceId, it.id), 404, 'not_found', undefined, 'through another space');
  assert.deepEqual((await tlist(other, outsiders.spaceId)).items, []);
  // Someone else's item is not theirs to change.
  for (const who of [other, unlinked, alone, outsiders.a]) {
    assertError(await srv.call(who, 'PATCH', `/api/v1/bridge/${it.id}`, { text: 'mine now' }), 404, 'not_found', undefined, `${who.username} PATCH`);
    assertError(await srv.call(who, 'DELETE', `/api/v1/bridge/${it.id}`), 404, 'not_found', undefined, `${who.username} DELETE`);
  }
  // Without a space there is no list.
  assertError(await srv.call(alone, 'GET', '/api/v1/bridge'), 404, 'not_found', undefined, 'GET without a space');
  assertError(await srv.call(alone, 'POST', '/api/v1/bridge', { text: 'hello' }), 404, 'not_found', undefined, 'POST without a space');
  for (const [m, p] of [['GET', '/api/v1/bridge'], ['POST', '/api/v1/bridge'], ['PATCH', `/api/v1/bridge/${it.id}`],
    ['DELETE', `/api/v1/bridge/${it.id}`], ['GET', `/api/v1/therapist/spaces/${c.spaceId}/bridge`],
    ['POST', `/api/v1/therapist/spaces/${c.spaceId}/bridge/${it.id}/talked-about`]]) {
    const r = await srv.api(m, p, { body: m === 'POST' || m === 'PATCH' ? { text: 'x' } : undefined });
    assertError(r, 401, 'unauthenticated', undefined, `anonymous ${m} ${p}`);
  }
  assert.equal((await list(c.a)).items[0].text, 'Shared with our therapist', 'untouched');
});

test('leaving the space: the leaver\'s items go along; the one who stays keeps theirs, shared with no new partner', T, async () => {
  const c = await linkedCouple('brl');
  await add(c.b, { text: 'Before I left', share_with_therapist: true, share_with_partner: true });
  const stays = await add(c.a, { text: 'Still ours to talk about', share_with_therapist: true, share_with_partner: true });
  assert.equal((await tlist(ther, c.spaceId)).items.length, 2);
  await srv.ok(c.b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  assert.deepEqual((await tlist(ther, c.spaceId)).items.map((x) => x.id), [stays.id], 'the therapist sees nothing of the leaver');
  const l = await list(c.a);
  assert.deepEqual(l.partner_items, [], 'nor does the one who stays');
  assert.deepEqual(l.items.map((x) => [x.id, x.share_with_therapist, x.share_with_partner]), [[stays.id, true, false]],
    'the one who stays keeps their item, shared with no partner any more');
  const exp = await srv.ok(c.b, 'GET', '/api/v1/me/export', undefined, 200);
  assert.deepEqual(exp.bridge_items.map((x) => x.text), ['Before I left'], 'the leaver keeps it in their export');
  assertError(await srv.call(c.b, 'GET', '/api/v1/bridge'), 404, 'not_found', undefined, 'the leaver has no space now');
  // A new partner sees nothing that was shared with the one before.
  const inv = await srv.ok(c.a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  const n = await srv.signUp('brm');
  await srv.ok(n, 'POST', '/api/v1/spaces/join', { code: inv.code }, 200);
  assert.deepEqual((await list(n)).partner_items, [], 'a new partner sees nothing shared before');
});

test('an account deleted takes its items along; 100 open items at most', T, async () => {
  const c = await srv.makeCouple('brd');
  for (let i = 0; i < 100; i++) await add(c.a, { text: `thing ${i}` });
  const full = await srv.call(c.a, 'POST', '/api/v1/bridge', { text: 'one more' });
  assertError(full, 409, 'bridge_full', undefined, 'the 101st open item');
  assert.equal((await list(c.a)).items.length, 100);
  await srv.ok(c.a, 'DELETE', '/api/v1/me', { password: c.a.password }, 204);
  assert.equal(Number(srv.sql(`SELECT count(*) FROM bridge_items WHERE author_id = '${c.a.id}'`)), 0);
});
