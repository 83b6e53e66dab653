// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Native TLS (issue 10): `serve --tls-cert --tls-key` speaks TLS 1.2 and 1.3
// only, with AEAD suites only. A self-signed certificate is made here with
// `openssl req`. The client is node's tls, told to offer exactly one old
// version (at OpenSSL security level 0, so it really offers it): that it can
// is shown against `openssl s_server` first, so a refusal from hearth is
// hearth's. Over TLS, HSTS is sent and cookies are __Host- and Secure.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import tls from 'node:tls';
import { HEARTH_BIN, PG_URL, pgDatabaseFor, freePort, tempDir, TEST_TIMEOUT } from './lib/server.mjs';

let dir;
let cert;
let key;
let proc;
let port;
let log = '';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** GET over https (the test's own certificate trusted); {status, headers, text}. */
function get(p, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: p, ca: fs.readFileSync(cert), servername: undefined, headers,
      checkServerIdentity: () => undefined }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
  });
}

/** A TLS handshake offering exactly [min, max] (and ciphers, for TLS 1.2); {protocol, cipher} or {error}. */
function handshake(toPort, min, max, ciphers = 'DEFAULT:@SECLEVEL=0') {
  return new Promise((resolve) => {
    const s = tls.connect({ host: '127.0.0.1', port: toPort, minVersion: min, maxVersion: max, ciphers, rejectUnauthorized: false }, () => {
      const out = { protocol: s.getProtocol(), cipher: s.getCipher().name };
      s.end();
      resolve(out);
    });
    s.on('error', (e) => resolve({ error: `${e.code || ''} ${e.message}` }));
    s.setTimeout(10000, () => { s.destroy(); resolve({ error: 'timeout' }); });
  });
}

before(async () => {
  dir = tempDir();
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
  { encoding: 'utf8' });
  assert.equal(r.status, 0, `openssl req: ${r.stderr} ${r.error || ''}`);
  port = await freePort();
  const db = PG_URL ? ['--database', pgDatabaseFor(dir)] : [];
  proc = spawn(HEARTH_BIN, ['--data', dir, ...db, 'serve', '--listen', `127.0.0.1:${port}`, '--tls-cert', cert, '--tls-key', key],
    { cwd: dir, env: { ...process.env, HEARTH_METRICS_LISTEN: 'off' }, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stderr.on('data', (c) => { log = (log + c).slice(-20000); });
  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      if ((await get('/healthz')).status === 200) break;
    } catch { /* not up yet */ }
    assert.ok(Date.now() < deadline, `hearth with TLS did not start: ${log}`);
    await sleep(100);
  }
}, { timeout: TEST_TIMEOUT });

after(async () => {
  if (proc && proc.exitCode === null) {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.on('close', r));
  }
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, { timeout: TEST_TIMEOUT });

/** The same handshake against `openssl s_server` that allows only `flag`'s version: the client can do it. */
async function control(flag, min, max) {
  const p = await freePort();
  const s = spawn('openssl', ['s_server', '-accept', String(p), '-cert', cert, '-key', key, flag,
    '-cipher', 'DEFAULT:@SECLEVEL=0', '-naccept', '1', '-quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    let out = {};
    for (let i = 0; i < 50; i++) {
      await sleep(100);
      out = await handshake(p, min, max);
      if (!out.error || !/ECONNREFUSED/.test(out.error)) break;
    }
    return out;
  } finally {
    s.kill();
  }
}

for (const [version, flag] of [['TLSv1', '-tls1'], ['TLSv1.1', '-tls1_1']]) {
  test(`${version} is refused (the client offers it: openssl s_server accepts it)`, { timeout: TEST_TIMEOUT }, async () => {
    const ok = await control(flag, version, version);
    assert.equal(ok.protocol, version, `control handshake: ${JSON.stringify(ok)}`);
    const r = await handshake(port, version, version);
    assert.ok(r.error, `hearth accepted ${version}: ${JSON.stringify(r)}`);
  });
}

test('TLS 1.2 and 1.3 work, with AEAD suites only; a TLS 1.2 client offering only CBC suites is refused', { timeout: TEST_TIMEOUT }, async () => {
  for (const v of ['TLSv1.2', 'TLSv1.3']) {
    const r = await handshake(port, v, v);
    assert.equal(r.protocol, v, JSON.stringify(r));
    assert.match(r.cipher, /GCM|CHACHA20/, `an AEAD suite: ${r.cipher}`);
  }
  const cbc = await handshake(port, 'TLSv1.2', 'TLSv1.2', 'ECDHE-ECDSA-AES128-SHA256:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-AES128-SHA:@SECLEVEL=0');
  assert.ok(cbc.error, `a CBC suite was accepted: ${JSON.stringify(cbc)}`);
});

test('over TLS: HSTS, and cookies __Host- with Secure', { timeout: TEST_TIMEOUT }, async () => {
  const r = await get('/login');
  assert.equal(r.status, 200);
  assert.match(r.headers['strict-transport-security'] || '', /max-age=\d{7,}/);
  const cookies = r.headers['set-cookie'] || [];
  assert.ok(cookies.some((c) => c.startsWith('__Host-hearth_pre=') && /; Secure/.test(c) && /; Path=\//.test(c)),
    `cookies: ${cookies}`);
});
