/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.h - the questionnaire engine: instruments are JSON files
 * (shipped in data/questionnaires/, and more from HEARTH_QUESTIONNAIRES_DIR),
 * validated at start; a broken file stops the server with a message naming
 * the file, the item and the field. Scoring: the mean of all item values
 * after reverse-scored items are mirrored (min + max - value); each subscale
 * is the same mean over its own items.
 */
#ifndef HEARTH_QUESTIONNAIRE_H
#define HEARTH_QUESTIONNAIRE_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

struct q_item {
	const char *id, *text, *subscale;
	int min, max;
	bool reverse;
	json_t *labels; /* array of strings, or NULL */
};

struct questionnaire {
	const char *id, *title, *description, *citation, *licence;
	int interval_days;
	struct q_item *items;
	size_t count;
	json_t *doc; /* owns the strings above */
};

/*
 * Checks one instrument document and fills *out (which borrows from doc;
 * questionnaire_cleanup frees items). Returns 0, or -1 with a message naming
 * `file`, the item and the field.
 */
int questionnaire_parse(json_t *doc, const char *file, struct questionnaire *out, char *err,
                        size_t err_len) WARN_UNUSED;
void questionnaire_cleanup(struct questionnaire *q);

/* Loads the shipped instruments and those in extra_dir (may be NULL). */
int questionnaires_load(const char *extra_dir, char *err, size_t err_len) WARN_UNUSED;
void questionnaires_free(void);
size_t questionnaire_count(void);
const struct questionnaire *questionnaire_at(size_t i);
const struct questionnaire *questionnaire_by_id(const char *id);

/*
 * Scores answers ({ITEM_ID: value}); every item answered with a whole number
 * in range, no unknown items. *subscales receives a new object {NAME: mean}.
 */
bool questionnaire_score(const struct questionnaire *q, json_t *answers, double *score, json_t **subscales,
                         struct problem *p) WARN_UNUSED;

/* The instrument as GET /questionnaires/{id} answers it. */
json_t *questionnaire_json(const struct questionnaire *q);

/* Stores a response (answers, score and subscales sealed); out receives it in clear. */
bool questionnaire_respond(struct store *s, const struct viewer *v, const struct questionnaire *q, json_t *answers,
                           const char *visibility, struct arena *a, struct store_qresponse *out,
                           struct problem *p) WARN_UNUSED;

/*
 * The viewer's own responses (to one questionnaire, or any with NULL), newest
 * first, created before `before` (ms; 0 = now): those in their space and those
 * in their own scope from before it, merged, with their scores and subscales
 * opened (the answers stay sealed). *next is the cursor for the next page, or 0.
 */
bool questionnaire_mine(struct store *s, const struct viewer *v, const char *questionnaire_id, int64_t before,
                        int limit, struct arena *a, struct store_qresponse **items, int *count, int64_t *next,
                        struct problem *p) WARN_UNUSED;

/* Opens a stored response's score and subscales in place, and its answers too when `answers`. */
bool questionnaire_open(struct store *s, struct store_qresponse *r, bool answers, struct arena *a,
                        struct problem *p) WARN_UNUSED;

#endif
