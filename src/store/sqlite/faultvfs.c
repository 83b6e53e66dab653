/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * faultvfs.c - a SQLite VFS shim that injects storage faults, for tests.
 *
 * When HEARTH_FAULT_FILE names a file, this VFS is registered as the default
 * and every write, sync and truncate first looks at that file: if it exists
 * and says "full", the operation fails with SQLITE_FULL (a full disk); if it
 * says "ioerr", with SQLITE_IOERR_WRITE (a failing disk); if it says
 * "syncfail", only syncs fail (SQLITE_IOERR_FSYNC: the disk takes writes into
 * the page cache but cannot flush them). Without the file, everything passes
 * through to the real VFS. Without the variable, the shim is never installed
 * and costs nothing. A file stays the real VFS's own; only its write,
 * truncate and sync methods are replaced (see v_open).
 *
 * It also counts the syncs of the WAL that completed (faultvfs_wal_syncs,
 * shown by /metrics in test mode), so a test can see that a sync happened
 * before every acknowledged write: group commit acknowledges a write only
 * after an fdatasync of the WAL, and that sync goes through this layer.
 *
 * A power cut, simulated: with HEARTH_FAULT_SHADOW=1 as well, the shim keeps
 * beside the database and its WAL a copy of what a power cut would leave of
 * each (NAME.durable): the byte ranges written since the last sync are
 * recorded, and a sync that succeeds copies them into the copy. A sync that
 * fails forgets them, as Linux does when writeback fails (the pages
 * are marked clean, and a later fsync "succeeds" without them). A test kills
 * the server with SIGKILL, puts each NAME.durable in place of NAME, and starts
 * it again: what comes back is what a machine that lost power would hold. One
 * process per data directory, whose files are not deleted while it runs (a
 * WAL is deleted only when the last connection closes); the copies start as
 * copies of the files when this process first opens them.
 */
#include "faultvfs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHADOWS_MAX 8   /* files with a power-cut copy: the database and its WAL */
#define RANGES_MAX 4096 /* unsynced ranges per file before they are merged into one */
#define COPY_CHUNK 65536

static sqlite3_vfs fault_vfs;
static sqlite3_vfs *real_vfs;
static char fault_path[4096];
static atomic_int_fast64_t wal_syncs;
static bool installed;
/* Where a file's fault_methods sit: after the real file's bytes, aligned. */
static size_t methods_offset;

/* Bytes [start, end) of a file. */
struct range {
	int64_t start, end;
};

/* What a power cut would leave of one file (see the file header). */
struct shadow {
	char *path;          /* the real file */
	int real_fd;         /* read-only, to copy synced ranges from */
	int copy_fd;         /* PATH.durable */
	struct range *dirty; /* written since the last sync, at most RANGES_MAX */
	size_t ndirty;
	int64_t truncate_to; /* a truncation not yet synced, or -1 */
};

static bool shadow_on;
static pthread_mutex_t shadow_lock = PTHREAD_MUTEX_INITIALIZER;
static struct shadow shadows[SHADOWS_MAX];
static size_t nshadows;

/*
 * A file is the real VFS's own; only its methods change. Each file carries,
 * after the real file's bytes, a copy of the real methods with write,
 * truncate and sync replaced, the real methods to call on, and what this
 * shim keeps about the file.
 */
struct fault_methods {
	sqlite3_io_methods methods; /* must be first: the file's pMethods points here */
	const sqlite3_io_methods *real;
	struct shadow *shadow; /* its power-cut copy, or NULL */
	bool wal;
};

/* The injected result code, or SQLITE_OK when no fault is armed. */
static int fault_now(bool sync)
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
		return sync ? SQLITE_IOERR_FSYNC : SQLITE_IOERR_WRITE;
	if (sync && strncmp(word, "syncfail", 8) == 0)
		return SQLITE_IOERR_FSYNC;
	return SQLITE_OK;
}

/* ---- the power-cut copies ---- */

/* Copies bytes [start, end) of the real file into the copy; 0 or -1. */
static int shadow_copy(struct shadow *sh, int64_t start, int64_t end)
{
	static char chunk[COPY_CHUNK]; /* under shadow_lock */
	while (start < end) {
		size_t want = (size_t)(end - start < COPY_CHUNK ? end - start : COPY_CHUNK);
		ssize_t n = pread(sh->real_fd, chunk, want, start);
		if (n < 0)
			return -1;
		if (n == 0)
			return 0; /* the file is shorter now: a later truncation */
		if (pwrite(sh->copy_fd, chunk, (size_t)n, start) != n)
			return -1;
		start += n;
	}
	return 0;
}

/* The copy of path, made when the file is first opened; NULL when there is no room. */
static struct shadow *shadow_for(const char *path)
{
	for (size_t i = 0; i < nshadows; i++)
		if (strcmp(shadows[i].path, path) == 0)
			return &shadows[i];
	if (nshadows == SHADOWS_MAX)
		return NULL;
	struct shadow *sh = &shadows[nshadows];
	size_t len = strlen(path);
	char *copy_path = malloc(len + sizeof ".durable");
	if (!copy_path)
		return NULL;
	memcpy(copy_path, path, len);
	memcpy(copy_path + len, ".durable", sizeof ".durable");
	*sh = (struct shadow){.real_fd = open(path, O_RDONLY | O_CLOEXEC),
	                      .copy_fd = open(copy_path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600),
	                      .truncate_to = -1};
	free(copy_path);
	sh->path = strdup(path);
	sh->dirty = calloc(RANGES_MAX, sizeof *sh->dirty);
	if (sh->real_fd < 0 || sh->copy_fd < 0 || !sh->path || !sh->dirty)
		goto fail;
	off_t size = lseek(sh->real_fd, 0, SEEK_END);
	if (size < 0 || shadow_copy(sh, 0, size) < 0)
		goto fail;
	nshadows++;
	return sh;
fail:
	if (sh->real_fd >= 0)
		close(sh->real_fd);
	if (sh->copy_fd >= 0)
		close(sh->copy_fd);
	free(sh->path);
	free(sh->dirty);
	return NULL;
}

/* Records a write of [start, end): appended to the last range when it meets it (the WAL grows that way). */
static void shadow_wrote(struct shadow *sh, int64_t start, int64_t end)
{
	pthread_mutex_lock(&shadow_lock);
	struct range *last = sh->ndirty ? &sh->dirty[sh->ndirty - 1] : NULL;
	if (last && start <= last->end && end >= last->start) {
		last->start = start < last->start ? start : last->start;
		last->end = end > last->end ? end : last->end;
	} else if (sh->ndirty < RANGES_MAX) {
		sh->dirty[sh->ndirty++] = (struct range){start, end};
	} else {
		/* Too many to keep apart: one range over all of them (it may copy a little too much). */
		for (size_t i = 0; i < sh->ndirty; i++) {
			start = sh->dirty[i].start < start ? sh->dirty[i].start : start;
			end = sh->dirty[i].end > end ? sh->dirty[i].end : end;
		}
		sh->dirty[0] = (struct range){start, end};
		sh->ndirty = 1;
	}
	pthread_mutex_unlock(&shadow_lock);
}

static void shadow_truncated(struct shadow *sh, int64_t size)
{
	pthread_mutex_lock(&shadow_lock);
	sh->truncate_to = size;
	for (size_t i = 0; i < sh->ndirty; i++)
		if (sh->dirty[i].end > size)
			sh->dirty[i].end = sh->dirty[i].start < size ? size : sh->dirty[i].start;
	pthread_mutex_unlock(&shadow_lock);
}

/* After a sync: what was written reaches the copy when it succeeded, and is forgotten when it failed. */
static void shadow_synced(struct shadow *sh, bool ok)
{
	pthread_mutex_lock(&shadow_lock);
	if (ok && sh->truncate_to >= 0 && ftruncate(sh->copy_fd, sh->truncate_to) != 0)
		fprintf(stderr, "{\"level\":\"error\",\"msg\":\"faultvfs: cannot truncate a power-cut copy\"}\n");
	for (size_t i = 0; ok && i < sh->ndirty; i++)
		if (shadow_copy(sh, sh->dirty[i].start, sh->dirty[i].end) < 0)
			fprintf(stderr, "{\"level\":\"error\",\"msg\":\"faultvfs: cannot write a power-cut copy\"}\n");
	sh->ndirty = 0;
	sh->truncate_to = -1;
	pthread_mutex_unlock(&shadow_lock);
}

/* ---- the file methods ---- */

static const struct fault_methods *fault_of(sqlite3_file *f)
{
	return (const struct fault_methods *)f->pMethods;
}

static int f_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	int rc = fault_now(false);
	if (rc)
		return rc;
	const struct fault_methods *fm = fault_of(f);
	rc = fm->real->xWrite(f, b, n, o);
	if (rc == SQLITE_OK && fm->shadow)
		shadow_wrote(fm->shadow, o, o + n);
	return rc;
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	int rc = fault_now(false);
	if (rc)
		return rc == SQLITE_FULL ? SQLITE_FULL : SQLITE_IOERR_TRUNCATE;
	const struct fault_methods *fm = fault_of(f);
	rc = fm->real->xTruncate(f, size);
	if (rc == SQLITE_OK && fm->shadow)
		shadow_truncated(fm->shadow, size);
	return rc;
}

static int f_sync(sqlite3_file *f, int flags)
{
	const struct fault_methods *fm = fault_of(f);
	int rc = fault_now(true);
	if (rc == SQLITE_OK)
		rc = fm->real->xSync(f, flags);
	if (fm->shadow)
		shadow_synced(fm->shadow, rc == SQLITE_OK);
	if (rc == SQLITE_OK && fm->wal)
		atomic_fetch_add_explicit(&wal_syncs, 1, memory_order_relaxed);
	return rc;
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
		fm->wal = (flags & SQLITE_OPEN_WAL) != 0;
		fm->shadow = NULL;
		if (rc == SQLITE_OK && shadow_on && name && (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL))) {
			pthread_mutex_lock(&shadow_lock);
			fm->shadow = shadow_for(name);
			pthread_mutex_unlock(&shadow_lock);
			if (!fm->shadow)
				fprintf(stderr,
				        "{\"level\":\"error\",\"msg\":\"faultvfs: no power-cut copy of a file\"}\n");
		}
		file->pMethods = &fm->methods;
	}
	return rc;
}

int64_t faultvfs_wal_syncs(void)
{
	return installed ? (int64_t)atomic_load(&wal_syncs) : -1;
}

int faultvfs_install_from_env(void)
{
	const char *path = getenv("HEARTH_FAULT_FILE");
	if (!path || !*path || installed)
		return 0;
	real_vfs = sqlite3_vfs_find(NULL);
	if (!real_vfs || strlen(path) >= sizeof fault_path)
		return -1;
	snprintf(fault_path, sizeof fault_path, "%s", path);
	const char *shadow = getenv("HEARTH_FAULT_SHADOW");
	shadow_on = shadow && strcmp(shadow, "1") == 0;
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
	fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"storage fault injection is armed by HEARTH_FAULT_FILE%s\"}\n",
	        shadow_on ? " (with power-cut copies)" : "");
	if (sqlite3_vfs_register(&fault_vfs, 1) != SQLITE_OK)
		return -1;
	installed = true;
	return 0;
}
