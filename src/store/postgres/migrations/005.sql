-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 5: therapists, access log, articles. Search reads a generated tsvector (title weighted
-- A, body B) through a GIN index, as SQLite's FTS5 table. Punctuation becomes space first, so words
-- split as FTS5's tokenizer splits them (no e-mail, URL or decimal tokens: "foo@bar.com" is three
-- words there too).
CREATE TABLE therapist_invites (
  code_hash TEXT PRIMARY KEY, therapist_id TEXT COLLATE "C" NOT NULL, created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL, used_at BIGINT);
CREATE TABLE space_therapists (
  space_id TEXT COLLATE "C" PRIMARY KEY, therapist_id TEXT COLLATE "C" NOT NULL,
  linked_at BIGINT NOT NULL);
CREATE INDEX space_therapists_therapist ON space_therapists (therapist_id, linked_at);
CREATE TABLE therapist_consents (
  space_id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL, granted SMALLINT NOT NULL,
  updated_at BIGINT NOT NULL, PRIMARY KEY (space_id, user_id));
CREATE TABLE therapist_notes (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
  therapist_id TEXT COLLATE "C" NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (space_id, id));
CREATE TABLE access_log (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, at BIGINT NOT NULL,
  who_id TEXT COLLATE "C" NOT NULL, who_name TEXT NOT NULL, what TEXT NOT NULL, PRIMARY KEY (space_id, id));
CREATE TABLE therapist_visits (
  space_id TEXT COLLATE "C" NOT NULL, therapist_id TEXT COLLATE "C" NOT NULL, visited_at BIGINT NOT NULL,
  PRIMARY KEY (space_id, therapist_id));
CREATE TABLE articles (
  id TEXT COLLATE "C" PRIMARY KEY, slug TEXT NOT NULL UNIQUE, author_id TEXT COLLATE "C" NOT NULL,
  title TEXT NOT NULL, body TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, published_at BIGINT,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, views BIGINT NOT NULL DEFAULT 0,
  search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]', ' ', 'g')), 'A') ||
  setweight(to_tsvector('simple', regexp_replace(body, '[[:punct:]]', ' ', 'g')), 'B')) STORED);
CREATE INDEX articles_published ON articles (status, published_at, id);
CREATE INDEX articles_search ON articles USING gin (search);
CREATE TABLE article_comments (
  article_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL,
  author_id TEXT COLLATE "C" NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL,
  PRIMARY KEY (article_id, id));
