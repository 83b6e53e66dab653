/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * jsonw.h - writing JSON straight into a buffer, for the hot answers (the
 * check-in list) where building a jansson tree cost more than the data: one
 * malloc per value and per key, then a second pass to print it. jansson stays
 * for parsing request bodies and for every other answer.
 *
 * The output is what json_dumps(JSON_COMPACT | JSON_ENSURE_ASCII) writes for
 * the same values, byte for byte: every non-ASCII character as \uXXXX
 * (surrogate pairs above U+FFFF), the two-character escapes jansson uses and
 * \u00XX for other control characters. A string that is not valid UTF-8 is an
 * error (-1), as jansson refuses it too. Every function returns 0, or -1 when
 * the buffer's cap is reached or the input is invalid; the buffer may then
 * hold a partial value and must be thrown away.
 */
#ifndef HEARTH_JSONW_H
#define HEARTH_JSONW_H

#include "util.h"

/* A JSON string of the NUL-terminated UTF-8 text s; null for NULL. */
int jsonw_str(struct buf *b, const char *s) WARN_UNUSED;
/* The same for n bytes that may hold NUL (written as \u0000). */
int jsonw_strn(struct buf *b, const char *s, size_t n) WARN_UNUSED;
int jsonw_int(struct buf *b, long long v) WARN_UNUSED;
/* Raw JSON syntax the caller wrote itself: punctuation and keys known to need no escape. */
int jsonw_raw(struct buf *b, const char *s) WARN_UNUSED;

#endif
