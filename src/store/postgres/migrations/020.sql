-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 20 (issue 14): our cycle. Each partner writes a side in private ("when I feel..., I tend
-- to..., what I long for is..."), a draft until submitted; both open together once both are
-- submitted. The shared text that names the cycle is kept as its edits: the newest is the text, the
-- others its history (who, when, what). Every text is sealed by domain/cycle.c.
CREATE TABLE cycle_sides (
  space_id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  when_i_feel TEXT NOT NULL, i_tend_to TEXT NOT NULL, i_long_for TEXT NOT NULL,
  updated_at BIGINT NOT NULL, submitted_at BIGINT,
  PRIMARY KEY (space_id, author_id));
CREATE TABLE cycle_edits (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  text TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (space_id, id));
CREATE INDEX cycle_edits_time ON cycle_edits (space_id, created_at);
