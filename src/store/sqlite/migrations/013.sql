-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 13: a safety check may belong to a repair (issue 11, the repair stepper). The partner
-- who joins a repair takes the private check before writing ('join'), and each partner takes it
-- before "I have heard you" ('heard'); the page reads the latest one of that moment to decide
-- whether the person goes on, or goes on privately only. Checks outside a repair keep NULLs.
ALTER TABLE safety_checks ADD COLUMN repair_id TEXT;
ALTER TABLE safety_checks ADD COLUMN moment TEXT;
CREATE INDEX safety_checks_repair ON safety_checks (space_id, repair_id, user_id, moment, created_at);
