// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The Debian package `make deb` builds (HEARTH_DEB names it; `make test-deb` builds it
// when a source changed and runs this): lintian finds no error or warning; the files,
// their owners and modes are the ones an operator relies on (the binary, the manual,
// the hardened unit, the user, the directories for hearth alone, the settings as a
// conffile, the key outside the data directory); the maintainer scripts remove data and
// key on purge only; and the packaged binary, run from an extracted tree, migrates,
// serves /healthz on a loopback port and stops on SIGTERM, while a copy of its data
// directory alone opens nothing.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from '../e2e/lib/port.mjs';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEB = process.env.HEARTH_DEB ? path.resolve(REPO_ROOT, process.env.HEARTH_DEB) : '';
const TIMEOUT = 300000;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-deb-'));
// Started as root, serve hands its data directory to the service user (hearth, else
// nobody) and switches to it: that user must be able to reach the directory.
fs.chmodSync(tmp, 0o711);
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}
function ok(cmd, args, opts) {
  const r = run(cmd, args, opts);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}
/** A file of the package's control archive (postinst, conffiles, ...), or ''. */
const control = (name) => run('dpkg-deb', ['--info', DEB, name]).stdout || '';
/** The Directives of a unit's [Service] section that are about confinement, as lines. */
const hardening = (unit) => unit.split('# Hardening\n')[1].split('\n[')[0].split('\n').filter((l) => l && !l.startsWith('#'));

test('the package exists and is named hearth_VERSION_ARCH.deb', () => {
  assert.ok(DEB, 'HEARTH_DEB names the package (make test-deb sets it)');
  assert.ok(fs.existsSync(DEB), `${DEB} exists`);
  const version = ok('dpkg-parsechangelog', ['-l', path.join(REPO_ROOT, 'debian/changelog'), '-S', 'Version']).trim();
  const arch = ok('dpkg', ['--print-architecture']).trim();
  assert.equal(path.basename(DEB), `hearth_${version}_${arch}.deb`);
  const meson = fs.readFileSync(path.join(REPO_ROOT, 'meson.build'), 'utf8').match(/version : '([^']+)'/)[1];
  assert.equal(version.replace(/-[^-]+$/, ''), meson, 'debian/changelog and meson.build give the same version');
});

test('lintian reports no error and no warning', { timeout: TIMEOUT }, () => {
  const r = run('lintian', ['--tag-display-limit', '0', DEB]);
  const bad = r.stdout.split('\n').filter((l) => /^[EW]: /.test(l));
  assert.deepEqual(bad, [], `lintian:\n${r.stdout}${r.stderr}`);
  assert.ok(r.status === 0, `lintian exit ${r.status}: ${r.stderr}`);
});

test('its files, owners and modes', () => {
  const entries = new Map();
  for (const line of ok('dpkg-deb', ['--contents', DEB]).split('\n').filter(Boolean)) {
    const [mode, owner, , , , ...rest] = line.split(/\s+/);
    const name = rest.join(' ').replace(/ -> .*/, '').replace(/^\.\//, '/').replace(/\/$/, '') || '/';
    entries.set(name, { mode, owner });
  }
  const want = {
    '/usr/bin/hearth': '-rwxr-xr-x',
    '/usr/share/man/man1/hearth.1.gz': '-rw-r--r--',
    '/lib/systemd/system/hearth.service': '-rw-r--r--',
    '/usr/lib/sysusers.d/hearth.conf': '-rw-r--r--',
    '/usr/lib/tmpfiles.d/hearth.conf': '-rw-r--r--',
    '/etc/hearth/hearth.env': '-rw-r--r--',
    '/usr/share/doc/hearth/copyright': '-rw-r--r--',
  };
  for (const [file, mode] of Object.entries(want)) {
    assert.ok(entries.has(file), `${file} is in the package`);
    assert.equal(entries.get(file).mode, mode, `${file}'s mode`);
  }
  for (const [file, { mode, owner }] of entries) {
    assert.equal(owner, 'root/root', `${file} belongs to root in the package (hearth's own are made at install)`);
    assert.doesNotMatch(mode, /[sS]/, `${file} is neither setuid nor setgid`);
    assert.ok(/^\/(usr\/(bin|share\/(man|doc)|lib\/(sysusers|tmpfiles)\.d)|lib\/systemd\/system|etc\/hearth)(\/|$)/.test(file)
      || ['/', '/usr', '/usr/lib', '/usr/share', '/usr/share/man', '/lib', '/lib/systemd', '/etc'].includes(file),
      `${file} is where the package puts things`);
    assert.ok(!file.startsWith('/var/lib/hearth') && !file.endsWith('master.key'), `${file}: data and key are never shipped`);
  }
  assert.equal(control('conffiles').trim(), '/etc/hearth/hearth.env', 'the settings are the one conffile');
});

test('the user, the directories, the unit and the maintainer scripts', () => {
  const x = path.join(tmp, 'tree');
  ok('dpkg-deb', ['-x', DEB, x]);
  const file = (p) => fs.readFileSync(path.join(x, p), 'utf8');
  assert.match(file('usr/lib/sysusers.d/hearth.conf'), /^u hearth - "hearth" \/var\/lib\/hearth$/m, 'a hearth system user');
  const tmpfiles = file('usr/lib/tmpfiles.d/hearth.conf');
  assert.match(tmpfiles, /^d \/var\/lib\/hearth 0700 hearth hearth -$/m, 'the data directory is for hearth alone');
  assert.match(tmpfiles, /^d \/etc\/hearth 0700 hearth hearth -$/m, 'so is the key\'s directory');
  assert.match(tmpfiles, /^z \/etc\/hearth\/master\.key 0600 hearth hearth -$/m, 'and the key');
  const unit = file('lib/systemd/system/hearth.service');
  const contrib = fs.readFileSync(path.join(REPO_ROOT, 'contrib/hearth.service'), 'utf8');
  assert.deepEqual(hardening(unit), hardening(contrib), 'hardened as contrib/hearth.service is');
  for (const line of ['User=hearth', 'Environment=HEARTH_DATA=/var/lib/hearth', 'Environment=HEARTH_KEY_FILE=/etc/hearth/master.key',
    'EnvironmentFile=/etc/hearth/hearth.env', 'ExecStartPre=/usr/bin/hearth migrate', 'ExecStart=/usr/bin/hearth serve', 'UMask=0077']) {
    assert.ok(unit.split('\n').includes(line), `the unit has ${line}`);
  }
  const env = file('etc/hearth/hearth.env');
  assert.match(env, /^HEARTH_KEY_FILE=\/etc\/hearth\/master\.key$/m, 'the settings keep the key outside the data directory');
  assert.match(env, /^HEARTH_DATA=\/var\/lib\/hearth$/m);
  const postinst = control('postinst');
  assert.match(postinst, /systemd-sysusers .*hearth\.conf/, 'postinst makes the user');
  assert.match(postinst, /systemd-tmpfiles .*--create hearth\.conf/, 'and the directories');
  assert.ok(postinst.indexOf('systemd-sysusers') < postinst.indexOf('systemd-tmpfiles'), 'the user before its directories');
  assert.ok(postinst.indexOf('systemd-tmpfiles') < postinst.indexOf('deb-systemd-invoke'), 'the directories before the start');
  const postrm = control('postrm');
  const purge = postrm.split(/if \[ "\$1" = "purge" \]; then/)[1]?.split('\nfi')[0] || '';
  assert.match(purge, /rm -rf \/var\/lib\/hearth\n/, 'purge removes the data');
  assert.match(purge, /rm -f \/etc\/hearth\/master\.key /, 'and the key');
  assert.equal((postrm.match(/\/var\/lib\/hearth/g) || []).length, 1, 'nothing else removes the data');
  for (const script of ['preinst', 'postinst', 'prerm', 'postrm', 'config']) {
    assert.doesNotMatch(control(script), /db_input|read /, `${script} asks nothing`);
  }
  const man = ok('man', ['-l', path.join(x, 'usr/share/man/man1/hearth.1.gz')], { env: { ...process.env, MANWIDTH: '80' } });
  assert.match(man, /HEARTH_KEY_FILE/, 'the manual is there and renders');
});

test('the packaged binary migrates, serves /healthz and stops', { timeout: TIMEOUT }, async () => {
  const x = path.join(tmp, 'run');
  ok('dpkg-deb', ['-x', DEB, x]);
  const bin = path.join(x, 'usr/bin/hearth');
  const data = path.join(tmp, 'data');
  const etc = fs.mkdtempSync(path.join(tmp, 'etc-'));
  const key = path.join(etc, 'master.key');
  const env = { ...process.env, HEARTH_DATA: data, HEARTH_KEY_FILE: key, HEARTH_METRICS_LISTEN: 'off' };
  delete env.HEARTH_DATABASE_URL;
  ok(bin, ['migrate'], { env, cwd: tmp });
  assert.equal(fs.statSync(key).mode & 0o777, 0o600, 'the key is created, mode 0600');
  assert.ok(!fs.existsSync(path.join(data, 'master.key')), 'and not in the data directory');

  const port = await freePort();
  const proc = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`], { env, cwd: tmp, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  proc.stderr.on('data', (c) => { if (log.length < 65536) log += c; });
  const exited = new Promise((resolve) => proc.on('close', (code, signal) => resolve({ code, signal })));
  try {
    let res = null;
    for (const deadline = Date.now() + 30000; Date.now() < deadline;) {
      try { res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) }); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
    }
    assert.ok(res, `no answer on /healthz; log:\n${log}`);
    assert.equal(res.status, 200, `GET /healthz; log:\n${log}`);
    // Someone signs up: their display name is sealed under a data key, wrapped by the master key.
    const signup = await fetch(`http://127.0.0.1:${port}/api/v1/accounts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'deb-test-a', password: 'pw-deb-test correct horse', display_name: 'Deb Test' }),
    });
    assert.equal(signup.status, 201, `sign-up: ${await signup.text()}`);
  } finally {
    proc.kill('SIGTERM');
  }
  assert.deepEqual(await exited, { code: 0, signal: null }, `stops cleanly on SIGTERM; log:\n${log}`);

  // The data directory copied alone: its database opens nothing without the key.
  const copy = path.join(tmp, 'copy');
  fs.cpSync(data, copy, { recursive: true });
  const bare = { ...env };
  delete bare.HEARTH_KEY_FILE; // the key is looked for in the copy, where it is not
  const alone = run(bin, ['--data', copy, 'check'], { env: bare, cwd: tmp });
  assert.equal(alone.status, 1, `a copy of the data directory alone is refused: ${alone.stderr}`);
  assert.match(alone.stderr, /key file .* does not exist/);
  const withKey = run(bin, ['--data', copy, '--key-file', key, 'check'], { env: bare, cwd: tmp });
  assert.equal(withKey.status, 0, `with the key beside it, the copy opens: ${withKey.stderr}`);
});
