// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The private safety check (API.md "Safety"): POST /safety-checks answers the
// resources to that person alone; GET /safety/resources works without a
// session; nothing of a safety check ever reaches the partner, through any
// answer the partner can get.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT, assertError, assertJsonType } from './lib/server.mjs';
import { cookieLogin, page } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
/** Something that looks like a phone number: six or more digits, maybe with separators. */
const PHONE = /\d(?:[\s().\/-]?\d){5,}/;

let srv;
before(async () => { srv = await startServer(); }, T);
after(async () => { if (srv) await srv.stop(); }, T);

function assertResources(list, what) {
  assert.ok(Array.isArray(list) && list.length >= 1, `${what}: resources ${JSON.stringify(list)}`);
  for (const r of list) {
    assert.equal(typeof r.name, 'string', `${what}: name`);
    assert.ok(r.name.length > 0);
    assert.equal(typeof r.contact, 'string', `${what}: contact`);
    assert.ok(r.contact.length > 0);
  }
}

test('GET /safety/resources without a session: 200, at least one {name, contact}, no phone-number-looking strings', T, async () => {
  const r = await srv.api('GET', '/api/v1/safety/resources');
  assert.equal(r.status, 200, r.text);
  assertJsonType(r);
  assertResources(r.json.resources, 'GET /safety/resources');
  assert.ok(!/\d{6,}/.test(r.text), `a run of 6+ digits: ${r.text}`);
  assert.ok(!PHONE.test(r.text), `a phone-number-looking string: ${r.text.match(PHONE)}`);
  // Signed in: the same.
  const u = await srv.signUp('sres');
  const r2 = await srv.api('GET', '/api/v1/safety/resources', { token: u.token });
  assert.equal(r2.status, 200);
  assert.deepEqual(r2.json, r.json);
  // The public page too, without a session.
  const pg = await page(srv, 'GET', '/safety');
  assert.equal(pg.status, 200);
  for (const res of r.json.resources) assert.ok(pg.text.includes(res.name.replace(/'/g, '&#39;')) || pg.text.includes(res.name), `the page names ${res.name}`);
});

test('POST /safety-checks → 201 {resources, advice, concern}; concern follows afraid/pressured', T, async () => {
  const u = await srv.signUp('sck');
  const pub = (await srv.api('GET', '/api/v1/safety/resources')).json;
  for (const [afraid, pressured, share, concern] of [
    [false, false, undefined, false], [true, false, false, true], [false, true, true, true], [true, true, undefined, true],
  ]) {
    const body = { afraid, pressured };
    if (share !== undefined) body.share_with_therapist = share;
    const r = await srv.api('POST', '/api/v1/safety-checks', { token: u.token, body });
    assert.equal(r.status, 201, `${JSON.stringify(body)}: ${r.text}`);
    assertJsonType(r);
    assertResources(r.json.resources, JSON.stringify(body));
    assert.deepEqual(r.json.resources, pub.resources, 'the configured resources');
    assert.equal(typeof r.json.advice, 'string');
    assert.ok(r.json.advice.length > 0);
    assert.equal(r.json.concern, concern, `concern for ${JSON.stringify(body)}`);
    assert.ok(!/\d{6,}/.test(r.text));
  }
});

test('POST /safety-checks validation: missing or wrong-typed fields → 400 with the field; anonymous 401', T, async () => {
  const u = await srv.signUp('sval');
  const cases = [
    [{}, 'afraid'],
    [{ pressured: false }, 'afraid'],
    [{ afraid: false }, 'pressured'],
    [{ afraid: 'yes', pressured: false }, 'afraid'],
    [{ afraid: 1, pressured: false }, 'afraid'],
    [{ afraid: null, pressured: false }, 'afraid'],
    [{ afraid: false, pressured: 'false' }, 'pressured'],
    [{ afraid: false, pressured: 0 }, 'pressured'],
    [{ afraid: false, pressured: [] }, 'pressured'],
    [{ afraid: false, pressured: false, share_with_therapist: 'no' }, 'share_with_therapist'],
    [{ afraid: false, pressured: false, share_with_therapist: 1 }, 'share_with_therapist'],
  ];
  for (const [body, field] of cases) {
    const r = await srv.api('POST', '/api/v1/safety-checks', { token: u.token, body });
    assertError(r, 400, 'invalid_input', field, `safety check ${JSON.stringify(body)}`);
  }
  const bad = await srv.api('POST', '/api/v1/safety-checks', { token: u.token, rawBody: '{"afraid":', headers: { 'Content-Type': 'application/json' } });
  assertError(bad, 400, 'invalid_json', undefined, 'broken JSON');
  const anon = await srv.api('POST', '/api/v1/safety-checks', { body: { afraid: true, pressured: true } });
  assertError(anon, 401, 'unauthenticated', undefined, 'anonymous safety check');
});

/** Everything the partner can read through the API (raw answers), by name. */
async function partnerView(b, extraIds = []) {
  const out = {};
  const paths = [
    '/api/v1/me',
    '/api/v1/checkins?author=all&limit=100', '/api/v1/checkins?author=partner&limit=100', '/api/v1/checkins?author=me&limit=100',
    '/api/v1/repairs?limit=100',
    '/api/v1/prompts/today', '/api/v1/prompts/history',
    '/api/v1/safety/resources', '/api/v1/feelings',
    ...extraIds.map((id) => `/api/v1/repairs/${id}`),
  ];
  for (const p of paths) {
    const r = await srv.api('GET', p, { token: b.token });
    assert.equal(r.status, 200, `partner GET ${p}: ${r.status} ${r.text}`);
    out[p] = r;
  }
  return out;
}

function keysDeep(v, out = []) {
  if (Array.isArray(v)) for (const x of v) keysDeep(x, out);
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.push(k); keysDeep(x, out); }
  return out;
}

test('the partner never sees a safety check: every API answer the partner can get is unchanged and names none', T, async () => {
  const { a, b } = await srv.makeCouple('spriv');
  // Some shared life first, so the partner's answers are not empty.
  const ck = await srv.api('POST', '/api/v1/checkins', { token: a.token, body: { mood: 3, connection: 5, secure: 5, need: 'a walk', visibility: 'partner' } });
  assert.equal(ck.status, 201);
  const rep = await srv.api('POST', '/api/v1/repairs', { token: a.token, body: { title: 'after the argument' } });
  assert.equal(rep.status, 201);
  const pt = await srv.api('GET', '/api/v1/prompts/today', { token: a.token });
  for (const who of [a, b]) {
    const r = await srv.api('POST', `/api/v1/prompts/${pt.json.id}/answer`, { token: who.token, body: { text: `${who.username} answers` } });
    assert.equal(r.status, 201);
  }
  const bPage = await cookieLogin(srv, b.username, b.password);
  const pagePaths = ['/dashboard', '/repairs', `/repairs/${rep.json.id}`, '/prompts', '/prompts/history', '/space', '/checkins'];
  const pages = async () => {
    const out = {};
    for (const p of pagePaths) {
      const r = await page(srv, 'GET', p, { cookie: bPage.cookie });
      assert.equal(r.status, 200, `partner page ${p}`);
      out[p] = r.text;
    }
    return out;
  };
  const beforeApi = await partnerView(b, [rep.json.id]);
  const beforePages = await pages();

  // A's safety checks: every combination, through the API and the page form.
  const checkIds = [];
  for (const body of [{ afraid: true, pressured: true, share_with_therapist: true }, { afraid: true, pressured: false }, { afraid: false, pressured: true, share_with_therapist: false }]) {
    const r = await srv.api('POST', '/api/v1/safety-checks', { token: a.token, body });
    assert.equal(r.status, 201, r.text);
    if (r.json.id) checkIds.push(r.json.id);
  }
  const aPage = await cookieLogin(srv, a.username, a.password);
  const f = await page(srv, 'POST', '/repairs/safety', { cookie: aPage.cookie, form: { csrf: aPage.csrf, afraid: 'on', pressured: 'on' } });
  assert.equal(f.status, 303, 'a worrying answer sends the person who answered to the resources');
  assert.equal(f.location, '/safety?checked=1');
  const fs = await page(srv, 'GET', f.location, { cookie: aPage.cookie });
  assert.equal(fs.status, 200);
  const pub = (await srv.api('GET', '/api/v1/safety/resources')).json;
  for (const res of pub.resources) assert.ok(fs.text.includes(res.name), `the resources page names ${res.name}`);
  const f2 = await page(srv, 'POST', '/repairs/safety', { cookie: aPage.cookie, form: { csrf: aPage.csrf } });
  assert.equal(f2.status, 303);
  assert.equal(f2.location, '/repairs/new?ready=1');

  const afterApi = await partnerView(b, [rep.json.id]);
  for (const [p, r] of Object.entries(afterApi)) {
    assert.equal(r.text, beforeApi[p].text, `the partner's ${p} changed after A's safety checks`);
    const keys = keysDeep(r.json).filter((k) => /safety|afraid|pressur|concern/i.test(k));
    assert.deepEqual(keys, [], `the partner's ${p} has keys about safety checks`);
    for (const id of checkIds) assert.ok(!r.text.includes(id));
  }
  const afterPages = await pages();
  for (const p of pagePaths) assert.equal(afterPages[p], beforePages[p], `the partner's page ${p} changed after A's safety checks`);
  // There is no endpoint that lists safety checks.
  for (const p of ['/api/v1/safety-checks', '/api/v1/safety/checks', '/api/v1/safety']) {
    for (const who of [b, a]) {
      const r = await srv.api('GET', p, { token: who.token });
      assert.ok([404, 405].includes(r.status), `GET ${p}: ${r.status} ${r.text.slice(0, 200)}`);
    }
  }
});

test('the partner does not learn of a safety check after the author leaves the space either', T, async () => {
  const { a, b } = await srv.makeCouple('sleave');
  const r = await srv.api('POST', '/api/v1/safety-checks', { token: a.token, body: { afraid: true, pressured: true } });
  assert.equal(r.status, 201);
  const lv = await srv.api('POST', '/api/v1/spaces/current/leave', { token: a.token });
  assert.equal(lv.status, 204);
  const after = await partnerView(b);
  for (const [p, res] of Object.entries(after)) {
    const keys = keysDeep(res.json).filter((k) => /safety|afraid|pressur|concern/i.test(k));
    assert.deepEqual(keys, [], `the partner's ${p} has keys about safety checks`);
  }
  // The one who left can still make safety checks on their own.
  const again = await srv.api('POST', '/api/v1/safety-checks', { token: a.token, body: { afraid: false, pressured: false } });
  assert.equal(again.status, 201, again.text);
});
