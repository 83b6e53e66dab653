/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notice.c - the Reminders page's quiet hours and notices forms (issue 15):
 * templates/_quiet_notices.html, within templates/reminders.html. Each form
 * posts on its own; a fault shows on its form with what was typed kept.
 * Rules: domain/quiet.c and domain/notice.c.
 */
#include <stdio.h>
#include <string.h>

#include "../app.h"
#include "../domain/notice.h"
#include "../domain/quiet.h"
#include "web.h"

/* The kinds as the page words them, in order (in the reader's language where shown). */
static const char *const kind_words[NOTICE_KIND_COUNT] = {
    [NOTICE_PROMPT] = N_("When my partner answers today’s question"),
    [NOTICE_CHECKIN] = N_("When my partner shares a check-in with me"),
    [NOTICE_REPAIR] = N_("When my partner opens a repair or shares their side"),
    [NOTICE_AGREEMENT] = N_("When my partner proposes an agreement"),
};

static const char *clock_text(struct request *r, int minutes)
{
	return arena_printf(r->arena, "%02d:%02d", minutes / 60, minutes % 60);
}

/* A text typed into a form, as it can be shown again: "" when it is not UTF-8. */
static const char *typed_text(const char *s)
{
	return s && utf8_valid(s, strlen(s)) ? s : "";
}

bool web_notice_page_add(struct request *r, json_t *ctx, struct problem *p)
{
	struct quiet_hours q;
	struct notice_settings n;
	if (!quiet_get(r->app->store, &r->viewer, &q, p) || !notice_get(r->app->store, &r->viewer, &n, p))
		return false;
	json_object_set_new(ctx, "quiet_saved", json_boolean(request_query(r, "quiet") != NULL));
	json_object_set_new(ctx, "quiet_ended", json_boolean(request_query(r, "quiet_off") != NULL));
	json_object_set_new(ctx, "notices_saved", json_boolean(request_query(r, "notices") != NULL));
	json_object_set_new(ctx, "notices_ended", json_boolean(request_query(r, "notices_off") != NULL));
	if (q.set)
		json_object_set_new(ctx, "quiet",
		                    json_pack("{s:s, s:s}", "from", clock_text(r, q.from), "to", clock_text(r, q.to)));
	/* the form: what was typed (set by a failed post), else the stored window, else a night's */
	if (!json_object_get(ctx, "quiet_form"))
		json_object_set_new(ctx, "quiet_form",
		                    json_pack("{s:s, s:s, s:o}", "from", q.set ? clock_text(r, q.from) : "22:00", "to",
		                              q.set ? clock_text(r, q.to) : "07:30", "fault", json_object()));
	if (n.on)
		json_object_set_new(ctx, "notices_on", json_true());
	json_t *form = json_object_get(ctx, "notice_form");
	unsigned kinds = n.kinds, channels = n.on ? n.channels : 1u << CHANNEL_EMAIL;
	bool named = n.named;
	if (form) {
		kinds = (unsigned)json_integer_value(json_object_get(form, "kinds"));
		channels = (unsigned)json_integer_value(json_object_get(form, "channels"));
		named = json_is_true(json_object_get(form, "named"));
	}
	json_object_set_new(ctx, "notice_by_email", json_boolean(channels & (1u << CHANNEL_EMAIL)));
	json_object_set_new(ctx, "notice_by_push", json_boolean(channels & (1u << CHANNEL_PUSH)));
	bool email = n.channels & (1u << CHANNEL_EMAIL), push = n.channels & (1u << CHANNEL_PUSH);
	json_object_set_new(ctx, "notices_how",
	                    json_string(email && push ? tr(r->lang, "by email and as a notification on your devices")
	                                : push        ? tr(r->lang, "as a notification on your devices")
	                                              : tr(r->lang, "by email")));
	json_object_set_new(ctx, "notices_by_email", json_boolean(email));
	json_t *list = json_array();
	for (int k = 0; k < NOTICE_KIND_COUNT; k++)
		json_array_append_new(
		    list, json_pack("{s:s, s:s, s:b, s:b}", "kind", notice_kind_name((enum notice_kind)k), "label",
		                    tr(r->lang, kind_words[k]), "on", (kinds & (1u << k)) != 0, "first", k == 0));
	json_object_set_new(ctx, "notice_kinds", list);
	json_object_set_new(ctx, "notice_named", json_boolean(named));
	if (!form)
		json_object_set_new(ctx, "notice_form", json_pack("{s:o}", "fault", json_object()));
	return true;
}

/* Copies p's faults into ctx for the error summary, each field prefixed (its input's id), and into fault. */
static void faults_add(struct request *r, json_t *ctx, const char *prefix, const struct problem *p, json_t *fault)
{
	int n = p->count > 0 ? p->count : 1;
	struct problem ps[PROBLEM_ITEMS_MAX];
	for (int i = 0; i < n && i < PROBLEM_ITEMS_MAX; i++) {
		const char *field = p->count > 0 ? p->items[i].field : p->field;
		const char *message = p->count > 0 ? p->items[i].message : p->message;
		ps[i] = *p;
		ps[i].field = field ? arena_printf(r->arena, "%s-%s", prefix, field) : NULL;
		ps[i].message = message;
		if (field) /* the domain's message is English (the API's): the page says it in the reader's language */
			json_object_set_new(fault, field, json_string(tr(r->lang, message)));
	}
	web_add_problems(r, ctx, ps, n < PROBLEM_ITEMS_MAX ? n : PROBLEM_ITEMS_MAX);
}

void web_quiet_save(struct request *r)
{
	const char *from = request_form(r, "from"), *to = request_form(r, "to");
	struct quiet_hours q;
	struct problem p = {0};
	if (quiet_set(r->app->store, &r->viewer, from, to, &q, &p)) {
		reply_redirect(r, "/reminders?quiet=1#quiet-heading");
		return;
	}
	if (p.outcome != OUTCOME_INVALID) {
		web_problem_page(r, &p);
		return;
	}
	json_t *ctx = json_object(), *fault = json_object();
	faults_add(r, ctx, "quiet", &p, fault);
	json_object_set_new(ctx, "quiet_form",
	                    json_pack("{s:s, s:s, s:o, s:b}", "from", typed_text(from), "to", typed_text(to), "fault",
	                              fault, "open", true));
	web_reminders_render(r, 400, ctx);
}

void web_quiet_off(struct request *r)
{
	struct problem p = {0};
	if (!quiet_remove(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?quiet_off=1#quiet-heading");
}

void web_notices_save(struct request *r)
{
	struct notice_input in = {0};
	for (size_t i = 0; i < r->form.count; i++) {
		const char *name = r->form.items[i].name, *value = r->form.items[i].value;
		if (strcmp(name, "kinds") == 0 && in.kind_count < NOTICE_KIND_COUNT + 1)
			in.kinds[in.kind_count++] = value;
		else if (strcmp(name, "channels") == 0 && in.channel_count < CHANNEL_COUNT + 1)
			in.channels[in.channel_count++] = value;
	}
	in.wording = request_form(r, "wording");
	in.offered = reminder_channels_offered(r->app->config.smtp_url != NULL);
	struct notice_settings out;
	struct problem p = {0};
	if (notice_set(r->app->store, &r->viewer, &in, &out, &p)) {
		reply_redirect(r, "/reminders?notices=1#notices-heading");
		return;
	}
	if (p.outcome != OUTCOME_INVALID) {
		web_problem_page(r, &p);
		return;
	}
	/* What was ticked, as it was. */
	unsigned kinds = 0, channels = 0;
	for (int i = 0; i < in.kind_count; i++) {
		enum notice_kind k;
		if (notice_kind_parse(in.kinds[i], &k))
			kinds |= 1u << k;
	}
	for (int i = 0; i < in.channel_count; i++)
		for (int c = 0; c < CHANNEL_COUNT; c++)
			if (strcmp(in.channels[i], reminder_channel_name((enum reminder_channel)c)) == 0)
				channels |= 1u << c;
	json_t *ctx = json_object(), *fault = json_object();
	faults_add(r, ctx, "notices", &p, fault);
	json_object_set_new(ctx, "notice_form",
	                    json_pack("{s:i, s:i, s:b, s:o, s:b}", "kinds", (int)kinds, "channels", (int)channels,
	                              "named", in.wording && strcmp(in.wording, "named") == 0, "fault", fault, "open",
	                              true));
	web_reminders_render(r, 400, ctx);
}

void web_notices_off(struct request *r)
{
	struct problem p = {0};
	if (!notice_remove(r->app->store, &r->viewer, &p)) {
		web_problem_page(r, &p);
		return;
	}
	reply_redirect(r, "/reminders?notices_off=1#notices-heading");
}
