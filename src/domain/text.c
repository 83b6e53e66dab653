/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * text.c - the rule for free texts (see text.h).
 */
#include "text.h"

#include <string.h>

bool text_fits(const char *s, size_t max)
{
	if (!s)
		return true;
	size_t n = strlen(s);
	return utf8_valid(s, n) && utf8_length(s, n) <= max;
}

bool text_ok(const char *s, const char *field, struct problem *p)
{
	if (text_fits(s, TEXT_MAX_CHARS))
		return true;
	if (!utf8_valid(s, strlen(s)))
		return problem_add(p, field, "This text is not valid UTF-8.");
	return problem_add(p, field, "Please keep this to 4000 characters or fewer.");
}
