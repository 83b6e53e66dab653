/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * embedded.c - finds a file compiled into the binary by its name (see
 * embedded.h); the files themselves are in the generated embedded.c.
 */
#include "embedded.h"

#include <string.h>

const struct embedded_file *embedded_find(const char *name)
{
	for (size_t i = 0; i < embedded_files_count; i++)
		if (strcmp(embedded_files[i].name, name) == 0)
			return &embedded_files[i];
	return NULL;
}
