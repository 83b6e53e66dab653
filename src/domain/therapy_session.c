/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * therapy_session.c - see therapy_session.h. Laid out as: the pure date rules;
 * the next session (read by members, set by the therapist); the questionnaire
 * results shared with the therapist; the before-session summary, built from a
 * table of sections (summary_sections) that later features extend.
 *
 * Consent is checked as in therapist.c, at every read: only partners who
 * consent now contribute, and only what they marked "therapist". The session
 * date is not such an item: it is the therapist's information for the couple,
 * so both partners always see it, whatever their consent.
 */
#include "therapy_session.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "bridge.h"
#include "checkin.h"
#include "date.h"
#include "homework.h"
#include "page.h"
#include "trends.h"

/* ------------------------------------------------------------------ the date rules */

/* Reads exactly n digits at s into *out. */
static bool digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/*
 * "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM|-HH:MM]" into its fields; *offset_min is
 * the offset in minutes and *has_offset whether one was written.
 */
static bool parse_local(const char *t, int f[5], bool *has_offset, int *offset_min)
{
	int sec = 0;
	if (strlen(t) < 16 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != 't') || t[13] != ':' ||
	    !digits(t, 4, &f[0]) || !digits(t + 5, 2, &f[1]) || !digits(t + 8, 2, &f[2]) || !digits(t + 11, 2, &f[3]) ||
	    !digits(t + 14, 2, &f[4]))
		return false;
	const char *rest = t + 16;
	if (rest[0] == ':') {
		if (!digits(rest + 1, 2, &sec) || sec > 59)
			return false;
		rest += 3;
	}
	*has_offset = false;
	*offset_min = 0;
	if (!*rest)
		return true;
	*has_offset = true;
	if ((rest[0] == 'Z' || rest[0] == 'z') && !rest[1])
		return true;
	int oh, om;
	if ((rest[0] != '+' && rest[0] != '-') || strlen(rest) != 6 || rest[3] != ':' || !digits(rest + 1, 2, &oh) ||
	    !digits(rest + 4, 2, &om) || oh > 18 || om > 59)
		return false;
	*offset_min = (rest[0] == '-' ? -1 : 1) * (oh * 60 + om);
	return true;
}

/* The instant the wall clock in zone shows the fields f (year, month, day, hour, minute); false when they are no time.
 */
static bool wall_ms(const char *zone, const int f[5], int64_t *ms)
{
	char date[16];
	snprintf(date, sizeof date, "%04d-%02d-%02d", f[0], f[1], f[2]);
	if (!date_valid(date) || f[3] > 23 || f[4] > 59)
		return false;
	*ms = date_wall_ms(zone, date, f[3], f[4]); /* a time skipped by summer time: the end of the jump */
	return true;
}

bool therapy_session_parse_at(const char *text, const char *zone, int64_t now, int64_t *at, struct problem *p)
{
	assert(at);
	int f[5];
	bool has_offset;
	int offset;
	int64_t ms = 0;
	if (!text || !*text)
		return problem_invalid(p, "at", "Choose the date and time of the next session.");
	bool ok = parse_local(text, f, &has_offset, &offset);
	if (ok && has_offset) /* the wall clock at that offset: the same fields in UTC, then moved back */
		ok = wall_ms("UTC", f, &ms), ms -= (int64_t)offset * 60000;
	else if (ok)
		ok = wall_ms(zone && *zone ? zone : "UTC", f, &ms);
	if (!ok)
		return problem_invalid(p, "at", "Give the date and time as 2026-12-03T17:00.");
	if (ms <= now)
		return problem_invalid(p, "at", "Choose a time that is still to come: this is the next session.");
	if (ms > now + SESSION_AHEAD_MAX_DAYS * SESSION_DAY_MS)
		return problem_invalid(p, "at", "Choose a time within the coming year.");
	*at = ms;
	return true;
}

int64_t therapy_session_roll(int64_t old_next, int64_t old_previous, int64_t now)
{
	return old_next > 0 && old_next <= now ? old_next : old_previous;
}

int64_t therapy_session_last(int64_t next, int64_t previous, int64_t now)
{
	if (next > 0 && next <= now)
		return next;
	return previous > 0 && previous <= now ? previous : 0;
}

int64_t therapy_session_upcoming(int64_t next, int64_t now)
{
	return next > now ? next : 0;
}

bool therapy_session_this_week(int64_t next, int64_t now)
{
	return next > now && next - now <= SESSION_NOTICE_MS;
}

/* The instant local midnight of date (valid) begins in zone (UTC for an unknown zone). */
static int64_t day_start(const char *zone, const char *date)
{
	return date_wall_ms(zone, date, 0, 0);
}

bool therapy_session_period(const char *from, const char *to, const char *zone, int64_t last_session, int64_t now,
                            struct session_period *out, struct problem *p)
{
	assert(out);
	memset(out, 0, sizeof *out);
	char today[11];
	if (!date_local(zone, now, today))
		zone = "UTC";
	problem_begin(p); /* every invalid field at once */
	bool from_given = from && *from, to_given = to && *to;
	if (to_given && !date_valid(to))
		problem_add(p, "to", "Give the date as YYYY-MM-DD.");
	if (from_given && !date_valid(from))
		problem_add(p, "from", "Give the date as YYYY-MM-DD.");
	if (!problem_none(p))
		return false;
	snprintf(out->to, sizeof out->to, "%s", to_given ? to : today);
	if (from_given) {
		snprintf(out->from, sizeof out->from, "%s", from);
		out->from_at = day_start(zone, from);
	} else if (last_session > 0) {
		date_local(zone, last_session, out->from);
		out->from_at = last_session;
		out->since_session = true;
	} else {
		if (!date_add_days(today, -SUMMARY_DEFAULT_DAYS, out->from))
			snprintf(out->from, sizeof out->from, "%s", today);
		out->from_at = day_start(zone, out->from);
	}
	char after[11];
	if (!date_add_days(out->to, 1, after))
		snprintf(after, sizeof after, "%s", out->to);
	out->to_at = day_start(zone, after);
	if (strcmp(out->from, out->to) > 0)
		problem_add(p, "from", "The start of the period must not be after its end.");
	else if (date_days_between(out->from, out->to) > SUMMARY_MAX_DAYS)
		problem_add(p, "from", "Choose a period of at most a year.");
	return problem_none(p);
}

/* ------------------------------------------------------------------ the next session */

bool therapy_session_of_space(struct store *s, const struct viewer *v, struct store_session_plan *plan, char *name,
                              struct problem *p)
{
	assert(viewer_sane(v) && plan);
	*plan = (struct store_session_plan){0};
	if (name)
		name[0] = 0;
	if (!v->space_id[0])
		return true;
	enum store_status st = s->session_plan_get(s, v->space_id, plan);
	if (st == STORE_NOT_FOUND)
		return true; /* no therapist: no session */
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!name || !plan->next_at)
		return true;
	struct store_user u;
	st = s->user_by_id(s, plan->therapist_id, &u);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!account_name_open(s, u.id, u.display_name, p))
		return false;
	snprintf(name, SEALED_NAME_SIZE, "%s", u.display_name);
	return true;
}

bool therapy_session_plan(struct store *s, const struct therapist_space *ts, struct store_session_plan *out,
                          struct problem *p)
{
	enum store_status st = s->session_plan_get(s, ts->space_id, out);
	return st == STORE_OK || problem_from_store(p, st);
}

/* Writes to the store at most this often when another write keeps changing the next session under us. */
#define SESSION_SET_TRIES 3

bool therapy_session_set(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *at_text,
                         struct store_session_plan *out, struct problem *p)
{
	assert(viewer_sane(v) && ts && out);
	int64_t now = now_ms(), at = 0;
	if (at_text && !therapy_session_parse_at(at_text, viewer_time_zone(v), now, &at, p))
		return false;
	for (int i = 0; i < SESSION_SET_TRIES; i++) {
		struct store_session_plan old;
		if (!therapy_session_plan(s, ts, &old, p))
			return false;
		if (strcmp(old.therapist_id, v->user_id) != 0) /* unlinked, or another therapist meanwhile */
			return problem_from_store(p, STORE_NOT_FOUND);
		*out =
		    (struct store_session_plan){.next_at = at,
		                                .previous_at = therapy_session_roll(old.next_at, old.previous_at, now),
		                                .set_at = now};
		snprintf(out->therapist_id, sizeof out->therapist_id, "%s", v->user_id);
		enum store_status st = s->session_plan_set(s, ts->space_id, old.next_at, out);
		if (st == STORE_OK)
			return true;
		if (st != STORE_NOT_FOUND)
			return problem_from_store(p, st);
	}
	return problem_set(p, OUTCOME_CONFLICT, "conflict", NULL,
	                   "The session's date was changed at the same time. Please look and try again.");
}

/* ------------------------------------------------------------------ questionnaire results */

/* Results read to find each one's previous shared result (a couple has a few dozen). */
#define QRESULTS_READ_MAX 500

bool therapist_questionnaires(struct store *s, const struct viewer *v, const struct therapist_space *ts, int64_t before,
                              const char *before_id, int64_t from_at, int limit, struct arena *a,
                              struct therapist_qresult **items, int *count, const char **next, struct problem *p)
{
	assert(viewer_sane(v) && ts && limit > 0 && items && count && next);
	*items = NULL;
	*count = 0;
	*next = NULL;
	if (!therapist_log_read(s, v, ts, "viewed the questionnaire results shared with the therapist", p))
		return false;
	const char *who[2] = {"", ""};
	int n_who = 0;
	for (int m = 0; m < ts->t.members; m++)
		if (ts->t.consent[m])
			who[n_who++] = ts->t.member_ids[m];
	if (!n_who)
		return true;
	struct store_qresponse *rows;
	int n = 0;
	enum store_status st = s->qresponse_list_therapist(s, a, ts->space_id, who[0], who[1], before, before_id,
	                                                   QRESULTS_READ_MAX, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*items = arena_alloc(a, sizeof **items * (size_t)(limit + 1));
	bool *opened = arena_alloc(a, sizeof *opened * (size_t)(n ? n : 1));
	memset(opened, 0, sizeof *opened * (size_t)(n ? n : 1));
	for (int i = 0; i < n && rows[i].created_at >= from_at; i++) {
		const struct questionnaire *q = questionnaire_by_id(rows[i].questionnaire_id);
		if (!q) /* an instrument this server no longer ships */
			continue;
		if (*count == limit) {
			const struct store_qresponse *last = &(*items)[limit - 1].response;
			*next = page_cursor(a, last->created_at, last->id);
			break;
		}
		if (!opened[i] && !questionnaire_open(s, &rows[i], false, a, p))
			return false;
		opened[i] = true;
		struct therapist_qresult *r = &(*items)[(*count)++];
		r->response = rows[i];
		r->q = q;
		r->band = questionnaire_band(q, rows[i].score);
		const struct store_qresponse *prev = NULL;
		for (int j = i + 1; j < n && !prev; j++) {
			if (strcmp(rows[j].author_id, rows[i].author_id) != 0 ||
			    strcmp(rows[j].questionnaire_id, rows[i].questionnaire_id) != 0)
				continue;
			if (!opened[j] && !questionnaire_open(s, &rows[j], false, a, p))
				return false;
			opened[j] = true;
			prev = &rows[j];
		}
		questionnaire_change(q, rows[i].score, prev, &r->change);
	}
	return true;
}

json_t *therapist_qresult_json(const struct therapist_qresult *r)
{
	json_t *subs = r->response.subscales ? json_loads(r->response.subscales, 0, NULL) : NULL;
	char at[32], from_at[32];
	time_rfc3339(r->response.created_at, at);
	json_t *change = json_null();
	if (r->change.present) {
		time_rfc3339(r->change.from_at, from_at);
		change = json_pack("{s:f, s:f, s:o, s:s}", "from_score", r->change.from_score, "delta", r->change.delta,
		                   "reliable", r->change.reliable < 0 ? json_null() : json_boolean(r->change.reliable),
		                   "from_at", from_at);
	}
	return json_pack("{s:s, s:s, s:s, s:f, s:o, s:s?, s:o, s:s}", "id", r->response.id, "questionnaire_id",
	                 r->response.questionnaire_id, "author_id", r->response.author_id, "score", r->response.score,
	                 "subscales", subs ? subs : json_object(), "band", r->band ? r->band->label : NULL, "change",
	                 change, "created_at", at);
}

/* ------------------------------------------------------------------ the summary */

/* What every section reads from. */
struct summary_ctx {
	struct store *s;
	const struct viewer *v;
	const struct therapist_space *ts; /* one_visit: the summary logs once */
	const struct session_period *period;
	struct arena *a;
	const char *zone; /* the therapist's: the days of the period */
	struct therapist_qresult *results;
	int result_count;
	/* read once for both partners, when their sections are first filled */
	bool homework_read, bridge_read;
	struct homework_view *homework;
	int homework_count;
	struct store_bridge_item *bridge;
	int bridge_count;
};

/*
 * A section fills `into`: for a per-partner section, the object of one
 * consenting partner (member is their index in ts->t); for a couple's
 * section, the summary itself (member -1).
 */
struct summary_section {
	const char *key; /* the JSON key, and the page's section (web/therapy_session.c) */
	bool per_partner;
	bool (*fill)(struct summary_ctx *c, int member, json_t *into, struct problem *p);
};

/* Check-ins: each scale's mean over the period and its daily means, from items marked for the therapist. */
static bool summary_checkins(struct summary_ctx *c, int member, json_t *into, struct problem *p)
{
	struct store_checkin *rows;
	int n = 0;
	enum store_status st = c->s->checkin_list_therapist(c->s, c->a, c->ts->space_id, c->ts->t.member_ids[member],
	                                                    "", 0, NULL, 2000, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	double *values[TREND_CHECKIN_METRICS];
	int kept[TREND_CHECKIN_METRICS] = {0};
	int64_t *when[TREND_CHECKIN_METRICS];
	for (int m = 0; m < TREND_CHECKIN_METRICS; m++) {
		values[m] = arena_alloc(c->a, sizeof *values[m] * (size_t)(n ? n : 1));
		when[m] = arena_alloc(c->a, sizeof *when[m] * (size_t)(n ? n : 1));
	}
	for (int i = n - 1; i >= 0; i--) { /* newest first: oldest first for the days */
		struct store_checkin *ck = &rows[i];
		if (ck->created_at < c->period->from_at || ck->created_at >= c->period->to_at)
			continue;
		bool any = false;
		for (int m = 0; m < TREND_CHECKIN_METRICS; m++)
			any |= checkin_item_visibility(ck, (enum checkin_item)m) == VISIBILITY_THERAPIST;
		if (!any)
			continue;
		if (!checkin_open_point(c->s, ck->id, ck->sealed.scales, &ck->mood, &ck->connection, &ck->secure, p))
			return false;
		for (int m = 0; m < TREND_CHECKIN_METRICS; m++) {
			if (checkin_item_visibility(ck, (enum checkin_item)m) != VISIBILITY_THERAPIST)
				continue;
			when[m][kept[m]] = ck->created_at;
			values[m][kept[m]++] =
			    trend_metric_value((enum trend_metric)m, ck->mood, ck->connection, ck->secure);
		}
	}
	json_t *out = json_object();
	for (int m = 0; m < TREND_CHECKIN_METRICS; m++) {
		double sum = 0;
		for (int i = 0; i < kept[m]; i++)
			sum += values[m][i];
		struct trend_series days;
		trend_daily_means(c->zone, when[m], values[m], kept[m], c->period->from, c->period->to, c->a, &days);
		json_t *series = json_array();
		for (int i = 0; i < days.count; i++)
			json_array_append_new(series, json_pack("{s:s, s:f}", "date", days.points[i].date, "value",
			                                        days.points[i].value));
		json_object_set_new(out, trend_metric_name((enum trend_metric)m),
		                    json_pack("{s:o, s:i, s:o}", "mean",
		                              kept[m] ? json_real(sum / kept[m]) : json_null(), "days", days.count,
		                              "series", series));
	}
	json_object_set_new(into, "checkins", out);
	return true;
}

/* Questionnaires: this partner's shared results in the period, with band and change. */
static bool summary_questionnaires(struct summary_ctx *c, int member, json_t *into, struct problem *p)
{
	(void)p;
	json_t *list = json_array();
	for (int i = 0; i < c->result_count; i++)
		if (strcmp(c->results[i].response.author_id, c->ts->t.member_ids[member]) == 0)
			json_array_append_new(list, therapist_qresult_json(&c->results[i]));
	json_object_set_new(into, "questionnaires", list);
	return true;
}

/* Repairs: titles and states, as the therapist's repairs read allows (nothing any partner wrote). */
static bool summary_repairs(struct summary_ctx *c, int member, json_t *into, struct problem *p)
{
	(void)member;
	json_t *items;
	if (!therapist_repairs(c->s, c->v, c->ts, c->a, &items, p))
		return false;
	json_object_set_new(into, "repairs", items);
	return true;
}

/*
 * Homework (issue 13): what the therapist gave this partner (or both) and where
 * they stand with it: todo, done or not this week, with a "not this week" note.
 * Shown for a partner who consents now, as the homework read shows it.
 */
static bool summary_homework(struct summary_ctx *c, int member, json_t *into, struct problem *p)
{
	if (!c->homework_read) {
		if (!homework_list_for_therapist(c->s, c->v, c->ts, c->a, &c->homework, &c->homework_count, p))
			return false;
		c->homework_read = true;
	}
	json_t *list = json_array();
	const char *who = c->ts->t.member_ids[member];
	for (int i = 0; i < c->homework_count; i++) {
		const struct homework_view *hv = &c->homework[i];
		for (int k = 0; k < hv->partners; k++) {
			if (strcmp(hv->partner_ids[k], who) != 0 || !hv->shown[k])
				continue;
			const char *what = hv->h.text && *hv->h.text ? hv->h.text : hv->ref_title ? hv->ref_title : "";
			json_array_append_new(
			    list, json_pack("{s:s, s:s, s:s, s:s?, s:s, s:s?}", "id", hv->h.id, "kind", hv->h.kind,
			                    "what", what, "due_on", hv->h.due_on[0] ? hv->h.due_on : NULL, "status",
			                    homework_status_name(hv->status[k]), "note", hv->notes[k]));
		}
	}
	json_object_set_new(into, "homework", list);
	return true;
}

/* Brought (issue 13): the items this partner shared with the therapist for the session, open or talked about. */
static bool summary_brought(struct summary_ctx *c, int member, json_t *into, struct problem *p)
{
	if (!c->bridge_read) {
		if (!bridge_list_for_therapist(c->s, c->v, c->ts, true, c->a, &c->bridge, &c->bridge_count, p))
			return false;
		c->bridge_read = true;
	}
	json_t *list = json_array();
	for (int i = 0; i < c->bridge_count; i++) {
		const struct store_bridge_item *it = &c->bridge[i];
		if (strcmp(it->author_id, c->ts->t.member_ids[member]) != 0)
			continue;
		char at[32];
		time_rfc3339(it->talked_about_at, at);
		json_array_append_new(list, json_pack("{s:s, s:s?, s:s?}", "id", it->id, "text", it->text,
		                                      "talked_about_at", it->talked_about_at ? at : NULL));
	}
	json_object_set_new(into, "brought", list);
	return true;
}

/* THE SECTIONS OF THE SUMMARY, in the order the page shows them (web/therapy_session.c). */
static const struct summary_section summary_sections[] = {
    {"checkins", true, summary_checkins}, {"questionnaires", true, summary_questionnaires},
    {"homework", true, summary_homework}, {"brought", true, summary_brought},
    {"repairs", false, summary_repairs},
};

/* The access-log line of a summary: what it shows, said once. */
#define SUMMARY_LOG_LINE                                                                                               \
	"viewed the before-session summary: check-ins, questionnaire results, homework, the list for the next "        \
	"session and repairs"

bool therapy_session_summary(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                             const struct session_period *period, const struct store_session_plan *plan,
                             struct arena *a, json_t **out, struct problem *p)
{
	assert(viewer_sane(v) && ts && period && plan && out);
	*out = NULL;
	struct therapist_space visit = *ts;
	visit.one_visit = true; /* the parts log nothing: one line below */
	struct summary_ctx c = {.s = s, .v = v, .ts = &visit, .period = period, .a = a, .zone = viewer_time_zone(v)};
	const char *next_page;
	if (!therapist_questionnaires(s, v, &visit, period->to_at, NULL, period->from_at, QRESULTS_READ_MAX, a,
	                              &c.results, &c.result_count, &next_page, p))
		return false;
	char from_at[32];
	time_rfc3339(period->from_at, from_at);
	int64_t now = now_ms(), last = therapy_session_last(plan->next_at, plan->previous_at, now),
	        next = therapy_session_upcoming(plan->next_at, now);
	char last_text[32], next_text[32];
	time_rfc3339(last, last_text);
	time_rfc3339(next, next_text);
	json_t *sections = json_array();
	for (size_t k = 0; k < sizeof summary_sections / sizeof *summary_sections; k++)
		json_array_append_new(sections, json_string(summary_sections[k].key));
	json_t *partners = json_array();
	json_t *sum =
	    json_pack("{s:s, s:s, s:s, s:b, s:s?, s:s?, s:o, s:o}", "from", period->from, "to", period->to, "from_at",
	              from_at, "since_session", period->since_session, "last_session_at", last ? last_text : NULL,
	              "next_session_at", next ? next_text : NULL, "sections", sections, "partners", partners);
	for (int m = 0; m < ts->t.members; m++) {
		json_t *one =
		    json_pack("{s:s, s:s, s:b, s:s}", "id", ts->t.member_ids[m], "display_name", ts->t.member_names[m],
		              "consent", ts->t.consent[m], "consent_state", consent_state_name(ts->t.consent_state[m]));
		json_array_append_new(partners, one);
		for (size_t k = 0; ts->t.consent[m] && k < sizeof summary_sections / sizeof *summary_sections; k++)
			if (summary_sections[k].per_partner && !summary_sections[k].fill(&c, m, one, p))
				goto fail;
	}
	for (size_t k = 0; k < sizeof summary_sections / sizeof *summary_sections; k++)
		if (!summary_sections[k].per_partner && !summary_sections[k].fill(&c, -1, sum, p))
			goto fail;
	if (!therapist_log_read(s, v, ts, SUMMARY_LOG_LINE, p))
		goto fail;
	*out = sum;
	return true;
fail:
	json_decref(sum);
	return false;
}
