-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 29: a person's language (issue 16): "en", "es" or "de", or '' for none chosen, in
-- which case pages follow the browser's Accept-Language, then the server's default.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT '';
