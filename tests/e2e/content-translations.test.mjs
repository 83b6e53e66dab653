// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The content's translations (issue 16): each content file under data/ (the daily questions, the
// decks, the feelings vocabulary, the repair guide, the break guide, the safety resources, the
// questionnaires) has a Spanish and a German twin under data/i18n/LANG/ at the same relative path,
// with the same shape: the same keys, the same number of items in every list, the same numbers
// and flags, and the same identifiers (ids, categories, subscales, scoring, the keys of a
// questionnaire's subscales), only the words a person reads translated. A feeling, for instance,
// is stored by its English word; its translation is the word at the same place of the twin.
// Every text of a twin is non-empty and none is left in English word for word when the English
// is longer than a few words (a missing translation, not a cognate). Every one of them, English and
// twins, is built into the binary (meson.build's embedded_inputs): domain/content.c and
// domain/questionnaire.c read the twins from there, and a twin left out would be English at run time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const data = path.join(root, 'data');
const LANGS = ['es', 'de'];
/** Keys whose strings are identifiers, never translated. */
const IDS = new Set(['id', 'category', 'subscale', 'scoring', 'version', 'kind']);

function contentFiles(dir, rel = '') {
  const out = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) {
      if (r !== 'i18n') out.push(...contentFiles(dir, r));
    } else if (e.name.endsWith('.json')) out.push(r);
  }
  return out.sort();
}

/** Every difference of shape between the English a and its twin b, as lines naming the place. */
function compare(a, b, where, key, faults) {
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) {
      faults.push(`${where}: a list of ${a.length} in English, ${Array.isArray(b) ? b.length : typeof b} here`);
      return;
    }
    a.forEach((x, i) => compare(x, b[i], `${where}[${i}]`, key, faults));
  } else if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) {
      faults.push(`${where}: an object in English`);
      return;
    }
    const ka = Object.keys(a).sort().join(), kb = Object.keys(b).sort().join();
    if (ka !== kb) faults.push(`${where}: keys ${kb} where English has ${ka}`);
    for (const k of Object.keys(a)) if (k in b) compare(a[k], b[k], `${where}.${k}`, k, faults);
  } else if (typeof a === 'string') {
    if (typeof b !== 'string') faults.push(`${where}: text in English, ${typeof b} here`);
    else if (IDS.has(key)) {
      if (a !== b) faults.push(`${where}: the identifier ${JSON.stringify(a)} became ${JSON.stringify(b)}`);
    } else if (!b.trim()) faults.push(`${where}: empty`);
    else if (a === b && a.split(/\s+/).length > 3) faults.push(`${where}: still in English`);
  } else if (a !== b) {
    faults.push(`${where}: ${JSON.stringify(a)} in English, ${JSON.stringify(b)} here`);
  }
}

for (const lang of LANGS) {
  test(`every content file has its ${lang} twin, with the same shape and identifiers`, () => {
    const faults = [];
    for (const rel of contentFiles(data)) {
      const twin = path.join(data, 'i18n', lang, rel);
      if (!fs.existsSync(twin)) {
        faults.push(`${rel}: no translation (data/i18n/${lang}/${rel})`);
        continue;
      }
      const en = JSON.parse(fs.readFileSync(path.join(data, rel), 'utf8'));
      const tr = JSON.parse(fs.readFileSync(twin, 'utf8'));
      compare(en, tr, `${lang}/${rel}`, '', faults);
    }
    assert.deepEqual(faults.slice(0, 40), [], `${faults.length} faults`);
  });
}

test('a twin names only content files that exist in English', () => {
  for (const lang of LANGS) {
    const dir = path.join(data, 'i18n', lang);
    const extra = fs.existsSync(dir) ? contentFiles(dir).filter((r) => !fs.existsSync(path.join(data, r))) : [];
    assert.deepEqual(extra, [], lang);
  }
});

test('every twin is built into the binary (meson.build embedded_inputs), as its English file is', () => {
  const meson = fs.readFileSync(path.join(root, 'meson.build'), 'utf8');
  const listed = new Set([...meson.matchAll(/'(data\/[^']+\.json)'/g)].map((m) => m[1]));
  const missing = [];
  for (const rel of contentFiles(data)) {
    if (!listed.has(`data/${rel}`)) missing.push(`data/${rel}`);
    for (const lang of LANGS) {
      const twin = `data/i18n/${lang}/${rel}`;
      if (fs.existsSync(path.join(root, twin)) && !listed.has(twin)) missing.push(twin);
    }
  }
  assert.deepEqual(missing, [], 'content files the build does not embed');
});
