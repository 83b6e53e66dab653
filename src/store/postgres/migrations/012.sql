-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 12 (issue 11): visibility per item of a check-in, each person's default, and a flash of the
-- session (a new invite code shown once after a redirect).
-- item_visibility holds one letter per item, in the order mood, connection, secure, appreciation, need,
-- worry ('o' only me, 'p' partner, 't' therapist); NULL when every item has the row's visibility, so
-- every check-in written before keeps its one visibility for every item. visibility stays the widest
-- of the items, so the queries that narrow rows by it stay right; the domain hides the rest item by item.
ALTER TABLE checkins ADD COLUMN item_visibility TEXT;
ALTER TABLE users ADD COLUMN checkin_visibility TEXT;
-- A flash lives a minute and is read once: value is sealed with the space's key.
CREATE TABLE session_flashes (
  token_hash TEXT COLLATE "C" PRIMARY KEY, kind TEXT NOT NULL, scope_id TEXT COLLATE "C" NOT NULL, value TEXT NOT NULL,
  expires_at BIGINT NOT NULL);
CREATE INDEX session_flashes_expiry ON session_flashes (expires_at);
