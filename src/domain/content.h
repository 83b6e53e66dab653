/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * content.h - the data files hearth ships (the JSON files in data/, compiled in): the
 * prompt deck, the feelings vocabulary, the repair guide, and the safety
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

size_t content_prompt_count(void);
const struct prompt *content_prompt(size_t i);
const struct prompt *content_prompt_by_id(const char *id);

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
