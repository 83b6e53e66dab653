// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The authorization matrix: every route the binary serves (`hearth routes`)
// x every actor, compared with the expectations in lib/matrix.mjs.
//
// - A route without rows in lib/matrix.mjs fails ("add its rows"); so does a
//   row for a route that no longer exists, and a route without a request
//   recipe below.
// - API routes are called with a bearer token, pages with the session cookie
//   of a browser-style login (POST /login form) and the session's CSRF token.
// - {} parameters are filled with real objects of self's (see the variants in
//   lib/matrix.mjs); requests that consume something get a fresh one.
// - Every request carries a valid body, so the status reflects authorization
//   (and the actor's state), not validation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, uniqueUsername, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, anonForm, cookieLogin, page } from './lib/actors.mjs';
import { ACTORS, EXPECT } from './lib/matrix.mjs';

// The route table, read when the file loads so that one test per route can be declared.
const routesRun = runCli(['routes']);
const ROUTES = routesRun.status === 0
  ? routesRun.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l))
  : [];
const keyOf = (r) => `${r.method} ${r.pattern}`;
const ROUTE_KEYS = new Set(ROUTES.map(keyOf));

let srv;
/** name -> {name, id, username, password, token, page: {cookie, csrf}} ; anonymous has no token. */
const A = {};

before(async () => {
  srv = await startServer();
  A.anonymous = { name: 'anonymous', token: null, page: await anonForm(srv) };
  const couple = await srv.makeCouple('mx');
  A.self = { name: 'self', ...couple.a };
  A.partner = { name: 'partner', ...couple.b };
  A.outsider = { name: 'outsider', ...(await srv.signUp('mxout')) };
  const sp = await srv.api('POST', '/api/v1/spaces', { token: A.outsider.token });
  assert.equal(sp.status, 201, `outsider's space: ${sp.text}`);
  A.therapist_unlinked = { name: 'therapist_unlinked', ...(await addRoleUser(srv, 'mxthu', 'therapist')) };
  // TODO(therapist feature): link these three to self's space once therapist linking exists
  // (no consent; both partners consent; consent granted then revoked). Until then they are
  // unlinked therapists and lib/matrix.mjs expects what therapist_unlinked gets.
  A.therapist_linked_no_consent = { name: 'therapist_linked_no_consent', ...(await addRoleUser(srv, 'mxthn', 'therapist')) };
  A.therapist_linked_consent = { name: 'therapist_linked_consent', ...(await addRoleUser(srv, 'mxthc', 'therapist')) };
  A.therapist_consent_revoked = { name: 'therapist_consent_revoked', ...(await addRoleUser(srv, 'mxthr', 'therapist')) };
  A.admin = { name: 'admin', ...(await addRoleUser(srv, 'mxadm', 'admin')) };
  for (const name of ACTORS) {
    if (name === 'anonymous') continue;
    A[name].page = await cookieLogin(srv, A[name].username, A[name].password);
  }
}, { timeout: TEST_TIMEOUT });

after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

// ------------------------------------------------------------ fixtures

const checkinBody = (visibility) => ({
  mood: 3, connection: 5, secure: 6, appreciation: 'the tea', need: 'a walk', worry: 'work', visibility,
});
const checkinForm = (visibility) => ({
  mood: '4', connection: '6', secure: '7', appreciation: 'edited', need: '', worry: '', visibility,
});

const shared = new Map();
/** A check-in of self's in the state `variant` names; fresh when the request consumes it. */
async function selfCheckin(variant, { fresh = false } = {}) {
  if (!fresh && shared.has(variant)) return shared.get(variant);
  const visibility = variant === 'deleted' ? 'partner' : variant;
  const r = await srv.api('POST', '/api/v1/checkins', { token: A.self.token, body: checkinBody(visibility) });
  assert.equal(r.status, 201, `fixture check-in: ${r.status} ${r.text}`);
  if (variant === 'deleted') {
    const d = await srv.api('DELETE', `/api/v1/checkins/${r.json.id}`, { token: A.self.token });
    assert.equal(d.status, 204, `fixture delete: ${d.status} ${d.text}`);
  }
  if (!fresh) shared.set(variant, r.json.id);
  return r.json.id;
}

const CHECKIN_VARIANTS = ['partner', 'therapist', 'private', 'deleted'];

/** A throw-away API token for the actor (anonymous: none). */
async function freshToken(actor) {
  if (!actor.username) return null;
  const r = await srv.api('POST', '/api/v1/sessions', { body: { username: actor.username, password: actor.password } });
  assert.equal(r.status, 201, `fresh session for ${actor.name}: ${r.status} ${r.text}`);
  return r.json.token;
}

/** A throw-away page session for the actor (anonymous: a fresh hearth_pre context). */
async function freshPageSession(actor) {
  if (!actor.username) return anonForm(srv);
  return cookieLogin(srv, actor.username, actor.password);
}

/**
 * After "log out everywhere": the actor's API token and page session must
 * both have stopped working; then log the actor in again (both kinds).
 */
async function loggedOutEverywhere(actor) {
  const r = await srv.api('GET', '/api/v1/me', { token: actor.token });
  assert.equal(r.status, 401, `${actor.name}: the API token still works after logging out everywhere`);
  const d = await page(srv, 'GET', '/dashboard', { cookie: actor.page.cookie });
  assert.equal(d.status, 303, `${actor.name}: the page session still works after logging out everywhere`);
  actor.token = await freshToken(actor);
  actor.page = await cookieLogin(srv, actor.username, actor.password);
}

async function outsiderInvite() {
  const r = await srv.api('POST', '/api/v1/spaces/current/invites', { token: A.outsider.token });
  assert.equal(r.status, 201, `outsider invite: ${r.status} ${r.text}`);
  return r.json.code;
}

async function leave(actor) {
  const r = await srv.api('POST', '/api/v1/spaces/current/leave', { token: actor.token });
  assert.equal(r.status, 204, `${actor.name} leaves the space again: ${r.status} ${r.text}`);
}

/** After `actor` left their space: put the fixed state back. */
async function restoreAfterLeave(actor) {
  if (actor.name === 'outsider') {
    const r = await srv.api('POST', '/api/v1/spaces', { token: A.outsider.token });
    assert.equal(r.status, 201, `outsider's new space: ${r.status} ${r.text}`);
    return;
  }
  const stayer = actor.name === 'self' ? A.partner : A.self;
  const inv = await srv.api('POST', '/api/v1/spaces/current/invites', { token: stayer.token });
  assert.equal(inv.status, 201, `re-invite: ${inv.status} ${inv.text}`);
  const j = await srv.api('POST', '/api/v1/spaces/join', { token: actor.token, body: { code: inv.json.code } });
  assert.equal(j.status, 200, `re-join: ${j.status} ${j.text}`);
}


// ------------------------------------------------- repairs and prompts fixtures (proposed)

const SIDE = { feelings: ['hurt', 'sad'], perspective: 'matrix perspective', touched: 't', my_part: 'm', next_time: 'n' };
async function apiOk(actor, method, p, body, want) {
  const r = await srv.api(method, p, { token: actor.token, body });
  assert.equal(r.status, want, `fixture ${method} ${p} as ${actor.name}: ${r.status} ${r.text}`);
  return r.json;
}
const openRepairAs = async (actor) => (await apiOk(actor, 'POST', '/api/v1/repairs', { title: 'matrix repair' }, 201)).id;
const writeSide = (actor, id) => apiOk(actor, 'PUT', `/api/v1/repairs/${id}/mine`, SIDE, 200);
const submitSide = (actor, id) => apiOk(actor, 'POST', `/api/v1/repairs/${id}/mine/submit`, undefined, 200);

const REPAIR_VARIANTS = ['open', 'revealed', 'solo'];
const repairCache = new Map();
let soloSpare = [];
/** Solo fixtures first: making them needs self to leave the space and join again. */
async function soloFixtures() {
  if (repairCache.has('solo')) return;
  await leave(A.self);
  const ids = [];
  for (let i = 0; i < 3; i++) {
    const id = await openRepairAs(A.self);
    await writeSide(A.self, id);
    ids.push(id);
  }
  await restoreAfterLeave(A.self);
  repairCache.set('solo', ids[0]);
  soloSpare = ids.slice(1);
}
/** A repair of self's in the state `variant` names (anything else: open); fresh when consumed. */
async function selfRepair(variant, { fresh = false } = {}) {
  if (!REPAIR_VARIANTS.includes(variant)) variant = 'open';
  await soloFixtures();
  if (variant === 'solo') {
    if (fresh) { assert.ok(soloSpare.length, 'no spare solo repair left'); return soloSpare.shift(); }
    return repairCache.get('solo');
  }
  if (!fresh && repairCache.has(variant)) return repairCache.get(variant);
  const id = await openRepairAs(A.self);
  await writeSide(A.self, id);
  if (fresh || variant === 'revealed') await writeSide(A.partner, id);
  if (variant === 'revealed') {
    await submitSide(A.self, id);
    await submitSide(A.partner, id);
  }
  if (!fresh) repairCache.set(variant, id);
  return id;
}

/** Today's prompt of self's space, answered by self and partner. */
async function promptAnswered() {
  const t = await apiOk(A.self, 'GET', '/api/v1/prompts/today', undefined, 200);
  for (const who of [A.self, A.partner]) {
    const r = await srv.api('POST', `/api/v1/prompts/${t.id}/answer`, { token: who.token, body: { text: `matrix answer of ${who.name}` } });
    assert.ok([201, 409].includes(r.status), `fixture answer as ${who.name}: ${r.status} ${r.text}`);
  }
  return t.id;
}

// ------------------------------------------------------------- recipes
//
// One per route, keyed like lib/matrix.mjs: (actor, variant) -> request
// {path, body?, form?, token?, session?, after?(res)}. `token` overrides the
// actor's API token, `session` the actor's page session {cookie, csrf};
// `after` runs once the answer is in (undo state changes).

const newAccount = () => {
  const username = uniqueUsername('mxnew');
  return { username, password: `pw-${username}-correct horse`, display_name: 'New one' };
};

const RECIPES = {
  'GET /healthz': () => ({ path: '/healthz' }),
  'GET /metrics': () => ({ path: '/metrics' }),
  'GET /static/{}': () => ({ path: '/static/style.css' }),

  'POST /api/v1/accounts': () => ({ path: '/api/v1/accounts', body: newAccount() }),
  'POST /api/v1/sessions': (a) => {
    const who = a.username ? a : A.self;
    return { path: '/api/v1/sessions', body: { username: who.username, password: who.password } };
  },
  'DELETE /api/v1/sessions/current': async (a) => ({ path: '/api/v1/sessions/current', token: await freshToken(a) }),
  'DELETE /api/v1/sessions': (a) => ({
    path: '/api/v1/sessions',
    after: async (res) => { if (res.status === 204) await loggedOutEverywhere(a); },
  }),
  'GET /api/v1/me': () => ({ path: '/api/v1/me' }),

  'POST /api/v1/spaces': (a) => ({
    path: '/api/v1/spaces',
    after: async (res) => { if (res.status === 201) await leave(a); },
  }),
  'POST /api/v1/spaces/current/invites': () => ({ path: '/api/v1/spaces/current/invites' }),
  'POST /api/v1/spaces/join': async (a) => ({
    path: '/api/v1/spaces/join',
    body: { code: await outsiderInvite() },
    after: async (res) => { if (res.status === 200) await leave(a); },
  }),
  'POST /api/v1/spaces/current/leave': (a) => ({
    path: '/api/v1/spaces/current/leave',
    after: async (res) => { if (res.status === 204) await restoreAfterLeave(a); },
  }),

  'POST /api/v1/checkins': () => ({ path: '/api/v1/checkins', body: checkinBody('private') }),
  'GET /api/v1/checkins': () => ({ path: '/api/v1/checkins?author=all' }),
  'GET /api/v1/checkins/{}': async (a, v) => ({ path: `/api/v1/checkins/${await selfCheckin(v)}` }),
  'PATCH /api/v1/checkins/{}': async (a, v) => ({
    path: `/api/v1/checkins/${await selfCheckin(v, { fresh: true })}`, body: { mood: 4, need: 'patched' },
  }),
  'DELETE /api/v1/checkins/{}': async (a, v) => ({ path: `/api/v1/checkins/${await selfCheckin(v, { fresh: true })}` }),

  'GET /': () => ({ path: '/' }),
  'GET /signup': () => ({ path: '/signup' }),
  'POST /signup': () => ({ path: '/signup', form: newAccount() }),
  'GET /login': () => ({ path: '/login' }),
  'POST /login': async (a) => {
    const who = a.username ? a : A.self;
    return { path: '/login', session: await freshPageSession(a), form: { username: who.username, password: who.password } };
  },
  'POST /logout': async (a) => ({ path: '/logout', session: await freshPageSession(a), form: {} }),
  'GET /account': () => ({ path: '/account' }),
  'POST /account/logout-everywhere': (a) => ({
    path: '/account/logout-everywhere', form: {},
    after: async (res) => { if (res.location === '/login?ended=1') await loggedOutEverywhere(a); },
  }),
  'GET /dashboard': () => ({ path: '/dashboard' }),
  'GET /checkins': () => ({ path: '/checkins' }),
  'GET /checkins/new': () => ({ path: '/checkins/new' }),
  'POST /checkins/new': () => ({ path: '/checkins/new', form: checkinForm('private') }),
  'GET /checkins/{}/edit': async (a, v) => ({ path: `/checkins/${await selfCheckin(v)}/edit` }),
  'POST /checkins/{}/edit': async (a, v) => ({
    path: `/checkins/${await selfCheckin(v, { fresh: true })}/edit`,
    form: checkinForm(v === 'deleted' ? 'partner' : v),
  }),
  'GET /checkins/{}/delete': async (a, v) => ({ path: `/checkins/${await selfCheckin(v)}/delete` }),
  'POST /checkins/{}/delete': async (a, v) => ({ path: `/checkins/${await selfCheckin(v, { fresh: true })}/delete`, form: {} }),

  'POST /api/v1/repairs': () => ({ path: '/api/v1/repairs', body: { title: 'a matrix repair', occurred_on: '2026-11-20' } }),
  'GET /api/v1/repairs': () => ({ path: '/api/v1/repairs' }),
  'GET /api/v1/repairs/{}': async (a, v) => ({ path: `/api/v1/repairs/${await selfRepair(v)}` }),
  'PUT /api/v1/repairs/{}/mine': async (a, v) => ({ path: `/api/v1/repairs/${await selfRepair(v)}/mine`, body: SIDE }),
  'POST /api/v1/repairs/{}/mine/submit': async (a, v) => ({
    path: `/api/v1/repairs/${await selfRepair(v, { fresh: a.name === 'self' || (a.name === 'partner' && v !== 'solo') })}/mine/submit`,
  }),
  'POST /api/v1/repairs/{}/acknowledge': async (a, v) => ({
    path: `/api/v1/repairs/${await selfRepair(v, { fresh: v === 'revealed' })}/acknowledge`, body: { note: 'thank you' },
  }),
  'GET /api/v1/feelings': () => ({ path: '/api/v1/feelings' }),
  'POST /api/v1/safety-checks': () => ({ path: '/api/v1/safety-checks', body: { afraid: false, pressured: false } }),
  'GET /api/v1/safety/resources': () => ({ path: '/api/v1/safety/resources' }),
  'GET /api/v1/prompts/today': () => ({ path: '/api/v1/prompts/today' }),
  'POST /api/v1/prompts/today/skip': async () => { await promptAnswered(); return { path: '/api/v1/prompts/today/skip' }; },
  'GET /api/v1/prompts/history': () => ({ path: '/api/v1/prompts/history' }),
  'POST /api/v1/prompts/{}/answer': async () => ({ path: `/api/v1/prompts/${await promptAnswered()}/answer`, body: { text: 'another answer' } }),
  'POST /api/v1/prompts/{}/acknowledge': async () => ({ path: `/api/v1/prompts/${await promptAnswered()}/acknowledge`, body: { kind: 'thank_you' } }),
  'GET /repairs': () => ({ path: '/repairs' }),
  'GET /repairs/new': () => ({ path: '/repairs/new' }),
  'POST /repairs/safety': () => ({ path: '/repairs/safety', form: {} }),
  'POST /repairs/new': () => ({ path: '/repairs/new', form: { title: 'a page repair', occurred_on: '' } }),
  'GET /repairs/{}': async (a, v) => ({ path: `/repairs/${await selfRepair(v)}` }),
  'POST /repairs/{}/mine': async (a, v) => ({ path: `/repairs/${await selfRepair(v)}/mine`, form: { feelings: 'hurt', perspective: 'from the page' } }),
  'POST /repairs/{}/acknowledge': async (a, v) => ({ path: `/repairs/${await selfRepair(v, { fresh: v === 'revealed' })}/acknowledge`, form: { note: 'thanks' } }),
  'GET /safety': () => ({ path: '/safety' }),
  'GET /prompts': () => ({ path: '/prompts' }),
  'POST /prompts/skip': async () => { await promptAnswered(); return { path: '/prompts/skip', form: {} }; },
  'GET /prompts/history': () => ({ path: '/prompts/history' }),
  'POST /prompts/{}/answer': async () => ({ path: `/prompts/${await promptAnswered()}/answer`, form: { text: 'page answer' } }),
  'POST /prompts/{}/acknowledge': async () => ({ path: `/prompts/${await promptAnswered()}/acknowledge`, form: { kind: 'hug' } }),
  'GET /space': () => ({ path: '/space' }),
  'POST /space/create': (a) => ({
    path: '/space/create', form: {},
    after: async (res) => { if (res.location === '/space') await leave(a); },
  }),
  'POST /space/invite': () => ({ path: '/space/invite', form: {} }),
  'POST /space/join': async (a) => ({
    path: '/space/join', form: { code: await outsiderInvite() },
    after: async (res) => { if (res.location === '/space?joined=1') await leave(a); },
  }),
  'POST /space/leave': (a) => ({
    path: '/space/leave', form: {},
    after: async (res) => { if (res.location === '/space?left=1') await restoreAfterLeave(a); },
  }),
};

// --------------------------------------------------------------- runner

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function send(method, actor, req) {
  if (req.path.startsWith('/api/')) {
    const token = 'token' in req ? req.token : actor.token;
    return srv.api(method, req.path, { token: token || undefined, body: req.body });
  }
  const session = req.session || actor.page;
  let form = req.form;
  if (UNSAFE.has(method)) form = { csrf: session.csrf, ...(form || {}) };
  const r = await page(srv, method, req.path, { cookie: session.cookie, form });
  return { ...r, json: null };
}

const API_CODES = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed' };

/** Compare one answer with its expectation; returns a problem text or null. */
function compare(method, req, expected, res) {
  const [wantStatus, wantLocation] = String(expected).split(' ');
  const got = `${res.status}${res.location ? ` -> ${res.location}` : ''}`;
  const snippet = (res.text || '').slice(0, 160).replace(/\s+/g, ' ');
  if (res.status !== Number(wantStatus)) return `expected ${expected}, got ${got} ${snippet}`;
  if (wantLocation !== undefined && res.location !== wantLocation) return `expected ${expected}, got ${got}`;
  if (req.path.startsWith('/api/') && res.status >= 400) {
    const e = res.json && res.json.error;
    if (!e || typeof e.code !== 'string' || typeof e.message !== 'string') return `${res.status} without the JSON error shape: ${snippet}`;
    if (API_CODES[res.status] && e.code !== API_CODES[res.status]) return `${res.status} with code ${e.code}, expected ${API_CODES[res.status]}`;
  }
  return null;
}

/** The fixed state every route test must leave behind. */
async function assertStateIntact() {
  const me = async (a) => {
    const r = await srv.api('GET', '/api/v1/me', { token: a.token });
    assert.equal(r.status, 200, `${a.name} GET /me: ${r.status} ${r.text}`);
    return r.json;
  };
  const s = await me(A.self);
  const p = await me(A.partner);
  assert.ok(s.space && s.space.partner && s.space.partner.id === A.partner.id, `self and partner are no longer a couple: ${JSON.stringify(s)}`);
  assert.equal(p.space && p.space.id, s.space.id, 'partner is not in self\'s space');
  const o = await me(A.outsider);
  assert.ok(o.space && o.space.partner === null, `outsider is not alone in a space: ${JSON.stringify(o)}`);
  for (const name of ACTORS.filter((n) => n.startsWith('therapist') || n === 'admin')) {
    assert.equal((await me(A[name])).space, null, `${name} was left in a space`);
  }
}

test('`hearth routes` prints the route table', () => {
  assert.equal(routesRun.status, 0, `hearth routes: exit ${routesRun.status} ${routesRun.stderr}`);
  assert.ok(ROUTES.length > 0, 'no routes printed');
  for (const r of ROUTES) {
    assert.ok(typeof r.method === 'string' && typeof r.pattern === 'string' && ['public', 'member'].includes(r.access), JSON.stringify(r));
  }
});

test('every row in lib/matrix.mjs names a route that exists', () => {
  const stale = Object.keys(EXPECT).filter((k) => !ROUTE_KEYS.has(k));
  assert.deepEqual(stale, [], `lib/matrix.mjs has rows for routes that no longer exist: ${stale.join(', ')} — remove them`);
  const staleRecipes = Object.keys(RECIPES).filter((k) => !ROUTE_KEYS.has(k));
  assert.deepEqual(staleRecipes, [], `matrix.test.mjs has recipes for routes that no longer exist: ${staleRecipes.join(', ')}`);
});

test('the access rule of `hearth routes` agrees with the anonymous rows', () => {
  // A member route must refuse anonymous callers; a public one must not.
  const wrong = [];
  for (const r of ROUTES) {
    const e = EXPECT[keyOf(r)];
    if (!e) continue;
    const rows = e.variants ? Object.values(e.variants) : [e];
    for (const row of rows) {
      const anon = String(row.anonymous);
      const refused = anon === '401' || anon === '303 /login';
      if ((r.access === 'member') !== refused) wrong.push(`${keyOf(r)} (${r.access}): anonymous ${anon}`);
    }
  }
  assert.deepEqual(wrong, []);
});

for (const route of ROUTES) {
  const key = keyOf(route);
  test(`matrix: ${key}`, { timeout: TEST_TIMEOUT }, async () => {
    const entry = EXPECT[key];
    assert.ok(entry, `route ${key} has no rows in tests/e2e/lib/matrix.mjs: add its rows (one expected status per actor${route.pattern.includes('{}') ? ' and variant' : ''})`);
    const recipe = RECIPES[key];
    assert.ok(recipe, `route ${key} has no request recipe in tests/e2e/matrix.test.mjs: add one`);
    const hasParam = route.pattern.includes('{}');
    assert.equal(Boolean(entry.variants), hasParam, `${key}: use {variants: ...} exactly when the pattern has {} parameters`);
    const variants = entry.variants || { '': entry };
    if (route.pattern.startsWith('/api/v1/checkins/{}') || route.pattern.startsWith('/checkins/{}')) {
      assert.deepEqual(Object.keys(variants).sort(), [...CHECKIN_VARIANTS].sort(), `${key}: check-in variants`);
    }
    const problems = [];
    for (const [variant, row] of Object.entries(variants)) {
      const missing = ACTORS.filter((a) => !(a in row));
      const extra = Object.keys(row).filter((a) => !ACTORS.includes(a));
      assert.deepEqual(missing, [], `${key} ${variant}: rows missing for actors`);
      assert.deepEqual(extra, [], `${key} ${variant}: rows for unknown actors`);
      for (const name of ACTORS) {
        const actor = A[name];
        const req = await recipe(actor, variant);
        const res = await send(route.method, actor, req);
        const problem = compare(route.method, req, row[name], res);
        if (problem) problems.push(`${name}${variant ? ` [${variant}]` : ''}: ${problem}`);
        if (req.after) await req.after(res);
      }
    }
    const h = await srv.api('GET', '/healthz');
    assert.equal(h.status, 200, `GET /healthz after ${key}`);
    await assertStateIntact();
    assert.deepEqual(problems, [], `${key}:\n  ${problems.join('\n  ')}`);
  });
}

// Not part of the table, but generated from the same route list: every
// state-changing route refuses a request authenticated by the session cookie
// alone when the CSRF token is missing or belongs to another session.
test('CSRF: every state-changing route refuses a cookie without the right CSRF token', { timeout: TEST_TIMEOUT }, async () => {
  const problems = [];
  for (const route of ROUTES.filter((r) => UNSAFE.has(r.method))) {
    const key = keyOf(route);
    const recipe = RECIPES[key];
    if (!recipe) continue; // reported by the route's own test
    const variant = route.pattern.includes('{}') ? 'private' : '';
    for (const mode of ['missing', 'foreign']) {
      const req = await recipe(A.self, variant);
      const session = req.session || A.self.page;
      let res;
      if (req.path.startsWith('/api/')) {
        const headers = { Cookie: session.cookie };
        if (mode === 'foreign') headers['X-CSRF-Token'] = A.partner.page.csrf;
        res = await srv.api(route.method, req.path, { body: req.body, headers });
        if (res.status !== 403 || !res.json || !res.json.error || res.json.error.code !== 'forbidden') {
          problems.push(`${key} (cookie, ${mode} X-CSRF-Token): expected 403 forbidden, got ${res.status} ${res.text.slice(0, 120)}`);
        }
      } else {
        const form = { ...(req.form || {}) };
        if (mode === 'foreign') form.csrf = A.partner.page.csrf;
        res = await page(srv, route.method, req.path, { cookie: session.cookie, form });
        if (res.status !== 403) problems.push(`${key} (${mode} csrf field): expected 403, got ${res.status}${res.location ? ` -> ${res.location}` : ''}`);
      }
      if (req.after) await req.after(res);
    }
  }
  await assertStateIntact();
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('GET /metrics names route patterns only: no ids, usernames or tokens', { timeout: TEST_TIMEOUT }, async () => {
  if (!ROUTE_KEYS.has('GET /metrics')) return;
  const m = await srv.api('GET', '/metrics');
  assert.equal(m.status, 200);
  const secrets = [A.self.id, A.self.username, A.self.token, A.self.page.token, A.partner.id, ...shared.values()];
  for (const v of secrets) assert.ok(!m.text.includes(v), `/metrics contains ${v}`);
});

test('every route printed by `hearth routes` has rows and a recipe', () => {
  const noRows = ROUTES.map(keyOf).filter((k) => !EXPECT[k]);
  const noRecipe = ROUTES.map(keyOf).filter((k) => !RECIPES[k]);
  assert.deepEqual(noRows, [], `add rows to tests/e2e/lib/matrix.mjs for: ${noRows.join(', ')}`);
  assert.deepEqual(noRecipe, [], `add request recipes to tests/e2e/matrix.test.mjs for: ${noRecipe.join(', ')}`);
});
