-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 29: a person's language, and an article's (issue 16): "en", "es" or "de", or '' for none chosen, in
-- which case pages follow the browser's Accept-Language, then the server's default.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
-- An article may say the language it is written in (pages mark it with lang); '' when it does not.
ALTER TABLE articles ADD COLUMN language TEXT NOT NULL DEFAULT '';
