-- SPDX-License-Identifier: AGPL-3.0-or-later
-- partition.sql - hash-partitions every couple-owned table by space_id (HEARTH_PG_PARTITIONS=N).
--
-- Run by the PostgreSQL driver after the migrations, in one transaction under the migration lock,
-- with two settings: hearth.partitions (N from HEARTH_PG_PARTITIONS, 0 when unset) and
-- hearth.fresh (1 when this run started from an empty database). A database is partitioned when
-- it is created with N set; from then on, every plain table with a space_id column (also one a
-- later migration adds) becomes PARTITION BY HASH (space_id) with as many partitions as the
-- tables partitioned before; a database made without N stays as it is.
--
-- PostgreSQL's declarative partitioning imposes what a distributed PostgreSQL (Citus) does:
-- every primary key and unique key contains the partition key, and no foreign key may cross
-- couples. So a table is converted only when
--   - no foreign key starts or ends at it (error HP001), and
--   - each of its unique keys contains space_id, or is listed in loose_keys below (error HP002).
-- Global tables (global_tables) keep their key of their own and are never partitioned.
--
-- A conversion: a partitioned table like the plain one (columns, collations, defaults, checks),
-- its N partitions (TABLE_pI), the rows copied, the plain table dropped, then its primary key,
-- unique keys and indexes made again under their own names on the partitioned table, and its
-- triggers (migration 030's change counters) made again on it, which gives them to every partition.
DO $partition$
DECLARE
	-- Looked up by their own key before the space is known: a person's membership, an invite
	-- code. In a sharded database they are the directory (distributed by that key, or
	-- reference tables), so space_members.user_id (one space per person) stays unique.
	global_tables CONSTANT text[] := ARRAY['space_members', 'invites'];
	-- Unique only as a safety net for ids that cannot collide (id_new: the microsecond and 76
	-- random bits), not as a rule: plain indexes once the table is partitioned (rows are still
	-- found by id).
	loose_keys CONSTANT text[] := ARRAY['checkins_id', 'prompt_days_id_key'];
	wanted int := coalesce(nullif(current_setting('hearth.partitions', true), ''), '0')::int;
	fresh boolean := coalesce(current_setting('hearth.fresh', true), '') = '1';
	n int;
	t record;
	ix record;
	tg record;
	plain text;
	cols text;
	def text;
	defs text[];
BEGIN
	-- As many partitions as the tables partitioned already; N only for a new database.
	SELECT max(cnt) INTO n FROM (
		SELECT count(*) AS cnt FROM pg_partitioned_table p
		JOIN pg_class c ON c.oid = p.partrelid
		JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
		JOIN pg_inherits i ON i.inhparent = p.partrelid
		GROUP BY p.partrelid) counts;
	IF n IS NULL THEN
		IF wanted < 1 THEN
			RETURN;
		END IF;
		IF NOT fresh THEN
			RAISE NOTICE 'HEARTH_PG_PARTITIONS applies to a new database; this one stays unpartitioned';
			RETURN;
		END IF;
		n := wanted;
	END IF;

	FOR t IN
		SELECT c.oid, c.relname FROM pg_class c
		JOIN pg_namespace ns ON ns.oid = c.relnamespace AND ns.nspname = current_schema()
		WHERE c.relkind = 'r' AND NOT c.relispartition AND c.relname <> ALL (global_tables)
		AND EXISTS (SELECT 1 FROM pg_attribute a
		            WHERE a.attrelid = c.oid AND a.attname = 'space_id' AND NOT a.attisdropped)
		ORDER BY c.relname
	LOOP
		IF EXISTS (SELECT 1 FROM pg_constraint
		           WHERE contype = 'f' AND (conrelid = t.oid OR confrelid = t.oid)) THEN
			RAISE EXCEPTION 'cannot partition %: a foreign key starts or ends at it', t.relname
				USING ERRCODE = 'HP001';
		END IF;
		-- The primary key and unique constraints as constraints, the other indexes as indexes,
		-- each under its own name; what they say is read before the plain table goes.
		defs := ARRAY[]::text[];
		FOR ix IN
			SELECT i.indexrelid, ic.relname AS name, i.indisunique AS is_unique,
			       pg_get_indexdef(i.indexrelid) AS def,
			       con.conname, pg_get_constraintdef(con.oid) AS condef,
			       EXISTS (SELECT 1 FROM pg_attribute a
			               WHERE a.attrelid = t.oid AND a.attname = 'space_id'
			               AND a.attnum = ANY (i.indkey::int2[])) AS has_space
			FROM pg_index i
			JOIN pg_class ic ON ic.oid = i.indexrelid
			LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = t.oid
			WHERE i.indrelid = t.oid
			ORDER BY ic.relname
		LOOP
			IF ix.is_unique AND NOT ix.has_space THEN
				IF ix.name <> ALL (loose_keys) THEN
					RAISE EXCEPTION 'cannot partition %: its unique key % does not contain space_id',
						t.relname, ix.name USING ERRCODE = 'HP002';
				END IF;
				defs := defs || regexp_replace(ix.def, '^CREATE UNIQUE INDEX', 'CREATE INDEX');
			ELSIF ix.conname IS NOT NULL THEN
				defs := defs || format('ALTER TABLE %I ADD CONSTRAINT %I %s', t.relname, ix.conname, ix.condef);
			ELSE
				defs := defs || ix.def;
			END IF;
		END LOOP;
		-- Triggers are not part of LIKE: their definitions (naming the table by its name) are kept too.
		FOR tg IN
			SELECT pg_get_triggerdef(tr.oid) AS def FROM pg_trigger tr
			WHERE tr.tgrelid = t.oid AND NOT tr.tgisinternal
			ORDER BY tr.tgname
		LOOP
			defs := defs || tg.def;
		END LOOP;
		SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
		FROM pg_attribute a
		WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '';
		plain := format('hearth_plain_%s', t.oid);
		EXECUTE format('ALTER TABLE %I RENAME TO %I', t.relname, plain);
		EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING IDENTITY'
		               ' INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY HASH (space_id)',
		               t.relname, plain);
		FOR i IN 0 .. n - 1 LOOP
			EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES WITH (MODULUS %s, REMAINDER %s)',
			               t.relname || '_p' || i, t.relname, n, i);
		END LOOP;
		EXECUTE format('INSERT INTO %I (%s) SELECT %s FROM %I', t.relname, cols, cols, plain);
		EXECUTE format('DROP TABLE %I', plain);
		FOREACH def IN ARRAY defs LOOP
			EXECUTE def;
		END LOOP;
		RAISE NOTICE 'partitioned % by space_id into % partitions', t.relname, n;
	END LOOP;
END
$partition$;
