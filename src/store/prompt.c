/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * prompt.c - the store's daily prompts (see store.h): which prompt a scope (a
 * space, or a person alone) has on a date, which prompts it has seen, skips,
 * answers (sealed before they arrive) and acknowledgements. Each statement is
 * written once over db.h for both databases. An acknowledgement's kind
 * arrives sealed too.
 *
 * A skip must never throw away a day someone answered, and an answer must
 * never land on a day a skip is replacing. SQLite runs one writer at a time;
 * PostgreSQL runs READ COMMITTED, so the two writes meet on the day's row: a
 * skip (prompt_day_replace) first updates that row, which locks it, and only
 * then counts the answers; an answer first locks the same row (a no-op update,
 * the one row lock both databases write alike). So an answer and a skip of the
 * same day run one after the other and the skip sees every answer that came
 * first; a skip racing another skip finds the row changed and answers
 * STORE_CONFLICT. Each runs in tx_run, which retries on PostgreSQL after a
 * serialization failure or deadlock.
 *
 * Layout: the statements, days, seen prompts and skips, answers and
 * acknowledgements, history, deck questions chosen for a date to come
 * (issue 15), then store_prompt_init.
 */
#include "store_internal.h"

#include <string.h>

/*
 * At most this many seen prompt ids are read for a scope. The deck holds far
 * fewer (a scope starts a fresh round once it has seen them all), so the cap
 * only bounds the memory a damaged table could ask for.
 */
enum { PROMPT_SEEN_MAX = 4096 };

#define DAY_COLUMNS "id, space_id, date, prompt_id, created_at"
#define ANSWER_SELECT                                                                                                  \
	"SELECT a.day_id, a.space_id, a.author_id, a.date, a.prompt_id, a.text, a.created_at, COALESCE(k.kind, ''),"   \
	" COALESCE(k.from_id, '') FROM prompt_answers a LEFT JOIN prompt_acks k"                                       \
	" ON k.space_id = a.space_id AND k.day_id = a.day_id AND k.answer_author = a.author_id"

DB_QUERY(Q_DAY_GET, "SELECT " DAY_COLUMNS " FROM prompt_days WHERE space_id = ?1 AND date = ?2");
DB_QUERY(Q_DAY_BY_ID, "SELECT " DAY_COLUMNS " FROM prompt_days WHERE id = ?1");
DB_QUERY(Q_DAY_INSERT, "INSERT INTO prompt_days (space_id, date, id, prompt_id, created_at)"
                       " VALUES (?1, ?2, ?3, ?4, ?5)");
/* Changes nothing; it takes the day's row lock on PostgreSQL (see the file header). */
DB_QUERY(Q_DAY_LOCK, "UPDATE prompt_days SET created_at = created_at WHERE id = ?1");
DB_QUERY(Q_DAY_REPLACE, "UPDATE prompt_days SET id = ?3, prompt_id = ?4, created_at = ?5"
                        " WHERE space_id = ?1 AND date = ?2 AND id = ?6");
DB_QUERY(Q_DAY_ANSWERED, "SELECT count(*) FROM prompt_answers WHERE space_id = ?1 AND day_id = ?2");
DB_QUERY(Q_SEEN_ADD, "INSERT INTO prompt_seen (space_id, prompt_id, date) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING");
/* In key order, the same on both databases. */
DB_QUERY(Q_SEEN_LIST, "SELECT prompt_id FROM prompt_seen WHERE space_id = ?1 ORDER BY prompt_id LIMIT ?2");
DB_QUERY(Q_SKIP_ADD, "INSERT INTO prompt_skips (space_id, date, user_id) VALUES (?1, ?2, ?3)");
DB_QUERY(Q_SKIP_GET, "SELECT 1 FROM prompt_skips WHERE space_id = ?1 AND date = ?2 AND user_id = ?3");
DB_QUERY(Q_ANSWER_INSERT, "INSERT INTO prompt_answers (space_id, day_id, author_id, date, prompt_id, text,"
                          " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
DB_QUERY(Q_ANSWERS_GET, ANSWER_SELECT " WHERE a.space_id = ?1 AND a.day_id = ?2 ORDER BY a.author_id LIMIT 2");
DB_QUERY(Q_ACK_PUT, "INSERT INTO prompt_acks (space_id, day_id, answer_author, from_id, kind, created_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (space_id, day_id, answer_author, from_id)"
                    " DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at");
/* Days the viewer answered (and, with a partner, the partner too), newest first; then their answers. */
DB_QUERY(Q_HISTORY,
         ANSWER_SELECT " WHERE a.space_id = ?1 AND a.author_id IN (?2, ?3) AND a.day_id IN ("
                       "  SELECT m.day_id FROM prompt_answers m WHERE m.space_id = ?1 AND m.author_id = ?2"
                       "   AND (?3 = '' OR EXISTS (SELECT 1 FROM prompt_answers p WHERE p.space_id = m.space_id"
                       "        AND p.day_id = m.day_id AND p.author_id = ?3))"
                       "   AND (?4 = '' OR m.date < ?4) ORDER BY m.date DESC LIMIT ?5)"
                       " ORDER BY a.date DESC, a.day_id DESC, a.author_id = ?2 DESC");
/* Issue 15: the later pick for a date replaces the earlier one. */
DB_QUERY(Q_OVERRIDE_PUT,
         "INSERT INTO prompt_overrides (space_id, date, question_id, created_at) VALUES (?1, ?2, ?3, ?4)"
         " ON CONFLICT (space_id, date) DO UPDATE SET question_id = excluded.question_id,"
         " created_at = excluded.created_at");
DB_QUERY(Q_OVERRIDE_GET, "SELECT question_id FROM prompt_overrides WHERE space_id = ?1 AND date = ?2");

/* ---- days ---- */

static void read_day(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_prompt_day *day = item;
	db_col_copy(st, 0, day->id, sizeof day->id);
	db_col_copy(st, 1, day->scope_id, sizeof day->scope_id);
	db_col_copy(st, 2, day->date, sizeof day->date);
	db_col_copy(st, 3, day->prompt_id, sizeof day->prompt_id);
	day->created_at = db_col_int(st, 4);
}

static enum store_status prompt_day_get(struct store *s, const char *scope_id, const char *date,
                                        struct store_prompt_day *day)
{
	return db_get(db_of(s), &Q_DAY_GET, NULL, read_day, day, DB_ARGS(db_text(scope_id), db_text(date)));
}

static enum store_status prompt_day_by_id(struct store *s, const char *id, struct store_prompt_day *day)
{
	return db_get(db_of(s), &Q_DAY_BY_ID, NULL, read_day, day, DB_ARGS(db_text(id)));
}

/* Notes that the day's scope has now been given the day's prompt. */
static enum store_status seen_add(struct db *d, const struct store_prompt_day *day)
{
	return db_write(d, &Q_SEEN_ADD, DB_ARGS(db_text(day->scope_id), db_text(day->prompt_id), db_text(day->date)));
}

/* tx_fn: the day row and its prompt marked seen, together. */
static enum store_status day_insert_tx(struct db *d, void *ctx)
{
	const struct store_prompt_day *day = ctx;
	enum store_status r = db_write(d, &Q_DAY_INSERT,
	                               DB_ARGS(db_text(day->scope_id), db_text(day->date), db_text(day->id),
	                                       db_text(day->prompt_id), db_int(day->created_at)));
	return r == STORE_OK ? seen_add(d, day) : r;
}

static enum store_status prompt_day_insert(struct store *s, const struct store_prompt_day *day)
{
	return tx_run(s, day_insert_tx, (void *)day);
}

struct day_replace {
	const struct store_prompt_day *old, *fresh;
	const char *skipped_by;
};

/*
 * tx_fn: a skip. The day row is updated (and so locked) before the answers
 * are counted; see the file header. Any step that finds the day taken,
 * answered or already skipped by this person ends in STORE_CONFLICT, and
 * tx_run rolls it all back.
 */
static enum store_status day_replace_tx(struct db *d, void *ctx)
{
	const struct day_replace *x = ctx;
	const struct store_prompt_day *old = x->old, *fresh = x->fresh;
	/* No row changed: the date's row is no longer old (someone skipped first). */
	enum store_status r =
	    db_change(d, &Q_DAY_REPLACE,
	              DB_ARGS(db_text(fresh->scope_id), db_text(fresh->date), db_text(fresh->id),
	                      db_text(fresh->prompt_id), db_int(fresh->created_at), db_text(old->id)));
	if (r == STORE_NOT_FOUND)
		return STORE_CONFLICT;
	int64_t answers = 0;
	if (r == STORE_OK)
		r = db_get(d, &Q_DAY_ANSWERED, NULL, db_read_int, &answers,
		           DB_ARGS(db_text(old->scope_id), db_text(old->id)));
	if (r == STORE_OK && answers > 0)
		return STORE_CONFLICT;
	if (r == STORE_OK)
		r = db_write(d, &Q_SKIP_ADD,
		             DB_ARGS(db_text(old->scope_id), db_text(old->date), db_text(x->skipped_by)));
	return r == STORE_OK ? seen_add(d, fresh) : r;
}

static enum store_status prompt_day_replace(struct store *s, const struct store_prompt_day *old,
                                            const struct store_prompt_day *fresh, const char *skipped_by)
{
	struct day_replace x = {old, fresh, skipped_by};
	return tx_run(s, day_replace_tx, &x);
}

/* ---- seen prompts and skips ---- */

static void read_prompt_id(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	db_col_copy(st, 0, item, 16);
}

static enum store_status prompt_seen(struct store *s, struct arena *a, const char *scope_id, char (**ids)[16],
                                     int *count)
{
	enum store_status r;
	*ids = db_rows(db_of(s), &Q_SEEN_LIST, a, sizeof **ids, PROMPT_SEEN_MAX, read_prompt_id, count, &r,
	               DB_ARGS(db_text(scope_id), db_int(PROMPT_SEEN_MAX)));
	return r;
}

static enum store_status prompt_skipped(struct store *s, const char *scope_id, const char *date, const char *user_id,
                                        bool *skipped)
{
	enum store_status r = db_get(db_of(s), &Q_SKIP_GET, NULL, NULL, NULL,
	                             DB_ARGS(db_text(scope_id), db_text(date), db_text(user_id)));
	*skipped = r == STORE_OK;
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

/* ---- answers and acknowledgements ---- */

/*
 * tx_fn: an answer, written holding the day's row lock so that a skip of that
 * day waits for it (see the file header). The answer is written whether or not
 * the row is still there, as a lone insert would.
 */
static enum store_status answer_insert_tx(struct db *d, void *ctx)
{
	const struct store_prompt_answer *ans = ctx;
	enum store_status r = db_write(d, &Q_DAY_LOCK, DB_ARGS(db_text(ans->day_id)));
	if (r != STORE_OK)
		return r;
	return db_write(d, &Q_ANSWER_INSERT,
	                DB_ARGS(db_text(ans->scope_id), db_text(ans->day_id), db_text(ans->author_id),
	                        db_text(ans->date), db_text(ans->prompt_id), db_text(ans->text),
	                        db_int(ans->created_at)));
}

static enum store_status prompt_answer_insert(struct store *s, const struct store_prompt_answer *ans)
{
	return tx_run(s, answer_insert_tx, (void *)ans);
}

static void read_answer(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_prompt_answer *ans = item;
	db_col_copy(st, 0, ans->day_id, sizeof ans->day_id);
	db_col_copy(st, 1, ans->scope_id, sizeof ans->scope_id);
	db_col_copy(st, 2, ans->author_id, sizeof ans->author_id);
	db_col_copy(st, 3, ans->date, sizeof ans->date);
	db_col_copy(st, 4, ans->prompt_id, sizeof ans->prompt_id);
	ans->text = db_col_text(st, 5, a);
	ans->created_at = db_col_int(st, 6);
	db_col_copy(st, 7, ans->ack_kind, sizeof ans->ack_kind);
	db_col_copy(st, 8, ans->ack_from, sizeof ans->ack_from);
}

static enum store_status prompt_answers(struct store *s, struct arena *a, const char *scope_id, const char *day_id,
                                        struct store_prompt_answer *answers, int *count)
{
	enum store_status r;
	struct store_prompt_answer *rows = db_rows(db_of(s), &Q_ANSWERS_GET, a, sizeof *rows, 2, read_answer, count, &r,
	                                           DB_ARGS(db_text(scope_id), db_text(day_id)));
	memcpy(answers, rows, sizeof *rows * (size_t)*count);
	return r;
}

static enum store_status prompt_ack_put(struct store *s, const char *scope_id, const char *day_id,
                                        const char *answer_author, const char *from_id, const char *kind, int64_t now)
{
	return db_write(db_of(s), &Q_ACK_PUT,
	                DB_ARGS(db_text(scope_id), db_text(day_id), db_text(answer_author), db_text(from_id),
	                        db_text(kind), db_int(now)));
}

/* ---- history ---- */

static enum store_status prompt_history(struct store *s, struct arena *a, const char *scope_id, const char *me_id,
                                        const char *partner_id, const char *before_date, int limit,
                                        struct store_prompt_answer **items, int *count)
{
	/* Up to two answers (the viewer's and the partner's) for each of at most limit days. */
	enum store_status r;
	*items = db_rows(db_of(s), &Q_HISTORY, a, sizeof **items, limit > 0 ? 2 * limit : 0, read_answer, count, &r,
	                 DB_ARGS(db_text(scope_id), db_text(me_id), db_text(partner_id ? partner_id : ""),
	                         db_text(before_date ? before_date : ""), db_int(limit)));
	return r;
}

/* ---- a deck question chosen for a date to come (issue 15) ---- */

static enum store_status prompt_override_put(struct store *s, const char *scope_id, const char *date,
                                             const char *question_id, int64_t now)
{
	return db_write(db_of(s), &Q_OVERRIDE_PUT,
	                DB_ARGS(db_text(scope_id), db_text(date), db_text(question_id), db_int(now)));
}

static enum store_status prompt_override_get(struct store *s, const char *scope_id, const char *date,
                                             char question_id[16])
{
	question_id[0] = '\0';
	return db_get(db_of(s), &Q_OVERRIDE_GET, NULL, read_prompt_id, question_id,
	              DB_ARGS(db_text(scope_id), db_text(date)));
}

void store_prompt_init(struct store *s)
{
	s->prompt_day_get = prompt_day_get;
	s->prompt_day_by_id = prompt_day_by_id;
	s->prompt_day_insert = prompt_day_insert;
	s->prompt_day_replace = prompt_day_replace;
	s->prompt_seen = prompt_seen;
	s->prompt_skipped = prompt_skipped;
	s->prompt_answer_insert = prompt_answer_insert;
	s->prompt_answers = prompt_answers;
	s->prompt_ack_put = prompt_ack_put;
	s->prompt_history = prompt_history;
	s->prompt_override_put = prompt_override_put;
	s->prompt_override_get = prompt_override_get;
}
