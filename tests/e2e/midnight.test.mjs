// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The suites' guard against the day changing under a test (lib/midnight.mjs): near UTC midnight it
// waits for the new day, else it does not wait at all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clearOfMidnight } from './lib/midnight.mjs';

const timed = async (now) => {
  const t0 = performance.now();
  await clearOfMidnight(now);
  return performance.now() - t0;
};

test('near UTC midnight a new account waits for the new day; at noon it does not wait', async () => {
  const midnight = Date.UTC(2026, 11, 2);
  const waited = await timed(midnight - 200);
  assert.ok(waited >= 1150, `200 ms before midnight it waits past it (and a second more): ${waited} ms`);
  assert.ok(await timed(midnight + 12 * 3600000) < 50, 'at noon it goes on at once');
  assert.ok(await timed(midnight - 130000) < 50, 'more than two minutes before midnight it goes on at once');
});
