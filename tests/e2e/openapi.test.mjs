// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The API description (docs/openapi.yaml, issue 19) covers the server exactly: this fails
// when `hearth routes` lists an /api/v1 route (method and pattern) the document lacks, or
// the document describes one the server does not answer. GET /api/v1/openapi.json serves
// the same document as JSON, to anyone, cacheable. (Every answer the suites receive is
// checked against the document by lib/openapi.mjs.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, startServer, TEST_TIMEOUT } from './lib/server.mjs';
import { documentedRoutes, loadDocument } from './lib/openapi.mjs';

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
