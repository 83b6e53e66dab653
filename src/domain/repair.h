/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * repair.h - repairs after a hurt: the state machine, validation, and the
 * actions with the store. Each partner writes a side in private; both sides
 * are revealed together only when both are submitted; each acknowledges the
 * other's side; then the repair is resolved. Without a partner a repair is a
 * private reflection that is never revealed.
 */
#ifndef HEARTH_REPAIR_H
#define HEARTH_REPAIR_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "date.h"
#include "problem.h"

#define REPAIR_TITLE_MAX 200
#define REPAIR_FEELINGS_MAX 24

enum repair_state { REPAIR_OPEN, REPAIR_REVEALED, REPAIR_RESOLVED };

/* The state follows from the sides alone (it is never stored). */
enum repair_state repair_state_of(bool solo, bool mine_submitted, bool partner_submitted, bool mine_acknowledged,
                                  bool partner_acknowledged);
const char *repair_state_name(enum repair_state st);
/*
 * The solo rule: a solo reflection is its author's alone, even inside a
 * shared space, and a copy in a person's own scope (after leaving) is theirs.
 * False for a solo repair neither holds for; true for every shared one (the
 * store has already narrowed r to the viewer's scopes).
 */
bool repair_solo_visible(const struct store_repair *r, const struct viewer *v);

/* What a person writes for their side; a NULL text is left empty. */
struct repair_side_input {
	const char *feelings[REPAIR_FEELINGS_MAX];
	int feelings_count;
	const char *perspective, *touched, *my_part, *next_time;
};

/* Validates a draft (lengths, known feelings); with `complete`, also what sharing needs. */
/* A stored side's feelings (JSON text in the row) as a new JSON array; empty when none or unreadable. */
json_t *repair_side_feelings(const struct store_repair_side *side);

/* A stored (opened) side as an input again: to check it is complete, or to change one step of it. */
void repair_side_input_read(const struct store_repair_side *side, struct arena *a, struct repair_side_input *in);

bool repair_side_validate(const struct repair_side_input *in, bool complete, struct problem *p) WARN_UNUSED;
bool repair_title_validate(const char *title, const char *occurred_on, struct problem *p) WARN_UNUSED;

/* A repair as one person may see it: texts opened, the partner's side only once revealed. */
struct repair_view {
	struct store_repair repair;
	struct store_repair_side mine_side, partner_side;
	bool has_mine;
	bool partner_submitted;
	bool partner_acknowledged;
	bool revealed; /* partner_side is filled in */
	enum repair_state state;
};

bool repair_open(struct store *s, const struct viewer *v, const char *title, const char *occurred_on, struct arena *a,
                 struct repair_view *out, struct problem *p) WARN_UNUSED;
/*
 * The same; with `reflection`, a private reflection even with a partner (after
 * a worrying safety check): the partner never sees it, not even its title.
 */
bool repair_open_reflection(struct store *s, const struct viewer *v, const char *title, const char *occurred_on,
                            bool reflection, struct arena *a, struct repair_view *out, struct problem *p) WARN_UNUSED;
/* 404 for a repair the viewer may not see. */
bool repair_load(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct repair_view *out,
                 struct problem *p) WARN_UNUSED;
/* Saves the draft; 409 already_submitted once shared. */
bool repair_save_side(struct store *s, const struct viewer *v, const char *id, const struct repair_side_input *in,
                      struct arena *a, struct repair_view *out, struct problem *p) WARN_UNUSED;
/* Shares the draft; 409 already_submitted; 400 when the draft lacks what sharing needs. */
bool repair_submit(struct store *s, const struct viewer *v, const char *id, struct arena *a, struct repair_view *out,
                   struct problem *p) WARN_UNUSED;
/* 409 not_revealed before both sides are shared; 409 already_acknowledged. */
bool repair_acknowledge(struct store *s, const struct viewer *v, const char *id, const char *note, struct arena *a,
                        struct repair_view *out, struct problem *p) WARN_UNUSED;

struct repair_page {
	struct repair_view *items;
	int count;
	char *next_cursor;
};

bool repair_list(struct store *s, const struct viewer *v, const char *cursor, int limit, struct arena *a,
                 struct repair_page *out, struct problem *p) WARN_UNUSED;

#endif
