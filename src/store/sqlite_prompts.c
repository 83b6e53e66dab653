/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_prompts.c - the SQLite backend for the daily prompts: which prompt a
 * space has on a date, which prompts it has seen, skips, answers (sealed
 * before they arrive) and acknowledgements (see store.h).
 */
#include <string.h>

#include "sqlite_internal.h"

enum {
	DAY_GET = SQ_PROMPTS_BASE,
	DAY_BY_ID,
	DAY_INSERT,
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
};

static void read_day(sqlite3_stmt *st, struct store_prompt_day *d)
{
	memset(d, 0, sizeof *d);
	sq_copy_col(st, 0, d->id, sizeof d->id);
	sq_copy_col(st, 1, d->scope_id, sizeof d->scope_id);
	sq_copy_col(st, 2, d->date, sizeof d->date);
	sq_copy_col(st, 3, d->prompt_id, sizeof d->prompt_id);
	d->created_at = sqlite3_column_int64(st, 4);
}

static enum store_status day_query(struct store *s, int slot, const char *sql, const char *a1, const char *a2,
                                   struct store_prompt_day *d)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, slot, sql);
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, a1);
	if (a2)
		sq_bind_text(st, 2, a2);
	enum store_status r = sq_row(c, st, "prompt_day");
	if (r == STORE_OK) {
		read_day(st, d);
		sqlite3_reset(st);
	}
	return r;
}

static enum store_status sq_prompt_day_get(struct store *s, const char *scope_id, const char *date,
                                           struct store_prompt_day *d)
{
	return day_query(s, DAY_GET,
	                 "SELECT id, space_id, date, prompt_id, created_at FROM prompt_days"
	                 " WHERE space_id = ?1 AND date = ?2",
	                 scope_id, date, d);
}

static enum store_status sq_prompt_day_by_id(struct store *s, const char *id, struct store_prompt_day *d)
{
	return day_query(s, DAY_BY_ID, "SELECT id, space_id, date, prompt_id, created_at FROM prompt_days WHERE id = ?1",
	                 id, NULL, d);
}

static enum store_status seen_add(struct conn *c, const char *scope_id, const char *prompt_id, const char *date)
{
	sqlite3_stmt *st = sq_stmt(c, SEEN_ADD,
	                           "INSERT OR IGNORE INTO prompt_seen (space_id, prompt_id, date) VALUES (?1, ?2, ?3)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, prompt_id);
	sq_bind_text(st, 3, date);
	return sq_run(c, st, "prompt_seen_add");
}

static enum store_status sq_prompt_day_insert(struct store *s, const struct store_prompt_day *d)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	if (r != STORE_OK)
		return r;
	sqlite3_stmt *st = sq_stmt(c, DAY_INSERT,
	                           "INSERT INTO prompt_days (space_id, date, id, prompt_id, created_at)"
	                           " VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, d->scope_id);
	sq_bind_text(st, 2, d->date);
	sq_bind_text(st, 3, d->id);
	sq_bind_text(st, 4, d->prompt_id);
	sqlite3_bind_int64(st, 5, d->created_at);
	r = sq_run(c, st, "prompt_day_insert");
	if (r == STORE_OK)
		r = seen_add(c, d->scope_id, d->prompt_id, d->date);
	return sq_tx_end(c, r);
}

static enum store_status sq_prompt_day_replace(struct store *s, const struct store_prompt_day *old,
                                               const struct store_prompt_day *fresh, const char *skipped_by)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	if (r != STORE_OK)
		return r;
	sqlite3_stmt *st = sq_stmt(c, DAY_ANSWERED,
	                           "SELECT count(*) FROM prompt_answers WHERE space_id = ?1 AND day_id = ?2");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, old->scope_id);
	sq_bind_text(st, 2, old->id);
	r = sq_row(c, st, "prompt_day_answered");
	int answered = r == STORE_OK ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (r == STORE_OK && answered > 0)
		r = STORE_CONFLICT;
	if (r == STORE_OK) {
		st = sq_stmt(c, SKIP_ADD, "INSERT INTO prompt_skips (space_id, date, user_id) VALUES (?1, ?2, ?3)");
		if (!st)
			return sq_tx_end(c, STORE_ERROR);
		sq_bind_text(st, 1, old->scope_id);
		sq_bind_text(st, 2, old->date);
		sq_bind_text(st, 3, skipped_by);
		r = sq_run(c, st, "prompt_skip_add");
	}
	if (r == STORE_OK) {
		st = sq_stmt(c, DAY_REPLACE,
		             "UPDATE prompt_days SET id = ?3, prompt_id = ?4, created_at = ?5"
		             " WHERE space_id = ?1 AND date = ?2 AND id = ?6");
		if (!st)
			return sq_tx_end(c, STORE_ERROR);
		sq_bind_text(st, 1, fresh->scope_id);
		sq_bind_text(st, 2, fresh->date);
		sq_bind_text(st, 3, fresh->id);
		sq_bind_text(st, 4, fresh->prompt_id);
		sqlite3_bind_int64(st, 5, fresh->created_at);
		sq_bind_text(st, 6, old->id);
		r = sq_run(c, st, "prompt_day_replace");
		if (r == STORE_OK && sqlite3_changes(sq_db(c)) == 0)
			r = STORE_CONFLICT; /* someone else skipped first */
	}
	if (r == STORE_OK)
		r = seen_add(c, fresh->scope_id, fresh->prompt_id, fresh->date);
	return sq_tx_end(c, r);
}

static enum store_status sq_prompt_seen(struct store *s, struct arena *a, const char *scope_id, char (**ids)[16],
                                        int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SEEN_LIST, "SELECT prompt_id FROM prompt_seen WHERE space_id = ?1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	int alloc = 64, rc;
	*count = 0;
	*ids = arena_alloc(a, sizeof **ids * (size_t)alloc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == alloc) {
			char(*bigger)[16] = arena_alloc(a, sizeof **ids * (size_t)alloc * 2);
			memcpy(bigger, *ids, sizeof **ids * (size_t)alloc);
			*ids = bigger;
			alloc *= 2;
		}
		sq_copy_col(st, 0, (*ids)[(*count)++], 16);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_prompt_skipped(struct store *s, const char *scope_id, const char *date,
                                           const char *user_id, bool *skipped)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SKIP_GET,
	                           "SELECT 1 FROM prompt_skips WHERE space_id = ?1 AND date = ?2 AND user_id = ?3");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, date);
	sq_bind_text(st, 3, user_id);
	enum store_status r = sq_row(c, st, "prompt_skipped");
	sqlite3_reset(st);
	*skipped = r == STORE_OK;
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status sq_prompt_answer_insert(struct store *s, const struct store_prompt_answer *a)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ANSWER_INSERT,
	                           "INSERT INTO prompt_answers (space_id, day_id, author_id, date, prompt_id, text,"
	                           " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, a->scope_id);
	sq_bind_text(st, 2, a->day_id);
	sq_bind_text(st, 3, a->author_id);
	sq_bind_text(st, 4, a->date);
	sq_bind_text(st, 5, a->prompt_id);
	sq_bind_text(st, 6, a->text);
	sqlite3_bind_int64(st, 7, a->created_at);
	return sq_run(c, st, "prompt_answer_insert");
}

#define ANSWER_SELECT                                                                                             \
	"SELECT a.day_id, a.space_id, a.author_id, a.date, a.prompt_id, a.text, a.created_at, coalesce(k.kind, '')" \
	" FROM prompt_answers a LEFT JOIN prompt_acks k ON k.space_id = a.space_id AND k.day_id = a.day_id"     \
	" AND k.answer_author = a.author_id"

static void read_answer(sqlite3_stmt *st, struct arena *ar, struct store_prompt_answer *a)
{
	memset(a, 0, sizeof *a);
	sq_copy_col(st, 0, a->day_id, sizeof a->day_id);
	sq_copy_col(st, 1, a->scope_id, sizeof a->scope_id);
	sq_copy_col(st, 2, a->author_id, sizeof a->author_id);
	sq_copy_col(st, 3, a->date, sizeof a->date);
	sq_copy_col(st, 4, a->prompt_id, sizeof a->prompt_id);
	a->text = sq_col_text(st, 5, ar);
	a->created_at = sqlite3_column_int64(st, 6);
	sq_copy_col(st, 7, a->ack_kind, sizeof a->ack_kind);
}

static enum store_status sq_prompt_answers(struct store *s, struct arena *ar, const char *scope_id,
                                           const char *day_id, struct store_prompt_answer *answers, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ANSWERS_GET,
	                           ANSWER_SELECT " WHERE a.space_id = ?1 AND a.day_id = ?2 ORDER BY a.author_id LIMIT 2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, day_id);
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < 2)
		read_answer(st, ar, &answers[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_prompt_ack_put(struct store *s, const char *scope_id, const char *day_id,
                                           const char *answer_author, const char *from_id, const char *kind,
                                           int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ACK_PUT,
	                           "INSERT INTO prompt_acks (space_id, day_id, answer_author, from_id, kind, created_at)"
	                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (space_id, day_id, answer_author, from_id)"
	                           " DO UPDATE SET kind = ?5, created_at = ?6");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, day_id);
	sq_bind_text(st, 3, answer_author);
	sq_bind_text(st, 4, from_id);
	sq_bind_text(st, 5, kind);
	sqlite3_bind_int64(st, 6, now);
	return sq_run(c, st, "prompt_ack_put");
}

static enum store_status sq_prompt_history(struct store *s, struct arena *ar, const char *scope_id,
                                           const char *me_id, const char *partner_id, const char *before_date,
                                           int limit, struct store_prompt_answer **items, int *count)
{
	CONN_OR_BUSY(s);
	/* Days the viewer answered (and, with a partner, the partner too), newest first; then their answers. */
	sqlite3_stmt *st = sq_stmt(
		c, HISTORY,
		ANSWER_SELECT " WHERE a.space_id = ?1 AND a.author_id IN (?2, ?3) AND a.day_id IN ("
		"  SELECT m.day_id FROM prompt_answers m WHERE m.space_id = ?1 AND m.author_id = ?2"
		"   AND (?3 = '' OR EXISTS (SELECT 1 FROM prompt_answers p WHERE p.space_id = m.space_id"
		"        AND p.day_id = m.day_id AND p.author_id = ?3))"
		"   AND (?4 = '' OR m.date < ?4) ORDER BY m.date DESC LIMIT ?5)"
		" ORDER BY a.date DESC, a.day_id DESC, a.author_id = ?2 DESC");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, scope_id);
	sq_bind_text(st, 2, me_id);
	sq_bind_text(st, 3, partner_id ? partner_id : "");
	sq_bind_text(st, 4, before_date ? before_date : "");
	sqlite3_bind_int(st, 5, limit);
	*items = arena_alloc(ar, sizeof **items * (size_t)(2 * (limit > 0 ? limit : 1)));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < 2 * limit)
		read_answer(st, ar, &(*items)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

void sq_prompts_init(struct store *s)
{
	s->prompt_day_get = sq_prompt_day_get;
	s->prompt_day_by_id = sq_prompt_day_by_id;
	s->prompt_day_insert = sq_prompt_day_insert;
	s->prompt_day_replace = sq_prompt_day_replace;
	s->prompt_seen = sq_prompt_seen;
	s->prompt_skipped = sq_prompt_skipped;
	s->prompt_answer_insert = sq_prompt_answer_insert;
	s->prompt_answers = sq_prompt_answers;
	s->prompt_ack_put = sq_prompt_ack_put;
	s->prompt_history = sq_prompt_history;
}
