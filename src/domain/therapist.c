/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapist.c - see therapist.h. Consent is checked here, at every read:
 * a partner who has not consented, or who revoked consent, contributes
 * nothing, and only items that partner marked "therapist" are read.
 */
#include "therapist.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "checkin.h"
#include "date.h"
#include "keyring.h"
#include "page.h"
#include "prompt.h"
#include "repair.h"
#include "safety.h"
#include "text.h"
#include "trends.h"

static bool is_therapist(const struct viewer *v)
{
	return viewer_role(v) == ROLE_THERAPIST;
}

bool therapist_invite(struct store *s, const struct viewer *v, char *code, int64_t *expires_at, struct problem *p)
{
	assert(viewer_sane(v) && code && expires_at);
	if (!is_therapist(v))
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only therapist accounts can invite couples.");
	auth_invite_code_new(code);
	char hash[TOKEN_HASH_LEN + 1];
	auth_token_hash(code, strlen(code), hash);
	int64_t now = now_ms();
	*expires_at = now + INVITE_LIFETIME_MS;
	enum store_status st = s->tinvite_insert(s, hash, v->user_id, now, *expires_at);
	return st == STORE_OK || problem_from_store(p, st);
}

bool therapist_link(struct store *s, const struct viewer *v, const char *code, const char *client_addr,
                    struct problem *p)
{
	assert(viewer_sane(v) && client_addr);
	if (!v->space_id[0])
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You are not in a space yet.");
	struct throttle_attempt attempt;
	if (!throttle_code_begin(s, "tlink", v->user_id, client_addr, &attempt, p))
		return false;
	char canonical[INVITE_CODE_LEN + 1];
	enum link_result result = LINK_NO_CODE;
	if (code && auth_invite_code_normalise(code, strlen(code), canonical) == 0) {
		char hash[TOKEN_HASH_LEN + 1];
		auth_token_hash(canonical, strlen(canonical), hash);
		enum store_status st = s->therapist_link(s, v->space_id, hash, v->user_id, now_ms(), &result);
		if (st != STORE_OK) {
			throttle_forget(s, &attempt);
			return problem_from_store(p, st);
		}
	}
	if (result != LINK_NO_CODE) /* only a wrong code is a failure */
		throttle_forget(s, &attempt);
	if (result == LINK_OK)
		return true;
	if (result == LINK_ALREADY)
		return problem_set(p, OUTCOME_CONFLICT, "therapist_linked", NULL,
		                   "Your space already has a therapist. Unlink them first to link another.");
	return problem_set(p, OUTCOME_NOT_FOUND, "not_found", "code",
	                   "That therapist code is not valid. It may have been used or be older than 72 hours.");
}

const char *consent_state_name(enum consent_state c)
{
	switch (c) {
	case CONSENT_GRANTED:
		return "granted";
	case CONSENT_DECLINED:
		return "declined";
	case CONSENT_UNDECIDED:
		break;
	}
	return "undecided";
}

enum consent_state consent_state_of(const struct store_space_therapist *t, const char *user_id)
{
	for (int i = 0; i < t->members; i++)
		if (strcmp(t->member_ids[i], user_id) == 0)
			return t->consent_state[i];
	return CONSENT_UNDECIDED;
}

const char *therapist_member_name(const struct store_space_therapist *t, const char *user_id)
{
	for (int i = 0; i < t->members; i++)
		if (strcmp(t->member_ids[i], user_id) == 0)
			return t->member_names[i];
	return "";
}

/* The space's therapist, with the names opened (they are sealed in the store). */
static bool space_therapist_open(struct store *s, const char *space_id, struct store_space_therapist *t,
                                 struct problem *p)
{
	enum store_status st = s->space_therapist(s, space_id, t);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!account_name_open(s, t->therapist_id, t->display_name, p))
		return false;
	for (int i = 0; i < t->members; i++)
		if (!account_name_open(s, t->member_ids[i], t->member_names[i], p))
			return false;
	return true;
}

bool therapist_of_space(struct store *s, const struct viewer *v, struct store_space_therapist *t, struct problem *p)
{
	assert(viewer_sane(v) && t);
	if (!v->space_id[0])
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You are not in a space.");
	if (space_therapist_open(s, v->space_id, t, p))
		return true;
	if (p->outcome == OUTCOME_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "Your space has no therapist.");
	return false;
}

bool therapist_consent(struct store *s, const struct viewer *v, bool grant, struct problem *p)
{
	struct store_space_therapist t;
	if (!therapist_of_space(s, v, &t, p))
		return false;
	enum store_status st = s->consent_set(s, v->space_id, v->user_id, grant, now_ms());
	return st == STORE_OK || problem_from_store(p, st);
}

bool therapist_unlink(struct store *s, const struct viewer *v, struct problem *p)
{
	if (!v->space_id[0])
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You are not in a space.");
	enum store_status st = s->therapist_unlink(s, v->space_id);
	if (st == STORE_NOT_FOUND)
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "Your space has no therapist.");
	return st == STORE_OK || problem_from_store(p, st);
}

/* The partners who consent now (up to two ids; empty strings for none). */
static void consenting(const struct store_space_therapist *t, const char *ids[2])
{
	ids[0] = ids[1] = "";
	int n = 0;
	for (int i = 0; i < t->members; i++)
		if (t->consent[i])
			ids[n++] = t->member_ids[i];
}

bool therapist_space_open(struct store *s, const struct viewer *v, const char *space_id, struct therapist_space *out,
                          struct problem *p)
{
	assert(viewer_sane(v) && out);
	memset(out, 0, sizeof *out);
	if (!is_therapist(v) || !id_valid(space_id))
		return problem_from_store(p, STORE_NOT_FOUND);
	if (!space_therapist_open(s, space_id, &out->t, p))
		return false;
	if (strcmp(out->t.therapist_id, v->user_id) != 0)
		return problem_from_store(p, STORE_NOT_FOUND);
	snprintf(out->space_id, sizeof out->space_id, "%s", space_id);
	enum store_status st = s->visit_get(s, space_id, v->user_id, &out->last_visit);
	return st == STORE_OK || problem_from_store(p, st);
}

bool therapist_spaces(struct store *s, const struct viewer *v, struct arena *a, struct therapist_space **items,
                      int *count, struct problem *p)
{
	assert(viewer_sane(v) && items && count);
	*count = 0;
	*items = NULL;
	if (!is_therapist(v))
		return problem_set(p, OUTCOME_FORBIDDEN, "forbidden", NULL,
		                   "Only therapist accounts have linked spaces.");
	char(*ids)[ID_LEN + 1];
	int n = 0;
	enum store_status st = s->therapist_spaces(s, a, v->user_id, &ids, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*items = arena_alloc(a, sizeof **items * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		struct therapist_space *ts = &(*items)[*count];
		if (!therapist_space_open(s, v, ids[i], ts, p)) {
			if (p->outcome == OUTCOME_NOT_FOUND)
				continue; /* unlinked meanwhile */
			return false;
		}
		const char *who[2];
		consenting(&ts->t, who);
		if (who[0][0]) {
			struct store_checkin *rows;
			int k = 0;
			st = s->checkin_list_therapist(s, a, ts->space_id, who[0], who[1], 0, NULL, 100, &rows, &k);
			if (st != STORE_OK)
				return problem_from_store(p, st);
			for (int j = 0; j < k; j++)
				ts->new_items += rows[j].created_at > ts->last_visit;
		}
		(*count)++;
	}
	return true;
}

/* The associated data of an access-log line's sealed name. */
static void access_ad(const char *id, char ad[96])
{
	snprintf(ad, 96, "access:%s:who_name", id);
}

/* Writes one access-log line: who looked at what (the name sealed for the space). A failure refuses the read. */
static bool log_access(struct store *s, const struct viewer *v, const char *space_id, const char *what,
                       struct problem *p)
{
	struct store_access e = {0};
	id_new(e.id);
	e.at = now_ms();
	snprintf(e.who_id, sizeof e.who_id, "%s", v->user_id);
	snprintf(e.what, sizeof e.what, "%s", what);
	char ad[96];
	access_ad(e.id, ad);
	enum store_status st =
	    keyring_seal_field(s->keys, s, space_id, ad, v->display_name, e.who_name, sizeof e.who_name);
	if (st == STORE_OK)
		st = s->access_insert(s, space_id, &e);
	if (st == STORE_OK)
		st = s->visit_set(s, space_id, v->user_id, e.at);
	return st == STORE_OK || problem_from_store(p, st);
}

bool therapist_checkins(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *cursor,
                        int limit, struct arena *a, struct store_checkin **items, int *count, char **next,
                        struct problem *p)
{
	assert(viewer_sane(v) && ts && limit > 0);
	int64_t bt = 0;
	char bid[ID_LEN + 1] = "";
	*items = NULL;
	*count = 0;
	*next = NULL;
	if (!page_after(cursor, &bt, bid, p))
		return false;
	const char *who[2];
	consenting(&ts->t, who);
	if (!ts->one_visit && !log_access(s, v, ts->space_id, "viewed the check-ins shared with the therapist", p))
		return false;
	if (!who[0][0])
		return true;
	struct store_checkin *rows;
	int n = 0;
	enum store_status st =
	    s->checkin_list_therapist(s, a, ts->space_id, who[0], who[1], bt, bid, limit + 1, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < n && i < limit; i++) {
		if (!checkin_open(s, &rows[i], a, p))
			return false;
		checkin_redact(&rows[i], v, true); /* only the items marked therapist */
	}
	*items = rows;
	*count = n < limit ? n : limit;
	if (n > limit)
		*next = page_cursor(a, rows[limit - 1].created_at, rows[limit - 1].id);
	return true;
}

bool therapist_repairs(struct store *s, const struct viewer *v, const struct therapist_space *ts, struct arena *a,
                       json_t **items, struct problem *p)
{
	assert(viewer_sane(v) && ts);
	*items = NULL;
	if (!ts->one_visit && !log_access(s, v, ts->space_id, "viewed the list of repairs (titles and states)", p))
		return false;
	struct store_repair *rows;
	int n = 0;
	enum store_status st = s->repair_list(s, a, ts->space_id, "", 0, NULL, 100, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*items = json_array();
	const char *who[2];
	consenting(&ts->t, who);
	for (int i = 0; i < n; i++) {
		/* Only repairs a consenting partner opened; nothing of one who does not consent. */
		if (rows[i].solo || !who[0][0] ||
		    (strcmp(rows[i].created_by, who[0]) != 0 && strcmp(rows[i].created_by, who[1]) != 0))
			continue;
		char *title = NULL;
		st = keyring_open_text(s->keys, s, arena_printf(a, "repair:%s:title", rows[i].id), rows[i].title, a,
		                       &title);
		if (st != STORE_OK) {
			json_decref(*items);
			*items = NULL;
			return problem_from_store(p, st);
		}
		struct store_repair_side sides[2];
		int k = 0;
		st = s->repair_sides(s, a, rows[i].space_id, rows[i].id, sides, &k);
		if (st != STORE_OK) {
			json_decref(*items);
			*items = NULL;
			return problem_from_store(p, st);
		}
		/* The state from the one state machine; which side is whose does not matter here. */
		bool sub[2] = {false, false}, ack[2] = {false, false};
		for (int j = 0; j < k && j < 2; j++) {
			sub[j] = sides[j].submitted_at > 0;
			ack[j] = sides[j].acknowledged_at > 0;
		}
		const char *state = repair_state_name(repair_state_of(false, sub[0], sub[1], ack[0], ack[1]));
		char at[32];
		time_rfc3339(rows[i].created_at, at);
		json_array_append_new(*items, json_pack("{s:s, s:s?, s:s, s:s}", "id", rows[i].id, "title", title,
		                                        "state", state, "created_at", at));
	}
	return true;
}

bool therapist_trends(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *metric,
                      const char *from, const char *to, struct arena *a, json_t **series, struct problem *p)
{
	assert(viewer_sane(v) && ts && date_valid(from) && date_valid(to));
	*series = NULL;
	enum trend_metric kind;
	const struct questionnaire *q;
	if (!trend_metric_parse(metric, &kind, &q) || kind == METRIC_QUESTIONNAIRE)
		return problem_invalid(p, "metric", "metric is mood, connection or secure.");
	if (!ts->one_visit && !log_access(s, v, ts->space_id, "viewed the trends shared with the therapist", p))
		return false;
	*series = json_array();
	for (int m = 0; m < ts->t.members; m++) {
		if (!ts->t.consent[m])
			continue;
		struct store_checkin *rows;
		int n = 0;
		enum store_status st =
		    s->checkin_list_therapist(s, a, ts->space_id, ts->t.member_ids[m], "", 0, NULL, 2000, &rows, &n);
		if (st != STORE_OK) {
			json_decref(*series);
			*series = NULL;
			return problem_from_store(p, st);
		}
		int64_t *times = arena_alloc(a, sizeof *times * (size_t)(n ? n : 1));
		double *values = arena_alloc(a, sizeof *values * (size_t)(n ? n : 1));
		int kept = 0;
		for (int i = 0; i < n; i++) { /* newest first: reverse into time order */
			struct store_checkin *c = &rows[n - 1 - i];
			/* Only an item marked therapist (per-item visibility; kind is mood, connection or secure). */
			if (checkin_item_visibility(c, (enum checkin_item)kind) != VISIBILITY_THERAPIST)
				continue;
			if (!checkin_open_point(s, c->id, c->sealed.scales, &c->mood, &c->connection, &c->secure, p)) {
				json_decref(*series);
				*series = NULL;
				return false;
			}
			times[kept] = c->created_at;
			values[kept++] = trend_metric_value(kind, c->mood, c->connection, c->secure);
		}
		n = kept;
		/* The therapist's trends count UTC days. */
		struct trend_series means;
		trend_daily_means("UTC", times, values, n, from, to, a, &means);
		json_t *points = json_array();
		for (int i = 0; i < means.count; i++)
			json_array_append_new(points, json_pack("{s:s, s:f}", "date", means.points[i].date, "value",
			                                        means.points[i].value));
		json_array_append_new(*series, json_pack("{s:s, s:s, s:o}", "partner_id", ts->t.member_ids[m],
		                                         "display_name", ts->t.member_names[m], "series", points));
	}
	return true;
}

bool therapist_safety(struct store *s, const struct viewer *v, const struct therapist_space *ts, struct arena *a,
                      json_t **items, struct problem *p)
{
	assert(viewer_sane(v) && ts);
	*items = NULL;
	struct store_safety_check *rows;
	int n = 0;
	enum store_status st = s->safety_shared(s, a, ts->space_id, 50, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*items = json_array();
	for (int i = 0; i < n; i++) {
		/* Shared, and the person consents now: consent stays revocable for these too. */
		bool consents = false;
		for (int m = 0; m < ts->t.members; m++)
			consents |= strcmp(ts->t.member_ids[m], rows[i].user_id) == 0 && ts->t.consent[m];
		if (!consents)
			continue;
		if (!safety_check_open(s, &rows[i], p)) {
			json_decref(*items);
			*items = NULL;
			return false;
		}
		char at[32];
		time_rfc3339(rows[i].created_at, at);
		const char *name = "";
		for (int m = 0; m < ts->t.members; m++)
			if (strcmp(ts->t.member_ids[m], rows[i].user_id) == 0)
				name = ts->t.member_names[m];
		json_array_append_new(*items, json_pack("{s:s, s:s, s:b, s:b, s:s}", "partner_id", rows[i].user_id,
		                                        "display_name", name, "afraid", rows[i].afraid, "pressured",
		                                        rows[i].pressured, "at", at));
	}
	/* Logged after the consent filter, so the line says what was really shown. */
	size_t shown = json_array_size(*items);
	const char *what = shown == 0   ? "looked for safety checks shared with the therapist; there were none"
	                   : shown == 1 ? "viewed 1 safety check shared with the therapist"
	                                : arena_printf(a, "viewed %zu safety checks shared with the therapist", shown);
	if (!ts->one_visit && !log_access(s, v, ts->space_id, what, p)) {
		json_decref(*items);
		*items = NULL;
		return false;
	}
	return true;
}

bool therapist_log_visit(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                         const struct therapist_visit *seen, struct arena *a, struct problem *p)
{
	assert(viewer_sane(v) && ts && seen);
	const char *parts[8];
	int n = 0;
	if (seen->checkins)
		parts[n++] = "the check-ins shared with the therapist";
	if (seen->repairs)
		parts[n++] = "the list of repairs";
	if (seen->cycle)
		parts[n++] = "our cycle";
	if (seen->questionnaires) /* issue 13, sessions */
		parts[n++] = "the questionnaire results";
	if (seen->homework)
		parts[n++] = "the homework";
	if (seen->safety_count == 1)
		parts[n++] = "1 shared safety check";
	else if (seen->safety_count > 1)
		parts[n++] = arena_printf(a, "%d shared safety checks", seen->safety_count);
	if (seen->bridge)
		parts[n++] = "the list for the next session";
	if (n == 0)
		return true;
	/* "viewed A", "viewed A and B", "viewed A, B and C": all of them fit store_access.what (256 bytes). */
	const char *what = arena_printf(a, "viewed %s", parts[0]);
	for (int i = 1; i < n; i++)
		what = arena_printf(a, "%s%s%s", what, i == n - 1 ? " and " : ", ", parts[i]);
	assert(strlen(what) < sizeof((struct store_access *)0)->what);
	return log_access(s, v, ts->space_id, what, p);
}

bool therapist_log_read(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *what,
                        struct problem *p)
{
	assert(viewer_sane(v) && ts && what && strlen(what) < sizeof((struct store_access *)0)->what);
	return ts->one_visit || log_access(s, v, ts->space_id, what, p);
}

bool therapist_note_add(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *text,
                        struct arena *a, struct store_note *out, struct problem *p)
{
	assert(viewer_sane(v) && ts && out);
	if (text_blank(text))
		return problem_invalid(p, "text", "Write the note first.");
	if (!text_fits(text, TEXT_MAX_CHARS))
		return problem_invalid(p, "text", "Please keep a note to 4000 characters or fewer.");
	memset(out, 0, sizeof *out);
	id_new(out->id);
	snprintf(out->space_id, sizeof out->space_id, "%s", ts->space_id);
	snprintf(out->therapist_id, sizeof out->therapist_id, "%s", v->user_id);
	out->created_at = now_ms();
	struct store_note sealed = *out;
	enum store_status st =
	    keyring_seal(s->keys, s, ts->space_id, arena_printf(a, "note:%s:text", out->id), text, a, &sealed.text);
	if (st == STORE_OK)
		st = s->note_insert(s, &sealed);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	out->text = arena_strdup(a, text);
	return true;
}

bool therapist_notes(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *cursor,
                     int limit, struct arena *a, struct store_note **items, int *count, char **next, struct problem *p)
{
	assert(viewer_sane(v) && ts && limit > 0);
	int64_t bt = 0;
	char bid[ID_LEN + 1] = "";
	*next = NULL;
	if (!page_after(cursor, &bt, bid, p))
		return false;
	int n = 0;
	enum store_status st = s->note_list(s, a, ts->space_id, v->user_id, bt, bid, limit + 1, items, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < n && i < limit; i++) {
		st = keyring_open_text(s->keys, s, arena_printf(a, "note:%s:text", (*items)[i].id), (*items)[i].text, a,
		                       &(*items)[i].text);
		if (st != STORE_OK)
			return problem_from_store(p, st);
	}
	*count = n < limit ? n : limit;
	if (n > limit)
		*next = page_cursor(a, (*items)[limit - 1].created_at, (*items)[limit - 1].id);
	return true;
}

bool access_log_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                     struct store_access **items, int *count, char **next, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0);
	int64_t bt = 0;
	char bid[ID_LEN + 1] = "";
	*next = NULL;
	if (!v->space_id[0])
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", NULL, "You are not in a space.");
	if (!page_after(cursor, &bt, bid, p))
		return false;
	int n = 0;
	enum store_status st = s->access_list(s, a, v->space_id, bt, bid, limit + 1, items, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*count = n < limit ? n : limit;
	for (int i = 0; i < *count; i++) {
		char ad[96];
		access_ad((*items)[i].id, ad);
		st = keyring_open_field(s->keys, s, ad, (*items)[i].who_name, sizeof(*items)[i].who_name);
		if (st != STORE_OK)
			return problem_from_store(p, st);
	}
	if (n > limit)
		*next = page_cursor(a, (*items)[limit - 1].at, (*items)[limit - 1].id);
	return true;
}
