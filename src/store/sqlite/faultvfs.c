/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * faultvfs.c - a SQLite VFS shim that injects storage faults, for tests.
 *
 * When HEARTH_FAULT_FILE names a file, this VFS is registered as the default
 * and every write, sync and truncate first looks at that file: if it exists
 * and says "full", the operation fails with SQLITE_FULL (a full disk); if it
 * says "ioerr", with SQLITE_IOERR_WRITE (a failing disk). Without the file,
 * everything passes through to the real VFS. Without the variable, the shim is
 * never installed and costs nothing.
 */
#include "faultvfs.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;
static char fault_path[4096];

struct fault_file {
	sqlite3_file base;  /* must be first: SQLite sees this */
	sqlite3_file *real; /* the real file, allocated right after */
};

/* The injected result code, or SQLITE_OK when no fault is armed. */
static int fault_now(void)
{
	FILE *f = fopen(fault_path, "r");
	if (!f)
		return SQLITE_OK;
	char word[16] = "";
	if (!fgets(word, sizeof word, f))
		word[0] = '\0';
	fclose(f);
	if (strncmp(word, "full", 4) == 0)
		return SQLITE_FULL;
	if (strncmp(word, "ioerr", 5) == 0)
		return SQLITE_IOERR_WRITE;
	return SQLITE_OK;
}

#define REAL(f) (((struct fault_file *)(f))->real)

static int f_close(sqlite3_file *f)
{
	int rc = REAL(f)->pMethods ? REAL(f)->pMethods->xClose(REAL(f)) : SQLITE_OK;
	return rc;
}
static int f_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return REAL(f)->pMethods->xRead(REAL(f), b, n, o);
}
static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	int rc = fault_now();
	return rc ? rc : REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = fault_now();
	return rc ? (rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE)
	          : REAL(f)->pMethods->xTruncate(REAL(f), size);
}
static int f_sync(sqlite3_file *f, int flags)
{
	int rc = fault_now();
	return rc ? (rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC) : REAL(f)->pMethods->xSync(REAL(f), flags);
}
static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}
static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}
static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}
static int f_check_lock(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}
static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}
static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}
static int f_device(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}
static int f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}
static int f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}
static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}
static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}
static int f_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), o, n, pp);
}
static int f_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), o, p);
}

static const sqlite3_io_methods fault_methods = {
    3,         f_close,  f_read,   f_write,   f_truncate, f_sync,        f_size,      f_lock,  f_unlock,  f_check_lock,
    f_control, f_sector, f_device, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap, f_fetch, f_unfetch,
};

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)vfs;
	struct fault_file *ff = (struct fault_file *)file;
	ff->real = (sqlite3_file *)(ff + 1);
	int rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	/* SQLite calls xClose only when pMethods is set; mirror the real file's state. */
	file->pMethods = ff->real->pMethods ? &fault_methods : NULL;
	return rc;
}

int faultvfs_install_from_env(void)
{
	const char *path = getenv("HEARTH_FAULT_FILE");
	if (!path || !*path)
		return 0;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || strlen(path) >= sizeof fault_path)
		return -1;
	snprintf(fault_path, sizeof fault_path, "%s", path);
	/*
	 * Everything but opening a file passes straight to the real VFS: its
	 * functions are called with this copy of it, whose pAppData and sizes
	 * are the real one's.
	 */
	fault_vfs = *real_vfs;
	fault_vfs.pNext = NULL;
	fault_vfs.zName = "hearth-fault";
	fault_vfs.szOsFile = (int)sizeof(struct fault_file) + real_vfs->szOsFile;
	fault_vfs.xOpen = v_open;
	fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"storage fault injection is armed by HEARTH_FAULT_FILE\"}\n");
	return sqlite3_vfs_register(&fault_vfs, 1) == SQLITE_OK ? 0 : -1;
}
