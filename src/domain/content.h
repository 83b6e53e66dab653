/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * content.h - the data files hearth ships (the JSON files in data/, compiled in): the
 * prompt deck, the conversation decks (issue 15), the feelings vocabulary, the repair guide, and the safety
 * resources (which an administrator may replace with HEARTH_SAFETY_FILE).
 * Loaded and validated once at start; read-only afterwards, so threads share
 * them without locks.
 */
#ifndef HEARTH_CONTENT_H
#define HEARTH_CONTENT_H

#include <jansson.h>
#include <stdbool.h>

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

/* {"groups":[{"name","words":[...]}]} as GET /feelings answers it. */
json_t *content_feelings(void);
bool content_feeling_valid(const char *word);
/* {"ground_rules":[...],"steps":[{id,title,guidance}],"reveal_note"} */
json_t *content_repair_guide(void);
/* Issue 14: {"intro","sections":[{id,title,points:[...]}],"for_partner":[...]}, the calming guide of a break. */
json_t *content_break_guide(void);
/* {"resources":[{name,contact}],"advice"} */
json_t *content_safety(void);

#endif
