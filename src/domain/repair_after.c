/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair_after.c - the steps after a repair's reveal (see repair_after.h).
 *
 * Secrecy is decided here, as in repair.c: the partner's row is opened only
 * once it is shared, and the answers of a solo repair are never read. Each
 * sealed text's associated data binds it to the repair, its author, the step
 * and the column, so no sealed value can be moved to another place.
 *
 * Layout: the table of steps, the rules (pure), validation, loading, the
 * actions, and the timeline's reader.
 */
#include "repair_after.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "../util/i18n.h"
#include "keyring.h"
#include "text.h"
#include "visibility.h"

static const char *const heard_answers[] = {"yes", "not_quite"};
/* The words are marked for translation (N_): a page says them in the reader's language, the API in English. */
static const char *const heard_labels[] = {N_("Yes, that's it"), N_("Not quite")};
static const char *const my_part_answers[] = {"accept", "not_ready", "still_need"};
static const char *const my_part_labels[] = {N_("I accept"), N_("I'm not ready yet"), N_("What I still need is…")};

const struct repair_after_def repair_after_defs[REPAIR_AFTER_COUNT] = {
    {"heard", N_("What I heard you say, and what makes sense to me"),
     N_("In your own words, what did your partner say? What makes sense to you, even where you see it differently?"),
     N_("What %s heard you say, and what makes sense to them"), 6, heard_answers, heard_labels, 2, NULL},
    {"my_part", N_("My part"),
     N_("What do you regret about your own part? Speak of what you did and would do differently, not of what they "
        "did."),
     N_("%s, on their part"), 6, my_part_answers, my_part_labels, 3, "still_need"},
    {"next_time", N_("Next time, I will…"), N_("One thing you will do next time, small enough to keep."),
     N_("Next time, %s will…"), 4, NULL, NULL, 0, NULL},
};

int repair_after_find(const char *id)
{
	for (int i = 0; id && i < REPAIR_AFTER_COUNT; i++)
		if (strcmp(repair_after_defs[i].id, id) == 0)
			return i;
	return -1;
}

bool repair_after_answer_valid(int step, const char *answer)
{
	assert(step >= 0 && step < REPAIR_AFTER_COUNT);
	const struct repair_after_def *d = &repair_after_defs[step];
	return answer && word_find(answer, d->answers, (size_t)d->answer_count) >= 0;
}

const char *repair_after_answer_label(int step, const char *answer)
{
	assert(step >= 0 && step < REPAIR_AFTER_COUNT);
	const struct repair_after_def *d = &repair_after_defs[step];
	int k = answer ? word_find(answer, d->answers, (size_t)d->answer_count) : -1;
	return k >= 0 ? d->answer_labels[k] : answer;
}

/* ---- the rules ---- */

bool repair_after_allowed(int step, enum repair_after_action act, const struct repair_after_facts *f, struct problem *p)
{
	assert(step >= 0 && step < REPAIR_AFTER_COUNT && f);
	if (act == REPAIR_AFTER_ANSWER && repair_after_defs[step].answer_count == 0)
		return problem_from_store(p, STORE_NOT_FOUND); /* this step has no answers to give */
	if (act == REPAIR_AFTER_PROPOSE && step != REPAIR_AFTER_NEXT_TIME)
		return problem_from_store(p, STORE_NOT_FOUND);
	if (!f->open)
		return problem_set(p, OUTCOME_CONFLICT, "not_revealed", NULL,
		                   f->solo ? N_("These steps open once your reflection is finished.")
		                           : N_("These steps open once both sides are shared."));
	switch (act) {
	case REPAIR_AFTER_SAVE:
		if (f->mine_submitted)
			return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL,
			                   "This step is already shared and cannot change now.");
		return true;
	case REPAIR_AFTER_SUBMIT:
		if (f->mine_submitted)
			return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL,
			                   "This step is already shared.");
		if (!f->mine_exists)
			return problem_invalid(p, "text", "Write this step first, then share it.");
		return true;
	case REPAIR_AFTER_ANSWER:
		if (f->solo || !f->partner_submitted)
			return problem_set(p, OUTCOME_CONFLICT, "not_submitted", NULL,
			                   "You can answer this step once your partner has shared it.");
		return true;
	case REPAIR_AFTER_PROPOSE:
		if (!f->mine_submitted)
			return problem_set(p, OUTCOME_CONFLICT, "not_submitted", NULL,
			                   "Share this step first; then it can become an agreement.");
		if (f->solo)
			return problem_set(p, OUTCOME_CONFLICT, "not_revealed", NULL,
			                   "An agreement can come from a repair once both sides are shared.");
		if (f->has_agreement)
			return problem_set(p, OUTCOME_CONFLICT, "already_proposed", NULL,
			                   "This is an agreement proposal already.");
		return true;
	}
	return problem_set(p, OUTCOME_ERROR, "internal", NULL, "Unknown action.");
}

bool repair_after_text_validate(const char *text, struct problem *p)
{
	problem_begin(p);
	if (!text || text_blank(text))
		problem_add(p, "text", "Write a few words for this step, or leave it for now.");
	else if (!text_fits(text, REPAIR_AFTER_TEXT_MAX))
		problem_add(p, "text",
		            text_fits(text, (size_t)-1) ? "Please keep this to 2000 characters or fewer."
		                                        : N_("This text is not valid UTF-8."));
	return problem_none(p);
}

bool repair_after_answer_validate(int step, const char *answer, const char *note, struct problem *p)
{
	assert(step >= 0 && step < REPAIR_AFTER_COUNT);
	const struct repair_after_def *d = &repair_after_defs[step];
	bool began = problem_join(p); /* every invalid field at once, the API's type checks first */
	bool known = repair_after_answer_valid(step, answer);
	if (!known)
		problem_add(p, "answer",
		            step == REPAIR_AFTER_HEARD ? "Choose an answer: yes or not_quite."
		                                       : N_("Choose an answer: accept, not_ready or still_need."));
	if (note && !text_fits(note, REPAIR_AFTER_TEXT_MAX))
		problem_add(p, "note",
		            text_fits(note, (size_t)-1) ? "Please keep the note to 2000 characters or fewer."
		                                        : N_("This text is not valid UTF-8."));
	else if (known && d->note_needed_for && strcmp(answer, d->note_needed_for) == 0 && (!note || text_blank(note)))
		problem_add(p, "note", "Write what you still need, in a few words.");
	return problem_close(p, began);
}

/* ---- loading ---- */

static bool crypt(struct store *s, const char *scope, const struct store_repair_after *row, const char *field,
                  bool sealing, char **text, struct arena *a, struct problem *p)
{
	char *ad = arena_printf(a, "repair_after:%s:%s:%s:%s", row->repair_id, row->author_id, row->step, field);
	enum store_status st = sealing ? keyring_seal(s->keys, s, scope, ad, *text, a, text)
	                               : keyring_open_text(s->keys, s, ad, *text, a, text);
	if (sealing && st == STORE_NOT_FOUND)
		st = STORE_ERROR;
	return st == STORE_OK || problem_from_store(p, st);
}

static bool is_open(const struct repair_view *rv)
{
	if (rv->repair.solo)
		return rv->has_mine && rv->mine_side.submitted_at > 0;
	return rv->state != REPAIR_OPEN;
}

struct repair_after_facts repair_after_facts_of(const struct repair_after_view *v, int step)
{
	assert(v && step >= 0 && step < REPAIR_AFTER_COUNT);
	const struct repair_after_entry *e = &v->steps[step];
	return (struct repair_after_facts){
	    .solo = v->repair.repair.solo,
	    .open = v->open,
	    .mine_exists = e->mine != NULL,
	    .mine_submitted = e->mine && e->mine->submitted_at > 0,
	    .partner_submitted = e->partner != NULL,
	    .has_agreement = e->mine && e->mine->agreement_id[0],
	};
}

bool repair_after_of(struct store *s, const struct viewer *v, const struct repair_view *rv, struct arena *a,
                     struct repair_after_view *out, struct problem *p)
{
	assert(viewer_sane(v) && rv && out);
	memset(out, 0, sizeof *out);
	out->repair = *rv;
	out->open = is_open(rv);
	struct store_repair_after *rows;
	int n = 0;
	enum store_status st = s->repair_after_rows(s, a, rv->repair.space_id, rv->repair.id, &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	bool solo = rv->repair.solo;
	for (int i = 0; i < n; i++) {
		struct store_repair_after *row = &rows[i];
		int k = repair_after_find(row->step);
		bool mine = strcmp(row->author_id, v->user_id) == 0;
		/* Nothing of the partner's until shared; nothing of anyone else's in a solo repair. */
		if (k < 0 || (!mine && (solo || row->submitted_at == 0)))
			continue;
		if (!crypt(s, NULL, row, "text", false, &row->text, a, p))
			return false;
		if (solo || row->answered_at == 0) {
			row->answer = row->answer_note = NULL;
			row->answered_at = 0;
		} else if (!crypt(s, NULL, row, "answer", false, &row->answer, a, p) ||
		           !crypt(s, NULL, row, "answer_note", false, &row->answer_note, a, p)) {
			return false;
		}
		if (mine)
			out->steps[k].mine = row;
		else
			out->steps[k].partner = row;
	}
	return true;
}

bool repair_after_load(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                       struct repair_after_view *out, struct problem *p)
{
	struct repair_view rv;
	return repair_load(s, v, id, a, &rv, p) && repair_after_of(s, v, &rv, a, out, p);
}

/* Loads the repair and finds the step; 404 for an unknown step word, as for an unknown path. */
static bool load_step(struct store *s, const struct viewer *v, const char *id, const char *step, struct arena *a,
                      struct repair_after_view *out, int *k, struct problem *p)
{
	*k = repair_after_find(step);
	if (*k < 0)
		return problem_from_store(p, STORE_NOT_FOUND);
	return repair_after_load(s, v, id, a, out, p);
}

/* The key of the viewer's own row of step k. */
static struct store_repair_after row_key(const struct repair_after_view *view, const struct viewer *v, int k)
{
	struct store_repair_after key = {0};
	snprintf(key.space_id, sizeof key.space_id, "%s", view->repair.repair.space_id);
	snprintf(key.repair_id, sizeof key.repair_id, "%s", view->repair.repair.id);
	snprintf(key.author_id, sizeof key.author_id, "%s", v->user_id);
	snprintf(key.step, sizeof key.step, "%s", repair_after_defs[k].id);
	return key;
}

/* ---- the actions ---- */

bool repair_after_save(struct store *s, const struct viewer *v, const char *id, const char *step, const char *text,
                       struct arena *a, struct repair_after_view *out, struct problem *p)
{
	int k;
	if (!load_step(s, v, id, step, a, out, &k, p))
		return false;
	struct repair_after_facts f = repair_after_facts_of(out, k);
	if (!repair_after_allowed(k, REPAIR_AFTER_SAVE, &f, p) || !repair_after_text_validate(text, p))
		return false;
	struct store_repair_after row = row_key(out, v, k);
	if (out->steps[k].mine)
		snprintf(row.id, sizeof row.id, "%s", out->steps[k].mine->id);
	else
		id_new(row.id);
	row.text = arena_strdup(a, text);
	row.updated_at = now_ms();
	if (!crypt(s, row.space_id, &row, "text", true, &row.text, a, p))
		return false;
	enum store_status st = s->repair_after_put(s, &row);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL,
		                   "This step is already shared and cannot change now.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return repair_after_load(s, v, id, a, out, p);
}

bool repair_after_submit(struct store *s, const struct viewer *v, const char *id, const char *step, struct arena *a,
                         struct repair_after_view *out, struct problem *p)
{
	int k;
	if (!load_step(s, v, id, step, a, out, &k, p))
		return false;
	struct repair_after_facts f = repair_after_facts_of(out, k);
	if (!repair_after_allowed(k, REPAIR_AFTER_SUBMIT, &f, p))
		return false;
	struct store_repair_after key = row_key(out, v, k);
	enum store_status st = s->repair_after_submit(s, &key, now_ms());
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_submitted", NULL, "This step is already shared.");
	if (st == STORE_NOT_FOUND)
		return problem_invalid(p, "text", "Write this step first, then share it.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return repair_after_load(s, v, id, a, out, p);
}

bool repair_after_answer(struct store *s, const struct viewer *v, const char *id, const char *step, const char *answer,
                         const char *note, struct arena *a, struct repair_after_view *out, struct problem *p)
{
	int k;
	if (!load_step(s, v, id, step, a, out, &k, p))
		return false;
	struct repair_after_facts f = repair_after_facts_of(out, k);
	if (!repair_after_allowed(k, REPAIR_AFTER_ANSWER, &f, p) || !repair_after_answer_validate(k, answer, note, p))
		return false;
	const struct store_repair_after *theirs = out->steps[k].partner;
	struct store_repair_after row = *theirs;
	row.answer = arena_strdup(a, answer);
	row.answer_note = note && !text_blank(note) ? arena_strdup(a, note) : NULL;
	snprintf(row.answered_by, sizeof row.answered_by, "%s", v->user_id);
	row.answered_at = now_ms();
	if (!crypt(s, row.space_id, &row, "answer", true, &row.answer, a, p) ||
	    !crypt(s, row.space_id, &row, "answer_note", true, &row.answer_note, a, p))
		return false;
	enum store_status st = s->repair_after_answer(s, &row);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return repair_after_load(s, v, id, a, out, p);
}

bool repair_after_propose(struct store *s, const struct viewer *v, const char *id, struct arena *a,
                          struct repair_after_view *out, struct agreement_view *g, struct problem *p)
{
	int k = REPAIR_AFTER_NEXT_TIME;
	if (!repair_after_load(s, v, id, a, out, p))
		return false;
	struct repair_after_facts f = repair_after_facts_of(out, k);
	if (!repair_after_allowed(k, REPAIR_AFTER_PROPOSE, &f, p))
		return false;
	/* The existing path, so the agreement takes whatever state a new one of a repair takes (proposed). */
	if (!agreement_create(s, v, out->steps[k].mine->text, 0, out->repair.repair.id, a, g, p))
		return false;
	struct store_repair_after key = row_key(out, v, k);
	enum store_status st = s->repair_after_agreement(s, &key, g->agreement.id);
	if (st == STORE_CONFLICT)
		return problem_set(p, OUTCOME_CONFLICT, "already_proposed", NULL,
		                   "This is an agreement proposal already.");
	if (st != STORE_OK)
		return problem_from_store(p, st);
	return repair_after_load(s, v, id, a, out, p);
}

/* ---- the timeline ---- */

bool repair_after_recent(struct store *s, const struct viewer *v, int64_t before_time, const char *before_id, int limit,
                         struct arena *a, struct store_repair_after **rows, int *count, struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && rows && count);
	enum store_status st =
	    s->repair_after_list(s, a, v->space_id, v->user_id, before_time, before_id, limit, rows, count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < *count; i++)
		if (!crypt(s, NULL, &(*rows)[i], "text", false, &(*rows)[i].text, a, p))
			return false;
	return true;
}
