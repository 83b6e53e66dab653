/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * came_through.c - what we came through (see came_through.h), read from the
 * repairs and agreements as their own rules show them to the viewer
 * (repair_list, agreement_list): this file only chooses and orders, so it
 * can never show more than those pages do.
 */
#include "came_through.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "agreement.h"
#include "repair.h"
#include "repair_after.h"
#include "visibility.h"

/* How many repairs or agreements are read, at most: a long history stays one bounded read. */
#define SOURCE_MAX 200
#define SOURCE_PAGE 50

const char *came_through_kind_name(enum came_through_kind k)
{
	return k == CAME_THROUGH_REPAIR ? "repair" : "agreement";
}

static void add_words(struct came_through_item *it, const char *author_id, const char *text)
{
	if (text && *text && it->word_count < CAME_THROUGH_WORDS)
		it->words[it->word_count++] = (struct came_through_words){author_id, text};
}

struct collected {
	struct came_through_item *items;
	int count, cap;
};

static struct came_through_item *collected_add(struct collected *c, struct arena *a)
{
	if (c->count == c->cap) {
		int cap = c->cap ? c->cap * 2 : 32;
		struct came_through_item *grown = arena_alloc(a, sizeof *grown * (size_t)cap);
		if (c->count)
			memcpy(grown, c->items, sizeof *grown * (size_t)c->count);
		c->items = grown;
		c->cap = cap;
	}
	struct came_through_item *it = &c->items[c->count++];
	memset(it, 0, sizeof *it);
	return it;
}

static bool collect_repairs(struct store *s, const struct viewer *v, struct arena *a, struct collected *c,
                            struct problem *p)
{
	const char *cursor = NULL;
	for (int read = 0; read < SOURCE_MAX;) {
		struct repair_page page;
		if (!repair_list(s, v, cursor, SOURCE_PAGE, a, &page, p))
			return false;
		for (int i = 0; i < page.count; i++) {
			const struct repair_view *r = &page.items[i];
			if (r->state != REPAIR_RESOLVED || !r->revealed)
				continue;
			struct came_through_item *it = collected_add(c, a);
			it->kind = CAME_THROUGH_REPAIR;
			it->id = r->repair.id;
			it->text = r->repair.title && *r->repair.title ? r->repair.title : NULL;
			it->at = r->mine_side.acknowledged_at > r->partner_side.acknowledged_at
			             ? r->mine_side.acknowledged_at
			             : r->partner_side.acknowledged_at;
			add_words(it, r->mine_side.author_id, r->mine_side.ack_note);
			add_words(it, r->partner_side.author_id, r->partner_side.ack_note);
			/* "Next time I will…": only as shared (a draft of mine is not what both may see). */
			struct repair_after_view after;
			if (!repair_after_of(s, v, r, a, &after, p))
				return false;
			const struct repair_after_entry *next = &after.steps[REPAIR_AFTER_NEXT_TIME];
			if (next->mine && next->mine->submitted_at > 0 && next->mine->text && *next->mine->text &&
			    it->next_time_count < CAME_THROUGH_WORDS)
				it->next_time[it->next_time_count++] =
				    (struct came_through_words){v->user_id, next->mine->text};
			if (next->partner && next->partner->text && *next->partner->text &&
			    it->next_time_count < CAME_THROUGH_WORDS)
				it->next_time[it->next_time_count++] =
				    (struct came_through_words){next->partner->author_id, next->partner->text};
		}
		read += page.count;
		if (!page.next_cursor)
			break;
		cursor = page.next_cursor;
	}
	return true;
}

static bool collect_agreements(struct store *s, const struct viewer *v, struct arena *a, struct collected *c,
                               struct problem *p)
{
	const char *cursor = NULL;
	for (int read = 0; read < SOURCE_MAX;) {
		struct agreement_page page;
		if (!agreement_list(s, v, cursor, SOURCE_PAGE, a, &page, p))
			return false;
		for (int i = 0; i < page.count; i++) {
			const struct agreement_view *g = &page.items[i];
			/* The couple's own (alone: one's own); not one kept from before the space. */
			if (strcmp(g->agreement.space_id, viewer_scope(v)) != 0)
				continue;
			for (int k = 0; k < g->review_count; k++) {
				const struct store_review *rv = &g->reviews[k];
				if (strcmp(rv->outcome, "kept") != 0)
					continue;
				struct came_through_item *it = collected_add(c, a);
				it->kind = CAME_THROUGH_AGREEMENT;
				it->id = g->agreement.id;
				it->text = g->agreement.text && *g->agreement.text ? g->agreement.text : NULL;
				it->at = rv->created_at;
				add_words(it, rv->author_id, rv->note);
			}
		}
		read += page.count;
		if (!page.next_cursor)
			break;
		cursor = page.next_cursor;
	}
	return true;
}

static int newest_first(const void *x, const void *y)
{
	const struct came_through_item *a = x, *b = y;
	if (a->at != b->at)
		return a->at < b->at ? 1 : -1;
	return strcmp(b->id, a->id);
}

bool came_through_list(struct store *s, const struct viewer *v, struct arena *a, struct came_through_item **items,
                       int *count, struct problem *p)
{
	assert(viewer_sane(v) && items && count);
	struct collected c = {0};
	*items = NULL;
	*count = 0;
	if (!collect_repairs(s, v, a, &c, p) || !collect_agreements(s, v, a, &c, p))
		return false;
	if (c.count > 1)
		qsort(c.items, (size_t)c.count, sizeof *c.items, newest_first);
	*items = c.items;
	*count = c.count < CAME_THROUGH_MAX ? c.count : CAME_THROUGH_MAX;
	return true;
}
