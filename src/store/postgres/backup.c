/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * postgres/backup.c - what the PostgreSQL store does beside its driver: a
 * backup is a pg_dump run as a child process (no shell, the password in its
 * environment rather than on its command line), and the integrity check
 * looks for rows that point at nothing.
 */
#include "postgres.h"

#include "../store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <sodium.h>

extern char **environ;

/*
 * Splits a libpq URL or conninfo into a keyword='value' conninfo without the
 * password (so it is not on pg_dump's command line, which other users can
 * read) and the password as "PGPASSWORD=..." for pg_dump's environment (NULL
 * when none). NULL when url is malformed. The caller frees both.
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
			*password = xasprintf("PGPASSWORD=%s", o->val); /* libpq gives each keyword once */
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
 * Runs argv (no shell; argv[0] looked up on PATH) with stdout on out_fd and
 * password ("PGPASSWORD=...") in its environment when not NULL, and waits;
 * its exit status, or -1 when it did not run or was killed.
 */
static int run_program(char *const argv[], int out_fd, char *password)
{
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = xcalloc(n + 2, sizeof *env);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "PGPASSWORD=", 11) != 0)
			env[k++] = environ[i];
	if (password)
		env[k++] = password;
	env[k] = NULL;

	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, env);
	posix_spawn_file_actions_destroy(&fa);
	free(env);
	if (rc != 0)
		return -1;
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/*
 * Writes a logical copy (pg_dump's custom format, for pg_restore) to path.
 * The copy goes to path.partial, created here with mode 0600 and renamed
 * into place once pg_dump exits 0, so a failed dump leaves no file that looks
 * complete. STORE_ERROR when the file cannot be created or pg_dump fails.
 */
enum store_status postgres_backup(const char *url, const char *path)
{
	enum store_status st = STORE_ERROR;
	char *password = NULL, *conninfo = NULL;
	char *tmp = xasprintf("%s.partial", path);
	unlink(tmp);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out; /* the caller reports it, as for SQLite */
	conninfo = conninfo_split(url, &password);
	if (!conninfo) {
		db_log_error("postgres", "backup", "bad url");
		goto out;
	}
	char *argv[] = {"pg_dump", "--format=custom", "--no-owner", "--dbname", conninfo, NULL};
	int rc = run_program(argv, fd, password);
	if (rc != 0) {
		char code[32];
		snprintf(code, sizeof code, "pg_dump exit %d", rc);
		db_log_error("postgres", "backup", code);
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
	free(tmp);
	return st;
}

/* Rows that point at nothing: what PRAGMA foreign_key_check finds for SQLite. */
DB_QUERY(Q_ORPHANS,
         "SELECT"
         " (SELECT count(*) FROM space_members m WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = m.user_id)),"
         " (SELECT count(*) FROM space_members m WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = m.space_id)),"
         " (SELECT count(*) FROM invites i WHERE NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = i.space_id)),"
         " (SELECT count(*) FROM sessions x WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = x.user_id)),"
         " (SELECT count(*) FROM checkins c WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = c.author_id)),"
         " (SELECT count(*) FROM checkins c WHERE c.space_id <> c.author_id"
         "   AND NOT EXISTS (SELECT 1 FROM spaces s WHERE s.id = c.space_id))");

static const char *const orphan_names[] = {
    "space members without a user", "space members without a space", "invites without a space",
    "sessions without a user",      "check-ins without an author",   "check-ins in a missing space",
};

enum store_status postgres_check(struct store *s, bool *ok, char *detail, size_t detail_len)
{
	*ok = false;
	snprintf(detail, detail_len, "no answer");
	struct db *d = db_of(s);
	if (!d)
		return STORE_BUSY;
	struct db_stmt *st = db_prepare(d, &Q_ORPHANS);
	if (!st)
		return STORE_ERROR;
	enum store_status r = db_step(st);
	if (r == STORE_OK) {
		*ok = true;
		snprintf(detail, detail_len, "ok");
		for (size_t i = 0; i < ARRAY_LEN(orphan_names); i++) {
			int64_t n = db_col_int(st, (int)i);
			if (n > 0) {
				*ok = false;
				snprintf(detail, detail_len, "%lld %s", (long long)n, orphan_names[i]);
				break;
			}
		}
	} else if (r == STORE_NOT_FOUND) {
		r = STORE_ERROR;
	}
	db_done(st);
	return r;
}
