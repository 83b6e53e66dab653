// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The environment every hearth a suite starts gets beneath the caller's own
// (process.env, then the test's env), so either can override it.
//
// HEARTH_TEST_FAST_PASSWORD_HASH=1 (a test-hooks build only): argon2id at its
// least cost. The suites make thousands of accounts; at the real cost (64 MiB,
// two passes, 60 ms of a core each) hashing was a third of their time. The
// tests of the cost itself (signups.test.mjs) pass '0'.

export const TEST_ENV = Object.freeze({ HEARTH_TEST_FAST_PASSWORD_HASH: '1' });

/** A hearth child's environment: TEST_ENV, then process.env, then the test's own. */
export const childEnv = (env = {}) => ({ ...TEST_ENV, ...process.env, ...env });
