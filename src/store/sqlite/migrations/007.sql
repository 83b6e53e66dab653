-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 7: two-step login (issue 10, part B). One row per person who set it up: the TOTP
-- secret sealed by the keyring under the person's own data key; confirmed_at NULL while the setup
-- waits for its first code; last_step the newest 30-second step a code was accepted for, so a
-- code works once. Recovery codes are kept only as hashes. A login ticket carries a browser from
-- the password to the code page: kept by its hash, for five minutes and a few tries.
CREATE TABLE two_step (
  user_id TEXT PRIMARY KEY, secret TEXT NOT NULL, created_at INTEGER NOT NULL, confirmed_at INTEGER,
  last_step INTEGER NOT NULL DEFAULT 0);
CREATE TABLE recovery_codes (
  user_id TEXT NOT NULL, code_hash TEXT NOT NULL, used_at INTEGER, PRIMARY KEY (user_id, code_hash));
CREATE TABLE login_tickets (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0);
CREATE INDEX login_tickets_user ON login_tickets (user_id);
CREATE INDEX login_tickets_expiry ON login_tickets (expires_at);
