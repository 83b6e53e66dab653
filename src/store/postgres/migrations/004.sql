-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 4: agreements, reviews, questionnaire responses 5: therapists, access log, articles. Search reads a generated tsvector (title weighted A, body B) through a GIN index, as SQLite's FTS5 table. Punctuation becomes space first, so words split as FTS5's tokenizer splits them (no e-mail, URL or decimal tokens: "foo@bar.com" is three words there too).
CREATE TABLE agreements (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  text TEXT NOT NULL, review_every_days INTEGER NOT NULL, next_review_on TEXT COLLATE "C" NOT NULL,
  status TEXT NOT NULL, repair_id TEXT COLLATE "C", created_at BIGINT NOT NULL, PRIMARY KEY (space_id, id));
CREATE INDEX agreements_time ON agreements (space_id, created_at, id);
CREATE TABLE agreement_reviews (
  space_id TEXT COLLATE "C" NOT NULL, agreement_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
  author_id TEXT COLLATE "C" NOT NULL, outcome TEXT NOT NULL, note TEXT, created_at BIGINT NOT NULL,
  PRIMARY KEY (space_id, agreement_id, id));
CREATE TABLE questionnaire_responses (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  questionnaire_id TEXT COLLATE "C" NOT NULL, answers TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,
  subscales TEXT NOT NULL, visibility TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (space_id, id));
CREATE INDEX qresponses_author ON questionnaire_responses (author_id, questionnaire_id, created_at);
