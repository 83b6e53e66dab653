/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - loading, validating and scoring instruments (see
 * questionnaire.h).
 */
#include "questionnaire.h"

#include <assert.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/embedded.h"
#include "checkin.h"
#include "keyring.h"
#include "visibility.h"

static struct questionnaire *all;
static size_t all_count;

#define FAIL(...)                                                                                                      \
	do {                                                                                                           \
		snprintf(err, err_len, __VA_ARGS__);                                                                   \
		questionnaire_cleanup(out);                                                                            \
		return -1;                                                                                             \
	} while (0)

static const char *text_of(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static bool id_ok(const char *s, size_t max)
{
	if (!s || !*s || strlen(s) > max)
		return false;
	for (const char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_'))
			return false;
	return true;
}

int questionnaire_parse(json_t *doc, const char *file, struct questionnaire *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	if (!json_is_object(doc))
		FAIL("%s: the file must hold a JSON object", file);
	out->id = text_of(doc, "id");
	out->title = text_of(doc, "title");
	out->description = text_of(doc, "description");
	out->citation = text_of(doc, "citation");
	out->licence = text_of(doc, "licence");
	if (!id_ok(out->id, 60))
		FAIL("%s: field \"id\" must be 1-60 of a-z 0-9 - _", file);
	if (!out->title)
		FAIL("%s: field \"title\" is missing", file);
	if (!out->citation)
		FAIL("%s: field \"citation\" is missing (say where the instrument comes from)", file);
	if (!out->licence)
		FAIL("%s: field \"licence\" is missing (say under which licence you may use it)", file);
	json_t *interval = json_object_get(doc, "suggested_interval_days");
	if (!json_is_integer(interval) || json_integer_value(interval) < 1 || json_integer_value(interval) > 365)
		FAIL("%s: field \"suggested_interval_days\" must be a whole number from 1 to 365", file);
	out->interval_days = (int)json_integer_value(interval);
	json_t *items = json_object_get(doc, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > 200)
		FAIL("%s: field \"items\" must be a list of 1 to 200 items", file);
	out->count = json_array_size(items);
	out->items = xcalloc(out->count, sizeof *out->items);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		struct q_item *q = &out->items[i];
		q->id = text_of(it, "id");
		if (!id_ok(q->id, 40))
			FAIL("%s: item %zu: field \"id\" must be 1-40 of a-z 0-9 - _", file, i + 1);
		for (size_t k = 0; k < i; k++)
			if (strcmp(out->items[k].id, q->id) == 0)
				FAIL("%s: item %s: field \"id\" is used twice", file, q->id);
		q->text = text_of(it, "text");
		if (!q->text)
			FAIL("%s: item %s: field \"text\" is missing", file, q->id);
		json_t *mn = json_object_get(it, "min"), *mx = json_object_get(it, "max");
		if (!json_is_integer(mn) || json_integer_value(mn) < -100 || json_integer_value(mn) > 100)
			FAIL("%s: item %s: field \"min\" must be a whole number from -100 to 100", file, q->id);
		if (!json_is_integer(mx) || json_integer_value(mx) <= json_integer_value(mn) ||
		    json_integer_value(mx) > 100)
			FAIL("%s: item %s: field \"max\" must be a whole number above min, at most 100", file, q->id);
		q->min = (int)json_integer_value(mn);
		q->max = (int)json_integer_value(mx);
		json_t *rev = json_object_get(it, "reverse");
		if (rev && !json_is_boolean(rev))
			FAIL("%s: item %s: field \"reverse\" must be true or false", file, q->id);
		q->reverse = json_is_true(rev);
		json_t *sub = json_object_get(it, "subscale");
		if (sub && !json_is_null(sub) && !id_ok(json_string_value(sub), 40))
			FAIL("%s: item %s: field \"subscale\" must be 1-40 of a-z 0-9 - _", file, q->id);
		q->subscale = json_is_string(sub) ? json_string_value(sub) : NULL;
		json_t *labels = json_object_get(it, "labels");
		if (labels && !json_is_null(labels)) {
			if (!json_is_array(labels) || json_array_size(labels) != (size_t)(q->max - q->min + 1))
				FAIL("%s: item %s: field \"labels\" must list one label for each value from min to max",
				     file, q->id);
			size_t k;
			json_t *l;
			json_array_foreach(labels, k, l)
			{
				if (!json_is_string(l))
					FAIL("%s: item %s: field \"labels\" must hold strings", file, q->id);
			}
			q->labels = labels;
		}
	}
	out->doc = json_incref(doc);
	return 0;
}

void questionnaire_cleanup(struct questionnaire *q)
{
	free(q->items);
	json_decref(q->doc);
	memset(q, 0, sizeof *q);
}

static int add_doc(json_t *doc, const char *file, char *err, size_t err_len)
{
	struct questionnaire q;
	int rc = questionnaire_parse(doc, file, &q, err, err_len);
	json_decref(doc);
	if (rc < 0)
		return -1;
	if (questionnaire_by_id(q.id)) {
		snprintf(err, err_len, "%s: field \"id\": another instrument already uses \"%s\"", file, q.id);
		questionnaire_cleanup(&q);
		return -1;
	}
	all = xrealloc(all, sizeof *all * (all_count + 1));
	all[all_count++] = q;
	return 0;
}

int questionnaires_load(const char *extra_dir, char *err, size_t err_len)
{
	questionnaires_free();
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "data/questionnaires/", 20) != 0)
			continue;
		json_error_t e;
		json_t *doc = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &e);
		if (!doc) {
			snprintf(err, err_len, "%s: line %d: %s", f->name, e.line, e.text);
			goto fail;
		}
		if (add_doc(doc, f->name, err, err_len) < 0)
			goto fail;
	}
	if (extra_dir) {
		DIR *d = opendir(extra_dir);
		if (!d) {
			snprintf(err, err_len, "%s: cannot open the questionnaire directory", extra_dir);
			goto fail;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			size_t n = strlen(de->d_name);
			if (n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
				continue;
			char path[4096];
			snprintf(path, sizeof path, "%s/%s", extra_dir, de->d_name);
			json_error_t e;
			json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
			if (!doc) {
				snprintf(err, err_len, "%s: line %d: %s", path, e.line, e.text);
				closedir(d);
				goto fail;
			}
			if (add_doc(doc, path, err, err_len) < 0) {
				closedir(d);
				goto fail;
			}
		}
		closedir(d);
	}
	return 0;
fail:
	questionnaires_free();
	return -1;
}

void questionnaires_free(void)
{
	for (size_t i = 0; i < all_count; i++)
		questionnaire_cleanup(&all[i]);
	free(all);
	all = NULL;
	all_count = 0;
}

size_t questionnaire_count(void)
{
	return all_count;
}

const struct questionnaire *questionnaire_at(size_t i)
{
	return i < all_count ? &all[i] : NULL;
}

const struct questionnaire *questionnaire_by_id(const char *id)
{
	for (size_t i = 0; id && i < all_count; i++)
		if (strcmp(all[i].id, id) == 0)
			return &all[i];
	return NULL;
}

bool questionnaire_score(const struct questionnaire *q, json_t *answers, double *score, json_t **subscales,
                         struct problem *p)
{
	assert(q && q->count > 0 && score && subscales);
	*subscales = NULL;
	if (!json_is_object(answers))
		return problem_invalid(p, "answers", "answers is an object {ITEM_ID: value}.");
	const char *key;
	json_t *val;
	json_object_foreach(answers, key, val)
	{
		bool known = false;
		for (size_t i = 0; i < q->count; i++)
			known |= strcmp(q->items[i].id, key) == 0;
		if (!known)
			return problem_invalid(p, "answers",
			                       "An answer names an item this questionnaire does not have.");
	}
	/*
	 * Every item at fault at once: first "answers" as a whole (what clients
	 * have always read), then each item on its own id, so a page links to it.
	 */
	problem_begin(p);
	for (size_t i = 0; i < q->count; i++) {
		const struct q_item *it = &q->items[i];
		json_t *v = json_object_get(answers, it->id);
		if (json_is_integer(v) && json_integer_value(v) >= it->min && json_integer_value(v) <= it->max)
			continue;
		const char *message =
		    v ? "Every answer must be a whole number within its item's range." : "Please answer every item.";
		problem_add(p, "answers", message);
		problem_add(p, it->id, v ? "Choose one of this item's answers." : "Please answer this item.");
	}
	if (!problem_none(p))
		return false;
	double total = 0;
	json_t *sums = json_object();
	for (size_t i = 0; i < q->count; i++) {
		const struct q_item *it = &q->items[i];
		json_t *v = json_object_get(answers, it->id);
		int value = (int)json_integer_value(v);
		double scored = it->reverse ? it->min + it->max - value : value;
		total += scored;
		if (it->subscale) {
			json_t *acc = json_object_get(sums, it->subscale);
			if (!acc) {
				acc = json_pack("[f, i]", 0.0, 0);
				json_object_set_new(sums, it->subscale, acc);
			}
			json_array_set_new(acc, 0, json_real(json_real_value(json_array_get(acc, 0)) + scored));
			json_array_set_new(acc, 1, json_integer(json_integer_value(json_array_get(acc, 1)) + 1));
		}
	}
	*score = total / (double)q->count;
	*subscales = json_object();
	const char *name;
	json_t *acc;
	json_object_foreach(sums, name, acc)
	{
		double mean =
		    json_real_value(json_array_get(acc, 0)) / (double)json_integer_value(json_array_get(acc, 1));
		json_object_set_new(*subscales, name, json_real(mean));
	}
	json_decref(sums);
	return true;
}

json_t *questionnaire_json(const struct questionnaire *q)
{
	json_t *items = json_array();
	for (size_t i = 0; i < q->count; i++) {
		const struct q_item *it = &q->items[i];
		json_array_append_new(items, json_pack("{s:s, s:s, s:i, s:i, s:O?, s:b, s:s?}", "id", it->id, "text",
		                                       it->text, "min", it->min, "max", it->max, "labels", it->labels,
		                                       "reverse", it->reverse, "subscale", it->subscale));
	}
	return json_pack("{s:s, s:s, s:s?, s:s, s:s, s:i, s:o}", "id", q->id, "title", q->title, "description",
	                 q->description, "citation", q->citation, "licence", q->licence, "suggested_interval_days",
	                 q->interval_days, "items", items);
}

bool questionnaire_respond(struct store *s, const struct viewer *v, const struct questionnaire *q, json_t *answers,
                           const char *visibility, struct arena *a, struct store_qresponse *out, struct problem *p)
{
	assert(viewer_sane(v) && q && out);
	enum visibility vis = VISIBILITY_PRIVATE;
	if (visibility && !visibility_parse(visibility, &vis))
		return visibility_invalid(p);
	json_t *subs;
	double score;
	if (!questionnaire_score(q, answers, &score, &subs, p))
		return false;
	memset(out, 0, sizeof *out);
	id_new(out->id);
	snprintf(out->space_id, sizeof out->space_id, "%s", viewer_scope(v));
	snprintf(out->author_id, sizeof out->author_id, "%s", v->user_id);
	snprintf(out->questionnaire_id, sizeof out->questionnaire_id, "%s", q->id);
	snprintf(out->visibility, sizeof out->visibility, "%s", visibility_name(vis));
	out->score = score;
	out->created_at = now_ms();
	char *subs_text = json_dumps(subs, JSON_COMPACT | JSON_SORT_KEYS);
	char *answers_text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(subs);
	out->subscales = arena_strdup(a, subs_text);
	out->answers = arena_strdup(a, answers_text);
	free(subs_text);
	free(answers_text);
	struct store_qresponse sealed = *out;
	char ad[96];
	snprintf(ad, sizeof ad, "qresponse:%s:answers", out->id);
	enum store_status st = keyring_seal(s->keys, s, out->space_id, ad, out->answers, a, &sealed.answers);
	snprintf(ad, sizeof ad, "qresponse:%s:subscales", out->id);
	if (st == STORE_OK)
		st = keyring_seal(s->keys, s, out->space_id, ad, out->subscales, a, &sealed.subscales);
	snprintf(ad, sizeof ad, "qresponse:%s:score", out->id);
	if (st == STORE_OK)
		st = keyring_seal_double(s->keys, s, out->space_id, ad, out->score, sealed.sealed.score);
	if (st == STORE_OK)
		st = s->qresponse_insert(s, &sealed);
	return st == STORE_OK || problem_from_store(p, st == STORE_NOT_FOUND ? STORE_ERROR : st);
}

bool questionnaire_open(struct store *s, struct store_qresponse *r, bool answers, struct arena *a, struct problem *p)
{
	char ad[96];
	snprintf(ad, sizeof ad, "qresponse:%s:score", r->id);
	enum store_status st = keyring_open_double(s->keys, s, ad, r->sealed.score, &r->score);
	snprintf(ad, sizeof ad, "qresponse:%s:subscales", r->id);
	if (st == STORE_OK)
		st = keyring_open_text(s->keys, s, ad, r->subscales, a, &r->subscales);
	snprintf(ad, sizeof ad, "qresponse:%s:answers", r->id);
	if (st == STORE_OK && answers)
		st = keyring_open_text(s->keys, s, ad, r->answers, a, &r->answers);
	return st == STORE_OK || problem_from_store(p, st);
}

bool questionnaire_mine(struct store *s, const struct viewer *v, const char *questionnaire_id, int64_t before,
                        int limit, struct arena *a, struct store_qresponse **items, int *count, int64_t *next,
                        struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && items && count && next);
	int64_t to = before > 0 ? before : INT64_MAX;
	struct store_qresponse *rows = NULL, *own = NULL;
	int n = 0, m = 0;
	const char *scope = viewer_scope(v);
	enum store_status st =
	    s->qresponse_list(s, a, scope, v->user_id, questionnaire_id, false, 0, to, limit + 1, &rows, &n);
	if (st == STORE_OK && v->space_id[0])
		st = s->qresponse_list(s, a, v->user_id, v->user_id, questionnaire_id, false, 0, to, limit + 1, &own,
		                       &m);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct store_qresponse *merged = arena_alloc(a, sizeof *merged * (size_t)(n + m + 1));
	int i = 0, k = 0, total = 0;
	while (i < n || k < m) {
		bool take_own = k < m && (i >= n || own[k].created_at > rows[i].created_at);
		merged[total++] = take_own ? own[k++] : rows[i++];
	}
	*items = merged;
	*count = total < limit ? total : limit;
	*next = total > limit ? merged[limit - 1].created_at : 0;
	for (int j = 0; j < *count; j++)
		if (!questionnaire_open(s, &merged[j], false, a, p))
			return false;
	return true;
}
