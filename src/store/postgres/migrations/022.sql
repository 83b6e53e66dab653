-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 22 (issue 13): the next session's date, set by the couple's therapist. It belongs to the link, so
-- it lives on the link's row and unlinking (which deletes the row) clears it. previous_session_at keeps the
-- session before it (the start of the before-session summary's default period); session_set_at says when
-- the date was last set (a changed date brings the partners' home card back). Times in ms UTC; NULL: none.
ALTER TABLE space_therapists ADD COLUMN next_session_at BIGINT;
ALTER TABLE space_therapists ADD COLUMN previous_session_at BIGINT;
ALTER TABLE space_therapists ADD COLUMN session_set_at BIGINT;
