/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_internal.h - what the store's files share and nothing above the store
 * sees: each feature file's init, which fills its part of struct store and
 * which the drivers' open functions call.
 */
#ifndef HEARTH_STORE_INTERNAL_H
#define HEARTH_STORE_INTERNAL_H

#include "store.h"

void store_repair_init(struct store *s);
void store_prompt_init(struct store *s);
void store_safety_init(struct store *s);

#endif
