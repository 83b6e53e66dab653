-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 29: a person's language (issue 16); see the SQLite migration of the same number.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
