/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.c - loading, validating and scoring instruments (see
 * questionnaire.h).
 */
#include "questionnaire.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/embedded.h"
#include "../util/i18n.h"
#include "checkin.h"
#include "content.h"
#include "keyring.h"
#include "visibility.h"

static struct questionnaire *all;
static size_t all_count;
/* Issue 16: by language ([LANG_EN] unused), all_count each: the translation of all[i], or zeroed (no id) for none. */
static struct questionnaire *twins[LANG_COUNT];

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

/* The range of a score over the items whose subscale is key (NULL: all items). */
static void range_over(const struct questionnaire *q, const char *key, double *min, double *max)
{
	double lo = 0, hi = 0;
	size_t n = 0;
	for (size_t i = 0; i < q->count; i++) {
		if (key && (!q->items[i].subscale || strcmp(q->items[i].subscale, key) != 0))
			continue;
		lo += q->items[i].min;
		hi += q->items[i].max;
		n++;
	}
	if (n && q->scoring == Q_SCORING_MEAN)
		lo /= (double)n, hi /= (double)n;
	*min = lo;
	*max = hi;
}

/* "open-communication" -> "Open communication": a name for a subscale nobody named. */
static json_t *name_from_key(const char *key)
{
	char name[64];
	size_t n = 0;
	for (const char *c = key; *c && n < sizeof name - 1; c++)
		name[n++] = (*c == '-' || *c == '_') ? ' ' : *c;
	name[n] = '\0';
	name[0] = (char)toupper((unsigned char)name[0]);
	return json_string(name);
}

/*
 * The optional scoring fields: scoring, subscales (names), bands,
 * reliable_change. Checked against the items, which are parsed by now.
 */
static int parse_scoring(json_t *doc, const char *file, struct questionnaire *out, char *err, size_t err_len)
{
	json_t *scoring = json_object_get(doc, "scoring");
	const char *how = json_string_value(scoring);
	if (scoring && !(how && (strcmp(how, "mean") == 0 || strcmp(how, "sum") == 0)))
		FAIL("%s: field \"scoring\" must be \"mean\" or \"sum\"", file);
	out->scoring = how && strcmp(how, "sum") == 0 ? Q_SCORING_SUM : Q_SCORING_MEAN;
	range_over(out, NULL, &out->score_min, &out->score_max);

	json_t *names = json_object_get(doc, "subscales");
	if (names && !json_is_object(names))
		FAIL("%s: field \"subscales\" must be an object {SUBSCALE: \"its name\"}", file);
	out->subscale_names = json_object();
	for (size_t i = 0; i < out->count; i++) {
		const char *key = out->items[i].subscale;
		if (!key || json_object_get(out->subscale_names, key))
			continue;
		json_t *name = names ? json_object_get(names, key) : NULL;
		if (name && !(json_is_string(name) && json_string_length(name) > 0 && json_string_length(name) <= 80))
			FAIL("%s: field \"subscales\": subscale \"%s\" needs a name of 1-80 characters", file, key);
		json_object_set_new(out->subscale_names, key, name ? json_incref(name) : name_from_key(key));
	}
	const char *key;
	json_t *name;
	json_object_foreach(names, key, name)
	{
		if (!json_object_get(out->subscale_names, key))
			FAIL("%s: field \"subscales\": no item belongs to subscale \"%s\"", file, key);
	}

	json_t *bands = json_object_get(doc, "bands");
	if (bands && (!json_is_array(bands) || json_array_size(bands) == 0 || json_array_size(bands) > 20))
		FAIL("%s: field \"bands\" must be a list of 1 to 20 bands {label, min, max}", file);
	out->band_count = bands ? json_array_size(bands) : 0;
	out->bands = out->band_count ? xcalloc(out->band_count, sizeof *out->bands) : NULL;
	for (size_t i = 0; i < out->band_count; i++) {
		json_t *b = json_array_get(bands, i), *mn = json_object_get(b, "min"), *mx = json_object_get(b, "max");
		struct q_band *band = &out->bands[i];
		band->label = text_of(b, "label");
		if (!band->label || strlen(band->label) > 80)
			FAIL("%s: field \"bands\": band %zu needs a label of 1-80 characters", file, i + 1);
		if (!json_is_number(mn) || !json_is_number(mx))
			FAIL("%s: field \"bands\": band %zu (\"%s\") needs numbers min and max", file, i + 1,
			     band->label);
		band->min = json_number_value(mn);
		band->max = json_number_value(mx);
		if (band->min > band->max)
			FAIL("%s: field \"bands\": band %zu (\"%s\") has min %g above max %g", file, i + 1, band->label,
			     band->min, band->max);
		if (band->min < out->score_min || band->max > out->score_max)
			FAIL("%s: field \"bands\": band %zu (\"%s\") goes from %g to %g, outside the scores this "
			     "instrument can give (%g to %g)",
			     file, i + 1, band->label, band->min, band->max, out->score_min, out->score_max);
		if (i > 0 && band->min <= out->bands[i - 1].max)
			FAIL("%s: field \"bands\": band %zu (\"%s\") starts at %g, not above where band %zu ends (%g): "
			     "list the bands from low to high, without overlap",
			     file, i + 1, band->label, band->min, i, out->bands[i - 1].max);
	}

	json_t *rc = json_object_get(doc, "reliable_change");
	if (rc && (!json_is_number(rc) || json_number_value(rc) <= 0 ||
	           json_number_value(rc) > out->score_max - out->score_min))
		FAIL("%s: field \"reliable_change\" must be a number above 0 and at most the score's range (%g)", file,
		     out->score_max - out->score_min);
	out->reliable_change = rc ? json_number_value(rc) : 0;
	return 0;
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
	out->note = text_of(doc, "note");
	out->higher_means = text_of(doc, "higher_means");
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
	if (parse_scoring(doc, file, out, err, err_len) < 0)
		return -1; /* parse_scoring cleaned up */
	out->doc = json_incref(doc);
	return 0;
}

void questionnaire_cleanup(struct questionnaire *q)
{
	free(q->items);
	free(q->bands);
	json_decref(q->subscale_names);
	json_decref(q->doc);
	memset(q, 0, sizeof *q);
}

/* Grows every language's translations with all (an instrument of extra_dir has none). */
static void twins_grow(void)
{
	for (int l = LANG_EN + 1; l < LANG_COUNT; l++) {
		if (!twins[l])
			continue;
		twins[l] = xrealloc(twins[l], sizeof *all * all_count);
		memset(&twins[l][all_count - 1], 0, sizeof *all);
	}
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
	twins_grow();
	return 0;
}

/* A translation that cannot be used, said once at start: the English is shown in its place. */
static void twin_warn(const char *file, const char *why)
{
	/* not translated: a log line for the operator */
	fprintf(stderr, "hearth: %s: %s; English is shown instead\n", file, why);
}

/*
 * The translations of the shipped instruments loaded so far (all of them:
 * called before extra_dir's are added, so twins[l] has all_count places and
 * grows with all afterwards), each checked against its English document.
 */
static void load_twins(void)
{
	for (int l = LANG_EN + 1; l < LANG_COUNT; l++) {
		twins[l] = xcalloc(all_count ? all_count : 1, sizeof *all);
		for (size_t i = 0; i < embedded_files_count; i++) {
			const struct embedded_file *f = &embedded_files[i];
			if (strncmp(f->name, "data/questionnaires/", 20) != 0)
				continue;
			json_t *en = json_loadb((const char *)f->data, f->len, 0, NULL);
			const struct questionnaire *q = questionnaire_by_id(text_of(en, "id"));
			char name[160], err[256];
			snprintf(name, sizeof name, "data/i18n/%s/questionnaires/%s", lang_code((enum lang)l),
			         f->name + 20);
			const struct embedded_file *t = embedded_find(name);
			json_error_t e;
			json_t *doc = t ? json_loadb((const char *)t->data, t->len, JSON_REJECT_DUPLICATES, &e) : NULL;
			struct questionnaire tw;
			if (!q) {
				/* the English did not load: load_twins is not reached then */
			} else if (!t) {
				twin_warn(name, "is missing from the build");
			} else if (!doc) {
				snprintf(err, sizeof err, "line %d: %s", e.line, e.text);
				twin_warn(name, err);
			} else if (!content_same_shape(en, doc)) {
				twin_warn(name, "its shape differs from the English (items, ranges, subscales, bands)");
			} else if (questionnaire_parse(doc, name, &tw, err, sizeof err) < 0) {
				twin_warn(name, err);
			} else {
				twins[l][q - all] = tw;
			}
			json_decref(doc);
			json_decref(en);
		}
	}
}

/* The English instrument of a translation (scores are worked out on it); q itself when q is English. */
static const struct questionnaire *english_of(const struct questionnaire *q)
{
	for (int l = LANG_EN + 1; l < LANG_COUNT; l++) {
		uintptr_t at = (uintptr_t)q, from = (uintptr_t)twins[l];
		if (twins[l] && at >= from && at < from + all_count * sizeof *all)
			return &all[q - twins[l]];
	}
	return q;
}

const struct questionnaire *questionnaire_in(const struct questionnaire *q, enum lang l)
{
	if (!q)
		return NULL;
	q = english_of(q); /* a translation given: the same instrument in l, English included */
	if (l <= LANG_EN || l >= LANG_COUNT || !twins[l])
		return q;
	uintptr_t at = (uintptr_t)q, from = (uintptr_t)all;
	if (at < from || at >= from + all_count * sizeof *all || !twins[l][q - all].id)
		return q;
	return &twins[l][q - all];
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
	load_twins();
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
	for (int l = 0; l < LANG_COUNT; l++) {
		for (size_t i = 0; twins[l] && i < all_count; i++)
			questionnaire_cleanup(&twins[l][i]);
		free(twins[l]);
		twins[l] = NULL;
	}
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
	q = english_of(q); /* a score never depends on the language it was answered in */
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
		const char *message = v ? N_("Every answer must be a whole number within its item's range.")
		                        : N_("Please answer every item.");
		problem_add(p, "answers", message);
		problem_add(p, it->id, v ? N_("Choose one of this item's answers.") : N_("Please answer this item."));
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
	bool mean = q->scoring == Q_SCORING_MEAN;
	*score = mean ? total / (double)q->count : total;
	*subscales = json_object();
	const char *name;
	json_t *acc;
	json_object_foreach(sums, name, acc)
	{
		double sum = json_real_value(json_array_get(acc, 0));
		double n = (double)json_integer_value(json_array_get(acc, 1));
		json_object_set_new(*subscales, name, json_real(mean ? sum / n : sum));
	}
	json_decref(sums);
	return true;
}

const char *questionnaire_subscale_name(const struct questionnaire *q, const char *key)
{
	const char *name = json_string_value(json_object_get(q->subscale_names, key));
	return name ? name : key;
}

void questionnaire_subscale_range(const struct questionnaire *q, const char *key, double *min, double *max)
{
	range_over(english_of(q), key, min, max);
}

const struct q_band *questionnaire_band(const struct questionnaire *q, double score)
{
	const struct questionnaire *en = english_of(q); /* the English ranges; the given one's label */
	for (size_t i = 0; i < en->band_count && i < q->band_count; i++)
		if (score >= en->bands[i].min && score <= en->bands[i].max)
			return &q->bands[i];
	return NULL;
}

/* Scores are means of whole numbers: a tolerance keeps 3.3 - 2.5 equal to 0.8. */
#define SCORE_EPSILON 1e-9

void questionnaire_change(const struct questionnaire *q, double score, const struct store_qresponse *prev,
                          struct q_change *out)
{
	memset(out, 0, sizeof *out);
	out->reliable = -1;
	if (!prev)
		return;
	out->present = true;
	out->from_score = prev->score;
	out->from_at = prev->created_at;
	out->delta = score - prev->score;
	q = english_of(q);
	if (q->reliable_change > 0)
		out->reliable = fabs(out->delta) > q->reliable_change + SCORE_EPSILON;
}

void questionnaire_format(const struct questionnaire *q, double value, char out[static 32])
{
	if (q->scoring == Q_SCORING_SUM && fabs(value - round(value)) < SCORE_EPSILON)
		snprintf(out, 32, "%.0f", value);
	else /* halves round up, as people do: 3.25 is "3.3" (printf would give "3.2") */
		snprintf(out, 32, "%.1f", round(value * 10) / 10);
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
	json_t *out = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:i, s:o, s:s, s:O, s:{s:f, s:f}}", "id", q->id, "title",
	                        q->title, "description", q->description, "citation", q->citation, "licence", q->licence,
	                        "suggested_interval_days", q->interval_days, "items", items, "scoring",
	                        q->scoring == Q_SCORING_SUM ? "sum" : "mean", "subscales", q->subscale_names,
	                        "score_range", "min", q->score_min, "max", q->score_max);
	if (q->note)
		json_object_set_new(out, "note", json_string(q->note));
	if (q->higher_means)
		json_object_set_new(out, "higher_means", json_string(q->higher_means));
	if (q->band_count) {
		json_t *bands = json_array();
		for (size_t i = 0; i < q->band_count; i++)
			json_array_append_new(bands, json_pack("{s:s, s:f, s:f}", "label", q->bands[i].label, "min",
			                                       q->bands[i].min, "max", q->bands[i].max));
		json_object_set_new(out, "bands", bands);
	}
	if (q->reliable_change > 0)
		json_object_set_new(out, "reliable_change", json_real(q->reliable_change));
	return out;
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

/* Whether a comes before b in a list of responses: newest first, then by id, as the store orders them. */
static bool qresponse_newer(const struct store_qresponse *a, const struct store_qresponse *b)
{
	return a->created_at > b->created_at || (a->created_at == b->created_at && strcmp(a->id, b->id) > 0);
}

bool questionnaire_mine(struct store *s, const struct viewer *v, const char *questionnaire_id, int64_t before,
                        const char *before_id, int limit, struct arena *a, struct store_qresponse **items, int *count,
                        struct problem *p)
{
	assert(viewer_sane(v) && limit > 0 && items && count);
	int64_t to = before > 0 ? before : INT64_MAX;
	struct store_qresponse *rows = NULL, *own = NULL;
	int n = 0, m = 0;
	const char *scope = viewer_scope(v);
	enum store_status st =
	    s->qresponse_list(s, a, scope, v->user_id, questionnaire_id, false, 0, to, before_id, limit, &rows, &n);
	if (st == STORE_OK && v->space_id[0])
		st = s->qresponse_list(s, a, v->user_id, v->user_id, questionnaire_id, false, 0, to, before_id, limit,
		                       &own, &m);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	struct store_qresponse *merged = arena_alloc(a, sizeof *merged * (size_t)(n + m + 1));
	int i = 0, k = 0, total = 0;
	while ((i < n || k < m) && total < limit) {
		bool take_own = k < m && (i >= n || qresponse_newer(&own[k], &rows[i]));
		merged[total++] = take_own ? own[k++] : rows[i++];
	}
	*items = merged;
	*count = total;
	for (int j = 0; j < *count; j++)
		if (!questionnaire_open(s, &merged[j], false, a, p))
			return false;
	return true;
}

bool questionnaire_previous(struct store *s, const struct viewer *v, const struct questionnaire *q, int64_t before,
                            const char *before_id, struct arena *a, struct store_qresponse **previous,
                            struct problem *p)
{
	struct store_qresponse *rows;
	int count;
	*previous = NULL;
	if (!questionnaire_mine(s, v, q->id, before, before_id, 1, a, &rows, &count, p))
		return false;
	*previous = count ? &rows[0] : NULL;
	return true;
}

bool questionnaire_result(struct store *s, const struct viewer *v, const struct questionnaire *q, const char *id,
                          struct arena *a, struct store_qresponse **result, struct store_qresponse **previous,
                          struct problem *p)
{
	assert(viewer_sane(v) && q && result && previous);
	*result = *previous = NULL;
	if (!id || !*id || strlen(id) > ID_LEN)
		return true;
	struct store_qresponse *row = arena_alloc(a, sizeof *row);
	enum store_status st = s->qresponse_get(s, a, viewer_scope(v), v->user_id, v->user_id, id, row);
	if (st == STORE_NOT_FOUND || (st == STORE_OK && strcmp(row->questionnaire_id, q->id) != 0))
		return true;
	if (st != STORE_OK)
		return problem_from_store(p, st);
	if (!questionnaire_open(s, row, false, a, p))
		return false;
	*result = row;
	return questionnaire_previous(s, v, q, row->created_at, row->id, a, previous, p);
}
