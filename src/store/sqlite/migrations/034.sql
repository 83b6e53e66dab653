-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 34: the change counters' triggers without UNION's set (issue 18). Each trigger of
-- migrations 30 and 32 raises the counter of every scope a row names, and
-- UNION took out a scope named twice (a person writing alone, whose scope is their own id; a row
-- edited in place) by building a temporary table on every row written: about 8 microseconds of a
-- check-in's 15 in its trigger, measured with a prepared INSERT. UNION ALL builds none. A scope named
-- twice is now raised twice in the one statement, which SQLite's upsert does one row after the
-- other; a counter only has to move when what its readers read changed, never by exactly one.
-- Each trigger is made again as it was, with UNION ALL for UNION (migration 33 made the check-ins'
-- so already). PostgreSQL's triggers call one
-- function (hearth_count_change) that takes the scopes out one by one, and stay as they are.
DROP TRIGGER access_log_changes_u;
CREATE TRIGGER access_log_changes_u AFTER UPDATE ON access_log BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreement_answers_changes_d;
CREATE TRIGGER agreement_answers_changes_d AFTER DELETE ON agreement_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.accepted_by UNION ALL SELECT OLD.discussed_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreement_answers_changes_i;
CREATE TRIGGER agreement_answers_changes_i AFTER INSERT ON agreement_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.accepted_by UNION ALL SELECT NEW.discussed_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreement_answers_changes_u;
CREATE TRIGGER agreement_answers_changes_u AFTER UPDATE ON agreement_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.accepted_by UNION ALL SELECT OLD.discussed_by UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.accepted_by UNION ALL SELECT NEW.discussed_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreement_reviews_changes_d;
CREATE TRIGGER agreement_reviews_changes_d AFTER DELETE ON agreement_reviews BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreement_reviews_changes_i;
CREATE TRIGGER agreement_reviews_changes_i AFTER INSERT ON agreement_reviews BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreement_reviews_changes_u;
CREATE TRIGGER agreement_reviews_changes_u AFTER UPDATE ON agreement_reviews BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreements_changes_d;
CREATE TRIGGER agreements_changes_d AFTER DELETE ON agreements BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreements_changes_i;
CREATE TRIGGER agreements_changes_i AFTER INSERT ON agreements BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER agreements_changes_u;
CREATE TRIGGER agreements_changes_u AFTER UPDATE ON agreements BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER breaks_changes_d;
CREATE TRIGGER breaks_changes_d AFTER DELETE ON breaks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER breaks_changes_i;
CREATE TRIGGER breaks_changes_i AFTER INSERT ON breaks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER breaks_changes_u;
CREATE TRIGGER breaks_changes_u AFTER UPDATE ON breaks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER bridge_items_changes_d;
CREATE TRIGGER bridge_items_changes_d AFTER DELETE ON bridge_items BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER bridge_items_changes_i;
CREATE TRIGGER bridge_items_changes_i AFTER INSERT ON bridge_items BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER bridge_items_changes_u;
CREATE TRIGGER bridge_items_changes_u AFTER UPDATE ON bridge_items BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER calendar_feeds_changes_d;
CREATE TRIGGER calendar_feeds_changes_d AFTER DELETE ON calendar_feeds BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER calendar_feeds_changes_i;
CREATE TRIGGER calendar_feeds_changes_i AFTER INSERT ON calendar_feeds BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER calendar_feeds_changes_u;
CREATE TRIGGER calendar_feeds_changes_u AFTER UPDATE ON calendar_feeds BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER cycle_edits_changes_d;
CREATE TRIGGER cycle_edits_changes_d AFTER DELETE ON cycle_edits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER cycle_edits_changes_i;
CREATE TRIGGER cycle_edits_changes_i AFTER INSERT ON cycle_edits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER cycle_edits_changes_u;
CREATE TRIGGER cycle_edits_changes_u AFTER UPDATE ON cycle_edits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER cycle_sides_changes_d;
CREATE TRIGGER cycle_sides_changes_d AFTER DELETE ON cycle_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER cycle_sides_changes_i;
CREATE TRIGGER cycle_sides_changes_i AFTER INSERT ON cycle_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER cycle_sides_changes_u;
CREATE TRIGGER cycle_sides_changes_u AFTER UPDATE ON cycle_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER email_addresses_changes_d;
CREATE TRIGGER email_addresses_changes_d AFTER DELETE ON email_addresses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER email_addresses_changes_i;
CREATE TRIGGER email_addresses_changes_i AFTER INSERT ON email_addresses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER email_addresses_changes_u;
CREATE TRIGGER email_addresses_changes_u AFTER UPDATE ON email_addresses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER home_dismissals_changes_d;
CREATE TRIGGER home_dismissals_changes_d AFTER DELETE ON home_dismissals BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER home_dismissals_changes_i;
CREATE TRIGGER home_dismissals_changes_i AFTER INSERT ON home_dismissals BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER home_dismissals_changes_u;
CREATE TRIGGER home_dismissals_changes_u AFTER UPDATE ON home_dismissals BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER homework_changes_d;
CREATE TRIGGER homework_changes_d AFTER DELETE ON homework BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.for_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER homework_changes_i;
CREATE TRIGGER homework_changes_i AFTER INSERT ON homework BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.for_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER homework_changes_u;
CREATE TRIGGER homework_changes_u AFTER UPDATE ON homework BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.for_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.for_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER homework_marks_changes_d;
CREATE TRIGGER homework_marks_changes_d AFTER DELETE ON homework_marks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER homework_marks_changes_i;
CREATE TRIGGER homework_marks_changes_i AFTER INSERT ON homework_marks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER homework_marks_changes_u;
CREATE TRIGGER homework_marks_changes_u AFTER UPDATE ON homework_marks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER invites_changes_d;
CREATE TRIGGER invites_changes_d AFTER DELETE ON invites BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER invites_changes_i;
CREATE TRIGGER invites_changes_i AFTER INSERT ON invites BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER invites_changes_u;
CREATE TRIGGER invites_changes_u AFTER UPDATE ON invites BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.created_by UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER notice_settings_changes_d;
CREATE TRIGGER notice_settings_changes_d AFTER DELETE ON notice_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER notice_settings_changes_i;
CREATE TRIGGER notice_settings_changes_i AFTER INSERT ON notice_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER notice_settings_changes_u;
CREATE TRIGGER notice_settings_changes_u AFTER UPDATE ON notice_settings BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER profiles_changes_d;
CREATE TRIGGER profiles_changes_d AFTER DELETE ON profiles BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER profiles_changes_i;
CREATE TRIGGER profiles_changes_i AFTER INSERT ON profiles BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER profiles_changes_u;
CREATE TRIGGER profiles_changes_u AFTER UPDATE ON profiles BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_acks_changes_d;
CREATE TRIGGER prompt_acks_changes_d AFTER DELETE ON prompt_acks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.answer_author UNION ALL SELECT OLD.from_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_acks_changes_i;
CREATE TRIGGER prompt_acks_changes_i AFTER INSERT ON prompt_acks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.answer_author UNION ALL SELECT NEW.from_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_acks_changes_u;
CREATE TRIGGER prompt_acks_changes_u AFTER UPDATE ON prompt_acks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.answer_author UNION ALL SELECT OLD.from_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.answer_author UNION ALL SELECT NEW.from_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_answers_changes_d;
CREATE TRIGGER prompt_answers_changes_d AFTER DELETE ON prompt_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_answers_changes_i;
CREATE TRIGGER prompt_answers_changes_i AFTER INSERT ON prompt_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_answers_changes_u;
CREATE TRIGGER prompt_answers_changes_u AFTER UPDATE ON prompt_answers BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_days_changes_u;
CREATE TRIGGER prompt_days_changes_u AFTER UPDATE ON prompt_days BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_overrides_changes_u;
CREATE TRIGGER prompt_overrides_changes_u AFTER UPDATE ON prompt_overrides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_seen_changes_u;
CREATE TRIGGER prompt_seen_changes_u AFTER UPDATE ON prompt_seen BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_skips_changes_d;
CREATE TRIGGER prompt_skips_changes_d AFTER DELETE ON prompt_skips BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_skips_changes_i;
CREATE TRIGGER prompt_skips_changes_i AFTER INSERT ON prompt_skips BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER prompt_skips_changes_u;
CREATE TRIGGER prompt_skips_changes_u AFTER UPDATE ON prompt_skips BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER push_subscriptions_changes_d;
CREATE TRIGGER push_subscriptions_changes_d AFTER DELETE ON push_subscriptions BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER push_subscriptions_changes_i;
CREATE TRIGGER push_subscriptions_changes_i AFTER INSERT ON push_subscriptions BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER push_subscriptions_changes_u;
CREATE TRIGGER push_subscriptions_changes_u AFTER UPDATE ON push_subscriptions BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER questionnaire_responses_changes_d;
CREATE TRIGGER questionnaire_responses_changes_d AFTER DELETE ON questionnaire_responses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER questionnaire_responses_changes_i;
CREATE TRIGGER questionnaire_responses_changes_i AFTER INSERT ON questionnaire_responses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER questionnaire_responses_changes_u;
CREATE TRIGGER questionnaire_responses_changes_u AFTER UPDATE ON questionnaire_responses BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER quiet_hours_changes_d;
CREATE TRIGGER quiet_hours_changes_d AFTER DELETE ON quiet_hours BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER quiet_hours_changes_i;
CREATE TRIGGER quiet_hours_changes_i AFTER INSERT ON quiet_hours BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER quiet_hours_changes_u;
CREATE TRIGGER quiet_hours_changes_u AFTER UPDATE ON quiet_hours BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER recovery_codes_changes_d;
CREATE TRIGGER recovery_codes_changes_d AFTER DELETE ON recovery_codes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER recovery_codes_changes_i;
CREATE TRIGGER recovery_codes_changes_i AFTER INSERT ON recovery_codes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER recovery_codes_changes_u;
CREATE TRIGGER recovery_codes_changes_u AFTER UPDATE ON recovery_codes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER reminders_changes_d;
CREATE TRIGGER reminders_changes_d AFTER DELETE ON reminders BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER reminders_changes_i;
CREATE TRIGGER reminders_changes_i AFTER INSERT ON reminders BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER reminders_changes_u;
CREATE TRIGGER reminders_changes_u AFTER UPDATE ON reminders BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repair_after_steps_changes_d;
CREATE TRIGGER repair_after_steps_changes_d AFTER DELETE ON repair_after_steps BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT OLD.answered_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repair_after_steps_changes_i;
CREATE TRIGGER repair_after_steps_changes_i AFTER INSERT ON repair_after_steps BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id UNION ALL SELECT NEW.answered_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repair_after_steps_changes_u;
CREATE TRIGGER repair_after_steps_changes_u AFTER UPDATE ON repair_after_steps BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT OLD.answered_by UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id UNION ALL SELECT NEW.answered_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repair_sides_changes_d;
CREATE TRIGGER repair_sides_changes_d AFTER DELETE ON repair_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repair_sides_changes_i;
CREATE TRIGGER repair_sides_changes_i AFTER INSERT ON repair_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repair_sides_changes_u;
CREATE TRIGGER repair_sides_changes_u AFTER UPDATE ON repair_sides BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.author_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.author_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repairs_changes_d;
CREATE TRIGGER repairs_changes_d AFTER DELETE ON repairs BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repairs_changes_i;
CREATE TRIGGER repairs_changes_i AFTER INSERT ON repairs BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER repairs_changes_u;
CREATE TRIGGER repairs_changes_u AFTER UPDATE ON repairs BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.created_by UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.created_by)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER safety_checks_changes_d;
CREATE TRIGGER safety_checks_changes_d AFTER DELETE ON safety_checks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER safety_checks_changes_i;
CREATE TRIGGER safety_checks_changes_i AFTER INSERT ON safety_checks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER safety_checks_changes_u;
CREATE TRIGGER safety_checks_changes_u AFTER UPDATE ON safety_checks BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER session_flashes_changes_u;
CREATE TRIGGER session_flashes_changes_u AFTER UPDATE ON session_flashes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.scope_id AS s UNION ALL SELECT NEW.scope_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER space_departures_changes_d;
CREATE TRIGGER space_departures_changes_d AFTER DELETE ON space_departures BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER space_departures_changes_i;
CREATE TRIGGER space_departures_changes_i AFTER INSERT ON space_departures BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER space_departures_changes_u;
CREATE TRIGGER space_departures_changes_u AFTER UPDATE ON space_departures BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER space_members_changes_d;
CREATE TRIGGER space_members_changes_d AFTER DELETE ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER space_members_changes_i;
CREATE TRIGGER space_members_changes_i AFTER INSERT ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER space_members_changes_u;
CREATE TRIGGER space_members_changes_u AFTER UPDATE ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER space_therapists_changes_u;
CREATE TRIGGER space_therapists_changes_u AFTER UPDATE ON space_therapists BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER spaces_changes_u;
CREATE TRIGGER spaces_changes_u AFTER UPDATE ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s UNION ALL SELECT NEW.id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER therapist_consents_changes_d;
CREATE TRIGGER therapist_consents_changes_d AFTER DELETE ON therapist_consents BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER therapist_consents_changes_i;
CREATE TRIGGER therapist_consents_changes_i AFTER INSERT ON therapist_consents BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.space_id AS s UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER therapist_consents_changes_u;
CREATE TRIGGER therapist_consents_changes_u AFTER UPDATE ON therapist_consents BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT OLD.user_id UNION ALL SELECT NEW.space_id UNION ALL SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER therapist_notes_changes_u;
CREATE TRIGGER therapist_notes_changes_u AFTER UPDATE ON therapist_notes BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER therapist_visits_changes_u;
CREATE TRIGGER therapist_visits_changes_u AFTER UPDATE ON therapist_visits BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.space_id AS s UNION ALL SELECT NEW.space_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER two_step_changes_d;
CREATE TRIGGER two_step_changes_d AFTER DELETE ON two_step BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER two_step_changes_i;
CREATE TRIGGER two_step_changes_i AFTER INSERT ON two_step BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER two_step_changes_u;
CREATE TRIGGER two_step_changes_u AFTER UPDATE ON two_step BEGIN
  INSERT INTO change_counts (scope_id, n) SELECT s, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER user_settings_changes_d;
CREATE TRIGGER user_settings_changes_d AFTER DELETE ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER user_settings_changes_i;
CREATE TRIGGER user_settings_changes_i AFTER INSERT ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.user_id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER user_settings_changes_u;
CREATE TRIGGER user_settings_changes_u AFTER UPDATE ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.user_id AS s UNION ALL SELECT NEW.user_id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER users_changes_d;
CREATE TRIGGER users_changes_d AFTER DELETE ON users BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER users_changes_i;
CREATE TRIGGER users_changes_i AFTER INSERT ON users BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.id AS s
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (NEW.id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER users_changes_u;
CREATE TRIGGER users_changes_u AFTER UPDATE ON users BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s UNION ALL SELECT NEW.id
    UNION ALL SELECT space_id FROM space_members WHERE user_id IN (OLD.id, NEW.id)
    UNION ALL SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.id, NEW.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
