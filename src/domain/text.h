/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * text.h - the one rule for what a person may write into a text field: well
 * formed UTF-8 (no NUL bytes) and no more than a number of characters (code
 * points, not bytes). Every feature checks its texts here; only the message
 * it gives a person is its own.
 */
#ifndef HEARTH_TEXT_H
#define HEARTH_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "problem.h"

/* The longest free text of a check-in, a repair side, an agreement, a note: 4000 characters. */
#define TEXT_MAX_CHARS 4000

/* True for NULL (no text), or well-formed UTF-8 of at most max characters. */
bool text_fits(const char *s, size_t max);
/*
 * text_fits with TEXT_MAX_CHARS, and the problem a person reads on field:
 * "This text is not valid UTF-8." or "Please keep this to 4000 characters or
 * fewer." Returns false with the fault added to *p (problem_add: *p must be
 * set or begun), so a validator goes on to collect the other fields.
 */
bool text_ok(const char *s, const char *field, struct problem *p) WARN_UNUSED;

#endif
