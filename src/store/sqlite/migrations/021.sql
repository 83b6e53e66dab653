-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 21 (issue 13): homework from the couple's therapist. An assignment belongs to the space
-- and to the therapist who gave it (for_id: '' for both partners, else the one partner's id); its
-- kind and ref come from fixed lists (a prompt category, a questionnaire id, an article's slug), its
-- text is sealed. Each partner's own answer to it - done, or not this week with a sealed note to the
-- therapist - is one row of homework_marks; a questionnaire taken or a repair resolved after the
-- assignment count as done without a row (computed when read).
CREATE TABLE homework (
  space_id TEXT NOT NULL, id TEXT NOT NULL, therapist_id TEXT NOT NULL, kind TEXT NOT NULL,
  ref TEXT NOT NULL DEFAULT '', text TEXT NOT NULL DEFAULT '', due_on TEXT NOT NULL DEFAULT '',
  for_id TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));
CREATE TABLE homework_marks (
  space_id TEXT NOT NULL, homework_id TEXT NOT NULL, user_id TEXT NOT NULL, status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '', updated_at INTEGER NOT NULL, PRIMARY KEY (space_id, homework_id, user_id));
