/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * homework.c - see homework.h. Consent is checked here at every read, as in
 * therapist.c: the therapist's list hides the status and note of a partner
 * who does not consent now; a partner's own list is empty unless the space's
 * therapist is linked and the partner consents (and the store reads only the
 * assignments of the therapist linked now, given since the link).
 *
 * Done by itself: a questionnaire response or a repair both partners
 * acknowledged after the assignment is read with the assignment (store); an
 * article opened is marked as it is opened (homework_article_opened), since
 * nothing else records a reading.
 */
#include "homework.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "auth.h"
#include "content.h"
#include "date.h"
#include "keyring.h"
#include "questionnaire.h"
#include "text.h"
#include "visibility.h"
#include "../util/i18n.h"

static const char *const kind_names[HOMEWORK_KIND_COUNT] = {
    [HOMEWORK_PROMPT_CATEGORY] = "prompt_category",
    [HOMEWORK_REPAIR] = "repair",
    [HOMEWORK_QUESTIONNAIRE] = "questionnaire",
    [HOMEWORK_AGREEMENT] = "agreement",
    [HOMEWORK_ARTICLE] = "article",
    [HOMEWORK_TASK] = "task",
};

bool homework_kind_parse(const char *s, enum homework_kind *out)
{
	int k = word_find(s, kind_names, HOMEWORK_KIND_COUNT);
	if (k < 0)
		return false;
	*out = (enum homework_kind)k;
	return true;
}

const char *homework_kind_name(enum homework_kind k)
{
	assert(k >= 0 && k < HOMEWORK_KIND_COUNT);
	return kind_names[k];
}

const char *homework_status_name(enum homework_status st)
{
	switch (st) {
	case HOMEWORK_DONE:
		return "done";
	case HOMEWORK_NOT_THIS_WEEK:
		return "not_this_week";
	case HOMEWORK_TODO:
		break;
	}
	return "todo";
}

bool homework_status_parse(const char *s, enum homework_status *out)
{
	if (s && strcmp(s, "done") == 0)
		*out = HOMEWORK_DONE;
	else if (s && (strcmp(s, "not-this-week") == 0 || strcmp(s, "not_this_week") == 0))
		*out = HOMEWORK_NOT_THIS_WEEK;
	else
		return false;
	return true;
}

enum homework_status homework_status_of(const char *mark, bool auto_done)
{
	if (auto_done || (mark && strcmp(mark, "done") == 0))
		return HOMEWORK_DONE;
	if (mark && strcmp(mark, "not_this_week") == 0)
		return HOMEWORK_NOT_THIS_WEEK;
	return HOMEWORK_TODO;
}

bool homework_kind_needs_ref(enum homework_kind k)
{
	return k == HOMEWORK_PROMPT_CATEGORY || k == HOMEWORK_QUESTIONNAIRE || k == HOMEWORK_ARTICLE;
}

bool homework_kind_needs_text(enum homework_kind k)
{
	return k == HOMEWORK_AGREEMENT || k == HOMEWORK_TASK;
}

/* The name of a category of the daily questions (data/prompts.json), or NULL when there is none by that id. */
static const char *category_name(const char *id)
{
	for (size_t i = 0; id && i < content_prompt_count(); i++) {
		const struct prompt *q = content_prompt(i);
		if (strcmp(q->category, id) == 0)
			return q->category_name;
	}
	return NULL;
}

/* The associated data of an assignment's text and of a partner's note. */
static const char *text_ad(struct arena *a, const char *id)
{
	return arena_printf(a, "homework:%s:text", id);
}

static const char *note_ad(struct arena *a, const char *id, const char *user_id)
{
	return arena_printf(a, "homework_marks:%s:%s:note", id, user_id);
}

/* The article of ref when it is one of the viewer's own published ones; false with a problem otherwise. */
static bool own_article(struct store *s, const char *author_id, const char *slug, struct arena *a,
                        struct store_article *art, struct problem *p)
{
	enum store_status st = s->article_by_slug(s, a, slug, art);
	if (st == STORE_NOT_FOUND ||
	    (st == STORE_OK && (strcmp(art->author_id, author_id) != 0 || strcmp(art->status, "published") != 0)))
		return problem_set(p, OUTCOME_NOT_FOUND, "not_found", "ref", NULL);
	return st == STORE_OK || problem_from_store(p, st);
}

/* Fills a view's ref title, href and the therapist's name from its row (text open already). */
static bool view_fill(struct store *s, const struct store_homework *h, const char *from_name, struct arena *a,
                      struct homework_view *out, struct problem *p)
{
	memset(out, 0, sizeof *out);
	out->h = *h;
	out->from_name = from_name;
	enum homework_kind k = HOMEWORK_TASK;
	if (!homework_kind_parse(h->kind, &k))
		k = HOMEWORK_TASK;
	switch (k) {
	case HOMEWORK_PROMPT_CATEGORY:
		out->ref_title = category_name(h->ref);
		out->href = "/prompts";
		break;
	case HOMEWORK_REPAIR:
		out->href = "/repairs/new";
		break;
	case HOMEWORK_QUESTIONNAIRE: {
		const struct questionnaire *q = questionnaire_by_id(h->ref);
		out->ref_title = q ? q->title : NULL;
		out->href = arena_printf(a, "/questionnaires/%s", h->ref);
		break;
	}
	case HOMEWORK_AGREEMENT:
		out->href = "/agreements";
		break;
	case HOMEWORK_ARTICLE: {
		struct store_article art;
		enum store_status st = s->article_by_slug(s, a, h->ref, &art);
		if (st != STORE_OK && st != STORE_NOT_FOUND)
			return problem_from_store(p, st);
		/* An article unpublished or deleted since: its slug stays, the link may find nothing. */
		out->ref_title = st == STORE_OK ? art.title : NULL;
		out->href = arena_printf(a, "/articles/%s", h->ref);
		break;
	}
	case HOMEWORK_TASK:
	case HOMEWORK_KIND_COUNT:
		out->href = "/homework";
		break;
	}
	return true;
}

static bool open_text(struct store *s, const char *ad, char **text, struct arena *a, struct problem *p)
{
	if (!*text || !**text)
		return true;
	enum store_status st = keyring_open_text(s->keys, s, ad, *text, a, text);
	return st == STORE_OK || problem_from_store(p, st);
}

/* Checks every field of in at once into out (text still open); false with every fault in p. */
static bool homework_check(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                           const struct homework_input *in, struct arena *a, struct store_homework *out,
                           struct problem *p)
{
	memset(out, 0, sizeof *out);
	if (!p->collecting) /* the API may have begun, with the fields of a wrong type */
		problem_begin(p);
	enum homework_kind k;
	bool kind_ok = homework_kind_parse(in->kind, &k);
	if (!kind_ok)
		problem_add(p, "kind",
		            "Choose what kind of homework: prompt_category, repair, questionnaire, agreement, article "
		            "or task.");
	const char *ref = in->ref && in->ref[0] ? in->ref : NULL;
	if (kind_ok && homework_kind_needs_ref(k)) {
		if (!ref)
			problem_add(p, "ref",
			            k == HOMEWORK_PROMPT_CATEGORY ? "Choose a theme for the daily question."
			            : k == HOMEWORK_QUESTIONNAIRE ? N_("Choose a questionnaire.")
			                                          : N_("Choose one of your published articles."));
		else if (k == HOMEWORK_PROMPT_CATEGORY && !category_name(ref))
			problem_add(p, "ref", "That is not a theme of the daily questions.");
		else if (k == HOMEWORK_QUESTIONNAIRE && !questionnaire_by_id(ref))
			problem_add(p, "ref", "That is not a questionnaire of this server.");
		else if (k == HOMEWORK_ARTICLE) {
			struct store_article art;
			struct problem q = {0};
			if (!own_article(s, v->user_id, ref, a, &art, &q)) {
				if (outcome_is_fault(q.outcome)) {
					*p = q;
					return false;
				}
				problem_add(p, "ref", "Choose one of your own published articles.");
			}
		}
	} else if (kind_ok && ref)
		problem_add(p, "ref", "This kind of homework takes no ref.");
	if (ref && strlen(ref) >= sizeof out->ref)
		problem_add(p, "ref", "That ref is too long.");
	const char *text = in->text ? in->text : "";
	if (!text_fits(text, HOMEWORK_TEXT_MAX))
		problem_add(p, "text", "Please keep the note to 500 characters or fewer (and valid UTF-8).");
	else if (kind_ok && homework_kind_needs_text(k) && text_blank(text))
		problem_add(p, "text",
		            k == HOMEWORK_AGREEMENT ? "Write the agreement you suggest they try."
		                                    : N_("Write the task."));
	if (in->due_on && in->due_on[0]) {
		char today[11];
		date_local(viewer_time_zone(v), now_ms(), today);
		if (!date_valid(in->due_on))
			problem_add(p, "due_on", "Give the due date as a date (YYYY-MM-DD).");
		else if (strcmp(in->due_on, today) < 0)
			problem_add(p, "due_on", "The due date is in the past; choose today or a later day.");
	}
	const char *for_id = NULL;
	if (!in->for_who || !in->for_who[0])
		problem_add(p, "for", "Choose who it is for: both, or one partner.");
	else if (strcmp(in->for_who, "both") == 0) {
		bool anyone = false;
		for (int i = 0; i < ts->t.members; i++)
			anyone |= ts->t.consent[i];
		if (!anyone)
			problem_add(p, "for",
			            "Neither partner consents yet; homework reaches a partner only while they do.");
		for_id = "";
	} else {
		for (int i = 0; i < ts->t.members; i++)
			if (strcmp(ts->t.member_ids[i], in->for_who) == 0) {
				for_id = ts->t.member_ids[i];
				if (!ts->t.consent[i])
					problem_add(
					    p, "for",
					    "This partner does not consent now; homework reaches a partner only "
					    "while they do.");
			}
		if (!for_id)
			problem_add(p, "for", "Choose who it is for: both, or one partner of this couple.");
	}
	if (!problem_none(p))
		return false;
	id_new(out->id);
	snprintf(out->space_id, sizeof out->space_id, "%s", ts->space_id);
	snprintf(out->therapist_id, sizeof out->therapist_id, "%s", v->user_id);
	snprintf(out->kind, sizeof out->kind, "%s", homework_kind_name(k));
	snprintf(out->ref, sizeof out->ref, "%s", ref ? ref : "");
	out->text = arena_strdup(a, text);
	snprintf(out->due_on, sizeof out->due_on, "%s", in->due_on ? in->due_on : "");
	snprintf(out->for_id, sizeof out->for_id, "%s", for_id);
	out->created_at = now_ms();
	out->note = "";
	return true;
}

/* The therapist's view of one row: the partners it is for, each status shown only while that partner consents. */
static void therapist_statuses(const struct therapist_space *ts, struct homework_view *out)
{
	out->partners = 0;
	for (int i = 0; i < ts->t.members; i++) {
		if (out->h.for_id[0] && strcmp(out->h.for_id, ts->t.member_ids[i]) != 0)
			continue;
		int n = out->partners++;
		snprintf(out->partner_ids[n], sizeof out->partner_ids[n], "%s", ts->t.member_ids[i]);
		out->partner_names[n] = ts->t.member_names[i];
		out->shown[n] = ts->t.consent[i];
		out->status[n] = HOMEWORK_TODO;
	}
}

bool homework_assign(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                     const struct homework_input *in, struct arena *a, struct homework_view *out, struct problem *p)
{
	assert(viewer_sane(v) && ts && in && out);
	struct store_homework h;
	if (!homework_check(s, v, ts, in, a, &h, p))
		return false;
	struct store_homework sealed = h;
	enum store_status st = STORE_OK;
	if (h.text[0])
		st = keyring_seal(s->keys, s, ts->space_id, text_ad(a, h.id), h.text, a, &sealed.text);
	if (st == STORE_OK)
		st = s->homework_insert(s, &sealed);
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	if (!view_fill(s, &h, v->display_name, a, out, p))
		return false;
	therapist_statuses(ts, out);
	return true;
}

/* Opens one partner's note on a row of theirs. */
static bool open_note(struct store *s, struct store_homework *h, const char *user_id, struct arena *a,
                      struct problem *p)
{
	return open_text(s, note_ad(a, h->id, user_id), &h->note, a, p);
}

/* The view of the assignment id among items, or NULL. */
static struct homework_view *view_of(struct homework_view *items, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (strcmp(items[i].h.id, id) == 0)
			return &items[i];
	return NULL;
}

/* The index of the partner user_id among those hv is for, or -1. */
static int partner_of(const struct homework_view *hv, const char *user_id)
{
	for (int x = 0; x < hv->partners; x++)
		if (strcmp(hv->partner_ids[x], user_id) == 0)
			return x;
	return -1;
}

/* How many of a partner's latest daily answers are looked through for a theme's homework. */
#define THEME_LOOKBACK 60

/*
 * A partner's homework rows as the store lists them, with a theme's homework done by itself when
 * the partner answered a daily question of that theme after it was given. The store cannot say
 * so: a question's theme is content (content_prompt_by_id), not a column. One read of the
 * partner's latest answers, and only when such homework is still open.
 */
static bool partner_rows(struct store *s, struct arena *a, const char *space_id, const char *user_id,
                         struct store_homework **rows, int *n, struct problem *p)
{
	enum store_status st = s->homework_list(s, a, space_id, user_id, rows, n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	bool open = false;
	for (int i = 0; i < *n && !open; i++)
		open = strcmp((*rows)[i].kind, "prompt_category") == 0 && !(*rows)[i].auto_done;
	if (!open)
		return true;
	struct store_prompt_answer *ans;
	int count = 0;
	st = s->prompt_history(s, a, space_id, user_id, NULL, "", THEME_LOOKBACK, &ans, &count);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < *n; i++) {
		struct store_homework *h = &(*rows)[i];
		if (strcmp(h->kind, "prompt_category") != 0)
			continue;
		for (int j = 0; j < count && !h->auto_done; j++) {
			const struct prompt *q = content_prompt_by_id(ans[j].prompt_id);
			h->auto_done = strcmp(ans[j].author_id, user_id) == 0 && ans[j].created_at >= h->created_at &&
			               q && q->category && strcmp(q->category, h->ref) == 0;
		}
	}
	return true;
}

bool homework_list_for_therapist(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                                 struct arena *a, struct homework_view **items, int *count, struct problem *p)
{
	assert(viewer_sane(v) && ts && items && count);
	*items = NULL;
	*count = 0;
	if (!therapist_log_read(s, v, ts, "viewed the homework and where each consenting partner stands with it", p))
		return false;
	struct store_homework *rows;
	int n = 0;
	enum store_status st = s->homework_list(s, a, ts->space_id, "", &rows, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	*items = arena_alloc(a, sizeof **items * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		if (!open_text(s, text_ad(a, rows[i].id), &rows[i].text, a, p) ||
		    !view_fill(s, &rows[i], ts->t.display_name, a, &(*items)[i], p))
			return false;
		therapist_statuses(ts, &(*items)[i]);
	}
	*count = n;
	/* Each consenting partner's marks, read as that partner's own list reads them. */
	for (int m = 0; m < ts->t.members; m++) {
		if (!ts->t.consent[m])
			continue;
		struct store_homework *mine;
		int k = 0;
		if (!partner_rows(s, a, ts->space_id, ts->t.member_ids[m], &mine, &k, p))
			return false;
		for (int j = 0; j < k; j++) {
			struct homework_view *hv = view_of(*items, n, mine[j].id);
			int x = hv ? partner_of(hv, ts->t.member_ids[m]) : -1;
			if (x < 0)
				continue;
			hv->status[x] = homework_status_of(mine[j].mark, mine[j].auto_done);
			if (hv->status[x] == HOMEWORK_NOT_THIS_WEEK && mine[j].note[0]) {
				if (!open_note(s, &mine[j], ts->t.member_ids[m], a, p))
					return false;
				hv->notes[x] = mine[j].note;
			}
		}
	}
	return true;
}

bool homework_remove(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *id,
                     struct problem *p)
{
	assert(viewer_sane(v) && ts);
	if (!id || !id_valid(id))
		return problem_from_store(p, STORE_NOT_FOUND);
	enum store_status st = s->homework_delete(s, ts->space_id, v->user_id, id);
	return st == STORE_OK || problem_from_store(p, st);
}

/* The viewer's therapist when they consent now; false (no problem) when homework cannot reach them. */
static bool reachable(struct store *s, const struct viewer *v, struct store_space_therapist *t, bool *ok,
                      struct problem *p)
{
	*ok = false;
	if (!v->space_id[0])
		return true;
	struct problem q = {0};
	if (!therapist_of_space(s, v, t, &q)) {
		if (q.outcome == OUTCOME_NOT_FOUND)
			return true;
		*p = q;
		return false;
	}
	*ok = consent_state_of(t, v->user_id) == CONSENT_GRANTED;
	return true;
}

bool homework_list_mine(struct store *s, const struct viewer *v, struct arena *a, struct homework_view **items,
                        int *count, struct problem *p)
{
	assert(viewer_sane(v) && items && count);
	*items = arena_alloc(a, sizeof **items);
	*count = 0;
	struct store_space_therapist t;
	bool ok;
	if (!reachable(s, v, &t, &ok, p))
		return false;
	if (!ok)
		return true;
	struct store_homework *rows;
	int n = 0;
	if (!partner_rows(s, a, v->space_id, v->user_id, &rows, &n, p))
		return false;
	*items = arena_alloc(a, sizeof **items * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		struct homework_view *hv = &(*items)[i];
		if (!open_text(s, text_ad(a, rows[i].id), &rows[i].text, a, p) ||
		    !open_note(s, &rows[i], v->user_id, a, p) ||
		    !view_fill(s, &rows[i], arena_strdup(a, t.display_name), a, hv, p))
			return false;
		hv->partners = 1;
		snprintf(hv->partner_ids[0], sizeof hv->partner_ids[0], "%s", v->user_id);
		hv->partner_names[0] = v->display_name;
		hv->shown[0] = true;
		hv->status[0] = homework_status_of(rows[i].mark, rows[i].auto_done);
		hv->notes[0] = hv->status[0] == HOMEWORK_NOT_THIS_WEEK && rows[i].note[0] ? rows[i].note : NULL;
	}
	*count = n;
	return true;
}

bool homework_set(struct store *s, const struct viewer *v, const char *id, enum homework_status status,
                  const char *note, struct arena *a, struct homework_view *out, struct problem *p)
{
	assert(viewer_sane(v) && out && status != HOMEWORK_TODO);
	if (!text_fits(note, HOMEWORK_TEXT_MAX))
		return problem_invalid(p, "note", "Please keep the note to 500 characters or fewer (and valid UTF-8).");
	struct homework_view *items;
	int n;
	if (!homework_list_mine(s, v, a, &items, &n, p))
		return false;
	struct homework_view *hv = NULL;
	for (int i = 0; i < n && id; i++)
		if (strcmp(items[i].h.id, id) == 0)
			hv = &items[i];
	if (!hv)
		return problem_from_store(p, STORE_NOT_FOUND);
	const char *plain = status == HOMEWORK_NOT_THIS_WEEK && note && !text_blank(note) ? note : "";
	char *sealed = "";
	enum store_status st = STORE_OK;
	if (plain[0])
		st = keyring_seal(s->keys, s, v->space_id, note_ad(a, hv->h.id, v->user_id), plain, a, &sealed);
	if (st == STORE_OK)
		st = s->homework_mark(s, v->space_id, hv->h.id, v->user_id,
		                      status == HOMEWORK_DONE ? "done" : "not_this_week", sealed, now_ms());
	if (st != STORE_OK)
		return problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
	*out = *hv;
	/* Done by the linked action already stays done: the rule decides, as on every read. */
	out->status[0] = homework_status_of(status == HOMEWORK_DONE ? "done" : "not_this_week", hv->h.auto_done);
	out->notes[0] = out->status[0] == HOMEWORK_NOT_THIS_WEEK && plain[0] ? arena_strdup(a, plain) : NULL;
	return true;
}

bool homework_article_opened(struct store *s, const struct viewer *v, const char *slug, struct problem *p)
{
	assert(v);
	if (!v->space_id[0] || !slug)
		return true;
	enum store_status st = s->homework_article_opened(s, v->space_id, v->user_id, slug, now_ms());
	return st == STORE_OK || problem_from_store(p, st);
}
