/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * unit.h - helpers the unit tests share; included after <cmocka.h>. Each is
 * static inline, so a test file that does not use one pays nothing for it.
 */
#ifndef HEARTH_TEST_UNIT_H
#define HEARTH_TEST_UNIT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A string of count copies of unit (caller frees). */
static inline char *repeat(const char *unit, size_t count)
{
	size_t n = strlen(unit);
	char *s = malloc(n * count + 1);
	assert_non_null(s);
	for (size_t i = 0; i < count; i++)
		memcpy(s + i * n, unit, n);
	s[n * count] = '\0';
	return s;
}

/* 2026-11-26T11:30:00Z: already the 27th in Auckland, still the 26th in Los Angeles. A util_clock for tests. */
static inline int64_t fixed_instant(void)
{
	struct tm tm = {.tm_year = 2026 - 1900, .tm_mon = 10, .tm_mday = 26, .tm_hour = 11, .tm_min = 30};
	return (int64_t)timegm(&tm) * 1000;
}

#endif
