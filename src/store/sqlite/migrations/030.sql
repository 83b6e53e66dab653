-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 30: a change counter per space and per person (issue 18), for the cache of rendered
-- answers (http/cache.h). change_counts holds one number per scope: a space's id, or a person's
-- id (their own rows: what they wrote alone, their settings, and what they wrote in a space they
-- have left, which their own lists still show). A reader's cached answer is keyed by the counter
-- of their space and their own, read with the session (store/account.c), so any write that
-- changes what they read must raise one of the two, in the write's own transaction: these
-- triggers do it, on every table a member's read draws from, whichever server process or tool
-- writes. Rules:
--   - a table with a space_id (or a space's own row) raises that space, and the person the row
--     belongs to (author, creator, the person it is about), so "mine" lists across spaces stay true;
--   - a table keyed by a person alone (settings, dismissed cards, breaks, the users row with names
--     and time zones) raises that person and every space they belong to or are the therapist of,
--     since the partner's pages show their name, their break, their time zone.
-- Left out, on purpose: sessions (read on every request anyway; a touch must not empty the
-- cache), login tickets, failures and throttles, the outboxes and notice log (delivery
-- bookkeeping never shown), data keys, the public blog (articles, tags, comments), a therapist's
-- own invites, migrations and upgrade steps. tests/e2e/cache.test.mjs fails when a table is
-- added that is neither counted nor listed there as left out.
-- A counter only grows; its row is never deleted, so a number is never seen twice for a scope.
CREATE TABLE change_counts (scope_id TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
CREATE TRIGGER access_log_changes_i AFTER INSERT ON access_log BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER access_log_changes_u AFTER UPDATE ON access_log BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER access_log_changes_d AFTER DELETE ON access_log BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreement_answers_changes_i AFTER INSERT ON agreement_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.accepted_by UNION SELECT NEW.discussed_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreement_answers_changes_u AFTER UPDATE ON agreement_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.accepted_by UNION SELECT OLD.discussed_by UNION SELECT NEW.space_id UNION SELECT NEW.accepted_by UNION SELECT NEW.discussed_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreement_answers_changes_d AFTER DELETE ON agreement_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.accepted_by UNION SELECT OLD.discussed_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreement_reviews_changes_i AFTER INSERT ON agreement_reviews BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreement_reviews_changes_u AFTER UPDATE ON agreement_reviews BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreement_reviews_changes_d AFTER DELETE ON agreement_reviews BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreements_changes_i AFTER INSERT ON agreements BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreements_changes_u AFTER UPDATE ON agreements BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER agreements_changes_d AFTER DELETE ON agreements BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER bridge_items_changes_i AFTER INSERT ON bridge_items BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER bridge_items_changes_u AFTER UPDATE ON bridge_items BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER bridge_items_changes_d AFTER DELETE ON bridge_items BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER checkins_changes_i AFTER INSERT ON checkins BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER checkins_changes_u AFTER UPDATE ON checkins BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER checkins_changes_d AFTER DELETE ON checkins BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cycle_edits_changes_i AFTER INSERT ON cycle_edits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cycle_edits_changes_u AFTER UPDATE ON cycle_edits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cycle_edits_changes_d AFTER DELETE ON cycle_edits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cycle_sides_changes_i AFTER INSERT ON cycle_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cycle_sides_changes_u AFTER UPDATE ON cycle_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cycle_sides_changes_d AFTER DELETE ON cycle_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER homework_changes_i AFTER INSERT ON homework BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.for_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER homework_changes_u AFTER UPDATE ON homework BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.for_id UNION SELECT NEW.space_id UNION SELECT NEW.for_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER homework_changes_d AFTER DELETE ON homework BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.for_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER homework_marks_changes_i AFTER INSERT ON homework_marks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER homework_marks_changes_u AFTER UPDATE ON homework_marks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER homework_marks_changes_d AFTER DELETE ON homework_marks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER invites_changes_i AFTER INSERT ON invites BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER invites_changes_u AFTER UPDATE ON invites BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.created_by UNION SELECT NEW.space_id UNION SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER invites_changes_d AFTER DELETE ON invites BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_acks_changes_i AFTER INSERT ON prompt_acks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.answer_author UNION SELECT NEW.from_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_acks_changes_u AFTER UPDATE ON prompt_acks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.answer_author UNION SELECT OLD.from_id UNION SELECT NEW.space_id UNION SELECT NEW.answer_author UNION SELECT NEW.from_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_acks_changes_d AFTER DELETE ON prompt_acks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.answer_author UNION SELECT OLD.from_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_answers_changes_i AFTER INSERT ON prompt_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_answers_changes_u AFTER UPDATE ON prompt_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_answers_changes_d AFTER DELETE ON prompt_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_days_changes_i AFTER INSERT ON prompt_days BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_days_changes_u AFTER UPDATE ON prompt_days BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_days_changes_d AFTER DELETE ON prompt_days BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_overrides_changes_i AFTER INSERT ON prompt_overrides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_overrides_changes_u AFTER UPDATE ON prompt_overrides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_overrides_changes_d AFTER DELETE ON prompt_overrides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_seen_changes_i AFTER INSERT ON prompt_seen BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_seen_changes_u AFTER UPDATE ON prompt_seen BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_seen_changes_d AFTER DELETE ON prompt_seen BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_skips_changes_i AFTER INSERT ON prompt_skips BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_skips_changes_u AFTER UPDATE ON prompt_skips BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER prompt_skips_changes_d AFTER DELETE ON prompt_skips BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER questionnaire_responses_changes_i AFTER INSERT ON questionnaire_responses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER questionnaire_responses_changes_u AFTER UPDATE ON questionnaire_responses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER questionnaire_responses_changes_d AFTER DELETE ON questionnaire_responses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_after_steps_changes_i AFTER INSERT ON repair_after_steps BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id UNION SELECT NEW.answered_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_after_steps_changes_u AFTER UPDATE ON repair_after_steps BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT OLD.answered_by UNION SELECT NEW.space_id UNION SELECT NEW.author_id UNION SELECT NEW.answered_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_after_steps_changes_d AFTER DELETE ON repair_after_steps BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT OLD.answered_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_sides_changes_i AFTER INSERT ON repair_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_sides_changes_u AFTER UPDATE ON repair_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id UNION SELECT NEW.space_id UNION SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repair_sides_changes_d AFTER DELETE ON repair_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repairs_changes_i AFTER INSERT ON repairs BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repairs_changes_u AFTER UPDATE ON repairs BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.created_by UNION SELECT NEW.space_id UNION SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER repairs_changes_d AFTER DELETE ON repairs BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER safety_checks_changes_i AFTER INSERT ON safety_checks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER safety_checks_changes_u AFTER UPDATE ON safety_checks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER safety_checks_changes_d AFTER DELETE ON safety_checks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_flashes_changes_i AFTER INSERT ON session_flashes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.scope_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_flashes_changes_u AFTER UPDATE ON session_flashes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.scope_id AS s UNION SELECT NEW.scope_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER session_flashes_changes_d AFTER DELETE ON session_flashes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.scope_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_departures_changes_i AFTER INSERT ON space_departures BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_departures_changes_u AFTER UPDATE ON space_departures BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_departures_changes_d AFTER DELETE ON space_departures BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_members_changes_i AFTER INSERT ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_members_changes_u AFTER UPDATE ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_members_changes_d AFTER DELETE ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_therapists_changes_i AFTER INSERT ON space_therapists BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_therapists_changes_u AFTER UPDATE ON space_therapists BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER space_therapists_changes_d AFTER DELETE ON space_therapists BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER spaces_changes_i AFTER INSERT ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER spaces_changes_u AFTER UPDATE ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.id AS s UNION SELECT NEW.id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER spaces_changes_d AFTER DELETE ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_consents_changes_i AFTER INSERT ON therapist_consents BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_consents_changes_u AFTER UPDATE ON therapist_consents BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_consents_changes_d AFTER DELETE ON therapist_consents BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_notes_changes_i AFTER INSERT ON therapist_notes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_notes_changes_u AFTER UPDATE ON therapist_notes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_notes_changes_d AFTER DELETE ON therapist_notes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_visits_changes_i AFTER INSERT ON therapist_visits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_visits_changes_u AFTER UPDATE ON therapist_visits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER therapist_visits_changes_d AFTER DELETE ON therapist_visits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER breaks_changes_i AFTER INSERT ON breaks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER breaks_changes_u AFTER UPDATE ON breaks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER breaks_changes_d AFTER DELETE ON breaks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER calendar_feeds_changes_i AFTER INSERT ON calendar_feeds BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER calendar_feeds_changes_u AFTER UPDATE ON calendar_feeds BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER calendar_feeds_changes_d AFTER DELETE ON calendar_feeds BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER email_addresses_changes_i AFTER INSERT ON email_addresses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER email_addresses_changes_u AFTER UPDATE ON email_addresses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER email_addresses_changes_d AFTER DELETE ON email_addresses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER home_dismissals_changes_i AFTER INSERT ON home_dismissals BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER home_dismissals_changes_u AFTER UPDATE ON home_dismissals BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER home_dismissals_changes_d AFTER DELETE ON home_dismissals BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER notice_settings_changes_i AFTER INSERT ON notice_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER notice_settings_changes_u AFTER UPDATE ON notice_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER notice_settings_changes_d AFTER DELETE ON notice_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER profiles_changes_i AFTER INSERT ON profiles BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER profiles_changes_u AFTER UPDATE ON profiles BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER profiles_changes_d AFTER DELETE ON profiles BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER push_subscriptions_changes_i AFTER INSERT ON push_subscriptions BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER push_subscriptions_changes_u AFTER UPDATE ON push_subscriptions BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER push_subscriptions_changes_d AFTER DELETE ON push_subscriptions BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER quiet_hours_changes_i AFTER INSERT ON quiet_hours BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER quiet_hours_changes_u AFTER UPDATE ON quiet_hours BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER quiet_hours_changes_d AFTER DELETE ON quiet_hours BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER recovery_codes_changes_i AFTER INSERT ON recovery_codes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER recovery_codes_changes_u AFTER UPDATE ON recovery_codes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER recovery_codes_changes_d AFTER DELETE ON recovery_codes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reminders_changes_i AFTER INSERT ON reminders BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reminders_changes_u AFTER UPDATE ON reminders BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER reminders_changes_d AFTER DELETE ON reminders BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER two_step_changes_i AFTER INSERT ON two_step BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER two_step_changes_u AFTER UPDATE ON two_step BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER two_step_changes_d AFTER DELETE ON two_step BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER user_settings_changes_i AFTER INSERT ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER user_settings_changes_u AFTER UPDATE ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER user_settings_changes_d AFTER DELETE ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER users_changes_i AFTER INSERT ON users BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER users_changes_u AFTER UPDATE ON users BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.id AS s UNION SELECT NEW.id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.id, NEW.id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.id, NEW.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER users_changes_d AFTER DELETE ON users BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
