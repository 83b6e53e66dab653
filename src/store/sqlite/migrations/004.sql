-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 4: agreements, reviews, questionnaire responses
CREATE TABLE agreements (
  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, text TEXT NOT NULL,
  review_every_days INTEGER NOT NULL, next_review_on TEXT NOT NULL, status TEXT NOT NULL,
  repair_id TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));
CREATE INDEX agreements_time ON agreements (space_id, created_at, id);
CREATE TABLE agreement_reviews (
  space_id TEXT NOT NULL, agreement_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL,
  outcome TEXT NOT NULL, note TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (space_id, agreement_id, id));
CREATE TABLE questionnaire_responses (
  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, questionnaire_id TEXT NOT NULL,
  answers TEXT NOT NULL, score REAL NOT NULL, subscales TEXT NOT NULL, visibility TEXT NOT NULL,
  created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));
CREATE INDEX qresponses_author ON questionnaire_responses (author_id, questionnaire_id, created_at);
