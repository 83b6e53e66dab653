-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 6: sessions a person can see and end (issue 10, part A). Each session gets an id to be
-- named by (never its token hash), the coarse client it was started from ("Firefox on Linux": never
-- the User-Agent itself, never an address), its own idle limit (12 hours for a browser session,
-- 30 days for "keep me signed in" and for API tokens; 14 days, as before, for the sessions that
-- exist now) and when the password was last typed for it (a session is fresh for 10 minutes after).
ALTER TABLE sessions ADD COLUMN id TEXT;
ALTER TABLE sessions ADD COLUMN client TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN idle_ms INTEGER NOT NULL DEFAULT 1209600000;
ALTER TABLE sessions ADD COLUMN auth_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET id = lower(hex(randomblob(16))), auth_at = created_at;
CREATE UNIQUE INDEX sessions_id ON sessions (id);
