-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 31: the latest reply to a check-in found in order (issue 18). Every list of check-ins
-- reads, for each row, the partner's latest reply to it (store/checkin.c, CHECKIN_REPLY: "ORDER BY
-- created_at DESC LIMIT 1" over space_id, day_id and answer_author). The primary key has those
-- three columns but not the time, so each row's lookup opened a temporary B-tree to sort what it
-- found, even when it found nothing: about a tenth of an uncached list's CPU. With the time in an
-- index, the newest reply is the index's last entry.
CREATE INDEX prompt_acks_latest ON prompt_acks (space_id, day_id, answer_author, created_at);
