/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * privileges.h - dropping root after the listening socket is bound.
 */
#ifndef HEARTH_PRIVILEGES_H
#define HEARTH_PRIVILEGES_H

#include <stddef.h>

#include "util.h"

/*
 * When running as root: hands the data directory, the files directly in it and
 * the key file to `user` (NULL: "hearth" when that account exists, else
 * "nobody"), then switches group, supplementary groups and user for good.
 * Does nothing when not root. Returns 0, or -1 with a message in err.
 */
int privileges_drop(const char *user, const char *data_dir, const char *key_file, char *err,
                    size_t err_len) WARN_UNUSED;

#endif
