/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * faultvfs.h - storage fault injection for tests (see faultvfs.c).
 */
#ifndef HEARTH_FAULTVFS_H
#define HEARTH_FAULTVFS_H

#include <stdint.h>

/* Installs the fault-injecting VFS when HEARTH_FAULT_FILE is set (once per process); 0 or -1. */
int faultvfs_install_from_env(void);

/* Syncs of a WAL that completed since start, or -1 when the VFS is not installed. */
int64_t faultvfs_wal_syncs(void);

#endif
