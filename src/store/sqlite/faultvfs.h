/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * faultvfs.h - storage fault injection for tests (see faultvfs.c).
 */
#ifndef HEARTH_FAULTVFS_H
#define HEARTH_FAULTVFS_H

/* Installs the fault-injecting VFS when HEARTH_FAULT_FILE is set; 0 or -1. */
int faultvfs_install_from_env(void);

#endif
