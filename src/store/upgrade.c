/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * upgrade.c - what the data steps of upgrades need from the store (see
 * store.h): the steps a migration recorded as pending (table upgrade_steps),
 * the values of a sealed column that are still in clear, sealing one of them
 * in its row, and rewriting the database afterwards. The sealing itself is
 * the domain's (domain/upgrade.c), which owns the key file.
 *
 * Every column that holds sealed values has two statements here: one reads
 * values that do not have the form of a sealed text ("v1:", a 32-character
 * key id, ":"; an empty text stands for one erased, and is left), in key
 * order after a cursor (the last row of the batch before), so a pass over a
 * table walks its primary key once; the other replaces one of them by its sealed form in its row,
 * only while it still holds the value read. So two servers sealing at once,
 * or a server that already serves new writes while another is still
 * sealing, never overwrite a newer value: the later update finds nothing.
 *
 * A value is found by its row's key: the scope (space_id, or the user's id
 * for users) as ?2, then the key columns listed for its column as ?3 ...
 * (none for users, whose id is their scope), and the value read as the last
 * parameter. A select names them in that order: the scope, up to three key
 * columns ('' for those a table does not have), then the value; it takes the
 * limit as ?1 and the cursor's key as ?2 ....
 */
#include "store_internal.h"

#include <assert.h>

/* What a sealed text starts with: "v1:", the data key's 32-character id, ":". */
#define SEALED_LIKE "'v1:________________________________:%'"
/* Values in clear of a column after the cursor (?2 ..., the row's key), in key order: an index range, never a scan. */
#define IN_CLEAR(column, key, after)                                                                                   \
	" WHERE (" key ") > (" after ") AND " column " IS NOT NULL AND " column " <> '' AND " column                   \
	" NOT LIKE " SEALED_LIKE " ORDER BY " key " LIMIT ?1"

struct clear_column {
	struct db_query select, seal;
	int keys; /* key columns after the scope */
};

/* The tables keyed by (space_id, id), walked in that order. */
#define ROW_SEAL(table, column)                                                                                        \
	{                                                                                                              \
		"seal_" table "_" column,                                                                              \
		    "UPDATE " table " SET " column " = ?1 WHERE space_id = ?2 AND id = ?3 AND " column " = ?4"         \
	}
#define ROW_COLUMN(table, column)                                                                                      \
	{                                                                                                              \
		.select = {"clear_" table "_" column, "SELECT space_id, id, '', '', " column                           \
		                                      " FROM " table IN_CLEAR(column, "space_id, id", "?2, ?3")},      \
		.seal = ROW_SEAL(table, column), .keys = 1                                                             \
	}

/*
 * The check-ins are walked by id alone (checkins_id): since SQLite's migration 33 no index orders
 * them by (space_id, id), and an id is unique on its own. The cursor's scope (?2) goes unused.
 */
#define CHECKIN_COLUMN(column)                                                                                         \
	{                                                                                                              \
		.select = {"clear_checkins_" column,                                                                   \
		           "SELECT space_id, id, '', '', " column " FROM checkins" IN_CLEAR(column, "id", "?3")},      \
		.seal = ROW_SEAL("checkins", column), .keys = 1                                                        \
	}

static const struct clear_column columns[CLEAR_COLUMNS] = {
    [CLEAR_CHECKIN_SCALES] = CHECKIN_COLUMN("scales"),
    [CLEAR_CHECKIN_APPRECIATION] = CHECKIN_COLUMN("appreciation"),
    [CLEAR_CHECKIN_NEED] = CHECKIN_COLUMN("need"),
    [CLEAR_CHECKIN_WORRY] = CHECKIN_COLUMN("worry"),
    [CLEAR_SAFETY_AFRAID] = ROW_COLUMN("safety_checks", "afraid"),
    [CLEAR_SAFETY_PRESSURED] = ROW_COLUMN("safety_checks", "pressured"),
    [CLEAR_QRESPONSE_SCORE] = ROW_COLUMN("questionnaire_responses", "score"),
    [CLEAR_QRESPONSE_SUBSCALES] = ROW_COLUMN("questionnaire_responses", "subscales"),
    [CLEAR_ACCESS_WHO_NAME] = ROW_COLUMN("access_log", "who_name"),
    /* Keyed by (space_id, agreement_id, id). */
    [CLEAR_REVIEW_OUTCOME] =
        {.select = {"clear_review_outcome",
                    "SELECT space_id, agreement_id, id, '', outcome FROM agreement_reviews" IN_CLEAR(
                        "outcome", "space_id, agreement_id, id", "?2, ?3, ?4")},
         .seal = {"seal_review_outcome", "UPDATE agreement_reviews SET outcome = ?1 WHERE space_id = ?2"
                                         " AND agreement_id = ?3 AND id = ?4 AND outcome = ?5"},
         .keys = 2},
    /* Keyed by (space_id, day_id, answer_author, from_id). */
    [CLEAR_ACK_KIND] = {.select = {"clear_ack_kind",
                                   "SELECT space_id, day_id, answer_author, from_id, kind FROM prompt_acks" IN_CLEAR(
                                       "kind", "space_id, day_id, answer_author, from_id", "?2, ?3, ?4, ?5")},
                        .seal = {"seal_ack_kind", "UPDATE prompt_acks SET kind = ?1 WHERE space_id = ?2 AND day_id = ?3"
                                                  " AND answer_author = ?4 AND from_id = ?5 AND kind = ?6"},
                        .keys = 3},
    /* A person's name is sealed under their own data key: the scope is their id, the only key. */
    [CLEAR_USER_DISPLAY_NAME] = {.select = {"clear_user_display_name",
                                            "SELECT id, id, '', '', display_name FROM users"
                                            " WHERE id > ?2 AND display_name IS NOT NULL"
                                            " AND display_name <> '' AND display_name"
                                            " NOT LIKE " SEALED_LIKE " ORDER BY id LIMIT ?1"},
                                 .seal = {"seal_user_display_name",
                                          "UPDATE users SET display_name = ?1 WHERE id = ?2 AND display_name = ?3"},
                                 .keys = 0},
};

DB_QUERY(Q_UPGRADE_PENDING, "SELECT 1 FROM upgrade_steps WHERE step = ?1");
DB_QUERY(Q_UPGRADE_DONE, "DELETE FROM upgrade_steps WHERE step = ?1");

static enum store_status upgrade_pending(struct store *s, const char *step, bool *pending)
{
	enum store_status r = db_get(db_of(s), &Q_UPGRADE_PENDING, NULL, NULL, NULL, DB_ARGS(db_text(step)));
	*pending = r == STORE_OK;
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status upgrade_done(struct store *s, const char *step)
{
	return db_write(db_of(s), &Q_UPGRADE_DONE, DB_ARGS(db_text(step)));
}

static void read_clear(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_clear_value *v = item;
	db_col_copy(st, 0, v->scope_id, sizeof v->scope_id);
	for (int i = 0; i < 3; i++)
		db_col_copy(st, 1 + i, v->key[i], sizeof v->key[i]);
	v->value = db_col_text(st, 4, a);
}

static enum store_status clear_values(struct store *s, struct arena *a, enum store_clear_column column,
                                      const struct store_clear_value *after, int limit,
                                      struct store_clear_value **items, int *count)
{
	assert((unsigned)column < CLEAR_COLUMNS && limit > 0);
	const struct clear_column *c = &columns[column];
	/* From the start: every key is longer than "". */
	const struct store_clear_value first = {.scope_id = ""};
	const struct store_clear_value *k = after ? after : &first;
	enum store_status r;
	switch (c->keys) {
	case 0:
		*items = db_rows(db_of(s), &c->select, a, sizeof **items, limit, read_clear, count, &r,
		                 DB_ARGS(db_int(limit), db_text(k->scope_id)));
		break;
	case 1:
		*items = db_rows(db_of(s), &c->select, a, sizeof **items, limit, read_clear, count, &r,
		                 DB_ARGS(db_int(limit), db_text(k->scope_id), db_text(k->key[0])));
		break;
	case 2:
		*items = db_rows(db_of(s), &c->select, a, sizeof **items, limit, read_clear, count, &r,
		                 DB_ARGS(db_int(limit), db_text(k->scope_id), db_text(k->key[0]), db_text(k->key[1])));
		break;
	default:
		*items = db_rows(db_of(s), &c->select, a, sizeof **items, limit, read_clear, count, &r,
		                 DB_ARGS(db_int(limit), db_text(k->scope_id), db_text(k->key[0]), db_text(k->key[1]),
		                         db_text(k->key[2])));
	}
	return r;
}

static enum store_status clear_value_seal(struct store *s, enum store_clear_column column,
                                          const struct store_clear_value *v, const char *sealed)
{
	assert((unsigned)column < CLEAR_COLUMNS && v->value && sealed);
	const struct clear_column *c = &columns[column];
	switch (c->keys) {
	case 0:
		return db_change(db_of(s), &c->seal, DB_ARGS(db_text(sealed), db_text(v->scope_id), db_text(v->value)));
	case 1:
		return db_change(db_of(s), &c->seal,
		                 DB_ARGS(db_text(sealed), db_text(v->scope_id), db_text(v->key[0]), db_text(v->value)));
	case 2:
		return db_change(db_of(s), &c->seal,
		                 DB_ARGS(db_text(sealed), db_text(v->scope_id), db_text(v->key[0]), db_text(v->key[1]),
		                         db_text(v->value)));
	default:
		return db_change(db_of(s), &c->seal,
		                 DB_ARGS(db_text(sealed), db_text(v->scope_id), db_text(v->key[0]), db_text(v->key[1]),
		                         db_text(v->key[2]), db_text(v->value)));
	}
}

/*
 * SQLite: VACUUM writes every live row into fresh pages, so no free page
 * keeps an old value, and a truncating checkpoint empties the log that held
 * the pages before. PostgreSQL: VACUUM FULL rewrites the tables whose values
 * were sealed in place, so no dead row version keeps the value in clear.
 * Neither may run inside a transaction: it is called outside one.
 */
static enum store_status compact(struct store *s)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	if (d->depth > 0)
		return STORE_ERROR;
	if (db_kind(d) == DB_SQLITE) {
		enum store_status r = d->drv->exec_sql(d, "VACUUM", "compact");
		return r == STORE_OK ? d->drv->exec_sql(d, "PRAGMA wal_checkpoint(TRUNCATE)", "compact") : r;
	}
	return d->drv->exec_sql(d,
	                        "VACUUM FULL checkins, safety_checks, questionnaire_responses, agreement_reviews,"
	                        " prompt_acks, users, access_log",
	                        "compact");
}

void store_upgrade_init(struct store *s)
{
	s->upgrade_pending = upgrade_pending;
	s->upgrade_done = upgrade_done;
	s->clear_values = clear_values;
	s->clear_value_seal = clear_value_seal;
	s->compact = compact;
}
