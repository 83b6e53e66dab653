-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 31: the latest reply to a check-in found in order (issue 18); see the SQLite
-- migration of the same number.
CREATE INDEX prompt_acks_latest ON prompt_acks (space_id, day_id, answer_author, created_at);
