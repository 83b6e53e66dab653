-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 11: the home page (issue 11). A card set aside ("not now") is remembered by its kind,
-- its item's id and the moment of the event it showed (`since`): something newer about the same
-- item brings the card back. A partner who leaves is remembered for the one who stays: the
-- leaver's id, never their name (looked up while the account exists; the id is emptied when the
-- account is deleted). A person's own settings: whether Quick exit also signs them out.
CREATE TABLE home_dismissals (
  user_id TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL, item_id TEXT COLLATE "C" NOT NULL,
  since BIGINT NOT NULL, PRIMARY KEY (user_id, kind, item_id));
CREATE TABLE space_departures (
  space_id TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, user_id TEXT COLLATE "C" NOT NULL, left_at BIGINT NOT NULL,
  PRIMARY KEY (space_id, id));
CREATE TABLE user_settings (
  user_id TEXT COLLATE "C" PRIMARY KEY, quick_exit_signs_out SMALLINT NOT NULL DEFAULT 0);
