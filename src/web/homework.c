/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * homework.c - pages: homework from the couple's therapist (issue 13). A
 * partner's /homework lists what their therapist suggested for them, each
 * with its one link to the action and two small forms (done; not this week,
 * with a note to the therapist if they like). The therapist's page of a space
 * gets a Homework section (web_homework_section, rendered by web/therapist.c):
 * the form to give homework and, for each assignment, where each consenting
 * partner stands. Every form works without JavaScript.
 */
#include <string.h>

#include "../app.h"
#include "../domain/article.h"
#include "../domain/content.h"
#include "../domain/homework.h"
#include "../domain/questionnaire.h"
#include "web.h"

/*
 * A title or a text quoted as the reader's language quotes: “…” in English,
 * «…» in Spanish, „…“ in German. The marks stay out of the messages
 * ("the questionnaire %s"), so every message keeps to ASCII.
 */
static const char *quoted(struct request *r, const char *s)
{
	switch (r->lang) {
	case LANG_ES:
		return arena_printf(r->arena, "«%s»", s);
	case LANG_DE:
		return arena_printf(r->arena, "„%s“", s);
	case LANG_EN:
		break;
	}
	return arena_printf(r->arena, "“%s”", s);
}

const char *web_homework_what(struct request *r, const char *kind, const char *title, const char *text,
                              const char **button)
{
	enum homework_kind k = HOMEWORK_TASK;
	if (!homework_kind_parse(kind, &k))
		k = HOMEWORK_TASK;
	title = title ? title : "";
	*button = NULL;
	switch (k) {
	/* TRANSLATORS: the words of an assignment follow "From Dr Lee, for this week: "; %s is a quoted title */
	case HOMEWORK_PROMPT_CATEGORY:
		*button = tr(r->lang, "Go to today's question");
		return arena_printf(r->arena, tr(r->lang, "the daily questions about %s"), quoted(r, title));
	case HOMEWORK_REPAIR:
		*button = tr(r->lang, "Start a repair");
		return tr(r->lang, "a repair conversation, about a hurt you choose, when you both feel ready");
	case HOMEWORK_QUESTIONNAIRE:
		*button = tr(r->lang, "Take the questionnaire");
		return arena_printf(r->arena, tr(r->lang, "the questionnaire %s"), quoted(r, title));
	case HOMEWORK_AGREEMENT:
		*button = tr(r->lang, "Go to your agreements");
		return arena_printf(r->arena, tr(r->lang, "an agreement to try: %s"), quoted(r, text ? text : ""));
	case HOMEWORK_ARTICLE:
		*button = tr(r->lang, "Read the article");
		return arena_printf(r->arena, tr(r->lang, "reading %s"), quoted(r, title));
	case HOMEWORK_TASK:
	case HOMEWORK_KIND_COUNT:
		break;
	}
	return text ? text : "";
}

/* The words of an assignment: what it asks, in a sentence, and the button to its action (NULL: none). */
static void homework_words(struct request *r, const struct homework_view *hv, const char **what, const char **button)
{
	*what = web_homework_what(r, hv->h.kind, hv->ref_title ? hv->ref_title : hv->h.ref, hv->h.text, button);
}

/* The note of an assignment, when it is not the assignment itself (an agreement's or a task's text). */
static const char *homework_note(const struct homework_view *hv)
{
	enum homework_kind k = HOMEWORK_TASK;
	if (!homework_kind_parse(hv->h.kind, &k) || homework_kind_needs_text(k) || !hv->h.text[0])
		return NULL;
	return hv->h.text;
}

/* ---- the partner's page ---- */

static json_t *mine_json(struct request *r, const struct homework_view *hv)
{
	const char *what, *button;
	homework_words(r, hv, &what, &button);
	enum homework_status st = hv->status[0];
	return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:o?, s:b, s:b, s:b, s:s?}", "id", hv->h.id, "from",
	                 hv->from_name ? hv->from_name : tr(r->lang, "Your therapist"), "what", what, "note",
	                 homework_note(hv), "button", button, "href", button ? hv->href : NULL, "due",
	                 hv->h.due_on[0] ? web_on(r, hv->h.due_on, false) : NULL, "todo", st == HOMEWORK_TODO, "done",
	                 st == HOMEWORK_DONE, "not_this_week", st == HOMEWORK_NOT_THIS_WEEK, "my_note", hv->notes[0]);
}

static void render_mine(struct request *r, int status, const struct problem *problem, const char *problem_id)
{
	struct homework_view *items;
	int count;
	struct problem p = {0};
	if (!homework_list_mine(r->app->store, &r->viewer, r->arena, &items, &count, &p)) {
		web_problem_page(r, &p);
		return;
	}
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		json_t *one = mine_json(r, &items[i]);
		if (problem && problem_id && strcmp(problem_id, items[i].h.id) == 0) {
			json_object_set_new(one, "error", json_string(tr(r->lang, problem->message)));
			json_object_set_new(one, "typed_note",
			                    json_string(request_form(r, "note") ? request_form(r, "note") : ""));
		}
		json_array_append_new(list, one);
	}
	const char *saved = request_query(r, "saved");
	json_t *ctx =
	    json_pack("{s:o, s:b, s:b, s:b}", "homework", list, "saved_done", saved && !strcmp(saved, "done"),
	              "saved_later", saved && !strcmp(saved, "later"), "in_space", r->viewer.space_id[0] != 0);
	if (problem)
		web_add_problem(r, ctx, problem);
	web_render(r, status, "homework", tr(r->lang, "Homework"), ctx);
}

void web_homework(struct request *r)
{
	render_mine(r, 200, NULL, NULL);
}

static void answer(struct request *r, enum homework_status status)
{
	struct problem p = {0};
	struct homework_view hv;
	const char *note = status == HOMEWORK_NOT_THIS_WEEK ? request_form(r, "note") : NULL;
	if (homework_set(r->app->store, &r->viewer, r->path_args[0], status, note, r->arena, &hv, &p)) {
		reply_redirect(r, status == HOMEWORK_DONE ? "/homework?saved=done" : "/homework?saved=later");
		return;
	}
	if (p.outcome != OUTCOME_INVALID) {
		web_problem_page(r, &p);
		return;
	}
	p.field = arena_printf(r->arena, "note-%s", r->path_args[0]);
	p.count = 0;
	render_mine(r, web_status(r, p.outcome), &p, r->path_args[0]);
}

void web_homework_done(struct request *r)
{
	answer(r, HOMEWORK_DONE);
}

void web_homework_not_this_week(struct request *r)
{
	answer(r, HOMEWORK_NOT_THIS_WEEK);
}

/* ---- the therapist's section ---- */

/* An option of a select: value, label, selected when it is what was typed. */
static json_t *option(const char *value, const char *label, const char *typed)
{
	return json_pack("{s:s, s:s, s:b}", "value", value, "label", label, "selected", typed && !strcmp(typed, value));
}

static const char *const kind_labels[HOMEWORK_KIND_COUNT] = {
    [HOMEWORK_PROMPT_CATEGORY] = N_("A theme for the daily question this week"),
    [HOMEWORK_REPAIR] = N_("A repair conversation"),
    [HOMEWORK_QUESTIONNAIRE] = N_("A questionnaire"),
    [HOMEWORK_AGREEMENT] = N_("An agreement to try (write it below)"),
    [HOMEWORK_ARTICLE] = N_("One of your articles"),
    [HOMEWORK_TASK] = N_("A task (write it below)"),
};

/* The choices of ref in groups: themes, questionnaires, the therapist's published articles. */
static bool ref_groups(struct request *r, const char *typed, json_t **out, struct problem *p)
{
	struct store_article *mine;
	int n = 0;
	if (!article_list_own(r->app->store, &r->viewer, 50, r->arena, &mine, &n, p))
		return false;
	json_t *themes = json_array(), *questionnaires = json_array(), *articles = json_array();
	for (size_t i = 0; i < content_prompt_count(); i++) {
		const struct prompt *q = content_prompt(i);
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(content_prompt(k)->category, q->category) == 0;
		if (!seen)
			json_array_append_new(themes,
			                      option(q->category, content_prompt_in(q, r->lang)->category_name, typed));
	}
	for (size_t i = 0; i < questionnaire_count(); i++) {
		const struct questionnaire *q = questionnaire_in(questionnaire_at(i), r->lang);
		json_array_append_new(questionnaires, option(q->id, q->title, typed));
	}
	for (int i = 0; i < n; i++)
		if (article_is_published(&mine[i]))
			json_array_append_new(articles, option(mine[i].slug, mine[i].title, typed));
	*out = json_pack("[{s:s, s:o}, {s:s, s:o}, {s:s, s:o}]", "label", tr(r->lang, "Themes of the daily question"),
	                 "options", themes, "label", tr(r->lang, "Questionnaires"), "options", questionnaires, "label",
	                 tr(r->lang, "Your published articles"), "options", articles);
	return true;
}

bool web_homework_section(struct request *r, const struct therapist_space *ts, const struct homework_input *in,
                          json_t *ctx, int *shown, struct problem *p)
{
	struct homework_view *items;
	int count;
	*shown = 0;
	json_t *refs;
	if (!homework_list_for_therapist(r->app->store, &r->viewer, ts, r->arena, &items, &count, p) ||
	    !ref_groups(r, in ? in->ref : NULL, &refs, p))
		return false;
	json_t *list = json_array();
	for (int i = 0; i < count; i++) {
		const struct homework_view *hv = &items[i];
		const char *what, *button;
		homework_words(r, hv, &what, &button);
		json_t *partners = json_array();
		for (int k = 0; k < hv->partners; k++) {
			enum homework_status st = hv->status[k];
			json_array_append_new(partners, json_pack("{s:s, s:b, s:b, s:b, s:b, s:s?}", "name",
			                                          hv->partner_names[k], "shown", hv->shown[k], "todo",
			                                          hv->shown[k] && st == HOMEWORK_TODO, "done",
			                                          hv->shown[k] && st == HOMEWORK_DONE, "not_this_week",
			                                          hv->shown[k] && st == HOMEWORK_NOT_THIS_WEEK,
			                                          "partner_note", hv->notes[k]));
		}
		json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:o?, s:o, s:b, s:o}", "hw_id", hv->h.id,
		                                      "what", what, "note", homework_note(hv), "due",
		                                      hv->h.due_on[0] ? web_on(r, hv->h.due_on, false) : NULL, "given",
		                                      web_when(r, hv->h.created_at), "both", hv->h.for_id[0] == 0,
		                                      "partners", partners));
	}
	*shown = count;
	json_t *kinds = json_array();
	for (int k = 0; k < HOMEWORK_KIND_COUNT; k++)
		json_array_append_new(kinds, option(homework_kind_name((enum homework_kind)k),
		                                    tr(r->lang, kind_labels[k]), in ? in->kind : NULL));
	json_t *who = json_array();
	json_array_append_new(who, option("both", tr(r->lang, "Both partners"), in ? in->for_who : "both"));
	for (int k = 0; k < ts->t.members; k++)
		if (ts->t.consent[k])
			json_array_append_new(
			    who, option(ts->t.member_ids[k], ts->t.member_names[k], in ? in->for_who : NULL));
	json_object_set_new(ctx, "homework", list);
	json_object_set_new(ctx, "homework_kinds", kinds);
	json_object_set_new(ctx, "homework_refs", refs);
	json_object_set_new(ctx, "homework_for", who);
	json_object_set_new(ctx, "homework_text", json_string(in && in->text ? in->text : ""));
	json_object_set_new(ctx, "homework_due", json_string(in && in->due_on ? in->due_on : ""));
	return true;
}

/* The fields of the form are named hw_*, apart from the note form's on the same page. */
static void rename_fields(struct request *r, struct problem *p)
{
	if (p->field)
		p->field = arena_printf(r->arena, "hw_%s", p->field);
	for (int i = 0; i < p->count; i++)
		if (p->items[i].field)
			p->items[i].field = arena_printf(r->arena, "hw_%s", p->items[i].field);
}

void web_therapist_homework_add(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	if (!web_therapist_space_open(r, &ts))
		return;
	struct homework_input in = {.kind = request_form(r, "kind"),
	                            .ref = request_form(r, "ref"),
	                            .text = request_form(r, "text"),
	                            .due_on = request_form(r, "due_on"),
	                            .for_who = request_form(r, "for")};
	/* One select holds every kind's refs: a kind without one ignores it. */
	enum homework_kind k;
	struct homework_input sent = in;
	if (homework_kind_parse(in.kind, &k) && !homework_kind_needs_ref(k))
		sent.ref = NULL;
	struct homework_view hv;
	if (homework_assign(r->app->store, &r->viewer, &ts, &sent, r->arena, &hv, &p)) {
		reply_redirect(
		    r, arena_printf(r->arena, "/therapist/spaces/%s?homework=given#homework-heading", ts.space_id));
		return;
	}
	if (outcome_is_fault(p.outcome)) {
		web_problem_page(r, &p);
		return;
	}
	rename_fields(r, &p);
	web_therapist_space_render(r, web_status(r, p.outcome), &ts, &p, &in);
}

void web_therapist_homework_delete(struct request *r)
{
	struct therapist_space ts;
	struct problem p = {0};
	if (!web_therapist_space_open(r, &ts))
		return;
	if (!homework_remove(r->app->store, &r->viewer, &ts, r->path_args[1], &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r,
	               arena_printf(r->arena, "/therapist/spaces/%s?homework=removed#homework-heading", ts.space_id));
}
