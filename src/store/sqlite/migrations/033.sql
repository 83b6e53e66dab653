-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 33: a check-in written into three B-trees, not five (issue 18). Every check-in written,
-- edited or deleted changed a page of each, and each page is a WAL frame to write and, after any
-- commit, a page every connection reads again.
-- - The table's primary key (space_id, id) was a B-tree of its own beside checkins_id (id): both say
--   the same, since an id is unique on its own, and no query looks a check-in up by both. SQLite
--   cannot drop a primary key, so the table is made again without it, with its rows, its other
--   indexes and its triggers (migration 30's) as they were.
-- - checkins_space_time (space_id, author_id, created_at, id) served the queries that name a space
--   and its authors; each names the author too, so checkins_author_time finds the same rows in the
--   same order and the space is checked on the row. The only rows it passes over are the author's
--   own from a space they left (keyed by their own id since), and only when the newer ones are fewer
--   than a page asks for.
-- The triggers are made as migration 34 makes every other one: with UNION ALL (see there).
-- The old table's pages are left free in the file (zeroed: secure_delete); the "compact" step
-- (domain/upgrade.c) gives them back after the migrations, outside a transaction, as VACUUM must.
CREATE TABLE checkins_rebuilt (
  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  appreciation TEXT, need TEXT, worry TEXT, visibility TEXT NOT NULL, scales TEXT NOT NULL DEFAULT '',
  item_visibility TEXT);
INSERT INTO checkins_rebuilt (space_id, id, author_id, created_at, updated_at, appreciation, need, worry,
                              visibility, scales, item_visibility)
  SELECT space_id, id, author_id, created_at, updated_at, appreciation, need, worry, visibility, scales,
         item_visibility FROM checkins ORDER BY rowid;
DROP TABLE checkins;
ALTER TABLE checkins_rebuilt RENAME TO checkins;
CREATE UNIQUE INDEX checkins_id ON checkins (id);
CREATE INDEX checkins_author_time ON checkins (author_id, created_at, id);
CREATE TRIGGER checkins_changes_i AFTER INSERT ON checkins BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER checkins_changes_u AFTER UPDATE ON checkins BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER checkins_changes_d AFTER DELETE ON checkins BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
INSERT INTO upgrade_steps (step) SELECT 'compact' WHERE EXISTS (SELECT 1 FROM checkins)
  ON CONFLICT (step) DO NOTHING;
