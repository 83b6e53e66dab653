/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * sqlite.c - the SQLite backend of the store interface (store.h).
 *
 * One database file, hearth.db, in the data directory, in WAL mode. A write
 * is acknowledged only once its commit is on disk, with group commit: the
 * connections commit with synchronous=NORMAL (no fsync of their own), then
 * wait in durable_barrier() until one fdatasync of the WAL that started after
 * their commit has finished. One thread leads each sync; every commit that
 * finished before it started rides along, so concurrent writers share fsyncs
 * instead of queueing for one each. Checkpoints still sync as SQLite does. Each
 * worker thread gets its own connection (thread-local), opened lazily, with
 * its prepared statements cached by statement number. Writers take the write
 * lock up front (BEGIN IMMEDIATE) and wait on a busy timeout, so concurrent
 * writers queue rather than fail with "database is locked".
 *
 * Layout: migrations, connection handling, then one group of functions per
 * table, in the order of store.h.
 */
#include "store.h"

#include "faultvfs.h"
#include "sqlite/backup.h"
#include "sqlite_internal.h"
#include "../http/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#define BUSY_TIMEOUT_MS 10000

/* The busy timeout; HEARTH_BUSY_TIMEOUT_MS shortens it for tests. */
static int busy_timeout_ms(void)
{
	const char *v = getenv("HEARTH_BUSY_TIMEOUT_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	return ms > 0 && ms <= 600000 ? (int)ms : BUSY_TIMEOUT_MS;
}

static const char *const migrations[] = {
	/* 1: accounts, sessions, spaces, check-ins */
	"CREATE TABLE users ("
	"  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,"
	"  password_hash TEXT NOT NULL, role TEXT NOT NULL, created_at INTEGER NOT NULL);"
	"CREATE TABLE spaces ("
	"  id TEXT PRIMARY KEY, time_zone TEXT NOT NULL DEFAULT 'UTC', created_at INTEGER NOT NULL);"
	"CREATE TABLE space_members ("
	"  space_id TEXT NOT NULL, user_id TEXT NOT NULL UNIQUE, joined_at INTEGER NOT NULL,"
	"  PRIMARY KEY (space_id, user_id));"
	"CREATE TABLE invites ("
	"  space_id TEXT NOT NULL, code_hash TEXT NOT NULL UNIQUE, created_by TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER,"
	"  PRIMARY KEY (space_id, code_hash));"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);"
	"CREATE INDEX sessions_user ON sessions (user_id);"
	"CREATE TABLE auth_failures (key TEXT NOT NULL, at INTEGER NOT NULL);"
	"CREATE INDEX auth_failures_key ON auth_failures (key, at);"
	"CREATE TABLE checkins ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	"  mood INTEGER NOT NULL, connection INTEGER NOT NULL, secure INTEGER NOT NULL,"
	"  appreciation TEXT, need TEXT, worry TEXT, visibility TEXT NOT NULL,"
	"  PRIMARY KEY (space_id, id));"
	"CREATE UNIQUE INDEX checkins_id ON checkins (id);"
	"CREATE INDEX checkins_space_time ON checkins (space_id, author_id, created_at, id);"
	"CREATE INDEX checkins_author_time ON checkins (author_id, created_at, id);",
	/* 2: data keys for encryption at rest */
	"CREATE TABLE data_keys ("
	"  id TEXT PRIMARY KEY, scope_id TEXT NOT NULL UNIQUE, master_id TEXT NOT NULL,"
	"  wrapped TEXT NOT NULL, created_at INTEGER NOT NULL);",
	/* 3: repairs, prompts, safety checks */
	"CREATE TABLE repairs ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, created_by TEXT NOT NULL, title TEXT NOT NULL,"
	"  occurred_on TEXT, created_at INTEGER NOT NULL, solo INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (space_id, id));"
	"CREATE INDEX repairs_time ON repairs (space_id, created_at, id);"
	"CREATE TABLE repair_sides ("
	"  space_id TEXT NOT NULL, repair_id TEXT NOT NULL, author_id TEXT NOT NULL,"
	"  feelings TEXT, perspective TEXT, touched TEXT, my_part TEXT, next_time TEXT,"
	"  updated_at INTEGER NOT NULL, submitted_at INTEGER, acknowledged_at INTEGER, ack_note TEXT,"
	"  PRIMARY KEY (space_id, repair_id, author_id));"
	"CREATE TABLE prompt_days ("
	"  space_id TEXT NOT NULL, date TEXT NOT NULL, id TEXT NOT NULL UNIQUE, prompt_id TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY (space_id, date));"
	"CREATE TABLE prompt_seen ("
	"  space_id TEXT NOT NULL, prompt_id TEXT NOT NULL, date TEXT NOT NULL, PRIMARY KEY (space_id, prompt_id));"
	"CREATE TABLE prompt_skips ("
	"  space_id TEXT NOT NULL, date TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (space_id, date, user_id));"
	"CREATE TABLE prompt_answers ("
	"  space_id TEXT NOT NULL, day_id TEXT NOT NULL, author_id TEXT NOT NULL, date TEXT NOT NULL,"
	"  prompt_id TEXT NOT NULL, text TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (space_id, day_id, author_id));"
	"CREATE INDEX prompt_answers_date ON prompt_answers (space_id, author_id, date);"
	"CREATE TABLE prompt_acks ("
	"  space_id TEXT NOT NULL, day_id TEXT NOT NULL, answer_author TEXT NOT NULL, from_id TEXT NOT NULL,"
	"  kind TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (space_id, day_id, answer_author, from_id));"
	"CREATE TABLE safety_checks ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, user_id TEXT NOT NULL, afraid INTEGER NOT NULL,"
	"  pressured INTEGER NOT NULL, share_with_therapist INTEGER NOT NULL, created_at INTEGER NOT NULL,"
	"  PRIMARY KEY (space_id, id));",
	/* 4: agreements, reviews, questionnaire responses */
	"CREATE TABLE agreements ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, text TEXT NOT NULL,"
	"  review_every_days INTEGER NOT NULL, next_review_on TEXT NOT NULL, status TEXT NOT NULL,"
	"  repair_id TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE INDEX agreements_time ON agreements (space_id, created_at, id);"
	"CREATE TABLE agreement_reviews ("
	"  space_id TEXT NOT NULL, agreement_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL,"
	"  outcome TEXT NOT NULL, note TEXT, created_at INTEGER NOT NULL, PRIMARY KEY (space_id, agreement_id, id));"
	"CREATE TABLE questionnaire_responses ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, questionnaire_id TEXT NOT NULL,"
	"  answers TEXT NOT NULL, score REAL NOT NULL, subscales TEXT NOT NULL, visibility TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE INDEX qresponses_author ON questionnaire_responses (author_id, questionnaire_id, created_at);",
	/* 5: therapists, access log, articles */
	"CREATE TABLE therapist_invites ("
	"  code_hash TEXT PRIMARY KEY, therapist_id TEXT NOT NULL, created_at INTEGER NOT NULL,"
	"  expires_at INTEGER NOT NULL, used_at INTEGER);"
	"CREATE TABLE space_therapists ("
	"  space_id TEXT PRIMARY KEY, therapist_id TEXT NOT NULL, linked_at INTEGER NOT NULL);"
	"CREATE INDEX space_therapists_therapist ON space_therapists (therapist_id, linked_at);"
	"CREATE TABLE therapist_consents ("
	"  space_id TEXT NOT NULL, user_id TEXT NOT NULL, granted INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
	"  PRIMARY KEY (space_id, user_id));"
	"CREATE TABLE therapist_notes ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, therapist_id TEXT NOT NULL, text TEXT NOT NULL,"
	"  created_at INTEGER NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE TABLE access_log ("
	"  space_id TEXT NOT NULL, id TEXT NOT NULL, at INTEGER NOT NULL, who_id TEXT NOT NULL, who_name TEXT NOT NULL,"
	"  what TEXT NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE TABLE therapist_visits ("
	"  space_id TEXT NOT NULL, therapist_id TEXT NOT NULL, visited_at INTEGER NOT NULL,"
	"  PRIMARY KEY (space_id, therapist_id));"
	"CREATE TABLE articles ("
	"  id TEXT PRIMARY KEY, slug TEXT NOT NULL UNIQUE, author_id TEXT NOT NULL, title TEXT NOT NULL,"
	"  body TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, published_at INTEGER,"
	"  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, views INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX articles_published ON articles (status, published_at, id);"
	"CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='articles', content_rowid='rowid');"
	"CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN"
	"  INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body); END;"
	"CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN"
	"  INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body); END;"
	"CREATE TRIGGER articles_au AFTER UPDATE OF title, body ON articles BEGIN"
	"  INSERT INTO articles_fts (articles_fts, rowid, title, body) VALUES ('delete', old.rowid, old.title, old.body);"
	"  INSERT INTO articles_fts (rowid, title, body) VALUES (new.rowid, new.title, new.body); END;"
	"CREATE TABLE article_comments ("
	"  article_id TEXT NOT NULL, id TEXT NOT NULL, author_id TEXT NOT NULL, body TEXT NOT NULL,"
	"  status TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (article_id, id));",
};

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_PING,
	ST_USER_INSERT,
	ST_USER_BY_NAME,
	ST_SESSION_INSERT,
	ST_SESSION_VIEWER,
	ST_SESSION_TOUCH,
	ST_SESSION_DELETE,
	ST_SESSION_DELETE_USER,
	ST_FAILURE_ADD,
	ST_FAILURE_COUNT,
	ST_FAILURE_CLEAR,
	ST_FAILURE_PRUNE,
	ST_MEMBER_OF,
	ST_SPACE_INSERT,
	ST_MEMBER_INSERT,
	ST_MEMBER_COUNT,
	ST_INVITE_INSERT,
	ST_INVITE_FIND,
	ST_INVITE_USE,
	ST_MEMBER_DELETE,
	ST_MEMBER_REMAINING,
	ST_CHECKINS_DETACH,
	ST_REPAIRS_COPY_FOR_LEAVER,
	ST_REPAIRS_SOLO_DETACH,
	ST_REPAIR_SIDES_CLEAR_OLD,
	ST_REPAIR_SIDES_DETACH,
	ST_REPAIRS_DROP_ABANDONED,
	ST_PROMPT_ANSWERS_CLEAR_OLD,
	ST_PROMPT_ANSWERS_DETACH,
	ST_PROMPT_ACKS_DROP,
	ST_SAFETY_DETACH,
	ST_AGREEMENTS_DETACH,
	ST_REVIEWS_DETACH,
	ST_REVIEWS_DROP_ORPHANS,
	ST_QRESPONSES_DETACH,
	ST_CONSENT_DROP,
	ST_THERAPIST_DROP_IF_EMPTY,
	ST_REPAIRS_DROP_EMPTY,
	ST_SPACE_DELETE_IF_EMPTY,
	ST_INVITES_DELETE_IF_EMPTY,
	ST_DATAKEY_BY_SCOPE,
	ST_DATAKEY_BY_ID,
	ST_DATAKEY_INSERT,
	ST_DATAKEY_ALL,
	ST_DATAKEY_REWRAP,
	ST_CHECKIN_INSERT,
	ST_CHECKIN_GET,
	ST_CHECKIN_UPDATE,
	ST_CHECKIN_DELETE,
	ST_CHECKIN_LIST,
	ST_COUNT
};

#define CHECKIN_COLUMNS \
	"space_id, id, author_id, created_at, updated_at, mood, connection, secure, " \
	"appreciation, need, worry, visibility"

_Static_assert(ST_COUNT <= SQ_FEATURE_BASE, "core statements overlap the feature slots");

static const char *const statements[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_PING] = "SELECT 1",
	[ST_USER_INSERT] = "INSERT INTO users (id, username, display_name, password_hash, role, created_at)"
	                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_USER_BY_NAME] = "SELECT id, username, display_name, password_hash, role, created_at"
	                    " FROM users WHERE username = ?1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)"
	                      " VALUES (?1, ?2, ?3, ?3, ?4)",
	[ST_SESSION_VIEWER] =
		"SELECT u.id, u.username, u.display_name, u.role, s.last_seen_at,"
		" m.space_id, p.user_id, pu.display_name, sp.time_zone"
		" FROM sessions s JOIN users u ON u.id = s.user_id"
		" LEFT JOIN space_members m ON m.user_id = u.id"
		" LEFT JOIN spaces sp ON sp.id = m.space_id"
		" LEFT JOIN space_members p ON p.space_id = m.space_id AND p.user_id <> u.id"
		" LEFT JOIN users pu ON pu.id = p.user_id"
		" WHERE s.token_hash = ?1 AND s.expires_at > ?2 AND s.last_seen_at > ?2 - ?3",
	[ST_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = ?1",
	[ST_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = ?1",
	[ST_FAILURE_ADD] = "INSERT INTO auth_failures (key, at) VALUES (?1, ?2)",
	[ST_FAILURE_COUNT] = "SELECT count(*), coalesce(min(at), 0) FROM auth_failures WHERE key = ?1 AND at > ?2",
	[ST_FAILURE_CLEAR] = "DELETE FROM auth_failures WHERE key = ?1",
	[ST_FAILURE_PRUNE] = "DELETE FROM auth_failures WHERE at < ?1",
	[ST_MEMBER_OF] = "SELECT space_id FROM space_members WHERE user_id = ?1",
	[ST_SPACE_INSERT] = "INSERT INTO spaces (id, time_zone, created_at) VALUES (?1, ?2, ?3)",
	[ST_MEMBER_INSERT] = "INSERT INTO space_members (space_id, user_id, joined_at) VALUES (?1, ?2, ?3)",
	[ST_MEMBER_COUNT] = "SELECT count(*) FROM space_members WHERE space_id = ?1",
	[ST_INVITE_INSERT] = "INSERT INTO invites (space_id, code_hash, created_by, created_at, expires_at)"
	                     " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_INVITE_FIND] = "SELECT space_id FROM invites WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
	[ST_INVITE_USE] = "UPDATE invites SET used_at = ?2 WHERE code_hash = ?1",
	[ST_MEMBER_DELETE] = "DELETE FROM space_members WHERE space_id = ?1 AND user_id = ?2",
	[ST_MEMBER_REMAINING] = "SELECT user_id FROM space_members WHERE space_id = ?1 LIMIT 1",
	[ST_CHECKINS_DETACH] = "UPDATE checkins SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	/* A shared repair the leaver took part in: the leaver keeps a private copy with their own side. */
	[ST_REPAIRS_COPY_FOR_LEAVER] =
		"INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
		" SELECT ?2, id, created_by, title, occurred_on, created_at, 1 FROM repairs r"
		" WHERE r.space_id = ?1 AND r.solo = 0 AND (r.created_by = ?2 OR EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = r.id AND s.author_id = ?2))"
		" ON CONFLICT DO NOTHING", /* a copy from an earlier leave stays */
	[ST_REPAIRS_SOLO_DETACH] = "UPDATE repairs SET space_id = ?2 WHERE space_id = ?1 AND solo = 1 AND created_by = ?2",
	/* Someone who left, rejoined and wrote again: the newer side replaces the copy kept earlier. */
	[ST_REPAIR_SIDES_CLEAR_OLD] =
		"DELETE FROM repair_sides WHERE space_id = ?2 AND author_id = ?2 AND repair_id IN"
		" (SELECT repair_id FROM repair_sides WHERE space_id = ?1 AND author_id = ?2)",
	[ST_REPAIR_SIDES_DETACH] = "UPDATE repair_sides SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	/* The leaver's shared repairs in which the remaining partner wrote nothing go with the leaver alone. */
	[ST_REPAIRS_DROP_ABANDONED] =
		"DELETE FROM repairs WHERE space_id = ?1 AND created_by = ?2 AND NOT EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = repairs.id)",
	[ST_PROMPT_ANSWERS_CLEAR_OLD] =
		"DELETE FROM prompt_answers WHERE space_id = ?2 AND author_id = ?2 AND day_id IN"
		" (SELECT day_id FROM prompt_answers WHERE space_id = ?1 AND author_id = ?2)",
	[ST_PROMPT_ANSWERS_DETACH] = "UPDATE prompt_answers SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	[ST_PROMPT_ACKS_DROP] = "DELETE FROM prompt_acks WHERE space_id = ?1 AND (from_id = ?2 OR answer_author = ?2)",
	[ST_SAFETY_DETACH] = "UPDATE safety_checks SET space_id = ?2 WHERE space_id = ?1 AND user_id = ?2",
	/* Agreements go with the partner who proposed them, with that partner's reviews of them. */
	[ST_AGREEMENTS_DETACH] = "UPDATE agreements SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	[ST_REVIEWS_DETACH] = "UPDATE agreement_reviews SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2"
	                      " AND agreement_id IN (SELECT id FROM agreements WHERE space_id = ?2)",
	/* Reviews left behind without their agreement (or by the leaver) go. */
	[ST_REVIEWS_DROP_ORPHANS] = "DELETE FROM agreement_reviews WHERE space_id = ?1 AND (author_id = ?2 OR"
	                            " agreement_id NOT IN (SELECT id FROM agreements WHERE space_id = ?1))",
	[ST_QRESPONSES_DETACH] = "UPDATE questionnaire_responses SET space_id = ?2 WHERE space_id = ?1 AND author_id = ?2",
	[ST_CONSENT_DROP] = "DELETE FROM therapist_consents WHERE space_id = ?1 AND user_id = ?2",
	/* A space nobody is in any more has no therapist link. */
	[ST_THERAPIST_DROP_IF_EMPTY] =
		"DELETE FROM space_therapists WHERE space_id = ?1 AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)",
	/* After both have taken their own: shared repairs left without sides go. */
	[ST_REPAIRS_DROP_EMPTY] = "DELETE FROM repairs WHERE space_id = ?1 AND solo = 0 AND NOT EXISTS"
	                          " (SELECT 1 FROM repair_sides s WHERE s.space_id = ?1 AND s.repair_id = repairs.id)",
	[ST_SPACE_DELETE_IF_EMPTY] = "DELETE FROM spaces WHERE id = ?1"
	                             " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)",
	[ST_INVITES_DELETE_IF_EMPTY] = "DELETE FROM invites WHERE space_id = ?1"
	                               " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = ?1)",
	[ST_DATAKEY_BY_SCOPE] = "SELECT id, scope_id, master_id, wrapped FROM data_keys WHERE scope_id = ?1",
	[ST_DATAKEY_BY_ID] = "SELECT id, scope_id, master_id, wrapped FROM data_keys WHERE id = ?1",
	[ST_DATAKEY_INSERT] = "INSERT INTO data_keys (id, scope_id, master_id, wrapped, created_at)"
	                      " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_DATAKEY_ALL] = "SELECT id, scope_id, master_id, wrapped FROM data_keys ORDER BY id",
	[ST_DATAKEY_REWRAP] = "UPDATE data_keys SET master_id = ?2, wrapped = ?3 WHERE id = ?1",
	[ST_CHECKIN_INSERT] = "INSERT INTO checkins (" CHECKIN_COLUMNS ")"
	                      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[ST_CHECKIN_GET] = "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = ?1",
	[ST_CHECKIN_UPDATE] = "UPDATE checkins SET updated_at = ?3, mood = ?4, connection = ?5, secure = ?6,"
	                      " appreciation = ?7, need = ?8, worry = ?9, visibility = ?10"
	                      " WHERE id = ?1 AND author_id = ?2",
	[ST_CHECKIN_DELETE] = "DELETE FROM checkins WHERE id = ?1 AND author_id = ?2",
	[ST_CHECKIN_LIST] =
		"SELECT " CHECKIN_COLUMNS " FROM checkins"
		" WHERE (author_id = ?1 OR (space_id = ?2 AND author_id = ?3 AND visibility <> 'private'))"
		"   AND (?4 = 0 OR created_at < ?4 OR (created_at = ?4 AND id < ?5))"
		" ORDER BY created_at DESC, id DESC LIMIT ?6",
};

struct sqlite_store;

struct conn {
	struct sqlite_store *owner;
	sqlite3 *db;
	sqlite3_stmt *stmts[SQ_SLOTS];
	struct conn *next;
	bool in_batch; /* inside batch_begin: transactions become savepoints */
	bool holds_write; /* this connection holds the store's write lock */
};

/* Group commit state (see the file header). */
struct group_commit {
	pthread_mutex_t lock;
	pthread_cond_t done;
	uint64_t committed; /* writes committed so far */
	uint64_t synced;    /* writes known to be on disk */
	bool syncing;       /* a leader is in fdatasync */
};

struct sqlite_store {
	struct store base;
	char *path;
	char *wal_path;
	struct group_commit gc;
	/*
	 * Writers of this process queue here rather than in SQLite's busy handler,
	 * which sleeps in growing steps (1, 2, 5 ms ...) even when the lock frees
	 * at once. Other processes (the CLI) still meet the busy timeout.
	 */
	pthread_mutex_t write_lock;
	/* The checkpointer: moves the WAL into the database off the request path. */
	pthread_t checkpointer;
	bool checkpointer_running;
	pthread_mutex_t stop_lock;
	pthread_cond_t stop_cond;
	bool stopping;
	pthread_key_t key;
	pthread_mutex_t lock; /* guards `all` */
	struct conn *all;
};

static void conn_close(struct conn *c)
{
	if (c->db)
		metrics_connections_add(-1);
	for (int i = 0; i < SQ_SLOTS; i++)
		sqlite3_finalize(c->stmts[i]);
	sqlite3_close(c->db);
	free(c);
}

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

static void log_error(sqlite3 *db, const char *what)
{
	metrics_store_error();
	fprintf(stderr, "{\"level\":\"error\",\"store\":\"sqlite\",\"op\":\"%s\",\"code\":%d}\n", what,
	        db ? sqlite3_extended_errcode(db) : -1);
}

static int conn_configure(sqlite3 *db)
{
	sqlite3_busy_timeout(db, busy_timeout_ms());
	sqlite3_extended_result_codes(db, 1);
	/* Checkpoints run in the checkpointer thread (see below), not after a commit. */
	return sqlite3_exec(db,
	                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
	                    " PRAGMA secure_delete=ON; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864;",
	                    NULL, NULL, NULL);
}

/* This thread's connection, opened on first use; NULL when it cannot be opened. */
static struct conn *conn_get(struct sqlite_store *s)
{
	struct conn *c = pthread_getspecific(s->key);
	if (c)
		return c;
	c = xcalloc(1, sizeof *c);
	c->owner = s;
	int rc = sqlite3_open_v2(s->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                         NULL);
	if (rc != SQLITE_OK || conn_configure(c->db) != SQLITE_OK) {
		log_error(c->db, "open");
		conn_close(c);
		return NULL;
	}
	pthread_setspecific(s->key, c);
	metrics_connections_add(1);
	pthread_mutex_lock(&s->lock);
	c->next = s->all;
	s->all = c;
	pthread_mutex_unlock(&s->lock);
	return c;
}

/* The cached statement, reset and with bindings cleared; NULL on failure. */
static sqlite3_stmt *stmt(struct conn *c, enum stmt_id id)
{
	if (!c->stmts[id]) {
		if (sqlite3_prepare_v3(c->db, statements[id], -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[id], NULL) !=
		    SQLITE_OK) {
			log_error(c->db, "prepare");
			return NULL;
		}
	}
	sqlite3_reset(c->stmts[id]);
	sqlite3_clear_bindings(c->stmts[id]);
	return c->stmts[id];
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* fdatasync of the WAL (or of the database, when there is no WAL); true on success. */
static bool sync_wal(struct sqlite_store *s)
{
	int fd = open(s->wal_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = open(s->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	bool ok = fdatasync(fd) == 0;
	close(fd);
	return ok;
}

/*
 * Returns once the write this thread just committed is on disk: either a
 * sync that started after the commit finishes, or this thread runs one.
 */
static enum store_status durable_barrier(struct conn *c)
{
	struct group_commit *g = &c->owner->gc;
	pthread_mutex_lock(&g->lock);
	uint64_t mine = ++g->committed;
	bool failed = false;
	while (g->synced < mine && !failed) {
		if (g->syncing) {
			pthread_cond_wait(&g->done, &g->lock);
			continue;
		}
		g->syncing = true;
		uint64_t target = g->committed;
		pthread_mutex_unlock(&g->lock);
		bool ok = sync_wal(c->owner);
		pthread_mutex_lock(&g->lock);
		g->syncing = false;
		if (ok && target > g->synced)
			g->synced = target;
		failed = !ok;
		pthread_cond_broadcast(&g->done);
	}
	pthread_mutex_unlock(&g->lock);
	if (failed) {
		metrics_store_error();
		fprintf(stderr, "{\"level\":\"error\",\"store\":\"sqlite\",\"op\":\"fdatasync\",\"errno\":%d}\n", errno);
		return STORE_BUSY;
	}
	return STORE_OK;
}

/* Takes the write lock for this connection (waiting as long as the busy timeout); false when it timed out. */
static bool write_enter(struct conn *c)
{
	if (c->holds_write)
		return true;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	int ms = busy_timeout_ms();
	until.tv_sec += ms / 1000;
	until.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_timedlock(&c->owner->write_lock, &until) != 0)
		return false;
	c->holds_write = true;
	return true;
}

static void write_leave(struct conn *c)
{
	if (c->holds_write) {
		c->holds_write = false;
		pthread_mutex_unlock(&c->owner->write_lock);
	}
}

/* Runs a statement that returns no rows; a write outside a transaction is made durable. */
static enum store_status run(struct conn *c, sqlite3_stmt *st, const char *what)
{
	bool standalone = !c->holds_write && sqlite3_get_autocommit(c->db) && !sqlite3_stmt_readonly(st);
	if (standalone && !write_enter(c)) {
		sqlite3_reset(st);
		metrics_store_error();
		return STORE_BUSY;
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (standalone)
		write_leave(c);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		if ((rc & 0xff) != SQLITE_CONSTRAINT)
			log_error(c->db, what);
		return map_rc(rc);
	}
	if (!sqlite3_stmt_readonly(st) && sqlite3_get_autocommit(c->db))
		return durable_barrier(c);
	return STORE_OK;
}

static enum store_status simple(struct conn *c, enum stmt_id id, const char *what)
{
	sqlite3_stmt *st = stmt(c, id);
	return st ? run(c, st, what) : STORE_ERROR;
}

static void tx_abort(struct conn *c);

static enum store_status exec_sql(struct conn *c, const char *sql, const char *what)
{
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		log_error(c->db, what);
	return map_rc(rc);
}

static enum store_status tx_begin(struct conn *c)
{
	if (c->in_batch)
		return exec_sql(c, "SAVEPOINT tx", "savepoint");
	if (!write_enter(c))
		return STORE_BUSY;
	enum store_status st = simple(c, ST_BEGIN, "begin");
	if (st != STORE_OK)
		write_leave(c);
	return st;
}

/* Commits when st is STORE_OK, else rolls back; returns the final status. */
static enum store_status tx_end(struct conn *c, enum store_status st)
{
	if (c->in_batch) {
		if (st == STORE_OK)
			return exec_sql(c, "RELEASE tx", "release");
		tx_abort(c);
		return st;
	}
	if (st == STORE_OK) {
		st = simple(c, ST_COMMIT, "commit");
		if (st == STORE_OK) {
			write_leave(c);
			return durable_barrier(c);
		}
	}
	tx_abort(c);
	return st;
}

/* Ends a transaction that wrote nothing the caller wants kept. */
static void tx_abort(struct conn *c)
{
	if (c->in_batch) {
		enum store_status rb = exec_sql(c, "ROLLBACK TO tx; RELEASE tx", "rollback_to");
		(void)rb; /* the batch's own commit or rollback decides in the end */
		return;
	}
	if (!sqlite3_get_autocommit(c->db)) {
		enum store_status rb = simple(c, ST_ROLLBACK, "rollback");
		(void)rb; /* a failed rollback is logged; SQLite rolls back on close anyway */
	}
	write_leave(c);
}

static void copy_col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	snprintf(dst, n, "%s", v ? (const char *)v : "");
}

/* ---- lifecycle ---- */

static enum store_status sq_migrate(struct store *s, int *version)
{
	CONN_OR_BUSY(s);
	enum store_status st = STORE_OK;
	if (sqlite3_exec(c->db,
	                 "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                 " version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)",
	                 NULL, NULL, NULL) != SQLITE_OK) {
		log_error(c->db, "migrate");
		return map_rc(sqlite3_errcode(c->db));
	}
	for (size_t i = 0; i < ARRAY_LEN(migrations); i++) {
		int v = (int)i + 1;
		if (tx_begin(c) != STORE_OK)
			return STORE_BUSY;
		sqlite3_stmt *q = NULL;
		int rc = sqlite3_prepare_v2(c->db, "SELECT 1 FROM schema_migrations WHERE version = ?1", -1, &q, NULL);
		if (rc == SQLITE_OK) {
			sqlite3_bind_int(q, 1, v);
			rc = sqlite3_step(q);
		}
		sqlite3_finalize(q);
		if (rc == SQLITE_DONE) {
			char *sql = xasprintf("%s; INSERT INTO schema_migrations (version, applied_at) VALUES (%d, %lld);",
			                      migrations[i], v, (long long)now_ms());
			rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
			free(sql);
			if (rc != SQLITE_OK)
				log_error(c->db, "migrate");
		} else if (rc == SQLITE_ROW) {
			rc = SQLITE_OK;
		}
		st = tx_end(c, rc == SQLITE_OK ? STORE_OK : map_rc(rc));
		if (st != STORE_OK)
			return st;
		*version = v;
	}
	return st;
}

static void sq_thread_done(struct store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	struct conn *c = pthread_getspecific(ss->key);
	if (!c)
		return;
	pthread_setspecific(ss->key, NULL);
	pthread_mutex_lock(&ss->lock);
	for (struct conn **p = &ss->all; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	pthread_mutex_unlock(&ss->lock);
	conn_close(c);
}

static void sq_close(struct store *s)
{
	struct sqlite_store *ss = (struct sqlite_store *)s;
	if (ss->checkpointer_running) {
		pthread_mutex_lock(&ss->stop_lock);
		ss->stopping = true;
		pthread_cond_signal(&ss->stop_cond);
		pthread_mutex_unlock(&ss->stop_lock);
		pthread_join(ss->checkpointer, NULL);
	}
	pthread_mutex_destroy(&ss->stop_lock);
	pthread_cond_destroy(&ss->stop_cond);
	struct conn *c = ss->all;
	while (c) {
		struct conn *next = c->next;
		conn_close(c);
		c = next;
	}
	pthread_key_delete(ss->key);
	pthread_mutex_destroy(&ss->lock);
	pthread_mutex_destroy(&ss->gc.lock);
	pthread_mutex_destroy(&ss->write_lock);
	pthread_cond_destroy(&ss->gc.done);
	free(ss->wal_path);
	free(ss->path);
	free(ss);
}

static enum store_status sq_ping(struct store *s)
{
	CONN_OR_BUSY(s);
	return simple(c, ST_PING, "ping");
}

/* One read transaction copies the whole database (see sqlite/backup.c). */
static enum store_status sq_backup(struct store *s, const char *path)
{
	CONN_OR_BUSY(s);
	return sqlite_backup_copy(c->db, path);
}

static enum store_status sq_check(struct store *s, bool *ok, char *detail, size_t detail_len)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *q = NULL;
	if (sqlite3_prepare_v2(c->db, "PRAGMA integrity_check", -1, &q, NULL) != SQLITE_OK)
		return STORE_ERROR;
	*ok = false;
	snprintf(detail, detail_len, "no answer");
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		copy_col(q, 0, detail, detail_len);
		*ok = strcmp(detail, "ok") == 0;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_ROW)
		return map_rc(rc);
	if (*ok) {
		if (sqlite3_prepare_v2(c->db, "PRAGMA foreign_key_check", -1, &q, NULL) != SQLITE_OK)
			return STORE_ERROR;
		if (sqlite3_step(q) == SQLITE_ROW) {
			*ok = false;
			snprintf(detail, detail_len, "foreign key violation");
		}
		sqlite3_finalize(q);
	}
	return STORE_OK;
}

static enum store_status sq_batch_begin(struct store *s)
{
	CONN_OR_BUSY(s);
	enum store_status st = tx_begin(c);
	c->in_batch = st == STORE_OK;
	return st;
}

static enum store_status sq_batch_end(struct store *s, bool commit)
{
	CONN_OR_BUSY(s);
	c->in_batch = false;
	enum store_status st = tx_end(c, commit ? STORE_OK : STORE_ERROR);
	enum store_status ck = exec_sql(c, "PRAGMA wal_checkpoint(PASSIVE)", "batch_end");
	(void)ck; /* a later checkpoint catches up */
	return commit ? st : STORE_OK;
}

/* ---- users ---- */

static enum store_status sq_user_insert(struct store *s, const struct store_user *u)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_USER_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, u->id);
	bind_text(st, 2, u->username);
	bind_text(st, 3, u->display_name);
	bind_text(st, 4, u->password_hash);
	bind_text(st, 5, u->role);
	sqlite3_bind_int64(st, 6, u->created_at);
	return run(c, st, "user_insert");
}

static enum store_status sq_user_by_username(struct store *s, const char *username, struct store_user *u)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_USER_BY_NAME);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, username);
	int rc = sqlite3_step(st);
	enum store_status result = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, u->id, sizeof u->id);
		copy_col(st, 1, u->username, sizeof u->username);
		copy_col(st, 2, u->display_name, sizeof u->display_name);
		copy_col(st, 3, u->password_hash, sizeof u->password_hash);
		copy_col(st, 4, u->role, sizeof u->role);
		u->created_at = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return result;
}

/* ---- sessions ---- */

static enum store_status sq_session_insert(struct store *s, const char *token_hash, const char *user_id,
                                           int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_SESSION_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, token_hash);
	bind_text(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, expires_at);
	return run(c, st, "session_insert");
}

static enum store_status sq_session_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                           struct viewer *v)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_SESSION_VIEWER);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, idle_ms);
	int rc = sqlite3_step(st);
	enum store_status result = rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
	if (rc == SQLITE_ROW) {
		memset(v, 0, sizeof *v);
		copy_col(st, 0, v->user_id, sizeof v->user_id);
		copy_col(st, 1, v->username, sizeof v->username);
		copy_col(st, 2, v->display_name, sizeof v->display_name);
		copy_col(st, 3, v->role, sizeof v->role);
		v->session_last_seen = sqlite3_column_int64(st, 4);
		copy_col(st, 5, v->space_id, sizeof v->space_id);
		copy_col(st, 6, v->partner_id, sizeof v->partner_id);
		copy_col(st, 7, v->partner_name, sizeof v->partner_name);
		copy_col(st, 8, v->time_zone, sizeof v->time_zone);
		if (!v->time_zone[0])
			snprintf(v->time_zone, sizeof v->time_zone, "UTC");
		snprintf(v->session_hash, sizeof v->session_hash, "%s", token_hash);
	}
	sqlite3_reset(st);
	return result;
}

static enum store_status sq_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_SESSION_TOUCH);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, token_hash);
	sqlite3_bind_int64(st, 2, now);
	return run(c, st, "session_touch");
}

static enum store_status delete_by_key(struct store *s, enum stmt_id id, const char *key, const char *what)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, id);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	return run(c, st, what);
}

static enum store_status sq_session_delete(struct store *s, const char *token_hash)
{
	return delete_by_key(s, ST_SESSION_DELETE, token_hash, "session_delete");
}

static enum store_status sq_session_delete_user(struct store *s, const char *user_id)
{
	return delete_by_key(s, ST_SESSION_DELETE_USER, user_id, "session_delete_user");
}

/* ---- throttling ---- */

static enum store_status sq_failure_add(struct store *s, const char *key, int64_t now)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_FAILURE_ADD);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, now);
	enum store_status r = run(c, st, "failure_add");
	/* Forget failures older than a day now and then, so the table stays small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		sqlite3_stmt *p = stmt(c, ST_FAILURE_PRUNE);
		if (p) {
			sqlite3_bind_int64(p, 1, now - 24LL * 3600 * 1000);
			enum store_status pr = run(c, p, "failure_prune");
			(void)pr; /* pruning is best effort; the failure was recorded */
		}
	}
	return r;
}

static enum store_status sq_failure_count(struct store *s, const char *key, int64_t since, int *count,
                                          int64_t *oldest)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_FAILURE_COUNT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	sqlite3_bind_int64(st, 2, since);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = sqlite3_column_int(st, 0);
		*oldest = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : map_rc(rc);
}

static enum store_status sq_failure_clear(struct store *s, const char *key)
{
	return delete_by_key(s, ST_FAILURE_CLEAR, key, "failure_clear");
}

/* ---- spaces ---- */

/* Reads the user's space into out (empty when none). */
static enum store_status member_of(struct conn *c, const char *user_id, char out[ID_LEN + 1])
{
	sqlite3_stmt *st = stmt(c, ST_MEMBER_OF);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, user_id);
	int rc = sqlite3_step(st);
	out[0] = '\0';
	if (rc == SQLITE_ROW)
		copy_col(st, 0, out, ID_LEN + 1);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : map_rc(rc);
}

static enum store_status member_count(struct conn *c, const char *space_id, int *count)
{
	sqlite3_stmt *st = stmt(c, ST_MEMBER_COUNT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, space_id);
	int rc = sqlite3_step(st);
	*count = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : map_rc(rc);
}

static enum store_status member_insert(struct conn *c, const char *space_id, const char *user_id, int64_t now)
{
	sqlite3_stmt *st = stmt(c, ST_MEMBER_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, space_id);
	bind_text(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	return run(c, st, "member_insert");
}

static enum store_status sq_space_create(struct store *s, const char *space_id, const char *user_id,
                                         const char *time_zone, int64_t now)
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	if (r != STORE_OK)
		return r;
	char current[ID_LEN + 1];
	r = member_of(c, user_id, current);
	if (r == STORE_OK && current[0])
		r = STORE_CONFLICT;
	if (r == STORE_OK) {
		sqlite3_stmt *st = stmt(c, ST_SPACE_INSERT);
		if (!st) {
			r = STORE_ERROR;
		} else {
			bind_text(st, 1, space_id);
			bind_text(st, 2, time_zone);
			sqlite3_bind_int64(st, 3, now);
			r = run(c, st, "space_insert");
		}
	}
	if (r == STORE_OK)
		r = member_insert(c, space_id, user_id, now);
	return tx_end(c, r);
}

static enum store_status sq_space_member_count(struct store *s, const char *space_id, int *count)
{
	CONN_OR_BUSY(s);
	return member_count(c, space_id, count);
}

static enum store_status sq_invite_insert(struct store *s, const char *space_id, const char *code_hash,
                                          const char *created_by, int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_INVITE_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, space_id);
	bind_text(st, 2, code_hash);
	bind_text(st, 3, created_by);
	sqlite3_bind_int64(st, 4, now);
	sqlite3_bind_int64(st, 5, expires_at);
	return run(c, st, "invite_insert");
}

static enum store_status sq_space_join(struct store *s, const char *code_hash, const char *user_id, int64_t now,
                                       enum join_result *result, char space_id_out[ID_LEN + 1])
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	if (r != STORE_OK)
		return r;
	space_id_out[0] = '\0';
	char current[ID_LEN + 1];
	r = member_of(c, user_id, current);
	if (r == STORE_OK && current[0]) {
		*result = JOIN_ALREADY_IN_SPACE;
		tx_abort(c);
		return STORE_OK;
	}
	sqlite3_stmt *st = r == STORE_OK ? stmt(c, ST_INVITE_FIND) : NULL;
	if (!st)
		return tx_end(c, r == STORE_OK ? STORE_ERROR : r);
	bind_text(st, 1, code_hash);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		copy_col(st, 0, space_id_out, ID_LEN + 1);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		*result = JOIN_NO_CODE;
		tx_abort(c);
		return rc == SQLITE_DONE ? STORE_OK : map_rc(rc);
	}
	int count = 0;
	r = member_count(c, space_id_out, &count);
	if (r == STORE_OK && count >= 2) {
		*result = JOIN_FULL;
		tx_abort(c);
		return STORE_OK;
	}
	if (r == STORE_OK)
		r = member_insert(c, space_id_out, user_id, now);
	if (r == STORE_OK) {
		sqlite3_stmt *u = stmt(c, ST_INVITE_USE);
		if (!u) {
			r = STORE_ERROR;
		} else {
			bind_text(u, 1, code_hash);
			sqlite3_bind_int64(u, 2, now);
			r = run(c, u, "invite_use");
		}
	}
	*result = JOIN_OK;
	return tx_end(c, r);
}

/* Per person: what moves out of the space with them. */
static const enum stmt_id detach_steps[] = {
	ST_CHECKINS_DETACH,        ST_REPAIRS_COPY_FOR_LEAVER, ST_REPAIRS_SOLO_DETACH, ST_REPAIR_SIDES_CLEAR_OLD,
	ST_REPAIR_SIDES_DETACH,    ST_REPAIRS_DROP_ABANDONED,  ST_PROMPT_ANSWERS_CLEAR_OLD, ST_PROMPT_ANSWERS_DETACH,
	ST_PROMPT_ACKS_DROP,       ST_AGREEMENTS_DETACH,       ST_REVIEWS_DETACH,       ST_REVIEWS_DROP_ORPHANS,
	ST_QRESPONSES_DETACH,      ST_SAFETY_DETACH,
};

static enum store_status run_steps(struct conn *c, const enum stmt_id *steps, size_t n, const char *space_id,
                                   const char *user_id)
{
	enum store_status r = STORE_OK;
	for (size_t i = 0; i < n && r == STORE_OK; i++) {
		sqlite3_stmt *st = stmt(c, steps[i]);
		if (!st)
			return STORE_ERROR;
		bind_text(st, 1, space_id);
		if (sqlite3_bind_parameter_count(st) >= 2)
			bind_text(st, 2, user_id);
		r = run(c, st, "space_leave");
		if (r == STORE_OK && steps[i] == ST_MEMBER_DELETE && sqlite3_changes(c->db) == 0)
			r = STORE_NOT_FOUND;
	}
	return r;
}

/*
 * Leaving ends the couple's shared history: what each of the two wrote moves
 * to their own scope (visible to its author alone), the leaver's and the
 * remaining partner's alike, so a later partner in the same space never sees
 * what was written for the one before.
 */
static enum store_status sq_space_leave(struct store *s, const char *space_id, const char *user_id)
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	if (r != STORE_OK)
		return r;
	static const enum stmt_id first[] = {ST_MEMBER_DELETE, ST_CONSENT_DROP};
	static const enum stmt_id last[] = {ST_REPAIRS_DROP_EMPTY, ST_THERAPIST_DROP_IF_EMPTY,
	                                    ST_INVITES_DELETE_IF_EMPTY, ST_SPACE_DELETE_IF_EMPTY};
	r = run_steps(c, first, ARRAY_LEN(first), space_id, user_id);
	if (r == STORE_OK)
		r = run_steps(c, detach_steps, ARRAY_LEN(detach_steps), space_id, user_id);
	char remaining[ID_LEN + 1] = "";
	if (r == STORE_OK) {
		sqlite3_stmt *st = stmt(c, ST_MEMBER_REMAINING);
		if (!st)
			return tx_end(c, STORE_ERROR);
		bind_text(st, 1, space_id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			copy_col(st, 0, remaining, sizeof remaining);
		else if (rc != SQLITE_DONE)
			r = map_rc(rc);
		sqlite3_reset(st);
	}
	if (r == STORE_OK && remaining[0])
		r = run_steps(c, detach_steps, ARRAY_LEN(detach_steps), space_id, remaining);
	if (r == STORE_OK)
		r = run_steps(c, last, ARRAY_LEN(last), space_id, user_id);
	return tx_end(c, r);
}

/* ---- data keys ---- */

static void read_datakey(sqlite3_stmt *st, struct store_datakey *k)
{
	copy_col(st, 0, k->id, sizeof k->id);
	copy_col(st, 1, k->scope_id, sizeof k->scope_id);
	copy_col(st, 2, k->master_id, sizeof k->master_id);
	copy_col(st, 3, k->wrapped, sizeof k->wrapped);
}

static enum store_status datakey_one(struct store *s, enum stmt_id id, const char *key, struct store_datakey *k)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, id);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_datakey(st, k);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
}

static enum store_status sq_datakey_by_scope(struct store *s, const char *scope_id, struct store_datakey *k)
{
	return datakey_one(s, ST_DATAKEY_BY_SCOPE, scope_id, k);
}

static enum store_status sq_datakey_by_id(struct store *s, const char *id, struct store_datakey *k)
{
	return datakey_one(s, ST_DATAKEY_BY_ID, id, k);
}

static enum store_status sq_datakey_insert(struct store *s, const struct store_datakey *k)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_DATAKEY_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, k->id);
	bind_text(st, 2, k->scope_id);
	bind_text(st, 3, k->master_id);
	bind_text(st, 4, k->wrapped);
	sqlite3_bind_int64(st, 5, now_ms());
	return run(c, st, "datakey_insert");
}

static enum store_status sq_datakey_all(struct store *s, struct arena *a, struct store_datakey **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_DATAKEY_ALL);
	if (!st)
		return STORE_ERROR;
	int alloc = 64, rc;
	*count = 0;
	*items = arena_alloc(a, sizeof **items * (size_t)alloc);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*count == alloc) {
			struct store_datakey *bigger = arena_alloc(a, sizeof **items * (size_t)alloc * 2);
			memcpy(bigger, *items, sizeof **items * (size_t)alloc);
			*items = bigger;
			alloc *= 2;
		}
		read_datakey(st, &(*items)[(*count)++]);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? STORE_OK : map_rc(rc);
}

static enum store_status sq_datakey_rewrap(struct store *s, const struct store_datakey *items, int count)
{
	CONN_OR_BUSY(s);
	enum store_status r = tx_begin(c);
	for (int i = 0; i < count && r == STORE_OK; i++) {
		sqlite3_stmt *st = stmt(c, ST_DATAKEY_REWRAP);
		if (!st) {
			r = STORE_ERROR;
			break;
		}
		bind_text(st, 1, items[i].id);
		bind_text(st, 2, items[i].master_id);
		bind_text(st, 3, items[i].wrapped);
		r = run(c, st, "datakey_rewrap");
	}
	return r == STORE_BUSY && sqlite3_get_autocommit(c->db) ? r : tx_end(c, r);
}

/* ---- check-ins ---- */

static void bind_checkin_texts(sqlite3_stmt *st, int first, const struct store_checkin *ci)
{
	bind_text(st, first, ci->appreciation);
	bind_text(st, first + 1, ci->need);
	bind_text(st, first + 2, ci->worry);
}

static enum store_status sq_checkin_insert(struct store *s, const struct store_checkin *ci)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_CHECKIN_INSERT);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, ci->space_id);
	bind_text(st, 2, ci->id);
	bind_text(st, 3, ci->author_id);
	sqlite3_bind_int64(st, 4, ci->created_at);
	sqlite3_bind_int64(st, 5, ci->updated_at);
	sqlite3_bind_int(st, 6, ci->mood);
	sqlite3_bind_int(st, 7, ci->connection);
	sqlite3_bind_int(st, 8, ci->secure);
	bind_checkin_texts(st, 9, ci);
	bind_text(st, 12, ci->visibility);
	return run(c, st, "checkin_insert");
}

static char *col_text(sqlite3_stmt *st, int col, struct arena *a)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	return v ? arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(st, col)) : NULL;
}

static void read_checkin(sqlite3_stmt *st, struct arena *a, struct store_checkin *ci)
{
	copy_col(st, 0, ci->space_id, sizeof ci->space_id);
	copy_col(st, 1, ci->id, sizeof ci->id);
	copy_col(st, 2, ci->author_id, sizeof ci->author_id);
	ci->created_at = sqlite3_column_int64(st, 3);
	ci->updated_at = sqlite3_column_int64(st, 4);
	ci->mood = sqlite3_column_int(st, 5);
	ci->connection = sqlite3_column_int(st, 6);
	ci->secure = sqlite3_column_int(st, 7);
	ci->appreciation = col_text(st, 8, a);
	ci->need = col_text(st, 9, a);
	ci->worry = col_text(st, 10, a);
	copy_col(st, 11, ci->visibility, sizeof ci->visibility);
}

static enum store_status sq_checkin_get(struct store *s, struct arena *a, const char *id, struct store_checkin *ci)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_CHECKIN_GET);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_checkin(st, a, ci);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? STORE_OK : rc == SQLITE_DONE ? STORE_NOT_FOUND : map_rc(rc);
}

static enum store_status sq_checkin_update(struct store *s, const struct store_checkin *ci)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_CHECKIN_UPDATE);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, ci->id);
	bind_text(st, 2, ci->author_id);
	sqlite3_bind_int64(st, 3, ci->updated_at);
	sqlite3_bind_int(st, 4, ci->mood);
	sqlite3_bind_int(st, 5, ci->connection);
	sqlite3_bind_int(st, 6, ci->secure);
	bind_checkin_texts(st, 7, ci);
	bind_text(st, 10, ci->visibility);
	enum store_status r = run(c, st, "checkin_update");
	if (r == STORE_OK && sqlite3_changes(c->db) == 0)
		return STORE_NOT_FOUND;
	return r;
}

static enum store_status sq_checkin_delete(struct store *s, const char *id, const char *author_id)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_CHECKIN_DELETE);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, id);
	bind_text(st, 2, author_id);
	enum store_status r = run(c, st, "checkin_delete");
	if (r == STORE_OK && sqlite3_changes(c->db) == 0)
		return STORE_NOT_FOUND;
	return r;
}

static enum store_status sq_checkin_list(struct store *s, struct arena *a, const struct checkin_query *q,
                                         struct store_checkin **items, int *count)
{
	CONN_OR_BUSY(s);
	sqlite3_stmt *st = stmt(c, ST_CHECKIN_LIST);
	if (!st)
		return STORE_ERROR;
	bind_text(st, 1, q->mine_id ? q->mine_id : "");
	bind_text(st, 2, q->space_id ? q->space_id : "");
	bind_text(st, 3, q->partner_id ? q->partner_id : "");
	sqlite3_bind_int64(st, 4, q->before_time);
	bind_text(st, 5, q->before_id ? q->before_id : "");
	sqlite3_bind_int(st, 6, q->limit);
	*items = arena_alloc(a, sizeof(struct store_checkin) * (size_t)(q->limit > 0 ? q->limit : 1));
	*count = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *count < q->limit)
		read_checkin(st, a, &(*items)[(*count)++]);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? STORE_OK : map_rc(rc);
}

/* ---- shared with the feature files (sqlite_internal.h) ---- */

struct conn *sq_conn(struct store *s)
{
	return conn_get((struct sqlite_store *)s);
}

sqlite3 *sq_db(struct conn *c)
{
	return c->db;
}

sqlite3_stmt *sq_stmt(struct conn *c, int slot, const char *sql)
{
	if (slot < SQ_FEATURE_BASE || slot >= SQ_SLOTS)
		return NULL;
	if (!c->stmts[slot] &&
	    sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &c->stmts[slot], NULL) != SQLITE_OK) {
		log_error(c->db, "prepare");
		return NULL;
	}
	sqlite3_reset(c->stmts[slot]);
	sqlite3_clear_bindings(c->stmts[slot]);
	return c->stmts[slot];
}

enum store_status sq_run(struct conn *c, sqlite3_stmt *st, const char *what)
{
	return run(c, st, what);
}

enum store_status sq_row(struct conn *c, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return STORE_OK;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return STORE_NOT_FOUND;
	log_error(c->db, what);
	return map_rc(rc);
}

enum store_status sq_tx_begin(struct conn *c)
{
	return tx_begin(c);
}

enum store_status sq_tx_end(struct conn *c, enum store_status st)
{
	return tx_end(c, st);
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	bind_text(st, i, s);
}

void sq_copy_col(sqlite3_stmt *st, int col, char *dst, size_t n)
{
	copy_col(st, col, dst, n);
}

char *sq_col_text(sqlite3_stmt *st, int col, struct arena *a)
{
	return col_text(st, col, a);
}

enum store_status sq_map_rc(int rc)
{
	return map_rc(rc);
}

/*
 * The checkpointer thread: every 250 ms it copies committed WAL frames into the
 * database (PASSIVE: it never blocks readers or writers), so no request pays
 * for a checkpoint and the WAL stays small.
 */
static void *checkpointer_main(void *arg)
{
	struct sqlite_store *s = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* signals are for the main thread's sigwait */
	pthread_mutex_lock(&s->stop_lock);
	while (!s->stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->stop_cond, &s->stop_lock, &until);
		if (s->stopping)
			break;
		pthread_mutex_unlock(&s->stop_lock);
		struct conn *c = conn_get(s);
		if (c) {
			int log = 0, done = 0;
			int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
			if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
				log_error(c->db, "checkpoint");
		}
		pthread_mutex_lock(&s->stop_lock);
	}
	pthread_mutex_unlock(&s->stop_lock);
	sq_thread_done(&s->base);
	return NULL;
}

struct store *store_sqlite_open(const char *data_dir, char *err, size_t err_len)
{
	if (mkdir(data_dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, err_len, "cannot create data directory %s: %s", data_dir, strerror(errno));
		return NULL;
	}
	if (faultvfs_install_from_env() < 0) {
		snprintf(err, err_len, "cannot install the fault-injection VFS");
		return NULL;
	}
	struct sqlite_store *s = xcalloc(1, sizeof *s);
	s->path = xasprintf("%s/hearth.db", data_dir);
	s->wal_path = xasprintf("%s/hearth.db-wal", data_dir);
	pthread_key_create(&s->key, NULL);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->gc.lock, NULL);
	pthread_mutex_init(&s->write_lock, NULL);
	pthread_mutex_init(&s->stop_lock, NULL);
	pthread_cond_init(&s->stop_cond, NULL);
	pthread_cond_init(&s->gc.done, NULL);
	s->base = (struct store){
		.name = "sqlite",
		.migrate = sq_migrate,
		.thread_done = sq_thread_done,
		.close = sq_close,
		.ping = sq_ping,
		.backup = sq_backup,
		.check = sq_check,
		.batch_begin = sq_batch_begin,
		.batch_end = sq_batch_end,
		.user_insert = sq_user_insert,
		.user_by_username = sq_user_by_username,
		.session_insert = sq_session_insert,
		.session_viewer = sq_session_viewer,
		.session_touch = sq_session_touch,
		.session_delete = sq_session_delete,
		.session_delete_user = sq_session_delete_user,
		.failure_add = sq_failure_add,
		.failure_count = sq_failure_count,
		.failure_clear = sq_failure_clear,
		.space_create = sq_space_create,
		.space_member_count = sq_space_member_count,
		.invite_insert = sq_invite_insert,
		.space_join = sq_space_join,
		.space_leave = sq_space_leave,
		.datakey_by_scope = sq_datakey_by_scope,
		.datakey_by_id = sq_datakey_by_id,
		.datakey_insert = sq_datakey_insert,
		.datakey_all = sq_datakey_all,
		.datakey_rewrap = sq_datakey_rewrap,
		.checkin_insert = sq_checkin_insert,
		.checkin_get = sq_checkin_get,
		.checkin_update = sq_checkin_update,
		.checkin_delete = sq_checkin_delete,
		.checkin_list = sq_checkin_list,
	};
	sq_repairs_init(&s->base);
	sq_prompts_init(&s->base);
	sq_growth_init(&s->base);
	sq_therapist_init(&s->base);
	sq_articles_init(&s->base);
	if (!conn_get(s)) {
		snprintf(err, err_len, "cannot open database %s", s->path);
		sq_close(&s->base);
		return NULL;
	}
	s->checkpointer_running = pthread_create(&s->checkpointer, NULL, checkpointer_main, s) == 0;
	return &s->base;
}

const char *store_status_name(enum store_status st)
{
	switch (st) {
	case STORE_OK: return "ok";
	case STORE_NOT_FOUND: return "not_found";
	case STORE_CONFLICT: return "conflict";
	case STORE_BUSY: return "busy";
	default: return "error";
	}
}
