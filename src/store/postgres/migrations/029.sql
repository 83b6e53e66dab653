-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 29: a person's language, and an article's (issue 16); see the SQLite migration of the same number.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
-- An article may say the language it is written in (pages mark it with lang); '' when it does not.
ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT '';
