-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 33: the points of a chart read from one index (issue 18); see the SQLite migration of
-- the same number. The columns the query reads ride along in INCLUDE, outside the key.
DROP INDEX checkins_author_time;
CREATE INDEX checkins_author_time ON checkins (author_id, created_at, id) INCLUDE (space_id, visibility, item_visibility, scales);
