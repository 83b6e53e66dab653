-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 9: invite codes get an id, so a member can list the pending ones (never the code, which is
-- stored only hashed) and revoke one. Codes made before this get a random id of the same shape.
ALTER TABLE invites ADD COLUMN id TEXT COLLATE "C";
UPDATE invites SET id = replace(gen_random_uuid()::text, '-', '');
ALTER TABLE invites ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX invites_id ON invites (space_id, id);
CREATE INDEX invites_pending ON invites (space_id, created_at, id);
-- A join or a leave voids every pending code of the space (issue 10): codes of spaces that are full already.
DELETE FROM invites WHERE used_at IS NULL
  AND space_id IN (SELECT space_id FROM space_members GROUP BY space_id HAVING count(*) >= 2);
