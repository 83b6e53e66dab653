/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite/driver.c - the SQLite driver under db.h, and the SQLite store's
 * lifecycle (open, migrate, ping, backup, check, close).
 *
 * One database file, hearth.db, in the data directory, in WAL mode. A write
 * is acknowledged only once its commit is on disk, with group commit: the
 * connections commit with synchronous=NORMAL (no fsync of their own), then
 * wait in durable_barrier() until one fdatasync of the WAL that started after
 * their commit has finished. One thread leads each sync; every commit that
 * finished before it started rides along, so concurrent writers share fsyncs
 * instead of queueing for one each. Each worker thread gets its own
 * connection (thread-local), opened lazily, with its statements prepared once
 * and cached (db.c). Writers of this process queue on an in-process lock
 * (write_enter) before BEGIN IMMEDIATE; other processes (the CLI) meet the
 * busy timeout. A checkpointer thread moves the WAL into the database off the
 * request path.
 *
 * A failed sync cannot simply be tried again: when writeback fails, Linux may
 * mark the pages it could not write clean, so the next fsync "succeeds"
 * without them, leaving a hole in the WAL at which recovery would stop (and
 * older copies of pages would be read back over newer ones). So after a
 * failed sync of the WAL (or a failed checkpoint) the WAL is "in doubt", and
 * nothing more is acknowledged until it has been made unnecessary:
 * recover_wal() checkpoints every frame into the database file (rewriting the
 * pages from the cache), syncs it, empties the WAL and syncs that. Commits
 * wait for this up to the busy timeout, then answer STORE_BUSY: such a write
 * is committed but was never acknowledged; it becomes durable with the next
 * recovery, or is lost with a power cut before it. The syncs go through
 * SQLite's VFS (the WAL's own file handle), so the fault-injecting VFS of the
 * tests can make them fail and count them.
 *
 * Deferred durability (store.h: defer_begin), for the HTTP layer's API
 * requests: a commit only takes its number, and the syncer thread leads the
 * syncs and settles each request's wait (sqlite_when_durable) once a sync
 * covers its last commit, or fails it when none did within the busy timeout.
 * The worker thread meanwhile serves its other connections.
 *
 * A write outside a transaction runs in one of its own, committed when its
 * rows end (or when the statement is done, if the caller stops reading
 * early), so it is durable by the time db_step() says there are no more rows.
 *
 * Layout: connections and statements, group commit and the write lock,
 * the db_driver functions, then the store's lifecycle.
 */
#include "../../util/jsonw.h"
#include "../store_internal.h"
#include "backup.h"
#include "faultvfs.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sq_db {
	struct db base; /* must be first; base.store is the struct sqlite_store */
	sqlite3 *db;
};

struct sq_stmt {
	struct db_stmt base; /* must be first */
	sqlite3_stmt *stmt;
	bool own_tx; /* a write outside a transaction, in one of its own (see the file header) */
};

/* Group commit state (see the file header). */
struct group_commit {
	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t committed; /* writes committed so far */
	uint64_t synced;    /* writes known to be on disk */
	uint64_t failures;  /* failed syncs and checkpoints so far */
	bool syncing;       /* a leader is making the WAL durable */
	bool in_doubt;      /* the WAL may have a hole: recover_wal() before anything is acknowledged */
	/* Deferred durability (store.h: defer_begin): the syncer thread's work. */
	uint64_t deferred;                  /* the last commit made under defer_begin */
	struct store_durable_wait *waiting; /* requests waiting for their ticket, in no order */
	bool syncer_running, syncer_stopping;
	pthread_t syncer;
};

struct sqlite_store {
	struct store base;
	char *path;
	struct group_commit gc;
	/*
	 * Writers of this process queue here rather than in SQLite's busy handler,
	 * which sleeps in growing steps (1, 2, 5 ms ...) even when the lock frees
	 * at once.
	 */
	pthread_mutex_t write_lock;
	pthread_t checkpointer;
	bool checkpointer_running;
	bool checkpointer_ready; /* its connection is open (or failed to): store_sqlite_open waits for it */
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	struct db_pool pool;
};

static const struct db_driver sqlite_driver;

static enum store_status map_rc(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_DONE:
	case SQLITE_ROW:
		return STORE_OK;
	case SQLITE_CONSTRAINT:
		return STORE_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PROTOCOL:
		return STORE_BUSY;
	default:
		return STORE_ERROR;
	}
}

static void log_rc(sqlite3 *db, const char *what)
{
	char code[16];
	snprintf(code, sizeof code, "%d", db ? sqlite3_extended_errcode(db) : -1);
	db_log_error("sqlite", what, code);
}

/* ---- connections ---- */

static void sq_close(struct db *d)
{
	struct sq_db *c = (struct sq_db *)d;
	sqlite3_close(c->db);
	free(c);
}

/* COLLATE "C" (bytewise, as SQLite's BINARY) so that SQL written for both databases can name it. */
static int collate_c(void *arg, int n1, const void *a, int n2, const void *b)
{
	(void)arg;
	int r = memcmp(a, b, (size_t)(n1 < n2 ? n1 : n2));
	return r ? r : n1 - n2;
}

static int conn_configure(struct sq_db *c)
{
	sqlite3_busy_timeout(c->db, db_busy_timeout_ms());
	sqlite3_extended_result_codes(c->db, 1);
	/* Checkpoints run in the checkpointer thread (see below), not after a commit. */
	int rc = sqlite3_exec(c->db,
	                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
	                      " PRAGMA secure_delete=ON; PRAGMA wal_autocheckpoint=0;"
	                      " PRAGMA journal_size_limit=67108864;",
	                      NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_create_collation_v2(c->db, "C", SQLITE_UTF8, NULL, collate_c, NULL);
	return rc;
}

/* This thread's connection, opened on first use (store->connection). */
static struct db *sqlite_connection(struct store *base)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	struct sq_db *c = (struct sq_db *)db_pool_mine(&s->pool);
	if (c)
		return &c->base;
	c = xcalloc(1, sizeof *c);
	c->base = (struct db){.drv = &sqlite_driver, .kind = DB_SQLITE, .store = base};
	int rc =
	    sqlite3_open_v2(s->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK || conn_configure(c) != SQLITE_OK) {
		log_rc(c->db, "open"); /* a server also logs which file, and why (sqlite_log) */
		sq_close(&c->base);
		return NULL;
	}
	db_pool_add(&s->pool, &c->base);
	return &c->base;
}

/* ---- group commit and the write lock ---- */

/* Whether the CLOCK_REALTIME time t has passed. */
static bool deadline_passed(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return now.tv_sec > t->tv_sec || (now.tv_sec == t->tv_sec && now.tv_nsec >= t->tv_nsec);
}

/*
 * fdatasync of this connection's WAL (of the database file while there is no
 * WAL yet), through SQLite's VFS; true on success.
 */
static bool sync_wal(struct sq_db *c)
{
	sqlite3_file *f = NULL;
	if (sqlite3_file_control(c->db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK || !f || !f->pMethods)
		if (sqlite3_file_control(c->db, "main", SQLITE_FCNTL_FILE_POINTER, &f) != SQLITE_OK || !f ||
		    !f->pMethods)
			return false;
	int rc = f->pMethods->xSync(f, SQLITE_SYNC_NORMAL | SQLITE_SYNC_DATAONLY);
	if (rc != SQLITE_OK) {
		char code[16];
		snprintf(code, sizeof code, "%d", rc);
		db_log_error("sqlite", "fdatasync", code);
	}
	return rc == SQLITE_OK;
}

static bool write_enter(struct sqlite_store *s);
static void write_leave(struct sqlite_store *s);

/*
 * Makes a WAL in doubt unnecessary (see the file header): every frame into the
 * database file, synced, then the WAL emptied and that synced. Writers of this
 * process wait meanwhile; true on success.
 */
static bool recover_wal(struct sq_db *c)
{
	struct sqlite_store *s = (struct sqlite_store *)c->base.store;
	if (!write_enter(s))
		return false;
	int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	if (rc != SQLITE_OK)
		log_rc(c->db, "wal_recover");
	bool ok = rc == SQLITE_OK && sync_wal(c);
	write_leave(s);
	return ok;
}

/*
 * As the leader (called and returning with g->lock held): makes every commit
 * so far durable, or marks the WAL in doubt, and wakes the waiters. A sync
 * that succeeded counts only when no other sync failed while it ran.
 */
static bool lead_sync(struct sq_db *c, struct group_commit *g)
{
	g->syncing = true;
	uint64_t target = g->committed;
	uint64_t failures = g->failures;
	bool recover = g->in_doubt;
	pthread_mutex_unlock(&g->lock);
	bool ok = recover ? recover_wal(c) : sync_wal(c);
	pthread_mutex_lock(&g->lock);
	g->syncing = false;
	if (!ok) {
		g->failures++;
		g->in_doubt = true;
	} else if (g->failures == failures) {
		if (target > g->synced)
			g->synced = target;
		g->in_doubt = false;
	}
	pthread_cond_broadcast(&g->done);
	return ok;
}

/* After a failed checkpoint: the WAL's sync may have failed inside it. */
static void wal_doubt(struct sqlite_store *s)
{
	pthread_mutex_lock(&s->gc.lock);
	s->gc.failures++;
	s->gc.in_doubt = true;
	pthread_mutex_unlock(&s->gc.lock);
}

/*
 * With g->lock held: returns once the commit numbered `mine` is on disk or
 * `until` has passed: either a sync that started after the commit finishes,
 * or this thread runs one. After failures it tries again every RETRY_MS.
 * True when it is on disk.
 */
#define RETRY_MS 50
static bool durable_wait(struct sq_db *c, struct group_commit *g, uint64_t mine, const struct timespec *until)
{
	while (g->synced < mine) {
		if (g->syncing) {
			if (pthread_cond_timedwait(&g->done, &g->lock, until) == ETIMEDOUT)
				break;
			continue;
		}
		if (lead_sync(c, g))
			continue;
		struct timespec pause = deadline_in(RETRY_MS);
		if (deadline_passed(until))
			break;
		if (pthread_cond_timedwait(&g->done, &g->lock, &pause) == ETIMEDOUT && deadline_passed(until))
			break;
	}
	return g->synced >= mine;
}

/*
 * Returns once the write this thread just committed is on disk; STORE_BUSY
 * when no sync made it so within the busy timeout.
 */
static enum store_status durable_barrier(struct sq_db *c)
{
	struct group_commit *g = &((struct sqlite_store *)c->base.store)->gc;
	struct timespec until = deadline_in(db_busy_timeout_ms());
	pthread_mutex_lock(&g->lock);
	bool durable = durable_wait(c, g, ++g->committed, &until);
	pthread_mutex_unlock(&g->lock);
	return durable ? STORE_OK : STORE_BUSY;
}

/*
 * Deferred durability (store.h: defer_begin). Under it a commit only takes
 * its number; the syncer thread syncs while any such commit is not on disk
 * yet, and settles the waits of requests as syncs cover their tickets.
 */
static _Thread_local struct {
	bool on;
	uint64_t ticket;
} deferring;

static void sqlite_defer_begin(struct store *s)
{
	(void)s;
	deferring.on = true;
	deferring.ticket = 0;
}

static uint64_t sqlite_defer_end(struct store *s)
{
	(void)s;
	deferring.on = false;
	return deferring.ticket;
}

/* A commit under defer_begin: its number, and the syncer woken. */
static void deferred_commit(struct group_commit *g)
{
	pthread_mutex_lock(&g->lock);
	deferring.ticket = g->deferred = ++g->committed;
	pthread_cond_broadcast(&g->done);
	pthread_mutex_unlock(&g->lock);
}

static bool sqlite_when_durable(struct store *base, struct store_durable_wait *w)
{
	struct sqlite_store *s = (struct sqlite_store *)base;
	struct group_commit *g = &s->gc;
	struct timespec until = deadline_in(db_busy_timeout_ms());
	pthread_mutex_lock(&g->lock);
	bool queued = false;
	if (w->ticket <= g->synced) {
		w->ok = true;
	} else if (!g->syncer_running || g->syncer_stopping) {
		/* No syncer to settle it: wait here, as a write outside defer_begin does. */
		struct sq_db *c = (struct sq_db *)db_of(base);
		w->ok = c && durable_wait(c, g, w->ticket, &until);
	} else {
		w->until = until;
		w->next = g->waiting;
		g->waiting = w;
		queued = true;
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->lock);
	return queued;
}

/*
 * With g->lock held: takes out of the waiting list the waits a sync has
 * covered (ok) or whose time is up (not ok), and returns them. *next is set
 * to the earliest deadline of those left.
 */
static struct store_durable_wait *settle(struct group_commit *g, struct timespec *next)
{
	struct store_durable_wait *settled = NULL, **p = &g->waiting;
	*next = deadline_in(RETRY_MS);
	while (*p) {
		struct store_durable_wait *w = *p;
		bool ok = w->ticket <= g->synced;
		if (ok || deadline_passed(&w->until)) {
			w->ok = ok;
			*p = w->next;
			w->next = settled;
			settled = w;
			continue;
		}
		if (w->until.tv_sec < next->tv_sec ||
		    (w->until.tv_sec == next->tv_sec && w->until.tv_nsec < next->tv_nsec))
			*next = w->until;
		p = &w->next;
	}
	return settled;
}

static void sqlite_thread_done(struct store *s);

/*
 * The syncer thread: leads a sync whenever a commit made under defer_begin is
 * not on disk yet (after a failed one, only while requests wait, every
 * RETRY_MS), and settles the waits. The callbacks run without the lock: they
 * take the HTTP layer's own.
 */
static void *syncer_main(void *arg)
{
	struct sqlite_store *s = arg;
	struct group_commit *g = &s->gc;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are for the main thread's sigwait */
	pthread_setname_np(pthread_self(), "hearth-sync");
	/*
	 * Its own connection, for the WAL's file handle: opened when first needed,
	 * by a deferred commit, which only a request makes (after root is dropped:
	 * see checkpointer_main).
	 */
	struct sq_db *c = NULL;
	bool failed = false;
	pthread_mutex_lock(&g->lock);
	for (;;) {
		struct timespec next;
		struct store_durable_wait *settled = settle(g, &next);
		if (settled) {
			pthread_mutex_unlock(&g->lock);
			while (settled) {
				struct store_durable_wait *w = settled;
				settled = w->next; /* read first: done() may free w */
				w->done(w->arg);
			}
			pthread_mutex_lock(&g->lock);
			continue;
		}
		if (g->syncer_stopping && !g->waiting)
			break;
		bool behind = g->deferred > g->synced;
		if (!behind)
			failed = false;
		/* After a failed sync, the next waits for a request to need it. */
		if (behind && (g->waiting || !failed) && !g->syncing) {
			if (!c) {
				pthread_mutex_unlock(&g->lock);
				c = (struct sq_db *)db_of(&s->base);
				pthread_mutex_lock(&g->lock);
				if (c)
					continue; /* the state may have moved meanwhile */
			}
			failed = !c || !lead_sync(c, g);
			if (!failed)
				continue;
		}
		if (g->waiting) /* for a sync, or until the next retry or deadline */
			pthread_cond_timedwait(&g->done, &g->lock, &next);
		else
			pthread_cond_wait(&g->done, &g->lock);
	}
	pthread_mutex_unlock(&g->lock);
	sqlite_thread_done(&s->base);
	return NULL;
}

/*
 * Takes the store's write lock (waiting as long as the busy timeout); false
 * when it timed out. Held from BEGIN to the end of the transaction only.
 */
static bool write_enter(struct sqlite_store *s)
{
	struct timespec until = deadline_in(db_busy_timeout_ms());
	if (pthread_mutex_timedlock(&s->write_lock, &until) == 0)
		return true;
	db_log_error("sqlite", "write_lock", "timeout");
	return false;
}

static void write_leave(struct sqlite_store *s)
{
	pthread_mutex_unlock(&s->write_lock);
}

/* ---- statements ---- */

static struct db_stmt *sq_prepare(struct db *d, const struct db_query *q)
{
	struct sq_db *c = (struct sq_db *)d;
	struct sq_stmt *st = xcalloc(1, sizeof *st);
	if (sqlite3_prepare_v3(c->db, q->sql, -1, SQLITE_PREPARE_PERSISTENT, &st->stmt, NULL) != SQLITE_OK) {
		log_rc(c->db, q->name);
		sqlite3_finalize(st->stmt);
		free(st);
		return NULL;
	}
	st->base.nparams = sqlite3_bind_parameter_count(st->stmt);
	return &st->base;
}

static void bind_all(struct sq_stmt *st)
{
	for (int i = 1; i <= st->base.nparams; i++) {
		const struct db_param *p = &st->base.params[i];
		if (p->type == DB_UNBOUND || p->null)
			sqlite3_bind_null(st->stmt, i);
		else if (p->type == DB_TEXT)
			sqlite3_bind_text(st->stmt, i, p->s, -1, SQLITE_STATIC);
		else if (p->type == DB_DOUBLE)
			sqlite3_bind_double(st->stmt, i, p->f); /* NaN binds as NULL */
		else
			sqlite3_bind_int64(st->stmt, i, p->i);
	}
}

/* Ends a write's own transaction: commits when r is STORE_NOT_FOUND (it ran to its end), else rolls back. */
static enum store_status own_tx_end(struct sq_stmt *st, enum store_status r)
{
	st->own_tx = false;
	sqlite3_reset(st->stmt);
	enum store_status end = db_tx_end(st->base.db, r == STORE_NOT_FOUND ? STORE_OK : r);
	return end == STORE_OK ? r : end;
}

static enum store_status sq_step(struct db_stmt *base)
{
	struct sq_stmt *st = (struct sq_stmt *)base;
	struct sq_db *c = (struct sq_db *)base->db;
	if (!base->started) {
		bind_all(st);
		if (!sqlite3_stmt_readonly(st->stmt) && base->db->depth == 0) {
			enum store_status r = db_tx_begin(base->db);
			if (r != STORE_OK)
				return r;
			st->own_tx = true;
		}
	}
	int rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	enum store_status r = rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
	if (rc == SQLITE_DONE)
		base->changes = sqlite3_stmt_readonly(st->stmt) ? 0 : sqlite3_changes64(c->db);
	else if (r != STORE_CONFLICT) /* a conflict is the caller's to judge */
		log_rc(c->db, base->q->name);
	return st->own_tx ? own_tx_end(st, r) : r;
}

static void sq_reset(struct db_stmt *base)
{
	struct sq_stmt *st = (struct sq_stmt *)base;
	if (st->own_tx) {
		enum store_status r = own_tx_end(st, STORE_NOT_FOUND);
		(void)r; /* the caller stopped reading; a failed commit is logged */
	}
	sqlite3_reset(st->stmt); /* the next run binds every parameter again */
}

static void sq_finalize(struct db_stmt *base)
{
	struct sq_stmt *st = (struct sq_stmt *)base;
	sqlite3_finalize(st->stmt);
	free(st);
}

static int64_t sq_col_int(const struct db_stmt *base, int col)
{
	return sqlite3_column_int64(((const struct sq_stmt *)base)->stmt, col);
}

static double sq_col_double(const struct db_stmt *base, int col)
{
	return sqlite3_column_double(((const struct sq_stmt *)base)->stmt, col);
}

static const char *sq_col_text(const struct db_stmt *base, int col, size_t *len)
{
	sqlite3_stmt *stmt = ((const struct sq_stmt *)base)->stmt;
	const unsigned char *t = sqlite3_column_text(stmt, col);
	*len = t ? (size_t)sqlite3_column_bytes(stmt, col) : 0;
	return (const char *)t;
}

/* ---- transactions ---- */

static enum store_status sq_exec_sql(struct db *d, const char *sql, const char *what)
{
	struct sq_db *c = (struct sq_db *)d;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		log_rc(c->db, what);
	return map_rc(rc);
}

/*
 * Cached as any other statement: SQLite counts them read-only, so they run as
 * they are. BEGIN IMMEDIATE is not (it takes the write lock at once), so it
 * goes through sq_exec_sql, at the cost of parsing it (under a microsecond).
 */
DB_QUERY(Q_COMMIT, "COMMIT");
DB_QUERY(Q_ROLLBACK, "ROLLBACK");

static enum store_status sq_begin(struct db *d)
{
	struct sqlite_store *s = (struct sqlite_store *)d->store;
	if (!write_enter(s))
		return STORE_BUSY;
	enum store_status r = sq_exec_sql(d, "BEGIN IMMEDIATE", "begin");
	if (r != STORE_OK)
		write_leave(s);
	return r;
}

static enum store_status sq_end(struct db *d, enum store_status r)
{
	struct sqlite_store *s = (struct sqlite_store *)d->store;
	if (r == STORE_OK) {
		r = db_write(d, &Q_COMMIT, NULL, 0);
		if (r == STORE_OK) {
			write_leave(s);
			if (deferring.on) {
				deferred_commit(&s->gc);
				return STORE_OK; /* on disk later: sqlite_when_durable */
			}
			return durable_barrier((struct sq_db *)d);
		}
	}
	if (!sqlite3_get_autocommit(((struct sq_db *)d)->db)) {
		enum store_status rb = db_write(d, &Q_ROLLBACK, NULL, 0);
		(void)rb; /* a failed rollback is logged; SQLite rolls back on close anyway */
	}
	write_leave(s);
	return r;
}

/* Writers already exclude each other: the space is only looked up. */
DB_QUERY(Q_LOCK_SPACE_SQLITE, "SELECT id FROM spaces WHERE id = ?1");

static const struct db_driver sqlite_driver = {
    .prepare = sq_prepare,
    .step = sq_step,
    .reset = sq_reset,
    .finalize = sq_finalize,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .begin = sq_begin,
    .end = sq_end,
    .again = NULL, /* writers are serialized: nothing to retry */
    .exec_sql = sq_exec_sql,
    .lock_space = &Q_LOCK_SPACE_SQLITE,
    .close = sq_close,
};

/* ---- the store's lifecycle ---- */

static void sqlite_thread_done(struct store *s)
{
	db_pool_thread_done(&((struct sqlite_store *)s)->pool);
}

static void sqlite_close(struct store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	if (ss->gc.syncer_running) { /* settles what waits, then ends */
		pthread_mutex_lock(&ss->gc.lock);
		ss->gc.syncer_stopping = true;
		pthread_cond_broadcast(&ss->gc.done);
		pthread_mutex_unlock(&ss->gc.lock);
		pthread_join(ss->gc.syncer, NULL);
		ss->gc.syncer_running = false;
	}
	if (ss->checkpointer_running) {
		pthread_mutex_lock(&ss->stop_lock);
		ss->stopping = true;
		pthread_cond_signal(&ss->stop_cond);
		pthread_mutex_unlock(&ss->stop_lock);
		pthread_join(ss->checkpointer, NULL);
	}
	pthread_mutex_destroy(&ss->stop_lock);
	pthread_cond_destroy(&ss->stop_cond);
	db_pool_cleanup(&ss->pool);
	pthread_mutex_destroy(&ss->gc.lock);
	pthread_mutex_destroy(&ss->write_lock);
	pthread_cond_destroy(&ss->gc.done);
	free(ss->path);
	free(ss);
}

int64_t store_test_wal_syncs(void)
{
	return faultvfs_wal_syncs();
}

/* One read transaction copies the whole database (see backup.c). */
static enum store_status sqlite_backup(struct store *s, const char *path)
{
	struct sq_db *c = (struct sq_db *)db_of(s);
	return c ? sqlite_backup_copy(c->db, path) : STORE_BUSY;
}

DB_QUERY(Q_INTEGRITY_CHECK, "PRAGMA integrity_check");
DB_QUERY(Q_FOREIGN_KEY_CHECK, "PRAGMA foreign_key_check");

static enum store_status sqlite_check(struct store *s, bool *ok, char *detail, size_t detail_len)
{
	*ok = false;
	snprintf(detail, detail_len, "no answer");
	struct db *d = db_of(s);
	struct db_stmt *st = db_prepare_args(d, &Q_INTEGRITY_CHECK, NULL, 0);
	if (!st)
		return d ? STORE_ERROR : STORE_BUSY;
	enum store_status r = db_step(st);
	if (r == STORE_OK)
		db_col_copy(st, 0, detail, detail_len); /* "ok", or the first problem */
	db_done(st);
	if (r != STORE_OK)
		return r == STORE_NOT_FOUND ? STORE_OK : r;
	*ok = strcmp(detail, "ok") == 0;
	r = *ok ? db_get(db_of(s), &Q_FOREIGN_KEY_CHECK, NULL, NULL, NULL, NULL, 0) : STORE_NOT_FOUND;
	if (r == STORE_OK) {
		*ok = false;
		snprintf(detail, detail_len, "foreign key violation");
	}
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

static enum store_status sqlite_batch_end(struct store *s, bool commit)
{
	enum store_status r = db_batch_end(s, commit);
	struct db *d = sqlite_connection(s);
	if (d) {
		enum store_status ck = sq_exec_sql(d, "PRAGMA wal_checkpoint(PASSIVE)", "batch_end");
		(void)ck; /* a later checkpoint catches up */
	}
	return r;
}

/*
 * store->scrub: a TRUNCATE checkpoint copies every frame of the WAL into the
 * database and cuts the WAL to nothing, so the pages a deletion replaced
 * (secure_delete has zeroed the rows in the new ones) are left in no file.
 * It waits for writers and readers of older snapshots (the busy timeout);
 * this process's writers queue on the write lock meanwhile.
 */
static enum store_status sqlite_scrub(struct store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	struct sq_db *c = (struct sq_db *)db_of(s);
	if (!c || !write_enter(ss))
		return STORE_BUSY;
	int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	write_leave(ss);
	if (rc != SQLITE_OK)
		log_rc(c->db, "scrub");
	return map_rc(rc);
}

/*
 * The checkpointer thread: every 250 ms it copies committed WAL frames into the
 * database (PASSIVE: it never blocks readers or writers), so no request pays
 * for a checkpoint and the WAL stays small.
 *
 * It opens its connection at once, while store_sqlite_open waits: a server
 * started as root hands the data directory to its service user later
 * (privileges_drop), and a connection opened as root during that hand-over
 * gives the WAL back to root (SQLite, running as root, makes a WAL's owner
 * the database file's, from a stat that can predate the hand-over). Every
 * other thread that opens a connection starts after it (main.c, cmd_serve).
 */
static void *checkpointer_main(void *arg)
{
	struct sqlite_store *s = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are for the main thread's sigwait */
	pthread_setname_np(pthread_self(), "hearth-ckpt");
	if (!db_of(&s->base)) {
		/* logged; each tick tries again */
	}
	pthread_mutex_lock(&s->stop_lock);
	s->checkpointer_ready = true;
	pthread_cond_broadcast(&s->stop_cond);
	while (!s->stopping) {
		struct timespec until = deadline_in(250);
		pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &until);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->stop_lock);
		struct sq_db *c = (struct sq_db *)db_of(&s->base);
		pthread_mutex_lock(&s->gc.lock);
		bool recover = s->gc.in_doubt && !s->gc.syncing;
		if (c && recover) /* heal without waiting for the next write */
			(void)lead_sync(c, &s->gc);
		pthread_mutex_unlock(&s->gc.lock);
		if (c && !recover) {
			int log = 0, done = 0;
			int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
			if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
				log_rc(c->db, "checkpoint");
				wal_doubt(s);
			}
		}
		pthread_mutex_lock(&s->stop_lock);
	}
	pthread_mutex_unlock(&s->stop_lock);
	sqlite_thread_done(&s->base);
	return NULL;
}

/*
 * SQLite's own log, for a system call that failed: its message names the
 * call, the file and the errno ("os_unix.c:N: (13) open(PATH) - "), which the
 * result code alone does not. Its other messages stay out: they can quote a
 * statement, and a failed operation already says which it was (db_log_error).
 */
static void sqlite_log(void *arg, int code, const char *msg)
{
	(void)arg;
	if (strncmp(msg, "os_unix.c:", 10) != 0)
		return;
	struct buf b;
	buf_init(&b, 8192);
	if (jsonw_str(&b, msg) == 0)
		fprintf(
		    stderr,
		    "{\"level\":\"error\",\"store\":\"sqlite\",\"op\":\"syscall\",\"code\":\"%d\",\"message\":%s}\n",
		    code, b.data);
	buf_cleanup(&b);
}

void store_sqlite_log_syscalls(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_LOG, sqlite_log, NULL); /* fails harmlessly once SQLite is initialized */
}

struct store *store_sqlite_open(const char *data_dir, char *err, size_t err_len)
{
	if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, err_len, "cannot create data directory %s: %s", data_dir, strerror(errno));
		return NULL;
	}
	/*
	 * SQLite's memory statistics take one process-wide mutex around every
	 * allocation of every connection: with a connection per worker thread that
	 * lock was the hottest in a read's profile. hearth never reads them. Only
	 * possible before SQLite initializes (later calls fail harmlessly).
	 */
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (faultvfs_install_from_env() < 0) {
		snprintf(err, err_len, "cannot install the fault-injection VFS");
		return NULL;
	}
	struct sqlite_store *s = xcalloc(1, sizeof *s);
	s->path = xasprintf("%s/hearth.db", data_dir);
	db_pool_init(&s->pool);
	pthread_mutex_init(&s->gc.lock, NULL);
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_mutex_init(&s->stop_lock, NULL);
	pthread_cond_init(&s->stop_cond, NULL);
	pthread_cond_init(&s->gc.done, NULL);
	s->base = (struct store){
	    .name = "sqlite",
	    .connection = sqlite_connection,
	    .migrate = db_migrate,
	    .thread_done = sqlite_thread_done,
	    .close = sqlite_close,
	    .ping = db_ping,
	    .backup = sqlite_backup,
	    .check = sqlite_check,
	    .batch_begin = db_batch_begin,
	    .batch_end = sqlite_batch_end,
	    .scrub = sqlite_scrub,
	    .defer_begin = sqlite_defer_begin,
	    .defer_end = sqlite_defer_end,
	    .when_durable = sqlite_when_durable,
	};
	store_features_init(&s->base);
	if (!db_of(&s->base)) {
		snprintf(err, err_len, "cannot open database %s", s->path);
		sqlite_close(&s->base);
		return NULL;
	}
	s->checkpointer_running = pthread_create(&s->checkpointer, NULL, checkpointer_main, s) == 0;
	pthread_mutex_lock(&s->stop_lock);
	while (s->checkpointer_running && !s->checkpointer_ready)
		pthread_cond_wait(&s->stop_cond, &s->stop_lock);
	pthread_mutex_unlock(&s->stop_lock);
	s->gc.syncer_running = pthread_create(&s->gc.syncer, NULL, syncer_main, s) == 0;
	return &s->base;
}
