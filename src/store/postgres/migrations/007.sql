-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 7: two-step login (issue 10, part B). The same tables as SQLite's (see
-- src/store/sqlite/migrations/007.sql for what each holds); times are BIGINT milliseconds.
CREATE TABLE two_step (
  user_id TEXT COLLATE "C" PRIMARY KEY, secret TEXT NOT NULL, created_at BIGINT NOT NULL,
  confirmed_at BIGINT, last_step BIGINT NOT NULL DEFAULT 0);
CREATE TABLE recovery_codes (
  user_id TEXT COLLATE "C" NOT NULL, code_hash TEXT NOT NULL, used_at BIGINT,
  PRIMARY KEY (user_id, code_hash));
CREATE TABLE login_tickets (
  token_hash TEXT PRIMARY KEY, user_id TEXT COLLATE "C" NOT NULL, expires_at BIGINT NOT NULL,
  tries INTEGER NOT NULL DEFAULT 0);
CREATE INDEX login_tickets_user ON login_tickets (user_id);
CREATE INDEX login_tickets_expiry ON login_tickets (expires_at);
