/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * backup.c - SQLite's side of `hearth backup` and `hearth restore`.
 *
 * A backup copies the whole database in one step of SQLite's online backup
 * API. One step is one read transaction: in WAL mode writers go on beside it,
 * and nothing they commit can restart it (small steps restart from the first
 * page whenever another connection writes, so on a busy server a stepped copy
 * never finished). Its time is the time to read the file once.
 *
 * A restore swaps a verified copy in with a hard link and a rename, so the
 * database path always names a whole database, and the one it replaced stays
 * beside it as hearth.db.before-restore.
 */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../util/util.h"

/* How long a copy waits for a lock it needs (a writer mid-checkpoint), in all. */
#define BACKUP_BUSY_WAIT_MS 10000

/* fsyncs the file at path (flags: O_RDONLY for a file, O_DIRECTORY too for a directory). */
static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

/* fsyncs the directory that holds path, so a rename into it survives a crash. */
static int fsync_parent(const char *path)
{
	char *copy = xstrdup(path);
	int rc = fsync_path(dirname(copy), O_RDONLY | O_DIRECTORY);
	free(copy);
	return rc;
}

static void log_sqlite(sqlite3 *db, const char *op)
{
	fprintf(stderr, "{\"level\":\"error\",\"store\":\"sqlite\",\"op\":\"%s\",\"code\":%d,\"message\":\"%s\"}\n", op,
	        db ? sqlite3_extended_errcode(db) : 0, db ? sqlite3_errmsg(db) : "out of memory");
}

enum store_status sqlite_backup_copy(sqlite3 *src, const char *path)
{
	enum store_status st = STORE_ERROR;
	sqlite3 *dst = NULL;
	char *tmp = xasprintf("%s.partial", path);
	unlink(tmp);
	/* A place that cannot be written is the caller's to report (hearth backup says where). */
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		goto out;
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
	if (!b) {
		log_sqlite(dst, "backup_init");
		goto out;
	}
	/*
	 * -1: every page in this one step. BUSY here means a lock could not be
	 * had at all (never a restart), so waiting and trying again is safe.
	 */
	int rc, waited = 0;
	while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
		if (waited >= BACKUP_BUSY_WAIT_MS)
			break;
		sqlite3_sleep(20);
		waited += 20;
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		st = rc == SQLITE_BUSY || rc == SQLITE_LOCKED || rc == SQLITE_FULL || rc == SQLITE_IOERR ? STORE_BUSY
		                                                                                         : STORE_ERROR;
		log_sqlite(dst, "backup_step");
		goto out;
	}
	/* The copy is a plain rollback-journal database, whole in one file. */
	if (sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK) {
		log_sqlite(dst, "backup_journal_mode");
		goto out;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		log_sqlite(dst, "backup_close");
		goto out;
	}
	dst = NULL;
	if (fsync_path(tmp, O_RDONLY) != 0 || rename(tmp, path) != 0 || fsync_parent(path) != 0) {
		st = errno == ENOSPC || errno == EIO ? STORE_BUSY : STORE_ERROR;
		fprintf(stderr, "{\"level\":\"error\",\"store\":\"sqlite\",\"op\":\"backup_sync\",\"errno\":%d}\n",
		        errno);
		goto out;
	}
	st = STORE_OK;
out:
	if (dst)
		sqlite3_close(dst);
	if (st != STORE_OK)
		unlink(tmp);
	free(tmp);
	return st;
}

int sqlite_backup_file_version(const char *path, char *err, size_t err_len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int version = -1;
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, err_len, "%s: %s", path, stat(path, &sb) != 0 ? strerror(errno) : "not a regular file");
		return -1;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto bad;
	int rc = sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_migrations", -1, &q, NULL);
	if (rc != SQLITE_OK) {
		if (rc == SQLITE_ERROR && strstr(sqlite3_errmsg(db), "no such table"))
			snprintf(err, err_len,
			         "%s is an SQLite database but not one of hearth's (no schema_migrations)", path);
		else
			goto bad;
		goto out;
	}
	if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_type(q, 0) == SQLITE_NULL) {
		snprintf(err, err_len, "%s has no migrations recorded: not a hearth database", path);
		goto out;
	}
	version = sqlite3_column_int(q, 0);
	goto out;
bad:
	snprintf(err, err_len, "%s is not a readable SQLite database (%s)", path,
	         db ? sqlite3_errmsg(db) : "out of memory");
out:
	sqlite3_finalize(q);
	sqlite3_close(db);
	return version;
}

/* Folds a stopped database's WAL into it and removes the WAL and shared-memory files. */
static int checkpoint_closed(const char *path, char *err, size_t err_len)
{
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, err_len, "cannot fold the write-ahead log into %s (%s)", path,
		         db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	if (sqlite3_close(db) != SQLITE_OK) {
		snprintf(err, err_len, "cannot close %s", path);
		return -1;
	}
	char *wal = xasprintf("%s-wal", path), *shm = xasprintf("%s-shm", path);
	struct stat sb;
	int bad = stat(wal, &sb) == 0 && sb.st_size > 0;
	if (bad)
		snprintf(err, err_len, "%s still has a write-ahead log: is the server still running?", path);
	else {
		unlink(wal);
		unlink(shm);
	}
	free(wal);
	free(shm);
	return bad ? -1 : 0;
}

int sqlite_backup_swap(const char *current, const char *fresh, char *err, size_t err_len)
{
	int rc = -1;
	char *before = xasprintf("%s.before-restore", current);
	struct stat sb;
	bool have_current = stat(current, &sb) == 0;
	if (checkpoint_closed(fresh, err, err_len) < 0)
		goto out;
	if (have_current) {
		if (checkpoint_closed(current, err, err_len) < 0)
			goto out;
		if ((unlink(before) != 0 && errno != ENOENT) || link(current, before) != 0) {
			snprintf(err, err_len, "cannot keep the current database as %s: %s", before, strerror(errno));
			goto out;
		}
	}
	if (fsync_path(fresh, O_RDONLY) != 0 || rename(fresh, current) != 0 || fsync_parent(current) != 0) {
		snprintf(err, err_len, "cannot move the copy into place at %s: %s", current, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(before);
	return rc;
}
