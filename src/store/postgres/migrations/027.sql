-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 27: reminders by web push (issue 15); see the SQLite migration of the same number.
CREATE TABLE push_subscriptions (
  id TEXT COLLATE "C" PRIMARY KEY, user_id TEXT COLLATE "C" NOT NULL,
  endpoint_hash TEXT COLLATE "C" NOT NULL UNIQUE, subscription TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
CREATE TABLE push_outbox (
  id TEXT COLLATE "C" PRIMARY KEY, subscription_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL, occurrence BIGINT NOT NULL, due_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0, lease_until BIGINT NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
  sent_at BIGINT, created_at BIGINT NOT NULL, UNIQUE (subscription_id, kind, occurrence));
CREATE INDEX push_outbox_due ON push_outbox (due_at) WHERE sent_at IS NULL;
