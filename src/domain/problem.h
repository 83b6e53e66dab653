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

struct problem {
	enum outcome outcome;
	const char *code;    /* API error code: invalid_input, conflict, ... (static) */
	const char *field;   /* the field at fault, or NULL */
	const char *message; /* for a person; static or arena-owned */
	int retry_after;     /* seconds, for OUTCOME_THROTTLED and OUTCOME_BUSY; 0 = none */
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
	return false;
}

/* The common case: input that breaks a rule, code "invalid_input". Returns false. */
static inline bool problem_invalid(struct problem *p, const char *field, const char *message)
{
	return problem_set(p, OUTCOME_INVALID, "invalid_input", field, message);
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
