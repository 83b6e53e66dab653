/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres.c - the PostgreSQL backend of the store interface (store.h).
 *
 * The database is named by a libpq URL (postgresql://user@host:port/db). Each
 * worker thread gets its own connection (thread-local), opened lazily, with
 * its statements prepared once per connection by statement number and run
 * with bound parameters only. A connection found broken is reset once and
 * the statement retried once, unless it was inside a transaction (then the
 * caller gets STORE_BUSY).
 *
 * Transactions run at READ COMMITTED and take row locks (SELECT ... FOR
 * UPDATE) where a decision depends on rows another transaction may change:
 * a join locks the space and then its invite, a leave locks the space first,
 * so the two queue instead of deadlocking. The UNIQUE constraint on
 * space_members.user_id is the last word on "one space per user". The rare
 * serialization or deadlock failure (40001, 40P01) is retried up to
 * TX_ATTEMPTS times.
 *
 * Layout: migrations, statements, connection handling, then one group of
 * functions per table, in the order of store.h, and backup/check at the end.
 * Repairs, prompts and safety checks live in postgres_features.c;
 * agreements, reviews, questionnaire responses, trend points and deleting
 * an account in postgres_growth.c; therapists and articles in
 * postgres_social.c. Their tables are created here (migrations 3 to 5) and
 * a leave moves them here too.
 */
#include "store.h"

#include "postgres_internal.h"
#include "../http/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <libpq-fe.h>
#include <math.h>
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>

#define LOCK_TIMEOUT_MS 10000
#define TX_ATTEMPTS 5
/* Key of the advisory lock held while migrating ("hearth" in ASCII). */
#define MIGRATE_LOCK_KEY "104101097114116104"

extern char **environ;

/* How long a statement waits for a row lock; HEARTH_BUSY_TIMEOUT_MS shortens it for tests. */
static int lock_timeout_ms(void)
{
	const char *v = getenv("HEARTH_BUSY_TIMEOUT_MS");
	long ms = v ? strtol(v, NULL, 10) : 0;
	return ms > 0 && ms <= 600000 ? (int)ms : LOCK_TIMEOUT_MS;
}

/*
 * The same tables, columns and indexes as sqlite.c's migrations; times are
 * BIGINT milliseconds. Ids sort bytewise (COLLATE "C") so check-in lists come
 * out in the same order as with SQLite whatever the database's locale.
 */
static const char *const migrations[] = {
	/* 1: accounts, sessions, spaces, check-ins */
	"CREATE TABLE users ("
	"  id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,"
	"  password_hash TEXT NOT NULL, role TEXT NOT NULL, created_at BIGINT NOT NULL);"
	"CREATE TABLE spaces ("
	"  id TEXT PRIMARY KEY, time_zone TEXT NOT NULL DEFAULT 'UTC', created_at BIGINT NOT NULL);"
	"CREATE TABLE space_members ("
	"  space_id TEXT NOT NULL, user_id TEXT NOT NULL UNIQUE, joined_at BIGINT NOT NULL,"
	"  PRIMARY KEY (space_id, user_id));"
	"CREATE TABLE invites ("
	"  space_id TEXT NOT NULL, code_hash TEXT NOT NULL UNIQUE, created_by TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT,"
	"  PRIMARY KEY (space_id, code_hash));"
	"CREATE TABLE sessions ("
	"  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at BIGINT NOT NULL,"
	"  last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);"
	"CREATE INDEX sessions_user ON sessions (user_id);"
	"CREATE TABLE auth_failures (key TEXT NOT NULL, at BIGINT NOT NULL);"
	"CREATE INDEX auth_failures_key ON auth_failures (key, at);"
	"CREATE TABLE checkins ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL, author_id TEXT COLLATE \"C\" NOT NULL,"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
	"  mood INTEGER NOT NULL, connection INTEGER NOT NULL, secure INTEGER NOT NULL,"
	"  appreciation TEXT, need TEXT, worry TEXT, visibility TEXT NOT NULL,"
	"  PRIMARY KEY (space_id, id));"
	"CREATE UNIQUE INDEX checkins_id ON checkins (id);"
	"CREATE INDEX checkins_space_time ON checkins (space_id, author_id, created_at, id);"
	"CREATE INDEX checkins_author_time ON checkins (author_id, created_at, id);",
	/* 2: data keys for encryption at rest */
	"CREATE TABLE data_keys ("
	"  id TEXT PRIMARY KEY, scope_id TEXT NOT NULL UNIQUE, master_id TEXT NOT NULL,"
	"  wrapped TEXT NOT NULL, created_at BIGINT NOT NULL);",
	/* 3: repairs, prompts, safety checks; booleans are SMALLINT 0/1 as in SQLite */
	"CREATE TABLE repairs ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL, created_by TEXT COLLATE \"C\" NOT NULL,"
	"  title TEXT NOT NULL, occurred_on TEXT COLLATE \"C\", created_at BIGINT NOT NULL,"
	"  solo SMALLINT NOT NULL DEFAULT 0, PRIMARY KEY (space_id, id));"
	"CREATE INDEX repairs_time ON repairs (space_id, created_at, id);"
	"CREATE TABLE repair_sides ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, repair_id TEXT COLLATE \"C\" NOT NULL,"
	"  author_id TEXT COLLATE \"C\" NOT NULL,"
	"  feelings TEXT, perspective TEXT, touched TEXT, my_part TEXT, next_time TEXT,"
	"  updated_at BIGINT NOT NULL, submitted_at BIGINT, acknowledged_at BIGINT, ack_note TEXT,"
	"  PRIMARY KEY (space_id, repair_id, author_id));"
	"CREATE TABLE prompt_days ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, date TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL UNIQUE,"
	"  prompt_id TEXT COLLATE \"C\" NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (space_id, date));"
	"CREATE TABLE prompt_seen ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, prompt_id TEXT COLLATE \"C\" NOT NULL, date TEXT COLLATE \"C\" NOT NULL,"
	"  PRIMARY KEY (space_id, prompt_id));"
	"CREATE TABLE prompt_skips ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, date TEXT COLLATE \"C\" NOT NULL, user_id TEXT COLLATE \"C\" NOT NULL,"
	"  PRIMARY KEY (space_id, date, user_id));"
	"CREATE TABLE prompt_answers ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, day_id TEXT COLLATE \"C\" NOT NULL, author_id TEXT COLLATE \"C\" NOT NULL,"
	"  date TEXT COLLATE \"C\" NOT NULL, prompt_id TEXT COLLATE \"C\" NOT NULL, text TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL, PRIMARY KEY (space_id, day_id, author_id));"
	"CREATE INDEX prompt_answers_date ON prompt_answers (space_id, author_id, date);"
	"CREATE TABLE prompt_acks ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, day_id TEXT COLLATE \"C\" NOT NULL,"
	"  answer_author TEXT COLLATE \"C\" NOT NULL, from_id TEXT COLLATE \"C\" NOT NULL,"
	"  kind TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (space_id, day_id, answer_author, from_id));"
	"CREATE TABLE safety_checks ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL, user_id TEXT COLLATE \"C\" NOT NULL,"
	"  afraid SMALLINT NOT NULL, pressured SMALLINT NOT NULL, share_with_therapist SMALLINT NOT NULL,"
	"  created_at BIGINT NOT NULL, PRIMARY KEY (space_id, id));",
	/* 4: agreements, reviews, questionnaire responses */
	"CREATE TABLE agreements ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL, author_id TEXT COLLATE \"C\" NOT NULL,"
	"  text TEXT NOT NULL, review_every_days INTEGER NOT NULL, next_review_on TEXT COLLATE \"C\" NOT NULL,"
	"  status TEXT NOT NULL, repair_id TEXT COLLATE \"C\", created_at BIGINT NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE INDEX agreements_time ON agreements (space_id, created_at, id);"
	"CREATE TABLE agreement_reviews ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, agreement_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL,"
	"  author_id TEXT COLLATE \"C\" NOT NULL, outcome TEXT NOT NULL, note TEXT, created_at BIGINT NOT NULL,"
	"  PRIMARY KEY (space_id, agreement_id, id));"
	"CREATE TABLE questionnaire_responses ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL, author_id TEXT COLLATE \"C\" NOT NULL,"
	"  questionnaire_id TEXT COLLATE \"C\" NOT NULL, answers TEXT NOT NULL, score DOUBLE PRECISION NOT NULL,"
	"  subscales TEXT NOT NULL, visibility TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE INDEX qresponses_author ON questionnaire_responses (author_id, questionnaire_id, created_at);",
	/*
	 * 5: therapists, access log, articles. Search reads a generated tsvector
	 * (title weighted A, body B) through a GIN index, as SQLite's FTS5 table.
	 * Punctuation becomes space first, so words split as FTS5's tokenizer
	 * splits them (no e-mail, URL or decimal tokens: "foo@bar.com" is three
	 * words there too).
	 */
	"CREATE TABLE therapist_invites ("
	"  code_hash TEXT PRIMARY KEY, therapist_id TEXT COLLATE \"C\" NOT NULL, created_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL, used_at BIGINT);"
	"CREATE TABLE space_therapists ("
	"  space_id TEXT COLLATE \"C\" PRIMARY KEY, therapist_id TEXT COLLATE \"C\" NOT NULL,"
	"  linked_at BIGINT NOT NULL);"
	"CREATE INDEX space_therapists_therapist ON space_therapists (therapist_id, linked_at);"
	"CREATE TABLE therapist_consents ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, user_id TEXT COLLATE \"C\" NOT NULL, granted SMALLINT NOT NULL,"
	"  updated_at BIGINT NOT NULL, PRIMARY KEY (space_id, user_id));"
	"CREATE TABLE therapist_notes ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL,"
	"  therapist_id TEXT COLLATE \"C\" NOT NULL, text TEXT NOT NULL, created_at BIGINT NOT NULL,"
	"  PRIMARY KEY (space_id, id));"
	"CREATE TABLE access_log ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL, at BIGINT NOT NULL,"
	"  who_id TEXT COLLATE \"C\" NOT NULL, who_name TEXT NOT NULL, what TEXT NOT NULL, PRIMARY KEY (space_id, id));"
	"CREATE TABLE therapist_visits ("
	"  space_id TEXT COLLATE \"C\" NOT NULL, therapist_id TEXT COLLATE \"C\" NOT NULL, visited_at BIGINT NOT NULL,"
	"  PRIMARY KEY (space_id, therapist_id));"
	"CREATE TABLE articles ("
	"  id TEXT COLLATE \"C\" PRIMARY KEY, slug TEXT NOT NULL UNIQUE, author_id TEXT COLLATE \"C\" NOT NULL,"
	"  title TEXT NOT NULL, body TEXT NOT NULL, summary TEXT NOT NULL, status TEXT NOT NULL, published_at BIGINT,"
	"  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, views BIGINT NOT NULL DEFAULT 0,"
	"  search tsvector GENERATED ALWAYS AS ("
	"  setweight(to_tsvector('simple', regexp_replace(title, '[[:punct:]]', ' ', 'g')), 'A') ||"
	"  setweight(to_tsvector('simple', regexp_replace(body, '[[:punct:]]', ' ', 'g')), 'B')) STORED);"
	"CREATE INDEX articles_published ON articles (status, published_at, id);"
	"CREATE INDEX articles_search ON articles USING gin (search);"
	"CREATE TABLE article_comments ("
	"  article_id TEXT COLLATE \"C\" NOT NULL, id TEXT COLLATE \"C\" NOT NULL,"
	"  author_id TEXT COLLATE \"C\" NOT NULL, body TEXT NOT NULL, status TEXT NOT NULL, created_at BIGINT NOT NULL,"
	"  PRIMARY KEY (article_id, id));",
};

enum stmt_id {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_PING,
	ST_MIGRATION_DONE,
	ST_MIGRATION_RECORD,
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
	ST_SPACE_LOCK,
	ST_MEMBER_INSERT,
	ST_MEMBER_COUNT,
	ST_INVITE_INSERT,
	ST_INVITE_FIND,
	ST_INVITE_LOCK,
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
	ST_ORPHANS,
	ST_COUNT
};

_Static_assert(ST_COUNT <= PG_FEATURE_BASE, "core statements overlap the feature slots");
_Static_assert(PG_FEATURE_BASE < PG_SLOTS, "no slots left for the feature statements");

#define CHECKIN_COLUMNS \
	"space_id, id, author_id, created_at, updated_at, mood, connection, secure, " \
	"appreciation, need, worry, visibility"

/* Numbers travel as text; the casts give every parameter its type. */
static const char *const statements[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN ISOLATION LEVEL READ COMMITTED",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_PING] = "SELECT 1",
	[ST_MIGRATION_DONE] = "SELECT 1 FROM schema_migrations WHERE version = $1::integer",
	[ST_MIGRATION_RECORD] = "INSERT INTO schema_migrations (version, applied_at) VALUES ($1::integer, $2::bigint)",
	[ST_USER_INSERT] = "INSERT INTO users (id, username, display_name, password_hash, role, created_at)"
	                   " VALUES ($1, $2, $3, $4, $5, $6::bigint)",
	[ST_USER_BY_NAME] = "SELECT id, username, display_name, password_hash, role, created_at"
	                    " FROM users WHERE username = $1",
	[ST_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at)"
	                      " VALUES ($1, $2, $3::bigint, $3::bigint, $4::bigint)",
	[ST_SESSION_VIEWER] =
		"SELECT u.id, u.username, u.display_name, u.role, s.last_seen_at,"
		" m.space_id, p.user_id, pu.display_name, sp.time_zone"
		" FROM sessions s JOIN users u ON u.id = s.user_id"
		" LEFT JOIN space_members m ON m.user_id = u.id"
		" LEFT JOIN spaces sp ON sp.id = m.space_id"
		" LEFT JOIN space_members p ON p.space_id = m.space_id AND p.user_id <> u.id"
		" LEFT JOIN users pu ON pu.id = p.user_id"
		" WHERE s.token_hash = $1 AND s.expires_at > $2::bigint AND s.last_seen_at > $2::bigint - $3::bigint",
	[ST_SESSION_TOUCH] = "UPDATE sessions SET last_seen_at = $2::bigint WHERE token_hash = $1",
	[ST_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash = $1",
	[ST_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id = $1",
	[ST_FAILURE_ADD] = "INSERT INTO auth_failures (key, at) VALUES ($1, $2::bigint)",
	[ST_FAILURE_COUNT] = "SELECT count(*), coalesce(min(at), 0) FROM auth_failures"
	                     " WHERE key = $1 AND at > $2::bigint",
	[ST_FAILURE_CLEAR] = "DELETE FROM auth_failures WHERE key = $1",
	[ST_FAILURE_PRUNE] = "DELETE FROM auth_failures WHERE at < $1::bigint",
	[ST_MEMBER_OF] = "SELECT space_id FROM space_members WHERE user_id = $1",
	[ST_SPACE_INSERT] = "INSERT INTO spaces (id, time_zone, created_at) VALUES ($1, $2, $3::bigint)",
	[ST_SPACE_LOCK] = "SELECT id FROM spaces WHERE id = $1 FOR UPDATE",
	[ST_MEMBER_INSERT] = "INSERT INTO space_members (space_id, user_id, joined_at) VALUES ($1, $2, $3::bigint)",
	[ST_MEMBER_COUNT] = "SELECT count(*) FROM space_members WHERE space_id = $1",
	[ST_INVITE_INSERT] = "INSERT INTO invites (space_id, code_hash, created_by, created_at, expires_at)"
	                     " VALUES ($1, $2, $3, $4::bigint, $5::bigint)",
	[ST_INVITE_FIND] = "SELECT space_id FROM invites"
	                   " WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2::bigint",
	/* Re-read under a row lock once the space is locked: the code may have been used meanwhile. */
	[ST_INVITE_LOCK] = "SELECT space_id FROM invites"
	                   " WHERE code_hash = $1 AND space_id = $3 AND used_at IS NULL AND expires_at > $2::bigint"
	                   " FOR UPDATE",
	[ST_INVITE_USE] = "UPDATE invites SET used_at = $2::bigint WHERE code_hash = $1",
	[ST_MEMBER_DELETE] = "DELETE FROM space_members WHERE space_id = $1 AND user_id = $2",
	[ST_MEMBER_REMAINING] = "SELECT user_id FROM space_members WHERE space_id = $1 LIMIT 1",
	[ST_CHECKINS_DETACH] = "UPDATE checkins SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	/* A shared repair the leaver took part in: the leaver keeps a private copy with their own side. */
	[ST_REPAIRS_COPY_FOR_LEAVER] =
		"INSERT INTO repairs (space_id, id, created_by, title, occurred_on, created_at, solo)"
		" SELECT $2, id, created_by, title, occurred_on, created_at, 1 FROM repairs r"
		" WHERE r.space_id = $1 AND r.solo = 0 AND (r.created_by = $2 OR EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = $1 AND s.repair_id = r.id AND s.author_id = $2))"
		" ON CONFLICT DO NOTHING", /* a copy from an earlier leave stays */
	[ST_REPAIRS_SOLO_DETACH] = "UPDATE repairs SET space_id = $2 WHERE space_id = $1 AND solo = 1 AND created_by = $2",
	/* Someone who left, rejoined and wrote again: the newer side replaces the copy kept earlier. */
	[ST_REPAIR_SIDES_CLEAR_OLD] =
		"DELETE FROM repair_sides WHERE space_id = $2 AND author_id = $2 AND repair_id IN"
		" (SELECT repair_id FROM repair_sides WHERE space_id = $1 AND author_id = $2)",
	[ST_REPAIR_SIDES_DETACH] = "UPDATE repair_sides SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	/* The leaver's shared repairs in which the remaining partner wrote nothing go with the leaver alone. */
	[ST_REPAIRS_DROP_ABANDONED] =
		"DELETE FROM repairs WHERE space_id = $1 AND created_by = $2 AND NOT EXISTS"
		" (SELECT 1 FROM repair_sides s WHERE s.space_id = $1 AND s.repair_id = repairs.id)",
	[ST_PROMPT_ANSWERS_CLEAR_OLD] =
		"DELETE FROM prompt_answers WHERE space_id = $2 AND author_id = $2 AND day_id IN"
		" (SELECT day_id FROM prompt_answers WHERE space_id = $1 AND author_id = $2)",
	[ST_PROMPT_ANSWERS_DETACH] = "UPDATE prompt_answers SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	[ST_PROMPT_ACKS_DROP] = "DELETE FROM prompt_acks WHERE space_id = $1 AND (from_id = $2 OR answer_author = $2)",
	[ST_SAFETY_DETACH] = "UPDATE safety_checks SET space_id = $2 WHERE space_id = $1 AND user_id = $2",
	/* Agreements go with the partner who proposed them, with that partner's reviews of them. */
	[ST_AGREEMENTS_DETACH] = "UPDATE agreements SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	[ST_REVIEWS_DETACH] = "UPDATE agreement_reviews SET space_id = $2 WHERE space_id = $1 AND author_id = $2"
	                      " AND agreement_id IN (SELECT id FROM agreements WHERE space_id = $2)",
	/* Reviews left behind without their agreement (or by the leaver) go. */
	[ST_REVIEWS_DROP_ORPHANS] = "DELETE FROM agreement_reviews WHERE space_id = $1 AND (author_id = $2 OR"
	                            " agreement_id NOT IN (SELECT id FROM agreements WHERE space_id = $1))",
	[ST_QRESPONSES_DETACH] = "UPDATE questionnaire_responses SET space_id = $2 WHERE space_id = $1 AND author_id = $2",
	[ST_CONSENT_DROP] = "DELETE FROM therapist_consents WHERE space_id = $1 AND user_id = $2",
	/* A space nobody is in any more has no therapist either (as sqlite.c: the link row only). */
	[ST_THERAPIST_DROP_IF_EMPTY] = "DELETE FROM space_therapists WHERE space_id = $1"
	                               " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = $1)",
	/* After both have taken their own: shared repairs left without sides go. */
	[ST_REPAIRS_DROP_EMPTY] = "DELETE FROM repairs WHERE space_id = $1 AND solo = 0 AND NOT EXISTS"
	                          " (SELECT 1 FROM repair_sides s WHERE s.space_id = $1 AND s.repair_id = repairs.id)",
	[ST_SPACE_DELETE_IF_EMPTY] = "DELETE FROM spaces WHERE id = $1"
	                             " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = $1)",
	[ST_INVITES_DELETE_IF_EMPTY] = "DELETE FROM invites WHERE space_id = $1"
	                               " AND NOT EXISTS (SELECT 1 FROM space_members WHERE space_id = $1)",
	[ST_DATAKEY_BY_SCOPE] = "SELECT id, scope_id, master_id, wrapped FROM data_keys WHERE scope_id = $1",
	[ST_DATAKEY_BY_ID] = "SELECT id, scope_id, master_id, wrapped FROM data_keys WHERE id = $1",
	[ST_DATAKEY_INSERT] = "INSERT INTO data_keys (id, scope_id, master_id, wrapped, created_at)"
	                      " VALUES ($1, $2, $3, $4, $5::bigint)",
	[ST_DATAKEY_ALL] = "SELECT id, scope_id, master_id, wrapped FROM data_keys ORDER BY id COLLATE \"C\"",
	[ST_DATAKEY_REWRAP] = "UPDATE data_keys SET master_id = $2, wrapped = $3 WHERE id = $1",
	[ST_CHECKIN_INSERT] = "INSERT INTO checkins (" CHECKIN_COLUMNS ")"
	                      " VALUES ($1, $2, $3, $4::bigint, $5::bigint, $6::integer, $7::integer, $8::integer,"
	                      " $9, $10, $11, $12)",
	[ST_CHECKIN_GET] = "SELECT " CHECKIN_COLUMNS " FROM checkins WHERE id = $1",
	[ST_CHECKIN_UPDATE] = "UPDATE checkins SET updated_at = $3::bigint, mood = $4::integer,"
	                      " connection = $5::integer, secure = $6::integer,"
	                      " appreciation = $7, need = $8, worry = $9, visibility = $10"
	                      " WHERE id = $1 AND author_id = $2",
	[ST_CHECKIN_DELETE] = "DELETE FROM checkins WHERE id = $1 AND author_id = $2",
	[ST_CHECKIN_LIST] =
		"SELECT " CHECKIN_COLUMNS " FROM checkins"
		" WHERE (author_id = $1 OR (space_id = $2 AND author_id = $3 AND visibility <> 'private'))"
		"   AND ($4::bigint = 0 OR created_at < $4::bigint OR (created_at = $4::bigint AND id < $5))"
		" ORDER BY created_at DESC, id DESC LIMIT $6::integer",
	/* Rows that point at nothing: what PRAGMA foreign_key_check finds for SQLite. */
	[ST_ORPHANS] =
		"SELECT"
		" (SELECT count(*) FROM space_members m WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id)),"
		" (SELECT count(*) FROM space_members m WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = m.space_id)),"
		" (SELECT count(*) FROM invites i WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = i.space_id)),"
		" (SELECT count(*) FROM sessions x WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = x.user_id)),"
		" (SELECT count(*) FROM checkins c WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.author_id)),"
		" (SELECT count(*) FROM checkins c WHERE c.space_id <> c.author_id"
		"   AND NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = c.space_id))",
};

static const char *const orphan_names[] = {
	"space members without a user", "space members without a space", "invites without a space",
	"sessions without a user",      "check-ins without an author",   "check-ins in a missing space",
};

struct conn {
	PGconn *pg;
	bool counted; /* in metrics_connections_add */
	bool prepared[PG_SLOTS];
	bool in_tx;
	char sqlstate[6]; /* of the last failed statement; "" when it succeeded */
	struct conn *next;
};

struct pg_store {
	struct store base;
	char *url;
	pthread_key_t key;
	pthread_mutex_t lock; /* guards `all` */
	struct conn *all;
};

void pg_param_text(struct pg_params *p, const char *s)
{
	if (p->n >= PG_MAX_PARAMS)
		abort(); /* a statement with more parameters than PG_MAX_PARAMS is a programming error */
	p->v[p->n++] = s;
}

void pg_param_int(struct pg_params *p, int64_t v)
{
	if (p->n >= PG_MAX_PARAMS)
		abort();
	snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", (long long)v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

void pg_param_double(struct pg_params *p, double v)
{
	if (p->n >= PG_MAX_PARAMS)
		abort();
	if (isnan(v)) {
		p->v[p->n++] = NULL;
		return;
	}
	/* 17 significant digits give back the same double; inf and -inf are words PostgreSQL reads. */
	snprintf(p->num[p->n], sizeof p->num[p->n], "%.17g", v);
	p->v[p->n] = p->num[p->n];
	p->n++;
}

/* ---- status mapping and logging ---- */

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

static void log_error(const char *what, const char *state)
{
	metrics_store_error();
	/* Only the SQLSTATE: PostgreSQL's messages may quote the values of the row. */
	fprintf(stderr, "{\"level\":\"error\",\"store\":\"postgres\",\"op\":\"%s\",\"code\":\"%s\"}\n", what,
	        state[0] ? state : "connection");
}

/* ---- connections ---- */

static void conn_free(struct conn *c)
{
	if (c->counted)
		metrics_connections_add(-1);
	PQfinish(c->pg);
	free(c);
}

/* Session settings, applied after every (re)connect; nothing here comes from input. */
static int conn_configure(struct conn *c)
{
	memset(c->prepared, 0, sizeof c->prepared);
	c->in_tx = false;
	if (PQsetClientEncoding(c->pg, "UTF8") != 0)
		return -1;
	char sql[160];
	snprintf(sql, sizeof sql, "SET lock_timeout = %d; SET TIME ZONE 'UTC'; SET client_min_messages = warning",
	         lock_timeout_ms());
	PGresult *res = PQexec(c->pg, sql);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

static PGconn *conn_connect(const char *url)
{
	/* Later keywords win, so a connect_timeout in the URL overrides this default. */
	const char *const keys[] = {"connect_timeout", "application_name", "dbname", NULL};
	const char *const values[] = {"10", "hearth", url, NULL};
	return PQconnectdbParams(keys, values, 1);
}

/*
 * Opens a connection for this thread and registers it; NULL when it cannot be
 * opened, with libpq's reason in err (host and port, never the password).
 */
static struct conn *conn_open(struct pg_store *s, char *err, size_t err_len)
{
	struct conn *c = xcalloc(1, sizeof *c);
	c->pg = conn_connect(s->url);
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
		log_error("open", "");
		conn_free(c);
		return NULL;
	}
	c->counted = true;
	metrics_connections_add(1);
	pthread_setspecific(s->key, c);
	pthread_mutex_lock(&s->lock);
	c->next = s->all;
	s->all = c;
	pthread_mutex_unlock(&s->lock);
	return c;
}

/* This thread's connection, opened on first use; NULL when it cannot be opened. */
static struct conn *conn_get(struct pg_store *s)
{
	struct conn *c = pthread_getspecific(s->key);
	return c ? c : conn_open(s, NULL, 0);
}

/* Reconnects a broken connection; 0 when it works again. */
static int conn_reset(struct conn *c)
{
	PQreset(c->pg);
	if (PQstatus(c->pg) != CONNECTION_OK)
		return -1;
	return conn_configure(c);
}

/* Prepares the statement in slot on this connection once; 0 on success, else c->sqlstate says why. */
static int conn_prepare(struct conn *c, int slot, const char *sql)
{
	if (c->prepared[slot])
		return 0;
	char name[16];
	snprintf(name, sizeof name, "h%d", slot);
	PGresult *res = PQprepare(c->pg, name, sql, 0, NULL);
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK || (state && state_is(state, "42P05"));
	snprintf(c->sqlstate, sizeof c->sqlstate, "%s", ok || !state ? "" : state);
	PQclear(res);
	if (ok)
		c->prepared[slot] = true;
	return ok ? 0 : -1;
}

/* One attempt: prepare if needed, then execute. Returns the result (NULL or failed on error). */
static PGresult *exec_once(struct conn *c, int slot, const char *sql, const struct pg_params *p)
{
	if (conn_prepare(c, slot, sql) < 0)
		return NULL;
	char name[16];
	snprintf(name, sizeof name, "h%d", slot);
	return PQexecPrepared(c->pg, name, p ? p->n : 0, p ? p->v : NULL, NULL, NULL, 0);
}

static bool result_ok(const PGresult *res)
{
	ExecStatusType t = PQresultStatus(res);
	return res && (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK);
}

/*
 * Runs the statement in slot with parameters p. On success returns STORE_OK
 * and, when out is not NULL, the result in *out (the caller PQclear()s it). A
 * connection found broken outside a transaction is reset and the statement
 * run once more. Errors are logged and counted, except unique violations and
 * retryable failures, which the caller decides about.
 */
enum store_status pg_exec(struct conn *c, int slot, const char *sql, const struct pg_params *p, PGresult **out,
                          const char *what)
{
	if (slot < 0 || slot >= PG_SLOTS)
		abort(); /* a programming error */
	if (out)
		*out = NULL;
	bool retried = false;
	if (PQstatus(c->pg) != CONNECTION_OK && !c->in_tx) {
		retried = true;
		if (conn_reset(c) < 0) {
			c->sqlstate[0] = '\0';
			log_error(what, "");
			return STORE_BUSY;
		}
	}
	for (;;) {
		c->sqlstate[0] = '\0';
		PGresult *res = exec_once(c, slot, sql, p);
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
			if (!c->in_tx && !retried && conn_reset(c) == 0) {
				retried = true;
				continue;
			}
			log_error(what, "");
			return STORE_BUSY;
		}
		if (!state_is(c->sqlstate, "23505") && !state_retryable(c->sqlstate))
			log_error(what, c->sqlstate);
		return map_state(c->sqlstate);
	}
}

/* Runs one of this file's statements (see pg_exec). */
static enum store_status exec(struct conn *c, enum stmt_id id, const struct pg_params *p, PGresult **out,
                              const char *what)
{
	return pg_exec(c, (int)id, statements[id], p, out, what);
}

static enum store_status simple(struct conn *c, enum stmt_id id, const struct pg_params *p, const char *what)
{
	return exec(c, id, p, NULL, what);
}

long pg_changed_rows(PGresult *res)
{
	return strtol(PQcmdTuples(res), NULL, 10);
}

/* Runs a statement that changes rows; STORE_NOT_FOUND when it changed none. */
static enum store_status change_some(struct conn *c, enum stmt_id id, const struct pg_params *p, const char *what)
{
	PGresult *res = NULL;
	enum store_status r = exec(c, id, p, &res, what);
	if (r == STORE_OK && pg_changed_rows(res) == 0)
		r = STORE_NOT_FOUND;
	PQclear(res);
	return r;
}

enum store_status pg_tx_begin(struct conn *c)
{
	enum store_status r = simple(c, ST_BEGIN, NULL, "begin");
	c->in_tx = r == STORE_OK;
	return r;
}

/* Ends a transaction that wrote nothing the caller wants kept. */
static void tx_abort(struct conn *c)
{
	if (!c->in_tx)
		return;
	char saved[6];
	memcpy(saved, c->sqlstate, sizeof saved);
	if (PQstatus(c->pg) == CONNECTION_OK) {
		enum store_status rb = simple(c, ST_ROLLBACK, NULL, "rollback");
		(void)rb; /* a failed rollback is logged; the server rolls back when the connection ends */
	}
	c->in_tx = false;
	memcpy(c->sqlstate, saved, sizeof saved); /* the caller wants the reason of the failure */
}

enum store_status pg_tx_end(struct conn *c, enum store_status st)
{
	if (st == STORE_OK) {
		PGresult *res = NULL;
		st = exec(c, ST_COMMIT, NULL, &res, "commit");
		/* COMMIT of a failed transaction answers "ROLLBACK" without an error. */
		if (st == STORE_OK && strcmp(PQcmdStatus(res), "COMMIT") != 0)
			st = STORE_ERROR;
		PQclear(res);
		if (st == STORE_OK) {
			c->in_tx = false;
			return st;
		}
	}
	tx_abort(c);
	return st;
}

bool pg_tx_again(struct conn *c, enum store_status r, int attempt)
{
	if (r != STORE_BUSY || !state_retryable(c->sqlstate))
		return false;
	if (attempt + 1 < TX_ATTEMPTS)
		return true;
	log_error("retries", c->sqlstate);
	return false;
}

void pg_copy_col(PGresult *res, int row, int col, char *dst, size_t n)
{
	snprintf(dst, n, "%s", PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

int64_t pg_col_int(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

char *pg_col_text(PGresult *res, int row, int col, struct arena *a)
{
	if (PQgetisnull(res, row, col))
		return NULL;
	return arena_strndup(a, PQgetvalue(res, row, col), (size_t)PQgetlength(res, row, col));
}

#define CONN_OR_BUSY(s)                               \
	struct conn *c = conn_get((struct pg_store *)(s)); \
	if (!c)                                           \
		return STORE_BUSY

struct conn *pg_conn(struct store *s)
{
	return conn_get((struct pg_store *)s);
}

/* ---- lifecycle ---- */

/* Runs a statement without parameters that the program wrote itself (migrations, locks). */
static enum store_status run_fixed(struct conn *c, const char *sql, const char *what)
{
	PGresult *res = PQexec(c->pg, sql);
	enum store_status r = STORE_OK;
	if (!result_ok(res)) {
		const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
		snprintf(c->sqlstate, sizeof c->sqlstate, "%s", state ? state : "");
		log_error(what, c->sqlstate);
		r = map_state(c->sqlstate);
	}
	PQclear(res);
	return r;
}

/* Applies migration number v (1-based) unless it is recorded already; one transaction. */
static enum store_status migrate_one(struct conn *c, int v)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	struct pg_params p = {0};
	pg_param_int(&p, v);
	PGresult *res = NULL;
	r = exec(c, ST_MIGRATION_DONE, &p, &res, "migrate");
	bool done = r == STORE_OK && PQntuples(res) > 0;
	PQclear(res);
	if (r == STORE_OK && !done) {
		r = run_fixed(c, migrations[v - 1], "migrate");
		if (r == STORE_OK) {
			pg_param_int(&p, now_ms());
			r = simple(c, ST_MIGRATION_RECORD, &p, "migrate");
		}
	}
	return pg_tx_end(c, r);
}

static enum store_status pg_migrate(struct store *s, int *version)
{
	CONN_OR_BUSY(s);
	/* Two servers starting together queue here instead of racing to create the tables. */
	enum store_status r = run_fixed(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "migrate_lock");
	if (r != STORE_OK)
		return r;
	r = run_fixed(c,
	              "CREATE TABLE IF NOT EXISTS schema_migrations ("
	              " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)",
	              "migrate");
	for (size_t i = 0; i < ARRAY_LEN(migrations) && r == STORE_OK; i++) {
		r = migrate_one(c, (int)i + 1);
		if (r == STORE_OK)
			*version = (int)i + 1;
	}
	if (PQstatus(c->pg) == CONNECTION_OK) {
		enum store_status u =
			run_fixed(c, "SELECT pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", "migrate_unlock");
		(void)u; /* the lock also ends with the session */
	}
	return r;
}

static void pg_thread_done(struct store *s)
{
	struct pg_store *ps = (struct pg_store *)s;
	struct conn *c = pthread_getspecific(ps->key);
	if (!c)
		return;
	pthread_setspecific(ps->key, NULL);
	pthread_mutex_lock(&ps->lock);
	for (struct conn **p = &ps->all; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	pthread_mutex_unlock(&ps->lock);
	conn_free(c);
}

static void pg_close(struct store *s)
{
	struct pg_store *ps = (struct pg_store *)s;
	struct conn *c = ps->all;
	while (c) {
		struct conn *next = c->next;
		conn_free(c);
		c = next;
	}
	pthread_key_delete(ps->key);
	pthread_mutex_destroy(&ps->lock);
	if (ps->url)
		sodium_memzero(ps->url, strlen(ps->url)); /* it may hold a password */
	free(ps->url);
	free(ps);
}

static enum store_status pg_ping(struct store *s)
{
	CONN_OR_BUSY(s);
	return simple(c, ST_PING, NULL, "ping");
}

/* ---- users ---- */

static enum store_status pg_user_insert(struct store *s, const struct store_user *u)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, u->id);
	pg_param_text(&p, u->username);
	pg_param_text(&p, u->display_name);
	pg_param_text(&p, u->password_hash);
	pg_param_text(&p, u->role);
	pg_param_int(&p, u->created_at);
	return simple(c, ST_USER_INSERT, &p, "user_insert");
}

static enum store_status pg_user_by_username(struct store *s, const char *username, struct store_user *u)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, username);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_USER_BY_NAME, &p, &res, "user_by_username");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK) {
		pg_copy_col(res, 0, 0, u->id, sizeof u->id);
		pg_copy_col(res, 0, 1, u->username, sizeof u->username);
		pg_copy_col(res, 0, 2, u->display_name, sizeof u->display_name);
		pg_copy_col(res, 0, 3, u->password_hash, sizeof u->password_hash);
		pg_copy_col(res, 0, 4, u->role, sizeof u->role);
		u->created_at = pg_col_int(res, 0, 5);
	}
	PQclear(res);
	return r;
}

/* ---- sessions ---- */

static enum store_status pg_session_insert(struct store *s, const char *token_hash, const char *user_id,
                                           int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, token_hash);
	pg_param_text(&p, user_id);
	pg_param_int(&p, now);
	pg_param_int(&p, expires_at);
	return simple(c, ST_SESSION_INSERT, &p, "session_insert");
}

static enum store_status pg_session_viewer(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
                                           struct viewer *v)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, token_hash);
	pg_param_int(&p, now);
	pg_param_int(&p, idle_ms);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_SESSION_VIEWER, &p, &res, "session_viewer");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK) {
		memset(v, 0, sizeof *v);
		pg_copy_col(res, 0, 0, v->user_id, sizeof v->user_id);
		pg_copy_col(res, 0, 1, v->username, sizeof v->username);
		pg_copy_col(res, 0, 2, v->display_name, sizeof v->display_name);
		pg_copy_col(res, 0, 3, v->role, sizeof v->role);
		v->session_last_seen = pg_col_int(res, 0, 4);
		pg_copy_col(res, 0, 5, v->space_id, sizeof v->space_id);
		pg_copy_col(res, 0, 6, v->partner_id, sizeof v->partner_id);
		pg_copy_col(res, 0, 7, v->partner_name, sizeof v->partner_name);
		pg_copy_col(res, 0, 8, v->time_zone, sizeof v->time_zone);
		if (!v->time_zone[0])
			snprintf(v->time_zone, sizeof v->time_zone, "UTC");
		snprintf(v->session_hash, sizeof v->session_hash, "%s", token_hash);
	}
	PQclear(res);
	return r;
}

static enum store_status pg_session_touch(struct store *s, const char *token_hash, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, token_hash);
	pg_param_int(&p, now);
	return simple(c, ST_SESSION_TOUCH, &p, "session_touch");
}

static enum store_status delete_by_key(struct store *s, enum stmt_id id, const char *key, const char *what)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	return simple(c, id, &p, what);
}

static enum store_status pg_session_delete(struct store *s, const char *token_hash)
{
	return delete_by_key(s, ST_SESSION_DELETE, token_hash, "session_delete");
}

static enum store_status pg_session_delete_user(struct store *s, const char *user_id)
{
	return delete_by_key(s, ST_SESSION_DELETE_USER, user_id, "session_delete_user");
}

/* ---- throttling ---- */

static enum store_status pg_failure_add(struct store *s, const char *key, int64_t now)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	pg_param_int(&p, now);
	enum store_status r = simple(c, ST_FAILURE_ADD, &p, "failure_add");
	/* Forget failures older than a day now and then, so the table stays small. */
	if (r == STORE_OK && randombytes_uniform(64) == 0) {
		struct pg_params q = {0};
		pg_param_int(&q, now - 24LL * 3600 * 1000);
		enum store_status pr = simple(c, ST_FAILURE_PRUNE, &q, "failure_prune");
		(void)pr; /* pruning is best effort; the failure was recorded */
	}
	return r;
}

static enum store_status pg_failure_count(struct store *s, const char *key, int64_t since, int *count,
                                          int64_t *oldest)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	pg_param_int(&p, since);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_FAILURE_COUNT, &p, &res, "failure_count");
	if (r == STORE_OK && PQntuples(res) == 1) {
		*count = (int)pg_col_int(res, 0, 0);
		*oldest = pg_col_int(res, 0, 1);
	} else if (r == STORE_OK) {
		r = STORE_ERROR;
	}
	PQclear(res);
	return r;
}

static enum store_status pg_failure_clear(struct store *s, const char *key)
{
	return delete_by_key(s, ST_FAILURE_CLEAR, key, "failure_clear");
}

/* ---- spaces ---- */

/*
 * Runs a one-text-parameter query and copies the first column of its first
 * row into out (empty when there is no row).
 */
static enum store_status query_id(struct conn *c, enum stmt_id id, struct pg_params *p, char out[ID_LEN + 1],
                                  const char *what)
{
	PGresult *res = NULL;
	enum store_status r = exec(c, id, p, &res, what);
	out[0] = '\0';
	if (r == STORE_OK && PQntuples(res) > 0)
		pg_copy_col(res, 0, 0, out, ID_LEN + 1);
	PQclear(res);
	return r;
}

/* Reads the user's space into out (empty when none). */
static enum store_status member_of(struct conn *c, const char *user_id, char out[ID_LEN + 1])
{
	struct pg_params p = {0};
	pg_param_text(&p, user_id);
	return query_id(c, ST_MEMBER_OF, &p, out, "member_of");
}

static enum store_status member_count(struct conn *c, const char *space_id, int *count)
{
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_MEMBER_COUNT, &p, &res, "member_count");
	*count = r == STORE_OK && PQntuples(res) == 1 ? (int)pg_col_int(res, 0, 0) : 0;
	PQclear(res);
	return r;
}

static enum store_status member_insert(struct conn *c, const char *space_id, const char *user_id, int64_t now)
{
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, user_id);
	pg_param_int(&p, now);
	return simple(c, ST_MEMBER_INSERT, &p, "member_insert");
}

static enum store_status space_create_once(struct conn *c, const char *space_id, const char *user_id,
                                           const char *time_zone, int64_t now)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	char current[ID_LEN + 1];
	r = member_of(c, user_id, current);
	if (r == STORE_OK && current[0])
		r = STORE_CONFLICT;
	if (r == STORE_OK) {
		struct pg_params p = {0};
		pg_param_text(&p, space_id);
		pg_param_text(&p, time_zone);
		pg_param_int(&p, now);
		r = simple(c, ST_SPACE_INSERT, &p, "space_insert");
	}
	/* A create racing this one for the same user loses here, on space_members.user_id. */
	if (r == STORE_OK)
		r = member_insert(c, space_id, user_id, now);
	return pg_tx_end(c, r);
}

static enum store_status pg_space_create(struct store *s, const char *space_id, const char *user_id,
                                         const char *time_zone, int64_t now)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = space_create_once(c, space_id, user_id, time_zone, now);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status pg_space_member_count(struct store *s, const char *space_id, int *count)
{
	CONN_OR_BUSY(s);
	return member_count(c, space_id, count);
}

static enum store_status pg_invite_insert(struct store *s, const char *space_id, const char *code_hash,
                                          const char *created_by, int64_t now, int64_t expires_at)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, space_id);
	pg_param_text(&p, code_hash);
	pg_param_text(&p, created_by);
	pg_param_int(&p, now);
	pg_param_int(&p, expires_at);
	return simple(c, ST_INVITE_INSERT, &p, "invite_insert");
}

/*
 * One attempt at joining. Locks the space row first (as a leave does), then
 * re-reads the invite under a row lock, so two joins through one code, or a
 * join and a leave, run one after the other; the member count read after
 * the locks is current.
 */
static enum store_status space_join_once(struct conn *c, const char *code_hash, const char *user_id, int64_t now,
                                         enum join_result *result, char space_id_out[ID_LEN + 1])
{
	enum store_status r = pg_tx_begin(c);
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
	struct pg_params p = {0};
	pg_param_text(&p, code_hash);
	pg_param_int(&p, now);
	if (r == STORE_OK)
		r = query_id(c, ST_INVITE_FIND, &p, space_id_out, "invite_find");
	char locked[ID_LEN + 1] = "";
	if (r == STORE_OK && space_id_out[0]) {
		struct pg_params l = {0};
		pg_param_text(&l, space_id_out);
		r = query_id(c, ST_SPACE_LOCK, &l, locked, "space_lock");
	}
	if (r == STORE_OK && locked[0]) {
		pg_param_text(&p, space_id_out);
		r = query_id(c, ST_INVITE_LOCK, &p, locked, "invite_lock");
	}
	if (r != STORE_OK || !locked[0]) {
		/* No such code, used meanwhile, or its space went away with its last member. */
		*result = JOIN_NO_CODE;
		space_id_out[0] = '\0';
		tx_abort(c);
		return r;
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
	if (r == STORE_CONFLICT) {
		/* The user entered another space while this transaction ran. */
		*result = JOIN_ALREADY_IN_SPACE;
		tx_abort(c);
		return STORE_OK;
	}
	if (r == STORE_OK) {
		struct pg_params u = {0};
		pg_param_text(&u, code_hash);
		pg_param_int(&u, now);
		r = simple(c, ST_INVITE_USE, &u, "invite_use");
	}
	*result = JOIN_OK;
	return pg_tx_end(c, r);
}

static enum store_status pg_space_join(struct store *s, const char *code_hash, const char *user_id, int64_t now,
                                       enum join_result *result, char space_id_out[ID_LEN + 1])
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = space_join_once(c, code_hash, user_id, now, result, space_id_out);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

static enum store_status space_leave_once(struct conn *c, const char *space_id, const char *user_id)
{
	enum store_status r = pg_tx_begin(c);
	if (r != STORE_OK)
		return r;
	char locked[ID_LEN + 1];
	struct pg_params l = {0};
	pg_param_text(&l, space_id);
	r = query_id(c, ST_SPACE_LOCK, &l, locked, "space_lock");
	/* The same steps in the same order as sqlite.c: the leaver's, then the remaining partner's. */
	static const enum stmt_id detach[] = {
		ST_CHECKINS_DETACH,        ST_REPAIRS_COPY_FOR_LEAVER, ST_REPAIRS_SOLO_DETACH, ST_REPAIR_SIDES_CLEAR_OLD,
		ST_REPAIR_SIDES_DETACH,    ST_REPAIRS_DROP_ABANDONED,  ST_PROMPT_ANSWERS_CLEAR_OLD, ST_PROMPT_ANSWERS_DETACH,
		ST_PROMPT_ACKS_DROP,       ST_AGREEMENTS_DETACH,       ST_REVIEWS_DETACH,       ST_REVIEWS_DROP_ORPHANS,
		ST_QRESPONSES_DETACH,      ST_SAFETY_DETACH,
	};
	if (r == STORE_OK) {
		struct pg_params p = {0};
		pg_param_text(&p, space_id);
		pg_param_text(&p, user_id);
		r = change_some(c, ST_MEMBER_DELETE, &p, "space_leave");
		/* The leaver's consent to the space's therapist ends with their membership. */
		if (r == STORE_OK)
			r = simple(c, ST_CONSENT_DROP, &p, "space_leave");
	}
	char remaining[ID_LEN + 1] = "";
	for (int who = 0; who < 2 && r == STORE_OK; who++) {
		const char *person = who == 0 ? user_id : remaining;
		if (who == 1) {
			struct pg_params q = {0};
			pg_param_text(&q, space_id);
			r = query_id(c, ST_MEMBER_REMAINING, &q, remaining, "space_leave");
			if (r != STORE_OK || !remaining[0])
				break;
		}
		for (size_t i = 0; i < ARRAY_LEN(detach) && r == STORE_OK; i++) {
			struct pg_params p = {0};
			pg_param_text(&p, space_id);
			pg_param_text(&p, person);
			r = simple(c, detach[i], &p, "space_leave");
		}
	}
	static const enum stmt_id last[] = {ST_REPAIRS_DROP_EMPTY, ST_THERAPIST_DROP_IF_EMPTY,
	                                    ST_INVITES_DELETE_IF_EMPTY, ST_SPACE_DELETE_IF_EMPTY};
	for (size_t i = 0; i < ARRAY_LEN(last) && r == STORE_OK; i++) {
		struct pg_params p = {0};
		pg_param_text(&p, space_id);
		r = simple(c, last[i], &p, "space_leave");
	}
	return pg_tx_end(c, r);
}

static enum store_status pg_space_leave(struct store *s, const char *space_id, const char *user_id)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = space_leave_once(c, space_id, user_id);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

/* ---- data keys ---- */

static void read_datakey(PGresult *res, int row, struct store_datakey *k)
{
	pg_copy_col(res, row, 0, k->id, sizeof k->id);
	pg_copy_col(res, row, 1, k->scope_id, sizeof k->scope_id);
	pg_copy_col(res, row, 2, k->master_id, sizeof k->master_id);
	pg_copy_col(res, row, 3, k->wrapped, sizeof k->wrapped);
}

static enum store_status datakey_one(struct store *s, enum stmt_id id, const char *key, struct store_datakey *k)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, key);
	PGresult *res = NULL;
	enum store_status r = exec(c, id, &p, &res, "datakey");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK)
		read_datakey(res, 0, k);
	PQclear(res);
	return r;
}

static enum store_status pg_datakey_by_scope(struct store *s, const char *scope_id, struct store_datakey *k)
{
	return datakey_one(s, ST_DATAKEY_BY_SCOPE, scope_id, k);
}

static enum store_status pg_datakey_by_id(struct store *s, const char *id, struct store_datakey *k)
{
	return datakey_one(s, ST_DATAKEY_BY_ID, id, k);
}

static enum store_status pg_datakey_insert(struct store *s, const struct store_datakey *k)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, k->id);
	pg_param_text(&p, k->scope_id);
	pg_param_text(&p, k->master_id);
	pg_param_text(&p, k->wrapped);
	pg_param_int(&p, now_ms());
	return simple(c, ST_DATAKEY_INSERT, &p, "datakey_insert");
}

static enum store_status pg_datakey_all(struct store *s, struct arena *a, struct store_datakey **items, int *count)
{
	CONN_OR_BUSY(s);
	PGresult *res = NULL;
	*count = 0;
	*items = NULL;
	enum store_status r = exec(c, ST_DATAKEY_ALL, NULL, &res, "datakey_all");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		*items = arena_alloc(a, sizeof **items * (size_t)(n > 0 ? n : 1));
		for (int i = 0; i < n; i++)
			read_datakey(res, i, &(*items)[i]);
		*count = n;
	}
	PQclear(res);
	return r;
}

static enum store_status datakey_rewrap_once(struct conn *c, const struct store_datakey *items, int count)
{
	enum store_status r = pg_tx_begin(c);
	for (int i = 0; i < count && r == STORE_OK; i++) {
		struct pg_params p = {0};
		pg_param_text(&p, items[i].id);
		pg_param_text(&p, items[i].master_id);
		pg_param_text(&p, items[i].wrapped);
		r = simple(c, ST_DATAKEY_REWRAP, &p, "datakey_rewrap");
	}
	return c->in_tx ? pg_tx_end(c, r) : r;
}

static enum store_status pg_datakey_rewrap(struct store *s, const struct store_datakey *items, int count)
{
	CONN_OR_BUSY(s);
	enum store_status r;
	for (int attempt = 0;; attempt++) {
		r = datakey_rewrap_once(c, items, count);
		if (!pg_tx_again(c, r, attempt))
			return r;
	}
}

/* ---- check-ins ---- */

static void p_checkin_texts(struct pg_params *p, const struct store_checkin *ci)
{
	pg_param_text(p, ci->appreciation);
	pg_param_text(p, ci->need);
	pg_param_text(p, ci->worry);
}

static enum store_status pg_checkin_insert(struct store *s, const struct store_checkin *ci)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, ci->space_id);
	pg_param_text(&p, ci->id);
	pg_param_text(&p, ci->author_id);
	pg_param_int(&p, ci->created_at);
	pg_param_int(&p, ci->updated_at);
	pg_param_int(&p, ci->mood);
	pg_param_int(&p, ci->connection);
	pg_param_int(&p, ci->secure);
	p_checkin_texts(&p, ci);
	pg_param_text(&p, ci->visibility);
	return simple(c, ST_CHECKIN_INSERT, &p, "checkin_insert");
}

static void read_checkin(PGresult *res, int row, struct arena *a, struct store_checkin *ci)
{
	pg_copy_col(res, row, 0, ci->space_id, sizeof ci->space_id);
	pg_copy_col(res, row, 1, ci->id, sizeof ci->id);
	pg_copy_col(res, row, 2, ci->author_id, sizeof ci->author_id);
	ci->created_at = pg_col_int(res, row, 3);
	ci->updated_at = pg_col_int(res, row, 4);
	ci->mood = (int)pg_col_int(res, row, 5);
	ci->connection = (int)pg_col_int(res, row, 6);
	ci->secure = (int)pg_col_int(res, row, 7);
	ci->appreciation = pg_col_text(res, row, 8, a);
	ci->need = pg_col_text(res, row, 9, a);
	ci->worry = pg_col_text(res, row, 10, a);
	pg_copy_col(res, row, 11, ci->visibility, sizeof ci->visibility);
}

static enum store_status pg_checkin_get(struct store *s, struct arena *a, const char *id, struct store_checkin *ci)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, id);
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_CHECKIN_GET, &p, &res, "checkin_get");
	if (r == STORE_OK && PQntuples(res) == 0)
		r = STORE_NOT_FOUND;
	if (r == STORE_OK)
		read_checkin(res, 0, a, ci);
	PQclear(res);
	return r;
}

static enum store_status pg_checkin_update(struct store *s, const struct store_checkin *ci)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, ci->id);
	pg_param_text(&p, ci->author_id);
	pg_param_int(&p, ci->updated_at);
	pg_param_int(&p, ci->mood);
	pg_param_int(&p, ci->connection);
	pg_param_int(&p, ci->secure);
	p_checkin_texts(&p, ci);
	pg_param_text(&p, ci->visibility);
	return change_some(c, ST_CHECKIN_UPDATE, &p, "checkin_update");
}

static enum store_status pg_checkin_delete(struct store *s, const char *id, const char *author_id)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, id);
	pg_param_text(&p, author_id);
	return change_some(c, ST_CHECKIN_DELETE, &p, "checkin_delete");
}

static enum store_status pg_checkin_list(struct store *s, struct arena *a, const struct checkin_query *q,
                                         struct store_checkin **items, int *count)
{
	CONN_OR_BUSY(s);
	struct pg_params p = {0};
	pg_param_text(&p, q->mine_id ? q->mine_id : "");
	pg_param_text(&p, q->space_id ? q->space_id : "");
	pg_param_text(&p, q->partner_id ? q->partner_id : "");
	pg_param_int(&p, q->before_time);
	pg_param_text(&p, q->before_id ? q->before_id : "");
	pg_param_int(&p, q->limit);
	*items = arena_alloc(a, sizeof(struct store_checkin) * (size_t)(q->limit > 0 ? q->limit : 1));
	*count = 0;
	PGresult *res = NULL;
	enum store_status r = exec(c, ST_CHECKIN_LIST, &p, &res, "checkin_list");
	if (r == STORE_OK) {
		int n = PQntuples(res);
		for (int i = 0; i < n && *count < q->limit; i++)
			read_checkin(res, i, a, &(*items)[(*count)++]);
	}
	PQclear(res);
	return r;
}

/* ---- backup and check ---- */

/* The pg_dump to run: the first on PATH, else the newest under /usr/lib/postgresql. Caller frees. */
static char *pg_dump_path(void)
{
	const char *path = getenv("PATH");
	if (path) {
		char *dirs = xstrdup(path), *save = NULL;
		for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			char *candidate = xasprintf("%s/pg_dump", *d ? d : ".");
			if (access(candidate, X_OK) == 0) {
				free(dirs);
				return candidate;
			}
			free(candidate);
		}
		free(dirs);
	}
	glob_t g;
	char *best = NULL;
	long best_version = -1;
	if (glob("/usr/lib/postgresql/*/bin/pg_dump", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			long v = strtol(g.gl_pathv[i] + strlen("/usr/lib/postgresql/"), NULL, 10);
			if (v > best_version && access(g.gl_pathv[i], X_OK) == 0) {
				best_version = v;
				free(best);
				best = xstrdup(g.gl_pathv[i]);
			}
		}
		globfree(&g);
	}
	return best;
}

/*
 * Splits a libpq URL or conninfo into a keyword='value' conninfo without the
 * password (so it is not on pg_dump's command line, which other users can
 * read) and the password itself (NULL when none). NULL when url is malformed.
 * The caller frees both.
 */
static char *conninfo_split(const char *url, char **password)
{
	*password = NULL;
	PQconninfoOption *opts = PQconninfoParse(url, NULL);
	if (!opts)
		return NULL;
	struct buf b;
	buf_init(&b, 16384);
	int bad = 0;
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		if (!o->val || !o->val[0])
			continue;
		if (strcmp(o->keyword, "password") == 0) {
			free(*password);
			*password = xstrdup(o->val);
			continue;
		}
		bad |= buf_printf(&b, "%s%s='", b.len ? " " : "", o->keyword);
		for (const char *v = o->val; *v && !bad; v++) {
			if (*v == '\\' || *v == '\'')
				bad |= buf_puts(&b, "\\");
			bad |= buf_append(&b, v, 1);
		}
		bad |= buf_puts(&b, "'");
	}
	PQconninfoFree(opts);
	if (bad || !b.len) {
		buf_cleanup(&b);
		if (*password)
			sodium_memzero(*password, strlen(*password));
		free(*password);
		*password = NULL;
		return NULL;
	}
	return buf_steal(&b);
}

/*
 * Runs argv (no shell) with stdout on out_fd and PGPASSWORD set when password
 * is not NULL, and waits; its exit status, or -1 when it did not run or was
 * killed.
 */
static int run_program(char *const argv[], int out_fd, const char *password)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PGPASSWORD=", 11) != 0)
			env[k++] = environ[i];
	char *pass_var = password ? xasprintf("PGPASSWORD=%s", password) : NULL;
	if (pass_var)
		env[k++] = pass_var;
	env[k] = NULL;

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	pid_t pid;
	int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	if (pass_var)
		sodium_memzero(pass_var, strlen(pass_var));
	free(pass_var);
	free(env);
	if (rc != 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void log_backup(const char *code)
{
	metrics_store_error();
	fprintf(stderr, "{\"level\":\"error\",\"store\":\"postgres\",\"op\":\"backup\",\"code\":\"%s\"}\n", code);
}

/*
 * Writes a logical copy (pg_dump's custom format, for pg_restore) to path.
 * The copy goes to path.partial, created here with mode 0600 and renamed
 * into place once pg_dump exits 0, so a failed dump leaves no file that looks
 * complete. STORE_ERROR when the file cannot be created or pg_dump fails.
 */
static enum store_status pg_backup(struct store *s, const char *path)
{
	struct pg_store *ps = (struct pg_store *)s;
	enum store_status st = STORE_ERROR;
	char *password = NULL, *conninfo = NULL, *dump = NULL;
	char *tmp = xasprintf("%s.partial", path);
	int fd = -1;
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out; /* the caller reports it, as for SQLite */
	dump = pg_dump_path();
	if (!dump) {
		log_backup("no pg_dump");
		goto out;
	}
	conninfo = conninfo_split(ps->url, &password);
	if (!conninfo) {
		log_backup("bad url");
		goto out;
	}
	char *argv[] = {dump, "--format=custom", "--no-owner", "--dbname", conninfo, NULL};
	int rc = run_program(argv, fd, password);
	if (rc != 0) {
		char code[32];
		snprintf(code, sizeof code, "pg_dump exit %d", rc);
		log_backup(code);
		goto out;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto out;
	st = STORE_OK;
out:
	if (fd >= 0)
		close(fd);
	if (st != STORE_OK)
		unlink(tmp);
	if (password)
		sodium_memzero(password, strlen(password));
	free(password);
	free(conninfo);
	free(dump);
	free(tmp);
	return st;
}

static enum store_status pg_check(struct store *s, bool *ok, char *detail, size_t detail_len)
{
	CONN_OR_BUSY(s);
	*ok = false;
	snprintf(detail, detail_len, "no answer");
	enum store_status r = simple(c, ST_PING, NULL, "check");
	if (r != STORE_OK)
		return r;
	PGresult *res = NULL;
	r = exec(c, ST_ORPHANS, NULL, &res, "check");
	if (r == STORE_OK && PQntuples(res) == 1 && PQnfields(res) == (int)ARRAY_LEN(orphan_names)) {
		*ok = true;
		snprintf(detail, detail_len, "ok");
		for (size_t i = 0; i < ARRAY_LEN(orphan_names); i++) {
			int64_t n = pg_col_int(res, 0, (int)i);
			if (n > 0) {
				*ok = false;
				snprintf(detail, detail_len, "%lld %s", (long long)n, orphan_names[i]);
				break;
			}
		}
	} else if (r == STORE_OK) {
		r = STORE_ERROR;
	}
	PQclear(res);
	return r;
}

struct store *store_postgres_open(const char *url, char *err, size_t err_len)
{
	struct pg_store *s = xcalloc(1, sizeof *s);
	s->url = xstrdup(url);
	pthread_key_create(&s->key, NULL);
	pthread_mutex_init(&s->lock, NULL);
	s->base = (struct store){
		.name = "postgres",
		.migrate = pg_migrate,
		.thread_done = pg_thread_done,
		.close = pg_close,
		.ping = pg_ping,
		.backup = pg_backup,
		.check = pg_check,
		.user_insert = pg_user_insert,
		.user_by_username = pg_user_by_username,
		.session_insert = pg_session_insert,
		.session_viewer = pg_session_viewer,
		.session_touch = pg_session_touch,
		.session_delete = pg_session_delete,
		.session_delete_user = pg_session_delete_user,
		.failure_add = pg_failure_add,
		.failure_count = pg_failure_count,
		.failure_clear = pg_failure_clear,
		.space_create = pg_space_create,
		.space_member_count = pg_space_member_count,
		.invite_insert = pg_invite_insert,
		.space_join = pg_space_join,
		.space_leave = pg_space_leave,
		.datakey_by_scope = pg_datakey_by_scope,
		.datakey_by_id = pg_datakey_by_id,
		.datakey_insert = pg_datakey_insert,
		.datakey_all = pg_datakey_all,
		.datakey_rewrap = pg_datakey_rewrap,
		.checkin_insert = pg_checkin_insert,
		.checkin_get = pg_checkin_get,
		.checkin_update = pg_checkin_update,
		.checkin_delete = pg_checkin_delete,
		.checkin_list = pg_checkin_list,
	};
	pg_features_init(&s->base);
	pg_growth_init(&s->base);
	pg_social_init(&s->base);
	/* Connect now so a wrong URL or a server that is down is reported at start-up. */
	if (!conn_open(s, err, err_len)) {
		pg_close(&s->base);
		return NULL;
	}
	return &s->base;
}
