-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 19: a break with a promise to return (issue 14). One row per person at most (the
-- primary key is the person): the break they are taking or the one whose time has come and that
-- they have not ended yet. It is the person's, not the couple's, so it has no space_id: the
-- partner reads it while they share a space (the viewer's partner id), never after a leave.
-- until_at is when they said they would be back; note (what they want their partner to know)
-- is sealed. Ending a break deletes its row: no history of breaks is kept.
CREATE TABLE breaks (
  user_id TEXT COLLATE "C" PRIMARY KEY, id TEXT COLLATE "C" NOT NULL, started_at BIGINT NOT NULL,
  until_at BIGINT NOT NULL, note TEXT);
