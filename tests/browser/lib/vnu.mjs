// SPDX-License-Identifier: AGPL-3.0-or-later
//
// One run of the Nu HTML Checker (npm vnu-jar, with Java: Debian default-jre-headless) over
// HTML files, for lib/browser.mjs (a test file's pages) and vnu.mjs (a whole suite's).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const JAR = createRequire(import.meta.url)('vnu-jar').toString();

/** Validates FILES (paths) in one JVM; resolves to vnu's errors, each with `file` (its path). */
export async function runVnu(files) {
  const output = await new Promise((resolve) => {
    // The quick compiler only and the serial collector: a JVM that lives for seconds spends less
    // CPU warming up than it would gain (2.4 -> 1.1 s for 48 pages).
    execFile('java', ['-Xss4m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-jar', JAR,
      '--errors-only', '--format', 'json', ...files],
    { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => resolve(stderr || stdout));
  });
  let messages;
  try {
    ({ messages } = JSON.parse(output));
  } catch {
    throw new Error(`vnu gave no JSON: ${output.slice(0, 500)}`);
  }
  return messages.filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => ({ ...m, file: m.url && m.url.startsWith('file:') ? fileURLToPath(m.url) : m.url }));
}

/** One line per error: where the page came from (urlOf(file)), the line, the message, the markup. */
export function formatVnuErrors(errors, urlOf) {
  return errors.map((m) => `  ${urlOf(m.file) || m.file}:${m.lastLine}: ${m.message} `
    + `[${(m.extract || '').replace(/\s+/g, ' ').slice(0, 120)}]`).join('\n');
}
