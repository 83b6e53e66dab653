// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Safe behind a reverse proxy (issue 10):
// - HEARTH_TRUSTED_PROXIES: only from a listed address (or network) are
//   X-Forwarded-For and Forwarded believed for the client's address; without
//   it they are ignored. Read from the right: what a client writes itself
//   stands left of what the proxy appended and is never reached; several
//   header lines count as one list; trusted proxies in the chain are skipped;
//   X-Forwarded-For goes before Forwarded; an IPv6 client counts by its /64.
//   Shown through the per-address login limit (100 failures in 15 minutes).
// - A bad list stops the start with a message naming the entry.
// - HEARTH_PUBLIC_URL with https: cookies are Secure with the __Host- prefix
//   and HSTS is sent, even though TLS ends in the proxy.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, runCli, tempDir, uniqueUsername, TEST_TIMEOUT } from './lib/server.mjs';
import { csrfFromHtml, setCookies } from './lib/actors.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); }, { timeout: TEST_TIMEOUT });

async function server(env) {
  const s = await startServer({ env });
  servers.push(s);
  return s;
}

/** A wrong login with these headers; its status. */
async function wrong(srv, headers) {
  const r = await srv.raw({
    method: 'POST', path: '/api/v1/sessions', headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ username: uniqueUsername('nx'), password: 'not-the-password' }),
  });
  return r.status;
}

/** 100 failures, four at a time, each with headers(i); all must be 401. */
async function lockOut(srv, headers) {
  for (let i = 0; i < 100; i += 4) {
    const got = await Promise.all([0, 1, 2, 3].map((k) => wrong(srv, headers(i + k))));
    assert.deepEqual(got, [401, 401, 401, 401], `failures ${i + 1}..${i + 4}`);
  }
}

test('without HEARTH_TRUSTED_PROXIES the forwarding headers are ignored: the peer is the client', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const srv = await server({});
  await lockOut(srv, (i) => ({ 'X-Forwarded-For': `203.0.113.${i}`, Forwarded: `for=192.0.2.${i}` }));
  assert.equal(await wrong(srv, { 'X-Forwarded-For': '198.51.100.1' }), 429, 'a made-up address does not escape the limit');
  assert.equal(await wrong(srv, { Forwarded: 'for=198.51.100.2' }), 429);
});

test('a trusted proxy names the client: read from the right, forged entries never reached', { timeout: TEST_TIMEOUT * 3 }, async () => {
  const srv = await server({ HEARTH_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
  const account = await srv.api('POST', '/api/v1/accounts', {
    body: { username: uniqueUsername('px'), password: 'a-long-enough-password', display_name: 'P' },
    headers: { 'X-Forwarded-For': '198.51.100.200' },
  });
  assert.equal(account.status, 201, account.text);
  const locked = '203.0.113.5';
  // A client's own X-Forwarded-For stands left of what the proxy appended: varying it changes nothing.
  await lockOut(srv, (i) => ({ 'X-Forwarded-For': `192.0.2.${i}, ${locked}` }));
  const cases = [
    [{ 'X-Forwarded-For': locked }, 429, 'the locked address'],
    [{ 'X-Forwarded-For': `${locked}:51234` }, 429, 'with a port'],
    [{ 'X-Forwarded-For': `::ffff:${locked}` }, 429, 'IPv4-mapped IPv6 is the IPv4 address'],
    [{ 'X-Forwarded-For': `${locked}, 10.20.30.40` }, 429, 'behind a second trusted proxy'],
    [{ 'X-Forwarded-For': [`192.0.2.77`, locked] }, 429, 'the proxy appended a header line of its own'],
    [{ Forwarded: `for=${locked};proto=https;by=10.0.0.1` }, 429, 'Forwarded'],
    [{ Forwarded: `for="192.0.2.9", for="${locked}:4711"` }, 429, 'Forwarded, quoted, with a port'],
    [{ 'X-Forwarded-For': '203.0.113.6' }, 401, 'another address'],
    [{ 'X-Forwarded-For': `${locked}, 203.0.113.6` }, 401, 'a client claiming the locked address on the left'],
    [{ 'X-Forwarded-For': [locked, '203.0.113.6'] }, 401, 'two header lines: the last one is the nearest hop'],
    [{ 'X-Forwarded-For': '203.0.113.6', Forwarded: `for=${locked}` }, 401, 'X-Forwarded-For goes before Forwarded'],
    [{ 'X-Forwarded-For': `${locked}, unknown` }, 401, 'a hop that does not say stops at the trusted proxy (127.0.0.1)'],
  ];
  for (const [headers, status, what] of cases) assert.equal(await wrong(srv, headers), status, what);
  // The right password from the locked address is refused too; from another it is not.
  const login = (from) => srv.raw({
    method: 'POST', path: '/api/v1/sessions', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': from },
    body: JSON.stringify({ username: JSON.parse(account.text).username, password: 'a-long-enough-password' }),
  });
  assert.equal((await login(locked)).status, 429);
  assert.equal((await login('203.0.113.7')).status, 201);
});

test('an IPv6 client counts by its /64', { timeout: TEST_TIMEOUT * 2 }, async () => {
  const srv = await server({ HEARTH_TRUSTED_PROXIES: '127.0.0.1' });
  await lockOut(srv, (i) => ({ 'X-Forwarded-For': `2001:db8:cafe:1::${(i + 1).toString(16)}` }));
  assert.equal(await wrong(srv, { 'X-Forwarded-For': '2001:db8:cafe:1:ffff:ffff:ffff:ffff' }), 429, 'the same /64');
  assert.equal(await wrong(srv, { Forwarded: 'for="[2001:db8:cafe:1::abcd]:443"' }), 429, 'the same /64 in Forwarded');
  assert.equal(await wrong(srv, { 'X-Forwarded-For': '2001:db8:cafe:2::1' }), 401, 'the next /64');
});

test('a bad HEARTH_TRUSTED_PROXIES stops the start, naming the entry', () => {
  const dir = tempDir();
  for (const bad of ['nonsense', '10.0.0.1/8', '10.0.0.0/33', '::ffff:10.0.0.1']) {
    const r = runCli(['--data', dir, 'serve', '--listen', '127.0.0.1:0'], { env: { HEARTH_TRUSTED_PROXIES: `127.0.0.1, ${bad}` }, timeout: 20000 });
    assert.equal(r.status, 2, `${bad}: ${r.stderr}`);
    assert.ok(r.stderr.includes(bad), `the message names '${bad}': ${r.stderr}`);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
  }
});

test('HEARTH_PUBLIC_URL https: __Host- cookies with Secure, and HSTS, though TLS ends in the proxy', { timeout: TEST_TIMEOUT }, async () => {
  const plain = await server({});
  let r = await fetch(`${plain.url}/login`);
  assert.equal(r.headers.get('strict-transport-security'), null, 'no HSTS over plain http');
  assert.ok(setCookies(r).hearth_pre, 'plain cookie names over plain http');
  assert.ok(!r.headers.getSetCookie().some((c) => /Secure/.test(c)));

  const srv = await server({ HEARTH_PUBLIC_URL: 'https://hearth.example' });
  const u = await srv.signUp('hst');
  r = await fetch(`${srv.url}/login`);
  assert.match(r.headers.get('strict-transport-security') || '', /max-age=\d{7,}/);
  const html = await r.text();
  const pre = r.headers.getSetCookie().find((c) => c.startsWith('__Host-hearth_pre='));
  assert.ok(pre, `the pre-session cookie is __Host-: ${r.headers.getSetCookie()}`);
  assert.match(pre, /; Path=\/(;|$)/);
  assert.match(pre, /; Secure/);
  assert.doesNotMatch(pre, /Domain=/i);
  const res = await fetch(`${srv.url}/login`, {
    method: 'POST', redirect: 'manual',
    headers: { Cookie: pre.split(';')[0], 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrfFromHtml(html), username: u.username, password: u.password }).toString(),
  });
  assert.equal(res.status, 303, await res.text());
  const jar = setCookies(res);
  const token = jar['__Host-hearth_session'];
  assert.ok(token, `a __Host- session cookie: ${res.headers.getSetCookie()}`);
  assert.ok(jar['__Host-hearth_device'], 'a __Host- device cookie');
  for (const c of res.headers.getSetCookie()) {
    assert.match(c, /^__Host-/, c);
    assert.match(c, /; Secure/, c);
    assert.match(c, /; Path=\//, c);
  }
  let d = await fetch(`${srv.url}/dashboard`, { redirect: 'manual', headers: { Cookie: `__Host-hearth_session=${token}` } });
  assert.equal(d.status, 200, 'the prefixed cookie signs in');
  d = await fetch(`${srv.url}/dashboard`, { redirect: 'manual', headers: { Cookie: `hearth_session=${token}` } });
  assert.equal(d.status, 303, 'the same token under the plain name, as a plain-http page could set it, does not');
  const api = await srv.api('GET', '/api/v1/me', { token: u.token });
  assert.match(api.headers.get('strict-transport-security') || '', /max-age=/, 'HSTS on the API too');
  // Logging out deletes the prefixed cookie.
  const out = await fetch(`${srv.url}/logout`, {
    method: 'POST', redirect: 'manual',
    headers: { Cookie: `__Host-hearth_session=${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrf: csrfFromHtml(await (await fetch(`${srv.url}/dashboard`, { headers: { Cookie: `__Host-hearth_session=${token}` } })).text()) }).toString(),
  });
  assert.equal(out.status, 303);
  assert.ok(out.headers.getSetCookie().some((c) => c.startsWith('__Host-hearth_session=;') && /Max-Age=0/.test(c)));
});
