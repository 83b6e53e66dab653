/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * embedded.h - the files compiled into the binary: templates/, static/,
 * data/ and the store's migrations, written as byte arrays into embedded.c
 * by tools/embed.c at build time, and found here by name.
 */
#ifndef HEARTH_EMBEDDED_H
#define HEARTH_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* The files, in the order the build listed them (the generated embedded.c). */
extern const struct embedded_file embedded_files[];
extern const size_t embedded_files_count;

/* The embedded file with this name ("templates/home.html"), or NULL. */
const struct embedded_file *embedded_find(const char *name);

#endif
