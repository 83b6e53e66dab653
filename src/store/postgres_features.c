/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres_features.c - the PostgreSQL backend for repairs, their sides, the
 * daily prompts and safety checks (see store.h): the same behaviour as
 * sqlite_repairs.c and sqlite_prompts.c. Texts arrive sealed; this file only
 * stores them. The tables are created by migration 3 in postgres.c, which
 * also moves these rows when someone leaves a space.
 *
 * SQLite runs one writer at a time; here transactions run at READ COMMITTED,
 * so the decisions that depend on other rows take row locks instead. A skip
 * (prompt_day_replace) first updates the day row, which locks it, and only
 * then counts the answers; an answer first takes a share lock on its day
 * row. So an answer and a skip of the same day run one after the other and
 * the skip sees every answer that came first; a skip racing another skip
 * finds the row changed and answers STORE_CONFLICT.
 *
 * Layout: the statements, then repairs and their sides, safety checks, and
 * prompts, in the order of store.h.
 */
#include <string.h>

#include "postgres_internal.h"

enum {
	REPAIR_INSERT = PG_FEATURE_BASE,
	REPAIR_GET,
	REPAIR_LIST,
	SIDES_GET,
	SIDE_UPSERT,
	SIDE_SUBMIT,
	SIDE_ACK,
	SIDE_STATE,
	SAFETY_INSERT,
	DAY_GET,
	DAY_BY_ID,
	DAY_INSERT,
	DAY_LOCK_SHARED,
	SEEN_ADD,
	SEEN_LIST,
	SKIP_ADD,
	SKIP_GET,
	DAY_ANSWERED,
	DAY_REPLACE,
	ANSWER_INSERT,
	ANSWERS_GET,
	ACK_PUT,
	HISTORY,
	FEATURE_END
};

_Static_assert(FEATURE_END <= PG_GROWTH_BASE, "feature statements overlap the growth slots");

#define REPAIR_COLUMNS "space_id, id, created_by, title, coalesce(occurred_on, ''), created_at, solo"
#define SIDE_COLUMNS                                                                                              \
	"space_id, repair_id, author_id, feelings, perspective, touched, my_part, next_time, updated_at,"       \
	" coalesce(submitted_at, 0), coalesce(acknowledged_at, 0), ack_note"
#define DAY_COLUMNS "id, space_id, date, prompt_id, created_at"
#define ANSWER_SELECT                                                                                             \
	"SELECT a.day_id, a.space_id, a.author_id, a.date, a.prompt_id, a.text, a.created_at, coalesce(k.kind, '')" \
	" FROM prompt_answers a LEFT JOIN prompt_acks k ON k.space_id = a.space_id AND k.day_id = a.day_id"     \
	" AND k.answer_author = a.author_id"

#define AT(slot) [(slot) - PG_FEATURE_BASE]

/* Numbers travel as text; the casts give every parameter its type. */
static const char *const statements[FEATURE_END - PG_FEATURE_BASE] = {
	AT(REPAIR_INSERT) = "INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
	                    " VALUES ($1, $2, $3, $4, nullif($5, ''), $6::bigint, $7::smallint)",
	/* The viewer's own scope first: after leaving, their private copy is the one they mean. */
	AT(REPAIR_GET) = "SELECT " REPAIR_COLUMNS " FROM repairs WHERE id = $1 AND space_id IN ($2, $3)"
	                 " ORDER BY space_id = $3 DESC LIMIT 1",
	AT(REPAIR_LIST) = "SELECT " REPAIR_COLUMNS " FROM repairs"
	                  " WHERE ((space_id = $1 AND (solo = 0 OR created_by = $2)) OR space_id = $2)"
	                  "   AND ($3::bigint = 0 OR created_at < $3::bigint OR (created_at = $3::bigint AND id < $4))"
	                  " ORDER BY created_at DESC, id DESC LIMIT $5::integer",
	AT(SIDES_GET) = "SELECT " SIDE_COLUMNS " FROM repair_sides WHERE space_id = $1 AND repair_id = $2"
	                " ORDER BY author_id LIMIT 2",
	AT(SIDE_UPSERT) =
		"INSERT INTO repair_sides (space_id, repair_id, author_id, feelings, perspective, touched, my_part,"
		" next_time, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint)"
		" ON CONFLICT (space_id, repair_id, author_id) DO UPDATE SET feelings = excluded.feelings,"
		" perspective = excluded.perspective, touched = excluded.touched, my_part = excluded.my_part,"
		" next_time = excluded.next_time, updated_at = excluded.updated_at"
		" WHERE repair_sides.submitted_at IS NULL",
	AT(SIDE_SUBMIT) = "UPDATE repair_sides SET submitted_at = $4::bigint WHERE space_id = $1 AND repair_id = $2"
	                  " AND author_id = $3 AND submitted_at IS NULL",
	AT(SIDE_ACK) = "UPDATE repair_sides SET acknowledged_at = $4::bigint, ack_note = $5 WHERE space_id = $1"
	               " AND repair_id = $2 AND author_id = $3 AND acknowledged_at IS NULL",
	AT(SIDE_STATE) = "SELECT coalesce(submitted_at, 0), coalesce(acknowledged_at, 0) FROM repair_sides"
	                 " WHERE space_id = $1 AND repair_id = $2 AND author_id = $3",
	AT(SAFETY_INSERT) = "INSERT INTO safety_checks (space_id, id, user_id, afraid, pressured,"
	                    " share_with_therapist, created_at)"
	                    " VALUES ($1, $2, $3, $4::smallint, $5::smallint, $6::smallint, $7::bigint)",
	AT(DAY_GET) = "SELECT " DAY_COLUMNS " FROM prompt_days WHERE space_id = $1 AND date = $2",
	AT(DAY_BY_ID) = "SELECT " DAY_COLUMNS " FROM prompt_days WHERE id = $1",
	AT(DAY_INSERT) = "INSERT INTO prompt_days (space_id, date, id, prompt_id, created_at)"
	                 " VALUES ($1, $2, $3, $4, $5::bigint)",
	/* Held while an answer is written, so a skip of that day waits for it (see the file header). */
	AT(DAY_LOCK_SHARED) = "SELECT 1 FROM prompt_days WHERE id = $1 FOR SHARE",
	AT(SEEN_ADD) = "INSERT INTO prompt_seen (space_id, prompt_id, date) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
	/* In key order, as SQLite returns them. */
	AT(SEEN_LIST) = "SELECT prompt_id FROM prompt_seen WHERE space_id = $1 ORDER BY prompt_id",
	AT(SKIP_ADD) = "INSERT INTO prompt_skips (space_id, date, user_id) VALUES ($1, $2, $3)",
	AT(SKIP_GET) = "SELECT 1 FROM prompt_skips WHERE space_id = $1 AND date = $2 AND user_id = $3",
	AT(DAY_ANSWERED) = "SELECT count(*) FROM prompt_answers WHERE space_id = $1 AND day_id = $2",
	AT(DAY_REPLACE) = "UPDATE prompt_days SET id = $3, prompt_id = $4, created_at = $5::bigint"
	                  " WHERE space_id = $1 AND date = $2 AND id = $6",
	AT(ANSWER_INSERT) = "INSERT INTO prompt_answers (space_id, day_id, author_id, date, prompt_id, text,"
	                    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7::bigint)",
	AT(ANSWERS_GET) = ANSWER_SELECT " WHERE a.space_id = $1 AND a.day_id = $2 ORDER BY a.author_id LIMIT 2",
	AT(ACK_PUT) = "INSERT INTO prompt_acks (space_id, day_id, answer_author, from_id, kind, created_at)"
	              " VALUES ($1, $2, $3, $4, $5, $6::bigint) ON CONFLICT (space_id, day_id, answer_author, from_id)"
	              " DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at",
	/* Days the viewer answered (and, with a partner, the partner too), newest first; then their answers. */
	AT(HISTORY) =
		ANSWER_SELECT " WHERE a.space_id = $1 AND a.author_id IN ($2::text, $3::text) AND a.day_id IN ("
		"  SELECT m.day_id FROM prompt_answers m WHERE m.space_id = $1 AND m.author_id = $2"
		"   AND ($3::text = '' OR EXISTS (SELECT 1 FROM prompt_answers p WHERE p.space_id = m.space_id"
		"        AND p.day_id = m.day_id AND p.author_id = $3))"
		"   AND ($4::text = '' OR m.date < $4::text) ORDER BY m.date DESC LIMIT $5::integer)"
		" ORDER BY a.date DESC, a.day_id DESC, a.author_id = $2 DESC",
};

/* Runs one of this file's statements (see pg_exec). */
static enum store_status run(struct conn *c, int slot, const struct pg_params *p, PGresult **out, const char *what)
{
	return pg_exec(c, slot, statements[slot - PG_FEATURE_BASE], p, out, what);
}

/* Runs a statement expected to give one row: STORE_OK with *out set, STORE_NOT_FOUND, or a failure. */
static enum store_status run_row(struct conn *c, int slot, const struct pg_params *p, PGresult **out,
                                 const char *what)
{
	enum store_status r = run(c, slot, p, out, what);
	if (r == STORE_OK && PQntuples(*out) == 0) {
		PQclear(*out);
		*out = NULL;
		r = STORE_NOT_FOUND;
	}
	return r;
}

/* Runs a statement that changes rows; *changed is how many it changed. */
static enum store_status run_change(struct conn *c, int slot, const struct pg_params *p, long *changed,
                                    const char *what)
{
	PGresult *res = NULL;
	enum store_status r = run(c, slot, p, &res, what);
	*changed = r == STORE_OK ? pg_changed_rows(res) : 0;
	PQclear(res);
	return r;
}

/* SQLite's LIMIT takes a negative number as "no limit", and the callers then keep nothing: here 0. */
static int limit_rows(int limit)
{
	return limit > 0 ? limit : 0;
}

#define CONN_OR_BUSY(s)                \
	struct conn *c = pg_conn(s);   \
	if (!c)                        \
		return STORE_BUSY

/* ---- repairs ---- */

static void read_repair(PGresult *res, int row, struct arena *a, struct store_repair *r)
{
	memset(r, 0, sizeof *r);
	pg_copy_col(res, row, 0, r->space_id, sizeof r->space_id);
	pg_copy_col(res, row, 1, r->id, sizeof r->id);
	pg_copy_col(res, row, 2, r->created_by, sizeof r->created_by);
	r->title = pg_col_text(res, row, 3, a);
	pg_copy_col(res, row, 4, r->occurred_on, sizeof r->occurred_on);
	r->created_at = pg_col_int(res, row, 5);
	r->solo = pg_col_int(res, row, 6) != 0;
}

static enum store_status pg_repair_insert(struct store *s, const struct store_repair *r)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, r->space_id);
	pg_param_text(&p, r->id);
	pg_param_text(&p, r->created_by);
	pg_param_text(&p, r->title);
	pg_param_text(&p, r->occurred_on);
	pg_param_int(&p, r->created_at);
	pg_param_int(&p, r->solo);
	return run(c, REPAIR_INSERT, &p, NULL, "repair_insert");
}

static enum store_status pg_repair_get(struct store *s, struct arena *a, const char *id, const char *space_id,
                                       const char *user_id, struct store_repair *r)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, id);
	pg_param_text(&p, space_id && *space_id ? space_id : user_id);
	pg_param_text(&p, user_id);
	PGresult *res = NULL;
	enum store_status st = run_row(c, REPAIR_GET, &p, &res, "repair_get");
	if (st == STORE_OK)
		read_repair(res, 0, a, r);
	PQclear(res);
	return st;
}

static enum store_status pg_repair_list(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                                        int64_t before_time, const char *before_id, int limit,
                                        struct store_repair **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id && *space_id ? space_id : user_id);
	pg_param_text(&p, user_id);
	pg_param_int(&p, before_time);
	pg_param_text(&p, before_id ? before_id : "");
	pg_param_int(&p, limit_rows(limit));
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, REPAIR_LIST, &p, &res, "repair_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < limit; i++)
			read_repair(res, i, a, &(*items)[(*count)++]);
	}
	PQclear(res);
	return r;
}

static void read_side(PGresult *res, int row, struct arena *a, struct store_repair_side *side)
{
	memset(side, 0, sizeof *side);
	pg_copy_col(res, row, 0, side->space_id, sizeof side->space_id);
	pg_copy_col(res, row, 1, side->repair_id, sizeof side->repair_id);
	pg_copy_col(res, row, 2, side->author_id, sizeof side->author_id);
	side->feelings = pg_col_text(res, row, 3, a);
	side->perspective = pg_col_text(res, row, 4, a);
	side->touched = pg_col_text(res, row, 5, a);
	side->my_part = pg_col_text(res, row, 6, a);
	side->next_time = pg_col_text(res, row, 7, a);
	side->updated_at = pg_col_int(res, row, 8);
	side->submitted_at = pg_col_int(res, row, 9);
	side->acknowledged_at = pg_col_int(res, row, 10);
	side->ack_note = pg_col_text(res, row, 11, a);
}

static enum store_status pg_repair_sides(struct store *s, struct arena *a, const char *space_id,
                                         const char *repair_id, struct store_repair_side *sides, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, repair_id);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, SIDES_GET, &p, &res, "repair_sides");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < 2; i++)
			read_side(res, i, a, &sides[(*count)++]);
	}
	PQclear(res);
	return r;
}

/* After an update that changed nothing: STORE_CONFLICT when the side exists, else STORE_NOT_FOUND. */
static enum store_status side_missing_or_done(struct conn *c, const char *space_id, const char *repair_id,
                                              const char *author_id)
{
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, repair_id);
	pg_param_text(&p, author_id);
	PGresult *res = NULL;
	enum store_status r = run_row(c, SIDE_STATE, &p, &res, "side_state");
	PQclear(res);
	return r == STORE_OK ? STORE_CONFLICT : r;
}

static enum store_status pg_repair_side_put(struct store *s, const struct store_repair_side *side)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, side->space_id);
	pg_param_text(&p, side->repair_id);
	pg_param_text(&p, side->author_id);
	pg_param_text(&p, side->feelings);
	pg_param_text(&p, side->perspective);
	pg_param_text(&p, side->touched);
	pg_param_text(&p, side->my_part);
	pg_param_text(&p, side->next_time);
	pg_param_int(&p, side->updated_at);
	long changed = 0;
	enum store_status r = run_change(c, SIDE_UPSERT, &p, &changed, "repair_side_put");
	/* The upsert's WHERE leaves a submitted side alone: no row changed. */
	return r == STORE_OK && changed == 0 ? STORE_CONFLICT : r;
}

static enum store_status pg_repair_side_submit(struct store *s, const char *space_id, const char *repair_id,
                                               const char *author_id, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, repair_id);
	pg_param_text(&p, author_id);
	pg_param_int(&p, now);
	long changed = 0;
	enum store_status r = run_change(c, SIDE_SUBMIT, &p, &changed, "repair_side_submit");
	if (r != STORE_OK || changed > 0)
		return r;
	return side_missing_or_done(c, space_id, repair_id, author_id);
}

static enum store_status pg_repair_side_acknowledge(struct store *s, const char *space_id, const char *repair_id,
                                                    const char *author_id, const char *note, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, repair_id);
	pg_param_text(&p, author_id);
	pg_param_int(&p, now);
	pg_param_text(&p, note);
	long changed = 0;
	enum store_status r = run_change(c, SIDE_ACK, &p, &changed, "repair_side_acknowledge");
	if (r != STORE_OK || changed > 0)
		return r;
	return side_missing_or_done(c, space_id, repair_id, author_id);
}

/* ---- safety checks ---- */

static enum store_status pg_safety_insert(struct store *s, const struct store_safety_check *k)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, k->scope_id);
	pg_param_text(&p, k->id);
	pg_param_text(&p, k->user_id);
	pg_param_int(&p, k->afraid);
	pg_param_int(&p, k->pressured);
	pg_param_int(&p, k->share_with_therapist);
	pg_param_int(&p, k->created_at);
	return run(c, SAFETY_INSERT, &p, NULL, "safety_insert");
}

/* ---- prompts ---- */

static void read_day(PGresult *res, struct store_prompt_day *d)
{
	memset(d, 0, sizeof *d);
	pg_copy_col(res, 0, 0, d->id, sizeof d->id);
	pg_copy_col(res, 0, 1, d->scope_id, sizeof d->scope_id);
	pg_copy_col(res, 0, 2, d->date, sizeof d->date);
	pg_copy_col(res, 0, 3, d->prompt_id, sizeof d->prompt_id);
	d->created_at = pg_col_int(res, 0, 4);
}

/* One day row by one or two text keys (a2 may be NULL). */
static enum store_status day_query(struct store *s, int slot, const char *a1, const char *a2,
                                   struct store_prompt_day *d)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, a1);
	if (a2)
		pg_param_text(&p, a2);
	PGresult *res = NULL;
	enum store_status r = run_row(c, slot, &p, &res, "prompt_day");
	if (r == STORE_OK)
		read_day(res, d);
	PQclear(res);
	return r;
}

static enum store_status pg_prompt_day_get(struct store *s, const char *scope_id, const char *date,
                                           struct store_prompt_day *d)
{
	return day_query(s, DAY_GET, scope_id, date, d);
}

static enum store_status pg_prompt_day_by_id(struct store *s, const char *id, struct store_prompt_day *d)
{
	return day_query(s, DAY_BY_ID, id, NULL, d);
}

static enum store_status seen_add(struct conn *c, const struct store_prompt_day *d)
{
	struct pg_params p = {0};
	pg_param_text(&p, d->scope_id);
	pg_param_text(&p, d->prompt_id);
	pg_param_text(&p, d->date);
	return run(c, SEEN_ADD, &p, NULL, "prompt_seen_add");
}

static enum store_status day_insert_once(struct conn *c, const struct store_prompt_day *d)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params p = {0};
	pg_param_text(&p, d->scope_id);
	pg_param_text(&p, d->date);
	pg_param_text(&p, d->id);
	pg_param_text(&p, d->prompt_id);
	pg_param_int(&p, d->created_at);
	r = run(c, DAY_INSERT, &p, NULL, "prompt_day_insert");
	if (r == STORE_OK)
		r = seen_add(c, d);
	return pg_tx_end(c, r);
}

static enum store_status pg_prompt_day_insert(struct store *s, const struct store_prompt_day *d)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = day_insert_once(c, d);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

/*
 * One attempt at a skip. The day row is updated (and so locked) first; see
 * the file header for why. Any step that finds the day taken, answered or
 * already skipped by this person ends in STORE_CONFLICT and a rollback.
 */
static enum store_status day_replace_once(struct conn *c, const struct store_prompt_day *old,
                                          const struct store_prompt_day *fresh, const char *skipped_by)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params u = {0};
	pg_param_text(&u, fresh->scope_id);
	pg_param_text(&u, fresh->date);
	pg_param_text(&u, fresh->id);
	pg_param_text(&u, fresh->prompt_id);
	pg_param_int(&u, fresh->created_at);
	pg_param_text(&u, old->id);
	long changed = 0;
	r = run_change(c, DAY_REPLACE, &u, &changed, "prompt_day_replace");
	if (r == STORE_OK && changed == 0)
		r = STORE_CONFLICT; /* someone else skipped first */
	if (r == STORE_OK) {
		struct pg_params q = {0};
		pg_param_text(&q, old->scope_id);
		pg_param_text(&q, old->id);
		PGresult *res = NULL;
		r = run_row(c, DAY_ANSWERED, &q, &res, "prompt_day_answered");
		if (r == STORE_OK && pg_col_int(res, 0, 0) > 0)
			r = STORE_CONFLICT;
		PQclear(res);
	}
	if (r == STORE_OK) {
		struct pg_params k = {0};
		pg_param_text(&k, old->scope_id);
		pg_param_text(&k, old->date);
		pg_param_text(&k, skipped_by);
		r = run(c, SKIP_ADD, &k, NULL, "prompt_skip_add");
	}
	if (r == STORE_OK)
		r = seen_add(c, fresh);
	return pg_tx_end(c, r);
}

static enum store_status pg_prompt_day_replace(struct store *s, const struct store_prompt_day *old,
                                               const struct store_prompt_day *fresh, const char *skipped_by)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = day_replace_once(c, old, fresh, skipped_by);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_prompt_seen(struct store *s, struct arena *a, const char *scope_id, char (**ids)[16],
                                        int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	PGresult *res = NULL;
	enum store_status r = run(c, SEEN_LIST, &p, &res, "prompt_seen");
	int n = r == STORE_OK ? PQntuples(res) : 0;
	*count = 0;
	*ids = arena_alloc(a, sizeof **ids * (size_t)(n > 0 ? n : 1));
	for (int i = 0; i < n; i++)
		pg_copy_col(res, i, 0, (*ids)[(*count)++], sizeof **ids);
	PQclear(res);
	return r;
}

static enum store_status pg_prompt_skipped(struct store *s, const char *scope_id, const char *date,
                                           const char *user_id, bool *skipped)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, date);
	pg_param_text(&p, user_id);
	PGresult *res = NULL;
	enum store_status r = run_row(c, SKIP_GET, &p, &res, "prompt_skipped");
	PQclear(res);
	*skipped = r == STORE_OK;
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

/* Writes the answer holding a share lock on its day row, whether or not the row is still there (as SQLite). */
static enum store_status answer_insert_once(struct conn *c, const struct store_prompt_answer *a)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params l = {0};
	pg_param_text(&l, a->day_id);
	r = run(c, DAY_LOCK_SHARED, &l, NULL, "prompt_day_lock");
	if (r == STORE_OK) {
		struct pg_params p = {0};
		pg_param_text(&p, a->scope_id);
		pg_param_text(&p, a->day_id);
		pg_param_text(&p, a->author_id);
		pg_param_text(&p, a->date);
		pg_param_text(&p, a->prompt_id);
		pg_param_text(&p, a->text);
		pg_param_int(&p, a->created_at);
		r = run(c, ANSWER_INSERT, &p, NULL, "prompt_answer_insert");
	}
	return pg_tx_end(c, r);
}

static enum store_status pg_prompt_answer_insert(struct store *s, const struct store_prompt_answer *a)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = answer_insert_once(c, a);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static void read_answer(PGresult *res, int row, struct arena *ar, struct store_prompt_answer *a)
{
	memset(a, 0, sizeof *a);
	pg_copy_col(res, row, 0, a->day_id, sizeof a->day_id);
	pg_copy_col(res, row, 1, a->scope_id, sizeof a->scope_id);
	pg_copy_col(res, row, 2, a->author_id, sizeof a->author_id);
	pg_copy_col(res, row, 3, a->date, sizeof a->date);
	pg_copy_col(res, row, 4, a->prompt_id, sizeof a->prompt_id);
	a->text = pg_col_text(res, row, 5, ar);
	a->created_at = pg_col_int(res, row, 6);
	pg_copy_col(res, row, 7, a->ack_kind, sizeof a->ack_kind);
}

static enum store_status pg_prompt_answers(struct store *s, struct arena *ar, const char *scope_id,
                                           const char *day_id, struct store_prompt_answer *answers, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, day_id);
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, ANSWERS_GET, &p, &res, "prompt_answers");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < 2; i++)
			read_answer(res, i, ar, &answers[(*count)++]);
	}
	PQclear(res);
	return r;
}

static enum store_status pg_prompt_ack_put(struct store *s, const char *scope_id, const char *day_id,
                                           const char *answer_author, const char *from_id, const char *kind,
                                           int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, day_id);
	pg_param_text(&p, answer_author);
	pg_param_text(&p, from_id);
	pg_param_text(&p, kind);
	pg_param_int(&p, now);
	return run(c, ACK_PUT, &p, NULL, "prompt_ack_put");
}

static enum store_status pg_prompt_history(struct store *s, struct arena *ar, const char *scope_id,
                                           const char *me_id, const char *partner_id, const char *before_date,
                                           int limit, struct store_prompt_answer **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, scope_id);
	pg_param_text(&p, me_id);
	pg_param_text(&p, partner_id ? partner_id : "");
	pg_param_text(&p, before_date ? before_date : "");
	pg_param_int(&p, limit_rows(limit));
	*items = arena_alloc(ar, sizeof **items * (size_t)(2 * (limit > 0 ? limit : 1)));
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = run(c, HISTORY, &p, &res, "prompt_history");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < 2 * limit; i++)
			read_answer(res, i, ar, &(*items)[(*count)++]);
	}
	PQclear(res);
	return r;
}

void pg_features_init(struct store *s)
{
	s->repair_insert = pg_repair_insert;
	s->repair_get = pg_repair_get;
	s->repair_list = pg_repair_list;
	s->repair_sides = pg_repair_sides;
	s->repair_side_put = pg_repair_side_put;
	s->repair_side_submit = pg_repair_side_submit;
	s->repair_side_acknowledge = pg_repair_side_acknowledge;
	s->safety_insert = pg_safety_insert;
	s->prompt_day_get = pg_prompt_day_get;
	s->prompt_day_by_id = pg_prompt_day_by_id;
	s->prompt_day_insert = pg_prompt_day_insert;
	s->prompt_day_replace = pg_prompt_day_replace;
	s->prompt_seen = pg_prompt_seen;
	s->prompt_skipped = pg_prompt_skipped;
	s->prompt_answer_insert = pg_prompt_answer_insert;
	s->prompt_answers = pg_prompt_answers;
	s->prompt_ack_put = pg_prompt_ack_put;
	s->prompt_history = pg_prompt_history;
}
