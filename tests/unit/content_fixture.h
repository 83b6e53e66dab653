/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * content_fixture.h - the shipped content (domain/content.h: decks, feelings,
 * the repair guide) loaded for a group of unit tests, and freed after it: the
 * group set-up and tear-down of the tests that need nothing else, and the
 * load that the tests with more to set up call from theirs. Included after
 * <cmocka.h>; static inline, like unit.h.
 */
#ifndef HEARTH_TEST_CONTENT_FIXTURE_H
#define HEARTH_TEST_CONTENT_FIXTURE_H

#include <stdio.h>

#include "domain/content.h"

/* Loads the content from its built-in place; 0, or -1 with the reason on stderr. */
static inline int content_fixture_load(void)
{
	char err[256];
	if (content_load(NULL, err, sizeof err) < 0) {
		fprintf(stderr, "content_load: %s\n", err);
		return -1;
	}
	return 0;
}

static inline int content_group_setup(void **state)
{
	(void)state;
	return content_fixture_load();
}

static inline int content_group_teardown(void **state)
{
	(void)state;
	content_free();
	return 0;
}

#endif
