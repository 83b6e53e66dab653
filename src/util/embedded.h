/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * embedded.h - the files compiled into the binary by tools/embed.c:
 * templates/, static/ and data/ (the prompt deck, feelings, guides,
 * questionnaires). Read-only, for the life of the process.
 */
#ifndef HEARTH_EMBEDDED_H
#define HEARTH_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name; /* the path in the source tree: "templates/home.html" */
	const unsigned char *data;
	size_t len;
};

/* The files, in the order the build lists them (generated: embedded.c in the build directory). */
extern const struct embedded_file embedded_files[];
extern const size_t embedded_files_count;

/* The embedded file with this name ("templates/home.html"), or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
