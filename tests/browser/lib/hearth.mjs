// Page-level helpers that follow docs/pages.md (URLs, labels, button names).
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { clearOfMidnight } from '../../e2e/lib/midnight.mjs';

// The visible text is "Edit" / "Delete"; the accessible name may add which item it is
// (e.g. a visually hidden " check-in from 26 Nov"), which is good practice.
export const EDIT = /^Edit\b/;
export const DELETE = /^Delete\b/;

export const PASSWORD = 'a long enough passphrase 42';

let counter = 0;
/** A fresh username: 3–32 of a-z 0-9 . _ - */
export function uniqueUsername(prefix = 'u') {
  counter += 1;
  const rnd = Math.random().toString(36).slice(2, 7);
  return `${prefix}${Date.now().toString(36)}${counter}${rnd}`.slice(0, 32).toLowerCase();
}

/** A distinct marker text to find a check-in again. */
export function marker(label) {
  counter += 1;
  return `${label}-marker-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/**
 * Turn off the browser's own form validation (required, minlength, min/max) so that
 * the server's answer to invalid input is what gets tested.
 */
export async function disableNativeValidation(page) {
  await page.evaluate(() => {
    for (const f of document.querySelectorAll('form')) f.noValidate = true;
  });
}

/**
 * Click a submit button and wait for the resulting page.
 * Returns the main-document response of the final page (after redirects).
 * `post` is the response to the POST itself (303 on success, 4xx for a form error).
 */
export async function submit(page, buttonName, { scope, novalidate = false } = {}) {
  const root = scope || page;
  if (novalidate) await disableNativeValidation(page);
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    root.getByRole('button', { name: buttonName, exact: true }).click(),
  ]);
  let first = response ? response.request() : null;
  while (first && first.redirectedFrom()) first = first.redirectedFrom();
  const postResponse = first ? await first.response() : null;
  return {
    response,
    status: response ? response.status() : null,
    postStatus: postResponse ? postResponse.status() : null,
  };
}

export async function gotoOk(page, base, urlPath) {
  const resp = await page.goto(base + urlPath);
  assert.ok(resp, `no response for ${urlPath}`);
  assert.equal(resp.status(), 200, `GET ${urlPath} answered ${resp.status()}, expected 200`);
  const wanted = new URL(base + urlPath).pathname;
  assert.equal(pathOf(page), wanted, `GET ${urlPath} ended at ${page.url()}`);
  return resp;
}

export async function signup(page, base, { username, displayName, password = PASSWORD }) {
  await clearOfMidnight(); // a test that looks at "today" must not see the day change under it
  await gotoOk(page, base, '/signup');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="display_name"]').fill(displayName);
  await page.locator('input[name="password"]').fill(password);
  const r = await submit(page, 'Create my account');
  assert.equal(pathOf(page), '/dashboard',
    `sign-up of ${username} should land on /dashboard, got ${page.url()} (status ${r.status})`);
  return r;
}

export async function login(page, base, { username, password = PASSWORD }) {
  await gotoOk(page, base, '/login');
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  const r = await submit(page, 'Log in');
  assert.equal(pathOf(page), '/dashboard', `log-in should land on /dashboard, got ${page.url()}`);
  return r;
}

export async function logout(page) {
  return submit(page, 'Log out');
}

export async function createSpace(page, base) {
  await gotoOk(page, base, '/space');
  const r = await submit(page, 'Create our space');
  assert.ok(r.status === 200, `after "Create our space": status ${r.status} at ${page.url()}`);
  return r;
}

export async function createInvite(page, base) {
  await gotoOk(page, base, '/space');
  const r = await submit(page, 'Create an invite code');
  assert.equal(r.status, 200, `after "Create an invite code": status ${r.status}`);
  const code = (await page.locator('.invite-code').first().textContent({ timeout: 5000 })).trim();
  assert.ok(code.length > 0, 'invite code is empty');
  return code;
}

export async function joinSpace(page, base, code) {
  await gotoOk(page, base, '/space');
  await page.locator('input[name="code"]').fill(code);
  const r = await submit(page, 'Join space');
  assert.equal(r.status, 200, `after "Join space": status ${r.status} at ${page.url()}`);
  return r;
}

/** An API session of a person (username, password): a function that calls the API as them. */
export async function apiAs(base, username) {
  const s = await fetch(`${base}/api/v1/sessions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username, password: PASSWORD }),
  });
  assert.equal(s.status, 201);
  const { token } = await s.json();
  return async (method, p, body, want = 200) => {
    const r = await fetch(`${base}/api/v1${p}`, {
      method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    assert.equal(r.status, want, `${method} ${p}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** The therapist, logged in on `ther`, makes a code on /therapist; the code. */
export async function therapistCode(ther, base) {
  await gotoOk(ther, base, '/therapist');
  const r = await submit(ther, 'Create a code');
  assert.equal(r.status, 200, `after "Create a code": status ${r.status}`);
  const code = (await ther.locator('.invite-code').first().textContent()).trim();
  assert.ok(code.length > 0, 'the therapist\'s code is empty');
  return code;
}

/** A partner links the therapist of this code to their space on /space (and so consents). */
export async function linkTherapistCode(page, base, code) {
  await gotoOk(page, base, '/space');
  await page.getByLabel("Your therapist's code", { exact: true }).fill(code);
  return submit(page, 'Link our therapist');
}

/** Sign up two partners in their own pages and link them in one space. */
export async function makeCouple(pageA, pageB, base, prefix = 'c') {
  const a = { username: uniqueUsername(`${prefix}a`), displayName: 'Alex Partner' };
  const b = { username: uniqueUsername(`${prefix}b`), displayName: 'Brook Partner' };
  await signup(pageA, base, a);
  await createSpace(pageA, base);
  const code = await createInvite(pageA, base);
  await signup(pageB, base, b);
  await joinSpace(pageB, base, code);
  return { a, b, code };
}

/** Fill the check-in form that is open on `page` (new or edit). */
export async function fillCheckin(page, c) {
  if (c.mood !== undefined) await page.locator(`input[name="mood"][value="${c.mood}"]`).check();
  // Connection and felt-secure are 0-10 scales of radio buttons (issue 11).
  if (c.connection !== undefined) await page.locator(`input[name="connection"][value="${c.connection}"]`).check();
  if (c.secure !== undefined) await page.locator(`input[name="secure"][value="${c.secure}"]`).check();
  if (c.appreciation !== undefined) await page.locator('textarea[name="appreciation"]').fill(c.appreciation);
  if (c.need !== undefined) await page.locator('textarea[name="need"]').fill(c.need);
  if (c.worry !== undefined) await page.locator('textarea[name="worry"]').fill(c.worry);
  if (c.visibility !== undefined) {
    await page.locator(`input[name="visibility"][value="${c.visibility}"]`).check();
  }
}

export async function writeCheckin(page, base, c) {
  await gotoOk(page, base, '/checkins/new');
  await fillCheckin(page, { mood: 4, connection: 7, secure: 8, ...c });
  const r = await submit(page, 'Save check-in');
  assert.equal(pathOf(page), '/checkins',
    `saving a check-in should land on /checkins, got ${page.url()} (status ${r.status})`);
  return r;
}

/** The <article class="checkin"> on the current page that contains `text`. */
export function checkinArticle(page, text) {
  return page.locator('article.checkin').filter({ hasText: text });
}

/** The id of one's own check-in, read from its "Edit" link on /checkins?author=me. */
export async function ownCheckinId(page, base, text) {
  await gotoOk(page, base, '/checkins?author=me');
  const article = checkinArticle(page, text);
  assert.equal(await article.count(), 1, `expected one check-in with "${text}" in my history`);
  const href = await article.getByRole('link', { name: EDIT }).getAttribute('href');
  const m = /\/checkins\/([^/?#]+)\/edit/.exec(href || '');
  assert.ok(m, `Edit link has an unexpected href: ${href}`);
  return m[1];
}

/** The whole HTML of the page (includes hidden parts and attributes). */
export async function html(page) {
  return page.content();
}

/** A browser's push subscription as pushManager.subscribe gives it (a public push service: nothing is sent to it). */
export function pushSubscription() {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  return {
    endpoint: `https://push.example.net/send/${crypto.randomBytes(8).toString('hex')}`,
    keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: crypto.randomBytes(16).toString('base64url') },
  };
}
