-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 24 (issue 15): a question from a conversation deck chosen as a scope's daily question for a
-- date still to come ("Ask this tomorrow"). One per scope and date; a later pick replaces an earlier one.
-- It is read when the date's prompt_days row is made, so once that day has begun it changes nothing.
-- question_id names public content (data/decks.json), never words a person wrote.
CREATE TABLE prompt_overrides (
  space_id TEXT COLLATE "C" NOT NULL, date TEXT COLLATE "C" NOT NULL, question_id TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (space_id, date));
