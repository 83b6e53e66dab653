-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 27: reminders by web push (issue 15). A person's push subscriptions, one per device:
-- the endpoint and the browser's keys sealed together under the person's key, found again by a
-- hash of the endpoint (a device subscribed twice is one row). The push outbox is the email
-- outbox's sibling, one row per message to one device: a reminder's occurrence is unique per
-- subscription and kind, so several servers (or a restart) queue it once; a claim is a lease.
CREATE TABLE push_subscriptions (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, endpoint_hash TEXT NOT NULL UNIQUE,
  subscription TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
CREATE TABLE push_outbox (
  id TEXT PRIMARY KEY, subscription_id TEXT NOT NULL, user_id TEXT NOT NULL, kind TEXT NOT NULL,
  occurrence INTEGER NOT NULL, due_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
  lease_until INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '', sent_at INTEGER,
  created_at INTEGER NOT NULL, UNIQUE (subscription_id, kind, occurrence));
CREATE INDEX push_outbox_due ON push_outbox (due_at) WHERE sent_at IS NULL;
