/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * seed.h - synthetic data for benchmarks (`hearth seed`).
 */
#ifndef HEARTH_SEED_H
#define HEARTH_SEED_H

#include "store/store.h"

#define SEED_DEFAULT_PASSWORD "hearth-seed-password"

/* Seeds `spaces` couples with `days` days of check-ins; 0, or -1 after a message on stderr. */
int seed_run(struct store *s, int spaces, int days, const char *password) WARN_UNUSED;

#endif
