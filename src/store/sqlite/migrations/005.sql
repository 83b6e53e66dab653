-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 5: therapists, access log, articles
CREATE TABLE therapist_invites (
  code_hash TEXT PRIMARY KEY, therapist_id TEXT NOT NULL, created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE space_therapists (
  space_id TEXT PRIMARY KEY, therapist_id TEXT NOT NULL, linked_at INTEGER NOT NULL);
CREATE INDEX space_therapists_therapist ON space_therapists (therapist_id, linked_at);
CREATE TABLE therapist_consents (
  space_id TEXT NOT NULL, user_id TEXT NOT NULL, granted INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, user_id));
CREATE TABLE therapist_notes (
  space_id TEXT NOT NULL, id TEXT NOT NULL, therapist_id TEXT NOT NULL, text TEXT NOT NULL,
  created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));
CREATE TABLE access_log (
  space_id TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, who_id TEXT NOT NULL, who_name TEXT NOT NULL,
  what TEXT NOT NULL, PRIMARY KEY (space_id, id));
CREATE TABLE therapist_visits (
  space_id TEXT NOT NULL, therapist_id TEXT NOT NULL, visited_at INTEGER NOT NULL,
  PRIMARY KEY (space_id, therapist_id));
CREATE TABLE articles (
  id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, author_id TEXT NOT NULL, title TEXT NOT NULL,
  body TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, published_at INTEGER,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, views INTEGER NOT NULL DEFAULT 0);
CREATE INDEX articles_published ON articles (status, published_at, id);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='rowid');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body); END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body); END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);
  INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body); END;
CREATE TABLE article_comments (
  article_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, body TEXT NOT NULL,
  status TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (article_id, id));
