/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * timeline.h - one chronological view of everything the viewer may see:
 * check-ins, repairs, agreements and reviews, questionnaire results, prompts.
 */
#ifndef HEARTH_TIMELINE_H
#define HEARTH_TIMELINE_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "../util/i18n.h"
#include "problem.h"

/*
 * The timeline: what the viewer may see, newest first, after the cursor (NULL = from now); *next or NULL.
 * The shipped content in it (a day's question, a questionnaire's title) is in language l (issue 16).
 */
bool timeline_build(struct store *s, const struct viewer *v, const char *cursor, int limit, enum lang l,
                    struct arena *a, json_t **items, char **next, struct problem *p) WARN_UNUSED;

#endif
