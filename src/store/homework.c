/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * homework.c - the store's homework feature (issue 13, migration 21; see
 * store.h): the assignments a couple's therapist gives and each partner's
 * own mark on them. Every statement is written once over db.h. Texts and
 * notes arrive sealed and are read sealed; this file only keeps them.
 *
 * Only the assignments of the therapist linked to the space now, given since
 * that link, are ever read (LINKED): an unlink deletes them too (therapist.c),
 * and this join keeps one given before a relink out of sight all the same.
 * Whether the linked action happened after an assignment - a questionnaire
 * response, a repair both partners acknowledged - is read with it, from ids
 * and times only, so a status needs nothing written when the action happens.
 * An article has no such trace (reading one is not recorded), so opening it
 * writes the mark at that moment (homework_article_opened).
 */
#include "store_internal.h"

#include <assert.h>
#include <string.h>

#define LINKED                                                                                                         \
	" JOIN space_therapists t ON t.space_id = h.space_id AND t.therapist_id = h.therapist_id"                      \
	" AND h.created_at >= t.linked_at"

/*
 * ?2 the partner: after h was given, a response to the questionnaire, a repair of the space both
 * acknowledged, or an agreement they proposed (or began alone) or said yes to.
 */
#define AUTO_DONE                                                                                                      \
	"CASE WHEN ?2 = '' THEN 0"                                                                                     \
	" WHEN h.kind = 'questionnaire' AND EXISTS (SELECT 1 FROM questionnaire_responses q WHERE q.author_id = ?2"    \
	" AND q.questionnaire_id = h.ref AND q.created_at >= h.created_at) THEN 1"                                     \
	" WHEN h.kind = 'repair' AND EXISTS (SELECT 1 FROM repair_sides x JOIN repair_sides y"                         \
	" ON y.space_id = x.space_id AND y.repair_id = x.repair_id AND y.author_id <> x.author_id"                     \
	" WHERE x.space_id = h.space_id AND x.author_id = ?2 AND x.acknowledged_at IS NOT NULL"                        \
	" AND y.acknowledged_at IS NOT NULL AND (x.acknowledged_at >= h.created_at OR y.acknowledged_at >= "           \
	"h.created_at))"                                                                                               \
	" THEN 1"                                                                                                      \
	" WHEN h.kind = 'agreement' AND (EXISTS (SELECT 1 FROM agreements g WHERE g.space_id = h.space_id"             \
	" AND g.author_id = ?2 AND g.created_at >= h.created_at)"                                                      \
	" OR EXISTS (SELECT 1 FROM agreement_answers n WHERE n.space_id = h.space_id AND n.accepted_by = ?2"           \
	" AND n.accepted_at >= h.created_at)) THEN 1"                                                                  \
	" ELSE 0 END"

DB_QUERY(Q_HW_INSERT, "INSERT INTO homework (space_id, id, therapist_id, kind, ref, text, due_on, for_id, created_at)"
                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
DB_QUERY(Q_HW_DELETE, "DELETE FROM homework WHERE space_id = ?1 AND therapist_id = ?2 AND id = ?3");
DB_QUERY(Q_HW_MARKS_DELETE, "DELETE FROM homework_marks WHERE space_id = ?1 AND homework_id = ?2");
DB_QUERY(Q_HW_LIST, "SELECT h.id, h.space_id, h.therapist_id, h.kind, h.ref, h.text, h.due_on, h.for_id, h.created_at,"
                    " COALESCE(m.status, ''), COALESCE(m.note, ''), " AUTO_DONE " FROM homework h" LINKED
                    " LEFT JOIN homework_marks m ON m.space_id = h.space_id AND m.homework_id = h.id"
                    " AND m.user_id = ?2"
                    " WHERE h.space_id = ?1 AND (?2 = '' OR h.for_id = '' OR h.for_id = ?2)"
                    " ORDER BY h.created_at DESC, h.id DESC LIMIT ?3");
DB_QUERY(Q_HW_MARK, "INSERT INTO homework_marks (space_id, homework_id, user_id, status, note, updated_at)"
                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (space_id, homework_id, user_id)"
                    " DO UPDATE SET status = excluded.status, note = excluded.note, updated_at = excluded.updated_at");
/* Only while the partner consents: homework reaches a partner only then (domain/homework.c). */
DB_QUERY(Q_HW_ARTICLE_OPENED,
         "INSERT INTO homework_marks (space_id, homework_id, user_id, status, note, updated_at)"
         " SELECT h.space_id, h.id, ?2, 'done', '', ?4 FROM homework h" LINKED
         " WHERE h.space_id = ?1 AND h.kind = 'article' AND h.ref = ?3 AND (h.for_id = '' OR h.for_id = ?2)"
         " AND EXISTS (SELECT 1 FROM therapist_consents c WHERE c.space_id = ?1 AND c.user_id = ?2 AND c.granted <> 0)"
         " ON CONFLICT (space_id, homework_id, user_id) DO UPDATE SET status = 'done', note = '',"
         " updated_at = excluded.updated_at WHERE homework_marks.status <> 'done'");

static enum store_status homework_insert(struct store *s, const struct store_homework *h)
{
	return db_write(db_of(s), &Q_HW_INSERT,
	                DB_ARGS(db_text(h->space_id), db_text(h->id), db_text(h->therapist_id), db_text(h->kind),
	                        db_text(h->ref), db_text(h->text ? h->text : ""), db_text(h->due_on),
	                        db_text(h->for_id), db_int(h->created_at)));
}

struct delete_ctx {
	const char *space_id, *therapist_id, *id;
};

/* The assignment and every partner's mark on it go together. */
static enum store_status delete_tx(struct db *d, void *ctx)
{
	const struct delete_ctx *k = ctx;
	enum store_status r =
	    db_change(d, &Q_HW_DELETE, DB_ARGS(db_text(k->space_id), db_text(k->therapist_id), db_text(k->id)));
	return r == STORE_OK ? db_write(d, &Q_HW_MARKS_DELETE, DB_ARGS(db_text(k->space_id), db_text(k->id))) : r;
}

static enum store_status homework_delete(struct store *s, const char *space_id, const char *therapist_id,
                                         const char *id)
{
	struct delete_ctx k = {space_id, therapist_id, id};
	return tx_run(s, delete_tx, &k);
}

static void read_homework(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_homework *h = item;
	db_col_copy(st, 0, h->id, sizeof h->id);
	db_col_copy(st, 1, h->space_id, sizeof h->space_id);
	db_col_copy(st, 2, h->therapist_id, sizeof h->therapist_id);
	db_col_copy(st, 3, h->kind, sizeof h->kind);
	db_col_copy(st, 4, h->ref, sizeof h->ref);
	h->text = db_col_text(st, 5, a);
	db_col_copy(st, 6, h->due_on, sizeof h->due_on);
	db_col_copy(st, 7, h->for_id, sizeof h->for_id);
	h->created_at = db_col_int(st, 8);
	db_col_copy(st, 9, h->mark, sizeof h->mark);
	h->note = db_col_text(st, 10, a);
	h->auto_done = db_col_int(st, 11) != 0;
	if (!h->text)
		h->text = "";
	if (!h->note)
		h->note = "";
}

static enum store_status homework_list(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                                       struct store_homework **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_HW_LIST, a, sizeof **items, HOMEWORK_LIST_MAX, read_homework, count, &r,
	                 DB_ARGS(db_text(space_id), db_text(user_id ? user_id : ""), db_int(HOMEWORK_LIST_MAX)));
	return r;
}

static enum store_status homework_mark(struct store *s, const char *space_id, const char *homework_id,
                                       const char *user_id, const char *status, const char *note, int64_t now)
{
	return db_write(db_of(s), &Q_HW_MARK,
	                DB_ARGS(db_text(space_id), db_text(homework_id), db_text(user_id), db_text(status),
	                        db_text(note ? note : ""), db_int(now)));
}

static enum store_status homework_article_opened(struct store *s, const char *space_id, const char *user_id,
                                                 const char *slug, int64_t now)
{
	return db_write(db_of(s), &Q_HW_ARTICLE_OPENED,
	                DB_ARGS(db_text(space_id), db_text(user_id), db_text(slug), db_int(now)));
}

void store_homework_init(struct store *s)
{
	assert(s);
	s->homework_insert = homework_insert;
	s->homework_delete = homework_delete;
	s->homework_list = homework_list;
	s->homework_mark = homework_mark;
	s->homework_article_opened = homework_article_opened;
}
