-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 33: the points of a chart read from one index (issue 18). A trend, and the chart on
-- the dashboard, reads a person's check-ins over a range (store/trends.c, Q_CHECKIN_POINTS): by
-- author and time from this index, then each row's scales, space, visibility and per-item
-- visibility from the table, one lookup a point. After any commit every connection reads its pages
-- again, so those lookups were most of a stale dashboard's chart. With the columns the query reads
-- in the index, it never opens the table: the same one index a check-in writes, with wider entries.
DROP INDEX checkins_author_time;
CREATE INDEX checkins_author_time ON checkins (author_id, created_at, id, space_id, visibility, item_visibility, scales);
