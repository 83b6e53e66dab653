-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 30: a change counter per space and per person (issue 18); see the SQLite migration of
-- the same number for the rules. One trigger function serves every table: its first argument says
-- whether the row's columns (the rest) are raised as they are ('space') or, being a person, with
-- every space they belong to or are the therapist of ('person'). The ids of a statement are raised
-- in their order, so two transactions lock counters in the same order. A partitioned table
-- (partition.sql) keeps its trigger: it is made again on the partitioned table, which gives it
-- to every partition.
CREATE TABLE change_counts (scope_id TEXT COLLATE "C" PRIMARY KEY, n BIGINT NOT NULL);
CREATE FUNCTION hearth_count_change() RETURNS trigger LANGUAGE plpgsql AS $count$
DECLARE
	rows jsonb[];
	r jsonb;
	ids text[] := ARRAY[]::text[];
BEGIN
	rows := CASE TG_OP WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)] WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)]
	        ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END;
	FOREACH r IN ARRAY rows LOOP
		FOR i IN 1 .. TG_NARGS - 1 LOOP
			ids := ids || (r ->> TG_ARGV[i]);
		END LOOP;
	END LOOP;
	IF TG_ARGV[0] = 'person' THEN
		ids := ids || ARRAY(SELECT space_id FROM space_members WHERE user_id = ANY (ids)
		                    UNION SELECT space_id FROM space_therapists WHERE therapist_id = ANY (ids));
	END IF;
	INSERT INTO change_counts (scope_id, n)
		SELECT DISTINCT s, 1 FROM unnest(ids) AS s WHERE s IS NOT NULL AND s <> '' ORDER BY s
		ON CONFLICT (scope_id) DO UPDATE SET n = change_counts.n + 1;
	RETURN NULL;
END
$count$;
CREATE TRIGGER access_log_changes AFTER INSERT OR UPDATE OR DELETE ON access_log
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER agreement_answers_changes AFTER INSERT OR UPDATE OR DELETE ON agreement_answers
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'accepted_by', 'discussed_by');
CREATE TRIGGER agreement_reviews_changes AFTER INSERT OR UPDATE OR DELETE ON agreement_reviews
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER agreements_changes AFTER INSERT OR UPDATE OR DELETE ON agreements
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER bridge_items_changes AFTER INSERT OR UPDATE OR DELETE ON bridge_items
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER checkins_changes AFTER INSERT OR UPDATE OR DELETE ON checkins
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER cycle_edits_changes AFTER INSERT OR UPDATE OR DELETE ON cycle_edits
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER cycle_sides_changes AFTER INSERT OR UPDATE OR DELETE ON cycle_sides
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER homework_changes AFTER INSERT OR UPDATE OR DELETE ON homework
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'for_id');
CREATE TRIGGER homework_marks_changes AFTER INSERT OR UPDATE OR DELETE ON homework_marks
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'user_id');
CREATE TRIGGER invites_changes AFTER INSERT OR UPDATE OR DELETE ON invites
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'created_by');
CREATE TRIGGER prompt_acks_changes AFTER INSERT OR UPDATE OR DELETE ON prompt_acks
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'answer_author', 'from_id');
CREATE TRIGGER prompt_answers_changes AFTER INSERT OR UPDATE OR DELETE ON prompt_answers
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER prompt_days_changes AFTER INSERT OR UPDATE OR DELETE ON prompt_days
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER prompt_overrides_changes AFTER INSERT OR UPDATE OR DELETE ON prompt_overrides
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER prompt_seen_changes AFTER INSERT OR UPDATE OR DELETE ON prompt_seen
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER prompt_skips_changes AFTER INSERT OR UPDATE OR DELETE ON prompt_skips
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'user_id');
CREATE TRIGGER questionnaire_responses_changes AFTER INSERT OR UPDATE OR DELETE ON questionnaire_responses
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER repair_after_steps_changes AFTER INSERT OR UPDATE OR DELETE ON repair_after_steps
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id', 'answered_by');
CREATE TRIGGER repair_sides_changes AFTER INSERT OR UPDATE OR DELETE ON repair_sides
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'author_id');
CREATE TRIGGER repairs_changes AFTER INSERT OR UPDATE OR DELETE ON repairs
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'created_by');
CREATE TRIGGER safety_checks_changes AFTER INSERT OR UPDATE OR DELETE ON safety_checks
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'user_id');
CREATE TRIGGER session_flashes_changes AFTER INSERT OR UPDATE OR DELETE ON session_flashes
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'scope_id');
CREATE TRIGGER space_departures_changes AFTER INSERT OR UPDATE OR DELETE ON space_departures
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'user_id');
CREATE TRIGGER space_members_changes AFTER INSERT OR UPDATE OR DELETE ON space_members
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'user_id');
CREATE TRIGGER space_therapists_changes AFTER INSERT OR UPDATE OR DELETE ON space_therapists
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER spaces_changes AFTER INSERT OR UPDATE OR DELETE ON spaces
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'id');
CREATE TRIGGER therapist_consents_changes AFTER INSERT OR UPDATE OR DELETE ON therapist_consents
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id', 'user_id');
CREATE TRIGGER therapist_notes_changes AFTER INSERT OR UPDATE OR DELETE ON therapist_notes
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER therapist_visits_changes AFTER INSERT OR UPDATE OR DELETE ON therapist_visits
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space', 'space_id');
CREATE TRIGGER breaks_changes AFTER INSERT OR UPDATE OR DELETE ON breaks
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER calendar_feeds_changes AFTER INSERT OR UPDATE OR DELETE ON calendar_feeds
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER email_addresses_changes AFTER INSERT OR UPDATE OR DELETE ON email_addresses
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER home_dismissals_changes AFTER INSERT OR UPDATE OR DELETE ON home_dismissals
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER notice_settings_changes AFTER INSERT OR UPDATE OR DELETE ON notice_settings
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER profiles_changes AFTER INSERT OR UPDATE OR DELETE ON profiles
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER push_subscriptions_changes AFTER INSERT OR UPDATE OR DELETE ON push_subscriptions
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER quiet_hours_changes AFTER INSERT OR UPDATE OR DELETE ON quiet_hours
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER recovery_codes_changes AFTER INSERT OR UPDATE OR DELETE ON recovery_codes
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER reminders_changes AFTER INSERT OR UPDATE OR DELETE ON reminders
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER two_step_changes AFTER INSERT OR UPDATE OR DELETE ON two_step
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER user_settings_changes AFTER INSERT OR UPDATE OR DELETE ON user_settings
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'user_id');
CREATE TRIGGER users_changes AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person', 'id');
