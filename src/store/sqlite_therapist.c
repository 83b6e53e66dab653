/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite_therapist.c - the SQLite backend for therapist invites, links and
 * per-partner consent, therapist-visible check-ins, private notes, the
 * access log, visits and shared safety checks (see store.h).
 */
#include <string.h>

#include "sqlite_internal.h"

enum {
	TINVITE_INSERT = SQ_THERAPIST_BASE,
	TINVITE_FIND,
	TINVITE_USE,
	LINK_EXISTS,
	LINK_INSERT,
	CONSENT_UPSERT,
	UNLINK,
	UNLINK_CONSENTS,
	SPACE_THERAPIST,
	SPACE_MEMBERS,
	THERAPIST_SPACES,
	CHECKINS_THERAPIST,
	NOTE_INSERT,
	NOTE_LIST,
	ACCESS_INSERT,
	ACCESS_LIST,
	VISIT_GET,
	VISIT_SET,
	SAFETY_SHARED,
};

static enum store_status sq_tinvite_insert(struct store *s, const char *code_hash, const char *therapist_id,
                                           int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, TINVITE_INSERT,
	                           "INSERT INTO therapist_invites (code_hash, therapist_id, created_at, expires_at)"
	                           " VALUES (?1, ?2, ?3, ?4)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, code_hash);
	sq_bind_text(st, 2, therapist_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires_at);
	return sq_run(c, st, "tinvite_insert");
}

static enum store_status consent_upsert(struct conn *c, const char *space_id, const char *user_id, bool granted,
                                        int64_t now)
{
	sqlite3_stmt *st = sq_stmt(c, CONSENT_UPSERT,
	                           "INSERT INTO therapist_consents (space_id, user_id, granted, updated_at)"
	                           " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (space_id, user_id)"
	                           " DO UPDATE SET granted = ?3, updated_at = ?4");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, user_id);
	sqlite3_bind_int(st, 3, granted);
	sqlite3_bind_int64(st, 4, now);
	return sq_run(c, st, "consent_upsert");
}

static enum store_status sq_therapist_link(struct store *s, const char *space_id, const char *code_hash,
                                           const char *linker_id, int64_t now, enum link_result *result)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	if (r != STORE_OK)
		return r;
	*result = LINK_NO_CODE;
	sqlite3_stmt *st = sq_stmt(c, LINK_EXISTS, "SELECT 1 FROM space_therapists WHERE space_id = ?1");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, space_id);
	r = sq_row(c, st, "link_exists");
	sqlite3_reset(st);
	if (r == STORE_OK) {
		*result = LINK_ALREADY;
		return sq_tx_end(c, STORE_CONFLICT) == STORE_CONFLICT ? STORE_OK : STORE_BUSY;
	}
	if (r != STORE_NOT_FOUND)
		return sq_tx_end(c, r);
	st = sq_stmt(c, TINVITE_FIND,
	             "SELECT therapist_id FROM therapist_invites WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, code_hash);
	sqlite3_bind_int64(st, 2, now);
	char therapist[ID_LEN + 1];
	r = sq_row(c, st, "tinvite_find");
	if (r == STORE_OK) {
		sq_copy_col(st, 0, therapist, sizeof therapist);
		sqlite3_reset(st);
	}
	if (r == STORE_NOT_FOUND)
		return sq_tx_end(c, STORE_CONFLICT) == STORE_CONFLICT ? STORE_OK : STORE_BUSY;
	if (r != STORE_OK)
		return sq_tx_end(c, r);
	st = sq_stmt(c, TINVITE_USE, "UPDATE therapist_invites SET used_at = ?2 WHERE code_hash = ?1");
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, code_hash);
	sqlite3_bind_int64(st, 2, now);
	r = sq_run(c, st, "tinvite_use");
	if (r == STORE_OK) {
		st = sq_stmt(c, LINK_INSERT, "INSERT INTO space_therapists (space_id, therapist_id, linked_at) VALUES (?1, ?2, ?3)");
		if (!st)
			return sq_tx_end(c, STORE_ERROR);
		sq_bind_text(st, 1, space_id);
		sq_bind_text(st, 2, therapist);
		sqlite3_bind_int64(st, 3, now);
		r = sq_run(c, st, "link_insert");
	}
	if (r == STORE_OK)
		r = consent_upsert(c, space_id, linker_id, true, now);
	if (r == STORE_OK)
		*result = LINK_OK;
	return sq_tx_end(c, r);
}

static enum store_status sq_therapist_unlink(struct store *s, const char *space_id)
{
	CONN_OR_BUSY(s);
	enum store_status r = sq_tx_begin(c);
	sqlite3_stmt *st = r == STORE_OK ? sq_stmt(c, UNLINK, "DELETE FROM space_therapists WHERE space_id = ?1") : NULL;
	if (r != STORE_OK)
		return r;
	if (!st)
		return sq_tx_end(c, STORE_ERROR);
	sq_bind_text(st, 1, space_id);
	r = sq_run(c, st, "unlink");
	bool had = r == STORE_OK && sqlite3_changes(sq_db(c)) > 0;
	if (r == STORE_OK) {
		st = sq_stmt(c, UNLINK_CONSENTS, "DELETE FROM therapist_consents WHERE space_id = ?1");
		if (!st)
			return sq_tx_end(c, STORE_ERROR);
		sq_bind_text(st, 1, space_id);
		r = sq_run(c, st, "unlink_consents");
	}
	if (r == STORE_OK && !had)
		return sq_tx_end(c, STORE_NOT_FOUND) == STORE_NOT_FOUND ? STORE_NOT_FOUND : STORE_BUSY;
	return sq_tx_end(c, r);
}

static enum store_status sq_consent_set(struct store *s, const char *space_id, const char *user_id, bool granted,
                                        int64_t now)
{
	CONN_OR_BUSY(s);
	return consent_upsert(c, space_id, user_id, granted, now);
}

static enum store_status sq_space_therapist(struct store *s, const char *space_id, struct store_space_therapist *t)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SPACE_THERAPIST,
	                           "SELECT t.therapist_id, u.display_name, t.linked_at FROM space_therapists t"
	                           " JOIN users u ON u.id = t.therapist_id WHERE t.space_id = ?1");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	enum store_status r = sq_row(c, st, "space_therapist");
	if (r != STORE_OK)
		return r;
	memset(t, 0, sizeof *t);
	sq_copy_col(st, 0, t->therapist_id, sizeof t->therapist_id);
	sq_copy_col(st, 1, t->display_name, sizeof t->display_name);
	t->linked_at = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	st = sq_stmt(c, SPACE_MEMBERS,
	             "SELECT m.user_id, u.display_name, coalesce(k.granted, 0) FROM space_members m"
	             " JOIN users u ON u.id = m.user_id"
	             " LEFT JOIN therapist_consents k ON k.space_id = m.space_id AND k.user_id = m.user_id"
	             " WHERE m.space_id = ?1 ORDER BY m.joined_at, m.user_id LIMIT 2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && t->members < 2) {
		sq_copy_col(st, 0, t->member_ids[t->members], ID_LEN + 1);
		sq_copy_col(st, 1, t->member_names[t->members], DISPLAY_NAME_MAX_BYTES + 1);
		t->consent[t->members] = sqlite3_column_int(st, 2) != 0;
		t->members++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_therapist_spaces(struct store *s, struct arena *a, const char *therapist_id,
                                             char (**space_ids)[ID_LEN + 1], int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, THERAPIST_SPACES,
	                           "SELECT space_id FROM space_therapists WHERE therapist_id = ?1"
	                           " ORDER BY linked_at DESC, space_id LIMIT 1000");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, therapist_id);
	*space_ids = arena_alloc(a, sizeof **space_ids * 1000);
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < 1000)
		sq_copy_col(st, 0, (*space_ids)[(*count)++], ID_LEN + 1);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_checkin_list_therapist(struct store *s, struct arena *a, const char *space_id,
                                                   const char *author_a, const char *author_b, int64_t before_time,
                                                   const char *before_id, int limit, struct store_checkin **items,
                                                   int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, CHECKINS_THERAPIST,
	                           "SELECT space_id, id, author_id, created_at, updated_at, mood, connection, secure,"
	                           " appreciation, need, worry, visibility FROM checkins"
	                           " WHERE space_id = ?1 AND author_id IN (?2, ?3) AND visibility = 'therapist'"
	                           " AND (?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?6");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, author_a ? author_a : "");
	sq_bind_text(st, 3, author_b ? author_b : "");
	sqlite3_bind_int64(st, 4, before_time);
	sq_bind_text(st, 5, before_id ? before_id : "");
	sqlite3_bind_int(st, 6, limit);
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_checkin *ci = &(*items)[(*count)++];
		memset(ci, 0, sizeof *ci);
		sq_copy_col(st, 0, ci->space_id, sizeof ci->space_id);
		sq_copy_col(st, 1, ci->id, sizeof ci->id);
		sq_copy_col(st, 2, ci->author_id, sizeof ci->author_id);
		ci->created_at = sqlite3_column_int64(st, 3);
		ci->updated_at = sqlite3_column_int64(st, 4);
		ci->mood = sqlite3_column_int(st, 5);
		ci->connection = sqlite3_column_int(st, 6);
		ci->secure = sqlite3_column_int(st, 7);
		ci->appreciation = sq_col_text(st, 8, a);
		ci->need = sq_col_text(st, 9, a);
		ci->worry = sq_col_text(st, 10, a);
		sq_copy_col(st, 11, ci->visibility, sizeof ci->visibility);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_note_insert(struct store *s, const struct store_note *n)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, NOTE_INSERT,
	                           "INSERT INTO therapist_notes (space_id, id, therapist_id, text, created_at)"
	                           " VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, n->space_id);
	sq_bind_text(st, 2, n->id);
	sq_bind_text(st, 3, n->therapist_id);
	sq_bind_text(st, 4, n->text);
	sqlite3_bind_int64(st, 5, n->created_at);
	return sq_run(c, st, "note_insert");
}

static enum store_status sq_note_list(struct store *s, struct arena *a, const char *space_id,
                                      const char *therapist_id, int64_t before_time, const char *before_id, int limit,
                                      struct store_note **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, NOTE_LIST,
	                           "SELECT space_id, id, therapist_id, text, created_at FROM therapist_notes"
	                           " WHERE space_id = ?1 AND therapist_id = ?2"
	                           " AND (?3 = 0 OR created_at < ?3 OR (created_at = ?3 AND id < ?4))"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?5");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, therapist_id);
	sqlite3_bind_int64(st, 3, before_time);
	sq_bind_text(st, 4, before_id ? before_id : "");
	sqlite3_bind_int(st, 5, limit);
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_note *n = &(*items)[(*count)++];
		memset(n, 0, sizeof *n);
		sq_copy_col(st, 0, n->space_id, sizeof n->space_id);
		sq_copy_col(st, 1, n->id, sizeof n->id);
		sq_copy_col(st, 2, n->therapist_id, sizeof n->therapist_id);
		n->text = sq_col_text(st, 3, a);
		n->created_at = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_access_insert(struct store *s, const char *space_id, const struct store_access *e)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ACCESS_INSERT,
	                           "INSERT INTO access_log (space_id, id, at, who_id, who_name, what)"
	                           " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, e->id);
	sqlite3_bind_int64(st, 3, e->at);
	sq_bind_text(st, 4, e->who_id);
	sq_bind_text(st, 5, e->who_name);
	sq_bind_text(st, 6, e->what);
	return sq_run(c, st, "access_insert");
}

static enum store_status sq_access_list(struct store *s, struct arena *a, const char *space_id, int64_t before_time,
                                        const char *before_id, int limit, struct store_access **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, ACCESS_LIST,
	                           "SELECT id, at, who_id, who_name, what FROM access_log WHERE space_id = ?1"
	                           " AND (?2 = 0 OR at < ?2 OR (at = ?2 AND id < ?3)) ORDER BY at DESC, id DESC LIMIT ?4");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sqlite3_bind_int64(st, 2, before_time);
	sq_bind_text(st, 3, before_id ? before_id : "");
	sqlite3_bind_int(st, 4, limit);
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_access *e = &(*items)[(*count)++];
		memset(e, 0, sizeof *e);
		sq_copy_col(st, 0, e->id, sizeof e->id);
		e->at = sqlite3_column_int64(st, 1);
		sq_copy_col(st, 2, e->who_id, sizeof e->who_id);
		sq_copy_col(st, 3, e->who_name, sizeof e->who_name);
		sq_copy_col(st, 4, e->what, sizeof e->what);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

static enum store_status sq_visit_get(struct store *s, const char *space_id, const char *therapist_id, int64_t *at)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, VISIT_GET,
	                           "SELECT visited_at FROM therapist_visits WHERE space_id = ?1 AND therapist_id = ?2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, therapist_id);
	enum store_status r = sq_row(c, st, "visit_get");
	*at = r == STORE_OK ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status sq_visit_set(struct store *s, const char *space_id, const char *therapist_id, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, VISIT_SET,
	                           "INSERT INTO therapist_visits (space_id, therapist_id, visited_at) VALUES (?1, ?2, ?3)"
	                           " ON CONFLICT (space_id, therapist_id) DO UPDATE SET visited_at = ?3");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sq_bind_text(st, 2, therapist_id);
	sqlite3_bind_int64(st, 3, now);
	return sq_run(c, st, "visit_set");
}

static enum store_status sq_safety_shared(struct store *s, struct arena *a, const char *space_id, int limit,
                                          struct store_safety_check **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = sq_stmt(c, SAFETY_SHARED,
	                           "SELECT id, space_id, user_id, afraid, pressured, share_with_therapist, created_at"
	                           " FROM safety_checks WHERE space_id = ?1 AND share_with_therapist <> 0"
	                           " ORDER BY created_at DESC, id DESC LIMIT ?2");
	if (!st)
		return STORE_ERROR;
	sq_bind_text(st, 1, space_id);
	sqlite3_bind_int(st, 2, limit);
	*items = arena_alloc(a, sizeof **items * (size_t)(limit > 0 ? limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < limit) {
		struct store_safety_check *k = &(*items)[(*count)++];
		memset(k, 0, sizeof *k);
		sq_copy_col(st, 0, k->id, sizeof k->id);
		sq_copy_col(st, 1, k->scope_id, sizeof k->scope_id);
		sq_copy_col(st, 2, k->user_id, sizeof k->user_id);
		k->afraid = sqlite3_column_int(st, 3) != 0;
		k->pressured = sqlite3_column_int(st, 4) != 0;
		k->share_with_therapist = true;
		k->created_at = sqlite3_column_int64(st, 6);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : sq_map_rc(rc);
}

void sq_therapist_init(struct store *s)
{
	s->tinvite_insert = sq_tinvite_insert;
	s->therapist_link = sq_therapist_link;
	s->therapist_unlink = sq_therapist_unlink;
	s->consent_set = sq_consent_set;
	s->space_therapist = sq_space_therapist;
	s->therapist_spaces = sq_therapist_spaces;
	s->checkin_list_therapist = sq_checkin_list_therapist;
	s->note_insert = sq_note_insert;
	s->note_list = sq_note_list;
	s->access_insert = sq_access_insert;
	s->access_list = sq_access_list;
	s->visit_get = sq_visit_get;
	s->visit_set = sq_visit_set;
	s->safety_shared = sq_safety_shared;
}
