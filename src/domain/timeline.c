/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * timeline.c - one chronological view of what the viewer may see: check-ins,
 * repairs, agreements and their reviews, questionnaire results and prompts
 * (see timeline.h). Each source is read through the same rules as its own page,
 * so nothing appears here that the viewer could not open elsewhere.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agreement.h"
#include "bridge.h"
#include "checkin.h"
#include "content.h"
#include "date.h"
#include "page.h"
#include "prompt.h"
#include "questionnaire.h"
#include "repair.h"
#include "repair_after.h"
#include "timeline.h"
#include "visibility.h"

#define PER_SOURCE 60

struct entry {
	int64_t at;
	const char *id;
	json_t *item;
};

/* Newest first; the same moment is ordered by id, so a cursor (time, id) is exact. */
static int newest_first(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? 1 : -1;
	return -strcmp(x->id, y->id);
}

/* True when (at, id) comes after the cursor in that order, i.e. is older. */
static bool older(int64_t at, const char *id, int64_t before, const char *before_id)
{
	return at < before || (at == before && strcmp(id, before_id) < 0);
}

static void add(struct entry **list, int *n, int *alloc, int64_t at, json_t *item)
{
	if (*n == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 64;
		*list = xrealloc(*list, sizeof **list * (size_t)*alloc);
	}
	(*list)[(*n)++] = (struct entry){at, json_string_value(json_object_get(item, "id")), item};
}

static json_t *item(const char *type, int64_t at, const char *id, const char *who, const char *text)
{
	char when[32];
	time_rfc3339(at, when);
	return json_pack("{s:s, s:s, s:s, s:s, s:s?}", "type", type, "at", when, "id", id, "who", who, "text", text);
}

static const char *who_of(const struct viewer *v, const char *author)
{
	return strcmp(author, v->user_id) == 0 ? "me" : "partner";
}

bool timeline_build(struct store *s, const struct viewer *v, const char *cursor_in, int limit, enum lang l,
                    struct arena *a, json_t **items, char **next, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && items && next);
	int64_t before = 0;
	char before_id[ID_LEN + 1];
	if (!page_after(cursor_in, &before, before_id, p))
		return false;
	if (!cursor_in) {
		before = now_ms() + 1;
		memset(before_id, 'f', ID_LEN);
		before_id[ID_LEN] = '\0';
	}
	const char *cursor = page_cursor(a, before, before_id);
	struct entry *list = NULL;
	int n = 0, alloc = 0;
	bool ok = false;

	struct checkin_page cp;
	if (!checkin_list(s, v, AUTHOR_ALL, cursor, PER_SOURCE, a, &cp, p))
		goto out;
	for (int i = 0; i < cp.count; i++) {
		const struct store_checkin *c = &cp.items[i];
		/* Only the numbers this viewer may see (per-item visibility). */
		char *text = arena_printf(
		    a, "%s%s%s", c->hidden[ITEM_MOOD] ? "" : arena_printf(a, "mood %d/5", c->mood),
		    c->hidden[ITEM_CONNECTION]
		        ? ""
		        : arena_printf(a, "%sconnection %d/10", c->hidden[ITEM_MOOD] ? "" : ", ", c->connection),
		    c->hidden[ITEM_SECURE]
		        ? ""
		        : arena_printf(a, "%sfelt secure %d/10",
		                       c->hidden[ITEM_MOOD] && c->hidden[ITEM_CONNECTION] ? "" : ", ", c->secure));
		if (!*text)
			text = "a check-in with words only";
		add(&list, &n, &alloc, cp.items[i].created_at,
		    item("checkin", cp.items[i].created_at, cp.items[i].id, who_of(v, cp.items[i].author_id), text));
	}
	struct repair_page rp;
	if (!repair_list(s, v, cursor, PER_SOURCE, a, &rp, p))
		goto out;
	for (int i = 0; i < rp.count; i++) {
		const struct repair_view *r = &rp.items[i];
		/* A copy in the viewer's own scope is theirs, whoever opened it once. */
		const char *who = strcmp(r->repair.space_id, v->user_id) == 0 ? "me" : who_of(v, r->repair.created_by);
		json_t *it = item("repair", r->repair.created_at, r->repair.id, who, r->repair.title);
		json_object_set_new(it, "state", json_string(repair_state_name(r->state)));
		add(&list, &n, &alloc, r->repair.created_at, it);
	}
	/* Issue 14: the steps after a reveal, the viewer's own and the partner's shared ones. */
	struct store_repair_after *steps;
	int step_count = 0;
	if (!repair_after_recent(s, v, before, before_id, PER_SOURCE, a, &steps, &step_count, p))
		goto out;
	for (int i = 0; i < step_count; i++) {
		const struct store_repair_after *st = &steps[i];
		json_t *it = item("repair_step", st->submitted_at, st->id, who_of(v, st->author_id), st->text);
		json_object_set_new(it, "step", json_string(st->step));
		json_object_set_new(it, "repair_id", json_string(st->repair_id));
		add(&list, &n, &alloc, st->submitted_at, it);
	}
	struct agreement_page ap;
	if (!agreement_list(s, v, cursor, PER_SOURCE, a, &ap, p))
		goto out;
	for (int i = 0; i < ap.count; i++) {
		const struct agreement_view *g = &ap.items[i];
		json_t *ag = item("agreement", g->agreement.created_at, g->agreement.id,
		                  who_of(v, g->agreement.author_id), g->agreement.text);
		/* Issue 14: proposed, active, paused or retired, as the agreement stands now. */
		json_object_set_new(ag, "state", json_string(agreement_status_name(g->status)));
		add(&list, &n, &alloc, g->agreement.created_at, ag);
		for (int k = 0; k < g->review_count; k++) {
			const struct store_review *rv = &g->reviews[k];
			if (!older(rv->created_at, rv->id, before, before_id))
				continue;
			json_t *it = item("review", rv->created_at, rv->id, who_of(v, rv->author_id), rv->note);
			json_object_set_new(it, "outcome", json_string(rv->outcome));
			json_object_set_new(it, "agreement_id", json_string(g->agreement.id));
			add(&list, &n, &alloc, rv->created_at, it);
		}
	}
	const char *scope = viewer_scope(v);
	const char *authors[2] = {v->user_id, v->partner_id};
	for (int k = 0; k < 2; k++) {
		if (!authors[k][0])
			continue;
		struct store_qresponse *rows;
		int count = 0;
		enum store_status st = s->qresponse_list(s, a, scope, authors[k], NULL, k == 1, 0, before + 1, NULL,
		                                         PER_SOURCE, &rows, &count);
		if (st != STORE_OK) {
			problem_from_store(p, st);
			goto out;
		}
		for (int i = 0; i < count; i++) {
			if (!older(rows[i].created_at, rows[i].id, before, before_id))
				continue;
			if (!questionnaire_open(s, &rows[i], false, a, p))
				goto out;
			const struct questionnaire *q =
			    questionnaire_in(questionnaire_by_id(rows[i].questionnaire_id), l);
			json_t *it = item("questionnaire", rows[i].created_at, rows[i].id, who_of(v, rows[i].author_id),
			                  q ? q->title : rows[i].questionnaire_id);
			json_object_set_new(it, "score", json_real(rows[i].score));
			add(&list, &n, &alloc, rows[i].created_at, it);
		}
	}
	struct prompt_history_page hp;
	if (!prompt_history(s, v, NULL, PER_SOURCE, a, &hp, p))
		goto out;
	for (int i = 0; i < hp.count; i++) {
		const struct prompt_history_entry *e = &hp.items[i];
		int64_t at = date_utc_ms(e->date, 0) + 12 * 3600 * 1000; /* a day's prompt sits at its noon, UTC */
		if (!older(at, e->day_id, before, before_id))
			continue;
		/* "both" only while both answers are there: not after a partner left with theirs (issue 11). */
		json_t *it = item("prompt", at, e->day_id, e->partner ? "both" : "me",
		                  e->prompt ? content_prompt_in(e->prompt, l)->text : NULL);
		json_object_set_new(it, "date", json_string(e->date));
		add(&list, &n, &alloc, at, it);
	}
	/* Issue 13: what one brought to a session stays in one's own timeline, at the moment it was talked about. */
	struct store_bridge_item *talked;
	int talked_count = 0;
	if (!bridge_written_by(s, v, true, before, PER_SOURCE, a, &talked, &talked_count, p))
		goto out;
	for (int i = 0; i < talked_count; i++) {
		if (!older(talked[i].talked_about_at, talked[i].id, before, before_id))
			continue;
		add(&list, &n, &alloc, talked[i].talked_about_at,
		    item("bridge", talked[i].talked_about_at, talked[i].id, "me", talked[i].text));
	}

	if (n > 1)
		qsort(list, (size_t)n, sizeof *list, newest_first);
	*items = json_array();
	*next = NULL;
	for (int i = 0; i < n; i++) {
		if (i < limit)
			json_array_append(*items, list[i].item);
		else if (i == limit)
			*next = page_cursor(a, list[limit - 1].at, list[limit - 1].id);
	}
	ok = true;
out:
	for (int i = 0; i < n; i++)
		json_decref(list[i].item);
	free(list);
	return ok;
}
