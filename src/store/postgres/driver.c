/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres/driver.c - the PostgreSQL (libpq) driver under db.h, and the
 * PostgreSQL store's lifecycle (open, migrate, ping, close).
 *
 * The database is named by a libpq URL (postgresql://user@host:port/db). Each
 * worker thread gets its own connection (thread-local), opened lazily. A
 * statement's ?N placeholders become $N once (quoted text left alone), and it
 * is prepared on its first run with the types of the values bound then
 * (int8, float8, text), so the SQL needs no casts; a later run that binds
 * other types prepares it again. Booleans go untyped as 1 or 0, which
 * PostgreSQL reads as boolean or as a number (the 0/1 SMALLINT columns)
 * from the context. Values travel as text. A connection found broken is
 * reset once and the statement retried once, unless it was inside a
 * transaction (then the caller gets STORE_BUSY).
 *
 * Transactions run at READ COMMITTED; rules that read then write lock the
 * rows they depend on (db_lock_space). The rare serialization or deadlock
 * failure (40001, 40P01) makes tx_run() run the whole transaction again, up
 * to TX_ATTEMPTS times.
 */
#include "../store_internal.h"
#include "postgres.h"

#include <libpq-fe.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#define TX_ATTEMPTS 5
/* Key of the advisory lock held while migrating ("hearth" in ASCII). */
#define MIGRATE_LOCK_KEY "104101097114116104"

#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

struct pq_db {
	struct db base; /* must be first */
	PGconn *pg;
	unsigned epoch;   /* counts reconnects: statements prepared before one are gone */
	unsigned names;   /* prepared statement names handed out on this connection */
	char sqlstate[6]; /* of the last failed statement; "" when it succeeded */
};

struct pq_stmt {
	struct db_stmt base; /* must be first */
	char *sql;           /* with $N placeholders */
	char name[16];
	bool prepared;
	unsigned epoch;      /* of the connection when prepared */
	Oid *types;          /* [nparams]: the types it was prepared with */
	Oid *want;           /* [nparams]: the types of this run (in the same allocation) */
	const char **values; /* [nparams] */
	char (*num)[32];     /* [nparams]: numbers formatted for values */
	PGresult *res;
	int row;
};

struct pg_store {
	struct store base;
	char *url;
	struct db_pool pool;
};

static const struct db_driver postgres_driver;

/* ---- status mapping ---- */

static bool state_is(const char *state, const char *code)
{
	return strcmp(state, code) == 0;
}

/* 40001 serialization failure, 40P01 deadlock: the transaction may simply be run again. */
static bool state_retryable(const char *state)
{
	return state_is(state, "40001") || state_is(state, "40P01");
}

static enum store_status map_state(const char *state)
{
	if (!state[0])
		return STORE_BUSY; /* no SQLSTATE: the connection failed */
	if (state_is(state, "23505"))
		return STORE_CONFLICT;
	if (state_retryable(state) || strncmp(state, "08", 2) == 0 /* connection exception */ ||
	    strncmp(state, "53", 2) == 0 /* disk full, out of memory, too many connections */ ||
	    strncmp(state, "57P", 3) == 0 /* admin/crash shutdown, cannot connect now */ ||
	    state_is(state, "55P03") /* lock timeout */ || state_is(state, "57014") /* cancelled */)
		return STORE_BUSY;
	return STORE_ERROR;
}

static void log_state(const char *what, const char *state)
{
	db_log_error("postgres", what, state[0] ? state : "connection");
}

/* ---- connections ---- */

static void pq_close(struct db *d)
{
	struct pq_db *c = (struct pq_db *)d;
	PQfinish(c->pg);
	free(c);
}

/* Session settings, applied after every (re)connect; nothing here comes from input. */
static int conn_configure(struct pq_db *c)
{
	c->epoch++;
	char sql[160];
	/* How long a statement waits for a row lock. */
	snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET TIME ZONE 'UTC'; SET client_min_messages = warning",
	         db_busy_timeout_ms());
	PGresult *res = PQexec(c->pg, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

/*
 * Opens a connection for this thread and registers it; NULL when it cannot be
 * opened, with libpq's reason in err (host and port, never the password).
 */
static struct pq_db *conn_open(struct pg_store *s, char *err, size_t err_len)
{
	struct pq_db *c = xcalloc(1, sizeof *c);
	c->base = (struct db){.drv = &postgres_driver, .kind = DB_POSTGRES, .store = &s->base};
	/* Later keywords win: a connect_timeout in the URL overrides this default; the encoding is always UTF8. */
	const char *const keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding", NULL};
	const char *const values[] = {"10", "hearth", s->url, "UTF8", NULL};
	c->pg = PQconnectdbParams(keys, values, 1);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK || conn_configure(c) < 0) {
		if (err) {
			snprintf(err, err_len, "cannot connect to PostgreSQL: %s",
			         c->pg ? PQerrorMessage(c->pg) : "out of memory");
			/* One line: libpq's message may span several. */
			for (char *e = err; *e; e++)
				if (*e == '\n' || *e == '\t')
					*e = ' ';
			size_t n = strlen(err);
			while (n > 0 && err[n - 1] == ' ')
				err[--n] = '\0';
		}
		log_state("open", "");
		pq_close(&c->base);
		return NULL;
	}
	db_pool_add(&s->pool, &c->base);
	return c;
}

/* This thread's connection, opened on first use (store->connection). */
static struct db *postgres_connection(struct store *base)
{
	struct pg_store *s = (struct pg_store *)base;
	struct pq_db *c = (struct pq_db *)db_pool_mine(&s->pool);
	if (!c)
		c = conn_open(s, NULL, 0);
	return c ? &c->base : NULL;
}

/* Reconnects a broken connection; 0 when it works again. */
static int conn_reset(struct pq_db *c)
{
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK)
		return -1;
	return conn_configure(c);
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType t = PQresultStatus(res);
	return res && (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK);
}

/* One try at running something on the connection; returns its result (NULL or failed on error). */
typedef PGresult *(*attempt_fn)(struct pq_db *c, void *arg);

/*
 * Runs attempt; on success STORE_OK and, when out is not NULL, the result in
 * *out (the caller PQclear()s it). A connection found broken outside a
 * transaction is reset and the attempt made once more. Failures are logged
 * and counted, except unique violations and retryable failures, which the
 * caller decides about; c->sqlstate keeps the code.
 */
static enum store_status run_checked(struct pq_db *c, attempt_fn attempt, void *arg, PGresult **out, const char *what)
{
	if (out)
		*out = NULL;
	/* A connection that broke since its last use fails the first attempt and is reset here. */
	bool retried = false;
	for (;;) {
		c->sqlstate[0] = '\0';
		PGresult *res = attempt(c, arg);
		if (result_ok(res)) {
			if (out)
				*out = res;
			else
				PQclear(res);
			return STORE_OK;
		}
		const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		if (state)
			snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state);
		PQclear(res);
		if (PQstatus(c->pg) != CONNECTION_OK) {
			c->sqlstate[0] = '\0';
			if (c->base.depth == 0 && !retried && conn_reset(c) == 0) {
				retried = true;
				continue;
			}
			log_state(what, "");
			return STORE_BUSY;
		}
		if (!state_is(c->sqlstate, "23505") && !state_retryable(c->sqlstate))
			log_state(what, c->sqlstate);
		return map_state(c->sqlstate);
	}
}

static PGresult *attempt_sql(struct pq_db *c, void *arg)
{
	return PQexec(c->pg, arg);
}

static enum store_status pq_exec_sql(struct db *d, const char *sql, const char *what)
{
	return run_checked((struct pq_db *)d, attempt_sql, (void *)sql, NULL, what);
}

/* ---- statements ---- */

/*
 * Writes sql with ?N turned into $N (quoted text and identifiers left alone)
 * into a new string; *highest is the highest N. NULL when a ? has no number.
 */
static char *rewrite_placeholders(const char *sql, int *highest)
{
	char *out = xstrdup(sql);
	char quote = 0;
	*highest = 0;
	for (char *p = out; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0; /* a doubled quote closes and reopens: same result */
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?') {
			if (p[1] < '0' || p[1] > '9') {
				free(out);
				return NULL;
			}
			*p = '$';
			long n = strtol(p + 1, NULL, 10);
			if (n > *highest)
				*highest = n > DB_MAX_PARAMS ? DB_MAX_PARAMS + 1 : (int)n;
		}
	}
	return out;
}

static struct db_stmt *pq_prepare(struct db *d, const struct db_query *q)
{
	(void)d;
	struct pq_stmt *st = xcalloc(1, sizeof *st);
	int n = 0;
	st->sql = rewrite_placeholders(q->sql, &n);
	if (!st->sql) {
		db_log_error("postgres", q->name, "? without a number");
		free(st);
		return NULL;
	}
	st->base.nparams = n;
	size_t slots = (size_t)(n > 0 ? n : 1);
	st->types = xcalloc(2 * slots, sizeof *st->types);
	st->want = st->types + slots;
	st->values = xcalloc(slots, sizeof *st->values);
	st->num = xcalloc(slots, sizeof *st->num);
	return &st->base;
}

/* The type each kind of parameter is sent as; a boolean goes untyped, as the SQL needs (file header). */
static const Oid param_types[] = {
    [DB_UNBOUND] = 0, [DB_TEXT] = OID_TEXT, [DB_INT] = OID_INT8, [DB_DOUBLE] = OID_FLOAT8, [DB_BOOL] = 0};

/* Fills want[] and values[] from the bound parameters. */
static void values_of(struct pq_stmt *st)
{
	for (int i = 0; i < st->base.nparams; i++) {
		const struct db_param *p = &st->base.params[i + 1];
		st->want[i] = param_types[p->type];
		if (p->type == DB_INT)
			snprintf(st->num[i], sizeof st->num[i], "%lld", (long long)p->i);
		if (p->type == DB_DOUBLE) /* 17 significant digits give back the same double */
			snprintf(st->num[i], sizeof st->num[i], "%.17g", p->f);
		if (p->type == DB_UNBOUND || p->null || (p->type == DB_DOUBLE && isnan(p->f)))
			st->values[i] = NULL; /* NaN goes as NULL, as SQLite binds it */
		else if (p->type == DB_TEXT)
			st->values[i] = p->s;
		else if (p->type == DB_BOOL)
			st->values[i] = p->i ? "1" : "0";
		else
			st->values[i] = st->num[i];
	}
}

static PGresult *attempt_stmt(struct pq_db *c, void *arg)
{
	struct pq_stmt *st = arg;
	int n = st->base.nparams;
	bool same = st->prepared && st->epoch == c->epoch &&
	            (n == 0 || memcmp(st->types, st->want, sizeof *st->types * (size_t)n) == 0);
	if (!same) {
		if (st->prepared && st->epoch == c->epoch) {
			char sql[32];
			snprintf(sql, sizeof sql, "DEALLOCATE %s", st->name);
			PQclear(PQexec(c->pg, sql));
		}
		st->prepared = false;
		snprintf(st->name, sizeof st->name, "s%u", ++c->names);
		PGresult *res = PQprepare(c->pg, st->name, st->sql, n, n ? st->want : NULL);
		if (!result_ok(res))
			return res;
		PQclear(res);
		if (n)
			memcpy(st->types, st->want, sizeof *st->types * (size_t)n);
		st->prepared = true;
		st->epoch = c->epoch;
	}
	return PQexecPrepared(c->pg, st->name, n, n ? st->values : NULL, NULL, NULL, 0);
}

static enum store_status pq_step(struct db_stmt *base)
{
	struct pq_stmt *st = (struct pq_stmt *)base;
	struct pq_db *c = (struct pq_db *)base->db;
	if (!base->started) {
		values_of(st);
		enum store_status r = run_checked(c, attempt_stmt, st, &st->res, base->q->name);
		if (r != STORE_OK)
			return r;
		base->changes = strtoll(PQcmdTuples(st->res), NULL, 10);
		st->row = -1;
	}
	if (!st->res)
		return STORE_ERROR;
	st->row++;
	return st->row < PQntuples(st->res) ? STORE_OK : STORE_NOT_FOUND;
}

static void pq_reset(struct db_stmt *base)
{
	struct pq_stmt *st = (struct pq_stmt *)base;
	PQclear(st->res);
	st->res = NULL; /* and row is set again by the next run */
}

static void pq_finalize(struct db_stmt *base)
{
	struct pq_stmt *st = (struct pq_stmt *)base;
	PQclear(st->res);
	free(st->sql);
	free(st->types); /* and want */
	free(st->values);
	free(st->num);
	free(st);
}

/* The column's text on the current row and its length (len may be NULL); NULL for SQL NULL or no row. */
static const char *pq_col_text(const struct db_stmt *base, int col, size_t *len)
{
	const struct pq_stmt *st = (const struct pq_stmt *)base;
	if (!st->res || st->row < 0 || st->row >= PQntuples(st->res) || col < 0 || col >= PQnfields(st->res) ||
	    PQgetisnull(st->res, st->row, col))
		return NULL;
	if (len)
		*len = (size_t)PQgetlength(st->res, st->row, col);
	return PQgetvalue(st->res, st->row, col);
}

static int64_t pq_col_int(const struct db_stmt *st, int col)
{
	const char *v = pq_col_text(st, col, NULL);
	return v ? strtoll(v, NULL, 10) : 0;
}

static double pq_col_double(const struct db_stmt *st, int col)
{
	const char *v = pq_col_text(st, col, NULL);
	return v ? strtod(v, NULL) : 0.0;
}

/* ---- transactions ---- */

static enum store_status pq_begin(struct db *d)
{
	return pq_exec_sql(d, "BEGIN ISOLATION LEVEL READ COMMITTED", "begin");
}

static enum store_status pq_end(struct db *d, enum store_status r)
{
	struct pq_db *c = (struct pq_db *)d;
	if (r == STORE_OK) {
		PGresult *res = NULL;
		r = run_checked(c, attempt_sql, "COMMIT", &res, "commit");
		/* COMMIT of a failed transaction answers "ROLLBACK" without an error. */
		if (r == STORE_OK && strcmp(PQcmdStatus(res), "COMMIT") != 0)
			r = STORE_ERROR;
		PQclear(res);
		if (r == STORE_OK)
			return r;
	}
	char saved[sizeof c->sqlstate];
	memcpy(saved, c->sqlstate, sizeof saved);
	if (PQstatus(c->pg) == CONNECTION_OK) {
		enum store_status rb = pq_exec_sql(d, "ROLLBACK", "rollback");
		(void)rb; /* a failed rollback is logged; the server rolls back when the connection ends */
	}
	memcpy(c->sqlstate, saved, sizeof saved); /* tx_run wants the reason of the failure */
	return r;
}

static bool pq_again(struct db *d, enum store_status r, int attempt)
{
	struct pq_db *c = (struct pq_db *)d;
	if (r != STORE_BUSY || !state_retryable(c->sqlstate))
		return false;
	if (attempt + 1 < TX_ATTEMPTS)
		return true;
	log_state("retries", c->sqlstate);
	return false;
}

/* Locks the space row until the transaction ends: joins and leaves of one space queue. */
DB_QUERY(Q_LOCK_SPACE_POSTGRES, "SELECT id FROM spaces WHERE id = ?1 FOR UPDATE");

static const struct db_driver postgres_driver = {
    .prepare = pq_prepare,
    .step = pq_step,
    .reset = pq_reset,
    .finalize = pq_finalize,
    .col_int = pq_col_int,
    .col_double = pq_col_double,
    .col_text = pq_col_text,
    .begin = pq_begin,
    .end = pq_end,
    .again = pq_again,
    .exec_sql = pq_exec_sql,
    .lock_space = &Q_LOCK_SPACE_POSTGRES,
    .close = pq_close,
};

/* ---- the store's lifecycle ---- */

static enum store_status postgres_migrate(struct store *s, int *version)
{
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	/* Two servers starting together queue here instead of racing to create the tables. */
	enum store_status r = pq_exec_sql(d, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "migrate_lock");
	if (r != STORE_OK)
		return r;
	r = db_migrate(s, version);
	if (PQstatus(((struct pq_db *)d)->pg) == CONNECTION_OK) {
		enum store_status u =
		    pq_exec_sql(d, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", "migrate_unlock");
		(void)u; /* the lock also ends with the session */
	}
	return r;
}

static void postgres_thread_done(struct store *s)
{
	db_pool_thread_done(&((struct pg_store *)s)->pool);
}

static void postgres_close(struct store *s)
{
	struct pg_store *ps = (struct pg_store *)s;
	db_pool_cleanup(&ps->pool);
	if (ps->url)
		sodium_memzero(ps->url, strlen(ps->url)); /* it may hold a password */
	free(ps->url);
	free(ps);
}

static enum store_status postgres_store_backup(struct store *s, const char *path)
{
	return postgres_backup(((struct pg_store *)s)->url, path);
}

struct store *store_postgres_open(const char *url, char *err, size_t err_len)
{
	struct pg_store *s = xcalloc(1, sizeof *s);
	s->url = xstrdup(url);
	db_pool_init(&s->pool);
	s->base = (struct store){
	    .name = "postgres",
	    .connection = postgres_connection,
	    .migrate = postgres_migrate,
	    .thread_done = postgres_thread_done,
	    .close = postgres_close,
	    .ping = db_ping,
	    .backup = postgres_store_backup,
	    .check = postgres_check,
	    .batch_begin = db_batch_begin,
	    .batch_end = db_batch_end,
	};
	store_features_init(&s->base);
	/* Connect now so a wrong URL or a server that is down is reported at start-up. */
	if (!conn_open(s, err, err_len)) {
		postgres_close(&s->base);
		return NULL;
	}
	return &s->base;
}
