/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * export.c - pages: the printable export of everything the viewer wrote
 * (after the password was typed in the last 10 minutes).
 */
#include <string.h>

#include "../app.h"
#include "../domain/export.h"
#include "web.h"

/* Days the export holds as dates (YYYY-MM-DD) rather than moments. */
static bool is_day_key(const char *key)
{
	return strcmp(key, "date") == 0 || strcmp(key, "occurred_on") == 0 || strcmp(key, "next_review_on") == 0;
}

/*
 * Beside every moment KEY_at of the document (at any depth), KEY_when: its
 * words for a printed page; beside every day, KEY_words. The values stay as
 * they are, so the page holds everything the file does.
 */
static void export_words(struct request *r, json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			export_words(r, x);
		}
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *add = json_object();
	const char *key;
	json_t *x;
	json_object_foreach(v, key, x)
	{
		size_t n = strlen(key);
		if (json_is_string(x) && n > 3 && strcmp(key + n - 3, "_at") == 0)
			json_object_set_new(add, arena_printf(r->arena, "%.*s_when", (int)(n - 3), key),
			                    web_when_stamp(r, json_string_value(x), true));
		else if (json_is_string(x) && is_day_key(key))
			json_object_set_new(add, arena_printf(r->arena, "%s_words", key),
			                    web_on_full(r, json_string_value(x)));
		else
			export_words(r, x);
	}
	json_object_update(v, add);
	json_decref(add);
}

void web_export(struct request *r)
{
	json_t *doc;
	struct problem p = {0};
	if (!web_require_fresh(r, "/account/export"))
		return; /* to the page that asks for the password, and back here */
	if (!export_build(r->app->store, &r->viewer, r->arena, &doc, &p)) {
		web_problem_page(r, &p);
		return;
	}
	/* A printed page is read later: every moment and day in whole words in the reader's zone (never
	 * "today"), inside <time datetime> with the value the file holds. */
	export_words(r, doc);
	/* Objects as lists the template can walk: questionnaire answers and subscales. */
	json_t *resp;
	size_t i;
	/* An agreement's rhythm in words, by the language's plural: "every 14 days" (the number stays the file's). */
	json_t *g;
	json_array_foreach(json_object_get(doc, "agreements"), i, g)
	{
		int days = (int)json_integer_value(json_object_get(g, "review_every_days"));
		json_object_set_new(
		    g, "every_words",
		    json_string(arena_printf(
		        r->arena, tr_n(r->lang, "every %d day", "every %d days", (unsigned long)days), days)));
	}
	json_array_foreach(json_object_get(doc, "questionnaire_responses"), i, resp)
	{
		json_t *answers = json_array(), *subscales = json_array();
		const char *key;
		json_t *val;
		json_object_foreach(json_object_get(resp, "answers"), key, val)
		{
			json_array_append_new(answers, json_pack("{s:s, s:O}", "item", key, "value", val));
		}
		json_object_foreach(json_object_get(resp, "subscales"), key, val)
		{
			json_array_append_new(subscales, json_pack("{s:s, s:O}", "name", key, "value", val));
		}
		json_object_set_new(resp, "answer_list", answers);
		json_object_set_new(resp, "subscale_list", subscales);
	}
	/* The language setting by its own name ("Deutsch"), the code beside it as the file has it. */
	json_t *account = json_object_get(doc, "account");
	enum lang chosen;
	if (lang_parse(json_string_value(json_object_get(account, "language")), &chosen))
		json_object_set_new(account, "language_name", json_string(lang_name(chosen)));
	web_render(r, 200, "export", tr(r->lang, "Everything you wrote"), doc);
}
