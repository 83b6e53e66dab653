/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * reminder.c - the Reminders page (issue 15): the private calendar address,
 * and one form per kind of reminder, each posted on its own so a fault is
 * shown on the form it belongs to with what was typed kept. Rules:
 * domain/reminder.c.
 */
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/email.h"
#include "../domain/reminder.h"
#include "web.h"

/* The kinds this page offers, with their words (in the reader's language where shown). */
static const struct {
	enum reminder_kind kind;
	const char *title, *about;
} offered[] = {
    {REMINDER_CHECKIN, N_("Your check-in"), N_("A moment to notice how you are, and to share what you choose.")},
    {REMINDER_PROMPT, N_("Today’s question"), N_("A moment for the question you both answer.")},
    {REMINDER_AGREEMENT_REVIEW, N_("Looking back"),
     N_("A moment to look back on how your agreements are going for you.")},
    {REMINDER_HOMEWORK, N_("Between sessions"), N_("A moment for what your therapist suggested, if you see one.")},
    /* by email only: a calendar cannot know ahead when a break ends */
    {REMINDER_BREAK_OVER, N_("When a break ends"), N_("A word when the time you gave yourself for a break is up.")},
};
/* The days as the page shows them, Monday first (the chips and a reminder's summary). */
static const char *const day_words[7] = {N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun")};

/* What one form shows: the stored reminder, or what was just typed into it and its faults. */
struct shown {
	unsigned channels, days;
	const char *time, *text;
	json_t *fault; /* {field: message} or NULL */
};

/* One kind's card and form: `typed` (may be NULL) is what was just sent for it, else the stored reminder shows. */
static json_t *kind_json(struct request *r, int i, const struct reminder *st, const struct shown *typed)
{
	/* a break's end is its own moment, and comes by email only: no time, days nor calendar */
	bool timed = offered[i].kind != REMINDER_BREAK_OVER;
	struct shown s;
	if (typed) {
		s = *typed;
	} else {
		s = (struct shown){.channels = st->set ? st->channels
		                               : timed ? 1u << CHANNEL_CALENDAR
		                                       : 1u << CHANNEL_EMAIL,
		                   .days = st->set ? st->days : 0x7f,
		                   .time =
		                       st->set ? arena_printf(r->arena, "%02d:%02d", st->hour, st->minute) : "20:00",
		                   .text = st->set && strcmp(st->text, REMINDER_DEFAULT_TEXT) != 0 ? st->text : ""};
	}
	enum lang l = r->lang;
	json_t *days = json_array();
	for (int d = 0; d < 7; d++)
		json_array_append_new(days,
		                      json_pack("{s:s, s:s, s:b, s:b}", "day", reminder_day_name(d), "name",
		                                tr(l, day_words[d]), "on", (s.days & (1u << d)) != 0, "first", d == 0));
	const char *summary = "";
	if (st->set && !timed) {
		bool push = st->channels & (1u << CHANNEL_PUSH), email = st->channels & (1u << CHANNEL_EMAIL);
		summary = push ? email ? tr(l, "by email and as a notification, when a break ends")
		                       : tr(l, "as a notification, when a break ends")
		               : tr(l, "by email, when a break ends");
	} else if (st->set) {
		const char *clock = arena_printf(r->arena, "%02d:%02d", st->hour, st->minute);
		summary = st->days == 0x7f ? arena_printf(r->arena, tr(l, "%s, every day"), clock)
		                           : arena_printf(r->arena, "%s,", clock);
		for (int d = 0; d < 7 && st->days != 0x7f; d++)
			if (st->days & (1u << d))
				summary = arena_printf(r->arena, "%s %s", summary, tr(l, day_words[d]));
	}
	/* the person's own words when they chose some; the default goes without saying */
	bool own_words = st->set && strcmp(st->text, REMINDER_DEFAULT_TEXT) != 0;
	return json_pack("{s:s, s:s, s:s, s:b, s:s, s:b, s:s, s:b, s:s, s:s, s:o, s:o, s:b, s:b, s:b}", "kind",
	                 reminder_kind_name(offered[i].kind), "title", tr(l, offered[i].title), "about",
	                 tr(l, offered[i].about), "set", st->set, "summary", summary, "has_words", own_words, "words",
	                 own_words ? st->text : "", "open", typed != NULL, "time", s.time ? s.time : "", "text",
	                 s.text ? s.text : "", "days", days, "fault", s.fault ? json_incref(s.fault) : json_object(),
	                 "by_email", (s.channels & (1u << CHANNEL_EMAIL)) != 0, "by_calendar",
	                 (s.channels & (1u << CHANNEL_CALENDAR)) != 0, "timed", timed);
}

/* Renders the page; `typed` (may be NULL) replaces the form of kind `typed_kind` with what was sent. */
static void reminders_page(struct request *r, int status, json_t *ctx, enum reminder_kind typed_kind,
                           const struct shown *typed)
{
	struct problem p = {0};
	struct reminder rs[REMINDER_KIND_COUNT];
	char token[TOKEN_TEXT_LEN + 1];
	int64_t since;
	if (!reminder_list(r->app->store, &r->viewer, r->arena, rs, &p) ||
	    !calendar_current(r->app->store, &r->viewer, token, &since, &p)) {
		json_decref(ctx);
		web_problem_page(r, &p);
		return;
	}
	struct email_state email;
	if (!email_get(r->app->store, &r->viewer, &email, &p) || !web_notice_page_add(r, ctx, &p) ||
	    !web_push_context(r, ctx, &p)) {
		json_decref(ctx);
		web_problem_page(r, &p);
		return;
	}
	/* web push (issue 15): a way to choose, for those with a device; a break's end can come by it too */
	bool push_ready = json_is_true(json_object_get(json_object_get(ctx, "push"), "ready"));
	json_object_set_new(ctx, "choose", json_boolean(r->app->config.smtp_url != NULL || push_ready));
	/* notices come by email or push: a choice between them only when both are there */
	json_object_set_new(ctx, "notices_offered", json_boolean(r->app->config.smtp_url != NULL || push_ready));
	json_object_set_new(ctx, "notice_choose", json_boolean(r->app->config.smtp_url != NULL && push_ready));
	json_t *kinds = json_array();
	for (size_t i = 0; i < ARRAY_LEN(offered); i++) {
		if (offered[i].kind == REMINDER_BREAK_OVER && !r->app->config.smtp_url && !push_ready)
			continue;
		const struct shown *t = typed && offered[i].kind == typed_kind ? typed : NULL;
		json_t *kind = kind_json(r, (int)i, &rs[offered[i].kind], t);
		unsigned channels = t ? t->channels : rs[offered[i].kind].set ? rs[offered[i].kind].channels : 0;
		json_object_set_new(kind, "by_push", json_boolean(channels & (1u << CHANNEL_PUSH)));
		json_array_append_new(kinds, kind);
	}
	json_object_set_new(ctx, "kinds", kinds);
	json_object_set_new(ctx, "email_offered", json_boolean(r->app->config.smtp_url != NULL));
	if (email.address[0])
		json_object_set_new(ctx, "email",
		                    json_pack("{s:s, s:b}", "address", email.address, "confirmed", email.confirmed));
	if (token[0])
		json_object_set_new(
		    ctx, "calendar_url",
		    json_string(arena_printf(r->arena, "%s/calendar/%s.ics", r->app->config.public_url, token)));
	web_render(r, status, "reminders", tr(r->lang, "Reminders"), ctx);
}

void web_reminders(struct request *r)
{
	json_t *ctx =
	    json_pack("{s:b, s:b, s:b, s:b, s:b, s:b}", "saved", request_query(r, "saved") != NULL, "removed",
	              request_query(r, "removed") != NULL, "link_made", request_query(r, "link") != NULL, "link_ended",
	              request_query(r, "ended") != NULL, "email_sent", request_query(r, "email") != NULL,
	              "email_removed", request_query(r, "email_removed") != NULL);
	reminders_page(r, 200, ctx, REMINDER_CHECKIN, NULL);
}

void web_reminders_render(struct request *r, int status, json_t *ctx)
{
	reminders_page(r, status, ctx, REMINDER_CHECKIN, NULL);
}

void web_reminder_save(struct request *r)
{
	struct reminder_input in = {.channel_count = 0, .day_count = 0};
	struct shown typed = {0};
	for (size_t i = 0; i < r->form.count; i++) {
		const char *name = r->form.items[i].name, *value = r->form.items[i].value;
		if (strcmp(name, "channels") == 0 && in.channel_count < CHANNEL_COUNT + 1)
			in.channels[in.channel_count++] = value;
		else if (strcmp(name, "days") == 0 && in.day_count < 8)
			in.days[in.day_count++] = value;
	}
	in.time = request_form(r, "time");
	in.offered = reminder_channels_offered(r->app->config.smtp_url != NULL);
	const char *text = request_form(r, "text");
	in.text = text && *text ? text : NULL; /* an empty field: the default words */
	struct reminder out;
	struct problem p = {0};
	if (reminder_set(r->app->store, &r->viewer, r->path_args[0], &in, &out, &p)) {
		reply_redirect(r, arena_printf(r->arena, "/reminders?saved=1#%s", reminder_kind_name(out.kind)));
		return;
	}
	enum reminder_kind k;
	if (p.outcome != OUTCOME_INVALID || !reminder_kind_parse(r->path_args[0], &k)) {
		web_problem_page(r, &p);
		return;
	}
	/* What was typed, as it was: every ticked box stays ticked, even one this version refused. */
	for (int i = 0; i < in.channel_count; i++)
		for (int c = 0; c < CHANNEL_COUNT; c++)
			if (in.channels[i] &&
			    strcmp(in.channels[i], reminder_channel_name((enum reminder_channel)c)) == 0)
				typed.channels |= 1u << c;
	for (int i = 0; i < in.day_count; i++)
		for (int d = 0; d < 7; d++)
			if (in.days[i] && strcmp(in.days[i], reminder_day_name(d)) == 0)
				typed.days |= 1u << d;
	typed.time = in.time && utf8_valid(in.time, strlen(in.time)) ? in.time : "";
	typed.text = text && utf8_valid(text, strlen(text)) ? text : "";
	/* The page has a form per kind: a field is named by its kind, so the summary links to the right one. */
	typed.fault = json_object();
	int n = p.count > 0 ? p.count : 1;
	struct problem ps[PROBLEM_ITEMS_MAX];
	for (int i = 0; i < n && i < PROBLEM_ITEMS_MAX; i++) {
		const char *field = p.count > 0 ? p.items[i].field : p.field;
		const char *message = p.count > 0 ? p.items[i].message : p.message;
		ps[i] = p;
		ps[i].field = field ? arena_printf(r->arena, "%s-%s", reminder_kind_name(k), field) : NULL;
		ps[i].message = message;
		if (field) /* the domain's message is English (the API's): the page says it in the reader's language */
			json_object_set_new(typed.fault, field, json_string(tr(r->lang, message)));
	}
	json_t *ctx = json_object();
	web_add_problems(r, ctx, ps, n);
	reminders_page(r, 400, ctx, k, &typed);
	json_decref(typed.fault);
}

void web_reminder_off(struct request *r)
{
	struct problem p = {0};
	if (!reminder_remove(r->app->store, &r->viewer, r->path_args[0], &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?removed=1");
}

void web_calendar_new(struct request *r)
{
	struct problem p = {0};
	char token[TOKEN_TEXT_LEN + 1];
	if (!calendar_new(r->app->store, &r->viewer, token, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?link=1#calendar-heading");
}

void web_calendar_end(struct request *r)
{
	struct problem p = {0};
	if (!calendar_remove(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?ended=1");
}

/* The address form: a confirmation link goes out; faults keep what was typed. */
void web_reminder_email(struct request *r)
{
	struct problem p = {0};
	const char *email = request_form(r, "email");
	if (!r->app->config.smtp_url) {
		web_not_found(r);
		return;
	}
	if (email_set(r->app->store, &r->viewer, email ? email : "", &p)) {
		reply_redirect(r, "/reminders?email=sent#email-heading");
		return;
	}
	if (p.outcome != OUTCOME_INVALID) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_object();
	web_add_problem(r, ctx, &p);
	json_object_set_new(ctx, "email_typed", json_string(email && utf8_valid(email, strlen(email)) ? email : ""));
	reminders_page(r, 400, ctx, REMINDER_CHECKIN, NULL);
}

void web_reminder_email_remove(struct request *r)
{
	struct problem p = {0};
	if (!email_remove(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?email_removed=1");
}
