-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 35: a check-in raises its change counters without the generic function (issue 18).
-- hearth_count_change (migrations 030, 032) serves every table: it turns the row into jsonb to read
-- the columns its arguments name, gathers them in an array and upserts the distinct ids with
-- INSERT ... ON CONFLICT, which nearly doubled what PostgreSQL spent on inserting a check-in
-- (pgbench, 8 clients inserting check-ins with fsync off, four runs: 4,740-4,950 inserts/s with it,
-- 5,750-7,300 with this one, 9,100-10,400 with no trigger; bench/README.md). A check-in is the
-- write couples make most, so it gets a function of its own: the two counters it raises (its space
-- and its author, as before) are updated in place by their keys, and only a counter that does not
-- exist yet (a space or person's first write) goes through the upsert. An edit raises the old row's
-- scopes and the new row's. Locks are taken in key order (the update scans the key index in
-- order; the upsert sorts), as the generic function does. who_n stays: a check-in is not who
-- someone is.
CREATE FUNCTION hearth_count_checkin() RETURNS trigger LANGUAGE plpgsql AS $count$
DECLARE
	space_scope text;
	author_scope text;
	raised int;
	wanted int;
BEGIN
	FOR image IN 1 .. 2 LOOP
		CONTINUE WHEN (image = 1 AND TG_OP = 'INSERT') OR (image = 2 AND TG_OP = 'DELETE');
		IF image = 1 THEN
			space_scope := OLD.space_id;
			author_scope := OLD.author_id;
		ELSE
			space_scope := NEW.space_id;
			author_scope := NEW.author_id;
		END IF;
		UPDATE change_counts SET n = n + 1 WHERE scope_id IN (space_scope, author_scope);
		GET DIAGNOSTICS raised = ROW_COUNT;
		wanted := CASE WHEN space_scope = author_scope THEN 1 ELSE 2 END;
		IF raised < wanted THEN
			-- One is missing (or empty): the upsert makes it, and raises again the one just raised,
			-- which a counter allows (it only has to move).
			INSERT INTO change_counts (scope_id, n)
				SELECT DISTINCT s, 1 FROM unnest(ARRAY[space_scope, author_scope]) AS s
				WHERE s IS NOT NULL AND s <> '' ORDER BY s
				ON CONFLICT (scope_id) DO UPDATE SET n = change_counts.n + 1;
		END IF;
	END LOOP;
	RETURN NULL;
END
$count$;
DROP TRIGGER checkins_changes ON checkins;
CREATE TRIGGER checkins_changes AFTER INSERT OR UPDATE OR DELETE ON checkins
  FOR EACH ROW EXECUTE FUNCTION hearth_count_checkin();
