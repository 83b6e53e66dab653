-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 25: reminders (issue 15). What a person asked to be reminded of, one row per kind:
-- the channels ("calendar", comma-separated as more come), the time of day in minutes after
-- their own midnight, the days of the week (bit 0 Monday .. bit 6 Sunday) and the neutral words
-- they chose (sealed). A private calendar feed is found by the hash of its token; the token itself
-- is kept sealed, so its owner can see their link again and the database alone gives nobody the feed.
CREATE TABLE reminders (
  user_id TEXT NOT NULL, kind TEXT NOT NULL, channels TEXT NOT NULL, at_minute INTEGER NOT NULL,
  days INTEGER NOT NULL, text TEXT NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind));
CREATE TABLE calendar_feeds (
  user_id TEXT PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, token TEXT NOT NULL, created_at INTEGER NOT NULL);
