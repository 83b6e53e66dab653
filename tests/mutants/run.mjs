#!/usr/bin/env node
// SPDX-License-Identifier: AGPL-3.0-or-later
//
// `make mutate`: runs the hand-made mutants of tests/mutants/mutants.txt and
// says which the tests catch.
//
// The source is never changed in place: the tracked files are copied to
// build-mutate/tree (only those that differ, so the copy's build stays
// incremental) and built in build-mutate/build. The tests named for the
// mutants first run once against the unchanged copy (they must pass, or a
// "caught" would mean nothing); then each mutant is written into the copy,
// the binary rebuilt, its tests run with HEARTH_BIN pointing at it, and the
// copy's file put back. Ctrl-C stops at once and leaves the repository as it
// was. One line per mutant, then "N caught, M survived"; exit 1 when one
// survived, 2 when one could not be applied or built, or the tests fail
// without mutants.
//
// Usage: node tests/mutants/run.mjs [--no-baseline] [NAME...]
//   NAME...        only these mutants (by the name after ##)
//   --no-baseline  skip the run against the unchanged copy

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = path.join(ROOT, 'build-mutate');
const TREE = path.join(WORK, 'tree');
const BUILD = path.join(WORK, 'build');
const LOGS = path.join(WORK, 'logs');
const LIST = path.join(ROOT, 'tests/mutants/mutants.txt');
const TEST_LIMIT_MS = 15 * 60 * 1000; // a mutant that makes a test hang is caught when this passes

/** The mutants of the list: [{name, what, file, tests, units, search, replace}]. */
function parse(text) {
  const out = [];
  let m = null;
  let block = null; // 'search' | 'replace' while collecting lines
  const lines = text.split('\n');
  const finish = () => {
    if (!m) return;
    for (const k of ['search', 'replace']) {
      while (m[k].length && m[k][m[k].length - 1] === '') m[k].pop();
      m[k] = m[k].join('\n');
    }
    out.push(m);
  };
  for (const [i, line] of lines.entries()) {
    const head = /^## ([a-z0-9-]+): (.+)$/.exec(line);
    if (head) {
      finish();
      m = { name: head[1], what: head[2], file: '', tests: [], units: [], search: [], replace: [], line: i + 1 };
      block = null;
      continue;
    }
    if (!m) continue; // the preamble
    const key = block === null || !line.startsWith('\t') ? /^(file|test|unit|search|replace):(.*)$/.exec(line) : null;
    if (key && (block === null || key[1] === 'replace' || key[1] === 'search')) {
      const value = key[2].trim();
      if (key[1] === 'file') m.file = value;
      else if (key[1] === 'test') m.tests.push(...value.split(/\s+/).filter(Boolean));
      else if (key[1] === 'unit') m.units.push(...value.split(/\s+/).filter(Boolean));
      else {
        block = key[1];
        if (key[2].length) m[block].push(key[2].replace(/^ /, ''));
      }
      continue;
    }
    if (block) m[block].push(line);
  }
  finish();
  return out;
}

/** Runs a command, its output into logFile; resolves to {code, signal, timedOut}. */
function run(cmd, args, { env = {}, cwd = ROOT, logFile, limitMs = 0 } = {}) {
  return new Promise((resolve) => {
    const log = fs.openSync(logFile, 'a');
    fs.writeSync(log, `$ ${cmd} ${args.join(' ')}\n`);
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', log, log], detached: true });
    running.add(child);
    let timedOut = false;
    const timer = limitMs ? setTimeout(() => { timedOut = true; killGroup(child); }, limitMs) : null;
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      running.delete(child);
      fs.closeSync(log);
      resolve({ code, signal, timedOut });
    });
  });
}

const running = new Set();
function killGroup(child) {
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
}

/** The files git knows (tracked and new, not ignored), relative to the repository. */
function sourceFiles() {
  const r = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ls-files: ${r.stderr}`);
  return r.stdout.split('\0').filter((f) => f && fs.existsSync(path.join(ROOT, f)) && fs.statSync(path.join(ROOT, f)).isFile());
}

/** Brings the copy up to date with the repository: changed files only, so that ninja rebuilds little. */
function syncTree() {
  let changed = 0;
  for (const f of sourceFiles()) {
    const from = path.join(ROOT, f);
    const to = path.join(TREE, f);
    const data = fs.readFileSync(from);
    if (fs.existsSync(to) && fs.readFileSync(to).equals(data)) continue;
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, data, { mode: fs.statSync(from).mode });
    changed++;
  }
  return changed;
}

// The copy is built as `make test`'s build is (with the test hooks: cache.test.mjs reads the caches'
// counters in /metrics, and the suites hash passwords at the least cost), and with the unit tests the
// mutants name (`meson test --no-rebuild` would otherwise run a binary that was never built, or is stale).
const HOOKS = '-Dtest_hooks=true';
async function build(logFile, units = []) {
  const intro = path.join(BUILD, 'meson-info', 'intro-buildoptions.json');
  if (!fs.existsSync(path.join(BUILD, 'build.ninja'))) {
    const s = await run('meson', ['setup', HOOKS, BUILD, TREE], { logFile });
    if (s.code !== 0) return false;
  } else if (!fs.readFileSync(intro, 'utf8').includes('"name": "test_hooks", "value": true')) {
    const s = await run('meson', ['configure', HOOKS, BUILD], { logFile }); // a copy made before this
    if (s.code !== 0) return false;
  }
  return (await run('ninja', ['-C', BUILD, 'hearth', ...units.map(unitTarget)], { logFile })).code === 0;
}

/** A unit test's executable: meson's test "domain/keyring" is built as test_domain_keyring. */
const unitTarget = (name) => `test_${name.replace(/\//g, '_')}`;

/** Runs a mutant's tests against the copy's binary; true when all pass. */
async function testsPass(m, logFile) {
  const env = { HEARTH_BIN: path.join(BUILD, 'hearth') };
  for (const t of m.tests) {
    const r = await run(process.execPath, ['--test', t], { env, logFile, limitMs: TEST_LIMIT_MS });
    if (r.code !== 0 || r.timedOut) return { pass: false, why: `${t}${r.timedOut ? ' (timed out)' : ''}` };
  }
  for (const u of m.units) {
    const r = await run('meson', ['test', '-C', BUILD, '--no-rebuild', u], { logFile, limitMs: TEST_LIMIT_MS });
    if (r.code !== 0 || r.timedOut) return { pass: false, why: `unit ${u}` };
  }
  return { pass: true };
}

const occurrences = (hay, needle) => (needle ? hay.split(needle).length - 1 : 0);

async function main() {
  const args = process.argv.slice(2);
  const baseline = !args.includes('--no-baseline');
  const only = args.filter((a) => !a.startsWith('--'));
  let mutants = parse(fs.readFileSync(LIST, 'utf8'));
  const unknown = only.filter((n) => !mutants.some((m) => m.name === n));
  if (unknown.length) {
    console.error(`no such mutant: ${unknown.join(', ')}`);
    return 2;
  }
  if (only.length) mutants = mutants.filter((m) => only.includes(m.name));

  // Every mutant must apply to today's source exactly once.
  let broken = 0;
  for (const m of mutants) {
    const problem = !m.file ? 'no file:' : !m.tests.length && !m.units.length ? 'no test: or unit:'
      : !fs.existsSync(path.join(ROOT, m.file)) ? `${m.file} does not exist`
      : occurrences(fs.readFileSync(path.join(ROOT, m.file), 'utf8'), m.search) !== 1
        ? `its search text occurs ${occurrences(fs.readFileSync(path.join(ROOT, m.file), 'utf8'), m.search)} times in ${m.file}, not once`
        : m.search === m.replace ? 'search and replace are the same' : '';
    if (problem) {
      console.log(`stale     ${m.name} (mutants.txt line ${m.line}): ${problem}`);
      broken++;
    }
  }
  if (broken) {
    console.log(`${broken} mutant(s) no longer apply: update tests/mutants/mutants.txt with the code`);
    return 2;
  }

  fs.mkdirSync(LOGS, { recursive: true });
  const setupLog = path.join(LOGS, 'build.log');
  fs.writeFileSync(setupLog, '');
  const changed = syncTree();
  process.stdout.write(`copy of the source: ${changed} file(s) updated; building ... `);
  const allUnits = [...new Set(mutants.flatMap((m) => m.units))];
  if (!(await build(setupLog, allUnits))) {
    console.log(`failed (see ${path.relative(ROOT, setupLog)})`);
    return 2;
  }
  console.log('done');
  // A unit: name meson does not know would "pass" (meson test says "No suitable tests defined" and exits 0).
  const listed = spawnSync('meson', ['test', '-C', BUILD, '--list'], { cwd: ROOT, encoding: 'utf8' }).stdout || '';
  const unlisted = allUnits.filter((u) => !listed.split('\n').some((l) => l.endsWith(` / ${u}`)));
  if (unlisted.length) {
    console.log(`unknown unit test(s): ${unlisted.join(', ')} (names as \`meson test --list\` gives them, e.g. domain/keyring)`);
    return 2;
  }

  if (baseline) {
    const files = [...new Set(mutants.flatMap((m) => m.tests))];
    const units = [...new Set(mutants.flatMap((m) => m.units))];
    const log = path.join(LOGS, 'baseline.log');
    fs.writeFileSync(log, '');
    const t0 = Date.now();
    const r = await testsPass({ tests: files, units }, log);
    if (!r.pass) {
      console.log(`the tests fail without any mutant: ${r.why} (see ${path.relative(ROOT, log)})`);
      return 2;
    }
    console.log(`without mutants: ${files.length + units.length} test file(s) pass (${Math.round((Date.now() - t0) / 1000)} s)`);
  }

  let caught = 0;
  const survived = [];
  let unbuilt = 0;
  for (const m of mutants) {
    const target = path.join(TREE, m.file);
    const original = fs.readFileSync(target, 'utf8');
    const log = path.join(LOGS, `${m.name}.log`);
    fs.writeFileSync(log, '');
    const t0 = Date.now();
    current = { target, original };
    try {
      fs.writeFileSync(target, original.replace(m.search, () => m.replace));
      if (!(await build(log, m.units))) {
        console.log(`NOT BUILT ${m.name}: the mutant does not compile (see ${path.relative(ROOT, log)})`);
        unbuilt++;
        continue;
      }
      const r = await testsPass(m, log);
      const secs = Math.round((Date.now() - t0) / 1000);
      if (r.pass) {
        console.log(`SURVIVED  ${m.name}: ${m.what} (${m.tests.concat(m.units).join(', ')} pass; ${secs} s)`);
        survived.push(m.name);
      } else {
        console.log(`caught    ${m.name} by ${r.why} (${secs} s)`);
        caught++;
      }
    } finally {
      fs.writeFileSync(target, original);
      current = null;
    }
  }
  // The copy's binaries are the unchanged source again for the next run.
  await build(setupLog, allUnits);
  console.log(`${caught} caught, ${survived.length} survived${unbuilt ? `, ${unbuilt} not built` : ''}`);
  if (survived.length) return 1;
  return unbuilt ? 2 : 0;
}

let current = null;
process.on('SIGINT', () => {
  for (const child of running) killGroup(child);
  if (current) fs.writeFileSync(current.target, current.original);
  console.log('\ninterrupted: the repository was never changed; the copy is restored');
  process.exit(130);
});

main().then((code) => process.exit(code), (err) => {
  console.error(err);
  process.exit(2);
});
