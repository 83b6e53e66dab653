// SPDX-License-Identifier: AGPL-3.0-or-later
//
// No test may see the day change under it: shared by the API and browser suites.

/**
 * A test that looks at "today" (today's question, its card on the home, what is due) must not see the day
 * change under it: an account's day is UTC's unless it says otherwise, and a CI run that starts near
 * midnight once found today's question unanswered right after both had answered it. Close to UTC midnight,
 * wait for the new day; after that a test has the whole day. Every new account passes through here.
 */
const MIDNIGHT_MARGIN_MS = 120000;
export async function clearOfMidnight(now = Date.now()) {
  const untilMidnight = 86400000 - (now % 86400000);
  if (untilMidnight < MIDNIGHT_MARGIN_MS) await new Promise((r) => setTimeout(r, untilMidnight + 1000));
}
