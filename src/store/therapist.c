/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapist.c - the store's therapist feature (see store.h): invites, the
 * link between a space and its therapist with each partner's consent, the
 * check-ins a therapist may read, private notes, the access log, visits and
 * the safety checks people chose to share. Every statement is written once
 * over db.h and runs on both backends. Notes, the names in the access log and
 * the safety checks' answers arrive sealed, and names are read sealed; this
 * file only keeps them. A leaver's consent and an emptied space's link are
 * dropped by the space's leave rule, not here.
 *
 * Linking is one rule in one transaction (link_tx, run by tx_run). It locks
 * the space's row first (PostgreSQL; on SQLite the write transaction already
 * excludes other writers), so two partners linking at once queue and the
 * second finds the link; it finds and uses the invite in one UPDATE ...
 * RETURNING, so two spaces racing for one code queue on its row and the
 * second finds it used. A refused link rolls back and leaves the code unused.
 *
 * Layout: the statements, then the functions in the order of store.h.
 */
#include "store_internal.h"

#include <assert.h>
#include <string.h>

/* At most this many spaces per therapist are listed. */
#define THERAPIST_SPACES_MAX 1000

DB_QUERY(Q_TINVITE_INSERT, "INSERT INTO therapist_invites (code_hash, therapist_id, created_at, expires_at)"
                           " VALUES (?1, ?2, ?3, ?4)");
/* Finds and uses the code in one step: a racing link waits on the row, then finds it used. */
DB_QUERY(Q_TINVITE_TAKE, "UPDATE therapist_invites SET used_at = ?2"
                         " WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2 RETURNING therapist_id");
DB_QUERY(Q_LINK_EXISTS, "SELECT 1 FROM space_therapists WHERE space_id = ?1");
DB_QUERY(Q_LINK_INSERT, "INSERT INTO space_therapists (space_id, therapist_id, linked_at) VALUES (?1, ?2, ?3)");
DB_QUERY(Q_CONSENT_UPSERT, "INSERT INTO therapist_consents (space_id, user_id, granted, updated_at)"
                           " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (space_id, user_id)"
                           " DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at");
DB_QUERY(Q_UNLINK, "DELETE FROM space_therapists WHERE space_id = ?1");
DB_QUERY(Q_UNLINK_CONSENTS, "DELETE FROM therapist_consents WHERE space_id = ?1");
/* Homework ends with the link (issue 13): the assignments and each partner's marks on them. */
DB_QUERY(Q_UNLINK_HOMEWORK_MARKS, "DELETE FROM homework_marks WHERE space_id = ?1");
DB_QUERY(Q_UNLINK_HOMEWORK, "DELETE FROM homework WHERE space_id = ?1");
DB_QUERY(Q_SPACE_THERAPIST, "SELECT t.therapist_id, u.display_name, t.linked_at FROM space_therapists t"
                            " JOIN users u ON u.id = t.therapist_id WHERE t.space_id = ?1");
/* No consent row: the member has not answered yet (CONSENT_UNDECIDED). */
DB_QUERY(Q_SPACE_CONSENTS, "SELECT m.user_id, u.display_name, k.granted FROM space_members m"
                           " JOIN users u ON u.id = m.user_id"
                           " LEFT JOIN therapist_consents k ON k.space_id = m.space_id AND k.user_id = m.user_id"
                           " WHERE m.space_id = ?1 ORDER BY m.joined_at, m.user_id COLLATE \"C\" LIMIT 2");
DB_QUERY(Q_THERAPIST_SPACES, "SELECT space_id FROM space_therapists WHERE therapist_id = ?1"
                             " ORDER BY linked_at DESC, space_id LIMIT ?2");
DB_QUERY(Q_CHECKINS_THERAPIST, "SELECT " CHECKIN_COLUMNS " FROM checkins"
                               " WHERE space_id = ?1 AND author_id IN (?2, ?3) AND visibility = 'therapist'"
                               " AND (?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
                               " ORDER BY created_at DESC, id DESC LIMIT ?6");
DB_QUERY(Q_NOTE_INSERT, "INSERT INTO therapist_notes (space_id, id, therapist_id, text, created_at)"
                        " VALUES (?1, ?2, ?3, ?4, ?5)");
DB_QUERY(Q_NOTE_LIST, "SELECT space_id, id, therapist_id, text, created_at FROM therapist_notes"
                      " WHERE space_id = ?1 AND therapist_id = ?2"
                      " AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
                      " ORDER BY created_at DESC, id DESC LIMIT ?5");
DB_QUERY(Q_ACCESS_INSERT, "INSERT INTO access_log (space_id, id, at, who_id, who_name, what)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
DB_QUERY(Q_ACCESS_LIST, "SELECT id, at, who_id, who_name, what FROM access_log WHERE space_id = ?1"
                        " AND (?2 = 0 OR at < ?2 OR (at = ?2 AND id < ?3)) ORDER BY at DESC, id DESC LIMIT ?4");
DB_QUERY(Q_VISIT_GET, "SELECT visited_at FROM therapist_visits WHERE space_id = ?1 AND therapist_id = ?2");
DB_QUERY(Q_VISIT_SET, "INSERT INTO therapist_visits (space_id, therapist_id, visited_at) VALUES (?1, ?2, ?3)"
                      " ON CONFLICT (space_id, therapist_id) DO UPDATE SET visited_at = excluded.visited_at");
DB_QUERY(Q_SAFETY_SHARED, "SELECT id, space_id, user_id, afraid, pressured, created_at FROM safety_checks"
                          " WHERE space_id = ?1 AND share_with_therapist <> 0"
                          " ORDER BY created_at DESC, id DESC LIMIT ?2");

/* ---- invites, links, consent ---- */

static enum store_status therapist_invite_insert(struct store *s, const char *code_hash, const char *therapist_id,
                                                 int64_t now, int64_t expires_at)
{
	return db_write(db_of(s), &Q_TINVITE_INSERT,
	                DB_ARGS(db_text(code_hash), db_text(therapist_id), db_int(now), db_int(expires_at)));
}

static enum store_status consent_upsert(struct db *d, const char *space_id, const char *user_id, bool granted,
                                        int64_t now)
{
	/* granted: a 0/1 integer column in both schemas */
	return db_write(d, &Q_CONSENT_UPSERT,
	                DB_ARGS(db_text(space_id), db_text(user_id), db_bool(granted), db_int(now)));
}

struct link_ctx {
	const char *space_id, *code_hash, *linker_id;
	int64_t now;
	enum link_result result;
	bool refused; /* the link did not happen for a reason in result: roll back, answer STORE_OK */
};

/* Rolls the link back (tx_run does, on a status other than STORE_OK) and says why. */
static enum store_status link_refuse(struct link_ctx *k, enum link_result why)
{
	k->result = why;
	k->refused = true;
	return STORE_CONFLICT;
}

/* The link rule, one attempt (tx_run may call it again on PostgreSQL: it starts from k afresh). */
static enum store_status link_tx(struct db *d, void *ctx)
{
	struct link_ctx *k = ctx;
	k->result = LINK_NO_CODE;
	k->refused = false;
	enum store_status r = db_lock_space(d, k->space_id);
	if (r == STORE_OK)
		r = db_get(d, &Q_LINK_EXISTS, NULL, NULL, NULL, DB_ARGS(db_text(k->space_id)));
	if (r == STORE_OK)
		return link_refuse(k, LINK_ALREADY);
	if (r != STORE_NOT_FOUND)
		return r;

	char therapist[ID_LEN + 1] = "";
	r = db_get(d, &Q_TINVITE_TAKE, NULL, db_read_id, therapist, DB_ARGS(db_text(k->code_hash), db_int(k->now)));
	if (r == STORE_NOT_FOUND)
		return link_refuse(k, LINK_NO_CODE);
	if (r == STORE_OK)
		r = db_write(d, &Q_LINK_INSERT, DB_ARGS(db_text(k->space_id), db_text(therapist), db_int(k->now)));
	if (r == STORE_CONFLICT) /* cannot happen behind the lock; if it does, the code stays unused */
		return link_refuse(k, LINK_ALREADY);
	if (r == STORE_OK)
		r = consent_upsert(d, k->space_id, k->linker_id, true, k->now);
	if (r == STORE_OK)
		k->result = LINK_OK;
	return r;
}

static enum store_status therapist_link(struct store *s, const char *space_id, const char *code_hash,
                                        const char *linker_id, int64_t now, enum link_result *result)
{
	struct link_ctx k = {.space_id = space_id, .code_hash = code_hash, .linker_id = linker_id, .now = now};
	enum store_status r = tx_run(s, link_tx, &k);
	if (r == STORE_CONFLICT && k.refused)
		r = STORE_OK;
	*result = r == STORE_OK ? k.result : LINK_NO_CODE;
	return r;
}

/* The link and every consent go together; nothing changes when there was no link. */
static enum store_status unlink_tx(struct db *d, void *ctx)
{
	enum store_status r = db_change(d, &Q_UNLINK, DB_ARGS(db_text(ctx)));
	if (r == STORE_OK)
		r = db_write(d, &Q_UNLINK_HOMEWORK_MARKS, DB_ARGS(db_text(ctx)));
	if (r == STORE_OK)
		r = db_write(d, &Q_UNLINK_HOMEWORK, DB_ARGS(db_text(ctx)));
	return r == STORE_OK ? db_write(d, &Q_UNLINK_CONSENTS, DB_ARGS(db_text(ctx))) : r;
}

static enum store_status therapist_unlink(struct store *s, const char *space_id)
{
	return tx_run(s, unlink_tx, (void *)space_id);
}

static enum store_status therapist_consent_set(struct store *s, const char *space_id, const char *user_id, bool granted,
                                               int64_t now)
{
	return consent_upsert(db_of(s), space_id, user_id, granted, now);
}

static void read_therapist(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_space_therapist *t = item;
	memset(t, 0, sizeof *t);
	db_col_copy(st, 0, t->therapist_id, sizeof t->therapist_id);
	db_col_copy(st, 1, t->display_name, sizeof t->display_name);
	t->linked_at = db_col_int(st, 2);
}

static enum store_status therapist_of_space(struct store *s, const char *space_id, struct store_space_therapist *t)
{
	struct db *d = db_of(s);
	enum store_status r = db_get(d, &Q_SPACE_THERAPIST, NULL, read_therapist, t, DB_ARGS(db_text(space_id)));
	struct db_stmt *st = r == STORE_OK ? db_prepare_args(d, &Q_SPACE_CONSENTS, DB_ARGS(db_text(space_id))) : NULL;
	if (!st)
		return r == STORE_OK ? STORE_ERROR : r;
	while (t->members < 2 && (r = db_step(st)) == STORE_OK) {
		db_col_copy(st, 0, t->member_ids[t->members], sizeof t->member_ids[0]);
		db_col_copy(st, 1, t->member_names[t->members], sizeof t->member_names[0]);
		enum consent_state c = db_col_null(st, 2)       ? CONSENT_UNDECIDED
		                       : db_col_int(st, 2) != 0 ? CONSENT_GRANTED
		                                                : CONSENT_DECLINED;
		t->consent_state[t->members] = c;
		t->consent[t->members] = c == CONSENT_GRANTED;
		t->members++;
	}
	db_done(st);
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status therapist_spaces(struct store *s, struct arena *a, const char *therapist_id,
                                          char (**space_ids)[ID_LEN + 1], int *count)
{
	enum store_status r;
	*space_ids = db_rows(db_of(s), &Q_THERAPIST_SPACES, a, sizeof **space_ids, THERAPIST_SPACES_MAX, db_read_id,
	                     count, &r, DB_ARGS(db_text(therapist_id), db_int(THERAPIST_SPACES_MAX)));
	return r;
}

/* ---- what the therapist sees ---- */

static enum store_status therapist_checkin_list(struct store *s, struct arena *a, const char *space_id,
                                                const char *author_a, const char *author_b, int64_t before_time,
                                                const char *before_id, int limit, struct store_checkin **items,
                                                int *count)
{
	enum store_status r;
	*items =
	    db_rows(db_of(s), &Q_CHECKINS_THERAPIST, a, sizeof **items, limit, store_checkin_read, count, &r,
	            DB_ARGS(db_text(space_id), db_text(author_a ? author_a : ""), db_text(author_b ? author_b : ""),
	                    db_int(before_time), db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

static enum store_status therapist_note_insert(struct store *s, const struct store_note *n)
{
	return db_write(db_of(s), &Q_NOTE_INSERT,
	                DB_ARGS(db_text(n->space_id), db_text(n->id), db_text(n->therapist_id), db_text(n->text),
	                        db_int(n->created_at)));
}

static void read_note(const struct db_stmt *st, struct arena *a, void *item)
{
	struct store_note *n = item;
	db_col_copy(st, 0, n->space_id, sizeof n->space_id);
	db_col_copy(st, 1, n->id, sizeof n->id);
	db_col_copy(st, 2, n->therapist_id, sizeof n->therapist_id);
	n->text = db_col_text(st, 3, a);
	n->created_at = db_col_int(st, 4);
}

static enum store_status therapist_note_list(struct store *s, struct arena *a, const char *space_id,
                                             const char *therapist_id, int64_t before_time, const char *before_id,
                                             int limit, struct store_note **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_NOTE_LIST, a, sizeof **items, limit, read_note, count, &r,
	                 DB_ARGS(db_text(space_id), db_text(therapist_id), db_int(before_time),
	                         db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

static enum store_status therapist_access_insert(struct store *s, const char *space_id, const struct store_access *e)
{
	return db_write(db_of(s), &Q_ACCESS_INSERT,
	                DB_ARGS(db_text(space_id), db_text(e->id), db_int(e->at), db_text(e->who_id),
	                        db_text(e->who_name), db_text(e->what)));
}

static void read_access(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_access *e = item;
	db_col_copy(st, 0, e->id, sizeof e->id);
	e->at = db_col_int(st, 1);
	db_col_copy(st, 2, e->who_id, sizeof e->who_id);
	db_col_copy(st, 3, e->who_name, sizeof e->who_name);
	db_col_copy(st, 4, e->what, sizeof e->what);
}

static enum store_status therapist_access_list(struct store *s, struct arena *a, const char *space_id,
                                               int64_t before_time, const char *before_id, int limit,
                                               struct store_access **items, int *count)
{
	enum store_status r;
	*items = db_rows(
	    db_of(s), &Q_ACCESS_LIST, a, sizeof **items, limit, read_access, count, &r,
	    DB_ARGS(db_text(space_id), db_int(before_time), db_text(before_id ? before_id : ""), db_int(limit)));
	return r;
}

/* Never visited is not an error: *at is 0 then. */
static enum store_status therapist_visit_get(struct store *s, const char *space_id, const char *therapist_id,
                                             int64_t *at)
{
	*at = 0;
	enum store_status r =
	    db_get(db_of(s), &Q_VISIT_GET, NULL, db_read_int, at, DB_ARGS(db_text(space_id), db_text(therapist_id)));
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status therapist_visit_set(struct store *s, const char *space_id, const char *therapist_id,
                                             int64_t now)
{
	return db_write(db_of(s), &Q_VISIT_SET, DB_ARGS(db_text(space_id), db_text(therapist_id), db_int(now)));
}

static void read_safety(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	struct store_safety_check *k = item;
	db_col_copy(st, 0, k->id, sizeof k->id);
	db_col_copy(st, 1, k->scope_id, sizeof k->scope_id);
	db_col_copy(st, 2, k->user_id, sizeof k->user_id);
	db_col_copy(st, 3, k->sealed.afraid, sizeof k->sealed.afraid);
	db_col_copy(st, 4, k->sealed.pressured, sizeof k->sealed.pressured);
	k->share_with_therapist = true;
	k->created_at = db_col_int(st, 5);
}

static enum store_status therapist_safety_shared(struct store *s, struct arena *a, const char *space_id, int limit,
                                                 struct store_safety_check **items, int *count)
{
	enum store_status r;
	*items = db_rows(db_of(s), &Q_SAFETY_SHARED, a, sizeof **items, limit, read_safety, count, &r,
	                 DB_ARGS(db_text(space_id), db_int(limit)));
	return r;
}

void store_therapist_init(struct store *s)
{
	assert(s);
	s->tinvite_insert = therapist_invite_insert;
	s->therapist_link = therapist_link;
	s->therapist_unlink = therapist_unlink;
	s->consent_set = therapist_consent_set;
	s->space_therapist = therapist_of_space;
	s->therapist_spaces = therapist_spaces;
	s->checkin_list_therapist = therapist_checkin_list;
	s->note_insert = therapist_note_insert;
	s->note_list = therapist_note_list;
	s->access_insert = therapist_access_insert;
	s->access_list = therapist_access_list;
	s->visit_get = therapist_visit_get;
	s->visit_set = therapist_visit_set;
	s->safety_shared = therapist_safety_shared;
}
