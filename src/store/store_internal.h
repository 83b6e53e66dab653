/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_internal.h - what the drivers' open functions call to fill struct
 * store: one init per feature file, each setting that feature's function
 * pointers. Not for use above the store.
 */
#ifndef HEARTH_STORE_INTERNAL_H
#define HEARTH_STORE_INTERNAL_H

#include "store.h"

void store_agreement_init(struct store *s);
void store_questionnaire_init(struct store *s);
void store_trends_init(struct store *s);
void store_account_delete_init(struct store *s);

#endif
