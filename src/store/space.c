/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * space.c - couples' spaces in the store: spaces, their members (two at
 * most, one space per person: space_members.user_id is UNIQUE), invites, and
 * the two rules that change membership, joining and leaving, each written
 * once as a transaction (tx_run) of single statements. Both void the space's
 * unused invite codes; making, listing and revoking codes is in invite.c.
 *
 * Leaving ends the couple's shared history, so its statements reach into
 * other features' tables (check-ins, repairs, prompts, agreements,
 * questionnaires, safety checks, the therapist's consent): which rows a
 * leaver takes along is a domain rule kept here, in one place, for now.
 * A leave that leaves a partner behind is recorded (space_departures) for
 * that partner's home page.
 */
#include "store_internal.h"

#include <string.h>

DB_QUERY(Q_MEMBER_OF, "SELECT space_id FROM space_members WHERE user_id = ?1");
DB_QUERY(Q_SPACE_INSERT, "INSERT INTO spaces (id, time_zone, created_at) VALUES (?1, ?2, ?3)");
DB_QUERY(Q_MEMBER_INSERT, "INSERT INTO space_members (space_id, user_id, joined_at) VALUES (?1, ?2, ?3)");
DB_QUERY(Q_MEMBER_COUNT, "SELECT count(*) FROM space_members WHERE space_id = ?1");
DB_QUERY(Q_INVITE_FIND, "SELECT space_id FROM invites WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2");
DB_QUERY(Q_INVITE_USE, "UPDATE invites SET used_at = ?2 WHERE code_hash = ?1");
/* A join or a leave changes who is in the space: a code made before no longer fits it (issue 10). */
DB_QUERY(Q_INVITES_VOID, "DELETE FROM invites WHERE space_id = ?1 AND used_at IS NULL");
DB_QUERY(Q_MEMBER_DELETE, "DELETE FROM space_members WHERE space_id = ?1 AND user_id = ?2");
DB_QUERY(Q_MEMBER_REMAINING, "SELECT user_id FROM space_members WHERE space_id = ?1 LIMIT 1");
DB_QUERY(Q_CONSENT_DROP, "DELETE FROM therapist_consents WHERE space_id = ?1 AND user_id = ?2");
/* The partner who stays is told on their home page that the other left (issue 11). */
DB_QUERY(Q_DEPARTURE_INSERT, "INSERT INTO space_departures (space_id, id, user_id, left_at) VALUES (?1, ?2, ?3, ?4)");

/* What moves out of the space with a person (?1 the space, ?2 the person): all theirs alone. */
DB_QUERY(Q_CHECKINS_DETACH, "UPDATE checkins SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2");
/* A shared repair the person took part in: they keep a private copy with their own side. */
DB_QUERY(Q_REPAIRS_COPY_FOR_LEAVER,
         "INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
         " SELECT ?2, id, created_by, title, occurred_on, created_at, 1 FROM repairs r"
         " WHERE r.space_id = ?1 AND r.solo = 0 AND (r.created_by = ?2 OR EXISTS"
         " (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = r.id AND s.author_id = ?2))"
         " ON CONFLICT DO NOTHING"); /* a copy from an earlier leave stays */
DB_QUERY(Q_REPAIRS_SOLO_DETACH,
         "UPDATE repairs SET space_id = ?2 WHERE space_id = ?1 AND solo = 1 AND created_by = ?2");
/* Someone who left, rejoined and wrote again: the newer side replaces the copy kept earlier. */
DB_QUERY(Q_REPAIR_SIDES_CLEAR_OLD, "DELETE FROM repair_sides WHERE space_id = ?2 AND author_id = ?2 AND repair_id IN"
                                   " (SELECT repair_id FROM repair_sides WHERE space_id = ?1 AND author_id = ?2)");
DB_QUERY(Q_REPAIR_SIDES_DETACH, "UPDATE repair_sides SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2");
/* The person's shared repairs in which the other wrote nothing go with the person alone. */
DB_QUERY(Q_REPAIRS_DROP_ABANDONED,
         "DELETE FROM repairs WHERE space_id = ?1 AND created_by = ?2 AND NOT EXISTS"
         " (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = repairs.id)");
DB_QUERY(Q_PROMPT_ANSWERS_CLEAR_OLD, "DELETE FROM prompt_answers WHERE space_id = ?2 AND author_id = ?2 AND day_id IN"
                                     " (SELECT day_id FROM prompt_answers WHERE space_id = ?1 AND author_id = ?2)");
DB_QUERY(Q_PROMPT_ANSWERS_DETACH, "UPDATE prompt_answers SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2");
DB_QUERY(Q_PROMPT_ACKS_DROP, "DELETE FROM prompt_acks WHERE space_id = ?1 AND (from_id = ?2 OR answer_author = ?2)");
/*
 * Agreements go with the partner who proposed them, with that partner's reviews of them. A proposal was a
 * question to the partner who is leaving or left (issue 14): it is set to rest (retired), and its author may
 * make it active again as their own intention.
 */
DB_QUERY(Q_AGREEMENTS_DETACH, "UPDATE agreements SET space_id = ?2, status = CASE WHEN status = 'proposed'"
                              " THEN 'retired' ELSE status END WHERE space_id = ?1 AND author_id = ?2");
DB_QUERY(Q_REVIEWS_DETACH, "UPDATE agreement_reviews SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2"
                           " AND agreement_id IN (SELECT id FROM agreements WHERE space_id = ?2)");
/* Reviews left behind without their agreement (or by the person) go. */
DB_QUERY(Q_REVIEWS_DROP_ORPHANS, "DELETE FROM agreement_reviews WHERE space_id = ?1 AND (author_id = ?2 OR"
                                 " agreement_id NOT IN (SELECT id FROM agreements WHERE space_id = ?1))");
/*
 * Issue 14: a partner's answer (a yes, a note) belongs to the couple's space: it goes once its agreement has
 * moved out, and with the person who gave it.
 */
DB_QUERY(Q_ANSWERS_DROP_ORPHANS, "DELETE FROM agreement_answers WHERE space_id = ?1 AND (accepted_by = ?2 OR"
                                 " discussed_by = ?2 OR agreement_id NOT IN"
                                 " (SELECT id FROM agreements WHERE space_id = ?1))");
DB_QUERY(Q_QRESPONSES_DETACH,
         "UPDATE questionnaire_responses SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2");
DB_QUERY(Q_SAFETY_DETACH, "UPDATE safety_checks SET space_id = ?2 WHERE space_id = ?1 AND user_id = ?2");
/*
 * Our cycle (issue 14): each side goes with its author (replacing one they kept from before), the stayer's
 * too, as everything else; the shared text is both partners' words at once, so it and its history end.
 */
DB_QUERY(Q_CYCLE_SIDES_CLEAR_OLD, "DELETE FROM cycle_sides WHERE space_id = ?2 AND author_id = ?2 AND EXISTS"
                                  " (SELECT 1 FROM cycle_sides c WHERE c.space_id = ?1 AND c.author_id = ?2)");
DB_QUERY(Q_CYCLE_SIDES_DETACH, "UPDATE cycle_sides SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2");
DB_QUERY(Q_CYCLE_EDITS_DROP, "DELETE FROM cycle_edits WHERE space_id = ?1"); /* once per leave, not per person */
/* Homework stays with the space's therapist (issue 13): the leaver's marks and what was for them alone go. */
DB_QUERY(Q_HOMEWORK_MARKS_DROP, "DELETE FROM homework_marks WHERE space_id = ?1 AND (user_id = ?2 OR homework_id IN"
                                " (SELECT id FROM homework WHERE space_id = ?1 AND for_id = ?2))");
DB_QUERY(Q_HOMEWORK_DROP, "DELETE FROM homework WHERE space_id = ?1 AND for_id = ?2");
/*
 * Issue 13: the list for the next session goes with the leaver (their timeline and export keep it); the
 * one who stays (still a member here) keeps theirs for the couple's therapist, but what they shared with
 * the partner was shared with the one who left: a later partner sees it only once shared again.
 */
DB_QUERY(Q_BRIDGE_DETACH, "UPDATE bridge_items SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2"
                          " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1 AND user_id = ?2)");
DB_QUERY(Q_BRIDGE_UNSHARE_PARTNER,
         "UPDATE bridge_items SET share_with_partner = 0 WHERE space_id = ?1 AND author_id = ?2");
/*
 * Issue 14: the steps after a reveal go with their author (their copy is a private reflection, so without
 * answers); answers the person gave to the partner's steps stay no more than their acknowledgements do.
 */
DB_QUERY(Q_AFTER_ANSWERS_DROP, "UPDATE repair_after_steps SET answer = NULL, answer_note = NULL, answered_by = NULL,"
                               " answered_at = NULL WHERE space_id = ?1 AND (author_id = ?2 OR answered_by = ?2)");
DB_QUERY(Q_AFTER_CLEAR_OLD, "DELETE FROM repair_after_steps WHERE space_id = ?2 AND author_id = ?2 AND repair_id IN"
                            " (SELECT repair_id FROM repair_after_steps WHERE space_id = ?1 AND author_id = ?2)");
DB_QUERY(Q_AFTER_DETACH, "UPDATE repair_after_steps SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2");

/* Once both have taken their own (?1 the space): what is left of the space goes when nobody is in it. */
DB_QUERY(Q_REPAIRS_DROP_EMPTY, "DELETE FROM repairs WHERE space_id = ?1 AND solo = 0 AND NOT EXISTS"
                               " (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = repairs.id)");
#define NOBODY_IN_SPACE " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)"
DB_QUERY(Q_THERAPIST_DROP_IF_EMPTY, "DELETE FROM space_therapists WHERE space_id = ?1" NOBODY_IN_SPACE);
DB_QUERY(Q_INVITES_DELETE_IF_EMPTY, "DELETE FROM invites WHERE space_id = ?1" NOBODY_IN_SPACE);
DB_QUERY(Q_DEPARTURES_DELETE_IF_EMPTY, "DELETE FROM space_departures WHERE space_id = ?1" NOBODY_IN_SPACE);
DB_QUERY(Q_SPACE_DELETE_IF_EMPTY, "DELETE FROM spaces WHERE id = ?1" NOBODY_IN_SPACE);
DB_QUERY(Q_HOMEWORK_DELETE_IF_EMPTY, "DELETE FROM homework WHERE space_id = ?1" NOBODY_IN_SPACE);

static const struct db_query *const detach_steps[] = {
    &Q_CHECKINS_DETACH,       &Q_REPAIRS_COPY_FOR_LEAVER, &Q_REPAIRS_SOLO_DETACH,      &Q_REPAIR_SIDES_CLEAR_OLD,
    &Q_REPAIR_SIDES_DETACH,   &Q_REPAIRS_DROP_ABANDONED,  &Q_PROMPT_ANSWERS_CLEAR_OLD, &Q_PROMPT_ANSWERS_DETACH,
    &Q_PROMPT_ACKS_DROP,      &Q_AGREEMENTS_DETACH,       &Q_REVIEWS_DETACH,           &Q_REVIEWS_DROP_ORPHANS,
    &Q_QRESPONSES_DETACH,     &Q_SAFETY_DETACH,           &Q_HOMEWORK_MARKS_DROP,      &Q_HOMEWORK_DROP,
    &Q_ANSWERS_DROP_ORPHANS,  &Q_AFTER_ANSWERS_DROP,      &Q_AFTER_CLEAR_OLD,          &Q_AFTER_DETACH, /* issue 14 */
    &Q_CYCLE_SIDES_CLEAR_OLD, &Q_CYCLE_SIDES_DETACH,                                                    /* issue 14 */
};
/* Issue 13: after the steps above, in this order (the first moves the leaver's items only). */
static const struct db_query *const bridge_detach_steps[] = {&Q_BRIDGE_DETACH, &Q_BRIDGE_UNSHARE_PARTNER};

static const struct db_query *const empty_steps[] = {
    &Q_REPAIRS_DROP_EMPTY,         &Q_THERAPIST_DROP_IF_EMPTY, &Q_INVITES_DELETE_IF_EMPTY,
    &Q_DEPARTURES_DELETE_IF_EMPTY, &Q_SPACE_DELETE_IF_EMPTY,   &Q_HOMEWORK_DELETE_IF_EMPTY,
};

/* Reads the id in the first column of q's row into out; "" and STORE_OK when there is no row. */
static enum store_status first_id(struct db *d, const struct db_query *q, char out[ID_LEN + 1],
                                  const struct db_param *args, int n)
{
	out[0] = '\0';
	enum store_status r = db_get(d, q, NULL, db_read_id, out, args, n);
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status member_count(struct db *d, const char *space_id, int *count)
{
	int64_t n = 0;
	enum store_status r = db_get(d, &Q_MEMBER_COUNT, NULL, db_read_int, &n, DB_ARGS(db_text(space_id)));
	*count = (int)n;
	return r == STORE_NOT_FOUND ? STORE_ERROR : r; /* an aggregate always has a row */
}

static enum store_status member_insert(struct db *d, const char *space_id, const char *user_id, int64_t now)
{
	return db_write(d, &Q_MEMBER_INSERT, DB_ARGS(db_text(space_id), db_text(user_id), db_int(now)));
}

/* ---- creating, counting ---- */

struct create {
	const char *space_id, *user_id, *time_zone;
	int64_t now;
};

static enum store_status create_fn(struct db *d, void *ctx)
{
	const struct create *c = ctx;
	char current[ID_LEN + 1];
	enum store_status r = first_id(d, &Q_MEMBER_OF, current, DB_ARGS(db_text(c->user_id)));
	if (r == STORE_OK && current[0])
		return STORE_CONFLICT;
	if (r == STORE_OK)
		r = db_write(d, &Q_SPACE_INSERT, DB_ARGS(db_text(c->space_id), db_text(c->time_zone), db_int(c->now)));
	/* A create racing this one for the same user loses here, on space_members.user_id. */
	return r == STORE_OK ? member_insert(d, c->space_id, c->user_id, c->now) : r;
}

static enum store_status space_create(struct store *s, const char *space_id, const char *user_id, const char *time_zone,
                                      int64_t now)
{
	struct create c = {space_id, user_id, time_zone, now};
	return tx_run(s, create_fn, &c);
}

static enum store_status space_member_count(struct store *s, const char *space_id, int *count)
{
	return member_count(db_of(s), space_id, count);
}

/* ---- joining ---- */

/*
 * Issue 14: what the first member set as their intention while alone in the space becomes a proposal to the
 * partner who joins, never a rule for them: they are asked, as for any agreement (no answers exist yet).
 */
DB_QUERY(Q_INTENTIONS_PROPOSE, "UPDATE agreements SET status = 'proposed' WHERE space_id = ?1"
                               " AND status IN ('active', 'paused')");
DB_QUERY(Q_ANSWERS_CLEAR, "DELETE FROM agreement_answers WHERE space_id = ?1");

struct join {
	const char *code_hash, *user_id;
	int64_t now;
	enum join_result result;
	char space_id[ID_LEN + 1];
};

/*
 * Joins through an unused, unexpired invite. The space row is locked before
 * the invite is read again and the members counted, so two joins through one
 * code, or a join and a leave, run one after the other. A refusal sets
 * j->result and returns STORE_NOT_FOUND, so that nothing is kept.
 */
static enum store_status join_fn(struct db *d, void *ctx)
{
	struct join *j = ctx;
	j->result = JOIN_NO_CODE;
	char current[ID_LEN + 1], again[ID_LEN + 1];
	const struct db_param invite[] = {db_text(j->code_hash), db_int(j->now)};
	enum store_status r = first_id(d, &Q_MEMBER_OF, current, DB_ARGS(db_text(j->user_id)));
	if (r == STORE_OK && current[0]) {
		j->result = JOIN_ALREADY_IN_SPACE;
		return STORE_NOT_FOUND;
	}
	if (r == STORE_OK)
		r = first_id(d, &Q_INVITE_FIND, j->space_id, invite, ARRAY_LEN(invite));
	if (r == STORE_OK && !j->space_id[0])
		r = STORE_NOT_FOUND;
	if (r == STORE_OK)
		r = db_lock_space(d, j->space_id); /* not found: it went with its last member */
	/* The invite may have been used meanwhile. */
	if (r == STORE_OK)
		r = first_id(d, &Q_INVITE_FIND, again, invite, ARRAY_LEN(invite));
	if (r == STORE_OK && strcmp(again, j->space_id) != 0)
		r = STORE_NOT_FOUND;
	if (r != STORE_OK) {
		j->space_id[0] = '\0';
		return r;
	}
	int count = 0;
	r = member_count(d, j->space_id, &count);
	if (r == STORE_OK && count >= 2) {
		j->result = JOIN_FULL;
		return STORE_NOT_FOUND;
	}
	if (r == STORE_OK)
		r = member_insert(d, j->space_id, j->user_id, j->now);
	if (r == STORE_CONFLICT) {
		j->result = JOIN_ALREADY_IN_SPACE; /* entered another space while this ran */
		return r;
	}
	if (r == STORE_OK)
		r = db_write(d, &Q_INVITE_USE, invite, ARRAY_LEN(invite));
	if (r == STORE_OK)
		r = db_write(d, &Q_INVITES_VOID, DB_ARGS(db_text(j->space_id)));
	if (r == STORE_OK)
		r = db_write(d, &Q_INTENTIONS_PROPOSE, DB_ARGS(db_text(j->space_id)));
	if (r == STORE_OK)
		r = db_write(d, &Q_ANSWERS_CLEAR, DB_ARGS(db_text(j->space_id)));
	if (r == STORE_OK)
		j->result = JOIN_OK;
	return r;
}

static enum store_status space_join(struct store *s, const char *code_hash, const char *user_id, int64_t now,
                                    enum join_result *result, char space_id_out[ID_LEN + 1])
{
	struct join j = {.code_hash = code_hash, .user_id = user_id, .now = now};
	enum store_status r = tx_run(s, join_fn, &j);
	*result = j.result;
	memcpy(space_id_out, j.space_id, sizeof j.space_id);
	if (j.result != JOIN_OK && (r == STORE_NOT_FOUND || r == STORE_CONFLICT))
		r = STORE_OK; /* a refusal, told in *result */
	return r;
}

/* ---- leaving ---- */

struct leave {
	const char *space_id, *user_id;
};

static enum store_status detach(struct db *d, const char *space_id, const char *person)
{
	enum store_status r = STORE_OK;
	for (size_t i = 0; i < ARRAY_LEN(detach_steps) && r == STORE_OK; i++)
		r = db_write(d, detach_steps[i], DB_ARGS(db_text(space_id), db_text(person)));
	for (size_t i = 0; i < ARRAY_LEN(bridge_detach_steps) && r == STORE_OK; i++)
		r = db_write(d, bridge_detach_steps[i], DB_ARGS(db_text(space_id), db_text(person)));
	return r;
}

/*
 * Leaving ends the couple's shared history: what each of the two wrote moves
 * to their own scope (visible to its author alone), the leaver's and the
 * remaining partner's alike, so a later partner in the same space never sees
 * what was written for the one before. STORE_NOT_FOUND when the user is not
 * in the space.
 */
static enum store_status leave_fn(struct db *d, void *ctx)
{
	const struct leave *l = ctx;
	enum store_status r = db_lock_space(d, l->space_id);
	if (r == STORE_OK)
		r = db_change(d, &Q_MEMBER_DELETE, DB_ARGS(db_text(l->space_id), db_text(l->user_id)));
	/* The leaver's consent to the space's therapist ends with their membership. */
	if (r == STORE_OK)
		r = db_write(d, &Q_CONSENT_DROP, DB_ARGS(db_text(l->space_id), db_text(l->user_id)));
	if (r == STORE_OK)
		r = db_write(d, &Q_INVITES_VOID, DB_ARGS(db_text(l->space_id)));
	if (r == STORE_OK)
		r = db_write(d, &Q_CYCLE_EDITS_DROP, DB_ARGS(db_text(l->space_id)));
	if (r == STORE_OK)
		r = detach(d, l->space_id, l->user_id);
	char remaining[ID_LEN + 1] = "";
	if (r == STORE_OK)
		r = first_id(d, &Q_MEMBER_REMAINING, remaining, DB_ARGS(db_text(l->space_id)));
	if (r == STORE_OK && remaining[0])
		r = detach(d, l->space_id, remaining);
	if (r == STORE_OK && remaining[0]) {
		/* Made here, inside the leave, so that the record and the leave are one. */
		char id[ID_LEN + 1];
		id_new(id);
		r = db_write(d, &Q_DEPARTURE_INSERT,
		             DB_ARGS(db_text(l->space_id), db_text(id), db_text(l->user_id), db_int(now_ms())));
	}
	for (size_t i = 0; i < ARRAY_LEN(empty_steps) && r == STORE_OK; i++)
		r = db_write(d, empty_steps[i], DB_ARGS(db_text(l->space_id)));
	return r;
}

static enum store_status space_leave(struct store *s, const char *space_id, const char *user_id)
{
	struct leave l = {space_id, user_id};
	return tx_run(s, leave_fn, &l);
}

void store_space_init(struct store *s)
{
	s->space_create = space_create;
	s->space_member_count = space_member_count;
	s->space_join = space_join;
	s->space_leave = space_leave;
}
