// SPDX-License-Identifier: AGPL-3.0-or-later
//
// `hearth help` and the manual page hearth(1) (docs/hearth.1.scd) tell the same facts:
// this fails on any command, flag or environment variable one names and the other does
// not, and when the program reads a HEARTH_ variable or accepts a flag or command that
// neither describes. The manual built by meson (build/hearth.1) must be the scdoc source's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runCli, REPO_ROOT, TEST_TIMEOUT } from './lib/server.mjs';

const read = (p) => fs.readFileSync(path.join(REPO_ROOT, p), 'utf8');
const sorted = (set) => [...set].sort();
const flagsIn = (text) => new Set(text.match(/(?<![\w-])--?[a-z][a-z-]*/g)?.filter((f) => f.startsWith('--') || f === '-h'));
const envIn = (text) => new Set(text.match(/HEARTH_[A-Z_]+[A-Z]/g));

/** Commands of `hearth help`: "serve", "user add", ... from its "commands:" block. */
function helpCommands(help) {
  const block = help.split('\ncommands:\n')[1].split('\n\n')[0];
  const out = new Set();
  for (const line of block.split('\n')) {
    if (!/^ {2}[a-z]/.test(line)) continue; // a continued description
    const words = [];
    for (const w of line.trim().split(/\s{2,}/)[0].split(/[\s,]+/)) {
      if (!/^[a-z][a-z-]*$/.test(w)) break; // an argument (FILE, [--flag ...]) ends the name
      words.push(w);
    }
    out.add(words.join(' '));
  }
  return out;
}

/** Commands of the manual: the bold names that start the entries of its COMMANDS section. */
function manualCommands(scd) {
  const section = scd.split('\n# COMMANDS\n')[1].split('\n# ')[0];
  return new Set([...section.matchAll(/^\*([a-z][a-z -]*)\*/gm)].map((m) => m[1]));
}

test('hearth help and hearth(1) name the same commands, flags and environment variables', { timeout: TEST_TIMEOUT }, () => {
  const r = runCli(['help']);
  assert.equal(r.status, 0, r.stderr);
  const help = r.stdout;
  const scd = read('docs/hearth.1.scd');
  const manual = scd.replace(/^;.*$/gm, ''); // scdoc comments are not in the page
  assert.deepEqual(sorted(manualCommands(manual)), sorted(helpCommands(help)), 'commands');
  assert.deepEqual(sorted(flagsIn(manual)), sorted(flagsIn(help)), 'flags');
  assert.deepEqual(sorted(envIn(manual)), sorted(envIn(help)), 'environment variables');
});

test('every command, flag and HEARTH_ variable the program knows is in hearth help', { timeout: TEST_TIMEOUT }, () => {
  const help = runCli(['help']).stdout;
  const main = read('src/main.c');
  // The command table of main.c: {"serve", cmd_serve}, ...
  const table = new Set([...main.matchAll(/\{"([a-z-]+)", cmd_[a-z_]+\}/g)].map((m) => m[1]));
  assert.ok(table.has('serve') && table.has('migrate'), 'the command table was found');
  const first = new Set([...helpCommands(help)].map((c) => c.split(' ')[0]));
  first.delete('help'); // handled before the table
  assert.deepEqual(sorted(first), sorted(table), 'commands of main.c');
  // Flags main.c compares arguments with.
  const flags = new Set([...main.matchAll(/strcmp\([^,]+, "(--?[a-z][a-z-]*)"\)/g)].map((m) => m[1]));
  for (const f of flags) assert.ok(flagsIn(help).has(f), `hearth help names ${f}`);
  // Variables read anywhere in src/.
  const vars = new Set();
  const walk = (dir) => {
    for (const e of fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[ch]$/.test(e.name)) for (const m of read(p).matchAll(/getenv\("(HEARTH_[A-Z_]+)"\)/g)) vars.add(m[1]);
    }
  };
  walk('src');
  assert.ok(vars.has('HEARTH_DATA'), 'the getenv calls were found');
  for (const v of vars) assert.ok(envIn(help).has(v), `hearth help names ${v}`);
});

test('the manual meson built is the scdoc source rendered', { timeout: TEST_TIMEOUT }, (t) => {
  const bin = process.env.HEARTH_BIN ? path.resolve(process.env.HEARTH_BIN) : path.join(REPO_ROOT, 'build', 'hearth');
  const built = path.join(path.dirname(bin), 'hearth.1');
  // A binary from elsewhere (HEARTH_BIN) may have no build directory beside it.
  if (process.env.HEARTH_BIN && !fs.existsSync(built)) return t.skip(`no ${built} beside the binary`);
  const fresh = spawnSync('scdoc', { input: read('docs/hearth.1.scd'), encoding: 'utf8' });
  assert.equal(fresh.status, 0, `scdoc: ${fresh.stderr}`);
  // The .TH line carries the day it was rendered.
  const body = (page) => page.replace(/^\.TH .*$/m, '');
  assert.equal(body(fs.readFileSync(built, 'utf8')), body(fresh.stdout), `${built} is not docs/hearth.1.scd rendered (rebuild)`);
  assert.match(fresh.stdout, /^\.TH "hearth" "1"/m);
});
