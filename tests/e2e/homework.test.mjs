// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Homework from the couple's therapist (issue 13; API.md "Therapist practice"):
//   POST /therapist/spaces/{id}/homework {kind, ref?, text?, due_on?, for} -> 201
//     {id, kind, ref, text, due_on, for, status: {PARTNER_ID: todo|done|not_this_week}}; GET -> list;
//   DELETE /therapist/spaces/{id}/homework/{hw} -> 204;
//   GET /homework (a partner: their own, with their own status only);
//   POST /homework/{id}/done -> 200; POST /homework/{id}/not-this-week {note?} -> 200.
// Every invalid field at once; refs per kind (a theme of the daily questions, a questionnaire, one of
// the therapist's own published articles); done by itself when the linked action happens after the
// assignment (a questionnaire taken, a repair resolved, the article opened while signed in, a daily
// question of the theme answered, an agreement proposed or said yes to). Consent
// rules: the therapist sees a partner's status and note only while that partner consents; a partner
// sees homework only while they consent; unlinking ends it all; another therapist gets 404; each
// therapist read is one line of the access log. Nothing unshared reaches the therapist.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, assertError, TEST_TIMEOUT, RFC3339_UTC } from './lib/server.mjs';
import { addRoleUser, linkTherapist, cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
const hex = (n = 8) => crypto.randomBytes(n).toString('hex');

let srv;
let a;
let b;
let t; // the couple's therapist, "Dr Lee"
let t2; // another therapist, of another couple
let c; // a partner of t2's couple
let loner; // a member without a space
let spaceId;
let slug; // t's published article
let draftSlug; // t's draft
let otherSlug; // t2's published article
const HW = {};
const MARK = { side: `side${hex()}`, private: `private${hex()}`, answer: `answer${hex()}`, note: `note${hex()}` };

const hwPath = (space = spaceId) => `/api/v1/therapist/spaces/${space}/homework`;
const give = (body, who = t, space = spaceId) => srv.call(who, 'POST', hwPath(space), body);
const mine = async (who) => (await srv.ok(who, 'GET', '/api/v1/homework')).items;
const theirs = async () => (await srv.ok(t, 'GET', hwPath())).items;
const byId = (items, id) => items.find((x) => x.id === id);
const today = () => new Date().toISOString().slice(0, 10);

before(async () => {
  srv = await startServer();
  a = await srv.signUp('hwa', { displayName: 'Alex' });
  b = await srv.signUp('hwb', { displayName: 'Sam' });
  loner = await srv.signUp('hwl');
  t = await addRoleUser(srv, 'hwt', 'therapist', { displayName: 'Dr Lee' });
  t2 = await addRoleUser(srv, 'hwt2', 'therapist', { displayName: 'Dr Other' });
  c = await srv.signUp('hwc');
  await srv.ok(a, 'POST', '/api/v1/spaces', undefined, 201);
  const inv = await srv.ok(a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
  await srv.ok(b, 'POST', '/api/v1/spaces/join', { code: inv.code });
  spaceId = (await srv.ok(a, 'GET', '/api/v1/me')).space.id;
  await linkTherapist(srv, t, a);
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  await srv.ok(c, 'POST', '/api/v1/spaces', undefined, 201);
  await linkTherapist(srv, t2, c);
  slug = (await srv.ok(t, 'POST', '/api/v1/articles', { title: 'Turning towards', body_markdown: 'Small moments.', publish: true }, 201)).slug;
  draftSlug = (await srv.ok(t, 'POST', '/api/v1/articles', { title: 'Not yet', body_markdown: 'Draft.', publish: false }, 201)).slug;
  otherSlug = (await srv.ok(t2, 'POST', '/api/v1/articles', { title: 'Elsewhere', body_markdown: 'Other.', publish: true }, 201)).slug;
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

test('every invalid field at once, refs checked per kind', T, async () => {
  let r = await give({ kind: 'homework', ref: 'x', text: 'y'.repeat(501), due_on: '2000-01-01', for: 'nobody' });
  assertError(r, 400, 'invalid_input', 'kind');
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['due_on', 'for', 'kind', 'text']);
  r = await give({ kind: 'questionnaire', ref: 'no-such-questionnaire', due_on: 'tomorrow', for: 'both' });
  assertError(r, 400, 'invalid_input', 'ref');
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['due_on', 'ref']);
  // Wrong types are named with the rest.
  r = await give({ kind: 7, ref: null, for: ['both'] });
  assertError(r, 400, 'invalid_input');
  assert.deepEqual(r.json.errors.map((e) => e.field).sort(), ['for', 'kind']);
  const refused = [
    [{ kind: 'prompt_category', for: 'both' }, 'ref'],
    [{ kind: 'prompt_category', ref: 'no-such-theme', for: 'both' }, 'ref'],
    [{ kind: 'questionnaire', for: 'both' }, 'ref'],
    [{ kind: 'article', ref: otherSlug, for: 'both' }, 'ref'], // another therapist's
    [{ kind: 'article', ref: draftSlug, for: 'both' }, 'ref'], // not published
    [{ kind: 'article', ref: 'no-such-article', for: 'both' }, 'ref'],
    [{ kind: 'repair', ref: 'security-check', for: 'both' }, 'ref'], // takes none
    [{ kind: 'agreement', for: 'both' }, 'text'],
    [{ kind: 'task', text: '   ', for: 'both' }, 'text'],
    [{ kind: 'task', text: 'Walk together', for: 'both', due_on: '2026-02-30' }, 'due_on'],
    [{ kind: 'task', text: 'Walk together', for: c.id }, 'for'], // not a partner of this couple
    [{ kind: 'task', text: 'Walk together' }, 'for'],
  ];
  for (const [body, field] of refused) {
    assertError(await give(body), 400, 'invalid_input', field, JSON.stringify(body));
  }
  assert.equal((await theirs()).length, 0, 'nothing was given');
});

test('the therapist gives six kinds; each partner sees theirs, with only their own status', T, async () => {
  const both = (x) => ({ ...x, for: 'both' });
  const q = await give(both({ kind: 'questionnaire', ref: 'security-check', text: 'Take it alone, quietly.', due_on: today() }));
  assert.equal(q.status, 201, q.text);
  assert.deepEqual(Object.keys(q.json).filter((k) => ['id', 'kind', 'ref', 'text', 'due_on', 'for', 'status'].includes(k)).sort(),
    ['due_on', 'for', 'id', 'kind', 'ref', 'status', 'text']);
  assert.equal(q.json.kind, 'questionnaire');
  assert.equal(q.json.ref, 'security-check');
  assert.equal(q.json.text, 'Take it alone, quietly.');
  assert.equal(q.json.due_on, today());
  assert.equal(q.json.for, 'both');
  assert.deepEqual(q.json.status, { [a.id]: 'todo', [b.id]: 'todo' });
  assert.match(q.json.created_at, RFC3339_UTC);
  HW.questionnaire = q.json.id;
  HW.article = (await srv.ok(t, 'POST', hwPath(), { kind: 'article', ref: slug, for: a.id }, 201)).id;
  HW.repair = (await srv.ok(t, 'POST', hwPath(), both({ kind: 'repair', ref: null }), 201)).id;
  const task = await srv.ok(t, 'POST', hwPath(), { kind: 'task', text: 'Write down three things you value', for: b.id }, 201);
  assert.deepEqual(task.status, { [b.id]: 'todo' });
  assert.equal(task.ref, null);
  assert.equal(task.due_on, null);
  HW.task = task.id;
  HW.theme = (await srv.ok(t, 'POST', hwPath(), both({ kind: 'prompt_category', ref: 'appreciation' }), 201)).id;
  HW.agreement = (await srv.ok(t, 'POST', hwPath(), both({ kind: 'agreement', text: 'A ten-minute walk after dinner' }), 201)).id;

  const listed = await theirs();
  assert.equal(listed.length, 6);
  assert.equal(listed[0].id, HW.agreement, 'newest first');
  assert.equal(byId(listed, HW.theme).ref_title, 'Appreciation');

  const ofA = await mine(a);
  assert.deepEqual(ofA.map((x) => x.id).sort(), [HW.questionnaire, HW.article, HW.repair, HW.theme, HW.agreement].sort());
  const ofB = await mine(b);
  assert.deepEqual(ofB.map((x) => x.id).sort(), [HW.questionnaire, HW.task, HW.repair, HW.theme, HW.agreement].sort());
  for (const [who, items] of [[a, ofA], [b, ofB]]) {
    for (const x of items) {
      assert.deepEqual(x.status, { [who.id]: 'todo' }, `only the caller's own status: ${JSON.stringify(x)}`);
      assert.equal(x.from.display_name, 'Dr Lee');
      assert.ok(x.href.startsWith('/'), x.href);
    }
  }
  assert.equal(byId(ofA, HW.questionnaire).href, '/questionnaires/security-check');
  assert.equal(byId(ofA, HW.article).href, `/articles/${slug}`);
  assert.equal(byId(ofA, HW.repair).href, '/repairs/new');

  // The home card names it, with its action.
  const home = (await srv.ok(a, 'GET', '/api/v1/home')).items.filter((x) => x.kind === 'homework');
  assert.equal(home.length, 5, JSON.stringify(home));
  assert.equal(home.find((x) => x.id === HW.questionnaire).href, '/questionnaires/security-check');
  const dash = await page(srv, 'GET', '/dashboard', { cookie: (await cookieLogin(srv, a.username, a.password)).cookie });
  assert.match(dash.text, /From Dr Lee, for this week: the questionnaire “[^”]+”/);
});

test('done by itself: the questionnaire taken, the article opened, the repair resolved', T, async () => {
  const qz = await srv.ok(a, 'GET', '/api/v1/questionnaires/security-check');
  const answers = Object.fromEntries(qz.items.map((it) => [it.id, it.min]));
  await srv.ok(a, 'POST', '/api/v1/questionnaires/security-check/responses', { answers, visibility: 'private' }, 201);
  let st = byId(await theirs(), HW.questionnaire).status;
  assert.deepEqual(st, { [a.id]: 'done', [b.id]: 'todo' }, 'A took it; B has not');
  assert.equal(byId(await mine(a), HW.questionnaire).status[a.id], 'done');

  // Opening the article while signed in (the API or the page).
  await srv.ok(a, 'GET', `/api/v1/articles/${slug}`);
  assert.deepEqual(byId(await theirs(), HW.article).status, { [a.id]: 'done' });

  // A repair both partners acknowledge after the assignment.
  const rid = (await srv.ok(a, 'POST', '/api/v1/repairs', { title: 'The late evening' }, 201)).id;
  const feeling = (await srv.api('GET', '/api/v1/feelings')).json.groups[0].words[0];
  for (const who of [a, b]) {
    await srv.ok(who, 'PUT', `/api/v1/repairs/${rid}/mine`, { feelings: [feeling], perspective: MARK.side, touched: 't', my_part: 'm', next_time: 'n' });
  }
  for (const who of [a, b]) await srv.ok(who, 'POST', `/api/v1/repairs/${rid}/mine/submit`);
  await srv.ok(a, 'POST', `/api/v1/repairs/${rid}/acknowledge`, {});
  assert.deepEqual(byId(await theirs(), HW.repair).status, { [a.id]: 'todo', [b.id]: 'todo' }, 'not resolved yet');
  await srv.ok(b, 'POST', `/api/v1/repairs/${rid}/acknowledge`, {});
  assert.deepEqual(byId(await theirs(), HW.repair).status, { [a.id]: 'done', [b.id]: 'done' });
  // The home cards of what is done are gone.
  const cards = (await srv.ok(a, 'GET', '/api/v1/home')).items.filter((x) => x.kind === 'homework').map((x) => x.id);
  assert.deepEqual(cards.sort(), [HW.theme, HW.agreement].sort());
});

test('a partner marks done or not this week (with a note to the therapist); the other never sees it', T, async () => {
  let r = await srv.ok(b, 'POST', `/api/v1/homework/${HW.task}/not-this-week`, { note: MARK.note });
  assert.deepEqual(r.status, { [b.id]: 'not_this_week' });
  assert.equal(r.note, MARK.note);
  r = await srv.ok(b, 'POST', `/api/v1/homework/${HW.theme}/done`);
  assert.deepEqual(r.status, { [b.id]: 'done' });
  // A note too long; and A cannot touch B's task (not theirs: 404), nor an unknown id.
  assertError(await srv.call(b, 'POST', `/api/v1/homework/${HW.agreement}/not-this-week`, { note: 'x'.repeat(501) }), 400, 'invalid_input', 'note');
  assertError(await srv.call(a, 'POST', `/api/v1/homework/${HW.task}/done`), 404, 'not_found');
  assertError(await srv.call(a, 'POST', '/api/v1/homework/0123456789abcdef0123456789abcdef/done'), 404, 'not_found');
  assertError(await srv.call(loner, 'POST', `/api/v1/homework/${HW.theme}/done`), 404, 'not_found');
  assert.deepEqual((await srv.ok(loner, 'GET', '/api/v1/homework')).items, []);
  assert.deepEqual((await srv.ok(t, 'GET', '/api/v1/homework')).items, [], 'a therapist has no homework of their own');

  const list = await theirs();
  assert.deepEqual(byId(list, HW.task).status, { [b.id]: 'not_this_week' });
  assert.deepEqual(byId(list, HW.task).notes, { [b.id]: MARK.note });
  assert.deepEqual(byId(list, HW.theme).status, { [a.id]: 'todo', [b.id]: 'done' });
  const ofA = JSON.stringify(await srv.ok(a, 'GET', '/api/v1/homework'));
  assert.ok(!ofA.includes(b.id), 'nothing of B in A\'s list');
  assert.ok(!ofA.includes(MARK.note), 'B\'s note never reaches A');
  // What B answered is in B's export (and nowhere in A's).
  const expB = await srv.ok(b, 'GET', '/api/v1/me/export');
  assert.deepEqual(expB.homework_answers.find((x) => x.id === HW.task), { id: HW.task, kind: 'task', answer: 'not_this_week', note: MARK.note });
  assert.equal(expB.homework_answers.find((x) => x.id === HW.theme).answer, 'done');
  const expA = await srv.ok(a, 'GET', '/api/v1/me/export');
  // The questionnaire was done by itself (no answer of A's); opening the article is recorded as A's "done".
  assert.deepEqual(expA.homework_answers, [{ id: HW.article, kind: 'article', answer: 'done', note: null }]);
  // Done after all wins over not this week.
  r = await srv.ok(b, 'POST', `/api/v1/homework/${HW.task}/done`);
  assert.deepEqual(r.status, { [b.id]: 'done' });
  assert.equal(r.note, null);
  await srv.ok(b, 'POST', `/api/v1/homework/${HW.task}/not-this-week`, { note: MARK.note });
});

test('nothing unshared reaches the therapist: no side, no private check-in, no answers; each read logged once', T, async () => {
  await srv.ok(a, 'POST', '/api/v1/checkins', { mood: 3, connection: 5, secure: 5, need: MARK.private, visibility: 'private' }, 201);
  const before = (await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log?limit=100')).items.length;
  const r = await srv.call(t, 'GET', hwPath());
  assert.equal(r.status, 200);
  for (const m of [MARK.side, MARK.private]) assert.ok(!r.text.includes(m), `an unshared text reached the therapist: ${m}`);
  assert.ok(!/"answers"|"score"/.test(r.text), 'no questionnaire answers or scores in the homework list');
  const log = (await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log?limit=100')).items;
  assert.equal(log.length, before + 1, 'one line per read');
  assert.equal(log[0].who, 'Dr Lee');
  assert.match(log[0].what, /homework/);
});

test('another therapist, a partner and an unknown space get 404; the therapist removes an assignment', T, async () => {
  assertError(await srv.call(t2, 'GET', hwPath()), 404, 'not_found');
  assertError(await give({ kind: 'repair', for: 'both' }, t2), 404, 'not_found');
  assertError(await srv.call(t2, 'DELETE', `${hwPath()}/${HW.agreement}`), 404, 'not_found');
  assertError(await srv.call(a, 'GET', hwPath()), 404, 'not_found');
  assertError(await srv.call(t, 'GET', hwPath('0123456789abcdef0123456789abcdef')), 404, 'not_found');
  // t2's homework for their own couple is theirs alone.
  const other = await srv.ok(t2, 'POST', hwPath((await srv.ok(c, 'GET', '/api/v1/me')).space.id), { kind: 'repair', for: 'both' }, 201);
  assertError(await srv.call(t, 'DELETE', `${hwPath()}/${other.id}`), 404, 'not_found');
  assert.ok(!byId(await mine(a), other.id));

  const r = await srv.call(t, 'DELETE', `${hwPath()}/${HW.agreement}`);
  assert.equal(r.status, 204, r.text);
  assertError(await srv.call(t, 'DELETE', `${hwPath()}/${HW.agreement}`), 404, 'not_found');
  assert.ok(!byId(await mine(a), HW.agreement), 'gone for the partners');
  assert.ok(!byId(await theirs(), HW.agreement));
});

test('consent withdrawn: that partner\'s status and note are hidden, and their homework is gone for them', T, async () => {
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false });
  const list = await theirs();
  const text = JSON.stringify(list);
  assert.ok(!text.includes(MARK.note), 'B\'s note is hidden');
  for (const x of list) {
    assert.ok(!(b.id in x.status), `B's status is hidden: ${JSON.stringify(x)}`);
    assert.ok(!(b.id in (x.notes || {})));
  }
  assert.deepEqual(byId(list, HW.task).status, {}, 'a task for B alone shows no status');
  assert.deepEqual(await mine(b), [], 'B no longer sees homework');
  assertError(await srv.call(b, 'POST', `/api/v1/homework/${HW.theme}/done`), 404, 'not_found');
  assert.ok((await srv.ok(b, 'GET', '/api/v1/home')).items.every((x) => x.kind !== 'homework'));
  // Homework cannot be given to someone who does not consent.
  assertError(await give({ kind: 'task', text: 'Rest', for: b.id }), 400, 'invalid_input', 'for');
  // A still sees theirs; consent again brings B's back.
  assert.ok((await mine(a)).length > 0);
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  assert.equal(byId(await theirs(), HW.task).status[b.id], 'not_this_week');
});

test('unlinking ends it: the therapist gets 404, the partners see nothing, a new link starts empty', T, async () => {
  await srv.ok(a, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
  assertError(await srv.call(t, 'GET', hwPath()), 404, 'not_found');
  assertError(await give({ kind: 'repair', for: 'both' }), 404, 'not_found');
  assert.deepEqual(await mine(a), []);
  assert.deepEqual(await mine(b), []);
  assert.equal(Number(srv.sql(`SELECT count(*) FROM homework WHERE space_id = '${spaceId}'`)), 0, 'the assignments are deleted');
  assert.equal(Number(srv.sql(`SELECT count(*) FROM homework_marks WHERE space_id = '${spaceId}'`)), 0, 'and the marks');
  await linkTherapist(srv, t, a);
  assert.deepEqual(await theirs(), []);
  assert.deepEqual(await mine(a), []);
});

test('the pages: a partner answers on /homework without JavaScript; the therapist gives homework from the space page', T, async () => {
  await srv.ok(b, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  const ts = await cookieLogin(srv, t.username, t.password);
  let r = await page(srv, 'POST', `/therapist/spaces/${spaceId}/homework`, {
    cookie: ts.cookie, form: { csrf: ts.csrf, kind: 'task', ref: '', text: '', due_on: '1999-01-01', for: 'both' },
  });
  assert.equal(r.status, 400, 'a refused form is shown again');
  assert.match(r.text, /id="hw_text-error"/);
  assert.match(r.text, /id="hw_due_on-error"/);
  r = await page(srv, 'POST', `/therapist/spaces/${spaceId}/homework`, {
    cookie: ts.cookie, form: { csrf: ts.csrf, kind: 'prompt_category', ref: 'hopes', text: 'Talk about next summer', due_on: '', for: 'both' },
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const hw = (await theirs())[0];
  assert.equal(hw.ref, 'hopes');
  const as = await cookieLogin(srv, a.username, a.password);
  r = await page(srv, 'GET', '/homework', { cookie: as.cookie });
  assert.equal(r.status, 200);
  assert.match(r.text, /From Dr Lee, for this week: the daily questions about “Hopes and dreams”/);
  const long = `${'far too long '.repeat(40)}end`;
  r = await page(srv, 'POST', `/homework/${hw.id}/not-this-week`, { cookie: as.cookie, form: { csrf: as.csrf, note: long } });
  assert.equal(r.status, 400, 'a note over 500 characters is refused');
  assert.match(r.text, new RegExp(`id="note-${hw.id}-error"`));
  assert.ok(r.text.includes(`${long}</textarea>`), 'what was typed is kept');
  r = await page(srv, 'POST', `/homework/${hw.id}/not-this-week`, { cookie: as.cookie, form: { csrf: as.csrf, note: 'A busy week' } });
  assert.equal(r.status, 303);
  assert.equal(r.location, '/homework?saved=later');
  const logged = (await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log?limit=100')).items.length;
  r = await page(srv, 'GET', `/therapist/spaces/${spaceId}`, { cookie: ts.cookie });
  assert.match(r.text, /Alex: not this week — “A busy week”/);
  const log = (await srv.ok(a, 'GET', '/api/v1/spaces/current/access-log?limit=100')).items;
  assert.equal(log.length, logged + 1, 'one line for the visit');
  assert.equal(log[0].what, 'viewed the check-ins shared with the therapist, the list of repairs and the homework');
  r = await page(srv, 'POST', `/homework/${hw.id}/done`, { cookie: as.cookie, form: { csrf: as.csrf } });
  assert.equal(r.location, '/homework?saved=done');
  r = await page(srv, 'GET', `/therapist/spaces/${spaceId}`, { cookie: ts.cookie });
  assert.match(r.text, /Alex: done/);
  assert.match(r.text, /Sam: not yet/);
  r = await page(srv, 'POST', `/therapist/spaces/${spaceId}/homework/${hw.id}/delete`, { cookie: ts.cookie, form: { csrf: ts.csrf } });
  assert.equal(r.status, 303);
  assert.deepEqual(await theirs(), []);
});

test('a home card can be set aside; a partner who leaves takes nothing of the homework along', T, async () => {
  const hw = await srv.ok(t, 'POST', hwPath(), { kind: 'repair', for: 'both' }, 201);
  const forB = await srv.ok(t, 'POST', hwPath(), { kind: 'task', text: 'Rest', for: b.id }, 201);
  await srv.ok(b, 'POST', `/api/v1/homework/${hw.id}/not-this-week`, { note: 'later' });
  const r = await srv.call(a, 'POST', '/api/v1/home/dismiss', { kind: 'homework', id: hw.id });
  assert.equal(r.status, 204, r.text);
  assert.ok((await srv.ok(a, 'GET', '/api/v1/home')).items.every((x) => x.id !== hw.id), 'set aside');
  assert.equal((await mine(a)).find((x) => x.id === hw.id).status[a.id], 'todo', 'setting the card aside answers nothing');
  await srv.ok(b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  assert.deepEqual(await mine(b), []);
  const list = await theirs();
  assert.ok(!byId(list, forB.id), 'what was for B alone is gone');
  assert.deepEqual(byId(list, hw.id).status, { [a.id]: 'todo' });
  assert.equal(Number(srv.sql(`SELECT count(*) FROM homework_marks WHERE user_id = '${b.id}'`)), 0, 'B\'s marks are deleted');
});

test('done by itself: a theme\'s daily question answered, an agreement proposed or said yes to', T, async () => {
  const { a: x, b: y, spaceId: space } = await srv.makeCouple('hwauto');
  const th = await addRoleUser(srv, 'hwautot', 'therapist', { displayName: 'Dr Auto' });
  await linkTherapist(srv, th, x);
  await srv.ok(y, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true });
  const prompt = await srv.ok(x, 'GET', '/api/v1/prompts/today');
  const other = ['history', 'hopes', 'fears', 'needs', 'appreciation', 'everyday'].find((k) => k !== prompt.category);
  const both = (body) => srv.ok(th, 'POST', hwPath(space), { ...body, for: 'both' }, 201);
  const theme = (await both({ kind: 'prompt_category', ref: prompt.category })).id;
  const otherTheme = (await both({ kind: 'prompt_category', ref: other })).id;
  const agreement = (await both({ kind: 'agreement', text: 'A ten-minute walk after dinner' })).id;
  const status = async (id) => byId((await srv.ok(th, 'GET', hwPath(space))).items, id).status;

  await srv.ok(x, 'POST', `/api/v1/prompts/${prompt.id}/answer`, { text: MARK.answer }, 201);
  assert.deepEqual(await status(theme), { [x.id]: 'done', [y.id]: 'todo' }, 'X answered a question of the theme');
  assert.deepEqual(await status(otherTheme), { [x.id]: 'todo', [y.id]: 'todo' }, 'another theme waits');
  assert.equal(byId(await mine(x), theme).status[x.id], 'done', 'X reads it done too');

  const g = await srv.ok(y, 'POST', '/api/v1/agreements', { text: 'Phones away at dinner' }, 201);
  assert.deepEqual(await status(agreement), { [x.id]: 'todo', [y.id]: 'done' }, 'Y proposed one');
  await srv.ok(x, 'POST', `/api/v1/agreements/${g.id}/accept`);
  assert.deepEqual(await status(agreement), { [x.id]: 'done', [y.id]: 'done' }, 'X said yes to it');
});
