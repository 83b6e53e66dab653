-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 3: repairs, prompts, safety checks; booleans are SMALLINT 0/1 as in SQLite
CREATE TABLE repairs (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, created_by TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL, occurred_on TEXT COLLATE "C", created_at BIGINT NOT NULL,
  solo SMALLINT NOT NULL DEFAULT 0, PRIMARY KEY (space_id, id));
CREATE INDEX repairs_time ON repairs (space_id, created_at, id);
CREATE TABLE repair_sides (
  space_id TEXT COLLATE "C" NOT NULL, repair_id TEXT COLLATE "C" NOT NULL,
  author_id TEXT COLLATE "C" NOT NULL,
  feelings TEXT, perspective TEXT, touched TEXT, my_part TEXT, next_time TEXT,
  updated_at BIGINT NOT NULL, submitted_at BIGINT, acknowledged_at BIGINT, ack_note TEXT,
  PRIMARY KEY (space_id, repair_id, author_id));
CREATE TABLE prompt_days (
  space_id TEXT COLLATE "C" NOT NULL, date TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL UNIQUE,
  prompt_id TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (space_id, date));
CREATE TABLE prompt_seen (
  space_id TEXT COLLATE "C" NOT NULL, prompt_id TEXT COLLATE "C" NOT NULL, date TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (space_id, prompt_id));
CREATE TABLE prompt_skips (
  space_id TEXT COLLATE "C" NOT NULL, date TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (space_id, date, user_id));
CREATE TABLE prompt_answers (
  space_id TEXT COLLATE "C" NOT NULL, day_id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  date TEXT COLLATE "C" NOT NULL, prompt_id TEXT COLLATE "C" NOT NULL, text TEXT NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (space_id, day_id, author_id));
CREATE INDEX prompt_answers_date ON prompt_answers (space_id, author_id, date);
CREATE TABLE prompt_acks (
  space_id TEXT COLLATE "C" NOT NULL, day_id TEXT COLLATE "C" NOT NULL,
  answer_author TEXT COLLATE "C" NOT NULL, from_id TEXT COLLATE "C" NOT NULL,
  kind TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (space_id, day_id, answer_author, from_id));
CREATE TABLE safety_checks (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL,
  afraid SMALLINT NOT NULL, pressured SMALLINT NOT NULL, share_with_therapist SMALLINT NOT NULL,
  created_at BIGINT NOT NULL, PRIMARY KEY (space_id, id));
