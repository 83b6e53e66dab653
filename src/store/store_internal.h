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
void store_flash_init(struct store *s);
void store_repair_init(struct store *s);
void store_prompt_init(struct store *s);
void store_safety_init(struct store *s);
void store_agreement_init(struct store *s);
void store_questionnaire_init(struct store *s);
void store_trends_init(struct store *s);
void store_therapist_init(struct store *s);
void store_article_init(struct store *s);
void store_invite_init(struct store *s);  /* issue 10, part D */
void store_profile_init(struct store *s); /* issue 12 */
void store_two_step_init(struct store *s);
void store_session_init(struct store *s);
void store_throttle_init(struct store *s);
void store_upgrade_init(struct store *s);
void store_cycle_init(struct store *s); /* issue 14 */
void store_therapy_session_init(struct store *s);
/* issue 13: the list for the next session */
void store_bridge_init(struct store *s);
void store_home_init(struct store *s);         /* issue 11 */
void store_repair_after_init(struct store *s); /* issue 14 */
void store_break_init(struct store *s);        /* issue 14 */
void store_reminder_init(struct store *s);     /* issue 15 */
void store_email_init(struct store *s);        /* issue 15 */
void store_notice_init(struct store *s);       /* issue 15: quiet hours, notices */
void store_push_init(struct store *s);         /* issue 15: web push */
/* issue 13: homework */
void store_homework_init(struct store *s);

/* Calls every feature's init (db.c); the drivers call it when they open a store. */
void store_features_init(struct store *s);

/* The array and the count of the parameters given, as the two arguments the helpers below take. */
#define DB_ARGS(...)                                                                                                   \
	((const struct db_param[]){__VA_ARGS__}),                                                                      \
	    (int)(sizeof((const struct db_param[]){__VA_ARGS__}) / sizeof(struct db_param))

/*
 * The helpers take d, this thread's connection (db_of(s), or a tx_fn's d),
 * and answer STORE_BUSY when it is NULL (no connection could be had).
 */

/* db_prepare() with the n parameters in args bound; NULL when d is NULL or on failure (logged). */
struct db_stmt *db_prepare_args(struct db *d, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));

/* Runs q with args, without rows (db_run). */
enum store_status db_write(struct db *d, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));
/* As db_write(), but STORE_NOT_FOUND when no row changed (no such row, or not the owner's). */
enum store_status db_change(struct db *d, const struct db_query *q, const struct db_param *args, int n)
    __attribute__((warn_unused_result));

/* Reads the current row of st into item (a struct of the caller's type). */
typedef void (*db_read_fn)(const struct db_stmt *st, struct arena *a, void *item);

/*
 * Runs q with args and reads its first row with read into item (read NULL:
 * only whether there is one): STORE_OK, STORE_NOT_FOUND, or the failure.
 */
enum store_status db_get(struct db *d, const struct db_query *q, struct arena *a, db_read_fn read, void *item,
                         const struct db_param *args, int n) __attribute__((warn_unused_result));

/* Readers of column 0: an id into a char[ID_LEN + 1], a number into an int64_t. */
void db_read_id(const struct db_stmt *st, struct arena *a, void *item);
void db_read_int(const struct db_stmt *st, struct arena *a, void *item);

/*
 * Runs q with args and reads its rows, up to max, with read into an arena
 * array of zeroed items of `size` bytes. Returns the array (never NULL, one
 * item at least, so a caller may always index it) with *count rows; *r is
 * STORE_OK or the failure.
 */
void *db_rows(struct db *d, const struct db_query *q, struct arena *a, size_t size, int max, db_read_fn read,
              int *count, enum store_status *r, const struct db_param *args, int n);

/* The columns of a check-in row, as checkin.c and therapist.c list them, and their reader. */
#define CHECKIN_COLUMNS                                                                                                \
	"space_id, id, author_id, created_at, updated_at, scales, appreciation, need, worry, visibility, "             \
	"item_visibility"
void store_checkin_read(const struct db_stmt *st, struct arena *a, void *item);

/*
 * Full-text search of articles is the one part of the article store that
 * differs per backend: SQLite's FTS5 table ranked by bm25 (sqlite/search.c),
 * PostgreSQL's generated tsvector ranked by ts_rank (postgres/search.c).
 * article.c splits what a person typed into terms, the same way for both;
 * each backend writes them in its own query syntax as quoted prefix terms
 * that must all match. A term holds only ASCII letters and digits and
 * non-ASCII characters (no quote, backslash or operator), so nothing typed
 * can become query syntax. ARTICLE_COLUMNS are the columns of every article
 * row, in the order article.c reads them ("a" is articles).
 */
#define ARTICLE_COLUMNS                                                                                                \
	"a.id, a.slug, a.author_id, a.title, a.body, a.summary, a.status, COALESCE(a.published_at, 0), a.created_at,"  \
	" a.updated_at, a.views, (SELECT count(*) FROM article_comments k WHERE k.article_id = a.id"                   \
	" AND k.status = 'published'), a.language"

/*
 * How one backend searches: `query` takes the match text as ?1, author_id as
 * ?2 (their drafts are found too, others' are not) and the row limit as ?3,
 * and gives rows of ARTICLE_COLUMNS whose title or body holds every term (as
 * a word or a word's beginning, case folded), best first: a title match
 * counts five times a body match; equal ranks newest first, drafts last,
 * then by id. The match text is each term between term_open and term_close,
 * joined by `join`.
 */
struct search_dialect {
	const struct db_query *query;
	const char *term_open, *term_close, *join;
};

extern const struct search_dialect search_sqlite;   /* sqlite/search.c */
extern const struct search_dialect search_postgres; /* postgres/search.c */

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
	int64_t (*col_int)(const struct db_stmt *st, int col);
	double (*col_double)(const struct db_stmt *st, int col);
	/* The column's text and its length in bytes; NULL for SQL NULL (db_col_null and db_col_bool read it too). */
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

/* How long a writer waits for a lock: 10 s, or HEARTH_BUSY_TIMEOUT_MS (tests shorten it). */
int db_busy_timeout_ms(void);

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
