/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * export.c - the export of everything a person wrote (docs/export-format.md)
 * and the deletion of an account (see export.h and account.h).
 */
#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "blog.h"
#include "bridge.h"
#include "break.h"
#include "agreement.h"
#include "checkin.h"
#include "cycle.h"
#include "email.h"
#include "export.h"
#include "homework.h"
#include "keyring.h"
#include "password.h"
#include "prompt.h"
#include "push.h"
#include "questionnaire.h"
#include "notice.h"
#include "quiet.h"
#include "reminder.h"
#include "repair.h"
#include "repair_after.h"
#include "visibility.h"

#define EXPORT_PAGE 100
#define EXPORT_MAX_PAGES 2000

static json_t *at_json(int64_t ms)
{
	char s[32];
	time_rfc3339(ms, s);
	return json_string(s);
}

static json_t *side_json(const struct store_repair_side *side)
{
	json_t *feelings = repair_side_feelings(side);
	return json_pack("{s:o, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:s?}", "feelings", feelings, "perspective",
	                 side->perspective, "touched", side->touched, "my_part", side->my_part, "next_time",
	                 side->next_time, "submitted_at",
	                 side->submitted_at ? at_json(side->submitted_at) : json_null(), "acknowledged_at",
	                 side->acknowledged_at ? at_json(side->acknowledged_at) : json_null(), "acknowledgement_note",
	                 side->ack_note);
}

static bool export_checkins(struct store *s, const struct viewer *v, struct arena *a, json_t *out, struct problem *p)
{
	const char *cursor = NULL;
	for (int page = 0; page < EXPORT_MAX_PAGES; page++) {
		struct checkin_page cp;
		if (!checkin_list(s, v, AUTHOR_ME, cursor, EXPORT_PAGE, a, &cp, p))
			return false;
		for (int i = 0; i < cp.count; i++) {
			const struct store_checkin *c = &cp.items[i];
			/* Who sees each item (issue 11), and the partner's reply to it, if any. */
			json_t *by_item = json_object();
			for (int k = 0; k < CHECKIN_ITEMS; k++)
				json_object_set_new(
				    by_item, checkin_item_name((enum checkin_item)k),
				    json_string(visibility_name(checkin_item_visibility(c, (enum checkin_item)k))));
			const char *ack = NULL;
			int64_t ack_at = 0;
			if (!checkin_ack_of(s, c, &ack, &ack_at, p))
				return false;
			json_array_append_new(
			    out, json_pack("{s:s, s:o, s:i, s:i, s:i, s:s?, s:s?, s:s?, s:s, s:o, s:s?}", "id", c->id,
			                   "created_at", at_json(c->created_at), "mood", c->mood, "connection",
			                   c->connection, "secure", c->secure, "appreciation", c->appreciation, "need",
			                   c->need, "worry", c->worry, "visibility", checkin_visibility_summary(c),
			                   "visibility_by_item", by_item, "acknowledgement_received", ack));
		}
		if (!cp.next_cursor)
			return true;
		cursor = cp.next_cursor;
	}
	return true;
}

/*
 * Issue 14: my steps after the reveal (drafts too: I wrote them), and my answers to the partner's
 * shared steps (the answer and my note, never their text).
 */
static bool export_steps(struct store *s, const struct viewer *v, const struct repair_view *r, struct arena *a,
                         json_t **steps, json_t **answers, struct problem *p)
{
	struct repair_after_view av;
	if (!repair_after_of(s, v, r, a, &av, p))
		return false;
	*steps = json_array();
	*answers = json_array();
	for (int k = 0; k < REPAIR_AFTER_COUNT; k++) {
		const struct store_repair_after *mine = av.steps[k].mine, *theirs = av.steps[k].partner;
		if (mine)
			json_array_append_new(
			    *steps, json_pack("{s:s, s:s, s:s, s:o, s:s?}", "step", mine->step, "title",
			                      repair_after_defs[k].title, "text", mine->text, "submitted_at",
			                      mine->submitted_at ? at_json(mine->submitted_at) : json_null(),
			                      "agreement_id", mine->agreement_id[0] ? mine->agreement_id : NULL));
		if (theirs && theirs->answered_at && theirs->answer)
			json_array_append_new(
			    *answers, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:o}", "step", theirs->step, "title",
			                        repair_after_defs[k].title, "answer", theirs->answer, "answer_words",
			                        repair_after_answer_label(k, theirs->answer), "note",
			                        theirs->answer_note, "answered_at", at_json(theirs->answered_at)));
	}
	return true;
}

static bool export_repairs(struct store *s, const struct viewer *v, struct arena *a, json_t *out, struct problem *p)
{
	const char *cursor = NULL;
	for (int page = 0; page < EXPORT_MAX_PAGES; page++) {
		struct repair_page rp;
		if (!repair_list(s, v, cursor, EXPORT_PAGE, a, &rp, p))
			return false;
		for (int i = 0; i < rp.count; i++) {
			const struct repair_view *r = &rp.items[i];
			bool created = strcmp(r->repair.created_by, v->user_id) == 0;
			if (!created && !r->has_mine)
				continue;
			json_t *steps = NULL, *answers = NULL;
			if (!export_steps(s, v, r, a, &steps, &answers, p))
				return false;
			json_array_append_new(
			    out, json_pack("{s:s, s:s?, s:s?, s:o, s:b, s:s, s:o, s:o, s:o}", "id", r->repair.id,
			                   "title", created ? r->repair.title : NULL, "occurred_on",
			                   r->repair.occurred_on[0] ? r->repair.occurred_on : NULL, "created_at",
			                   at_json(r->repair.created_at), "solo", r->repair.solo, "state",
			                   repair_state_name(r->state), "my_side",
			                   r->has_mine ? side_json(&r->mine_side) : json_null(), "my_steps", steps,
			                   "my_answers", answers));
		}
		if (!rp.next_cursor)
			return true;
		cursor = rp.next_cursor;
	}
	return true;
}

/* My answers to prompts, in my space and in my own scope (after leaving one). */
static bool export_answers(struct store *s, const struct viewer *v, struct arena *a, json_t *out, struct problem *p)
{
	struct viewer alone = *v;
	alone.partner_id[0] = '\0';
	for (int scope = 0; scope < 2; scope++) {
		if (scope == 1) {
			if (!v->space_id[0])
				break;
			alone.space_id[0] = '\0'; /* then the person's own scope */
		}
		const char *before = NULL;
		for (int page = 0; page < EXPORT_MAX_PAGES; page++) {
			struct prompt_history_page hp;
			if (!prompt_history(s, &alone, before, EXPORT_PAGE, a, &hp, p))
				return false;
			for (int i = 0; i < hp.count; i++) {
				const struct prompt_history_entry *e = &hp.items[i];
				json_array_append_new(out,
				                      json_pack("{s:s, s:s?, s:s?, s:s?}", "date", e->date, "prompt",
				                                e->prompt ? e->prompt->text : NULL, "answer", e->mine,
				                                "acknowledgement_received", e->ack_on_mine));
			}
			if (!hp.next_cursor)
				break;
			before = hp.next_cursor;
		}
	}
	return true;
}

static bool export_agreements(struct store *s, const struct viewer *v, struct arena *a, json_t *agreements,
                              json_t *reviews, json_t *notes, struct problem *p)
{
	const char *cursor = NULL;
	for (int page = 0; page < EXPORT_MAX_PAGES; page++) {
		struct agreement_page ap;
		if (!agreement_list(s, v, cursor, EXPORT_PAGE, a, &ap, p))
			return false;
		for (int i = 0; i < ap.count; i++) {
			const struct agreement_view *g = &ap.items[i];
			if (strcmp(g->agreement.author_id, v->user_id) == 0)
				json_array_append_new(
				    agreements, json_pack("{s:s, s:s?, s:i, s:s, s:s, s:o}", "id", g->agreement.id,
				                          "text", g->agreement.text, "review_every_days",
				                          g->agreement.review_every_days, "status", g->agreement.status,
				                          "next_review_on", g->agreement.next_review_on, "created_at",
				                          at_json(g->agreement.created_at)));
			/* Issue 14: "let's talk about it", written on the partner's proposal. */
			if (g->agreement.discuss_note && strcmp(g->agreement.discussed_by, v->user_id) == 0)
				json_array_append_new(notes,
				                      json_pack("{s:s, s:s, s:o}", "agreement_id", g->agreement.id,
				                                "note", g->agreement.discuss_note, "created_at",
				                                at_json(g->agreement.discussed_at)));
			for (int k = 0; k < g->review_count; k++) {
				const struct store_review *rv = &g->reviews[k];
				if (strcmp(rv->author_id, v->user_id) == 0)
					json_array_append_new(reviews,
					                      json_pack("{s:s, s:s, s:s, s:s?, s:o}", "id", rv->id,
					                                "agreement_id", rv->agreement_id, "outcome",
					                                rv->outcome, "note", rv->note, "created_at",
					                                at_json(rv->created_at)));
			}
		}
		if (!ap.next_cursor)
			return true;
		cursor = ap.next_cursor;
	}
	return true;
}

static bool export_responses(struct store *s, const struct viewer *v, struct arena *a, json_t *out, struct problem *p)
{
	/* The space's and, while in one, the person's own scope from before it. */
	const char *scopes[2] = {viewer_scope(v), v->space_id[0] ? v->user_id : NULL};
	for (int k = 0; k < 2 && scopes[k]; k++) {
		struct store_qresponse *rows;
		int count = 0;
		enum store_status st = s->qresponse_list(s, a, scopes[k], v->user_id, NULL, false, 0, INT64_MAX, NULL,
		                                         100000, &rows, &count);
		if (st != STORE_OK)
			return problem_from_store(p, st);
		for (int i = 0; i < count; i++) {
			if (!questionnaire_open(s, &rows[i], true, a, p))
				return false;
			json_t *ans = rows[i].answers ? json_loads(rows[i].answers, 0, NULL) : NULL;
			json_t *subs = rows[i].subscales ? json_loads(rows[i].subscales, 0, NULL) : NULL;
			json_array_append_new(
			    out, json_pack("{s:s, s:s, s:o, s:f, s:o, s:s, s:o}", "id", rows[i].id, "questionnaire_id",
			                   rows[i].questionnaire_id, "answers", ans ? ans : json_object(), "score",
			                   rows[i].score, "subscales", subs ? subs : json_object(), "visibility",
			                   rows[i].visibility, "created_at", at_json(rows[i].created_at)));
		}
	}
	return true;
}

/* Issue 14: my side of our cycle (in the scope I am in now) and the versions of the shared wording I wrote. */
static bool export_cycle(struct store *s, const struct viewer *v, struct arena *a, json_t *doc, struct problem *p)
{
	struct cycle_view c;
	if (!cycle_load(s, v, a, &c, p))
		return false;
	json_t *versions = json_array();
	for (int i = 0; i < c.history_count; i++)
		if (strcmp(c.history[i].author_id, v->user_id) == 0)
			json_array_append_new(versions, json_pack("{s:s?, s:o}", "text", c.history[i].text,
			                                          "created_at", at_json(c.history[i].created_at)));
	json_t *mine = c.has_mine ? json_pack("{s:s?, s:s?, s:s?, s:o}", "when_i_feel", c.mine.when_i_feel, "i_tend_to",
	                                      c.mine.i_tend_to, "i_long_for", c.mine.i_long_for, "submitted_at",
	                                      c.mine.submitted_at ? at_json(c.mine.submitted_at) : json_null())
	                          : json_null();
	json_object_set_new(doc, "cycle", json_pack("{s:o, s:o}", "my_side", mine, "shared_versions", versions));
	return true;
}

/* Issue 13: the caller's answers to their therapist's homework (done, not this week, and its note). */
static bool export_homework(struct store *s, const struct viewer *v, struct arena *a, json_t *out, struct problem *p)
{
	struct homework_view *items;
	int count;
	if (!homework_list_mine(s, v, a, &items, &count, p))
		return false;
	for (int i = 0; i < count; i++) {
		const struct homework_view *hv = &items[i];
		if (!hv->h.mark[0])
			continue; /* nothing the person answered (done by itself is no answer of theirs) */
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "id", hv->h.id, "kind", hv->h.kind,
		                                     "answer", hv->h.mark, "note",
		                                     hv->notes[0] ? json_string(hv->notes[0]) : json_null()));
	}
	return true;
}

/* Issue 13: the person's items for the next session, open or talked about, in any scope (bridge_items). */
static bool export_bridge(struct store *s, const struct viewer *v, struct arena *a, json_t *doc, struct problem *p)
{
	struct store_bridge_item *items;
	int n = 0;
	if (!bridge_written_by(s, v, false, 0, EXPORT_PAGE * EXPORT_MAX_PAGES, a, &items, &n, p))
		return false;
	json_t *out = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(
		    out, json_pack("{s:s, s:s?, s:b, s:b, s:o, s:o}", "id", items[i].id, "text", items[i].text,
		                   "share_with_therapist", items[i].share_with_therapist, "share_with_partner",
		                   items[i].share_with_partner, "talked_about_at",
		                   items[i].talked_about_at ? at_json(items[i].talked_about_at) : json_null(),
		                   "created_at", at_json(items[i].created_at)));
	json_object_set_new(doc, "bridge_items", out);
	return true;
}

/* The person's reminders (issue 15): their own words, and when. */
static bool export_reminders(struct store *s, const struct viewer *v, struct arena *a, json_t **out, struct problem *p)
{
	struct reminder rs[REMINDER_KIND_COUNT];
	if (!reminder_list(s, v, a, rs, p))
		return false;
	*out = json_array();
	for (int k = 0; k < REMINDER_KIND_COUNT; k++) {
		if (!rs[k].set)
			continue;
		json_t *days = json_array();
		for (int d = 0; d < 7; d++)
			if (rs[k].days & (1u << d))
				json_array_append_new(days, json_string(reminder_day_name(d)));
		json_array_append_new(*out,
		                      json_pack("{s:s, s:s, s:o, s:s, s:o}", "kind", reminder_kind_name(rs[k].kind),
		                                "time", arena_printf(a, "%02d:%02d", rs[k].hour, rs[k].minute), "days",
		                                days, "text", rs[k].text, "updated_at", at_json(rs[k].updated_at)));
	}
	return true;
}

/* The person's quiet hours and notice choices (issue 15), each null when off. */
static bool export_quiet_notices(struct store *s, const struct viewer *v, struct arena *a, json_t *doc,
                                 struct problem *p)
{
	struct quiet_hours q;
	struct notice_settings n;
	if (!quiet_get(s, v, &q, p) || !notice_get(s, v, &n, p))
		return false;
	json_object_set_new(doc, "quiet_hours",
	                    q.set ? json_pack("{s:s, s:s}", "from",
	                                      arena_printf(a, "%02d:%02d", q.from / 60, q.from % 60), "to",
	                                      arena_printf(a, "%02d:%02d", q.to / 60, q.to % 60))
	                          : json_null());
	if (!n.on) {
		json_object_set_new(doc, "notices", json_null());
		return true;
	}
	json_t *kinds = json_array();
	for (int k = 0; k < NOTICE_KIND_COUNT; k++)
		if (n.kinds & (1u << k))
			json_array_append_new(kinds, json_string(notice_kind_name((enum notice_kind)k)));
	json_object_set_new(doc, "notices",
	                    json_pack("{s:o, s:s, s:o}", "kinds", kinds, "wording", n.named ? "named" : "neutral",
	                              "updated_at", at_json(n.updated_at)));
	return true;
}

/*
 * Where the person can be reached: their email address (confirmed or not) or null, and the devices
 * they turned push on for (the push service's host, as GET /push/subscriptions says; the endpoint
 * and its keys are the browser's secret, not something the person wrote).
 */
static bool export_channels(struct store *s, const struct viewer *v, struct arena *a, json_t *doc, struct problem *p)
{
	struct email_state email;
	struct push_device *ds;
	int count;
	if (!email_get(s, v, &email, p) || !push_devices(s, v, a, &ds, &count, p))
		return false;
	json_object_set_new(doc, "email",
	                    email.address[0]
	                        ? json_pack("{s:s, s:b}", "address", email.address, "confirmed", email.confirmed)
	                        : json_null());
	json_t *devices = json_array();
	for (int i = 0; i < count; i++)
		json_array_append_new(devices, json_pack("{s:s, s:o, s:s}", "id", ds[i].id, "created_at",
		                                         at_json(ds[i].created_at), "push_service", ds[i].service));
	json_object_set_new(doc, "push_devices", devices);
	return true;
}

bool export_build(struct store *s, const struct viewer *v, struct arena *a, json_t **doc, struct problem *p)
{
	assert(viewer_sane(v) && doc);
	*doc = NULL;
	/* Everything a person wrote, in one page: someone who picked up an unlocked phone must not get it. */
	if (!session_require_fresh(v, p))
		return false;
	struct store_user u;
	enum store_status st = s->user_by_id(s, v->user_id, &u);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	sodium_memzero(u.password_hash, sizeof u.password_hash);
	if (!account_name_open(s, u.id, u.display_name, p))
		return false;
	json_t *checkins = json_array(), *repairs = json_array(), *answers = json_array(), *agreements = json_array(),
	       *reviews = json_array(), *responses = json_array();
	*doc = json_pack("{s:s, s:i, s:o, s:{s:s, s:s, s:s, s:s, s:o, s:s}, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
	                 "format", "hearth-export", "version", 1, "exported_at", at_json(now_ms()), "account", "id",
	                 u.id, "username", u.username, "display_name", u.display_name, "role", u.role, "created_at",
	                 at_json(u.created_at), "time_zone", v->own_time_zone, "space",
	                 v->space_id[0] ? json_pack("{s:s, s:s}", "id", v->space_id, "time_zone", v->time_zone)
	                                : json_null(),
	                 "checkins", checkins, "repairs", repairs, "prompt_answers", answers, "agreements", agreements,
	                 "agreement_reviews", reviews, "questionnaire_responses", responses);
	/* The bio of one's byline (issue 12) is something one wrote too. */
	char *bio;
	if (!blog_bio_get(s, v->user_id, a, &bio, p)) {
		json_decref(*doc);
		*doc = NULL;
		return false;
	}
	json_object_set_new(json_object_get(*doc, "account"), "bio", json_string(bio));
	json_object_set_new(json_object_get(*doc, "account"), "language",
	                    v->language[0] ? json_string(v->language) : json_null());
	/* Issue 14: the break one is taking (or whose time has come), with its note; none is kept after it ends. */
	struct break_view bk;
	struct problem bp = {0};
	if (break_mine(s, v, a, &bk, &bp)) {
		json_object_set_new(*doc, "break",
		                    json_pack("{s:s, s:o, s:o, s:s?}", "id", bk.b.id, "started_at",
		                              at_json(bk.b.started_at), "until_at", at_json(bk.b.until_at), "note",
		                              bk.b.note));
	} else if (bp.outcome == OUTCOME_NOT_FOUND) {
		json_object_set_new(*doc, "break", json_null());
	} else {
		*p = bp;
		json_decref(*doc);
		*doc = NULL;
		return false;
	}
	json_t *notes = json_array(); /* issue 14: one's notes on the partner's proposals */
	json_object_set(*doc, "agreement_notes", notes);
	json_decref(notes);
	json_t *reminders;
	if (!export_reminders(s, v, a, &reminders, p)) {
		json_decref(*doc);
		*doc = NULL;
		return false;
	}
	json_object_set_new(*doc, "reminders", reminders);
	if (!export_quiet_notices(s, v, a, *doc, p) || !export_channels(s, v, a, *doc, p)) {
		json_decref(*doc);
		*doc = NULL;
		return false;
	}
	if (export_checkins(s, v, a, checkins, p) && export_repairs(s, v, a, repairs, p) &&
	    export_answers(s, v, a, answers, p) && export_agreements(s, v, a, agreements, reviews, notes, p) &&
	    export_responses(s, v, a, responses, p) && export_bridge(s, v, a, *doc, p) &&
	    export_cycle(s, v, a, *doc, p)) {
		json_t *homework = json_array();
		json_object_set_new(*doc, "homework_answers", homework);
		if (export_homework(s, v, a, homework, p))
			return true;
	}
	json_decref(*doc);
	*doc = NULL;
	return false;
}

bool account_delete(struct store *s, const struct viewer *v, const char *password, struct problem *p)
{
	if (!session_require_fresh(v, p) || !account_password_check(s, v, password, "password", p))
		return false;
	enum store_status st;
	if (v->space_id[0]) {
		st = s->space_leave(s, v->space_id, v->user_id);
		if (st != STORE_OK && st != STORE_NOT_FOUND)
			return problem_from_store(p, st);
	}
	st = s->user_delete(s, v->user_id);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	/* What was deleted must not linger in the database's log either (issue 10). */
	if (s->scrub) {
		enum store_status sc = s->scrub(s);
		(void)sc; /* logged; the account is gone all the same, and the next scrub empties the log */
	}
	return true;
}
