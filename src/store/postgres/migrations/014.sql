-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 14: each person may read times in their own time zone (issue 12). An IANA name checked
-- against ICU's zones before it is stored, or '' for the zone of their space (UTC without one).
-- Not free text, so not sealed: it says no more than the space's own zone next to it.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
