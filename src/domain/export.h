/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * export.h - everything a person wrote, as one versioned JSON document
 * (docs/export-format.md), for the download and the printable page.
 */
#ifndef HEARTH_EXPORT_H
#define HEARTH_EXPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"

/*
 * Everything the viewer wrote, as one versioned document
 * (docs/export-format.md). Needs a fresh session (session.h): else false
 * with 403 reauth_required.
 */
bool export_build(struct store *s, const struct viewer *v, struct arena *a, json_t **doc,
                  struct problem *p) WARN_UNUSED;

#endif
