// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Results that mean something (API.md "Additions: Questionnaires and results"): an
// instrument may declare `scoring` (mean or sum), `bands` [{label, min, max}] and
// `reliable_change`; a response then carries `band` (the label, or null) and `change`
// ({from_score, delta, reliable, from_at} against the caller's own previous response to
// the same instrument, null for the first). The server here also loads
// tests/fixtures/questionnaires/banded.json (HEARTH_QUESTIONNAIRES_DIR): a made-up
// sum-scored instrument, 4 items 0..5, bands 0-9 and 10-20, reliable change 3. A broken
// band stops the start with a message naming the file and the field.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, assertError, TEST_TIMEOUT, REPO_ROOT, RFC3339_UTC, tempDir, runCli } from './lib/server.mjs';

const T = { timeout: TEST_TIMEOUT };
const DIR = path.join(REPO_ROOT, 'tests', 'fixtures', 'questionnaires');
const BANDED = 'banded-sum';

let srv;
let B; // the banded instrument as served

before(async () => {
  srv = await startServer({ env: { HEARTH_QUESTIONNAIRES_DIR: DIR } });
  const u = await srv.signUp('rsq');
  const r = await srv.api('GET', `/api/v1/questionnaires/${BANDED}`, { token: u.token });
  assert.equal(r.status, 200, r.text);
  B = r.json;
}, T);

after(async () => { if (srv) await srv.stop(); }, T);

/** Answers whose sum is `total` (0..20): filled item by item, the reversed one mirrored. */
function answersFor(total) {
  const out = {};
  let left = total;
  for (const it of B.items) {
    const scored = Math.min(it.max, left);
    left -= scored;
    out[it.id] = it.reverse ? it.min + it.max - scored : scored;
  }
  assert.equal(left, 0, `a sum of ${total} fits`);
  return out;
}

async function respond(who, total, extra = {}) {
  const r = await srv.call(who, 'POST', `/api/v1/questionnaires/${BANDED}/responses`, { answers: answersFor(total), ...extra });
  assert.equal(r.status, 201, `POST responses: ${r.status} ${r.text}`);
  return r.json;
}

test('the instrument says how it is scored: sum, bands, reliable change, subscale names; the security check has none of that', T, async () => {
  assert.equal(B.scoring, 'sum');
  assert.deepEqual(B.bands, [
    { label: 'Below the cut-off', min: 0, max: 9 },
    { label: 'At or above the cut-off', min: 10, max: 20 },
  ]);
  assert.equal(B.reliable_change, 3);
  assert.deepEqual(B.score_range, { min: 0, max: 20 });
  assert.deepEqual(B.subscales, { near: 'Feeling close', calm: 'Feeling calm' });
  const u = await srv.signUp('rsc');
  const sc = (await srv.call(u, 'GET', '/api/v1/questionnaires/security-check')).json;
  assert.equal(sc.scoring, 'mean');
  assert.ok(!('bands' in sc), 'the security check has no bands');
  assert.ok(!('reliable_change' in sc), 'and no reliable-change threshold');
  assert.match(sc.note, /not a validated clinical measure/, 'it says it is not a clinical measure');
  assert.equal(sc.subscales.communication, 'Open communication');
  assert.deepEqual(sc.score_range, { min: 1, max: 5 });
});

test('a response carries its band; the first has no change, later ones change {from_score, delta, reliable, from_at}', T, async () => {
  const u = await srv.signUp('rsb');
  const first = await respond(u, 4);
  assert.equal(first.score, 4, 'a sum');
  assert.deepEqual(first.subscales, { near: 4, calm: 0 });
  assert.equal(first.band, 'Below the cut-off');
  assert.equal(first.change, null, 'the first response has no change');
  assert.equal(first.visibility, 'private', 'private unless chosen');

  const up = await respond(u, 16, { visibility: 'therapist' });
  assert.equal(up.band, 'At or above the cut-off');
  assert.equal(up.visibility, 'therapist');
  assert.deepEqual({ ...up.change, from_at: undefined }, { from_score: 4, delta: 12, reliable: true, from_at: undefined });
  assert.equal(up.change.from_at, first.created_at, 'from_at is when the previous one was made');
  assert.match(up.change.from_at, RFC3339_UTC);

  const small = await respond(u, 14);
  assert.deepEqual([small.change.from_score, small.change.delta, small.change.reliable], [16, -2, false], 'within the threshold');
  const exact = await respond(u, 17);
  assert.deepEqual([exact.change.delta, exact.change.reliable], [3, false], 'exactly the threshold is not larger than it');
  const down = await respond(u, 9);
  assert.deepEqual([down.change.delta, down.change.reliable], [-8, true], 'a reliable change downwards');
  assert.equal(down.band, 'Below the cut-off', '9 is the top of the lower band');
  const edge = await respond(u, 10);
  assert.equal(edge.band, 'At or above the cut-off', '10 is the bottom of the upper band');
  const top = await respond(u, 20);
  assert.equal(top.band, 'At or above the cut-off');
  const bottom = await respond(u, 0);
  assert.equal(bottom.band, 'Below the cut-off');

  // The list carries the same, each change against the one before it, across pages.
  const seen = [];
  let next = null;
  do {
    const r = await srv.call(u, 'GET', `/api/v1/questionnaires/${BANDED}/responses?limit=3${next ? `&before=${encodeURIComponent(next)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.items);
    next = r.json.next;
  } while (next);
  const made = [first, up, small, exact, down, edge, top, bottom].reverse();
  assert.deepEqual(seen.map((x) => x.id), made.map((x) => x.id), 'every response once, newest first');
  for (let i = 0; i < seen.length; i++) {
    assert.equal(seen[i].band, made[i].band, `listed band of #${i}`);
    assert.deepEqual(seen[i].change, made[i].change, `listed change of #${i} (also the last of a page)`);
  }
});

test("the change is against the caller's own previous response: not the partner's, not another instrument's", T, async () => {
  const c = await srv.makeCouple('rsp');
  await respond(c.b, 20, { visibility: 'partner' });
  const sc = (await srv.call(c.a, 'GET', '/api/v1/questionnaires/security-check')).json;
  const answers = Object.fromEntries(sc.items.map((it) => [it.id, it.min]));
  const other = await srv.call(c.a, 'POST', '/api/v1/questionnaires/security-check/responses', { answers });
  assert.equal(other.status, 201);
  assert.equal(other.json.band, null, 'no bands: band null');
  assert.equal(other.json.change, null);
  const mine = await respond(c.a, 5);
  assert.equal(mine.change, null, "the partner's response and another instrument's are not mine to compare");
  const again = await respond(c.a, 6);
  assert.equal(again.change.from_score, 5);
  // Without a threshold the change is given, not judged.
  const sc2 = await srv.call(c.a, 'POST', '/api/v1/questionnaires/security-check/responses', {
    answers: Object.fromEntries(sc.items.map((it) => [it.id, it.max])),
  });
  assert.equal(sc2.json.change.reliable, null, 'no threshold: reliable is null');
  assert.ok(sc2.json.change.delta > 0);
  assertError(await srv.call(c.a, 'POST', `/api/v1/questionnaires/${BANDED}/responses`, { answers: answersFor(3), visibility: 'public' }),
    400, 'invalid_input', 'visibility', 'an unknown visibility');
});

test('an instrument with overlapping bands stops the start with a message naming the file and the field', T, async () => {
  const dir = tempDir('hearth-q-');
  const doc = JSON.parse(fs.readFileSync(path.join(DIR, 'banded.json'), 'utf8'));
  doc.bands[1].min = 9;
  fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(doc));
  const data = tempDir();
  const r = runCli(['--data', data, 'serve', '--listen', '127.0.0.1:1'], { env: { HEARTH_QUESTIONNAIRES_DIR: dir } });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(data, { recursive: true, force: true });
  assert.equal(r.status, 1, `exit 1: ${r.stderr}`);
  assert.match(r.stderr, /broken\.json: field "bands": band 2 \("At or above the cut-off"\) starts at 9/);
});

test("trends.svg of a questionnaire puts the scale's words on its axis; with nothing to draw, a sentence", T, async () => {
  const u = await srv.signUp('rsv');
  const empty = await srv.call(u, 'GET', '/api/v1/trends.svg?metric=security-check');
  assert.equal(empty.status, 200);
  assert.match(empty.text, />No results in this period yet\.<\/text>/);
  assert.ok(!empty.text.includes('<polyline'), 'no line drawn');
  const sc = (await srv.call(u, 'GET', '/api/v1/questionnaires/security-check')).json;
  const r = await srv.call(u, 'POST', '/api/v1/questionnaires/security-check/responses', {
    answers: Object.fromEntries(sc.items.map((it) => [it.id, 4])),
  });
  assert.equal(r.status, 201);
  const svg = await srv.call(u, 'GET', '/api/v1/trends.svg?metric=security-check');
  for (const w of sc.items[0].labels) assert.ok(svg.text.includes(`>${w}</text>`), `"${w}" on the axis`);
  assert.equal((svg.text.match(/<circle /g) || []).length, 1, 'one marker for the one day');
  const mood = await srv.call(u, 'GET', '/api/v1/trends.svg?metric=mood');
  assert.match(mood.text, />No check-ins in this period yet\.<\/text>/);
  // The sum-scored instrument is drawn on its own range, 0 to 20, in numbers.
  await respond(u, 16);
  const sum = await srv.call(u, 'GET', `/api/v1/trends.svg?metric=${BANDED}`);
  assert.ok(sum.text.includes('>20</text>') && sum.text.includes('>0</text>'), 'the axis runs 0 to 20');
});
