// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Spaces: create, invites, join, leave, and what leaving does to the
// visibility of check-ins (API.md: "Spaces").

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, assertJsonType, RFC3339_UTC, TEST_TIMEOUT } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); }, { timeout: TEST_TIMEOUT });
after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

const createSpace = (u) => srv.api('POST', '/api/v1/spaces', { token: u.token });
const invite = (u) => srv.api('POST', '/api/v1/spaces/current/invites', { token: u.token });
const join = (u, code) => srv.api('POST', '/api/v1/spaces/join', { token: u.token, body: { code } });
const leave = (u) => srv.api('POST', '/api/v1/spaces/current/leave', { token: u.token });
const me = async (u) => (await srv.api('GET', '/api/v1/me', { token: u.token })).json;
const checkin = async (u, visibility, note) => {
  const r = await srv.api('POST', '/api/v1/checkins', {
    token: u.token, body: { mood: 3, connection: 5, secure: 5, appreciation: note, visibility },
  });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
};
/** All check-in ids the user may list with ?author=WHO, across pages. */
async function listIds(u, who) {
  const ids = [];
  let q = `/api/v1/checkins?author=${who}&limit=100`;
  for (let i = 0; i < 50; i++) {
    const r = await srv.api('GET', q, { token: u.token });
    assert.equal(r.status, 200, `${q}: ${r.text}`);
    ids.push(...r.json.items.map((c) => c.id));
    if (r.json.next === null) return ids;
    q = `/api/v1/checkins?author=${who}&limit=100&before=${encodeURIComponent(r.json.next)}`;
  }
  throw new Error('too many pages');
}

describe('spaces', { timeout: TEST_TIMEOUT }, () => {
  let a; let b; let c; let d; let spaceId; let code1; let code2;

  before(async () => {
    a = await srv.signUp('spa', { displayName: 'Ada' });
    b = await srv.signUp('spb', { displayName: 'Bo' });
    c = await srv.signUp('spc', { displayName: 'Cy' });
    d = await srv.signUp('spd', { displayName: 'Di' });
  });

  test('POST /spaces → 201 {id}; a second one → 409 already_in_space', async () => {
    const r = await createSpace(a);
    assert.equal(r.status, 201, r.text);
    assertJsonType(r);
    assert.equal(typeof r.json.id, 'string');
    assert.ok(r.json.id.length > 0);
    spaceId = r.json.id;
    assertError(await createSpace(a), 409, 'already_in_space', undefined, 'second space');
    assert.equal((await me(a)).space.id, spaceId, 'still in the first space');
  });

  test('invites need a space: 4xx with the error shape when the caller has none', async () => {
    const r = await invite(c);
    assertError(r, [404, 409], undefined, undefined, 'invite without space');
  });

  test('POST /spaces/current/invites → 201 {code, expires_at} about 72 h ahead; codes differ', async () => {
    const r = await invite(a);
    assert.equal(r.status, 201, r.text);
    assertJsonType(r);
    assert.equal(typeof r.json.code, 'string');
    assert.ok(r.json.code.length >= 6, `code ${r.json.code} should not be guessable`);
    assert.match(r.json.expires_at, RFC3339_UTC);
    const ahead = Date.parse(r.json.expires_at) - Date.now();
    const h72 = 72 * 3600e3;
    assert.ok(Math.abs(ahead - h72) < 15 * 60e3, `expires_at ${r.json.expires_at} is ${ahead / 3600e3} h ahead, not 72 h`);
    code1 = r.json.code;
    const r2 = await invite(a);
    assert.equal(r2.status, 201, r2.text);
    code2 = r2.json.code;
    assert.notEqual(code1, code2);
  });

  test('join: unknown code → 404 not_found; malformed body → 400', async () => {
    assertError(await join(b, 'no-such-code-123456'), 404, 'not_found', undefined, 'unknown code');
    assertError(await join(b, ''), [400, 404], undefined, undefined, 'empty code');
    const r = await srv.api('POST', '/api/v1/spaces/join', { token: b.token, body: { code: 123 } });
    assertError(r, 400, 'invalid_input', 'code', 'numeric code');
    const r2 = await srv.api('POST', '/api/v1/spaces/join', { token: b.token, body: {} });
    assertError(r2, 400, 'invalid_input', 'code', 'missing code');
    assert.equal((await me(b)).space, null);
  });

  test('join: anonymous → 401', async () => {
    const r = await srv.api('POST', '/api/v1/spaces/join', { body: { code: code1 } });
    assertError(r, 401, 'unauthenticated');
  });

  test('join with a valid code → 200 {id}; the code is single use (404 when used again)', async () => {
    const r = await join(b, code1);
    assert.equal(r.status, 200, r.text);
    assertJsonType(r);
    assert.equal(r.json.id, spaceId);
    assert.equal((await me(b)).space.id, spaceId);
    assert.deepEqual((await me(a)).space.partner, { id: b.id, display_name: 'Bo' });
    assertError(await join(d, code1), 404, 'not_found', undefined, 'used code by another person');
    assert.equal((await me(d)).space, null);
  });

  test('409 already_in_space when a member of a space joins with a valid code of another space', async () => {
    const sp = await createSpace(d);
    assert.equal(sp.status, 201, sp.text);
    const inv = await invite(d);
    assert.equal(inv.status, 201, inv.text);
    assertError(await join(b, inv.json.code), 409, 'already_in_space', undefined, 'B joins D\'s space');
    assert.equal((await me(b)).space.id, spaceId, 'B stays where B was');
    assert.equal((await me(d)).space.partner, null, 'D still has no partner');
    // the refused attempt did not use up the code
    const c2 = await srv.signUp('spe');
    const j = await join(c2, inv.json.code);
    assert.equal(j.status, 200, `code must still be valid after a refused join: ${j.text}`);
  });

  // Issue 10 changed this: a join voids every pending code of the space (API.md "Additions"), so the older
  // code no longer finds the full space (it used to give 409 space_full); nobody gets in either way.
  test('a join voids the older code: a third person with it → 404 not_found; inviting in a full space → 409 space_full', async () => {
    assertError(await join(c, code2), 404, 'not_found', undefined, 'third person joins with a code voided by the join');
    assert.equal((await me(c)).space, null);
    assertError(await invite(a), 409, 'space_full', undefined, 'invite by A in full space');
    assertError(await invite(b), 409, 'space_full', undefined, 'invite by B in full space');
  });
});

describe('guessing invite codes', { timeout: TEST_TIMEOUT }, () => {
  test('wrong codes are counted: after 10 from one account, the next attempt → 429 rate_limited with Retry-After, even with a valid code', async () => {
    const host = await srv.signUp('gsh');
    const guesser = await srv.signUp('gsg');
    const bystander = await srv.signUp('gsb');
    assert.equal((await createSpace(host)).status, 201);
    const inv = await invite(host);
    assert.equal(inv.status, 201, inv.text);
    const real = inv.json.code;
    // Well-formed codes that are not the real one: its twelve characters rotated.
    const raw = real.replace(/-/g, '');
    const wrong = Array.from({ length: 10 }, (_, i) => raw.slice(i + 1) + raw.slice(0, i + 1))
      .map((w) => `${w.slice(0, 4)}-${w.slice(4, 8)}-${w.slice(8)}`);
    for (const [i, w] of wrong.entries()) assertError(await join(guesser, w), 404, 'not_found', undefined, `wrong code #${i + 1}`);
    for (const code of ['no-such-code-123456', real]) {
      const r = await join(guesser, code);
      assertError(r, 429, 'rate_limited', undefined, `attempt with ${code === real ? 'the valid' : 'another wrong'} code after 10 wrong ones`);
      const ra = r.headers.get('retry-after');
      assert.ok(/^\d+$/.test(ra || '') && Number(ra) >= 1 && Number(ra) <= 901, `Retry-After within the 15-minute window (rounded up): ${ra}`);
    }
    assert.equal((await me(guesser)).space, null, 'a throttled attempt joined the space');
    // The refused attempt did not use the code up, and it holds up nobody else.
    const j = await join(bystander, real);
    assert.equal(j.status, 200, `the valid code was used up by a throttled attempt, or another account is held up: ${j.text}`);
  });
});

describe('leaving a space', { timeout: TEST_TIMEOUT }, () => {
  test('leave → 204; leaving again is a 4xx with the error shape; without a space likewise', async () => {
    const { a, b, spaceId } = await srv.makeCouple('lv');
    const r = await leave(b);
    assert.equal(r.status, 204, r.text);
    assert.equal(r.text, '');
    assert.equal((await me(b)).space, null);
    const ma = await me(a);
    assert.equal(ma.space.id, spaceId, 'the one who stays keeps the space');
    assert.equal(ma.space.partner, null);
    assertError(await leave(b), [404, 409], undefined, undefined, 'leave twice');
    // the space has room again
    const inv = await invite(a);
    assert.equal(inv.status, 201, `invite after the partner left: ${inv.text}`);
    // the leaver may start over
    const sp = await createSpace(b);
    assert.equal(sp.status, 201, sp.text);
    assert.notEqual(sp.json.id, spaceId);
    // the creator may leave too, alone
    const ra = await leave(a);
    assert.equal(ra.status, 204, ra.text);
    assert.equal((await me(a)).space, null);
  });

  test('when the creator leaves, the partner keeps the space and can invite someone new', async () => {
    const { a, b, spaceId } = await srv.makeCouple('lc');
    assert.equal((await leave(a)).status, 204);
    assert.equal((await me(a)).space, null);
    const mb = await me(b);
    assert.equal(mb.space.id, spaceId);
    assert.equal(mb.space.partner, null);
    const inv = await invite(b);
    assert.equal(inv.status, 201, inv.text);
    const n = await srv.signUp('lcn');
    assert.equal((await join(n, inv.json.code)).status, 200);
    assert.equal((await me(b)).space.partner.id, n.id);
    // the old creator cannot come back with a used code, and gets no view into the space
    assertError(await join(a, inv.json.code), 404, 'not_found');
  });

  test('the leaver takes their items along; the partner keeps their own; nobody sees the other side any more', async () => {
    const { a, b } = await srv.makeCouple('lw');
    const aPartner = await checkin(a, 'partner', 'a partner');
    const aTher = await checkin(a, 'therapist', 'a therapist');
    const aPriv = await checkin(a, 'private', 'a private');
    const bPartner = await checkin(b, 'partner', 'b partner');
    const bTher = await checkin(b, 'therapist', 'b therapist');
    const bPriv = await checkin(b, 'private', 'b private');

    // before: each sees the other's shared items
    let ids = await listIds(a, 'partner');
    assert.deepEqual(new Set(ids), new Set([bPartner, bTher]));
    ids = await listIds(b, 'partner');
    assert.deepEqual(new Set(ids), new Set([aPartner, aTher]));

    assert.equal((await leave(b)).status, 204);

    // the leaver still has all own check-ins, with their content
    ids = await listIds(b, 'me');
    assert.deepEqual(new Set(ids), new Set([bPartner, bTher, bPriv]));
    const notes = { [bPartner]: 'b partner', [bTher]: 'b therapist', [bPriv]: 'b private' };
    for (const id of [bPartner, bTher, bPriv]) {
      const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: b.token });
      assert.equal(r.status, 200, `leaver reads own ${id}: ${r.text}`);
      assert.equal(r.json.author_id, b.id);
      assert.equal(r.json.appreciation, notes[id], 'the leaver can still read the text');
    }
    // and can still change them
    const pr = await srv.api('PATCH', `/api/v1/checkins/${bPartner}`, { token: b.token, body: { worry: 'after leaving' } });
    assert.equal(pr.status, 200, pr.text);
    assert.equal(pr.json.appreciation, 'b partner');
    assert.equal(pr.json.worry, 'after leaving');
    // the one who stays still reads their own texts
    for (const [id, note] of [[aPartner, 'a partner'], [aPriv, 'a private']]) {
      const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: a.token });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.appreciation, note);
    }
    // ... and no longer sees the partner's
    assert.deepEqual(await listIds(b, 'partner'), []);
    assert.deepEqual(new Set(await listIds(b, 'all')), new Set([bPartner, bTher, bPriv]));
    for (const id of [aPartner, aTher, aPriv]) {
      assertError(await srv.api('GET', `/api/v1/checkins/${id}`, { token: b.token }), 404, 'not_found', undefined, `leaver reads A's ${id}`);
    }
    // the partner keeps their own and no longer sees the leaver's
    assert.deepEqual(new Set(await listIds(a, 'me')), new Set([aPartner, aTher, aPriv]));
    assert.deepEqual(await listIds(a, 'partner'), []);
    assert.deepEqual(new Set(await listIds(a, 'all')), new Set([aPartner, aTher, aPriv]));
    for (const id of [bPartner, bTher, bPriv]) {
      assertError(await srv.api('GET', `/api/v1/checkins/${id}`, { token: a.token }), 404, 'not_found', undefined, `stayer reads B's ${id}`);
    }

    // the leaver's old items stay with the leaver alone, even in a new space
    const sp = await createSpace(b);
    assert.equal(sp.status, 201, sp.text);
    const inv = await invite(b);
    const n = await srv.signUp('lwn');
    assert.equal((await join(n, inv.json.code)).status, 200);
    assert.deepEqual(await listIds(n, 'partner'), [], 'the new partner must not see items written before they met');
    for (const id of [bPartner, bTher, bPriv]) {
      assertError(await srv.api('GET', `/api/v1/checkins/${id}`, { token: n.token }), 404, 'not_found', undefined, `new partner reads ${id}`);
    }
    // while new shared items are shared again
    const fresh = await checkin(b, 'partner', 'new era');
    assert.deepEqual(await listIds(n, 'partner'), [fresh]);
    const fr = await srv.api('GET', `/api/v1/checkins/${fresh}`, { token: n.token });
    assert.equal(fr.json.appreciation, 'new era');
    // and the leaver still reads the items from before, in the new space
    for (const [id, note] of Object.entries(notes)) {
      const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: b.token });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.appreciation, note, `old item ${id} in the new space`);
    }
  });
});

describe('races', { timeout: TEST_TIMEOUT }, () => {
  test('two people join with one code at the same time: exactly one gets in', async () => {
    const host = await srv.signUp('rch');
    const x = await srv.signUp('rcx');
    const y = await srv.signUp('rcy');
    assert.equal((await createSpace(host)).status, 201);
    const inv = await invite(host);
    assert.equal(inv.status, 201);
    const [rx, ry] = await Promise.all([join(x, inv.json.code), join(y, inv.json.code)]);
    const statuses = [rx.status, ry.status].sort();
    assert.equal(statuses[0], 200, `one join must succeed: ${rx.text} / ${ry.text}`);
    const loser = rx.status === 200 ? ry : rx;
    assertError(loser, [404, 409], loser.status === 404 ? 'not_found' : 'space_full', undefined, 'the other join');
    const spaces = [(await me(x)).space, (await me(y)).space].filter(Boolean);
    assert.equal(spaces.length, 1, 'exactly one of them is in the space');
    assert.ok((await me(host)).space.partner, 'the host has a partner');
  });

  test('creating spaces in parallel: exactly one 201, the others 409 already_in_space', async () => {
    const z = await srv.signUp('rcz');
    const rs = await Promise.all([0, 1, 2, 3].map(() => createSpace(z)));
    assert.deepEqual(rs.map((r) => r.status).sort(), [201, 409, 409, 409], rs.map((r) => r.text).join('\n'));
    for (const r of rs) if (r.status === 409) assertError(r, 409, 'already_in_space');
    assert.equal((await me(z)).space.id, rs.find((r) => r.status === 201).json.id);
  });
});
