// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Our cycle (issue 14, API.md "Compassion protocols"): each partner writes a
// side in private, a draft until submitted; the partner's side is null until
// both are submitted (checked on the RAW response text with a unique
// marker); the shared text, prefilled with a suggestion from both sides,
// editable by both with every version kept; validation (every invalid field
// at once); a person alone; the private check before writing (a worrying
// answer keeps the side private: it cannot be submitted, and the partner
// sees nothing); the therapist's read with per-partner consent and one
// access-log line per read; leaving the space; texts sealed at rest.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, TEST_TIMEOUT, RFC3339_UTC, assertError, assertJsonType } from './lib/server.mjs';
import { addRoleUser, cookieLogin, linkTherapist, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const mark = (tag) => `${tag}${crypto.randomBytes(10).toString('hex')}`;

let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

const side = (m) => ({ when_i_feel: `worried ${m}`, i_tend_to: `pursue ${m}`, i_long_for: `closeness ${m}` });
const getCycle = (who) => srv.ok(who, 'GET', '/api/v1/cycle');
const putMine = (who, body) => srv.ok(who, 'PUT', '/api/v1/cycle/mine', body);
const submit = (who) => srv.ok(who, 'POST', '/api/v1/cycle/mine/submit');

/** Everything `who` may read of the cycle, as raw text: a marker must not appear in it. */
async function readable(who) {
  const texts = [];
  for (const p of ['/api/v1/cycle', '/api/v1/me', '/api/v1/came-through', '/api/v1/timeline']) {
    const r = await srv.call(who, 'GET', p);
    texts.push(`${p}: ${r.text}`);
  }
  return texts.join('\n');
}

test('the reveal: drafts and submitted sides stay private until both are submitted', T, async () => {
  const { a, b } = await srv.makeCouple('cyc');
  const ma = mark('A'), mb = mark('B');
  let g = await getCycle(a);
  assert.deepEqual(Object.keys(g).sort(), ['history', 'mine', 'partner', 'private_only', 'shared', 'state']);
  assert.equal(g.state, 'empty');
  assert.equal(g.mine, null);
  assert.equal(g.partner, null);
  assert.equal(g.shared, null);
  assert.deepEqual(g.history, []);

  g = await putMine(a, side(ma));
  assert.equal(g.state, 'draft');
  assert.equal(g.mine.when_i_feel, `worried ${ma}`);
  assert.equal(g.mine.submitted, false);
  assert.equal(g.mine.submitted_at, null);
  assert.match(g.mine.updated_at, RFC3339_UTC);
  assert.ok(!(await readable(b)).includes(ma), 'a draft reaches the partner');

  // the shared text cannot be written before both have submitted
  assertError(await srv.call(a, 'PUT', '/api/v1/cycle/shared', { text: 'too soon' }), 409, 'not_revealed');

  g = await submit(a);
  assert.equal(g.state, 'waiting');
  assert.equal(g.mine.submitted, true);
  assert.match(g.mine.submitted_at, RFC3339_UTC);
  assert.equal(g.partner, null);
  // editable until submitted, then not
  assertError(await srv.call(a, 'PUT', '/api/v1/cycle/mine', side(mark('X'))), 409, 'already_submitted');
  assertError(await srv.call(a, 'POST', '/api/v1/cycle/mine/submit'), 409, 'already_submitted');
  assert.ok(!(await readable(b)).includes(ma), 'a submitted side reaches the partner before theirs');

  await putMine(b, side(mb));
  assert.ok(!(await readable(a)).includes(mb), "the partner's draft reaches the other");
  g = await getCycle(a);
  assert.equal(g.partner, null);

  const gb = await submit(b);
  assert.equal(gb.state, 'shared');
  assert.equal(gb.partner.when_i_feel, `worried ${ma}`);
  g = await getCycle(a);
  assert.equal(g.state, 'shared');
  assert.equal(g.partner.i_long_for, `closeness ${mb}`);
  // the suggestion: built from both sides, not stored, no author
  assert.equal(g.shared.suggested, true);
  assert.equal(g.shared.updated_at, null);
  for (const m of [ma, mb]) {
    assert.ok(g.shared.text.includes(`pursue ${m}`), g.shared.text);
    assert.ok(g.shared.text.includes(`closeness ${m}`), g.shared.text);
  }
  assert.ok(g.shared.text.includes('our cycle'), g.shared.text);
  assert.deepEqual(g.history, []);

  // both edit; every version is kept, newest first, with who and when
  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: 'When the worry rises, A pursues and B withdraws.' });
  const after2 = await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: 'When the worry rises, we both reach for safety.' });
  assert.equal(after2.shared.text, 'When the worry rises, we both reach for safety.');
  assert.equal(after2.shared.suggested, false);
  assert.equal(after2.shared.updated_by, b.id);
  assert.match(after2.shared.updated_at, RFC3339_UTC);
  g = await getCycle(a);
  assert.equal(g.history.length, 2);
  assert.deepEqual(g.history.map((h) => h.author_id), [b.id, a.id]);
  assert.equal(g.history[1].text, 'When the worry rises, A pursues and B withdraws.');
  for (const h of g.history) assert.match(h.at, RFC3339_UTC);
  assert.equal(g.shared.text, g.history[0].text);
});

test('validation: every invalid field at once, types, the shared text', T, async () => {
  const { a, b } = await srv.makeCouple('cyv');
  let r = await srv.call(a, 'PUT', '/api/v1/cycle/mine', { when_i_feel: '', i_tend_to: '   ', i_long_for: 'x'.repeat(501) });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(r.json.errors.map((e) => e.field), ['when_i_feel', 'i_tend_to', 'i_long_for']);
  r = await srv.call(a, 'PUT', '/api/v1/cycle/mine', {});
  assertError(r, 400, 'invalid_input');
  assert.equal(r.json.errors.length, 3);
  r = await srv.call(a, 'PUT', '/api/v1/cycle/mine', { when_i_feel: 5, i_tend_to: ['x'], i_long_for: 'fine' });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(r.json.errors.map((e) => e.field), ['when_i_feel', 'i_tend_to']);
  // 500 characters (not bytes) fit
  await putMine(a, { when_i_feel: 'é'.repeat(500), i_tend_to: 'go quiet', i_long_for: 'calm' });
  // the shared text
  await submit(a);
  await putMine(b, side(mark('B')));
  await submit(b);
  for (const body of [{}, { text: '' }, { text: ' \n ' }, { text: 'x'.repeat(4001) }, { text: 7 }]) {
    r = await srv.call(a, 'PUT', '/api/v1/cycle/shared', body);
    assertError(r, 400, 'invalid_input', 'text', JSON.stringify(body).slice(0, 40));
  }
  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: 'y'.repeat(4000) });
});

test('submit without a draft is refused and names the first field', T, async () => {
  const { a } = await srv.makeCouple('cyn');
  assertError(await srv.call(a, 'POST', '/api/v1/cycle/mine/submit'), 400, 'invalid_input', 'when_i_feel');
  assert.equal((await getCycle(a)).state, 'empty');
});

test('alone: one own side, private, no shared part', T, async () => {
  const solo = await srv.signUp('cysolo');
  const m = mark('S');
  let g = await putMine(solo, side(m));
  assert.equal(g.state, 'draft');
  // alone a side is never submitted: it would open to whoever joins later
  assertError(await srv.call(solo, 'POST', '/api/v1/cycle/mine/submit'), 409, 'no_partner');
  g = await getCycle(solo);
  assert.equal(g.state, 'draft');
  assert.equal(g.partner, null);
  assert.equal(g.shared, null);
  assertError(await srv.call(solo, 'PUT', '/api/v1/cycle/shared', { text: 'ours' }), 409, 'not_revealed');
  // a stranger in a couple sees nothing of it
  const { a } = await srv.makeCouple('cyst');
  assert.ok(!(await readable(a)).includes(m));
});

test('a worrying private check keeps the side private: never submitted, the partner told nothing', T, async () => {
  const { a, b } = await srv.makeCouple('cyp');
  const ma = mark('A'), mb = mark('B');
  await putMine(a, side(ma));
  await submit(a);
  const before = await getCycle(a);
  const sb = await cookieLogin(srv, b.username, b.password);
  // the page asks first
  let r = await page(srv, 'GET', '/cycle', { cookie: sb.cookie });
  assert.equal(r.status, 200);
  assert.match(r.text, /action="\/cycle\/safety"/);
  assert.doesNotMatch(r.text, /name="when_i_feel"/);
  r = await page(srv, 'POST', '/cycle/safety', { cookie: sb.cookie, form: { csrf: sb.csrf, afraid: '1' } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/safety?checked=1&cycle=1');
  r = await page(srv, 'GET', r.location, { cookie: sb.cookie });
  assert.match(r.text, /href="\/cycle">Continue privately/);
  let g = await getCycle(b);
  assert.equal(g.private_only, true);
  await putMine(b, side(mb));
  assertError(await srv.call(b, 'POST', '/api/v1/cycle/mine/submit'), 409, 'private_only');
  // the page's "share" saves and never shares
  r = await page(srv, 'POST', '/cycle/mine', { cookie: sb.cookie, form: { csrf: sb.csrf, action: 'share', ...side(mb) } });
  assert.equal(r.status, 303);
  r = await page(srv, 'GET', '/cycle', { cookie: sb.cookie });
  assert.match(r.text, /Take all the time you need/);
  assert.doesNotMatch(r.text, /value="share"/);
  g = await getCycle(b);
  assert.equal(g.state, 'draft');
  assert.equal(g.partner, null);
  // the partner: nothing changed, nothing of it readable
  const a2 = await getCycle(a);
  assert.deepEqual(a2, before);
  assert.ok(!(await readable(a)).includes(mb));
  const home = await srv.call(a, 'GET', '/api/v1/home');
  assert.ok(!home.text.includes(mb) && !/safety|afraid/i.test(home.text), home.text);
  // answering again, not worried: the side may be shared
  r = await page(srv, 'POST', '/cycle/safety', { cookie: sb.cookie, form: { csrf: sb.csrf } });
  assert.equal(r.location, '/cycle');
  g = await submit(b);
  assert.equal(g.state, 'shared');
});

test('the therapist: each side with its partner\'s consent, the shared text with both; one log line per read', T, async () => {
  const { a, b, spaceId } = await srv.makeCouple('cyt');
  const ther = await addRoleUser(srv, 'cyther', 'therapist');
  await linkTherapist(srv, ther, a); // the linker consents
  const url = `/api/v1/therapist/spaces/${spaceId}/cycle`;
  const log = async () => (await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log?limit=100')).items;
  const ma = mark('A'), mb = mark('B');
  await putMine(a, side(ma));
  await srv.ok(a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  // a draft: never
  let n0 = (await log()).length;
  let t = await srv.call(ther, 'GET', url);
  assert.equal(t.status, 200, t.text);
  assertJsonType(t);
  assert.deepEqual(t.json, { sides: [], shared: null, history: [] });
  assert.ok(!t.text.includes(ma));
  let l = await log();
  assert.equal(l.length, n0 + 1);
  assert.equal(l[0].what, 'looked at our cycle and found nothing shared');
  await submit(a);
  await putMine(b, side(mb));
  await submit(b);
  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: `ours ${ma}` });
  // only a consents: a's side, nothing of b's, no shared text
  t = await srv.ok(ther, 'GET', url);
  assert.equal(t.sides.length, 1);
  assert.equal(t.sides[0].author_id, a.id);
  assert.equal(t.sides[0].i_tend_to, `pursue ${ma}`);
  assert.equal(t.shared, null);
  assert.deepEqual(t.history, []);
  const raw = (await srv.call(ther, 'GET', url)).text;
  assert.ok(!raw.includes(mb), 'a side without consent reached the therapist');
  l = await log();
  assert.equal(l.length, n0 + 3);
  assert.equal(l[0].what, 'viewed our cycle: the side of a consenting partner');
  // both consent: both sides, the shared text and its history
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  t = await srv.ok(ther, 'GET', url);
  assert.equal(t.sides.length, 2);
  assert.equal(t.shared, `ours ${ma}`);
  assert.equal(t.history.length, 1);
  assert.equal(t.history[0].author_id, a.id);
  l = await log();
  assert.equal(l.length, n0 + 4);
  assert.equal(l[0].what, 'viewed our cycle: both sides and the shared text');
  // a withdraws: only b's side again
  await srv.ok(a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false });
  t = await srv.ok(ther, 'GET', url);
  assert.deepEqual(t.sides.map((x) => x.author_id), [b.id]);
  assert.equal(t.shared, null);
  // another therapist, a member, another space: 404
  const other = await addRoleUser(srv, 'cyth2', 'therapist');
  assertError(await srv.call(other, 'GET', url), 404, 'not_found');
  assertError(await srv.call(a, 'GET', url), 404, 'not_found');
});

test('leaving: each keeps their own side alone, out of the space; the shared text ends', T, async () => {
  const { a, b } = await srv.makeCouple('cyl');
  const ma = mark('A'), mb = mark('B');
  await putMine(a, side(ma));
  await submit(a);
  await putMine(b, side(mb));
  await submit(b);
  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: `ours ${ma}` });
  await srv.ok(a, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  const ga = await getCycle(a);
  assert.equal(ga.state, 'kept');
  assert.equal(ga.mine.when_i_feel, `worried ${ma}`);
  assert.equal(ga.partner, null);
  assert.equal(ga.shared, null);
  assert.ok(!(await readable(a)).includes(mb));
  // the one who stays starts afresh in the space: what they wrote for one partner never opens to another
  const gb = await getCycle(b);
  assert.equal(gb.state, 'empty');
  assert.equal(gb.partner, null);
  assert.equal(gb.shared, null);
  assert.equal(srv.sql(`SELECT count(*) FROM cycle_sides WHERE space_id = '${b.id}' AND author_id = '${b.id}'`), '1');
  assert.deepEqual(gb.history, []);
  assert.ok(!(await readable(b)).includes(ma));
  assert.equal(srv.sql(`SELECT count(*) FROM cycle_edits WHERE author_id = '${a.id}'`), '0');
});

test('at rest: every text of a side and of an edit is sealed', T, async () => {
  const { a, b } = await srv.makeCouple('cyr');
  const ma = mark('A'), mb = mark('B');
  await putMine(a, side(ma));
  await submit(a);
  await putMine(b, side(mb));
  await submit(b);
  await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: `ours ${mb}` });
  const rows = srv.sql(`SELECT when_i_feel || ' ' || i_tend_to || ' ' || i_long_for FROM cycle_sides WHERE author_id IN ('${a.id}', '${b.id}')`);
  const edits = srv.sql(`SELECT text FROM cycle_edits WHERE author_id = '${b.id}'`);
  for (const m of [ma, mb]) assert.ok(!rows.includes(m) && !edits.includes(m), 'a text in clear');
  for (const v of `${rows} ${edits}`.split(/\s+/).filter(Boolean)) assert.match(v, /^v1:/);
});

test('deleting an account deletes its side and its edits', T, async () => {
  const { a, b } = await srv.makeCouple('cyd');
  await putMine(a, side(mark('A')));
  await submit(a);
  await putMine(b, side(mark('B')));
  await submit(b);
  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: 'ours' });
  const r = await srv.call(a, 'DELETE', '/api/v1/me', { password: a.password });
  assert.ok([200, 204].includes(r.status), r.text);
  assert.equal(srv.sql(`SELECT count(*) FROM cycle_sides WHERE author_id = '${a.id}'`), '0');
  assert.equal(srv.sql(`SELECT count(*) FROM cycle_edits WHERE author_id = '${a.id}'`), '0');
  const g = await getCycle(b);
  assert.equal(g.partner, null);
});

test('the therapist\'s page: the cycle with consent, in the visit\'s one access-log line; without consent, not a word', T, async () => {
  const { a, b, spaceId } = await srv.makeCouple('cytp');
  const ther = await addRoleUser(srv, 'cytpt', 'therapist');
  await linkTherapist(srv, ther, a);
  const ma = mark('A'), mb = mark('B');
  for (const [who, m] of [[a, ma], [b, mb]]) {
    await putMine(who, side(m));
    await submit(who);
  }
  await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: `ours ${mb}` });
  const log = async () => (await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log?limit=100')).items;
  const st = await cookieLogin(srv, ther.username, ther.password);
  const visit = async () => {
    const r = await page(srv, 'GET', `/therapist/spaces/${spaceId}`, { cookie: st.cookie });
    assert.equal(r.status, 200);
    return r.text;
  };
  // nobody consents (the linker's consent withdrawn): nothing of the cycle, and the line does not name it
  await srv.ok(a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false });
  let n = (await log()).length;
  let html = await visit();
  assert.ok(!html.includes(ma) && !html.includes(mb) && !/Their cycle/.test(html));
  let l = await log();
  assert.equal(l.length, n + 1);
  assert.doesNotMatch(l[0].what, /cycle/);
  // a consents: a's side only, named in the one line
  await srv.ok(a, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  html = await visit();
  assert.ok(html.includes(`pursue ${ma}`) && !html.includes(mb), 'a\'s side only');
  l = await log();
  assert.equal(l.length, n + 2);
  assert.equal(l[0].what, 'viewed the check-ins shared with the therapist, the list of repairs and our cycle');
  // both: the shared text too
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  html = await visit();
  assert.ok(html.includes(`ours ${mb}`) && html.includes(`pursue ${mb}`));
  assert.equal((await log()).length, n + 3);
});

test('the export holds my side and the versions I wrote, never the partner\'s', T, async () => {
  const { a, b } = await srv.makeCouple('cyx');
  const ma = mark('A'), mb = mark('B');
  let x = await srv.ok(a, 'GET', '/api/v1/me/export');
  assert.deepEqual(x.cycle, { my_side: null, shared_versions: [] });
  for (const [who, m] of [[a, ma], [b, mb]]) {
    await putMine(who, side(m));
    await submit(who);
  }
  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: `mine ${ma}` });
  await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: `theirs ${mb}` });
  const r = await srv.call(a, 'GET', '/api/v1/me/export');
  assert.equal(r.status, 200);
  x = r.json;
  assert.equal(x.cycle.my_side.when_i_feel, `worried ${ma}`);
  assert.match(x.cycle.my_side.submitted_at, RFC3339_UTC);
  assert.deepEqual(x.cycle.shared_versions.map((v) => v.text), [`mine ${ma}`]);
  assert.ok(!r.text.includes(mb), 'the partner\'s words are in the export');
});

test('home cards: the partner\'s shared side, both open, new words; never a draft; each can be set aside', T, async () => {
  const { a, b, spaceId } = await srv.makeCouple('cyhome');
  const cards = async (who) => (await srv.ok(who, 'GET', '/api/v1/home')).items.filter((x) => x.kind.startsWith('cycle_'));
  const kinds = async (who) => (await cards(who)).map((x) => x.kind).sort();

  await putMine(b, side(mark('B')));
  assert.deepEqual(await kinds(a), [], 'a draft makes no card');
  await submit(b);
  const turn = await cards(a);
  assert.deepEqual(turn.map((x) => [x.kind, x.id, x.href]), [['cycle_your_turn', spaceId, '/cycle']]);
  assert.deepEqual(await kinds(b), [], 'nothing waits for the one who shared');

  await putMine(a, side(mark('A')));
  await submit(a);
  assert.deepEqual(await kinds(a), [], 'A opened both: nothing to tell A');
  assert.deepEqual(await kinds(b), ['cycle_revealed'], "A's side opened both for B");

  await srv.ok(a, 'PUT', '/api/v1/cycle/shared', { text: 'When the worry rises, we reach for each other differently.' });
  assert.deepEqual(await kinds(b), ['cycle_renamed', 'cycle_revealed']);
  assert.deepEqual(await kinds(a), [], 'my own words make no card');
  await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: 'When the worry rises, we both reach for safety.' });
  assert.deepEqual(await kinds(b), ['cycle_revealed'], 'the latest words are mine now');
  const renamed = (await cards(a)).find((x) => x.kind === 'cycle_renamed');
  assert.ok(renamed, 'A sees that B put it into new words');

  const gone = await srv.call(a, 'POST', '/api/v1/home/dismiss', { kind: 'cycle_renamed', id: renamed.id });
  assert.equal(gone.status, 204, gone.text);
  assert.deepEqual(await kinds(a), []);
  const open = (await cards(b))[0];
  assert.equal((await srv.call(b, 'POST', '/api/v1/home/dismiss', { kind: open.kind, id: open.id })).status, 204);
  assert.deepEqual(await kinds(b), []);

  // The home page says it in words, with its button.
  await srv.ok(b, 'PUT', '/api/v1/cycle/shared', { text: 'We both reach for safety, and we can say so.' });
  const s = await cookieLogin(srv, a.username, a.password);
  const home = await page(srv, 'GET', '/dashboard', { cookie: s.cookie });
  assert.match(home.text, /put your cycle into new words/);
  assert.match(home.text, /See the new words/);
});
