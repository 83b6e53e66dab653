/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * unit.h - helpers the unit tests share; included after <cmocka.h>. Each is
 * static inline, so a test file that does not use one pays nothing for it.
 */
#ifndef HEARTH_TEST_UNIT_H
#define HEARTH_TEST_UNIT_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/problem.h"

/* Whether n bytes at p are all zero: what a wiped cache entry must be (util/memo.h's wipe hook). */
static inline bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

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

/* The instant (ms) of a wall-clock time in UTC; month from 1. */
static inline int64_t utc_ms(int year, int month, int day, int hour, int minute)
{
	struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = hour, .tm_min = minute};
	return (int64_t)timegm(&tm) * 1000;
}

/* 2026-11-26T11:30:00Z: already the 27th in Auckland, still the 26th in Los Angeles. A util_clock for tests. */
static inline int64_t fixed_instant(void)
{
	return utc_ms(2026, 11, 26, 11, 30);
}

/*
 * Makes a new directory NAME.XXXXXX under TMPDIR, else in the current
 * directory (meson runs tests in the build directory); its path in dir.
 * 0, or -1 when it cannot be made. The caller removes it.
 */
static inline int temp_dir_make(char *dir, size_t dir_len, const char *name)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(dir, dir_len, "%s/%s.XXXXXX", tmp && *tmp ? tmp : ".", name);
	if (n < 0 || (size_t)n >= dir_len)
		return -1;
	return mkdtemp(dir) ? 0 : -1;
}

/* p is the problem of this outcome and code, about field (NULL: about no one field), with a message. */
static inline void expect_problem(const struct problem *p, enum outcome outcome, const char *code, const char *field)
{
	assert_int_equal(p->outcome, outcome);
	assert_non_null(p->code);
	assert_string_equal(p->code, code);
	if (field) {
		assert_non_null(p->field);
		assert_string_equal(p->field, field);
	} else {
		assert_null(p->field);
	}
	assert_non_null(p->message);
}

/* A member (role "member") of space with this partner ("" when alone), in UTC. */
static inline struct viewer make_viewer(const char *user, const char *space, const char *partner)
{
	struct viewer v = {0};
	snprintf(v.user_id, sizeof v.user_id, "%s", user);
	snprintf(v.space_id, sizeof v.space_id, "%s", space);
	snprintf(v.partner_id, sizeof v.partner_id, "%s", partner);
	snprintf(v.role, sizeof v.role, "member");
	snprintf(v.time_zone, sizeof v.time_zone, "UTC");
	return v;
}

#define THREADS_MAX 8

/*
 * Runs fn(args[i]) in n threads at once and fails the test unless each
 * returns NULL (a thread cannot fail a cmocka test itself: it returns
 * non-NULL when a check of its own did not hold).
 */
static inline void threads_run(void *(*fn)(void *), const char *const *args, int n)
{
	pthread_t t[THREADS_MAX];
	assert_true(n > 0 && n <= THREADS_MAX);
	for (int i = 0; i < n; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fn, (void *)args[i]), 0);
	for (int i = 0; i < n; i++) {
		void *rc;
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
}

#endif
