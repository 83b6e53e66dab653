/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * questionnaire.h - the questionnaire engine: instruments are JSON files
 * (shipped in data/questionnaires/, and more from HEARTH_QUESTIONNAIRES_DIR),
 * validated at start; a broken file stops the server with a message naming
 * the file, the item and the field. Scoring: the mean (or, declared, the
 * sum) of all item values after reverse-scored items are mirrored
 * (min + max - value); each subscale is the same over its own items. An
 * instrument may also declare named bands of scores and a reliable-change
 * threshold; a response then has a band, and a change against the person's
 * previous response that says whether it is larger than the threshold.
 */
#ifndef HEARTH_QUESTIONNAIRE_H
#define HEARTH_QUESTIONNAIRE_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "../util/i18n.h"
#include "problem.h"

struct q_item {
	const char *id, *text, *subscale;
	int min, max;
	bool reverse;
	json_t *labels; /* array of strings, or NULL */
};

enum q_scoring { Q_SCORING_MEAN, Q_SCORING_SUM };

/* A named range of scores, both ends included ("Below the cut-off", 0, 13). */
struct q_band {
	const char *label;
	double min, max;
};

struct questionnaire {
	const char *id, *title, *description, *citation, *licence;
	const char *note;         /* shown on its pages ("not a clinical measure"), or NULL */
	const char *higher_means; /* what a higher score means, or NULL */
	int interval_days;
	struct q_item *items;
	size_t count;
	enum q_scoring scoring;
	double score_min, score_max; /* the range the score can take */
	struct q_band *bands;        /* in order, not overlapping, within the range; or NULL */
	size_t band_count;
	double reliable_change; /* a change larger than this is a real one; 0: none declared */
	json_t *subscale_names; /* {KEY: "Open communication"} for every subscale (owned) */
	json_t *doc;            /* owns the strings above */
};

/*
 * A response's change against the person's previous response to the same
 * instrument: present only when there was one; reliable is -1 when the
 * instrument declares no threshold, else 1 when |delta| is larger than it.
 */
struct q_change {
	bool present;
	double from_score, delta;
	int64_t from_at;
	int reliable;
};

/*
 * Checks one instrument document and fills *out (which borrows from doc;
 * questionnaire_cleanup frees items). Returns 0, or -1 with a message naming
 * `file`, the item and the field.
 */
int questionnaire_parse(json_t *doc, const char *file, struct questionnaire *out, char *err,
                        size_t err_len) WARN_UNUSED;
void questionnaire_cleanup(struct questionnaire *q);

/*
 * Loads the shipped instruments and those in extra_dir (may be NULL), and the
 * shipped ones' translations (issue 16: data/i18n/LANG/questionnaires/, the
 * same file name): a translation is used when it parses and has the English
 * one's shape (content_same_shape: the same items, ranges, subscales, bands and
 * scoring), else the English is shown (a line on stderr). An instrument from
 * extra_dir is in the one language it was written in, for every reader.
 */
int questionnaires_load(const char *extra_dir, char *err, size_t err_len) WARN_UNUSED;
void questionnaires_free(void);
size_t questionnaire_count(void);
const struct questionnaire *questionnaire_at(size_t i);
const struct questionnaire *questionnaire_by_id(const char *id);
/*
 * The same instrument in language l (its words translated; the same ids,
 * ranges and scoring); the English instrument for English and for one
 * without a translation (q may be a translation); NULL for NULL. Scoring, bands and changes are worked out on the
 * English instrument whichever of the two is given, so a score never depends
 * on the language it was answered in; a band's label is the given one's.
 */
const struct questionnaire *questionnaire_in(const struct questionnaire *q, enum lang l);

/*
 * Scores answers ({ITEM_ID: value}); every item answered with a whole number
 * in range, no unknown items. *subscales receives a new object {NAME: mean}.
 */
bool questionnaire_score(const struct questionnaire *q, json_t *answers, double *score, json_t **subscales,
                         struct problem *p) WARN_UNUSED;

/* A subscale's name for people ("Open communication" for communication); never NULL. */
const char *questionnaire_subscale_name(const struct questionnaire *q, const char *key);
/* The range a subscale's score can take (as the whole score's, over its own items). */
void questionnaire_subscale_range(const struct questionnaire *q, const char *key, double *min, double *max);
/* The band a score falls in (both ends included), or NULL: no bands, or between two. */
const struct q_band *questionnaire_band(const struct questionnaire *q, double score);
/* The change from prev (NULL: the first response, no change) to score. */
void questionnaire_change(const struct questionnaire *q, double score, const struct store_qresponse *prev,
                          struct q_change *out);
/*
 * A score as people read it: one decimal for a mean, a whole number for a
 * sum when it is one. out holds at least 32 bytes.
 */
void questionnaire_format(const struct questionnaire *q, double value, char out[static 32]);

/* The instrument as GET /questionnaires/{id} answers it. */
json_t *questionnaire_json(const struct questionnaire *q);

/* Stores a response (answers, score and subscales sealed); out receives it in clear. */
bool questionnaire_respond(struct store *s, const struct viewer *v, const struct questionnaire *q, json_t *answers,
                           const char *visibility, struct arena *a, struct store_qresponse *out,
                           struct problem *p) WARN_UNUSED;

/*
 * The viewer's own responses (to one questionnaire, or any with NULL), at
 * most limit, newest first (then by id), after the cursor (before, before_id)
 * in that order (before 0: from the newest; before_id NULL or "": none of
 * that millisecond): those in their space and those in their own scope from
 * before it, merged, with their scores and subscales opened (the answers stay
 * sealed).
 */
bool questionnaire_mine(struct store *s, const struct viewer *v, const char *questionnaire_id, int64_t before,
                        const char *before_id, int limit, struct arena *a, struct store_qresponse **items, int *count,
                        struct problem *p) WARN_UNUSED;

/*
 * The viewer's response `id` to q (NULL when there is none of theirs by that
 * id: someone else's is never found) and the one before it (NULL for the
 * first), both in the arena.
 */
bool questionnaire_result(struct store *s, const struct viewer *v, const struct questionnaire *q, const char *id,
                          struct arena *a, struct store_qresponse **result, struct store_qresponse **previous,
                          struct problem *p) WARN_UNUSED;
/* The viewer's response to q just before (before, before_id) in list order (as questionnaire_mine), or NULL. */
bool questionnaire_previous(struct store *s, const struct viewer *v, const struct questionnaire *q, int64_t before,
                            const char *before_id, struct arena *a, struct store_qresponse **previous,
                            struct problem *p) WARN_UNUSED;
/* Opens a stored response's score and subscales in place, and its answers too when `answers`. */
bool questionnaire_open(struct store *s, struct store_qresponse *r, bool answers, struct arena *a,
                        struct problem *p) WARN_UNUSED;

#endif
