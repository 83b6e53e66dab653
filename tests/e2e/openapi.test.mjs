// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The API description (docs/openapi.yaml, issue 19) covers the server exactly: this fails
// when `hearth routes` lists an /api/v1 route (method and pattern) the document lacks, or
// the document describes one the server does not answer. GET /api/v1/openapi.json serves
// the same document as JSON, to anyone, cacheable. (Every answer the suites receive is
// checked against the document by lib/openapi.mjs; the last test shows that checker refuses
// what the document does not describe.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { checkResponse, documentedRoutes, loadDocument } from './lib/openapi.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

/** The server's /api/v1 routes, "METHOD /api/v1/pattern" with {} for each parameter. */
function serverRoutes() {
  const r = runCli(['routes']);
  assert.equal(r.status, 0, `hearth routes: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l))
    .filter((x) => x.pattern.startsWith('/api/v1/'))
    .map((x) => `${x.method} ${x.pattern}`);
}

test('every /api/v1 route of the server is in docs/openapi.yaml, and nothing else', { timeout: TEST_TIMEOUT }, () => {
  const server = new Set(serverRoutes());
  const doc = new Set(documentedRoutes(loadDocument()));
  assert.ok(server.size > 100, `hearth routes listed only ${server.size} /api/v1 routes`);
  const byPath = (a, b) => a.split(' ')[1].localeCompare(b.split(' ')[1]) || a.localeCompare(b);
  const undocumented = [...server].filter((r) => !doc.has(r)).sort(byPath);
  const unknown = [...doc].filter((r) => !server.has(r)).sort(byPath);
  assert.deepEqual(undocumented, [],
    `${undocumented.length} route(s) of \`hearth routes\` have no operation in docs/openapi.yaml:\n  ${undocumented.join('\n  ')}`);
  assert.deepEqual(unknown, [],
    `${unknown.length} operation(s) of docs/openapi.yaml are no route of the server:\n  ${unknown.join('\n  ')}`);
});

test('GET /api/v1/openapi.json serves the document as JSON, public and cacheable', { timeout: TEST_TIMEOUT }, async () => {
  const r = await srv.api('GET', '/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.match(r.headers.get('content-type'), /^application\/json;\s*charset=utf-8$/i);
  assert.match(r.headers.get('cache-control') || '', /^public, max-age=\d+$/);
  assert.deepEqual(r.json, loadDocument(), 'the served JSON is docs/openapi.yaml');
  assert.equal(r.json.openapi, '3.1.0');
  // The same for a signed-in caller: nothing personal in it.
  const a = await srv.signUp('oa');
  const signed = await srv.api('GET', '/api/v1/openapi.json', { token: a.token });
  assert.equal(signed.status, 200);
  assert.equal(signed.text, r.text);
});

test('the checker of every answer refuses what the document does not describe', () => {
  const json = { get: (n) => (n.toLowerCase() === 'content-type' ? 'application/json; charset=utf-8' : null) };
  const ok = (m, url, status, body) => checkResponse(m, url, { status, headers: json, text: body === undefined ? '' : JSON.stringify(body) });
  const refused = (m, url, status, body, why) => assert.throws(() => ok(m, url, status, body), why);
  const me = { id: 'u1', username: 'ann', display_name: 'Ann', role: 'member', space: null, two_step: false,
    time_zone: 'UTC', quick_exit_signs_out: false, bio: '', language: null, content_language: 'en',
    checkin_default_visibility: 'private' };
  ok('GET', '/api/v1/me', 200, me);
  refused('GET', '/api/v1/me', 200, { ...me, role: 'king' }, /does not match GET \/api\/v1\/me 200/);
  refused('GET', '/api/v1/me', 200, { ...me, secret: 1 }, /additional/);
  const { bio, ...noBio } = me; void bio;
  refused('GET', '/api/v1/me', 200, noBio, /required/);
  // A success status the operation does not list; an operation the document lacks.
  refused('GET', '/api/v1/me', 202, me, /has no response 202/);
  refused('PUT', '/api/v1/me', 200, me, /no operation PUT/);
  // Errors: the error shape everywhere, `errors` exactly with invalid_input.
  ok('GET', '/api/v1/me', 401, { error: { code: 'unauthenticated', message: 'Sign in.' } });
  refused('GET', '/api/v1/me', 401, { error: { code: 'unauthenticated' } }, /error shape|required/);
  ok('POST', '/api/v1/checkins', 400, { error: { code: 'invalid_input', message: 'm', field: 'mood' },
    errors: [{ code: 'invalid_input', message: 'm', field: 'mood' }] });
  refused('POST', '/api/v1/checkins', 400, { error: { code: 'invalid_input', message: 'm', field: 'mood' } }, /required/);
  // A 204 has no body; a path no route answers is an error in the error shape.
  ok('DELETE', '/api/v1/sessions/current', 204);
  refused('DELETE', '/api/v1/sessions/current', 204, { a: 1 }, /has a body/);
  ok('GET', '/api/v1/no-such-thing', 404, { error: { code: 'not_found', message: 'No.' } });
  refused('GET', '/api/v1/no-such-thing', 200, {}, /no operation/);
});
