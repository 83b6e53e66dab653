/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * came_through.h - "what we came through" (issue 14): the repairs a couple
 * resolved and the agreements they kept, in their own words (the titles,
 * the acknowledgement notes, each one's shared "next time I will…", the
 * agreement and the note of its kept look back), newest first, to read before the next hard conversation. Nothing is
 * counted or ranked. Only what both partners may see: a resolved repair was
 * revealed to both; an agreement of the couple's scope (alone, one's own).
 */
#ifndef HEARTH_CAME_THROUGH_H
#define HEARTH_CAME_THROUGH_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

#define CAME_THROUGH_MAX 100
#define CAME_THROUGH_WORDS 2

enum came_through_kind { CAME_THROUGH_REPAIR, CAME_THROUGH_AGREEMENT };

/* Words one person wrote about it: an acknowledgement note, or the note of a kept look back. */
struct came_through_words {
	const char *author_id;
	const char *text;
};

struct came_through_item {
	enum came_through_kind kind;
	const char *id;   /* the repair's or the agreement's */
	const char *text; /* the repair's title, or the agreement's words; NULL when deleted */
	int64_t at;       /* resolved (the later acknowledgement), or the kept look back */
	struct came_through_words words[CAME_THROUGH_WORDS];
	int word_count;
	/* A repair's shared "next time I will…" steps (repair_after.h), the partner's only once shared. */
	struct came_through_words next_time[CAME_THROUGH_WORDS];
	int next_time_count;
};

const char *came_through_kind_name(enum came_through_kind k);
/* Newest first; at most CAME_THROUGH_MAX items in the arena. */
bool came_through_list(struct store *s, const struct viewer *v, struct arena *a, struct came_through_item **items,
                       int *count, struct problem *p) WARN_UNUSED;

#endif
