-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 32: a second counter for who someone is (issue 18); see the SQLite migration of the same
-- number for why. who_n moves only with users, user_settings, space_members and spaces: their
-- triggers pass 'space who' or 'person who' as the first argument, and hearth_count_change raises
-- both counters for them, n alone for every other table, by the same scopes as before.
ALTER TABLE change_counts ADD COLUMN who_n BIGINT NOT NULL DEFAULT 0;
CREATE OR REPLACE FUNCTION hearth_count_change() RETURNS trigger LANGUAGE plpgsql AS $count$
DECLARE
	rows jsonb[];
	r jsonb;
	ids text[] := ARRAY[]::text[];
	who BIGINT := CASE WHEN TG_ARGV[0] LIKE '% who' THEN 1 ELSE 0 END;
BEGIN
	rows := CASE TG_OP WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)] WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)]
	        ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END;
	FOREACH r IN ARRAY rows LOOP
		FOR i IN 1 .. TG_NARGS - 1 LOOP
			ids := ids || (r ->> TG_ARGV[i]);
		END LOOP;
	END LOOP;
	IF TG_ARGV[0] LIKE 'person%' THEN
		ids := ids || ARRAY(SELECT space_id FROM space_members WHERE user_id = ANY (ids)
		                    UNION SELECT space_id FROM space_therapists WHERE therapist_id = ANY (ids));
	END IF;
	INSERT INTO change_counts (scope_id, n, who_n)
		SELECT DISTINCT s, 1, who FROM unnest(ids) AS s WHERE s IS NOT NULL AND s <> '' ORDER BY s
		ON CONFLICT (scope_id) DO UPDATE SET n = change_counts.n + 1, who_n = change_counts.who_n + EXCLUDED.who_n;
	RETURN NULL;
END
$count$;
DROP TRIGGER space_members_changes ON space_members;
CREATE TRIGGER space_members_changes AFTER INSERT OR UPDATE OR DELETE ON space_members
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space who', 'space_id', 'user_id');
DROP TRIGGER spaces_changes ON spaces;
CREATE TRIGGER spaces_changes AFTER INSERT OR UPDATE OR DELETE ON spaces
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('space who', 'id');
DROP TRIGGER user_settings_changes ON user_settings;
CREATE TRIGGER user_settings_changes AFTER INSERT OR UPDATE OR DELETE ON user_settings
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person who', 'user_id');
DROP TRIGGER users_changes ON users;
CREATE TRIGGER users_changes AFTER INSERT OR UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION hearth_count_change('person who', 'id');
