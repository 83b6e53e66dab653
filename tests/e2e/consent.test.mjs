// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Consent in three states (API.md "Additions", issue 10): GET /me `space.therapist.consent_state` and the
// therapist's space list (`partners[].consent_state`) say `undecided` (never answered), `granted` or
// `declined` (said no, or withdrew a yes). The booleans stay: `my_consent` and `consent` are true exactly
// when the state is `granted`, and only then does the therapist read anything of that partner.
// The pages word the same three states (space page and the therapist's pages).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { addRoleUser, cookieLogin, page, linkTherapist } from './lib/actors.mjs';

const T = { timeout: TEST_TIMEOUT };
let srv;
let ther;
before(async () => {
  srv = await startServer();
  ther = await addRoleUser(srv, 'cst', 'therapist', { displayName: 'Dr Consent' });
}, T);
after(async () => { if (srv) await srv.stop(); }, T);

const link = (who) => linkTherapist(srv, ther, who);
const consent = (who, grant) => srv.ok(who, 'POST', '/api/v1/spaces/current/therapist/consent', { grant }, 200);
const mine = async (who) => (await srv.ok(who, 'GET', '/api/v1/me', undefined, 200)).space.therapist;

/** The partners of a space in the therapist's list: {id: {consent, consent_state}}. */
async function listed(spaceId) {
  const sp = await srv.ok(ther, 'GET', '/api/v1/therapist/spaces', undefined, 200);
  const s = sp.items.find((x) => x.id === spaceId);
  assert.ok(s, `space ${spaceId} not in the therapist's list`);
  return Object.fromEntries(s.partners.map((p) => [p.id, { consent: p.consent, consent_state: p.consent_state }]));
}

/** Both views agree: each partner's own GET /me and the therapist's list. */
async function expectStates(c, want) {
  for (const k of ['a', 'b']) {
    const t = await mine(c[k]);
    assert.equal(t.consent_state, want[k], `${k}'s GET /me consent_state`);
    assert.equal(t.my_consent, want[k] === 'granted', `${k}'s my_consent stays true exactly when granted`);
  }
  assert.deepEqual(await listed(c.spaceId), {
    [c.a.id]: { consent: want.a === 'granted', consent_state: want.a },
    [c.b.id]: { consent: want.b === 'granted', consent_state: want.b },
  });
}

test('link, decline, grant, withdraw: every state in GET /me and the therapist\'s list; the answers say it too', T, async () => {
  const c = await srv.makeCouple('csa');
  assert.equal((await srv.ok(c.a, 'GET', '/api/v1/me', undefined, 200)).space.therapist, null);
  const linked = await link(c.a);
  assert.equal(linked.consent_state, 'granted');
  assert.equal(linked.my_consent, true);
  await expectStates(c, { a: 'granted', b: 'undecided' });

  const no = await consent(c.b, false);
  assert.deepEqual(no, { my_consent: false, consent_state: 'declined' });
  await expectStates(c, { a: 'granted', b: 'declined' });

  const yes = await consent(c.b, true);
  assert.deepEqual(yes, { my_consent: true, consent_state: 'granted' });
  await expectStates(c, { a: 'granted', b: 'granted' });

  await consent(c.a, false); // a withdrawn yes is a no, never "undecided" again
  await expectStates(c, { a: 'declined', b: 'granted' });
});

test('unlinking forgets every answer: linked again, the linker granted and the partner undecided', T, async () => {
  const c = await srv.makeCouple('csu');
  await link(c.a);
  await consent(c.b, false);
  await srv.ok(c.b, 'DELETE', '/api/v1/spaces/current/therapist', undefined, 204);
  await link(c.b);
  await expectStates(c, { a: 'undecided', b: 'granted' });
});

test('a partner who joins after the link, or leaves and comes back, has not decided', T, async () => {
  const a = await srv.signUp('csj');
  const b = await srv.signUp('csk');
  const spaceId = (await srv.ok(a, 'POST', '/api/v1/spaces', undefined, 201)).id;
  await link(a);
  const join = async () => {
    const { code } = await srv.ok(a, 'POST', '/api/v1/spaces/current/invites', undefined, 201);
    await srv.ok(b, 'POST', '/api/v1/spaces/join', { code }, 200);
  };
  await join();
  const c = { a, b, spaceId };
  await expectStates(c, { a: 'granted', b: 'undecided' });
  await consent(b, true);
  await srv.ok(b, 'POST', '/api/v1/spaces/current/leave', undefined, 204);
  await join();
  await expectStates(c, { a: 'granted', b: 'undecided' });
});

test('the pages word the three states: the space page (and its buttons) and the therapist\'s pages', T, async () => {
  const c = await srv.makeCouple('csp');
  await link(c.a);
  const sa = await cookieLogin(srv, c.a.username, c.a.password);
  const sb = await cookieLogin(srv, c.b.username, c.b.password);
  const st = await cookieLogin(srv, ther.username, ther.password);
  const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const spacePage = async (s) => {
    const r = await page(srv, 'GET', '/space', { cookie: s.cookie });
    assert.equal(r.status, 200);
    return r.text;
  };
  const button = (html, name) => new RegExp(`<button[^>]*>${name}</button>`).test(html);
  const therapistPages = async () => {
    const home = await page(srv, 'GET', '/therapist', { cookie: st.cookie });
    const one = await page(srv, 'GET', `/therapist/spaces/${c.spaceId}`, { cookie: st.cookie });
    assert.equal(home.status, 200);
    assert.equal(one.status, 200);
    return [text(home.text), text(one.text)];
  };
  const bName = c.b.display_name;

  // B has not decided: asked, with a yes and a "not now".
  let html = await spacePage(sb);
  assert.ok(text(html).includes('You have not decided yet'), text(html));
  assert.ok(button(html, 'Give my consent') && button(html, 'Not now') && !button(html, 'Withdraw my consent'));
  assert.ok(text(await spacePage(sa)).includes(`${bName} has not decided yet`));
  for (const t of await therapistPages()) assert.ok(t.includes(`${bName}: has not consented yet (not decided)`), t);

  // B says no (the "Not now" form posts grant=0).
  let r = await page(srv, 'POST', '/space/therapist/consent', { cookie: sb.cookie, form: { csrf: sb.csrf, grant: '0' } });
  assert.equal(r.status, 303);
  html = await spacePage(sb);
  assert.ok(text(html).includes('You said no'), text(html));
  assert.ok(button(html, 'Give my consent') && !button(html, 'Not now') && !button(html, 'Withdraw my consent'));
  assert.ok(text(await spacePage(sa)).includes(`${bName} does not consent`));
  for (const t of await therapistPages()) assert.ok(t.includes(`${bName}: has not consented (said no)`), t);

  // B says yes.
  r = await page(srv, 'POST', '/space/therapist/consent', { cookie: sb.cookie, form: { csrf: sb.csrf, grant: '1' } });
  assert.equal(r.status, 303);
  html = await spacePage(sb);
  assert.ok(text(html).includes('You consent'), text(html));
  assert.ok(button(html, 'Withdraw my consent') && !button(html, 'Give my consent') && !button(html, 'Not now'));
  assert.ok(text(await spacePage(sa)).includes(`${bName} consents`));
  for (const t of await therapistPages()) assert.ok(t.includes(`${bName}: consents`), t);
});
