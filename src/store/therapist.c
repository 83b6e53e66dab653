/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapist.c - the store's therapist feature (see store.h): invites, the
 * link between a space and its therapist with each partner's consent, the
 * check-ins a therapist may read, private notes, the access log, visits and
 * the safety checks people chose to share. Every statement is written once
 * over db.h and runs on both backends. Notes arrive sealed; this file only
 * keeps them. A leaver's consent and an emptied space's link are dropped by
 * the space's leave rule, not here.
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
#include <assert.h>
#include <string.h>

#include "db.h"
#include "store_internal.h"

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
DB_QUERY(Q_SPACE_THERAPIST, "SELECT t.therapist_id, u.display_name, t.linked_at FROM space_therapists t"
                            " JOIN users u ON u.id = t.therapist_id WHERE t.space_id = ?1");
DB_QUERY(Q_SPACE_CONSENTS, "SELECT m.user_id, u.display_name, COALESCE(k.granted, 0) FROM space_members m"
                           " JOIN users u ON u.id = m.user_id"
                           " LEFT JOIN therapist_consents k ON k.space_id = m.space_id AND k.user_id = m.user_id"
                           " WHERE m.space_id = ?1 ORDER BY m.joined_at, m.user_id COLLATE \"C\" LIMIT 2");
DB_QUERY(Q_THERAPIST_SPACES, "SELECT space_id FROM space_therapists WHERE therapist_id = ?1"
                             " ORDER BY linked_at DESC, space_id LIMIT ?2");
DB_QUERY(Q_CHECKINS_THERAPIST, "SELECT space_id, id, author_id, created_at, updated_at, mood, connection, secure,"
                               " appreciation, need, worry, visibility FROM checkins"
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

/* An arena array for up to limit rows (one at least, so callers may always index it). */
#define ALLOC_ROWS(a, items, limit)                                                                                    \
	(*(items) = arena_alloc((a), sizeof **(items) * (size_t)((limit) > 0 ? (limit) : 1)))

/* LIMIT as bound: none for a limit below one (SQLite would read a negative one as "no limit"). */
static int64_t limit_rows(int limit)
{
	return limit > 0 ? limit : 0;
}

/* Ends a list: releases st and turns "no more rows" into success. */
static enum store_status list_end(struct db_stmt *st, enum store_status r)
{
	db_done(st);
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

/* ---- invites, links, consent ---- */

static enum store_status therapist_invite_insert(struct store *s, const char *code_hash, const char *therapist_id,
                                                 int64_t now, int64_t expires_at)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_TINVITE_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, code_hash);
	db_bind_text(st, 2, therapist_id);
	db_bind_int(st, 3, now);
	db_bind_int(st, 4, expires_at);
	return db_run(st);
}

static enum store_status consent_upsert(struct db *d, const char *space_id, const char *user_id, bool granted,
                                        int64_t now)
{
	struct db_stmt *st = db_prepare(d, &Q_CONSENT_UPSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, user_id);
	db_bind_bool(st, 3, granted); /* a 0/1 integer column in both schemas */
	db_bind_int(st, 4, now);
	return db_run(st);
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
	if (r != STORE_OK)
		return r;
	struct db_stmt *st = db_prepare(d, &Q_LINK_EXISTS);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, k->space_id);
	r = db_step(st);
	db_done(st);
	if (r == STORE_OK)
		return link_refuse(k, LINK_ALREADY);
	if (r != STORE_NOT_FOUND)
		return r;

	st = db_prepare(d, &Q_TINVITE_TAKE);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, k->code_hash);
	db_bind_int(st, 2, k->now);
	char therapist[ID_LEN + 1] = "";
	r = db_step(st);
	if (r == STORE_OK)
		db_col_copy(st, 0, therapist, sizeof therapist);
	db_done(st);
	if (r == STORE_NOT_FOUND)
		return link_refuse(k, LINK_NO_CODE);
	if (r != STORE_OK)
		return r;

	st = db_prepare(d, &Q_LINK_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, k->space_id);
	db_bind_text(st, 2, therapist);
	db_bind_int(st, 3, k->now);
	r = db_run(st);
	if (r == STORE_CONFLICT) /* cannot happen behind the lock; if it does, the code stays unused */
		return link_refuse(k, LINK_ALREADY);
	if (r != STORE_OK)
		return r;
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
	const char *space_id = ctx;
	struct db_stmt *st = db_prepare(d, &Q_UNLINK);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	enum store_status r = db_exec(st);
	if (r == STORE_OK && db_changes(st) == 0)
		r = STORE_NOT_FOUND;
	db_done(st);
	if (r != STORE_OK)
		return r;
	st = db_prepare(d, &Q_UNLINK_CONSENTS);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	return db_run(st);
}

static enum store_status therapist_unlink(struct store *s, const char *space_id)
{
	return tx_run(s, unlink_tx, (void *)space_id);
}

static enum store_status therapist_consent_set(struct store *s, const char *space_id, const char *user_id, bool granted,
                                               int64_t now)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	return consent_upsert(d, space_id, user_id, granted, now);
}

static enum store_status therapist_of_space(struct store *s, const char *space_id, struct store_space_therapist *t)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SPACE_THERAPIST);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	enum store_status r = db_step(st);
	if (r == STORE_OK) {
		memset(t, 0, sizeof *t);
		db_col_copy(st, 0, t->therapist_id, sizeof t->therapist_id);
		db_col_copy(st, 1, t->display_name, sizeof t->display_name);
		t->linked_at = db_col_int(st, 2);
	}
	db_done(st);
	if (r != STORE_OK)
		return r;
	st = db_prepare(d, &Q_SPACE_CONSENTS);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	while (t->members < 2 && (r = db_step(st)) == STORE_OK) {
		db_col_copy(st, 0, t->member_ids[t->members], sizeof t->member_ids[0]);
		db_col_copy(st, 1, t->member_names[t->members], sizeof t->member_names[0]);
		t->consent[t->members] = db_col_int(st, 2) != 0;
		t->members++;
	}
	return list_end(st, r);
}

static enum store_status therapist_spaces(struct store *s, struct arena *a, const char *therapist_id,
                                          char (**space_ids)[ID_LEN + 1], int *count)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_THERAPIST_SPACES);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, therapist_id);
	db_bind_int(st, 2, THERAPIST_SPACES_MAX);
	ALLOC_ROWS(a, space_ids, THERAPIST_SPACES_MAX);
	*count = 0;
	enum store_status r = STORE_NOT_FOUND;
	while (*count < THERAPIST_SPACES_MAX && (r = db_step(st)) == STORE_OK)
		db_col_copy(st, 0, (*space_ids)[(*count)++], ID_LEN + 1);
	return list_end(st, r);
}

/* ---- what the therapist sees ---- */

static void read_checkin(const struct db_stmt *st, struct arena *a, struct store_checkin *c)
{
	memset(c, 0, sizeof *c);
	db_col_copy(st, 0, c->space_id, sizeof c->space_id);
	db_col_copy(st, 1, c->id, sizeof c->id);
	db_col_copy(st, 2, c->author_id, sizeof c->author_id);
	c->created_at = db_col_int(st, 3);
	c->updated_at = db_col_int(st, 4);
	c->mood = (int)db_col_int(st, 5);
	c->connection = (int)db_col_int(st, 6);
	c->secure = (int)db_col_int(st, 7);
	c->appreciation = db_col_text(st, 8, a);
	c->need = db_col_text(st, 9, a);
	c->worry = db_col_text(st, 10, a);
	db_col_copy(st, 11, c->visibility, sizeof c->visibility);
}

static enum store_status therapist_checkin_list(struct store *s, struct arena *a, const char *space_id,
                                                const char *author_a, const char *author_b, int64_t before_time,
                                                const char *before_id, int limit, struct store_checkin **items,
                                                int *count)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_CHECKINS_THERAPIST);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, author_a ? author_a : "");
	db_bind_text(st, 3, author_b ? author_b : "");
	db_bind_int(st, 4, before_time);
	db_bind_text(st, 5, before_id ? before_id : "");
	db_bind_int(st, 6, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	enum store_status r = STORE_NOT_FOUND;
	while (*count < limit && (r = db_step(st)) == STORE_OK)
		read_checkin(st, a, &(*items)[(*count)++]);
	return list_end(st, r);
}

static enum store_status therapist_note_insert(struct store *s, const struct store_note *n)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_NOTE_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, n->space_id);
	db_bind_text(st, 2, n->id);
	db_bind_text(st, 3, n->therapist_id);
	db_bind_text(st, 4, n->text);
	db_bind_int(st, 5, n->created_at);
	return db_run(st);
}

static enum store_status therapist_note_list(struct store *s, struct arena *a, const char *space_id,
                                             const char *therapist_id, int64_t before_time, const char *before_id,
                                             int limit, struct store_note **items, int *count)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_NOTE_LIST);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, therapist_id);
	db_bind_int(st, 3, before_time);
	db_bind_text(st, 4, before_id ? before_id : "");
	db_bind_int(st, 5, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	enum store_status r = STORE_NOT_FOUND;
	while (*count < limit && (r = db_step(st)) == STORE_OK) {
		struct store_note *n = &(*items)[(*count)++];
		memset(n, 0, sizeof *n);
		db_col_copy(st, 0, n->space_id, sizeof n->space_id);
		db_col_copy(st, 1, n->id, sizeof n->id);
		db_col_copy(st, 2, n->therapist_id, sizeof n->therapist_id);
		n->text = db_col_text(st, 3, a);
		n->created_at = db_col_int(st, 4);
	}
	return list_end(st, r);
}

static enum store_status therapist_access_insert(struct store *s, const char *space_id, const struct store_access *e)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_ACCESS_INSERT);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, e->id);
	db_bind_int(st, 3, e->at);
	db_bind_text(st, 4, e->who_id);
	db_bind_text(st, 5, e->who_name);
	db_bind_text(st, 6, e->what);
	return db_run(st);
}

static enum store_status therapist_access_list(struct store *s, struct arena *a, const char *space_id,
                                               int64_t before_time, const char *before_id, int limit,
                                               struct store_access **items, int *count)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_ACCESS_LIST);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_int(st, 2, before_time);
	db_bind_text(st, 3, before_id ? before_id : "");
	db_bind_int(st, 4, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	enum store_status r = STORE_NOT_FOUND;
	while (*count < limit && (r = db_step(st)) == STORE_OK) {
		struct store_access *e = &(*items)[(*count)++];
		memset(e, 0, sizeof *e);
		db_col_copy(st, 0, e->id, sizeof e->id);
		e->at = db_col_int(st, 1);
		db_col_copy(st, 2, e->who_id, sizeof e->who_id);
		db_col_copy(st, 3, e->who_name, sizeof e->who_name);
		db_col_copy(st, 4, e->what, sizeof e->what);
	}
	return list_end(st, r);
}

/* Never visited is not an error: *at is 0 then. */
static enum store_status therapist_visit_get(struct store *s, const char *space_id, const char *therapist_id,
                                             int64_t *at)
{
	*at = 0;
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_VISIT_GET);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, therapist_id);
	enum store_status r = db_step(st);
	if (r == STORE_OK)
		*at = db_col_int(st, 0);
	return list_end(st, r);
}

static enum store_status therapist_visit_set(struct store *s, const char *space_id, const char *therapist_id,
                                             int64_t now)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_VISIT_SET);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_text(st, 2, therapist_id);
	db_bind_int(st, 3, now);
	return db_run(st);
}

static enum store_status therapist_safety_shared(struct store *s, struct arena *a, const char *space_id, int limit,
                                                 struct store_safety_check **items, int *count)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_SAFETY_SHARED);
	if (!st)
		return STORE_ERROR;
	db_bind_text(st, 1, space_id);
	db_bind_int(st, 2, limit_rows(limit));
	ALLOC_ROWS(a, items, limit);
	*count = 0;
	enum store_status r = STORE_NOT_FOUND;
	while (*count < limit && (r = db_step(st)) == STORE_OK) {
		struct store_safety_check *k = &(*items)[(*count)++];
		memset(k, 0, sizeof *k);
		db_col_copy(st, 0, k->id, sizeof k->id);
		db_col_copy(st, 1, k->scope_id, sizeof k->scope_id);
		db_col_copy(st, 2, k->user_id, sizeof k->user_id);
		k->afraid = db_col_int(st, 3) != 0;
		k->pressured = db_col_int(st, 4) != 0;
		k->share_with_therapist = true;
		k->created_at = db_col_int(st, 5);
	}
	return list_end(st, r);
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
