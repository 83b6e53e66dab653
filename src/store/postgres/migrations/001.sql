-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 1: accounts, sessions, spaces, check-ins. The same tables, columns and indexes as
-- SQLite's; times are BIGINT milliseconds. Ids sort bytewise (COLLATE "C") so check-in lists come
-- out in the same order as with SQLite whatever the database's locale.
CREATE TABLE users (
  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL, role TEXT NOT NULL, created_at BIGINT NOT NULL);
CREATE TABLE spaces (
  id TEXT PRIMARY KEY, time_zone TEXT NOT NULL DEFAULT 'UTC', created_at BIGINT NOT NULL);
CREATE TABLE space_members (
  space_id TEXT NOT NULL, user_id TEXT NOT NULL UNIQUE, joined_at BIGINT NOT NULL,
  PRIMARY KEY (space_id, user_id));
CREATE TABLE invites (
  space_id TEXT NOT NULL, code_hash TEXT NOT NULL UNIQUE, created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT,
  PRIMARY KEY (space_id, code_hash));
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE auth_failures (key TEXT NOT NULL, at BIGINT NOT NULL);
CREATE INDEX auth_failures_key ON auth_failures (key, at);
CREATE TABLE checkins (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
  mood INTEGER NOT NULL, connection INTEGER NOT NULL, secure INTEGER NOT NULL,
  appreciation TEXT, need TEXT, worry TEXT, visibility TEXT NOT NULL,
  PRIMARY KEY (space_id, id));
CREATE UNIQUE INDEX checkins_id ON checkins (id);
CREATE INDEX checkins_space_time ON checkins (space_id, author_id, created_at, id);
CREATE INDEX checkins_author_time ON checkins (author_id, created_at, id);
