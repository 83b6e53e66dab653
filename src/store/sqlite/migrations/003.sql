-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 3: repairs, prompts, safety checks
CREATE TABLE repairs (
  space_id TEXT NOT NULL, id TEXT NOT NULL, created_by TEXT NOT NULL, title TEXT NOT NULL,
  occurred_on TEXT, created_at INTEGER NOT NULL, solo INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (space_id, id));
CREATE INDEX repairs_time ON repairs (space_id, created_at, id);
CREATE TABLE repair_sides (
  space_id TEXT NOT NULL, repair_id TEXT NOT NULL, author_id TEXT NOT NULL,
  feelings TEXT, perspective TEXT, touched TEXT, my_part TEXT, next_time TEXT,
  updated_at INTEGER NOT NULL, submitted_at INTEGER, acknowledged_at INTEGER, ack_note TEXT,
  PRIMARY KEY (space_id, repair_id, author_id));
CREATE TABLE prompt_days (
  space_id TEXT NOT NULL, date TEXT NOT NULL, id TEXT NOT NULL UNIQUE, prompt_id TEXT NOT NULL,
  created_at INTEGER NOT NULL, PRIMARY KEY (space_id, date));
CREATE TABLE prompt_seen (
  space_id TEXT NOT NULL, prompt_id TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (space_id, prompt_id));
CREATE TABLE prompt_skips (
  space_id TEXT NOT NULL, date TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (space_id, date, user_id));
CREATE TABLE prompt_answers (
  space_id TEXT NOT NULL, day_id TEXT NOT NULL, author_id TEXT NOT NULL, date TEXT NOT NULL,
  prompt_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, day_id, author_id));
CREATE INDEX prompt_answers_date ON prompt_answers (space_id, author_id, date);
CREATE TABLE prompt_acks (
  space_id TEXT NOT NULL, day_id TEXT NOT NULL, answer_author TEXT NOT NULL, from_id TEXT NOT NULL,
  kind TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (space_id, day_id, answer_author, from_id));
CREATE TABLE safety_checks (
  space_id TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL, afraid INTEGER NOT NULL,
  pressured INTEGER NOT NULL, share_with_therapist INTEGER NOT NULL, created_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, id));
