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
#include "problem.h"

/* The timeline: what the viewer may see, newest first, after the cursor (NULL = from now); *next or NULL. */
bool timeline_build(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                    json_t **items, char **next, struct problem *p) WARN_UNUSED;

#endif
