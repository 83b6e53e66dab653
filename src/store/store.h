/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store.h - the storage interface: one struct of function pointers that every
 * backend (sqlite.c now; postgres.c later) fills in. Nothing above this layer
 * sees SQL.
 *
 * Every function returns an enum store_status that separates a hard error
 * (STORE_ERROR), a retryable one (STORE_BUSY: locked beyond the timeout, disk
 * full, I/O error), "no such row" (STORE_NOT_FOUND), a constraint hit
 * (STORE_CONFLICT) and success. Text a function returns is allocated in the
 * arena it is given and lives as long as that arena.
 *
 * Times are milliseconds since the Unix epoch.
 */
#ifndef HEARTH_STORE_H
#define HEARTH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/util.h"

enum store_status {
	STORE_OK = 0,
	STORE_NOT_FOUND,
	STORE_CONFLICT,
	STORE_BUSY,
	STORE_ERROR,
};

#define USERNAME_MAX 32
#define DISPLAY_NAME_MAX_BYTES (64 * 4)
#define ROLE_MAX 16
#define HASH_HEX_LEN 64

struct store_user {
	char id[ID_LEN + 1];
	char username[USERNAME_MAX + 1];
	char display_name[DISPLAY_NAME_MAX_BYTES + 1];
	char role[ROLE_MAX];
	char password_hash[160];
	int64_t created_at;
};

/* Who is asking: the signed-in user, their space and partner (empty strings when none). */
struct viewer {
	char user_id[ID_LEN + 1];
	char username[USERNAME_MAX + 1];
	char display_name[DISPLAY_NAME_MAX_BYTES + 1];
	char role[ROLE_MAX];
	char space_id[ID_LEN + 1];
	char partner_id[ID_LEN + 1];
	char partner_name[DISPLAY_NAME_MAX_BYTES + 1];
	char session_hash[HASH_HEX_LEN + 1];
	int64_t session_last_seen;
};

struct store_checkin {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1];  /* the space, or the author's id when written alone */
	char author_id[ID_LEN + 1];
	int64_t created_at;
	int64_t updated_at;
	int mood, connection, secure;
	char *appreciation, *need, *worry; /* NULL when absent */
	char visibility[16];
};

/* Which check-ins a list returns; empty strings switch a part off. */
struct checkin_query {
	const char *mine_id;     /* all check-ins by this author */
	const char *space_id;    /* plus shared ones in this space ... */
	const char *partner_id;  /* ... by this author */
	int64_t before_time;     /* cursor: strictly older than (time, id); 0 = none */
	const char *before_id;
	int limit;
};

/* A data key, wrapped under the master key named by master_id (see domain/keyring.h). */
struct store_datakey {
	char id[ID_LEN + 1];
	char scope_id[ID_LEN + 1];
	char master_id[24];
	char wrapped[128];
};

enum join_result { JOIN_OK, JOIN_NO_CODE, JOIN_ALREADY_IN_SPACE, JOIN_FULL };

struct keyring;

struct store {
	const char *name;
	/* The keyring that seals the texts kept in this store (set by the caller). */
	struct keyring *keys;
	/* Applies pending migrations; returns the schema version in *version. */
	enum store_status (*migrate)(struct store *s, int *version);
	/* Closes this thread's connection (called as worker threads end). */
	void (*thread_done)(struct store *s);
	void (*close)(struct store *s);
	/* Cheap liveness probe for /healthz. */
	enum store_status (*ping)(struct store *s);
	enum store_status (*backup)(struct store *s, const char *path);
	/* Integrity check; *ok is false when the database is damaged. */
	enum store_status (*check)(struct store *s, bool *ok, char *detail, size_t detail_len);

	/*
	 * Optional (NULL when a backend has none): groups this thread's following
	 * calls into one transaction, each call's own transaction becoming a
	 * savepoint; batch_end commits (or rolls back) them all. For bulk loads.
	 */
	enum store_status (*batch_begin)(struct store *s);
	enum store_status (*batch_end)(struct store *s, bool commit);

	/* Users. user_insert: STORE_CONFLICT when the username is taken. */
	enum store_status (*user_insert)(struct store *s, const struct store_user *u);
	enum store_status (*user_by_username)(struct store *s, const char *username, struct store_user *u);

	/* Sessions, keyed by the hash of their token. */
	enum store_status (*session_insert)(struct store *s, const char *token_hash, const char *user_id,
	                                    int64_t now, int64_t expires_at);
	/* Fills the viewer for a live session (expires_at > now, idle limit honoured). */
	enum store_status (*session_viewer)(struct store *s, const char *token_hash, int64_t now,
	                                    int64_t idle_ms, struct viewer *v);
	enum store_status (*session_touch)(struct store *s, const char *token_hash, int64_t now);
	enum store_status (*session_delete)(struct store *s, const char *token_hash);
	enum store_status (*session_delete_user)(struct store *s, const char *user_id);

	/* Failure counters for throttling (keys like "login-user:NAME"). */
	enum store_status (*failure_add)(struct store *s, const char *key, int64_t now);
	/* Counts failures since `since`; *oldest is the oldest of them (0 when none). */
	enum store_status (*failure_count)(struct store *s, const char *key, int64_t since, int *count,
	                                   int64_t *oldest);
	enum store_status (*failure_clear)(struct store *s, const char *key);

	/* Spaces. space_create: STORE_CONFLICT when the user is already in one. */
	enum store_status (*space_create)(struct store *s, const char *space_id, const char *user_id,
	                                  const char *time_zone, int64_t now);
	enum store_status (*space_member_count)(struct store *s, const char *space_id, int *count);
	enum store_status (*invite_insert)(struct store *s, const char *space_id, const char *code_hash,
	                                   const char *created_by, int64_t now, int64_t expires_at);
	/* Joins through an unused, unexpired invite; *space_id_out receives the space. */
	enum store_status (*space_join)(struct store *s, const char *code_hash, const char *user_id,
	                                int64_t now, enum join_result *result, char space_id_out[ID_LEN + 1]);
	/* Leaves: the leaver's items become theirs alone; an empty space is removed. */
	enum store_status (*space_leave)(struct store *s, const char *space_id, const char *user_id);

	/* Data keys. datakey_insert: STORE_CONFLICT when the scope already has one. */
	enum store_status (*datakey_by_scope)(struct store *s, const char *scope_id, struct store_datakey *k);
	enum store_status (*datakey_by_id)(struct store *s, const char *id, struct store_datakey *k);
	enum store_status (*datakey_insert)(struct store *s, const struct store_datakey *k);
	enum store_status (*datakey_all)(struct store *s, struct arena *a, struct store_datakey **items, int *count);
	/* Replaces wrapped and master_id of every given key, in one transaction. */
	enum store_status (*datakey_rewrap)(struct store *s, const struct store_datakey *items, int count);

	/* Check-ins; the texts are sealed (domain/keyring.h) before they reach the store. */
	enum store_status (*checkin_insert)(struct store *s, const struct store_checkin *c);
	enum store_status (*checkin_get)(struct store *s, struct arena *a, const char *id, struct store_checkin *c);
	enum store_status (*checkin_update)(struct store *s, const struct store_checkin *c);
	enum store_status (*checkin_delete)(struct store *s, const char *id, const char *author_id);
	/* Newest first; *items is an arena array of *count entries (at most q->limit). */
	enum store_status (*checkin_list)(struct store *s, struct arena *a, const struct checkin_query *q,
	                                  struct store_checkin **items, int *count);
};

/* Opens the SQLite store in data_dir (created when missing); NULL with a message on failure. */
struct store *store_sqlite_open(const char *data_dir, char *err, size_t err_len);
struct store *store_postgres_open(const char *url, char *err, size_t err_len);

const char *store_status_name(enum store_status st);

#endif
