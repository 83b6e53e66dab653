/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * content.c - loading and validating the shipped data files (see content.h):
 * the English first, each file checked field by field, then the Spanish and
 * German twins, checked against the English (issue 16). A twin's question is
 * a copy of the English one (id, category, depth) with the twin's words: the
 * English arrays and the twins' have the same layout, so a question's place
 * in one is its place in the other.
 */
#include "content.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/embedded.h"
#include "text.h"

static json_t *prompts_doc, *feelings_doc, *guide_doc, *safety_doc, *decks_doc, *break_doc;
static struct prompt *prompts;
static size_t prompt_count;
static struct deck *decks;
static struct prompt *deck_questions; /* every deck's questions, deck after deck */
static size_t deck_count, deck_question_count;

/*
 * Issue 16: the twins, by language ([LANG_EN] unused). The questions and decks
 * are NULL where a twin could not be read (English is shown); the documents
 * are the twin's, or the English one's (a reference each) where it fell back.
 */
static struct prompt *tw_prompts[LANG_COUNT], *tw_questions[LANG_COUNT];
static struct deck *tw_decks[LANG_COUNT];
static json_t *tw_prompts_doc[LANG_COUNT], *tw_decks_doc[LANG_COUNT];
static json_t *tw_feelings[LANG_COUNT], *tw_guide[LANG_COUNT], *tw_break[LANG_COUNT], *tw_safety[LANG_COUNT];

/* Issue 15: the limits a deck file is held to (ids fit a prompt day's prompt_id). */
enum { DECK_ID_MAX = 15, DECK_TITLE_MAX = 60, DECK_DESCRIPTION_MAX = 300 };
/* A question's words, a daily prompt's or a deck's. */
enum { QUESTION_MAX = 300 };

#define FAIL(...)                                                                                                      \
	do {                                                                                                           \
		snprintf(err, err_len, __VA_ARGS__);                                                                   \
		return -1;                                                                                             \
	} while (0)

static json_t *load_embedded(const char *name, char *err, size_t err_len)
{
	const struct embedded_file *f = embedded_find(name);
	if (!f) {
		snprintf(err, err_len, "%s is missing from the build", name);
		return NULL;
	}
	json_error_t e;
	json_t *doc = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &e);
	if (!doc)
		snprintf(err, err_len, "%s: line %d: %s", name, e.line, e.text);
	return doc;
}

static const char *string_field(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

/*
 * One question's id, words and depth into x, a daily prompt's or a deck's
 * alike; `what` and n (from 0) name it in a message until its id is known.
 */
static int load_question(const char *file, const char *what, size_t n, json_t *q, struct prompt *x, char *err,
                         size_t err_len)
{
	x->id = string_field(q, "id");
	x->text = string_field(q, "text");
	json_t *depth = json_object_get(q, "depth");
	if (!x->id || strlen(x->id) >= 16)
		FAIL("%s: %s %zu: field \"id\" must be a short string", file, what, n + 1);
	if (!x->text || !text_fits(x->text, QUESTION_MAX))
		FAIL("%s: %s %s: field \"text\" must be 1 to %d characters", file, what, x->id, QUESTION_MAX);
	if (!json_is_integer(depth) || json_integer_value(depth) < 1 || json_integer_value(depth) > 3)
		FAIL("%s: %s %s: field \"depth\" must be 1, 2 or 3", file, what, x->id);
	x->depth = (int)json_integer_value(depth);
	return 0;
}

static int load_prompts(char *err, size_t err_len)
{
	const char *file = "data/prompts.json";
	if (!(prompts_doc = load_embedded(file, err, err_len)))
		return -1;
	json_t *cats = json_object_get(prompts_doc, "categories");
	json_t *items = json_object_get(prompts_doc, "prompts");
	if (!json_is_array(cats) || !json_is_array(items) || json_array_size(items) == 0)
		FAIL("%s: needs arrays \"categories\" and \"prompts\"", file);
	prompt_count = json_array_size(items);
	prompts = xcalloc(prompt_count, sizeof *prompts);
	size_t i;
	json_t *p;
	json_array_foreach(items, i, p)
	{
		struct prompt *q = &prompts[i];
		if (load_question(file, "prompt", i, p, q, err, err_len) < 0)
			return -1;
		q->category = string_field(p, "category");
		size_t k;
		json_t *c;
		json_array_foreach(cats, k, c)
		{
			if (q->category && string_field(c, "id") && strcmp(string_field(c, "id"), q->category) == 0)
				q->category_name = string_field(c, "name");
		}
		if (!q->category_name)
			FAIL("%s: prompt %s: field \"category\" names no category", file, q->id);
		for (size_t j = 0; j < i; j++)
			if (strcmp(prompts[j].id, q->id) == 0)
				FAIL("%s: prompt %s: field \"id\" is used twice", file, q->id);
	}
	return 0;
}

/* True when the id is used by a daily prompt or by a deck question loaded before index `before`. */
static bool question_id_taken(const char *id, size_t before)
{
	for (size_t j = 0; j < prompt_count; j++)
		if (strcmp(prompts[j].id, id) == 0)
			return true;
	for (size_t j = 0; j < before; j++)
		if (strcmp(deck_questions[j].id, id) == 0)
			return true;
	return false;
}

/* One deck's fields and its questions, appended at deck_questions[*next]. */
static int load_deck(const char *file, json_t *d, size_t i, size_t *next, char *err, size_t err_len)
{
	struct deck *k = &decks[i];
	k->id = string_field(d, "id");
	k->title = string_field(d, "title");
	k->description = string_field(d, "description");
	json_t *items = json_object_get(d, "questions");
	if (!k->id || strlen(k->id) > DECK_ID_MAX || strspn(k->id, "abcdefghijklmnopqrstuvwxyz-") != strlen(k->id))
		FAIL("%s: deck %zu: field \"id\" must be a short string of a-z and -", file, i + 1);
	for (size_t j = 0; j < i; j++)
		if (strcmp(decks[j].id, k->id) == 0)
			FAIL("%s: deck %s: field \"id\" is used twice", file, k->id);
	if (!k->title || !text_fits(k->title, DECK_TITLE_MAX))
		FAIL("%s: deck %s: field \"title\" must be 1 to %d characters", file, k->id, DECK_TITLE_MAX);
	if (!k->description || !text_fits(k->description, DECK_DESCRIPTION_MAX))
		FAIL("%s: deck %s: field \"description\" must be 1 to %d characters", file, k->id,
		     DECK_DESCRIPTION_MAX);
	if (!json_is_array(items) || json_array_size(items) == 0)
		FAIL("%s: deck %s: needs a non-empty array \"questions\"", file, k->id);
	k->questions = &deck_questions[*next];
	k->count = json_array_size(items);
	char what[DECK_ID_MAX + 32];
	snprintf(what, sizeof what, "deck %s: question", k->id);
	size_t n;
	json_t *q;
	json_array_foreach(items, n, q)
	{
		struct prompt *x = &deck_questions[*next];
		if (load_question(file, what, n, q, x, err, err_len) < 0)
			return -1;
		x->category = k->id;
		x->category_name = k->title;
		if (question_id_taken(x->id, *next))
			FAIL("%s: question %s: field \"id\" is used twice", file, x->id);
		for (size_t j = 0; j < *next; j++)
			if (strcmp(deck_questions[j].text, x->text) == 0)
				FAIL("%s: question %s: its text is the same as question %s's", file, x->id,
				     deck_questions[j].id);
		(*next)++;
	}
	return 0;
}

/* Issue 15: the conversation decks. After load_prompts (ids must differ from the daily deck's). */
static int load_decks(char *err, size_t err_len)
{
	const char *file = "data/decks.json";
	if (!(decks_doc = load_embedded(file, err, err_len)))
		return -1;
	json_t *list = json_object_get(decks_doc, "decks");
	if (!json_is_array(list) || json_array_size(list) == 0)
		FAIL("%s: needs a non-empty array \"decks\"", file);
	size_t i, total = 0;
	json_t *d;
	json_array_foreach(list, i, d)
	{
		json_t *items = json_object_get(d, "questions");
		total += json_is_array(items) ? json_array_size(items) : 0;
	}
	deck_count = json_array_size(list);
	decks = xcalloc(deck_count, sizeof *decks);
	deck_questions = xcalloc(total ? total : 1, sizeof *deck_questions);
	size_t next = 0;
	json_array_foreach(list, i, d)
	{
		if (load_deck(file, d, i, &next, err, err_len) < 0)
			return -1;
	}
	deck_question_count = next;
	return 0;
}

static int load_feelings(char *err, size_t err_len)
{
	const char *file = "data/feelings.json";
	if (!(feelings_doc = load_embedded(file, err, err_len)))
		return -1;
	json_t *groups = json_object_get(feelings_doc, "groups");
	if (!json_is_array(groups) || json_array_size(groups) == 0)
		FAIL("%s: needs an array \"groups\"", file);
	size_t i, k;
	json_t *g, *w;
	json_array_foreach(groups, i, g)
	{
		json_t *words = json_object_get(g, "words");
		if (!string_field(g, "name") || !json_is_array(words) || json_array_size(words) == 0)
			FAIL("%s: group %zu: fields \"name\" and \"words\" are required", file, i + 1);
		json_array_foreach(words, k, w)
		{
			if (!json_is_string(w) || json_string_length(w) == 0 || json_string_length(w) > 40)
				FAIL("%s: group %s: word %zu must be a short string", file, string_field(g, "name"),
				     k + 1);
		}
	}
	return 0;
}

static int load_guide(char *err, size_t err_len)
{
	const char *file = "data/repair-guide.json";
	if (!(guide_doc = load_embedded(file, err, err_len)))
		return -1;
	static const char *const steps[] = {"feelings", "perspective", "touched", "my_part", "next_time"};
	json_t *list = json_object_get(guide_doc, "steps");
	if (!json_is_array(json_object_get(guide_doc, "ground_rules")) || !json_is_array(list) ||
	    json_array_size(list) != ARRAY_LEN(steps))
		FAIL("%s: needs \"ground_rules\" and five \"steps\"", file);
	for (size_t i = 0; i < ARRAY_LEN(steps); i++) {
		json_t *s = json_array_get(list, i);
		if (!string_field(s, "id") || strcmp(string_field(s, "id"), steps[i]) != 0 ||
		    !string_field(s, "title") || !string_field(s, "guidance"))
			FAIL("%s: step %zu: needs id \"%s\", a title and guidance", file, i + 1, steps[i]);
	}
	return 0;
}

/* Issue 14: the calming guide of a break; every section with an id, a title and short points. */
static int load_break_guide(char *err, size_t err_len)
{
	const char *file = "data/break-guide.json";
	if (!(break_doc = load_embedded(file, err, err_len)))
		return -1;
	json_t *list = json_object_get(break_doc, "sections"), *partner = json_object_get(break_doc, "for_partner");
	if (!string_field(break_doc, "intro") || !json_is_array(list) || json_array_size(list) == 0 ||
	    !json_is_array(partner) || json_array_size(partner) == 0)
		FAIL("%s: needs \"intro\", \"sections\" and \"for_partner\"", file);
	size_t i, k;
	json_t *sec, *pt;
	json_array_foreach(list, i, sec)
	{
		json_t *points = json_object_get(sec, "points");
		if (!string_field(sec, "id") || !string_field(sec, "title") || !json_is_array(points) ||
		    json_array_size(points) == 0)
			FAIL("%s: section %zu: needs an id, a title and points", file, i + 1);
		json_array_foreach(points, k, pt)
		{
			if (!json_is_string(pt) || json_string_length(pt) == 0)
				FAIL("%s: section %s: point %zu must be a text", file, string_field(sec, "id"), k + 1);
		}
	}
	json_array_foreach(partner, k, pt)
	{
		if (!json_is_string(pt) || json_string_length(pt) == 0)
			FAIL("%s: for_partner: point %zu must be a text", file, k + 1);
	}
	return 0;
}

static int load_safety(const char *path, char *err, size_t err_len)
{
	const char *file = path ? path : "data/safety.json";
	if (path) {
		json_error_t e;
		safety_doc = json_load_file(path, JSON_REJECT_DUPLICATES, &e);
		if (!safety_doc)
			FAIL("%s: line %d: %s", path, e.line, e.text);
	} else if (!(safety_doc = load_embedded(file, err, err_len))) {
		return -1;
	}
	json_t *res = json_object_get(safety_doc, "resources");
	if (!json_is_array(res) || json_array_size(res) == 0 || !string_field(safety_doc, "advice"))
		FAIL("%s: needs a non-empty array \"resources\" and \"advice\"", file);
	size_t i;
	json_t *r;
	json_array_foreach(res, i, r)
	{
		if (!string_field(r, "name") || !string_field(r, "contact"))
			FAIL("%s: resource %zu: fields \"name\" and \"contact\" are required", file, i + 1);
	}
	return 0;
}

/* ---- issue 16: the twins ---- */

/* Where word is in the feelings document doc: its group and place; false when it is not there. */
static bool feeling_place(json_t *doc, const char *word, size_t *group, size_t *place)
{
	size_t i, k;
	json_t *g, *w;
	json_array_foreach(json_object_get(doc, "groups"), i, g)
	{
		json_array_foreach(json_object_get(g, "words"), k, w)
		{
			if (strcmp(json_string_value(w), word) == 0) {
				*group = i;
				*place = k;
				return true;
			}
		}
	}
	return false;
}

/* A twin that cannot be used, said once at start: the English is shown in its place. */
static void twin_warn(const char *file, const char *why)
{
	/* not translated: a log line for the operator */
	fprintf(stderr, "hearth: %s: %s; English is shown instead\n", file, why);
}

/* The twin of data/NAME in language l, or NULL (said on stderr) when it is missing or no JSON. */
static json_t *twin_doc(enum lang l, const char *name)
{
	char file[96], err[256];
	snprintf(file, sizeof file, "data/i18n/%s/%s", lang_code(l), name);
	json_t *doc = load_embedded(file, err, sizeof err);
	if (!doc)
		twin_warn(file, err);
	return doc;
}

/* The element of list whose "id" is id: at `hint` when the twin keeps the English order, else searched. */
static json_t *twin_by_id(json_t *list, size_t hint, const char *id)
{
	const char *at = string_field(json_array_get(list, hint), "id");
	if (at && strcmp(at, id) == 0)
		return json_array_get(list, hint);
	size_t i;
	json_t *x;
	json_array_foreach(list, i, x)
	{
		at = string_field(x, "id");
		if (at && strcmp(at, id) == 0)
			return x;
	}
	return NULL;
}

/* Keys whose strings are identifiers, the same in every language (as the test suite's). */
static bool identifier_key(const char *key)
{
	static const char *const keys[] = {"id", "category", "subscale", "scoring", "version", "kind"};
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/*
 * True when tw has en's shape: the same keys, lists of the same lengths, the
 * same numbers and flags, the same identifiers, and a non-empty text wherever
 * en has a text. Content files are a few levels deep: the recursion is short.
 */
static bool same_shape(json_t *en, json_t *tw, const char *key)
{
	if (json_is_array(en)) {
		if (!json_is_array(tw) || json_array_size(en) != json_array_size(tw))
			return false;
		for (size_t i = 0; i < json_array_size(en); i++)
			if (!same_shape(json_array_get(en, i), json_array_get(tw, i), key))
				return false;
		return true;
	}
	if (json_is_object(en)) {
		if (!json_is_object(tw) || json_object_size(en) != json_object_size(tw))
			return false;
		const char *k;
		json_t *v;
		json_object_foreach(en, k, v)
		{
			json_t *t = json_object_get(tw, k);
			if (!t || !same_shape(v, t, k))
				return false;
		}
		return true;
	}
	if (json_is_string(en)) {
		if (!json_is_string(tw))
			return false;
		return identifier_key(key) ? json_equal(en, tw) : json_string_length(tw) > 0;
	}
	return json_equal(en, tw);
}

bool content_same_shape(json_t *en, json_t *tw)
{
	return same_shape(en, tw, "");
}

/* The twin of data/NAME if it has en's shape, else en (a reference each). */
static json_t *twin_same(enum lang l, const char *name, json_t *en)
{
	json_t *doc = twin_doc(l, name);
	if (doc && !same_shape(en, doc, "")) {
		char file[96];
		snprintf(file, sizeof file, "data/i18n/%s/%s", lang_code(l), name);
		twin_warn(file, "its shape differs from the English (keys, lists, numbers or identifiers)");
		json_decref(doc);
		doc = NULL;
	}
	return doc ? doc : json_incref(en);
}

/* The daily questions in l: the English ones with the twin's text and category name where it has them. */
static void twin_prompts(enum lang l)
{
	json_t *doc = twin_doc(l, "prompts.json");
	if (!doc)
		return;
	tw_prompts_doc[l] = doc;
	json_t *cats = json_object_get(doc, "categories"), *items = json_object_get(doc, "prompts");
	tw_prompts[l] = xcalloc(prompt_count, sizeof *prompts);
	memcpy(tw_prompts[l], prompts, prompt_count * sizeof *prompts);
	size_t missing = 0;
	for (size_t i = 0; i < prompt_count; i++) {
		struct prompt *q = &tw_prompts[l][i];
		const char *text = string_field(twin_by_id(items, i, q->id), "text");
		const char *name = string_field(twin_by_id(cats, 0, q->category), "name");
		if (text && text_fits(text, QUESTION_MAX))
			q->text = text;
		else
			missing++;
		if (name)
			q->category_name = name;
	}
	if (missing) {
		char file[64], why[96];
		snprintf(file, sizeof file, "data/i18n/%s/prompts.json", lang_code(l));
		snprintf(why, sizeof why, "%zu questions have no translation", missing);
		twin_warn(file, why);
	}
}

/* The decks in l, as twin_prompts: a deck's title and description, each question's text, by id. */
static void twin_decks(enum lang l)
{
	json_t *doc = twin_doc(l, "decks.json");
	if (!doc)
		return;
	tw_decks_doc[l] = doc;
	json_t *list = json_object_get(doc, "decks");
	tw_decks[l] = xcalloc(deck_count ? deck_count : 1, sizeof *decks);
	tw_questions[l] = xcalloc(deck_question_count ? deck_question_count : 1, sizeof *deck_questions);
	memcpy(tw_decks[l], decks, deck_count * sizeof *decks);
	memcpy(tw_questions[l], deck_questions, deck_question_count * sizeof *deck_questions);
	size_t missing = 0;
	for (size_t i = 0; i < deck_count; i++) {
		struct deck *k = &tw_decks[l][i];
		json_t *d = twin_by_id(list, i, k->id), *items = json_object_get(d, "questions");
		const char *title = string_field(d, "title"), *description = string_field(d, "description");
		if (title && text_fits(title, DECK_TITLE_MAX))
			k->title = title;
		else
			missing++;
		if (description && text_fits(description, DECK_DESCRIPTION_MAX))
			k->description = description;
		else
			missing++;
		size_t first = (size_t)(decks[i].questions - deck_questions);
		k->questions = &tw_questions[l][first];
		for (size_t n = 0; n < k->count; n++) {
			struct prompt *x = &tw_questions[l][first + n];
			const char *text = string_field(twin_by_id(items, n, x->id), "text");
			x->category_name = k->title;
			if (text && text_fits(text, QUESTION_MAX))
				x->text = text;
			else
				missing++;
		}
	}
	if (missing) {
		char file[64], why[96];
		snprintf(file, sizeof file, "data/i18n/%s/decks.json", lang_code(l));
		snprintf(why, sizeof why, "%zu titles, descriptions or questions have no translation", missing);
		twin_warn(file, why);
	}
}

/*
 * The feelings in l, when the twin can be mapped back to the stored English
 * words: its shape, each word a short text, no word twice, and no word that
 * is another place's English word (a word chosen must mean one English word).
 */
static void twin_feelings(enum lang l)
{
	json_t *doc = twin_same(l, "feelings.json", feelings_doc);
	const char *why = NULL;
	size_t i, k, g2, k2;
	json_t *g, *w;
	json_array_foreach(json_object_get(doc, "groups"), i, g)
	{
		json_array_foreach(json_object_get(g, "words"), k, w)
		{
			const char *word = json_string_value(w);
			if (json_string_length(w) > 40)
				why = "a word is longer than 40 bytes";
			else if (feeling_place(feelings_doc, word, &g2, &k2) && (g2 != i || k2 != k))
				why = "a word is another place's English word";
			else if (feeling_place(doc, word, &g2, &k2) && (g2 != i || k2 != k))
				why = "a word is there twice";
		}
	}
	if (why && doc != feelings_doc) {
		char file[64];
		snprintf(file, sizeof file, "data/i18n/%s/feelings.json", lang_code(l));
		twin_warn(file, why);
		json_decref(doc);
		doc = json_incref(feelings_doc);
	}
	tw_feelings[l] = doc;
}

/* Every twin, for every language but English; what cannot be used falls back to English. */
static void load_twins(const char *safety_path)
{
	for (int l = LANG_EN + 1; l < LANG_COUNT; l++) {
		twin_prompts((enum lang)l);
		twin_decks((enum lang)l);
		twin_feelings((enum lang)l);
		tw_guide[l] = twin_same((enum lang)l, "repair-guide.json", guide_doc);
		tw_break[l] = twin_same((enum lang)l, "break-guide.json", break_doc);
		/* an administrator's own resources are in one language: theirs, in every language */
		tw_safety[l] =
		    safety_path ? json_incref(safety_doc) : twin_same((enum lang)l, "safety.json", safety_doc);
	}
}

static void free_twins(void)
{
	for (int l = 0; l < LANG_COUNT; l++) {
		free(tw_prompts[l]);
		free(tw_questions[l]);
		free(tw_decks[l]);
		tw_prompts[l] = tw_questions[l] = NULL;
		tw_decks[l] = NULL;
		json_t **docs[] = {&tw_prompts_doc[l], &tw_decks_doc[l], &tw_feelings[l],
		                   &tw_guide[l],       &tw_break[l],     &tw_safety[l]};
		for (size_t i = 0; i < ARRAY_LEN(docs); i++) {
			json_decref(*docs[i]);
			*docs[i] = NULL;
		}
	}
}

/* The document for l: the twin's (or English's, where it fell back), English's for English. */
static json_t *doc_in(json_t *const twins[LANG_COUNT], json_t *en, enum lang l)
{
	return l > LANG_EN && l < LANG_COUNT && twins[l] ? twins[l] : en;
}

/* True when p points into the n elements of size `size` at base (compared as addresses: other arrays are not). */
static bool points_into(const void *p, const void *base, size_t n, size_t size)
{
	uintptr_t at = (uintptr_t)p, from = (uintptr_t)base;
	return base && at >= from && at < from + n * size;
}

int content_load(const char *safety_path, char *err, size_t err_len)
{
	content_free();
	if (load_prompts(err, err_len) < 0 || load_decks(err, err_len) < 0 || load_feelings(err, err_len) < 0 ||
	    load_guide(err, err_len) < 0 || load_break_guide(err, err_len) < 0 ||
	    load_safety(safety_path, err, err_len) < 0) {
		content_free();
		return -1;
	}
	load_twins(safety_path);
	return 0;
}

void content_free(void)
{
	free_twins();
	json_decref(prompts_doc);
	json_decref(feelings_doc);
	json_decref(guide_doc);
	json_decref(safety_doc);
	json_decref(decks_doc);
	json_decref(break_doc);
	prompts_doc = feelings_doc = guide_doc = safety_doc = decks_doc = break_doc = NULL;
	free(prompts);
	prompts = NULL;
	prompt_count = 0;
	free(decks);
	free(deck_questions);
	decks = NULL;
	deck_questions = NULL;
	deck_count = deck_question_count = 0;
}

size_t content_prompt_count(void)
{
	return prompt_count;
}

const struct prompt *content_prompt(size_t i)
{
	return i < prompt_count ? &prompts[i] : NULL;
}

const struct prompt *content_prompt_by_id(const char *id)
{
	for (size_t i = 0; i < prompt_count; i++)
		if (strcmp(prompts[i].id, id) == 0)
			return &prompts[i];
	for (size_t i = 0; i < deck_question_count; i++)
		if (strcmp(deck_questions[i].id, id) == 0)
			return &deck_questions[i];
	return NULL;
}

const struct prompt *content_prompt_in(const struct prompt *p, enum lang l)
{
	if (!p || l <= LANG_EN || l >= LANG_COUNT)
		return p;
	if (tw_prompts[l] && points_into(p, prompts, prompt_count, sizeof *p))
		return &tw_prompts[l][p - prompts];
	if (tw_questions[l] && points_into(p, deck_questions, deck_question_count, sizeof *p))
		return &tw_questions[l][p - deck_questions];
	return p;
}

size_t content_deck_count(void)
{
	return deck_count;
}

const struct deck *content_deck(size_t i)
{
	return i < deck_count ? &decks[i] : NULL;
}

const struct deck *content_deck_by_id(const char *id)
{
	for (size_t i = 0; id && i < deck_count; i++)
		if (strcmp(decks[i].id, id) == 0)
			return &decks[i];
	return NULL;
}

const struct deck *content_deck_of(const char *question_id)
{
	for (size_t i = 0; question_id && i < deck_question_count; i++)
		if (strcmp(deck_questions[i].id, question_id) == 0)
			return content_deck_by_id(deck_questions[i].category);
	return NULL;
}

const struct deck *content_deck_in(const struct deck *d, enum lang l)
{
	if (!d || l <= LANG_EN || l >= LANG_COUNT || !tw_decks[l] || !points_into(d, decks, deck_count, sizeof *d))
		return d;
	return &tw_decks[l][d - decks];
}

json_t *content_feelings(enum lang l)
{
	return json_pack("{s:O}", "groups", json_object_get(doc_in(tw_feelings, feelings_doc, l), "groups"));
}

/* The word at a place of the feelings document doc. */
static const char *feeling_at(json_t *doc, size_t group, size_t place)
{
	json_t *g = json_array_get(json_object_get(doc, "groups"), group);
	return json_string_value(json_array_get(json_object_get(g, "words"), place));
}

const char *content_feeling_word(const char *english, enum lang l)
{
	size_t g, k;
	json_t *doc = doc_in(tw_feelings, feelings_doc, l);
	if (!english || doc == feelings_doc || !feeling_place(feelings_doc, english, &g, &k))
		return english;
	const char *word = feeling_at(doc, g, k);
	return word ? word : english;
}

const char *content_feeling_english(const char *word, enum lang l)
{
	size_t g, k;
	if (!word)
		return NULL;
	if (feeling_place(feelings_doc, word, &g, &k))
		return feeling_at(feelings_doc, g, k);
	/* the reader's language first, then the others: a person may have switched language mid-way */
	if (feeling_place(doc_in(tw_feelings, feelings_doc, l), word, &g, &k))
		return feeling_at(feelings_doc, g, k);
	for (int other = LANG_EN + 1; other < LANG_COUNT; other++)
		if (tw_feelings[other] && feeling_place(tw_feelings[other], word, &g, &k))
			return feeling_at(feelings_doc, g, k);
	return NULL;
}

json_t *content_feelings_say(json_t *words, enum lang l)
{
	size_t i;
	json_t *w;
	json_array_foreach(words, i, w)
	{
		if (json_is_string(w))
			(void)json_string_set(w, content_feeling_word(json_string_value(w), l));
	}
	return words;
}

bool content_feeling_valid(const char *word)
{
	size_t i, k;
	json_t *g, *w;
	json_array_foreach(json_object_get(feelings_doc, "groups"), i, g)
	{
		json_array_foreach(json_object_get(g, "words"), k, w)
		{
			if (strcmp(json_string_value(w), word) == 0)
				return true;
		}
	}
	return false;
}

json_t *content_repair_guide(enum lang l)
{
	return json_incref(doc_in(tw_guide, guide_doc, l));
}

json_t *content_safety(enum lang l)
{
	json_t *doc = doc_in(tw_safety, safety_doc, l);
	return json_pack("{s:O, s:O}", "resources", json_object_get(doc, "resources"), "advice",
	                 json_object_get(doc, "advice"));
}

json_t *content_break_guide(enum lang l)
{
	return json_incref(doc_in(tw_break, break_doc, l));
}
