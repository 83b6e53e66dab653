-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 26: reminders by email (issue 15); see the SQLite migration of the same number.
CREATE TABLE email_addresses (
  user_id TEXT COLLATE "C" PRIMARY KEY, address TEXT NOT NULL, created_at BIGINT NOT NULL, confirmed_at BIGINT);
CREATE TABLE outbox (
  id TEXT COLLATE "C" PRIMARY KEY, user_id TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL,
  occurrence BIGINT NOT NULL, due_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  lease_until BIGINT NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', sent_at BIGINT,
  created_at BIGINT NOT NULL, UNIQUE (user_id, kind, occurrence));
CREATE INDEX outbox_due ON outbox (due_at) WHERE sent_at IS NULL;
