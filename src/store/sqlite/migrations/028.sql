-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 28: quiet hours and notices of the partner's activity (issue 15). Quiet hours are a
-- window of a person's own wall clock (minutes after midnight; from > to crosses midnight) in
-- which nothing is sent to them: what falls due in it waits for its end. Notices are off until a
-- person turns them on (kinds: a bit each, domain/notice.h), neutral words unless they choose
-- named ones. notice_log keeps one row per person and thing noticed, so the same thing (a
-- check-in shared, made private, shared again) is noticed once; it holds ids, never words.
CREATE TABLE quiet_hours (
  user_id TEXT PRIMARY KEY, from_minute INTEGER NOT NULL, to_minute INTEGER NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE TABLE notice_settings (
  user_id TEXT PRIMARY KEY, kinds INTEGER NOT NULL, named INTEGER NOT NULL, channels TEXT NOT NULL,
  updated_at INTEGER NOT NULL);
CREATE TABLE notice_log (
  user_id TEXT NOT NULL, item TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (user_id, item));
