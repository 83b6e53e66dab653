-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 25: reminders (issue 15); see the SQLite migration of the same number.
CREATE TABLE reminders (
  user_id TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL, channels TEXT COLLATE "C" NOT NULL,
  at_minute INTEGER NOT NULL, days INTEGER NOT NULL, text TEXT NOT NULL, updated_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, kind));
CREATE TABLE calendar_feeds (
  user_id TEXT COLLATE "C" PRIMARY KEY, token_hash TEXT COLLATE "C" NOT NULL UNIQUE, token TEXT NOT NULL,
  created_at BIGINT NOT NULL);
