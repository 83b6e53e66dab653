/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * content.h - the data files hearth ships (the JSON files in data/, compiled in): the
 * prompt deck, the conversation decks (issue 15), the feelings vocabulary, the repair guide, and the safety
 * resources (which an administrator may replace with HEARTH_SAFETY_FILE).
 * Loaded and validated once at start; read-only afterwards, so threads share
 * them without locks.
 *
 * Issue 16: each file has a Spanish and a German twin (data/i18n/LANG/, the
 * same shape, only the words a person reads translated), loaded beside the
 * English and checked against it. The English is the reference: ids, depths,
 * categories and the feelings as stored are the English ones, and a reader's
 * language is applied only where words are shown (the *_in accessors and the
 * lang parameters below). A twin that is missing or does not match the English
 * falls back to English for that file (a question without its twin, for that
 * question): a line on stderr at start, never an error; the test suite
 * (tests/e2e/content-translations.test.mjs) is where a missing translation
 * fails. An administrator's HEARTH_SAFETY_FILE is one text in one language: it
 * replaces the safety resources in every language.
 */
#ifndef HEARTH_CONTENT_H
#define HEARTH_CONTENT_H

#include <jansson.h>
#include <stdbool.h>

#include "../util/i18n.h"
#include "../util/util.h"

struct prompt {
	const char *id;
	const char *category;      /* id, e.g. "history" */
	const char *category_name; /* e.g. "Our history" */
	int depth;                 /* 1 light, 2 personal, 3 vulnerable */
	const char *text;
};

/*
 * Loads and checks every file; on a problem returns -1 with a message that
 * names the file, the entry and the field. safety_path may be NULL.
 */
int content_load(const char *safety_path, char *err, size_t err_len) WARN_UNUSED;
void content_free(void);

/* The daily deck (data/prompts.json): what prompt_choose picks from. */
size_t content_prompt_count(void);
const struct prompt *content_prompt(size_t i);
/*
 * Any question by its id: the daily deck's, else a conversation deck's (which may
 * become a day's prompt through "Ask this tomorrow"; its category is the deck's id,
 * its category_name the deck's title). NULL for an unknown id.
 */
const struct prompt *content_prompt_by_id(const char *id);
/*
 * The same question in language l: its twin, with the English id, category and
 * depth and the translated text and category_name; p itself for English, for a
 * question without a translation, and for NULL. p is one of this module's
 * English questions (content_prompt, content_prompt_by_id, a deck's).
 */
const struct prompt *content_prompt_in(const struct prompt *p, enum lang l);

/*
 * Issue 15: the conversation decks (data/decks.json), browsable by anyone. Each
 * question is a struct prompt whose category is the deck's id. Ids are unique
 * across the decks and the daily deck; no text appears twice.
 */
struct deck {
	const char *id;
	const char *title;
	const char *description;
	const struct prompt *questions;
	size_t count;
};

size_t content_deck_count(void);
const struct deck *content_deck(size_t i);
/* NULL for an unknown id. */
const struct deck *content_deck_by_id(const char *id);
/* The deck a question belongs to, or NULL when the id is no deck question. */
const struct deck *content_deck_of(const char *question_id);
/* The same deck in language l, its questions content_prompt_in's; d itself for English or NULL. */
const struct deck *content_deck_in(const struct deck *d, enum lang l);

/*
 * Issue 16: true when the translated document tw has the English en's shape:
 * the same keys, lists of the same lengths, the same numbers and flags, the
 * same identifiers ("id", "category", "subscale", "scoring", "version",
 * "kind"), and a non-empty text wherever en has a text. (The questionnaires'
 * twins are held to it too.)
 */
bool content_same_shape(json_t *en, json_t *tw);

/* {"groups":[{"name","words":[...]}]} as GET /feelings answers it, in language l. */
json_t *content_feelings(enum lang l);
/* True for a word of the English vocabulary: the words a repair side stores. */
bool content_feeling_valid(const char *word);
/*
 * Issue 16: a feeling is stored as its English word whatever the language it
 * was chosen in; its words in the other languages are those at the same place
 * of the twin. content_feeling_word: the stored (English) word as said in l,
 * the word itself when it is not in the vocabulary. content_feeling_english:
 * the English word for a word chosen in l (or in English, or in another
 * language of hearth's), NULL for a word of none of them.
 */
const char *content_feeling_word(const char *english, enum lang l);
const char *content_feeling_english(const char *word, enum lang l);
/* Every string of an array of stored (English) feelings, as said in l, in place; returns words. */
json_t *content_feelings_say(json_t *words, enum lang l);
/* {"ground_rules":[...],"steps":[{id,title,guidance}],"reveal_note"}, in language l. */
json_t *content_repair_guide(enum lang l);
/*
 * Issue 14: {"intro","sections":[{id,title,points:[...]}],"for_partner":[...]}, the calming guide
 * of a break, in language l.
 */
json_t *content_break_guide(enum lang l);
/* {"resources":[{name,contact}],"advice"}, in language l (HEARTH_SAFETY_FILE's own in every language). */
json_t *content_safety(enum lang l);

#endif
