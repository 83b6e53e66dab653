/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * problem.h - what went wrong with a request, in terms both the API (error
 * JSON) and the pages (a message next to a field) can show.
 */
#ifndef HEARTH_PROBLEM_H
#define HEARTH_PROBLEM_H

#include <stdbool.h>

struct problem {
	int status;          /* HTTP status: 400, 401, 404, 409, 429, 503 ... */
	const char *code;    /* API error code: invalid_input, conflict, ... */
	const char *field;   /* the field at fault, or NULL */
	const char *message; /* for a person; static or arena-owned */
	int retry_after;     /* seconds, for 429 and 503; 0 = none */
};

static inline bool problem_set(struct problem *p, int status, const char *code, const char *field,
                               const char *message)
{
	p->status = status;
	p->code = code;
	p->field = field;
	p->message = message;
	p->retry_after = 0;
	return false;
}

#endif
