-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 26: reminders by email (issue 15). A person's address (sealed), confirmed by a link
-- before anything else is sent to it; the outbox of messages, one row each: due, tried, sent. A
-- reminder's occurrence is unique per person and kind, so several servers (or a restart) queue
-- it once; a claim is a lease, so a server that dies while sending leaves the row to another.
CREATE TABLE email_addresses (
  user_id TEXT PRIMARY KEY, address TEXT NOT NULL, created_at INTEGER NOT NULL, confirmed_at INTEGER);
CREATE TABLE outbox (
  id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, occurrence INTEGER NOT NULL,
  due_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '', sent_at INTEGER, created_at INTEGER NOT NULL,
  UNIQUE (user_id, kind, occurrence));
CREATE INDEX outbox_due ON outbox (due_at) WHERE sent_at IS NULL;
