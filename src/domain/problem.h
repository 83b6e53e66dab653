/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * problem.h - what went wrong with an action, in the domain's own words: an
 * outcome (invalid, not found, forbidden, conflict, busy, ...) with the API
 * error code, the field at fault and a message for a person. The domain
 * never names an HTTP status: api/ and web/ each map an outcome to the status
 * they answer with, once (api_status in api/api.c, web_status in web/web.c).
 */
#ifndef HEARTH_PROBLEM_H
#define HEARTH_PROBLEM_H

#include <stdbool.h>

#include "../store/store.h"

/* How an action ended; everything but OUTCOME_OK comes with a problem. */
enum outcome {
	OUTCOME_OK,
	OUTCOME_INVALID,      /* what was sent breaks a rule: a field is missing, too long, out of range */
	OUTCOME_UNAUTHORIZED, /* the credentials given do not match */
	OUTCOME_FORBIDDEN,    /* the viewer may see the thing but not do this to it */
	OUTCOME_NOT_FOUND,    /* there is no such thing, or not one the viewer may see */
	OUTCOME_CONFLICT,     /* the thing is not in a state that allows this (already answered, full, ...) */
	OUTCOME_THROTTLED,    /* too many failed attempts; retry_after says when to try again */
	OUTCOME_BUSY,         /* storage or memory is short right now; nothing was changed, try again */
	OUTCOME_ERROR,        /* something broke on our side */
};

/* At most this many invalid fields are reported at once; a form has fewer. */
#define PROBLEM_ITEMS_MAX 16

/* One invalid field among several (see problem_add). */
struct problem_item {
	const char *field;   /* the field at fault, or NULL */
	const char *message; /* static or arena-owned */
};

/*
 * code, field and message describe the first fault. When a validator collects
 * every invalid field of a request (problem_add), items[0..count) lists them
 * all, items[0] being the same fault as field and message; count is 0 or 1
 * for a single fault (1 from problem_invalid), and readers then use field and message alone (a page may
 * rename p->field, so a single fault is never read from items).
 */
struct problem {
	enum outcome outcome;
	const char *code;    /* API error code: invalid_input, conflict, ... (static) */
	const char *field;   /* the field at fault, or NULL */
	const char *message; /* for a person; static or arena-owned */
	int retry_after;     /* seconds, for OUTCOME_THROTTLED and OUTCOME_BUSY; 0 = none */
	int count;           /* entries of items in use, see above */
	bool collecting;     /* problem_begin was called: problem_add appends */
	struct problem_item items[PROBLEM_ITEMS_MAX];
};

/* Fills *p and returns false, so a failing check reads `return problem_set(...)`. */
static inline bool problem_set(struct problem *p, enum outcome outcome, const char *code, const char *field,
                               const char *message)
{
	p->outcome = outcome;
	p->code = code;
	p->field = field;
	p->message = message;
	p->retry_after = 0;
	p->count = 0;
	p->collecting = false;
	return false;
}

/* The common case: input that breaks a rule, code "invalid_input". Returns false. */
static inline bool problem_invalid(struct problem *p, const char *field, const char *message)
{
	problem_set(p, OUTCOME_INVALID, "invalid_input", field, message);
	p->items[0] = (struct problem_item){field, message};
	p->count = 1;
	return false;
}

/*
 * Starts collecting invalid fields: *p says "no problem" until problem_add.
 * A validator that reports every invalid field at once calls this first,
 * problem_add for each fault, and returns problem_none(p) at the end.
 */
static inline void problem_begin(struct problem *p)
{
	problem_set(p, OUTCOME_OK, NULL, NULL, NULL);
	p->collecting = true;
}

/*
 * Adds an invalid field to a collection started with problem_begin; without
 * one (a zeroed or earlier-set *p, never garbage) it is problem_invalid, a
 * single fault in place of what *p held. The first one also becomes field
 * and message. A field already listed keeps its first message; past
 * PROBLEM_ITEMS_MAX the rest are dropped. Returns false.
 */
bool problem_add(struct problem *p, const char *field, const char *message);

/* True when nothing was added since problem_begin. */
static inline bool problem_none(const struct problem *p)
{
	return p->outcome == OUTCOME_OK;
}

/*
 * Goes on with the caller's collection, or starts one: a domain's check of a
 * request's fields joins the API's type checks, so a wrongly typed field and
 * another field's fault are named together. True when it started one, which
 * the check then ends with problem_close (a later check on the same *p starts
 * afresh instead of adding to a finished collection).
 */
static inline bool problem_join(struct problem *p)
{
	if (p->collecting)
		return false;
	problem_begin(p);
	return true;
}

/* Ends a check that began with problem_join (began: its result); true when nothing was added. */
static inline bool problem_close(struct problem *p, bool began)
{
	if (began)
		p->collecting = false;
	return problem_none(p);
}

/* True when the fault is ours (busy or broken), not in what the person asked for. */
static inline bool outcome_is_fault(enum outcome o)
{
	return o == OUTCOME_BUSY || o == OUTCOME_ERROR;
}

/*
 * A failed store call as a problem: STORE_BUSY is OUTCOME_BUSY (retry in 2 s),
 * STORE_NOT_FOUND is OUTCOME_NOT_FOUND, anything else OUTCOME_ERROR. Never
 * called with STORE_OK. Returns false.
 */
bool problem_from_store(struct problem *p, enum store_status st);

#endif
