/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * profile.c - pages: the account page's forms for a person's name and time
 * zone, and for their language (domain/profile.h). A change is saved and the page shown again with a
 * notice (POST, then redirect); a refused one shows the account page with
 * every problem at once and what was typed kept.
 */
#include <string.h>

#include "../app.h"
#include "../domain/date.h"
#include "../domain/profile.h"
#include "web.h"

json_t *web_language_choices(const char *none, const char *chosen)
{
	chosen = chosen ? chosen : "";
	json_t *out = json_array();
	json_array_append_new(out, json_pack("{s:s, s:s, s:b}", "value", "", "label", none, "selected", !*chosen));
	for (int l = 0; l < LANG_COUNT; l++) {
		const char *code = lang_code((enum lang)l);
		json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:b}", "value", code, "lang", code, "label",
		                                     lang_name((enum lang)l), "selected", strcmp(chosen, code) == 0));
	}
	return out;
}

/* The Account page's language form: "as my browser asks", or a language. */
static void language_context(struct request *r, json_t *ctx)
{
	const char *chosen = json_string_value(json_object_get(ctx, "language_kept"));
	json_object_set_new(
	    ctx, "language_choices",
	    web_language_choices(tr(r->lang, "As my browser asks"), chosen ? chosen : r->viewer.language));
	json_object_set_new(ctx, "language_saved", json_boolean(request_query(r, "language") != NULL));
}

void web_profile_context(struct request *r, json_t *ctx)
{
	const struct viewer *v = &r->viewer;
	language_context(r, ctx);
	json_object_set_new(ctx, "profile_saved", json_boolean(request_query(r, "profile") != NULL));
	json_object_set_new(ctx, "zone_now", json_string(viewer_time_zone(v)));
	json_object_set_new(ctx, "space_zone", json_string(v->space_id[0] ? v->time_zone : ""));
	if (json_object_get(ctx, "profile"))
		return; /* a refused form: keep what was typed */
	json_object_set_new(ctx, "profile",
	                    json_pack("{s:s, s:s}", "display_name", v->display_name, "time_zone", v->own_time_zone));
}

void web_profile_save(struct request *r)
{
	struct profile_input in;
	memset(&in, 0, sizeof in);
	json_t *kept = json_object();
	for (int f = 0; f < PROFILE_FIELDS; f++) {
		const char *name = profile_field_name((enum profile_field)f);
		const char *value = request_form(r, name);
		/* the form sends every field; one missing (another client) stays as it is */
		in.values[f] = value;
		json_object_set_new(kept, name, json_string(value && utf8_valid(value, strlen(value)) ? value : ""));
	}
	struct problem ps[PROFILE_FIELDS];
	int n = 0;
	struct viewer v = r->viewer;
	if (profile_update(r->app->store, &v, &in, ps, &n)) {
		json_decref(kept);
		/* the language has a form of its own, and its own word of thanks */
		bool language_only = in.values[PROFILE_LANGUAGE] && !in.values[PROFILE_DISPLAY_NAME];
		reply_redirect(r, language_only ? "/account?language=1" : "/account?profile=1");
		return;
	}
	if (n == 1 && outcome_is_fault(ps[0].outcome)) {
		json_decref(kept);
		web_problem_page(r, &ps[0]);
		return;
	}
	json_t *ctx = json_object();
	if (in.values[PROFILE_LANGUAGE] &&
	    !in.values[PROFILE_DISPLAY_NAME]) /* the language form: the name form stays as saved */
		json_object_set(ctx, "language_kept", json_object_get(kept, "language"));
	else
		json_object_set(ctx, "profile", kept);
	json_decref(kept);
	web_add_problems(r, ctx, ps, n);
	web_account_page(r, web_status(r, ps[0].outcome), ctx);
}
