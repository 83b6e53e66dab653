-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 28: quiet hours and notices of the partner's activity (issue 15); see the SQLite
-- migration of the same number.
CREATE TABLE quiet_hours (
  user_id TEXT COLLATE "C" PRIMARY KEY, from_minute INTEGER NOT NULL, to_minute INTEGER NOT NULL,
  updated_at BIGINT NOT NULL);
CREATE TABLE notice_settings (
  user_id TEXT COLLATE "C" PRIMARY KEY, kinds INTEGER NOT NULL, named INTEGER NOT NULL,
  channels TEXT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE notice_log (
  user_id TEXT COLLATE "C" NOT NULL, item TEXT COLLATE "C" NOT NULL, at BIGINT NOT NULL,
  PRIMARY KEY (user_id, item));
