// SPDX-License-Identifier: AGPL-3.0-or-later
//
// node tests/browser/vnu.mjs DIR - validates, in one run of the Nu HTML Checker, the pages the
// browser suite's files wrote into DIR (HEARTH_VNU_DIR, see lib/browser.mjs): NAME-i.html and
// NAME.json ({"urls": {file: the URL it was loaded from}}) per test file. Prints each error
// with its test file and URL and exits 1 on any; exits 2 when DIR holds no pages (the suite
// did not write them, so nothing was checked).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runVnu, formatVnuErrors } from './lib/vnu.mjs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node tests/browser/vnu.mjs DIR');
  process.exit(2);
}
const from = new Map(); // path -> "test file: URL"
const indexes = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
for (const index of indexes) {
  const { urls } = JSON.parse(readFileSync(path.join(dir, index), 'utf8'));
  for (const [file, url] of Object.entries(urls)) from.set(path.resolve(dir, file), `${index.slice(0, -5)}: ${url}`);
}
if (from.size === 0) {
  console.error(`tests/browser/vnu.mjs: no pages in ${dir}: the browser suite wrote none`);
  process.exit(2);
}
const errors = await runVnu([...from.keys()]);
if (errors.length > 0) {
  console.error(`The Nu HTML Checker found ${errors.length} error(s) in ${from.size} page(s):\n`
    + formatVnuErrors(errors, (file) => from.get(path.resolve(file))));
  process.exit(1);
}
console.log(`The Nu HTML Checker: ${from.size} pages of ${indexes.length} test files, no errors.`);
