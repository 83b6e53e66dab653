-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 17 (issue 14): agreements both want. An agreement in a couple's space is "proposed" (agreements.status)
-- until the partner who did not write it says yes; that partner's answer lives here, one row per agreement, kept
-- in the agreement's scope: who said yes and when, or the note of "let's talk about it" (sealed like every text
-- people write), who wrote it and when. Agreements written before this were active at once: nothing old changes.
CREATE TABLE agreement_answers (
  space_id TEXT NOT NULL, agreement_id TEXT NOT NULL, accepted_by TEXT, accepted_at INTEGER,
  discuss_note TEXT, discussed_by TEXT, discussed_at INTEGER, PRIMARY KEY (space_id, agreement_id));
