// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Looking for plain text at rest: every encoding of a marker a store or a
// backup could hold it in, and the files under a directory that hold any.
// Used by the tests that prove texts are sealed on disk (atrest, repairs,
// sealed). Only Node built-ins.

import fs from 'node:fs';
import path from 'node:path';

/**
 * [label, bytes] for every encoding of s to look for: UTF-8, UTF-16LE/BE,
 * base64 and base64url at the three alignments, hex. Labels start with name.
 * A base64 form is kept when at least minBase64 characters of it do not
 * depend on the neighbouring bytes (shorter ones would match by chance).
 */
export function needles(name, s, { minBase64 = 16 } = {}) {
  const out = [];
  const utf8 = Buffer.from(s, 'utf8');
  out.push([`${name} utf-8`, utf8]);
  out.push([`${name} utf-16le`, Buffer.from(s, 'utf16le')]);
  const be = Buffer.from(s, 'utf16le');
  for (let i = 0; i + 1 < be.length; i += 2) { const x = be[i]; be[i] = be[i + 1]; be[i + 1] = x; }
  out.push([`${name} utf-16be`, be]);
  // base64 of the marker inside a longer text: for each alignment, the part of
  // the encoding that does not depend on the neighbouring bytes.
  for (let pad = 0; pad < 3; pad++) {
    const enc = Buffer.concat([Buffer.alloc(pad), utf8, Buffer.alloc(3)]).toString('base64');
    const startChars = Math.ceil(pad / 3) * 4; // skip groups that mix in the padding
    const fullGroups = Math.floor((pad + utf8.length) / 3) * 4;
    const core = enc.slice(startChars, fullGroups);
    if (core.length >= minBase64) {
      out.push([`${name} base64@${pad}`, Buffer.from(core)]);
      out.push([`${name} base64url@${pad}`, Buffer.from(core.replace(/\+/g, '-').replace(/\//g, '_'))]);
    }
  }
  out.push([`${name} hex`, Buffer.from(utf8.toString('hex'))]);
  return out;
}

/** Every regular file under dir, recursively. */
export function filesUnder(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.join(e.path ?? e.parentPath ?? dir, e.name));
  }
  return out;
}

/**
 * "file: label" for every needle found in a file under where (a directory,
 * the file named relative to it) or in where itself (a file, named by its base name).
 */
export function scanFiles(where, list) {
  const dir = fs.statSync(where).isDirectory();
  const hits = [];
  for (const f of dir ? filesUnder(where) : [where]) {
    const bytes = fs.readFileSync(f);
    for (const [name, n] of list) if (bytes.includes(n)) hits.push(`${dir ? path.relative(where, f) : path.basename(f)}: ${name}`);
  }
  return hits;
}
