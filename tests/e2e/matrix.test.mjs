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
import crypto from 'node:crypto';
import { startServer, runCli, uniqueUsername, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, anonForm, cookieLogin, page } from './lib/actors.mjs';
import { ACTORS, EXPECT } from './lib/matrix.mjs';
import { stepOf, totp } from './lib/totp.mjs';

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

/** /metrics answers on the main listener only with this bearer token (none of the actors sends it). */
const METRICS_TOKEN = 'matrix-metrics-token-0123456789abcdef';

before(async () => {
  srv = await startServer({ env: { HEARTH_METRICS_TOKEN: METRICS_TOKEN } });
  A.anonymous = { name: 'anonymous', token: null, page: await anonForm(srv) };
  const couple = await srv.makeCouple('mx');
  A.self = { name: 'self', ...couple.a };
  A.partner = { name: 'partner', ...couple.b };
  A.outsider = { name: 'outsider', ...(await srv.signUp('mxout')) };
  const sp = await srv.api('POST', '/api/v1/spaces', { token: A.outsider.token });
  assert.equal(sp.status, 201, `outsider's space: ${sp.text}`);
  // The four therapist actors: see lib/matrix.mjs. Only one therapist can be linked to a space at a time, so
  // the three linked ones are linked to self's space in their own state by arrangeTherapist() right before the
  // requests that depend on it; the resting state is therapist_linked_consent linked, self consenting.
  A.therapist_unlinked = { name: 'therapist_unlinked', ...(await addRoleUser(srv, 'mxthu', 'therapist')) };
  A.therapist_linked_no_consent = { name: 'therapist_linked_no_consent', ...(await addRoleUser(srv, 'mxthn', 'therapist')) };
  A.therapist_linked_consent = { name: 'therapist_linked_consent', ...(await addRoleUser(srv, 'mxthc', 'therapist')) };
  A.therapist_consent_revoked = { name: 'therapist_consent_revoked', ...(await addRoleUser(srv, 'mxthr', 'therapist')) };
  A.admin = { name: 'admin', ...(await addRoleUser(srv, 'mxadm', 'admin')) };
  for (const name of ACTORS) {
    if (name === 'anonymous') continue;
    A[name].page = await cookieLogin(srv, A[name].username, A[name].password);
  }
  for (const state of ['no_consent', 'revoked', 'consent']) {
    await arrangeTherapist({ no_consent: A.therapist_linked_no_consent, consent: A.therapist_linked_consent, revoked: A.therapist_consent_revoked }[state]);
    const t = (await srv.api('GET', '/api/v1/me', { token: A.self.token })).json.space.therapist;
    assert.equal(t.my_consent, state === 'consent', `self's consent in state ${state}: ${JSON.stringify(t)}`);
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

/** A code of outsider's space for the invite variants: pending (fresh each time) or revoked; its id. */
async function outsiderCodeId(variant) {
  const r = await srv.api('POST', '/api/v1/spaces/current/invites', { token: A.outsider.token });
  assert.equal(r.status, 201, `outsider invite: ${r.status} ${r.text}`);
  if (variant === 'revoked') {
    const d = await srv.api('DELETE', `/api/v1/spaces/current/invites/${r.json.id}`, { token: A.outsider.token });
    assert.equal(d.status, 204, `fixture revoke: ${d.status} ${d.text}`);
  }
  return r.json.id;
}

/** The list of pending codes never carries a code. */
const noCodes = (res) => (res.status === 200 && (!Array.isArray(res.json.items)
  || res.json.items.some((x) => Object.keys(x).sort().join() !== 'created_at,expires_at,id'))
  ? `not a list of {id, created_at, expires_at}: ${res.text.slice(0, 200)}` : null);

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

/** Issue 14: a fresh revealed repair of self's where `author` shared `step` (so the other may answer it). */
async function repairWithStep(author, step) {
  const id = await selfRepair('revealed', { fresh: true });
  await apiOk(author, 'PUT', `/api/v1/repairs/${id}/steps/${step}`, { text: `matrix ${step}` }, 200);
  await apiOk(author, 'POST', `/api/v1/repairs/${id}/steps/${step}/submit`, undefined, 200);
  return id;
}
const couple = (a) => a.name === 'self' || a.name === 'partner';
/** The repair of the variant; revealed, for self or partner: a fresh one where the other shared `step`. */
const toAnswer = async (a, v, step) => (v === 'revealed' && couple(a)
  ? repairWithStep(a.name === 'self' ? A.partner : A.self, step) : selfRepair(v));

/** Today's prompt of self's space, answered by self and partner. */
async function promptAnswered() {
  const t = await apiOk(A.self, 'GET', '/api/v1/prompts/today', undefined, 200);
  for (const who of [A.self, A.partner]) {
    const r = await srv.api('POST', `/api/v1/prompts/${t.id}/answer`, { token: who.token, body: { text: `matrix answer of ${who.name}` } });
    assert.ok([201, 409].includes(r.status), `fixture answer as ${who.name}: ${r.status} ${r.text}`);
  }
  return t.id;
}


// ------------------------------------------------------ therapist fixtures

/**
 * Check-ins with markers, for what a linked therapist may read: self's and partner's, in every visibility.
 * Made fresh before each read (leaving and re-joining, which other recipes do, ends the shared history).
 */
const MARK = {};
let markSeq = 0;
async function markerFixtures() {
  const n = markSeq++;
  for (const who of ['self', 'partner']) {
    for (const visibility of ['therapist', 'partner', 'private']) {
      const m = `mxmark${n}${who}${visibility}`;
      MARK[`${who}:${visibility}`] = m;
      await apiOk(A[who], 'POST', '/api/v1/checkins', { ...checkinBody(visibility), need: m }, 201);
    }
  }
}

/** The consent state of self towards each linked therapist actor (the partner always links, so consents). */
const LINKED = {
  therapist_linked_no_consent: 'none',
  therapist_linked_consent: 'granted',
  therapist_consent_revoked: 'revoked',
};

/**
 * Link `therapist` (default: the resting state, therapist_linked_consent) to self's space: unlink whoever is
 * linked, a fresh code from the therapist, the partner links, then self's consent as LINKED names.
 */
async function arrangeTherapist(therapist = A.therapist_linked_consent) {
  const u = await srv.api('DELETE', '/api/v1/spaces/current/therapist', { token: A.partner.token });
  assert.ok([204, 404].includes(u.status), `fixture unlink: ${u.status} ${u.text}`);
  const code = (await apiOk(therapist, 'POST', '/api/v1/therapist/invites', undefined, 201)).code;
  await apiOk(A.partner, 'POST', '/api/v1/spaces/current/therapist', { code }, 200);
  const state = LINKED[therapist.name];
  if (state !== 'none') await apiOk(A.self, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: true }, 200);
  if (state === 'revoked') await apiOk(A.self, 'POST', '/api/v1/spaces/current/therapist/consent', { grant: false }, 200);
}

/** Before a request to a therapist route about self's space: the actor's own state, or the resting one. */
const arrangeFor = (a) => arrangeTherapist(a.name in LINKED ? a : A.therapist_linked_consent);

const selfSpaceId = async () => (await apiOk(A.self, 'GET', '/api/v1/me', undefined, 200)).space.id;

/** Homework for both in self's space, given just now by the therapist linked for the actor's request (issue 13). */
const homeworkFor = async (a) => (await apiOk(a.name in LINKED ? a : A.therapist_linked_consent, 'POST',
  `/api/v1/therapist/spaces/${await selfSpaceId()}/homework`, { kind: 'task', text: 'a matrix task', for: 'both' }, 201)).id;

/** What the therapist read: markers by consent state (the partner consents; self as LINKED says). */
function checkMarkers(a, text) {
  const selfConsents = LINKED[a.name] === 'granted';
  const problems = [];
  for (const [key, m] of Object.entries(MARK)) {
    const [who, vis] = key.split(':');
    const want = vis === 'therapist' && (who === 'partner' || selfConsents);
    if (text.includes(m) !== want) problems.push(`${key} item ${want ? 'missing' : 'visible'}`);
  }
  return problems.length ? `content: ${problems.join(', ')}` : null;
}

/** All pages of a therapist list (the check reads as the same therapist). */
async function allPages(a, p) {
  let text = '';
  let before = null;
  for (let i = 0; i < 20; i++) {
    const r = await srv.api('GET', `${p}?limit=100${before ? `&before=${encodeURIComponent(before)}` : ''}`, { token: a.token });
    if (r.status !== 200) return `${text}\n[page ${r.status}]`;
    text += r.text;
    before = r.json.next;
    if (!before) break;
  }
  return text;
}

// ------------------------------------------- session fixtures (issue 13)

let securityCheck = null;
/** A fresh result of self's and of partner's, marked "therapist" (leaving and re-joining re-scopes older ones). */
async function sharedResults() {
  if (!securityCheck) securityCheck = await apiOk(A.self, 'GET', '/api/v1/questionnaires/security-check', undefined, 200);
  const answers = Object.fromEntries(securityCheck.items.map((i) => [i.id, i.min]));
  for (const who of ['self', 'partner']) {
    await apiOk(A[who], 'POST', '/api/v1/questionnaires/security-check/responses', { answers, visibility: 'therapist' }, 201);
  }
}

/** Self's results reached the therapist exactly when self consents; the partner's always (the partner links). */
function checkAuthors(a, ids) {
  const want = LINKED[a.name] === 'granted';
  if (ids.includes(A.self.id) !== want) return `self's results ${want ? 'missing' : 'shown without consent'}`;
  return ids.includes(A.partner.id) ? null : 'the consenting partner\'s results are missing';
}

/** A next session 30 days ahead (outside the home card's week, so other rows' home cards stay as they are). */
const sessionAt = () => new Date(Date.now() + 30 * 86400e3).toISOString().slice(0, 16);

// -------------------------------------------------------- article fixtures

let articleSeq = 0;
/** An article of the author's (therapist_unlinked): published or draft; fresh when consumed. */
const articleCache = new Map();
async function authorArticle(variant, { fresh = false } = {}) {
  if (variant !== 'draft') variant = 'published';
  if (!fresh && articleCache.has(variant)) return articleCache.get(variant);
  const a = await apiOk(A.therapist_unlinked, 'POST', '/api/v1/articles',
    { title: `Matrix article ${variant} ${articleSeq++}`, body_markdown: 'Some *words* about listening.', publish: variant === 'published' }, 201);
  if (!fresh) articleCache.set(variant, a.slug);
  return a.slug;
}
/** A fresh pending comment of self's on the published article: [slug, id]. */
async function pendingComment() {
  const slug = await authorArticle('published');
  const k = await apiOk(A.self, 'POST', `/api/v1/articles/${slug}/comments`, { body: 'a comment waiting for approval' }, 201);
  assert.equal(k.status, 'pending', 'fixture comment status');
  return [slug, k.id];
}

// --------------------------------------------------------- growth fixtures

const agreementCache = new Map();
/**
 * An agreement of self's in the couple's space: active or retired (both said yes first: API.md, Growth), or,
 * for the partner's answers (issue 14), a fresh proposal per call (an answer changes it).
 */
async function selfAgreement(variant) {
  if (variant === 'proposed') {
    return (await apiOk(A.self, 'POST', '/api/v1/agreements', { text: 'matrix proposal', review_every_days: 7 }, 201)).id;
  }
  if (variant !== 'retired') variant = 'active';
  if (agreementCache.has(variant)) return agreementCache.get(variant);
  const g = await apiOk(A.self, 'POST', '/api/v1/agreements', { text: `matrix agreement ${variant}`, review_every_days: 7 }, 201);
  await apiOk(A.partner, 'POST', `/api/v1/agreements/${g.id}/accept`, undefined, 200);
  if (variant === 'retired') await apiOk(A.self, 'PATCH', `/api/v1/agreements/${g.id}`, { status: 'retired' }, 200);
  agreementCache.set(variant, g.id);
  return g.id;
}

const QID = 'security-check';
let instrument = null;
async function qAnswers() {
  if (!instrument) instrument = await apiOk(A.self, 'GET', `/api/v1/questionnaires/${QID}`, undefined, 200);
  return Object.fromEntries(instrument.items.map((it) => [it.id, it.min]));
}

/** A throw-away account with the actor's role (the fixed actors must survive deletion). */
async function throwaway(a) {
  if (!a.username) return null;
  const role = a.user && a.user.role ? a.user.role : (a.role || 'member');
  if (role === 'member') return srv.signUp('mxdel');
  return addRoleUser(srv, 'mxdel', role);
}

// ------------------------------------------------------------- recipes
//
// One per route, keyed like lib/matrix.mjs: (actor, variant) -> request
// {path, body?, form?, token?, session?, check?(res), after?(res)}. `check` returns a problem text
// about the answer's content (or null); `token` overrides the
// actor's API token, `session` the actor's page session {cookie, csrf};
// `after` runs once the answer is in (undo state changes).

const newAccount = () => {
  const username = uniqueUsername('mxnew');
  return { username, password: `pw-${username}-correct horse`, display_name: 'New one' };
};

/** A throw-away session of self's (API token) and its id, for the routes that end one session. */
async function selfSpareSession() {
  const token = await freshToken(A.self);
  const r = await srv.api('GET', '/api/v1/sessions?limit=100', { token });
  assert.equal(r.status, 200, `self's sessions: ${r.status} ${r.text}`);
  const mine = r.json.items.find((s) => s.current);
  assert.ok(mine, 'the new session is in the list');
  return { token, id: mine.id };
}

/** After "end all other sessions" from a throw-away page session: log the actor in again (both kinds). */
async function endedOthers(actor) {
  const r = await srv.api('GET', '/api/v1/me', { token: actor.token });
  assert.equal(r.status, 401, `${actor.name}: the API token still works after ending all other sessions`);
  actor.token = await freshToken(actor);
  actor.page = await cookieLogin(srv, actor.username, actor.password);
}

const NEW_PASSWORD = 'maple kettle orbit lantern';
const REMINDER = { channels: ['calendar'], time: '20:00', days: ['mon', 'thu'] };
const QUIET = { from: '22:00', to: '07:30' };

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
  'POST /api/v1/checkins/{}/acknowledge': async (a, v) => ({
    path: `/api/v1/checkins/${await selfCheckin(v, { fresh: true })}/acknowledge`, body: { kind: 'thank_you' },
  }),
  'POST /checkins/{}/acknowledge': async (a, v) => ({ path: `/checkins/${await selfCheckin(v, { fresh: true })}/acknowledge`, form: { kind: 'hug' } }),
  'PUT /api/v1/me/checkin-visibility': () => ({ path: '/api/v1/me/checkin-visibility', body: { visibility: 'private' } }),
  'POST /account/checkin-visibility': () => ({ path: '/account/checkin-visibility', form: { visibility: 'private' } }),

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
  'PUT /api/v1/repairs/{}/steps/{}': async (a, v) => ({
    path: `/api/v1/repairs/${await selfRepair(v)}/steps/heard`, body: { text: 'a matrix draft' },
  }),
  'POST /api/v1/repairs/{}/steps/{}/submit': async (a, v) => {
    const id = await selfRepair(v, { fresh: v === 'revealed' });
    if (v === 'revealed' && couple(a)) await apiOk(a, 'PUT', `/api/v1/repairs/${id}/steps/my_part`, { text: 'matrix my part' }, 200);
    return { path: `/api/v1/repairs/${id}/steps/my_part/submit` };
  },
  'POST /api/v1/repairs/{}/steps/heard/answer': async (a, v) => ({
    path: `/api/v1/repairs/${await toAnswer(a, v, 'heard')}/steps/heard/answer`, body: { answer: 'yes' },
  }),
  'POST /api/v1/repairs/{}/steps/my_part/answer': async (a, v) => ({
    path: `/api/v1/repairs/${await toAnswer(a, v, 'my_part')}/steps/my_part/answer`, body: { answer: 'accept' },
  }),
  'GET /api/v1/feelings': () => ({ path: '/api/v1/feelings' }),
  'GET /api/v1/openapi.json': () => ({ path: '/api/v1/openapi.json' }),
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
  'POST /repairs/{}/safety': async (a, v) => ({ path: `/repairs/${await selfRepair(v)}/safety`, form: {} }),
  'GET /repairs/{}/steps/{}': async (a, v) => ({ path: `/repairs/${await selfRepair(v)}/steps/heard` }),
  'POST /repairs/{}/steps/{}': async (a, v) => ({ path: `/repairs/${await selfRepair(v)}/steps/heard`, form: { text: 'a page draft', action: 'save' } }),
  'POST /repairs/{}/steps/{}/answer': async (a, v) => ({ path: `/repairs/${await toAnswer(a, v, 'heard')}/steps/heard/answer`, form: { answer: 'yes' } }),
  // Revealed: a fresh repair where the actor shared next_time (no check taken there, so back to the step: 303).
  'POST /repairs/{}/steps/{}/agreement': async (a, v) => ({
    path: `/repairs/${v === 'revealed' && couple(a) ? await repairWithStep(a, 'next_time') : await selfRepair(v)}/steps/next_time/agreement`, form: {},
  }),
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
  // pending invite codes (issue 10, part D)
  'GET /api/v1/spaces/current/invites': () => ({ path: '/api/v1/spaces/current/invites', check: noCodes }),
  'DELETE /api/v1/spaces/current/invites/{}': async (a, v) => ({
    path: `/api/v1/spaces/current/invites/${await outsiderCodeId(v)}`,
  }),
  'POST /space/invites/{}/revoke': async (a, v) => ({ path: `/space/invites/${await outsiderCodeId(v)}/revoke`, form: {} }),
  'POST /space/leave': (a) => ({
    path: '/space/leave', form: {},
    after: async (res) => { if (res.location === '/space?left=1') await restoreAfterLeave(a); },
  }),

  // growth
  'GET /api/v1/me/export': () => ({ path: '/api/v1/me/export' }),
  'DELETE /api/v1/me': async (a) => {
    const t = await throwaway(a);
    return { path: '/api/v1/me', token: t ? t.token : null, body: { password: t ? t.password : 'no account at all' } };
  },
  'POST /api/v1/agreements': () => ({ path: '/api/v1/agreements', body: { text: 'we text when late', review_every_days: 7 } }),
  'GET /api/v1/agreements': () => ({ path: '/api/v1/agreements' }),
  'GET /api/v1/agreements/{}': async (a, v) => ({ path: `/api/v1/agreements/${await selfAgreement(v)}` }),
  'PATCH /api/v1/agreements/{}': async (a, v) => ({
    path: `/api/v1/agreements/${await selfAgreement(v)}`, body: { status: v === 'retired' ? 'retired' : 'active' },
  }),
  'POST /api/v1/agreements/{}/accept': async (a, v) => ({ path: `/api/v1/agreements/${await selfAgreement(v)}/accept` }),
  'POST /api/v1/agreements/{}/discuss': async (a, v) => ({
    path: `/api/v1/agreements/${await selfAgreement(v)}/discuss`, body: { note: 'can we talk first?' },
  }),
  'POST /agreements/{}/accept': async (a, v) => ({ path: `/agreements/${await selfAgreement(v)}/accept`, form: {} }),
  'POST /agreements/{}/discuss': async (a, v) => ({
    path: `/agreements/${await selfAgreement(v)}/discuss`, form: { note: 'can we talk first?' },
  }),
  'POST /api/v1/agreements/{}/reviews': async (a, v) => ({
    path: `/api/v1/agreements/${await selfAgreement(v)}/reviews`, body: { outcome: 'kept', note: 'went well' },
  }),
  'GET /api/v1/questionnaires': () => ({ path: '/api/v1/questionnaires' }),
  'GET /api/v1/questionnaires/{}': () => ({ path: `/api/v1/questionnaires/${QID}` }),
  'POST /api/v1/questionnaires/{}/responses': async () => ({
    path: `/api/v1/questionnaires/${QID}/responses`, body: { answers: await qAnswers(), visibility: 'private' },
  }),
  'GET /api/v1/questionnaires/{}/responses': () => ({ path: `/api/v1/questionnaires/${QID}/responses` }),
  'GET /api/v1/trends': () => ({ path: '/api/v1/trends?metric=mood&author=me' }),
  'GET /api/v1/trends.svg': () => ({ path: '/api/v1/trends.svg?metric=mood&author=me' }),
  'GET /api/v1/timeline': () => ({ path: '/api/v1/timeline' }),
  'GET /agreements': () => ({ path: '/agreements' }),
  'POST /agreements/new': () => ({ path: '/agreements/new', form: { text: 'a page agreement', review_every_days: '7' } }),
  'POST /agreements/{}/review': async (a, v) => ({ path: `/agreements/${await selfAgreement(v)}/review`, form: { outcome: 'partly', note: '' } }),
  'POST /agreements/{}/status': async (a, v) => ({
    path: `/agreements/${await selfAgreement(v)}/status`, form: { status: v === 'retired' ? 'retired' : 'active' },
  }),
  'GET /questionnaires': () => ({ path: '/questionnaires' }),
  'GET /questionnaires/{}': () => ({ path: `/questionnaires/${QID}` }),
  'POST /questionnaires/{}': async () => ({
    path: `/questionnaires/${QID}`,
    form: { ...Object.fromEntries(Object.entries(await qAnswers()).map(([k, v]) => [k, String(v)])), visibility: 'private' },
  }),
  'GET /trends': () => ({ path: '/trends' }),
  'GET /timeline': () => ({ path: '/timeline' }),
  'GET /account/export': () => ({ path: '/account/export' }),
  'GET /account/delete': () => ({ path: '/account/delete' }),
  'POST /account/delete': async (a) => {
    const t = await throwaway(a);
    if (!t) return { path: '/account/delete', form: { password: 'no account at all' } };
    return { path: '/account/delete', session: await cookieLogin(srv, t.username, t.password), form: { password: t.password } };
  },

  // therapist: the couple's side (resting state first: self's space has a therapist, self consents)
  'POST /api/v1/therapist/invites': () => ({ path: '/api/v1/therapist/invites' }),
  'POST /api/v1/spaces/current/therapist': async (a) => {
    await arrangeTherapist();
    const code = (await apiOk(A.therapist_unlinked, 'POST', '/api/v1/therapist/invites', undefined, 201)).code;
    return {
      path: '/api/v1/spaces/current/therapist', body: { code },
      after: async (res) => { if (res.status === 200) await apiOk(a, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204); },
    };
  },
  'POST /api/v1/spaces/current/therapist/consent': async () => {
    await arrangeTherapist();
    return { path: '/api/v1/spaces/current/therapist/consent', body: { grant: true } };
  },
  'DELETE /api/v1/spaces/current/therapist': async () => { await arrangeTherapist(); return { path: '/api/v1/spaces/current/therapist' }; },
  'GET /api/v1/spaces/current/access-log': () => ({ path: '/api/v1/spaces/current/access-log' }),
  // therapist: the therapist's side, about self's space in the actor's state
  'GET /api/v1/therapist/spaces': () => ({ path: '/api/v1/therapist/spaces' }),
  'GET /api/v1/therapist/spaces/{}/checkins': async (a) => {
    await arrangeFor(a);
    await markerFixtures();
    const p = `/api/v1/therapist/spaces/${await selfSpaceId()}/checkins`;
    return { path: p, check: async (res) => (res.status === 200 ? checkMarkers(a, await allPages(a, p)) : null) };
  },
  'GET /api/v1/therapist/spaces/{}/repairs': async (a) => {
    await arrangeFor(a);
    await selfRepair('revealed');
    return {
      path: `/api/v1/therapist/spaces/${await selfSpaceId()}/repairs`,
      check: (res) => (res.status === 200 && res.text.includes(SIDE.perspective) ? 'a repair side text reached the therapist' : null),
    };
  },
  'GET /api/v1/therapist/spaces/{}/trends': async (a) => {
    await arrangeFor(a);
    return {
      path: `/api/v1/therapist/spaces/${await selfSpaceId()}/trends?metric=mood`,
      check: (res) => {
        if (res.status !== 200) return null;
        const ids = (res.json.partners || []).map((x) => x.partner_id);
        const want = LINKED[a.name] === 'granted';
        return ids.includes(A.self.id) === want ? null : `self's series ${want ? 'missing' : 'shown without consent'}: ${res.text.slice(0, 200)}`;
      },
    };
  },
  'GET /api/v1/therapist/spaces/{}/safety-checks': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/safety-checks` };
  },
  'POST /api/v1/therapist/spaces/{}/notes': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/notes`, body: { text: `a note by ${a.name}` } };
  },
  'GET /api/v1/therapist/spaces/{}/notes': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/notes` };
  },
  'GET /api/v1/therapist/spaces/{}/questionnaires': async (a) => {
    await arrangeFor(a);
    await sharedResults();
    return {
      path: `/api/v1/therapist/spaces/${await selfSpaceId()}/questionnaires?limit=100`,
      check: (res) => (res.status === 200 ? checkAuthors(a, res.json.items.map((x) => x.author_id)) : null),
    };
  },
  'PUT /api/v1/therapist/spaces/{}/next-session': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/next-session`, body: { at: sessionAt() } };
  },
  'GET /api/v1/therapist/spaces/{}/summary': async (a) => {
    await arrangeFor(a);
    await sharedResults();
    await markerFixtures();
    return {
      path: `/api/v1/therapist/spaces/${await selfSpaceId()}/summary`,
      check: (res) => {
        if (res.status !== 200) return null;
        if (Object.values(MARK).some((m) => res.text.includes(m))) return 'a check-in text reached the summary';
        const ids = res.json.partners.filter((x) => 'questionnaires' in x).map((x) => x.id);
        return checkAuthors(a, ids);
      },
    };
  },
  'GET /therapist': () => ({ path: '/therapist' }),
  'POST /therapist/invite': () => ({ path: '/therapist/invite', form: {} }),
  'GET /therapist/spaces/{}': async (a) => {
    await arrangeFor(a);
    await markerFixtures();
    const p = `/therapist/spaces/${await selfSpaceId()}`;
    return { path: p, check: (res) => (res.status === 200 ? checkMarkers(a, res.text) : null) };
  },
  'POST /therapist/spaces/{}/notes': async (a) => {
    await arrangeFor(a);
    return { path: `/therapist/spaces/${await selfSpaceId()}/notes`, form: { text: `a page note by ${a.name}` } };
  },
  'POST /therapist/spaces/{}/next-session': async (a) => {
    await arrangeFor(a);
    return { path: `/therapist/spaces/${await selfSpaceId()}/next-session`, form: { at: sessionAt() } };
  },
  'GET /therapist/spaces/{}/summary': async (a) => {
    await arrangeFor(a);
    await markerFixtures();
    const p = `/therapist/spaces/${await selfSpaceId()}/summary`;
    return { path: p, check: (res) => (res.status === 200 && Object.values(MARK).some((m) => res.text.includes(m)) ? 'a check-in text reached the summary page' : null) };
  },
  'POST /space/therapist': async (a) => {
    await arrangeTherapist();
    const code = (await apiOk(A.therapist_unlinked, 'POST', '/api/v1/therapist/invites', undefined, 201)).code;
    return {
      path: '/space/therapist', form: { therapist_code: code },
      after: async (res) => { if (res.location === '/space?therapist=linked') await apiOk(a, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204); },
    };
  },
  'POST /space/therapist/consent': async () => { await arrangeTherapist(); return { path: '/space/therapist/consent', form: { grant: '1' } }; },
  'POST /space/therapist/unlink': async () => { await arrangeTherapist(); return { path: '/space/therapist/unlink', form: {} }; },

  // articles (the author is therapist_unlinked)
  'GET /api/v1/articles': () => ({ path: '/api/v1/articles' }),
  'POST /api/v1/articles': () => ({ path: '/api/v1/articles', body: { title: 'A matrix post', body_markdown: 'Hello.', publish: false } }),
  'GET /api/v1/articles/{}': async (a, v) => ({ path: `/api/v1/articles/${await authorArticle(v)}` }),
  'PATCH /api/v1/articles/{}': async (a, v) => ({ path: `/api/v1/articles/${await authorArticle(v)}`, body: { body_markdown: `patched by ${a.name}` } }),
  'DELETE /api/v1/articles/{}': async (a, v) => ({ path: `/api/v1/articles/${await authorArticle(v, { fresh: true })}` }),
  'GET /api/v1/articles/{}/comments': async (a, v) => ({ path: `/api/v1/articles/${await authorArticle(v)}/comments` }),
  'POST /api/v1/articles/{}/comments': async (a, v) => ({ path: `/api/v1/articles/${await authorArticle(v)}/comments`, body: { body: 'Thank you.' } }),
  'POST /api/v1/articles/{}/comments/{}/approve': async () => {
    const [slug, id] = await pendingComment();
    return { path: `/api/v1/articles/${slug}/comments/${id}/approve` };
  },
  'DELETE /api/v1/articles/{}/comments/{}': async () => {
    const [slug, id] = await pendingComment();
    return { path: `/api/v1/articles/${slug}/comments/${id}` };
  },
  'GET /articles.atom': () => ({ path: '/articles.atom' }),
  'GET /articles': () => ({ path: '/articles' }),
  'GET /articles/new': () => ({ path: '/articles/new' }),
  'POST /articles/new': () => ({ path: '/articles/new', form: { title: 'A page post', body_markdown: 'Hi.' } }),
  'GET /articles/{}': async (a, v) => ({ path: `/articles/${await authorArticle(v)}` }),
  'POST /articles/{}/comments': async (a, v) => ({ path: `/articles/${await authorArticle(v)}/comments`, form: { body: 'From the page.' } }),
  'POST /articles/{}/comments/{}': async () => {
    const [slug, id] = await pendingComment();
    return { path: `/articles/${slug}/comments/${id}`, form: { action: 'approve' } };
  },
  // sessions and passwords (issue 10, part A)
  'GET /api/v1/sessions': () => ({ path: '/api/v1/sessions' }),
  'POST /api/v1/sessions/current/reauth': (a) => ({ path: '/api/v1/sessions/current/reauth', body: { password: a.password || 'no account at all' } }),
  'DELETE /api/v1/sessions/{}': async () => {
    const spare = await selfSpareSession();
    return {
      path: `/api/v1/sessions/${spare.id}`,
      after: async (res) => {
        const me = await srv.api('GET', '/api/v1/me', { token: spare.token });
        assert.equal(me.status, res.status === 204 ? 401 : 200, 'the session ended exactly when the answer says so');
      },
    };
  },
  'POST /api/v1/me/password': async (a) => {
    const t = await throwaway(a);
    return { path: '/api/v1/me/password', token: t ? t.token : null, body: { current: t ? t.password : 'x', new: NEW_PASSWORD } };
  },
  'GET /account/password': () => ({ path: '/account/password' }),
  'POST /account/password': async (a) => {
    const t = await throwaway(a);
    const form = { current: t ? t.password : 'x', new: NEW_PASSWORD, new_again: NEW_PASSWORD };
    return { path: '/account/password', session: t ? await cookieLogin(srv, t.username, t.password) : await anonForm(srv), form };
  },
  'POST /account/sessions/end-others': async (a) => ({
    path: '/account/sessions/end-others', session: await freshPageSession(a), form: {},
    after: async (res) => { if (res.location === '/account?others=1') await endedOthers(a); },
  }),
  'POST /account/sessions/{}/end': async () => {
    const spare = await selfSpareSession();
    return {
      path: `/account/sessions/${spare.id}/end`, form: {},
      after: async (res) => {
        const me = await srv.api('GET', '/api/v1/me', { token: spare.token });
        assert.equal(me.status, res.status === 303 && res.location !== '/login' ? 401 : 200, 'the session ended exactly when the answer says so');
      },
    };
  },
  'GET /reauth': () => ({ path: '/reauth?next=/account' }),
  'POST /reauth': (a) => ({ path: '/reauth', form: { password: a.password || 'no account at all', next: '/account' } }),
  // conversation decks, the installable app (issue 15)
  'GET /api/v1/decks': () => ({ path: '/api/v1/decks' }),
  'GET /api/v1/decks/{}': () => ({ path: '/api/v1/decks/again' }),
  'GET /decks': () => ({ path: '/decks' }),
  'GET /decks/{}': () => ({ path: '/decks/again' }),
  'POST /api/v1/prompts/tomorrow': () => ({ path: '/api/v1/prompts/tomorrow', body: { question_id: 'again-001' } }),
  'POST /prompts/tomorrow': () => ({ path: '/prompts/tomorrow', form: { question_id: 'again-001' } }),
  'GET /manifest.webmanifest': () => ({ path: '/manifest.webmanifest' }),
  'GET /sw.js': () => ({ path: '/sw.js' }),
  'GET /offline': () => ({ path: '/offline' }),

  'GET /articles/{}/edit': async (a, v) => ({ path: `/articles/${await authorArticle(v)}/edit` }),
  // Keeps the variant's state (a draft stays a draft: no publish field).
  'POST /articles/{}/edit': async (a, v) => {
    const slug = await authorArticle(v);
    const form = { title: `Matrix article ${v} edited`, body_markdown: 'Edited on the page.' };
    if (v !== 'draft') form.publish = '1';
    return { path: `/articles/${slug}/edit`, form };
  },

  // two-step login (issue 10, part B); `after` turns it off whatever the answer (the CSRF test below
  // sends these recipes without a token), so the actors keep logging in with their password alone. What
  // turns it off uses a session made before it was turned on: fresh (issue 10 part A), and made without a code.
  'POST /api/v1/me/two-step': async (a) => {
    const t = await freshToken(a);
    return { path: '/api/v1/me/two-step', after: () => twoStepOff(a, t) };
  },
  'POST /api/v1/me/two-step/confirm': async (a) => {
    const t = await freshToken(a);
    const secret = a.token ? (await apiOk(a, 'POST', '/api/v1/me/two-step', undefined, 201)).secret : null;
    return { path: '/api/v1/me/two-step/confirm', body: { otp: secret ? totp(secret) : '123456' }, after: () => twoStepOff(a, t) };
  },
  'DELETE /api/v1/me/two-step': async (a) => {
    const t = await freshToken(a);
    await twoStepOn(a);
    return { path: '/api/v1/me/two-step', token: t, body: { password: a.password || 'no account at all' }, after: () => twoStepOff(a, t) };
  },
  'GET /account/two-step': () => ({ path: '/account/two-step' }),
  'POST /account/two-step': async (a) => {
    const t = await freshToken(a);
    return { path: '/account/two-step', form: {}, after: () => twoStepOff(a, t) };
  },
  'POST /account/two-step/confirm': async (a) => {
    const t = await freshToken(a);
    const secret = a.token ? (await apiOk(a, 'POST', '/api/v1/me/two-step', undefined, 201)).secret : null;
    return { path: '/account/two-step/confirm', form: { otp: secret ? totp(secret) : '123456' }, after: () => twoStepOff(a, t) };
  },
  'POST /account/two-step/off': async (a) => {
    const session = await freshPageSession(a);
    const t = await freshToken(a);
    await twoStepOn(a);
    return {
      path: '/account/two-step/off', session, form: { password: a.password || 'no account at all' }, after: () => twoStepOff(a, t),
    };
  },
  // issue 11: a fresh card of self's each time (the partner opens a repair: "repair_opened" for self).
  'GET /api/v1/home': () => ({ path: '/api/v1/home' }),
  'POST /api/v1/home/dismiss': async () => ({
    path: '/api/v1/home/dismiss', body: { kind: 'repair_opened', id: await openRepairAs(A.partner) },
  }),
  'POST /home/dismiss': async () => ({
    path: '/home/dismiss', form: { kind: 'repair_opened', id: await openRepairAs(A.partner) },
  }),
  'GET /growth': () => ({ path: '/growth' }),
  'GET /space/leave': () => ({ path: '/space/leave' }),
  'POST /account/quick-exit': () => ({ path: '/account/quick-exit', form: {} }),
  'GET /login/code': () => ({ path: '/login/code' }),
  'POST /login/code': async (a) => {
    const t = await addRoleUser(srv, 'mxts', 'member');
    await twoStepOn(t);
    const session = await freshPageSession(a);
    const first = await page(srv, 'POST', '/login', { cookie: session.cookie, form: { csrf: session.csrf, username: t.username, password: t.password } });
    const m = /name="ticket" value="([^"]+)"/.exec(first.text);
    assert.ok(m, `POST /login of a two-step account gave no ticket: ${first.status}`);
    return { path: '/login/code', session, form: { ticket: m[1], otp: totp(t.secret, { at: (stepOf(Date.now()) + 1) * 30000 }) } };
  },
  // time as people say it (issue 12): the actor's own time zone set back to its space's (a change of nothing)
  'PATCH /api/v1/me': () => ({ path: '/api/v1/me', body: { time_zone: '' } }),
  'POST /account/profile': () => ({ path: '/account/profile', form: { time_zone: '' } }),
  // the blog and web hygiene (issue 12)
  'GET /robots.txt': () => ({ path: '/robots.txt' }),
  'GET /sitemap.xml': () => ({ path: '/sitemap.xml' }),
  'GET /api/v1/tags': () => ({ path: '/api/v1/tags' }),
  'GET /articles/tags': () => ({ path: '/articles/tags' }),
  'POST /account/bio': () => ({ path: '/account/bio', form: { bio: 'A matrix bio.' } }),
  // our cycle, what we came through (issue 14)
  'GET /api/v1/cycle': () => ({ path: '/api/v1/cycle' }),
  'PUT /api/v1/cycle/mine': (a) => { cycleReset([a]); return { path: '/api/v1/cycle/mine', body: CYCLE_SIDE }; },
  'POST /api/v1/cycle/mine/submit': async (a) => {
    cycleReset([a]);
    if (a.token) await apiOk(a, 'PUT', '/api/v1/cycle/mine', CYCLE_SIDE, 200);
    return { path: '/api/v1/cycle/mine/submit' };
  },
  'PUT /api/v1/cycle/shared': async () => { await cycleShared(); return { path: '/api/v1/cycle/shared', body: { text: 'our cycle, named' } }; },
  'GET /api/v1/therapist/spaces/{}/cycle': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/cycle` };
  },
  'GET /api/v1/came-through': () => ({ path: '/api/v1/came-through' }),
  'GET /cycle': () => ({ path: '/cycle' }),
  'POST /cycle/mine': (a) => { cycleReset([a]); return { path: '/cycle/mine', form: { ...CYCLE_SIDE, action: 'save' } }; },
  'POST /cycle/shared': async () => { await cycleShared(); return { path: '/cycle/shared', form: { text: 'our cycle, named' } }; },
  'POST /cycle/safety': () => ({ path: '/cycle/safety', form: {} }),
  'GET /came-through': () => ({ path: '/came-through' }),
  // a bridge between sessions (issue 13): what an actor adds is taken off again (the list holds 100 at most)
  'POST /api/v1/bridge': (a) => ({
    path: '/api/v1/bridge', body: { text: 'matrix bridge item' }, after: async (res) => { if (res.status === 201) await dropBridgeItem(res.json.id, a)(); },
  }),
  'GET /api/v1/bridge': () => ({ path: '/api/v1/bridge' }),
  'PATCH /api/v1/bridge/{}': async (a, v) => ({ path: `/api/v1/bridge/${await selfBridgeItem(v)}`, body: { text: `matrix bridge ${v}` } }),
  'DELETE /api/v1/bridge/{}': async (a, v) => {
    const id = await selfBridgeItem(v, { fresh: true });
    return { path: `/api/v1/bridge/${id}`, after: dropBridgeItem(id) };
  },
  'GET /api/v1/therapist/spaces/{}/bridge': async (a) => {
    await arrangeFor(a);
    await selfBridgeItem('shared');
    const p = `/api/v1/therapist/spaces/${await selfSpaceId()}/bridge`;
    return {
      path: p,
      check: async (res) => {
        if (res.status !== 200) return null;
        const want = LINKED[a.name] === 'granted';
        return res.text.includes('matrix bridge shared') === want ? null : `self's shared item ${want ? 'missing' : 'visible'}`;
      },
    };
  },
  'POST /api/v1/therapist/spaces/{}/bridge/{}/talked-about': async (a, v) => {
    await arrangeFor(a);
    const id = await selfBridgeItem(v, { fresh: true });
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/bridge/${id}/talked-about`, after: dropBridgeItem(id) };
  },
  'GET /bridge': () => ({ path: '/bridge' }),
  'POST /bridge': (a) => ({
    path: '/bridge', form: { text: 'matrix page bridge item', share_with_partner: '1' },
    after: async () => dropBridgeText(a, 'matrix page bridge item'),
  }),
  'POST /bridge/{}': async (a, v) => ({ path: `/bridge/${await selfBridgeItem(v)}`, form: { text: `matrix bridge ${v}` } }),
  'POST /bridge/{}/delete': async (a, v) => {
    const id = await selfBridgeItem(v, { fresh: true });
    return { path: `/bridge/${id}/delete`, form: {}, after: dropBridgeItem(id) };
  },
  'POST /therapist/spaces/{}/bridge/{}/talked-about': async (a, v) => {
    await arrangeFor(a);
    const id = await selfBridgeItem(v, { fresh: true });
    return { path: `/therapist/spaces/${await selfSpaceId()}/bridge/${id}/talked-about`, form: {}, after: dropBridgeItem(id) };
  },
  // a break with a promise to return (issue 14): each actor's own break is ended after; self's runs for the reads
  'POST /api/v1/breaks': (a) => ({ path: '/api/v1/breaks', body: { minutes: 30, note: 'back soon' }, after: () => endBreak(a) }),
  'GET /api/v1/breaks/current': async () => {
    await selfOnBreak();
    return { path: '/api/v1/breaks/current', after: () => endBreak(A.self) };
  },
  'DELETE /api/v1/breaks/current': async (a) => {
    await selfOnBreak();
    return { path: '/api/v1/breaks/current', check: () => selfBreakCheck(a), after: () => endBreak(A.self) };
  },
  'GET /break': () => ({ path: '/break' }),
  'POST /break': (a) => ({ path: '/break', form: { choice: '30', note: 'from the page' }, after: () => endBreak(a) }),
  'POST /break/end': async (a) => {
    await selfOnBreak();
    return { path: '/break/end', form: {}, check: () => selfBreakCheck(a), after: () => endBreak(A.self) };
  },

  // homework (issue 13): the therapist's side about self's space in the actor's state, the partner's side
  'POST /api/v1/therapist/spaces/{}/homework': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/homework`, body: { kind: 'repair', for: 'both' } };
  },
  'GET /api/v1/therapist/spaces/{}/homework': async (a) => {
    await arrangeFor(a);
    // Self marks it done where self consents (else self does not see it: 404); the therapist sees that only then.
    const id = await homeworkFor(a);
    const selfConsents = !(a.name in LINKED) || LINKED[a.name] === 'granted';
    await apiOk(A.self, 'POST', `/api/v1/homework/${id}/done`, undefined, selfConsents ? 200 : 404);
    return {
      path: `/api/v1/therapist/spaces/${await selfSpaceId()}/homework`,
      check: (res) => {
        if (res.status !== 200) return null;
        const shown = res.json.items.some((x) => A.self.id in x.status);
        const want = LINKED[a.name] === 'granted';
        return shown === want ? null : `self's homework status ${want ? 'missing' : 'shown without consent'}: ${res.text.slice(0, 200)}`;
      },
    };
  },
  'DELETE /api/v1/therapist/spaces/{}/homework/{}': async (a) => {
    await arrangeFor(a);
    return { path: `/api/v1/therapist/spaces/${await selfSpaceId()}/homework/${await homeworkFor(a)}` };
  },
  'POST /therapist/spaces/{}/homework': async (a) => {
    await arrangeFor(a);
    return { path: `/therapist/spaces/${await selfSpaceId()}/homework`, form: { kind: 'task', text: `a task by ${a.name}`, for: 'both' } };
  },
  'POST /therapist/spaces/{}/homework/{}/delete': async (a) => {
    await arrangeFor(a);
    return { path: `/therapist/spaces/${await selfSpaceId()}/homework/${await homeworkFor(a)}/delete`, form: {} };
  },
  'GET /api/v1/homework': () => ({ path: '/api/v1/homework' }),
  'POST /api/v1/homework/{}/done': async () => {
    await arrangeTherapist();
    return { path: `/api/v1/homework/${await homeworkFor(A.therapist_linked_consent)}/done` };
  },
  'POST /api/v1/homework/{}/not-this-week': async () => {
    await arrangeTherapist();
    return { path: `/api/v1/homework/${await homeworkFor(A.therapist_linked_consent)}/not-this-week`, body: { note: 'a busy week' } };
  },
  'GET /homework': () => ({ path: '/homework' }),
  'POST /homework/{}/done': async () => {
    await arrangeTherapist();
    return { path: `/homework/${await homeworkFor(A.therapist_linked_consent)}/done`, form: {} };
  },
  'POST /homework/{}/not-this-week': async () => {
    await arrangeTherapist();
    return { path: `/homework/${await homeworkFor(A.therapist_linked_consent)}/not-this-week`, form: { note: 'a busy week' } };
  },
  // reminders (issue 15)
  'GET /api/v1/reminders': () => ({ path: '/api/v1/reminders' }),
  'PUT /api/v1/reminders/{}': () => ({ path: '/api/v1/reminders/checkin', body: REMINDER }),
  'DELETE /api/v1/reminders/{}': async (a) => {
    if (a.username) await apiOk(a, 'PUT', '/api/v1/reminders/prompt', REMINDER, 200);
    return { path: '/api/v1/reminders/prompt' };
  },
  'POST /api/v1/calendar': () => ({ path: '/api/v1/calendar' }),
  'DELETE /api/v1/calendar': async (a) => {
    if (a.username) await apiOk(a, 'POST', '/api/v1/calendar', undefined, 201);
    return { path: '/api/v1/calendar' };
  },
  'GET /calendar/{}': async (a, v) => {
    const url = (await apiOk(A.self, 'POST', '/api/v1/calendar', undefined, 201)).url;
    if (v === 'ended') await apiOk(A.self, 'DELETE', '/api/v1/calendar', undefined, 204);
    return { path: new URL(url).pathname };
  },
  'GET /reminders': () => ({ path: '/reminders' }),
  'POST /reminders/{}': () => ({ path: '/reminders/checkin', form: { channels: 'calendar', time: '20:00', days: 'sun' } }),
  'POST /reminders/{}/off': async (a) => {
    if (a.username) await apiOk(a, 'PUT', '/api/v1/reminders/homework', REMINDER, 200);
    return { path: '/reminders/homework/off', form: {} };
  },
  'POST /reminders/calendar': () => ({ path: '/reminders/calendar', form: {} }),
  'PUT /api/v1/me/email': () => ({ path: '/api/v1/me/email', body: { email: 'matrix@example.org' } }),
  'DELETE /api/v1/me/email': () => ({ path: '/api/v1/me/email' }),
  'POST /reminders/email': () => ({ path: '/reminders/email', form: { email: 'matrix@example.org' } }),
  'POST /reminders/email/remove': () => ({ path: '/reminders/email/remove', form: {} }),
  // A token of self's shape that opens nothing: self has no address.
  'GET /email/confirm/{}': () => ({ path: `/email/confirm/${A.self.id}.${'A'.repeat(43)}` }),
  'POST /email/confirm/{}': () => ({ path: `/email/confirm/${A.self.id}.${'A'.repeat(43)}`, form: {} }),
  'GET /unsubscribe/{}': () => ({ path: `/unsubscribe/${A.self.id}.${'A'.repeat(43)}` }),
  'POST /unsubscribe/{}': () => ({ path: `/unsubscribe/${A.self.id}.${'A'.repeat(43)}`, form: { 'List-Unsubscribe': 'One-Click' } }),
  'POST /reminders/calendar/end': async (a) => {
    if (a.username) await apiOk(a, 'POST', '/api/v1/calendar', undefined, 201);
    return { path: '/reminders/calendar/end', form: {} };
  },
  // quiet hours and notices (issue 15): each actor's own
  'PUT /api/v1/me/quiet-hours': () => ({ path: '/api/v1/me/quiet-hours', body: QUIET }),
  'DELETE /api/v1/me/quiet-hours': async (a) => {
    if (a.username) await apiOk(a, 'PUT', '/api/v1/me/quiet-hours', QUIET, 200);
    return { path: '/api/v1/me/quiet-hours' };
  },
  'PUT /api/v1/me/notices': () => ({ path: '/api/v1/me/notices', body: { kinds: ['prompt'], channels: ['email'] } }),
  'DELETE /api/v1/me/notices': () => ({ path: '/api/v1/me/notices' }),
  'POST /reminders/quiet-hours': () => ({ path: '/reminders/quiet-hours', form: QUIET }),
  'POST /reminders/quiet-hours/off': async (a) => {
    if (a.username) await apiOk(a, 'PUT', '/api/v1/me/quiet-hours', QUIET, 200);
    return { path: '/reminders/quiet-hours/off', form: {} };
  },
  'POST /reminders/notices': () => ({ path: '/reminders/notices', form: { kinds: 'prompt', channels: 'email', wording: 'neutral' } }),
  'POST /reminders/notices/off': () => ({ path: '/reminders/notices/off', form: {} }),
  // web push (issue 15): a device of self's, fresh for each request (the owner's request removes it)
  'GET /api/v1/push/key': () => ({ path: '/api/v1/push/key' }),
  'GET /api/v1/push/subscriptions': () => ({ path: '/api/v1/push/subscriptions' }),
  'POST /api/v1/push/subscriptions': (a) => ({
    path: '/api/v1/push/subscriptions', body: pushDevice(),
    after: async (res) => { if (res.status === 201) await apiOk(a, 'DELETE', `/api/v1/push/subscriptions/${res.json.id}`, undefined, 204); },
  }),
  'DELETE /api/v1/push/subscriptions/{}': async () => ({ path: `/api/v1/push/subscriptions/${await selfDevice()}` }),
  'POST /reminders/push/{}/remove': async () => ({ path: `/reminders/push/${await selfDevice()}/remove`, form: {} }),
};

/** A browser's push subscription, as pushManager.subscribe gives it: a public https endpoint, its keys. */
function pushDevice() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.net/matrix/${crypto.randomBytes(8).toString('hex')}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: crypto.randomBytes(16).toString('base64url') },
  };
}
/** A device of self's (a new one when self removed the last); its id. */
async function selfDevice() {
  const mine = (await apiOk(A.self, 'GET', '/api/v1/push/subscriptions', undefined, 200)).items;
  return mine.length ? mine[0].id : (await apiOk(A.self, 'POST', '/api/v1/push/subscriptions', pushDevice(), 201)).id;
}

const CYCLE_SIDE = { when_i_feel: 'worried', i_tend_to: 'pursue', i_long_for: 'closeness' };
/** No side of these actors' (signed-in ones) in any scope. */
function cycleReset(actors) {
  const ids = actors.filter((x) => x.id).map((x) => `'${x.id}'`);
  if (ids.length) srv.sql(`DELETE FROM cycle_sides WHERE author_id IN (${ids.join(', ')})`);
}
/** Self's and the partner's sides both submitted, so that their shared text opens. */
async function cycleShared() {
  const g = await apiOk(A.self, 'GET', '/api/v1/cycle', undefined, 200);
  if (g.state === 'shared') return;
  cycleReset([A.self, A.partner]);
  for (const who of [A.self, A.partner]) {
    await apiOk(who, 'PUT', '/api/v1/cycle/mine', CYCLE_SIDE, 200);
    await apiOk(who, 'POST', '/api/v1/cycle/mine/submit', undefined, 200);
  }
}

// ------------------------------------------------------- bridge fixtures (issue 13)

/** An item of self's list: private (shared with nobody) or shared (with the therapist and the partner). */
const bridgeCache = new Map();
async function selfBridgeItem(variant, { fresh = false } = {}) {
  if (variant !== 'shared') variant = 'private';
  if (!fresh && bridgeCache.has(variant)) return bridgeCache.get(variant);
  const shared = variant === 'shared';
  const it = await apiOk(A.self, 'POST', '/api/v1/bridge',
    { text: `matrix bridge ${variant}`, share_with_therapist: shared, share_with_partner: shared }, 201);
  if (!fresh) bridgeCache.set(variant, it.id);
  return it.id;
}

/** Takes an item off its author's list (default self), whatever became of it (deleted already: 404). */
const dropBridgeItem = (id, author = A.self) => async () => {
  const r = await srv.api('DELETE', `/api/v1/bridge/${id}`, { token: author.token });
  assert.ok([204, 404].includes(r.status), `drop bridge item: ${r.status} ${r.text}`);
};

/** Takes the actor's items with this text off their list (after a page added one). */
async function dropBridgeText(a, text) {
  if (!a.token) return;
  const r = await srv.api('GET', '/api/v1/bridge', { token: a.token });
  if (r.status !== 200) return;
  for (const it of r.json.items.filter((x) => x.text === text)) await dropBridgeItem(it.id, a)();
}

/** Self takes a break of 30 minutes (issue 14). */
async function selfOnBreak() {
  await apiOk(A.self, 'POST', '/api/v1/breaks', { minutes: 30 }, 201);
}

/** Ends the actor's own break, if any (nothing for anonymous). */
async function endBreak(a) {
  if (!a.token) return;
  const r = await srv.api('DELETE', '/api/v1/breaks/current', { token: a.token });
  assert.ok(r.status === 204 || r.status === 404, `ending ${a.name}'s break: ${r.status} ${r.text}`);
}

/** After anyone but self asked to end "the current break", self's still runs. */
async function selfBreakCheck(a) {
  if (a === A.self) return null;
  const r = await srv.api('GET', '/api/v1/breaks/current', { token: A.self.token });
  return r.status === 200 && r.json.mine ? null : `self's break did not survive ${a.name}'s request: ${r.status} ${r.text}`;
}

/** Turns two-step login on for the actor (nothing for anonymous); keeps the secret on the actor. */
async function twoStepOn(a) {
  if (!a.token) return;
  const { secret } = await apiOk(a, 'POST', '/api/v1/me/two-step', undefined, 201);
  await apiOk(a, 'POST', '/api/v1/me/two-step/confirm', { otp: totp(secret) }, 200);
  a.secret = secret;
}

/** Turns it off again (or drops a pending setup) with the token given: 204, or 404 when there was nothing. */
async function twoStepOff(a, token) {
  if (!a.token) return;
  const r = await srv.api('DELETE', '/api/v1/me/two-step', { token, body: { password: a.password } });
  assert.ok(r.status === 204 || r.status === 404, `turning two-step off for ${a.name}: ${r.status} ${r.text}`);
  const me = await apiOk(a, 'GET', '/api/v1/me', undefined, 200);
  assert.equal(me.two_step, false, `${a.name} kept two-step login on`);
}

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
    assert.ok(typeof r.method === 'string' && typeof r.pattern === 'string' && ['public', 'member', 'token'].includes(r.access), JSON.stringify(r));
  }
});

test('every row in lib/matrix.mjs names a route that exists', () => {
  const stale = Object.keys(EXPECT).filter((k) => !ROUTE_KEYS.has(k));
  assert.deepEqual(stale, [], `lib/matrix.mjs has rows for routes that no longer exist: ${stale.join(', ')} — remove them`);
  const staleRecipes = Object.keys(RECIPES).filter((k) => !ROUTE_KEYS.has(k));
  assert.deepEqual(staleRecipes, [], `matrix.test.mjs has recipes for routes that no longer exist: ${staleRecipes.join(', ')}`);
});

test('the access rule of `hearth routes` agrees with the anonymous rows', () => {
  // A member route must refuse anonymous callers; a public one (or one opened by its URL's token) must not.
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
        const problem = compare(route.method, req, row[name], res) || (req.check ? await req.check(res) : null);
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
  // The links of an email (access "token") are the exception by design: the token in the URL is the
  // credential and a mail program's one-click unsubscribe (RFC 8058) sends no CSRF field (email.test.mjs).
  for (const route of ROUTES.filter((r) => UNSAFE.has(r.method) && r.access !== 'token')) {
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

test('GET /metrics (with the metrics token) holds no ids, usernames or tokens', { timeout: TEST_TIMEOUT }, async () => {
  if (!ROUTE_KEYS.has('GET /metrics')) return;
  const m = await srv.api('GET', '/metrics', { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
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
