/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * db.c - the half of the driver (db.h) that is the same for SQLite and
 * PostgreSQL: typed bindings kept until the statement runs, the statement
 * cache of each connection (keyed by the address of a struct db_query), the
 * pool of per-thread connections, column helpers, the feature files'
 * one-call helpers, transactions and savepoints (tx_run, batches), embedded
 * migrations, and the one place where store errors are logged and counted.
 * What differs goes through struct db_driver (store_internal.h) to
 * src/store/sqlite/driver.c or src/store/postgres/driver.c.
 */
#include "db.h"

#include "store_internal.h"
#include "../util/embedded.h"
#include "../util/progress.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_uint_fast64_t errors_total;
static atomic_int connections_open;

/* ---- errors and counters ---- */

void db_log_error(const char *backend, const char *what, const char *code)
{
	atomic_fetch_add_explicit(&errors_total, 1, memory_order_relaxed);
	/* Codes only: the databases' messages may quote the values of a row. */
	fprintf(stderr, "{\"level\":\"error\",\"store\":\"%s\",\"op\":\"%s\",\"code\":\"%s\"}\n", backend, what, code);
}

uint64_t store_errors_total(void)
{
	return atomic_load(&errors_total);
}

int store_connections_open(void)
{
	return atomic_load(&connections_open);
}

const char *store_status_name(enum store_status st)
{
	static const char *const names[] = {"ok", "not_found", "conflict", "busy", "error"};
	return (size_t)st < ARRAY_LEN(names) ? names[st] : "error";
}

/* ---- connections and the statement cache ---- */

/* Finalizes every cached statement, then has the driver close the connection. */
static void db_close(struct db *d)
{
	for (int i = 0; i < DB_CACHE_SLOTS; i++) {
		struct db_stmt *st = d->cache[i];
		if (st) {
			free(st->params);
			d->drv->finalize(st);
		}
	}
	d->drv->close(d);
	atomic_fetch_add_explicit(&connections_open, -1, memory_order_relaxed);
}

void db_pool_init(struct db_pool *p)
{
	pthread_key_create(&p->key, NULL);
	pthread_mutex_init(&p->lock, NULL);
	p->all = NULL;
}

struct db *db_pool_mine(struct db_pool *p)
{
	return pthread_getspecific(p->key);
}

void db_pool_add(struct db_pool *p, struct db *d)
{
	atomic_fetch_add_explicit(&connections_open, 1, memory_order_relaxed);
	pthread_setspecific(p->key, d);
	pthread_mutex_lock(&p->lock);
	d->next = p->all;
	p->all = d;
	pthread_mutex_unlock(&p->lock);
}

void db_pool_thread_done(struct db_pool *p)
{
	struct db *d = pthread_getspecific(p->key);
	if (!d)
		return;
	pthread_setspecific(p->key, NULL);
	pthread_mutex_lock(&p->lock);
	for (struct db **at = &p->all; *at; at = &(*at)->next)
		if (*at == d) {
			*at = d->next;
			break;
		}
	pthread_mutex_unlock(&p->lock);
	db_close(d);
}

void db_pool_cleanup(struct db_pool *p)
{
	while (p->all) {
		struct db *d = p->all;
		p->all = d->next;
		db_close(d);
	}
	pthread_key_delete(p->key);
	pthread_mutex_destroy(&p->lock);
}

int db_busy_timeout_ms(void)
{
	const char *v = getenv("HEARTH_BUSY_TIMEOUT_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	return ms > 0 && ms <= 600000 ? (int)ms : 10000;
}

struct db *db_of(struct store *s)
{
	return s->connection(s);
}

enum db_kind db_kind(const struct db *d)
{
	return d->kind;
}

static size_t cache_slot(const struct db_query *q)
{
	uintptr_t h = (uintptr_t)q;
	h ^= h >> 17;
	h *= (uintptr_t)0x9e3779b97f4a7c15ULL;
	return (size_t)(h >> 7) & (DB_CACHE_SLOTS - 1);
}

struct db_stmt *db_prepare(struct db *d, const struct db_query *q)
{
	size_t i = cache_slot(q);
	while (d->cache[i] && d->cache[i]->q != q)
		i = (i + 1) & (DB_CACHE_SLOTS - 1);
	struct db_stmt *st = d->cache[i];
	if (!st) {
		if (d->cached >= DB_CACHE_SLOTS / 4 * 3) {
			db_log_error(d->store->name, q->name, "statement cache full");
			return NULL;
		}
		st = d->drv->prepare(d, q);
		if (st && st->nparams > DB_MAX_PARAMS) {
			db_log_error(d->store->name, q->name, "too many parameters");
			d->drv->finalize(st);
			st = NULL;
		}
		if (!st)
			return NULL;
		st->db = d;
		st->q = q;
		st->params = xcalloc((size_t)st->nparams + 1, sizeof *st->params);
		d->cache[i] = st;
		d->cached++;
	}
	if (st->in_use) {
		/* The same statement twice at once (a loop over its rows calling itself) would reset the first. */
		db_log_error(d->store->name, q->name, "statement in use");
		return NULL;
	}
	st->in_use = true;
	return st;
}

void db_bind(struct db_stmt *st, int i, struct db_param p)
{
	assert(!st->started);
	if (i < 1 || i > st->nparams)
		st->bad = true;
	else
		st->params[i] = p;
}

enum store_status db_step(struct db_stmt *st)
{
	if (st->bad) {
		db_log_error(st->db->store->name, st->q->name, "bad parameter number");
		return STORE_ERROR;
	}
	enum store_status r = st->db->drv->step(st);
	st->started = true;
	return r;
}

enum store_status db_exec(struct db_stmt *st)
{
	enum store_status r;
	while ((r = db_step(st)) == STORE_OK)
		;
	return r == STORE_NOT_FOUND ? STORE_OK : r;
}

enum store_status db_run(struct db_stmt *st)
{
	enum store_status r = db_exec(st);
	db_done(st);
	return r;
}

int64_t db_changes(const struct db_stmt *st)
{
	return st->changes;
}

void db_done(struct db_stmt *st)
{
	st->db->drv->reset(st);
	memset(st->params, 0, sizeof *st->params * ((size_t)st->nparams + 1));
	st->bad = false;
	st->started = false;
	st->in_use = false;
	st->changes = 0;
}

/* ---- the feature files' helpers (store_internal.h) ---- */

struct db_stmt *db_prepare_args(struct db *d, const struct db_query *q, const struct db_param *args, int n)
{
	struct db_stmt *st = d ? db_prepare(d, q) : NULL;
	for (int i = 0; st && i < n; i++)
		db_bind(st, i + 1, args[i]);
	return st;
}

/* Runs q with args on d; with must_change, no row changed is STORE_NOT_FOUND. */
static enum store_status run(struct db *d, const struct db_query *q, const struct db_param *args, int n,
                             bool must_change)
{
	struct db_stmt *st = db_prepare_args(d, q, args, n);
	if (!st)
		return d ? STORE_ERROR : STORE_BUSY;
	enum store_status r = db_exec(st);
	if (r == STORE_OK && must_change && db_changes(st) == 0)
		r = STORE_NOT_FOUND;
	db_done(st);
	return r;
}

enum store_status db_write(struct db *d, const struct db_query *q, const struct db_param *args, int n)
{
	return run(d, q, args, n, false);
}

enum store_status db_change(struct db *d, const struct db_query *q, const struct db_param *args, int n)
{
	return run(d, q, args, n, true);
}

enum store_status db_get(struct db *d, const struct db_query *q, struct arena *a, db_read_fn read, void *item,
                         const struct db_param *args, int n)
{
	struct db_stmt *st = db_prepare_args(d, q, args, n);
	if (!st)
		return d ? STORE_ERROR : STORE_BUSY;
	enum store_status r = db_step(st);
	if (r == STORE_OK && read)
		read(st, a, item);
	db_done(st);
	return r;
}

void db_read_id(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	db_col_copy(st, 0, item, ID_LEN + 1);
}

void db_read_int(const struct db_stmt *st, struct arena *a, void *item)
{
	(void)a;
	*(int64_t *)item = db_col_int(st, 0);
}

void *db_rows(struct db *d, const struct db_query *q, struct arena *a, size_t size, int max, db_read_fn read,
              int *count, enum store_status *r, const struct db_param *args, int n)
{
	int alloc = max > 0 && max < 16 ? max : 16;
	char *items = arena_alloc(a, size * (size_t)alloc);
	memset(items, 0, size);
	*count = 0;
	struct db_stmt *st = db_prepare_args(d, q, args, n);
	*r = !d ? STORE_BUSY : !st ? STORE_ERROR : STORE_OK;
	while (st && *count < max && (*r = db_step(st)) == STORE_OK) {
		if (*count == alloc) {
			/* Doubles up to max; the smaller arrays go with the arena. */
			int more = alloc > max / 2 ? max : alloc * 2;
			char *bigger = arena_alloc(a, size * (size_t)more);
			memcpy(bigger, items, size * (size_t)alloc);
			items = bigger;
			alloc = more;
		}
		memset(items + size * (size_t)*count, 0, size);
		read(st, a, items + size * (size_t)(*count)++);
	}
	if (*r == STORE_NOT_FOUND)
		*r = STORE_OK;
	if (st)
		db_done(st);
	return items;
}

/* ---- columns ---- */

bool db_col_null(const struct db_stmt *st, int col)
{
	size_t len;
	return st->db->drv->col_text(st, col, &len) == NULL;
}

int64_t db_col_int(const struct db_stmt *st, int col)
{
	return st->db->drv->col_int(st, col);
}

double db_col_double(const struct db_stmt *st, int col)
{
	return st->db->drv->col_double(st, col);
}

/* Read as text on both databases: a PostgreSQL boolean is "t" or "f", a 0/1 number column its digits. */
bool db_col_bool(const struct db_stmt *st, int col)
{
	size_t len;
	const char *v = st->db->drv->col_text(st, col, &len);
	return v && (v[0] == 't' || (v[0] != 'f' && strtoll(v, NULL, 10) != 0));
}

void db_col_copy(const struct db_stmt *st, int col, char *dst, size_t n)
{
	size_t len = 0;
	const char *v = st->db->drv->col_text(st, col, &len);
	if (!n)
		return;
	len = !v ? 0 : len < n - 1 ? len : n - 1;
	memcpy(dst, v ? v : "", len);
	dst[len] = '\0';
}

char *db_col_text(const struct db_stmt *st, int col, struct arena *a)
{
	size_t len = 0;
	const char *v = st->db->drv->col_text(st, col, &len);
	return v ? arena_strndup(a, v, len) : NULL;
}

/* ---- transactions ---- */

enum store_status db_tx_begin(struct db *d)
{
	enum store_status r = d->depth > 0 ? d->drv->exec_sql(d, "SAVEPOINT tx", "savepoint") : d->drv->begin(d);
	if (r == STORE_OK)
		d->depth++;
	return r;
}

enum store_status db_tx_end(struct db *d, enum store_status r)
{
	assert(d->depth > 0);
	d->depth--;
	if (d->depth == 0)
		return d->drv->end(d, r);
	if (r == STORE_OK)
		return d->drv->exec_sql(d, "RELEASE tx", "release");
	enum store_status rb = d->drv->exec_sql(d, "ROLLBACK TO tx; RELEASE tx", "rollback_to");
	(void)rb; /* the outer transaction's own end decides in the end */
	return r;
}

enum store_status tx_run(struct store *s, tx_fn fn, void *ctx)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	for (int attempt = 0;; attempt++) {
		bool outermost = d->depth == 0;
		enum store_status r = db_tx_begin(d);
		if (r == STORE_OK)
			r = db_tx_end(d, fn(d, ctx));
		/* Only a whole transaction runs again: a savepoint's failure belongs to its caller. */
		if (!outermost || !d->drv->again || !d->drv->again(d, r, attempt))
			return r;
	}
}

enum store_status db_lock_space(struct db *d, const char *space_id)
{
	return db_get(d, d->drv->lock_space, NULL, NULL, NULL, DB_ARGS(db_text(space_id)));
}

enum store_status db_batch_begin(struct store *s)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	if (d->depth > 0)
		return STORE_ERROR; /* a batch is the outermost transaction */
	enum store_status r = db_tx_begin(d);
	d->in_batch = r == STORE_OK;
	return r;
}

enum store_status db_batch_end(struct store *s, bool commit)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	if (!d->in_batch)
		return STORE_ERROR;
	d->in_batch = false;
	enum store_status r = db_tx_end(d, commit ? STORE_OK : STORE_ERROR);
	return commit ? r : STORE_OK;
}

/* ---- migrations ---- */

DB_QUERY(Q_MIGRATION_DONE, "SELECT 1 FROM schema_migrations WHERE version = ?1");
DB_QUERY(Q_MIGRATION_RECORD, "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)");

/* The highest migration number looked for (three digits in the file name). */
#define MIGRATIONS_MAX 999

struct migration {
	int version;
	const char *sql;
	bool applied; /* by this call, rather than before */
};

static enum store_status migrate_one(struct db *d, void *ctx)
{
	struct migration *m = ctx;
	m->applied = false;
	enum store_status r = db_get(d, &Q_MIGRATION_DONE, NULL, NULL, NULL, DB_ARGS(db_int(m->version)));
	if (r != STORE_NOT_FOUND)
		return r; /* STORE_OK: applied already */
	m->applied = true;
	r = d->drv->exec_sql(d, m->sql, "migrate");
	if (r != STORE_OK)
		return r;
	return db_write(d, &Q_MIGRATION_RECORD, DB_ARGS(db_int(m->version), db_int(now_ms())));
}

enum store_status db_ping(struct store *s)
{
	struct db *d = db_of(s);
	return d ? d->drv->exec_sql(d, "SELECT 1", "ping") : STORE_BUSY;
}

/* The embedded migration file `version` of this store's backend, or NULL past the last. */
static const struct embedded_file *migration_file(const struct store *s, int version)
{
	char name[64];
	snprintf(name, sizeof name, "src/store/%s/migrations/%03d.sql", s->name, version);
	return embedded_find(name);
}

/* The migrations not applied yet (the table exists). */
static enum store_status migrations_pending(struct db *d, const struct store *s, int *pending)
{
	*pending = 0;
	for (int v = 1; v <= MIGRATIONS_MAX; v++) {
		if (!migration_file(s, v))
			continue;
		enum store_status r = db_get(d, &Q_MIGRATION_DONE, NULL, NULL, NULL, DB_ARGS(db_int(v)));
		if (r == STORE_NOT_FOUND)
			(*pending)++;
		else if (r != STORE_OK)
			return r;
	}
	return STORE_OK;
}

/* Migrations that take longer than this say so on stderr even when it is not a terminal. */
#define MIGRATE_LONG_MS 1000

enum store_status db_migrate(struct store *s, int *version)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	enum store_status r = d->drv->exec_sql(d,
	                                       "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                                       " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
	                                       "migrate");
	int pending = 0;
	if (r == STORE_OK && s->migrate_progress)
		r = migrations_pending(d, s, &pending);
	struct progress progress;
	if (pending)
		progress_start(&progress, "migrate: migrations", (uint64_t)pending);
	int applied = 0;
	/*
	 * A number may be missing: migrations are numbered when work on them
	 * starts, and work started in parallel lands in any order. Each one is
	 * applied once, whenever it first arrives (its own record says so).
	 */
	for (int v = 1; r == STORE_OK && v <= MIGRATIONS_MAX; v++) {
		const struct embedded_file *f = migration_file(s, v);
		if (!f)
			continue;
		struct migration m = {v, (const char *)f->data, false};
		r = tx_run(s, migrate_one, &m);
		if (r == STORE_OK)
			*version = v;
		if (r == STORE_OK && m.applied && pending)
			progress_step(&progress, (uint64_t)++applied);
	}
	if (pending)
		progress_end_if_long(&progress, MIGRATE_LONG_MS);
	return r;
}
