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
/* Where a file's fault_methods sit: after the real file's bytes, aligned. */
static size_t methods_offset;

/*
 * A file is the real VFS's own; only its methods change. Each file carries,
 * after the real file's bytes, a copy of the real methods with write,
 * truncate and sync replaced, and the real methods to call on.
 */
struct fault_methods {
	sqlite3_io_methods methods; /* must be first: the file's pMethods points here */
	const sqlite3_io_methods *real;
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

static const sqlite3_io_methods *real_methods(sqlite3_file *f)
{
	return ((const struct fault_methods *)f->pMethods)->real;
}

static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	int rc = fault_now();
	return rc ? rc : real_methods(f)->xWrite(f, b, n, o);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = fault_now();
	return rc ? (rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE) : real_methods(f)->xTruncate(f, size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	int rc = fault_now();
	return rc ? (rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_FSYNC) : real_methods(f)->xSync(f, flags);
}

static int v_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	(void)vfs;
	int rc = real_vfs->xOpen(real_vfs, name, file, flags, out_flags);
	/* SQLite calls xClose only when pMethods is set: a file that did not open stays as it is. */
	if (file->pMethods) {
		struct fault_methods *fm = (struct fault_methods *)((char *)file + methods_offset);
		fm->real = file->pMethods;
		fm->methods = *file->pMethods;
		fm->methods.xWrite = f_write;
		fm->methods.xTruncate = f_truncate;
		fm->methods.xSync = f_sync;
		file->pMethods = &fm->methods;
	}
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
	size_t align = _Alignof(struct fault_methods);
	methods_offset = ((size_t)real_vfs->szOsFile + align - 1) / align * align;
	fault_vfs.szOsFile = (int)(methods_offset + sizeof(struct fault_methods));
	fault_vfs.xOpen = v_open;
	fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"storage fault injection is armed by HEARTH_FAULT_FILE\"}\n");
	return sqlite3_vfs_register(&fault_vfs, 1) == SQLITE_OK ? 0 : -1;
}
