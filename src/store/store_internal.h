/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store_internal.h - what the store's feature files (src/store/<feature>.c)
 * and its two drivers (src/store/sqlite/driver.c, src/store/postgres/driver.c)
 * share. Not for use outside src/store/.
 *
 * Feature files need only the first part: their init function, called by
 * store_features_init() when a store is opened, typed parameters written as
 * values (DB_ARGS) and the helpers that run a statement in one call. The
 * second part is the drivers' side of db.h: db.c keeps what is the same for
 * both databases (binding, the statement cache, the connection pool,
 * transactions, savepoints, batches, migrations, error counting) and calls a
 * driver through struct db_driver for the rest.
 */
#ifndef HEARTH_STORE_INTERNAL_H
#define HEARTH_STORE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "store.h"

/* ---- feature files ---- */

/*
 * Writing a statement for both databases (db.h):
 * - PostgreSQL types each ?N from its bind (int8, float8, text); a boolean
 *   goes untyped as 1/0 and takes the type its first use needs (boolean, or
 *   the 0/1 SMALLINT columns), so do not use one boolean ?N in both roles. A
 *   ?N neither bound nor used in the SQL cannot be typed: number them without
 *   gaps.
 * - COLLATE "C" works on both (SQLite gets a bytewise "C" collation).
 * - Inside tx_run, a failed statement aborts the whole transaction on
 *   PostgreSQL: return its status rather than carry on (use ON CONFLICT ...
 *   DO NOTHING where a conflict is expected).
 */

/* Each feature file fills its part of the function table. */
void store_account_init(struct store *s);
void store_space_init(struct store *s);
void store_keyring_init(struct store *s);
void store_checkin_init(struct store *s);
void store_repair_init(struct store *s);
void store_prompt_init(struct store *s);
void store_safety_init(struct store *s);
void store_agreement_init(struct store *s);
void store_questionnaire_init(struct store *s);
void store_trends_init(struct store *s);
void store_therapist_init(struct store *s);
void store_article_init(struct store *s);
void store_upgrade_init(struct store *s);

/* Calls every feature's init (db.c); the drivers call it when they open a store. */
void store_features_init(struct store *s);

enum db_type { DB_UNBOUND, DB_TEXT, DB_INT, DB_DOUBLE, DB_BOOL };

/* A bound parameter, as db_bind_*() keep it until the statement runs. */
struct db_param {
	enum db_type type;
	bool null;
	int64_t i;     /* DB_INT, DB_BOOL */
	double f;      /* DB_DOUBLE */
	const char *s; /* DB_TEXT: the caller's text, valid until db_done() */
};

/*
 * Parameters written as values, bound in order as ?1, ?2, ... by the
 * helpers that take DB_ARGS(...): DB_ARGS(db_text(id), db_int(now)). They
 * mean what the db_bind_*() of the same name mean (db_text(NULL) is NULL).
 */
static inline struct db_param db_text(const char *v)
{
	return (struct db_param){.type = DB_TEXT, .null = !v, .s = v};
}

static inline struct db_param db_int(int64_t v)
{
	return (struct db_param){.type = DB_INT, .i = v};
}

static inline struct db_param db_bool(bool v)
{
	return (struct db_param){.type = DB_BOOL, .i = v ? 1 : 0};
}

static inline struct db_param db_double(double v)
{
	return (struct db_param){.type = DB_DOUBLE, .f = v};
}

static inline struct db_param db_int_or_null(int64_t v, bool is_null)
{
	return (struct db_param){.type = DB_INT, .null = is_null, .i = v};
}

/* The array and the count of the parameters given, as the two arguments the helpers below take. */
#define DB_ARGS(...)                                                                                                   \
	((const struct db_param[]){__VA_ARGS__}),                                                                      \
	    (int)(sizeof((const struct db_param[]){__VA_ARGS__}) / sizeof(struct db_param))

/* db_prepare() with the n parameters in args bound; NULL on failure (logged). */
struct db_stmt *db_prepare_args(struct db *d, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));

/*
 * The same on this thread's connection: NULL with *r set to STORE_BUSY (no
 * connection) or STORE_ERROR; *r is STORE_OK when a statement is returned.
 */
struct db_stmt *store_prepare(struct store *s, const struct db_query *q, enum store_status *r,
                              const struct db_param *args, int n) __attribute__((warn_unused_result));

/* Runs q with args, without rows (db_run), on d or on this thread's connection. */
enum store_status db_write(struct db *d, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));
enum store_status store_write(struct store *s, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));

/* As db_write() and store_write(), but STORE_NOT_FOUND when no row changed (no such row, or not the owner's). */
enum store_status db_change(struct db *d, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));
enum store_status store_change(struct store *s, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));

/* Reads the current row of st into item (a struct of the caller's type). */
typedef void (*db_read_fn)(const struct db_stmt *st, struct arena *a, void *item);

/*
 * Steps st once and reads its row with read into item (read NULL: only
 * whether there is a row), then db_done(st): STORE_OK, STORE_NOT_FOUND when
 * there is no row, or the failure (STORE_ERROR when st is NULL: preparing it
 * failed).
 */
enum store_status db_row(struct db_stmt *st, struct arena *a, db_read_fn read, void *item)
    __attribute__((warn_unused_result));

/* One row of q with args on this thread's connection, read as db_row() reads it. */
enum store_status store_get(struct store *s, const struct db_query *q, struct arena *a, db_read_fn read, void *item,
                            const struct db_param *args, int n) __attribute__((warn_unused_result));

/* Readers of column 0: an id into a char[ID_LEN + 1], a number into an int64_t. */
void db_read_id(const struct db_stmt *st, struct arena *a, void *item);
void db_read_int(const struct db_stmt *st, struct arena *a, void *item);

/*
 * Steps st to its end, or to max rows, reading each row with read into an
 * arena array of zeroed items of `size` bytes; then db_done(st). Returns the
 * array (never NULL, one item at least, so a caller may always index it)
 * with *count rows; *r is STORE_OK or the failure. st NULL (store_prepare
 * failed) gives an empty array and leaves *r as it is.
 */
void *db_rows(struct db_stmt *st, struct arena *a, size_t size, int max, db_read_fn read, int *count,
              enum store_status *r);

/* The columns of a check-in row, as checkin.c and therapist.c list them, and their reader. */
#define CHECKIN_COLUMNS                                                                                                \
	"space_id, id, author_id, created_at, updated_at, mood, connection, secure, appreciation, need, worry,"        \
	" visibility"
void store_checkin_read(const struct db_stmt *st, struct arena *a, void *item);

/* ---- the drivers ---- */

/* Highest parameter number a statement may use (?1 .. ?DB_MAX_PARAMS). */
#define DB_MAX_PARAMS 32
/* Statement cache per connection: open addressing, at most 3/4 full. */
#define DB_CACHE_SLOTS 1024

/* The part of a statement db.c knows; a driver's statement starts with it. */
struct db_stmt {
	struct db *db;
	const struct db_query *q;
	int nparams;             /* highest parameter number in the SQL */
	struct db_param *params; /* [1 .. nparams]; [0] unused */
	bool bad;                /* a bind out of range: the next step fails */
	bool started;            /* run since the last db_done() */
	bool in_use;             /* handed out by db_prepare(), not yet done */
	int64_t changes;
};

/* What each driver implements; see src/store/sqlite/driver.c for the contract of each. */
struct db_driver {
	/* A new statement for q (st->nparams set, checked against DB_MAX_PARAMS by db.c), or NULL (logged). */
	struct db_stmt *(*prepare)(struct db *d, const struct db_query *q);
	/* First call: binds st->params and runs; then moves to the next row. As db_step(). */
	enum store_status (*step)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);
	void (*finalize)(struct db_stmt *st);
	bool (*col_null)(const struct db_stmt *st, int col);
	int64_t (*col_int)(const struct db_stmt *st, int col);
	double (*col_double)(const struct db_stmt *st, int col);
	bool (*col_bool)(const struct db_stmt *st, int col);
	/* The column's text and its length in bytes; NULL for SQL NULL. */
	const char *(*col_text)(const struct db_stmt *st, int col, size_t *len);
	/* Opens and ends the outermost transaction (end: commit when r is STORE_OK, else roll back). */
	enum store_status (*begin)(struct db *d);
	enum store_status (*end)(struct db *d, enum store_status r);
	/* True when a transaction that ended with r should run again (NULL: never). */
	bool (*again)(struct db *d, enum store_status r, int attempt);
	/* Runs SQL the program wrote itself (savepoints, migrations), without parameters. */
	enum store_status (*exec_sql)(struct db *d, const char *sql, const char *what);
	/* SELECT ... of the space row, locking it where the database needs it (db_lock_space). */
	const struct db_query *lock_space;
	/* Closes the connection and frees it (its statements are finalized already). */
	void (*close)(struct db *d);
};

/* The part of a connection db.c knows; a driver's connection starts with it. */
struct db {
	const struct db_driver *drv;
	enum db_kind kind;
	struct store *store;
	int depth;     /* open transaction plus savepoints */
	bool in_batch; /* store->batch_begin: the outermost transaction is the batch's */
	int cached;
	struct db_stmt *cache[DB_CACHE_SLOTS];
	struct db *next; /* in the pool */
};

/* Sets up the common part of a new connection. */
void db_init(struct db *d, const struct db_driver *drv, enum db_kind kind, struct store *s);

/*
 * The connections of one store: each thread's own, opened on first use and
 * kept in the list, so that closing the store closes them all.
 */
struct db_pool {
	pthread_key_t key;
	pthread_mutex_t lock; /* guards all */
	struct db *all;
};

void db_pool_init(struct db_pool *p);
/* This thread's connection; NULL until db_pool_add() gave it one. */
struct db *db_pool_mine(struct db_pool *p);
/* Makes d, newly opened, this thread's connection. */
void db_pool_add(struct db_pool *p, struct db *d);
/* Closes this thread's connection, if it has one (store->thread_done). */
void db_pool_thread_done(struct db_pool *p);
/* Closes every connection, then the pool. */
void db_pool_cleanup(struct db_pool *p);

/* HEARTH_BUSY_TIMEOUT_MS (tests shorten it), else `fallback`: how long a writer waits for a lock. */
int db_busy_timeout_ms(int fallback);

/* Begins a transaction, or a savepoint inside one; db_tx_end commits or rolls back either. */
enum store_status db_tx_begin(struct db *d) __attribute__((warn_unused_result));
enum store_status db_tx_end(struct db *d, enum store_status r);

/* Batch mode for store->batch_begin/batch_end (see store.h). */
enum store_status db_batch_begin(struct store *s);
enum store_status db_batch_end(struct store *s, bool commit);

/*
 * Applies the migrations embedded as src/store/<store name>/migrations/001.sql,
 * 002.sql, ... in order (a number may be missing), each in its own
 * transaction, recording each version in schema_migrations; *version is the
 * highest one.
 */
enum store_status db_migrate(struct store *s, int *version);
/* store->ping: one trivial statement on this thread's connection. */
enum store_status db_ping(struct store *s);

/* Logs a failed store operation (one JSON line) and counts it for /metrics. */
void db_log_error(const char *backend, const char *what, const char *code);

#endif
