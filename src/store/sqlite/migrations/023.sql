-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 23 (issue 13): a bridge between sessions. Each partner keeps a list of what to bring to the
-- couple's next session with their therapist. space_id is the item's scope: the space, or the author's own
-- id without one (and after leaving: the leaver takes their items along). The text is sealed like every
-- text people write. Each item is shared with the therapist and with the partner separately (SMALLINT 0/1);
-- talked_about_at is when the therapist marked it talked about (0: still open, on the list).
CREATE TABLE bridge_items (
  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, text TEXT NOT NULL,
  share_with_therapist INTEGER NOT NULL, share_with_partner INTEGER NOT NULL,
  talked_about_at INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, id));
CREATE INDEX bridge_items_space ON bridge_items (space_id, talked_about_at, created_at);
CREATE INDEX bridge_items_author ON bridge_items (author_id, created_at);
