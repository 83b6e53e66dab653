/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * main.c - the hearth command line: global options, then one subcommand
 * from the table below. Bad arguments: one line on stderr, exit 2. Runtime
 * failure: exit 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "app/router.h"
#include "domain/account.h"
#include "domain/auth.h"
#include "domain/content.h"
#include "domain/keyring.h"
#include "domain/password.h"
#include "domain/questionnaire.h"
#include "domain/two_step.h"
#include "domain/upgrade.h"
#include "http/cache.h"
#include "util/memo.h"
#include "http/metrics.h"
#include "http/proxy.h"
#include "http/server.h"
#include "notify/mailer.h"
#include "notify/pusher.h"
#include "domain/webpush.h"
#include "seed.h"
#include "util/progress.h"
#include "store/sqlite/backup.h"

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0.1.0"
#endif

#define EXIT_USAGE 2

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "hearth: ");
	fprintf(stderr, fmt, arg ? arg : "");
	fprintf(stderr, " (see 'hearth help')\n");
	return EXIT_USAGE;
}

/* The manual, docs/hearth.1.scd, tells the same facts at length: tests/e2e/manual.test.mjs
 * fails when the two name different commands, flags or environment variables. */
static const char help_text[] =
    "usage: hearth [--data DIR | --database URL] [--key-file PATH] COMMAND [ARGS]\n"
    "\n"
    "commands:\n"
    "  serve [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE] [--user NAME]\n"
    "                               migrate, then serve HTTP (default 127.0.0.1:8080); started as\n"
    "                               root, switches to NAME (default: hearth, else nobody) after binding\n"
    "  user add USERNAME --role member|therapist|admin [--display-name NAME]\n"
    "                               add an account; the password is read from standard input\n"
    "  user two-step-off USERNAME   turn two-step login off for someone who lost their phone and codes\n"
    "  user passwd USERNAME         set a new password (read from standard input); ends every session\n"
    "                               of that account\n"
    "  migrate                      apply pending database migrations\n"
    "  backup FILE                  write a consistent copy of the database to FILE, while serving\n"
    "  restore FILE                 put a backup back in place (SQLite; the server must be stopped)\n"
    "  check                        check the database's integrity (exit 0 when sound)\n"
    "  rotate-key                   re-wrap the data keys under a new master key\n"
    "  seed --spaces N --days D [--password PW]\n"
    "                               synthetic couples seed-<i>-a/-b with D days of check-ins\n"
    "                               (default password: " SEED_DEFAULT_PASSWORD ")\n"
    "  routes                       print the route table as JSON lines\n"
    "  help, --help, -h, --version\n"
    "\n"
    "environment: HEARTH_DATA, HEARTH_DATABASE_URL, HEARTH_KEY_FILE, HEARTH_LISTEN, HEARTH_QUICK_EXIT_URL,\n"
    "             HEARTH_DEFAULT_LANGUAGE (en, es or de), HEARTH_THREADS,\n"
    "             HEARTH_ACCESS_LOG (0 turns the access log off), HEARTH_PUBLIC_URL,\n"
    "             HEARTH_TRUSTED_PROXIES, HEARTH_SIGNUP_LIMIT, HEARTH_METRICS_LISTEN, HEARTH_METRICS_TOKEN,\n"
    "             HEARTH_USER, HEARTH_SAFETY_FILE, HEARTH_QUESTIONNAIRES_DIR, HEARTH_PG_PARTITIONS,\n"
    "             HEARTH_SMTP_URL, HEARTH_SMTP_USER, HEARTH_SMTP_PASSWORD_FILE, HEARTH_SMTP_FROM (email reminders),\n"
    "             HEARTH_PUSH_SUBJECT (web push: who runs this server, mailto: or https:),\n"
    "             HEARTH_CACHE (0 turns the caches of rendered answers and opened values off),\n"
    "             HEARTH_CACHE_MB (their bound together)\n"
    "for tests:   HEARTH_FRESH_MS (shortens the 10 minutes a password typed keeps a session fresh),\n"
    "             HEARTH_BUSY_TIMEOUT_MS, HEARTH_FAULT_FILE, HEARTH_FAULT_SHADOW; in a build with\n"
    "             -Dtest_hooks=true only: HEARTH_TEST_CLOCK_FILE, HEARTH_TEST_MAIL_TICK_MS,\n"
    "             HEARTH_TEST_OUTBOX_PAUSE_MS, HEARTH_TEST_PUSH_LOOPBACK, HEARTH_TEST_FAST_PASSWORD_HASH\n"
    "\n"
    "Every command, flag and variable is described in hearth(1): man hearth\n";

/* The key file: --key-file, HEARTH_KEY_FILE, or master.key in the data directory. */
static const char *key_file_path(struct app *app)
{
	static char path[4096];
	if (app->config.key_file)
		return app->config.key_file;
	snprintf(path, sizeof path, "%s/master.key", app->config.data_dir);
	return path;
}

static int open_store(struct app *app)
{
	char err[512];
	const char *url = app->config.database_url;
	if (url && strncmp(url, "postgres://", 11) != 0 && strncmp(url, "postgresql://", 13) != 0) {
		fprintf(stderr, "hearth: --database wants a postgresql:// URL\n");
		return -1;
	}
	if (url) {
		/* The data directory still holds the key file. */
		if (mkdir(app->config.data_dir, 0700) != 0 && errno != EEXIST) {
			fprintf(stderr, "hearth: cannot create %s: %s\n", app->config.data_dir, strerror(errno));
			return -1;
		}
		app->store = store_postgres_open(url, err, sizeof err);
	} else {
		app->store = store_sqlite_open(app->config.data_dir, err, sizeof err);
	}
	if (!app->store) {
		fprintf(stderr, "hearth: %s\n", err);
		return -1;
	}
	int version = 0;
	app->store->migrate_progress = true;
	enum store_status st = app->store->migrate(app->store, &version);
	if (st != STORE_OK) {
		fprintf(stderr, "hearth: migration failed (%s)\n", store_status_name(st));
		return -1;
	}
	/* A new key file is made only for a database that has no data keys yet. */
	struct arena *a = arena_new();
	struct store_datakey *rows;
	int count = 0;
	st = app->store->datakey_all(app->store, a, &rows, &count);
	arena_free(a);
	if (st != STORE_OK) {
		fprintf(stderr, "hearth: cannot read the data keys (%s)\n", store_status_name(st));
		return -1;
	}
	app->keys = keyring_open(key_file_path(app), count == 0, err, sizeof err);
	if (!app->keys || keyring_verify(app->keys, app->store, err, sizeof err) < 0) {
		fprintf(stderr, "hearth: %s\n", err);
		return -1;
	}
	app->store->keys = app->keys;
	/* What an older hearth wrote in clear is sealed now, once, with the key file (domain/upgrade.h). */
	if (upgrade_run(app->store, true, err, sizeof err) < 0) {
		fprintf(stderr, "hearth: upgrade: %s\n", err);
		return -1;
	}
	return 0;
}

/*
 * The data directory's lock file: every `serve` on SQLite holds it shared for
 * its whole life, and `restore` needs it exclusively, so a restore never swaps
 * the database under a running server. The descriptor, or -1 (errno set;
 * EWOULDBLOCK when somebody else holds it).
 */
static int data_dir_lock(struct app *app, int how)
{
	if (mkdir(app->config.data_dir, 0700) != 0 && errno != EEXIST)
		return -1;
	char path[4096];
	snprintf(path, sizeof path, "%s/hearth.lock", app->config.data_dir);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (flock(fd, how | LOCK_NB) != 0) {
		int saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static int split_host_port(const char *s, char *host, size_t n, int *port);

static int parse_listen(struct config *c, const char *s)
{
	static char host[64];
	if (split_host_port(s, host, sizeof host, &c->listen_port) < 0)
		return -1;
	c->listen_host = host;
	return 0;
}

/* "HOST:PORT" into host (n bytes) and *port; -1 when it is not that. */
static int split_host_port(const char *s, char *host, size_t n, int *port)
{
	const char *colon = strrchr(s, ':');
	if (!colon || colon == s || (size_t)(colon - s) >= n)
		return -1;
	char *end = NULL;
	long p = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || p < 0 || p > 65535)
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	*port = (int)p;
	return 0;
}

/* A variable of the environment; NULL when it is unset or empty. */
static const char *env_value(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* Whether a variable of the environment is set to exactly this value. */
static bool env_is(const char *name, const char *value)
{
	const char *v = getenv(name);
	return v && strcmp(v, value) == 0;
}

/* A number of milliseconds from the environment, within [min, max]; -1 for a bad one. */
static int env_ms(const char *name, int fallback, int min, int max)
{
	const char *v = env_value(name);
	if (!v)
		return fallback;
	char *end = NULL;
	long n = strtol(v, &end, 10);
	return *end || n < min || n > max ? -1 : (int)n;
}

/*
 * Email (issue 15): HEARTH_SMTP_URL turns it on and then needs
 * HEARTH_SMTP_FROM; the password is read from a file, never from the
 * environment, where other processes of the same user could read it.
 */
static int mail_settings_read(struct config *c)
{
	c->smtp_url = env_value("HEARTH_SMTP_URL");
	c->smtp_user = env_value("HEARTH_SMTP_USER");
	c->smtp_from = getenv("HEARTH_SMTP_FROM");
	c->mail_tick_ms = 30000;
	if (!c->smtp_url)
		return 0;
	if (strncmp(c->smtp_url, "smtp://", 7) != 0 && strncmp(c->smtp_url, "smtps://", 8) != 0)
		return usage_error("HEARTH_SMTP_URL wants smtp://HOST:PORT or smtps://HOST:PORT, not '%s'",
		                   c->smtp_url);
	if (!c->smtp_from || !strchr(c->smtp_from, '@') || strpbrk(c->smtp_from, "\r\n"))
		return usage_error(
		    "HEARTH_SMTP_FROM wants the sender's address, such as \"hearth <hearth@example.org>\"%s", "");
	const char *file = env_value("HEARTH_SMTP_PASSWORD_FILE");
	if (file) {
		FILE *f = fopen(file, "r");
		static char password[512];
		if (!f || !fgets(password, sizeof password, f)) {
			if (f)
				fclose(f);
			return usage_error("HEARTH_SMTP_PASSWORD_FILE: cannot read '%s'", file);
		}
		fclose(f);
		password[strcspn(password, "\r\n")] = '\0';
		c->smtp_password = password;
	}
#ifdef HEARTH_TEST_HOOKS
	c->test_clock_file = getenv("HEARTH_TEST_CLOCK_FILE");
	c->mail_tick_ms = env_ms("HEARTH_TEST_MAIL_TICK_MS", 30000, 10, 3600000);
	c->outbox_pause_ms = env_ms("HEARTH_TEST_OUTBOX_PAUSE_MS", 0, 0, 600000);
	if (c->mail_tick_ms < 0 || c->outbox_pause_ms < 0)
		return usage_error("HEARTH_TEST_MAIL_TICK_MS and HEARTH_TEST_OUTBOX_PAUSE_MS want milliseconds%s", "");
#else
	(void)env_ms;
#endif
	return 0;
}

/*
 * Web push (issue 15): the VAPID subject, HEARTH_PUSH_SUBJECT (a mailto: or
 * https: URI the push services may use to reach the operator), else the
 * public URL when it is https, else mailto:hearth@ its host. The test hooks:
 * the clock file and tick the mailer uses too, and loopback endpoints.
 */
static int push_settings_read(struct config *c)
{
	static char subject[300];
	const char *given = env_value("HEARTH_PUSH_SUBJECT");
	if (given) {
		if ((strncmp(given, "mailto:", 7) != 0 && strncmp(given, "https://", 8) != 0) || strlen(given) >= 256 ||
		    strpbrk(given, "\"\\\r\n"))
			return usage_error("HEARTH_PUSH_SUBJECT wants a mailto: or https: address, such as "
			                   "mailto:ops@example.org, not '%s'",
			                   given);
		snprintf(subject, sizeof subject, "%s", given);
	} else if (strncasecmp(c->public_url, "https://", 8) == 0) {
		snprintf(subject, sizeof subject, "%.*s", (int)strcspn(c->public_url + 8, "/") + 8, c->public_url);
	} else {
		const char *host = strstr(c->public_url, "://");
		host = host ? host + 3 : c->public_url;
		snprintf(subject, sizeof subject, "mailto:hearth@%.*s", (int)strcspn(host, ":/"), host);
	}
	c->push_subject = subject;
	c->push_tick_ms = 30000;
#ifdef HEARTH_TEST_HOOKS
	c->test_clock_file = getenv("HEARTH_TEST_CLOCK_FILE");
	c->push_tick_ms = env_ms("HEARTH_TEST_MAIL_TICK_MS", 30000, 10, 3600000);
	c->push_loopback = env_is("HEARTH_TEST_PUSH_LOOPBACK", "1");
	c->outbox_pause_ms = env_ms("HEARTH_TEST_OUTBOX_PAUSE_MS", 0, 0, 600000);
	if (c->push_tick_ms < 0 || c->outbox_pause_ms < 0)
		return usage_error("HEARTH_TEST_MAIL_TICK_MS and HEARTH_TEST_OUTBOX_PAUSE_MS want milliseconds%s", "");
#endif
	return 0;
}

/*
 * The settings only `serve` reads (issue 10, part C): trusted proxies, the
 * sign-up limit, the metrics listener and token, https from the public URL,
 * the argon2id slots. 0, or the exit status of a usage error.
 */
static int serve_settings(struct config *c)
{
	static struct proxy_list proxies;
	static char metrics_host[64];
	char err[256];
	if (proxy_list_parse(getenv("HEARTH_TRUSTED_PROXIES"), &proxies, err, sizeof err) < 0)
		return usage_error("%s", err);
	c->trusted_proxies = &proxies;
	c->public_https = strncasecmp(c->public_url, "https://", 8) == 0;
	const char *limit = getenv("HEARTH_SIGNUP_LIMIT");
	c->signup_limit = THROTTLE_SIGNUP_FLOOR;
	if (limit) {
		char *end = NULL;
		long n = strtol(limit, &end, 10);
		if (!*limit || *end || n < THROTTLE_SIGNUP_FLOOR || n > 1000000)
			return usage_error("HEARTH_SIGNUP_LIMIT wants a number of sign-ups an hour from one address, "
			                   "50 (what the API promises) to 1000000, not '%s'",
			                   limit);
		c->signup_limit = (int)n;
	}
	const char *listen = getenv("HEARTH_METRICS_LISTEN");
	c->metrics_listen_set = listen && *listen;
	if (c->metrics_listen_set && strcmp(listen, "off") == 0) {
		c->metrics_host = NULL;
	} else {
		c->metrics_host = metrics_host;
		if (split_host_port(c->metrics_listen_set ? listen : "127.0.0.1:9464", metrics_host,
		                    sizeof metrics_host, &c->metrics_port) < 0)
			return usage_error("HEARTH_METRICS_LISTEN wants HOST:PORT or off, not '%s'", listen);
	}
	c->metrics_token = getenv("HEARTH_METRICS_TOKEN");
	if (c->metrics_token && strlen(c->metrics_token) < 16)
		return usage_error("HEARTH_METRICS_TOKEN must be at least 16 characters (a random one: "
		                   "`openssl rand -hex 32`)%s",
		                   "");
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->hash_slots = cores < 1 ? 1 : (unsigned)cores;
	/* Issue 18: the caches of rendered answers and opened values, on unless HEARTH_CACHE=0, HEARTH_CACHE_MB big. */
	const char *mb = env_value("HEARTH_CACHE_MB");
	long cache_mb = CACHE_MB_DEFAULT;
	if (mb) {
		char *end = NULL;
		cache_mb = strtol(mb, &end, 10);
		_Static_assert(CACHE_MB_MAX == 4096, "the message below names the bound");
		if (*end || cache_mb < 1 || cache_mb > CACHE_MB_MAX)
			return usage_error("HEARTH_CACHE_MB wants megabytes from 1 to 4096, not '%s'", mb);
	}
	const char *on = env_value("HEARTH_CACHE");
	if (on && strcmp(on, "0") != 0 && strcmp(on, "1") != 0)
		return usage_error("HEARTH_CACHE wants 0 (off) or 1 (on), not '%s'", on);
	c->cache_bytes = on && strcmp(on, "0") == 0 ? 0 : (size_t)cache_mb << 20;
	int bad = push_settings_read(c);
	return bad ? bad : mail_settings_read(c);
}

/*
 * Feeds, the sitemap and canonical links name HEARTH_PUBLIC_URL; without it
 * they say http://127.0.0.1:8080, which is wrong for anyone reaching this
 * server from elsewhere. Listening beyond loopback without it: a warning.
 */
static void warn_public_url(const struct config *c)
{
	const char *h = c->listen_host;
	bool loopback = strcmp(h, "localhost") == 0 || strncmp(h, "127.", 4) == 0 || strcmp(h, "::1") == 0 ||
	                strcmp(h, "[::1]") == 0;
	const char *set = getenv("HEARTH_PUBLIC_URL");
	if ((!set || !*set) && !loopback)
		fprintf(
		    stderr,
		    "{\"level\":\"warning\",\"msg\":\"HEARTH_PUBLIC_URL is not set while listening on %s: feeds, the "
		    "sitemap and canonical links will name %s; set it to the address readers use\"}\n",
		    h, c->public_url);
}

/*
 * Web push (issue 15): the VAPID key pair in vapid.key beside the key file
 * (made at first start, like the key file, and so before root is dropped).
 */
static int push_key_load(struct app *app)
{
	char path[4096], err[512];
	const char *key = app->config.key_file_path;
	const char *slash = strrchr(key, '/');
	if (slash)
		snprintf(path, sizeof path, "%.*s/vapid.key", (int)(slash - key), key);
	else
		snprintf(path, sizeof path, "vapid.key");
	app->push_key = webpush_key_load(path, true, err, sizeof err);
	if (!app->push_key) {
		fprintf(stderr, "hearth: %s\n", err);
		return -1;
	}
	return 0;
}

/* The thread that sends web pushes, and with HEARTH_SMTP_URL the one that sends email. */
static int threads_start(struct app *app)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || pusher_start(app) < 0) {
		fprintf(stderr, "hearth: the push thread could not start\n");
		return -1;
	}
	if (app->config.smtp_url) {
		if (mailer_start(app) < 0) {
			fprintf(stderr, "hearth: the email thread could not start\n");
			pusher_stop();
			return -1;
		}
		fprintf(stderr, "{\"level\":\"info\",\"msg\":\"email reminders on\"}\n");
	}
	return 0;
}

/*
 * Worker threads unless HEARTH_THREADS says: 2 a core where a write does not
 * wait for the disk on its thread (SQLite: store.h, defer_begin), 4 a core
 * where every statement waits for a round trip to PostgreSQL; at most 64.
 * Each thread costs about 2 MB (its connection's schema and caches, its
 * malloc arena). Measured with bench/run (bench/README.md).
 */
static unsigned default_threads(const struct store *s)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	long n = cores * (s->when_durable ? 2 : 4);
	return (unsigned)(n > 64 ? 64 : n);
}

static int cmd_serve(struct app *app, int argc, char **argv)
{
	int bad = serve_settings(&app->config);
	if (bad)
		return bad;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			if (parse_listen(&app->config, argv[++i]) < 0)
				return usage_error("--listen wants HOST:PORT, not '%s'", argv[i]);
		} else if (strcmp(argv[i], "--tls-cert") == 0 && i + 1 < argc) {
			app->config.tls_cert = argv[++i];
		} else if (strcmp(argv[i], "--tls-key") == 0 && i + 1 < argc) {
			app->config.tls_key = argv[++i];
		} else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
			app->config.run_as = argv[++i];
		} else {
			return usage_error("serve: unknown argument '%s'", argv[i]);
		}
	}
	if ((app->config.tls_cert != NULL) != (app->config.tls_key != NULL))
		return usage_error("serve: --tls-cert and --tls-key go together%s", "");
	warn_public_url(&app->config);
	char err[512];
	if (!i18n_check())
		return 1; /* a build without its catalogues is a broken build: say so at start */
	if (content_load(getenv("HEARTH_SAFETY_FILE"), err, sizeof err) < 0 ||
	    questionnaires_load(getenv("HEARTH_QUESTIONNAIRES_DIR"), err, sizeof err) < 0) {
		fprintf(stderr, "hearth: %s\n", err);
		return 1;
	}
	/*
	 * Block SIGTERM and SIGINT before the store starts its threads (the
	 * checkpointer): a thread that does not block them would take a stop
	 * signal with the default action and kill the server mid-request, instead
	 * of the main thread's sigwait (http/server.c) stopping it gracefully.
	 */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	/*
	 * A page's render frees a few hundred KiB at its end. With glibc's default
	 * 128 KiB trim threshold a worker thread's arena gave that back to the kernel
	 * (madvise) after nearly every page and took page faults to touch it again on
	 * the next: a fifth of an uncached dashboard's CPU (bench/README.md). Each
	 * arena now keeps up to 1 MiB of free memory at its top (512 KiB was not
	 * enough to stop it). Setting it also fixes the mmap threshold at its
	 * 128 KiB: large blocks still come from mmap and go back at once.
	 */
	mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
	if (!app->config.database_url)
		store_sqlite_log_syscalls();
	if (open_store(app) < 0)
		return 1;
	if (!app->config.threads)
		app->config.threads = default_threads(app->store);
	/* Held for the server's life (closed with the process): restore waits for it. */
	if (!app->config.database_url && data_dir_lock(app, LOCK_SH) < 0) {
		fprintf(stderr, "hearth: %s is being restored (or cannot be locked: %s)\n", app->config.data_dir,
		        strerror(errno));
		return 1;
	}
	app->config.key_file_path = key_file_path(app);
	if (push_key_load(app) < 0)
		return 1;
	/*
	 * Issue 18: HEARTH_CACHE_MB bounds the two caches together: three
	 * quarters for rendered answers, a quarter for opened values (which the
	 * push and email threads use too, so it comes before them).
	 */
	size_t opened_bytes = app->config.cache_bytes / 4;
	keyring_remember(app->keys, opened_bytes);
	/*
	 * Root is dropped here, before the push and email threads start: a thread
	 * that opened a database connection as root while the data directory was
	 * being handed over could give the WAL back to root, and no connection as
	 * the service user could then open it (the store's own threads opened
	 * theirs in store_sqlite_open).
	 */
	struct server_listeners listeners;
	if (server_listen(app, &listeners) < 0)
		return 1;
	if (threads_start(app) < 0) {
		server_listeners_close(&listeners);
		return 1;
	}
	app->cache = memo_new(app->config.cache_bytes - opened_bytes, CACHE_SHARDS);
	metrics_watch_cache(app->cache, keyring_opened(app->keys));
	int rc = server_run(app, &listeners, router_dispatch, router_hashes) == 0 ? 0 : 1;
	mailer_stop(); /* after the last request: nothing queues a message any more */
	pusher_stop();
	metrics_watch_cache(NULL, NULL);
	memo_free(app->cache); /* every kept answer wiped */
	app->cache = NULL;
	keyring_remember(app->keys, 0); /* every opened value wiped */
	return rc;
}

/* Reads the password from standard input: the first line, without its newline. */
static int read_password(char *out, size_t n)
{
	if (!fgets(out, (int)n, stdin))
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

/* `hearth user two-step-off USERNAME`: for someone who lost both their phone and their recovery codes. */
static int user_two_step_off(struct app *app, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("user two-step-off: expected 'user two-step-off USERNAME'%s", "");
	if (open_store(app) < 0)
		return 1;
	struct problem p = {0};
	if (!two_step_reset(app->store, argv[0], &p)) {
		fprintf(stderr, "hearth: user two-step-off: %s\n", p.message);
		return outcome_is_fault(p.outcome) ? 1 : EXIT_USAGE;
	}
	printf("two-step login is off for %s; their password alone logs them in now\n", argv[0]);
	return 0;
}

/*
 * `user passwd USERNAME`: a new password from standard input, for an
 * administrator helping someone who is locked out. The rules are those of
 * a password change (domain/password.h); every session of the account ends.
 */
static int cmd_user_passwd(struct app *app, int argc, char **argv)
{
	if (argc != 2)
		return usage_error("user passwd: expected 'user passwd USERNAME' (the password on standard input)%s",
		                   "");
	const char *username = argv[1];
	if (auth_check_username(username, strlen(username)))
		return usage_error("user passwd: '%s' is not a valid username (3-32 of a-z 0-9 . _ -)", username);
	char password[1100];
	if (read_password(password, sizeof password) < 0) {
		fprintf(stderr, "hearth: user passwd: no password on standard input\n");
		return EXIT_USAGE;
	}
	if (open_store(app) < 0) {
		sodium_memzero(password, sizeof password);
		return 1;
	}
	struct problem p = {0};
	bool ok = account_password_set(app->store, username, password, &p);
	sodium_memzero(password, sizeof password);
	if (!ok) {
		fprintf(stderr, "hearth: user passwd: %s\n", p.message);
		return outcome_is_fault(p.outcome) ? 1 : EXIT_USAGE;
	}
	printf("The password of %s is changed; every session of theirs has ended.\n", username);
	return 0;
}

static int cmd_user(struct app *app, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "two-step-off") == 0) /* issue 10, part B */
		return user_two_step_off(app, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "passwd") == 0)
		return cmd_user_passwd(app, argc, argv);
	if (argc < 2 || strcmp(argv[0], "add") != 0)
		return usage_error("user: expected 'user add USERNAME --role ROLE' or 'user passwd USERNAME'%s", "");
	const char *username = argv[1], *role = NULL, *display = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role = argv[++i];
		else if (strcmp(argv[i], "--display-name") == 0 && i + 1 < argc)
			display = argv[++i];
		else
			return usage_error("user add: unknown argument '%s'", argv[i]);
	}
	if (!role)
		return usage_error("user add: --role member|therapist|admin is required%s", "");
	enum role parsed;
	if (!role_parse(role, &parsed))
		return usage_error("user add: unknown role '%s'", role);
	if (auth_check_username(username, strlen(username)))
		return usage_error("user add: '%s' is not a valid username (3-32 of a-z 0-9 . _ -)", username);
	char password[1100];
	if (read_password(password, sizeof password) < 0) {
		fprintf(stderr, "hearth: user add: no password on standard input\n");
		return EXIT_USAGE;
	}
	if (open_store(app) < 0)
		return 1;
	struct store_user u;
	struct problem p = {0};
	bool ok = account_create(app->store, username, password, display ? display : username, parsed, &u, &p);
	sodium_memzero(password, sizeof password);
	if (!ok) {
		fprintf(stderr, "hearth: user add: %s\n", p.message);
		return outcome_is_fault(p.outcome) ? 1 : EXIT_USAGE;
	}
	printf("%s\n", u.id);
	return 0;
}

static int cmd_migrate(struct app *app, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return usage_error("migrate takes no arguments%s", "");
	return open_store(app) < 0 ? 1 : 0;
}

/* Seconds on a monotonic clock, for durations printed to people. */
static double seconds_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmd_backup(struct app *app, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("backup wants exactly one FILE%s", "");
	if (open_store(app) < 0)
		return 1;
	double started = seconds_now();
	enum store_status st = app->store->backup(app->store, argv[0]);
	if (st != STORE_OK) {
		fprintf(stderr, "hearth: backup to %s failed (%s)\n", argv[0], store_status_name(st));
		return 1;
	}
	struct stat sb;
	double mb = stat(argv[0], &sb) == 0 ? (double)sb.st_size / 1e6 : 0;
	printf("backup: %s, %.1f MB in %.1f s\n", argv[0], mb, seconds_now() - started);
	return 0;
}

/* The steps of a restore, as its progress names them. */
static const char *const restore_steps[] = {"restore: copy", "restore: check", "restore: migrate", "restore: keys",
                                            "restore: swap"};

/* One step of the restore done: the next one named, the count moved on. */
static void restore_step_done(struct progress *p, size_t done)
{
	progress_label(p, done < ARRAY_LEN(restore_steps) ? restore_steps[done] : "restore");
	progress_step(p, done);
}

/*
 * Checks a copy made by `hearth backup` in a scratch directory (readable,
 * sound, not from a newer hearth, sealed under this key file), migrates it,
 * then swaps it in, showing its steps as progress (copy, check, migrate,
 * keys, swap). 0, or -1 with a message in err; the live database is
 * untouched on every failure.
 */
static int restore_verified(struct app *app, const char *file, const char *scratch, char *err, size_t err_len)
{
	int rc = -1;
	sqlite3 *src = NULL;
	struct store *copy = NULL;
	struct keyring *keys = NULL;
	char *fresh = xasprintf("%s/hearth.db", scratch), *live = xasprintf("%s/hearth.db", app->config.data_dir);
	struct progress progress;
	progress_start(&progress, restore_steps[0], ARRAY_LEN(restore_steps));
	bool progress_open = true;
	int version = sqlite_backup_file_version(file, err, err_len);
	if (version < 0)
		goto out;
	if (sqlite3_open_v2(file, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite_backup_copy(src, fresh) != STORE_OK) {
		snprintf(err, err_len, "cannot copy %s into %s", file, scratch);
		goto out;
	}
	restore_step_done(&progress, 1);
	copy = store_sqlite_open(scratch, err, err_len);
	if (!copy)
		goto out;
	/* Sound before anything is written into it. */
	bool ok = false;
	char detail[256];
	if (copy->check(copy, &ok, detail, sizeof detail) != STORE_OK || !ok) {
		snprintf(err, err_len, "%s is damaged: %s", file, ok ? "the check did not run" : detail);
		goto out;
	}
	restore_step_done(&progress, 2);
	int latest = 0;
	if (copy->migrate(copy, &latest) != STORE_OK) {
		snprintf(err, err_len, "%s cannot be brought to this hearth's schema", file);
		goto out;
	}
	if (version > latest) {
		snprintf(err, err_len, "%s was made by a newer hearth (schema %d; this one knows up to %d)", file,
		         version, latest);
		goto out;
	}
	restore_step_done(&progress, 3);
	char why[512];
	keys = keyring_open(key_file_path(app), false, why, sizeof why);
	if (!keys) {
		snprintf(err, err_len,
		         "%s; a copy opens only with the key file it was made under: put it in place first", why);
		goto out;
	}
	if (keyring_verify(keys, copy, why, sizeof why) < 0) {
		snprintf(err, err_len,
		         "%s was sealed under another master key than %s (%s); restore it with its own key file", file,
		         key_file_path(app), why);
		goto out;
	}
	copy->close(copy);
	copy = NULL;
	restore_step_done(&progress, 4);
	struct stat sb;
	bool replacing = stat(live, &sb) == 0;
	if (sqlite_backup_swap(live, fresh, err, err_len) < 0)
		goto out;
	restore_step_done(&progress, 5);
	progress_end(&progress);
	progress_open = false;
	if (replacing)
		printf("restored %s (schema %d) into %s; the database it replaced is kept as %s.before-restore\n", file,
		       version, live, live);
	else
		printf("restored %s (schema %d) into %s\n", file, version, live);
	rc = 0;
out:
	if (progress_open) /* stopped early: the line says at which step */
		progress_end(&progress);
	if (copy)
		copy->close(copy);
	keyring_free(keys);
	sqlite3_close(src);
	unlink(fresh);
	free(fresh);
	free(live);
	return rc;
}

static int cmd_restore(struct app *app, int argc, char **argv)
{
	if (argc != 1)
		return usage_error("restore wants exactly one FILE%s", "");
	if (app->config.database_url) {
		fprintf(stderr,
		        "hearth: restore puts back SQLite copies; on PostgreSQL stop every server, then run\n"
		        "  pg_restore --clean --if-exists --no-owner --dbname=URL %s\n"
		        "with the URL hearth uses, and start the servers again\n",
		        argv[0]);
		return 1;
	}
	int lock = data_dir_lock(app, LOCK_EX);
	if (lock < 0) {
		if (errno == EWOULDBLOCK)
			fprintf(stderr, "hearth: restore: a server is running on %s; stop it first\n",
			        app->config.data_dir);
		else
			fprintf(stderr, "hearth: restore: cannot lock %s: %s\n", app->config.data_dir, strerror(errno));
		return 1;
	}
	char scratch[4096], err[10240]; /* room for two whole paths */
	snprintf(scratch, sizeof scratch, "%s/restore.tmp", app->config.data_dir);
	if (mkdir(scratch, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "hearth: restore: cannot create %s: %s\n", scratch, strerror(errno));
		close(lock);
		return 1;
	}
	int rc = restore_verified(app, argv[0], scratch, err, sizeof err);
	if (rc < 0)
		fprintf(stderr, "hearth: restore: %s; nothing was changed\n", err);
	rmdir(scratch);
	close(lock);
	return rc < 0 ? 1 : 0;
}

static int cmd_check(struct app *app, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return usage_error("check takes no arguments%s", "");
	if (open_store(app) < 0)
		return 1;
	bool ok = false;
	char detail[256];
	enum store_status st = app->store->check(app->store, &ok, detail, sizeof detail);
	if (st != STORE_OK || !ok) {
		fprintf(stderr, "hearth: check failed: %s\n", st == STORE_OK ? detail : store_status_name(st));
		return 1;
	}
	printf("ok\n");
	return 0;
}

static int cmd_rotate_key(struct app *app, int argc, char **argv)
{
	(void)argv;
	if (argc)
		return usage_error("rotate-key takes no arguments%s", "");
	if (open_store(app) < 0)
		return 1;
	char err[512];
	if (keyring_rotate(app->keys, app->store, key_file_path(app), true, err, sizeof err) < 0) {
		fprintf(stderr, "hearth: rotate-key: %s\n", err);
		return 1;
	}
	printf("data keys re-wrapped under a new master key in %s; the previous key is kept as %s.old\n",
	       key_file_path(app), key_file_path(app));
	return 0;
}

/* A whole number in [lo, hi] from an argument; -1 when it is not one. */
static long parse_count(const char *s, long lo, long hi)
{
	char *end = NULL;
	long v = strtol(s, &end, 10);
	return *s && !*end && v >= lo && v <= hi ? v : -1;
}

static int cmd_seed(struct app *app, int argc, char **argv)
{
	long spaces = -1, days = -1;
	const char *password = SEED_DEFAULT_PASSWORD;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--spaces") == 0 && i + 1 < argc) {
			if ((spaces = parse_count(argv[++i], 1, 10000000)) < 0)
				return usage_error("seed: --spaces wants a number from 1 to 10000000, not '%s'",
				                   argv[i]);
		} else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc) {
			if ((days = parse_count(argv[++i], 1, 3650)) < 0)
				return usage_error("seed: --days wants a number from 1 to 3650, not '%s'", argv[i]);
		} else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc) {
			password = argv[++i];
			if (auth_check_password(password, strlen(password)))
				return usage_error("seed: --password: %s",
				                   auth_check_password(password, strlen(password)));
		} else {
			return usage_error("seed: unknown argument '%s'", argv[i]);
		}
	}
	if (spaces < 0 || days < 0)
		return usage_error("seed wants --spaces N --days D%s", "");
	if (open_store(app) < 0)
		return 1;
	return seed_run(app->store, (int)spaces, (int)days, password) == 0 ? 0 : 1;
}

static int cmd_routes(struct app *app, int argc, char **argv)
{
	(void)app;
	(void)argv;
	if (argc)
		return usage_error("routes takes no arguments%s", "");
	static const char *const methods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"};
	for (const struct route *r = routes; r->pattern; r++)
		printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"access\":\"%s\"}\n", methods[r->method], r->pattern,
		       r->access == ACCESS_PUBLIC  ? "public"
		       : r->access == ACCESS_TOKEN ? "token"
		                                   : "member");
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(struct app *app, int argc, char **argv);
} commands[] = {
    {"serve", cmd_serve},     {"user", cmd_user},   {"migrate", cmd_migrate}, {"backup", cmd_backup},
    {"restore", cmd_restore}, {"check", cmd_check}, {"routes", cmd_routes},   {"rotate-key", cmd_rotate_key},
    {"seed", cmd_seed},
};

int main(int argc, char **argv)
{
	umask(077); /* the database, its journal and the key file are for hearth alone */
	struct app app = {0};
	struct config *c = &app.config;
	c->data_dir = getenv("HEARTH_DATA") ? getenv("HEARTH_DATA") : "./hearth-data";
	c->database_url = getenv("HEARTH_DATABASE_URL");
	c->key_file = getenv("HEARTH_KEY_FILE");
	c->run_as = getenv("HEARTH_USER");
	c->listen_host = "127.0.0.1";
	c->listen_port = 8080;
	c->quick_exit_url =
	    getenv("HEARTH_QUICK_EXIT_URL") ? getenv("HEARTH_QUICK_EXIT_URL") : "https://www.bbc.co.uk/weather";
	const char *default_lang = getenv("HEARTH_DEFAULT_LANGUAGE");
	if (default_lang && *default_lang && !lang_parse(default_lang, &c->default_lang))
		return usage_error("HEARTH_DEFAULT_LANGUAGE must be en, es or de, not '%s'", default_lang);
	c->public_url = env_value("HEARTH_PUBLIC_URL") ? env_value("HEARTH_PUBLIC_URL") : "http://127.0.0.1:8080";
	c->access_log = !env_is("HEARTH_ACCESS_LOG", "0");
	if (getenv("HEARTH_THREADS")) {
		long t = strtol(getenv("HEARTH_THREADS"), NULL, 10);
		if (t < 1 || t > 256)
			return usage_error("HEARTH_THREADS must be 1 to 256, not '%s'", getenv("HEARTH_THREADS"));
		c->threads = (unsigned)t;
	}
	if (getenv("HEARTH_LISTEN") && parse_listen(c, getenv("HEARTH_LISTEN")) < 0)
		return usage_error("HEARTH_LISTEN wants HOST:PORT, not '%s'", getenv("HEARTH_LISTEN"));

	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--version") == 0) {
			printf("hearth %s\n", HEARTH_VERSION);
			return 0;
		} else if ((strcmp(argv[i], "--help") == 0) || strcmp(argv[i], "-h") == 0) {
			fputs(help_text, stdout);
			return 0;
		} else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
			c->data_dir = argv[++i];
		} else if (strcmp(argv[i], "--key-file") == 0 && i + 1 < argc) {
			c->key_file = argv[++i];
		} else if (strcmp(argv[i], "--database") == 0 && i + 1 < argc) {
			c->database_url = argv[++i];
		} else {
			return usage_error("unknown option '%s'", argv[i]);
		}
	}
	if (i >= argc)
		return usage_error("no command given%s", "");
	if (strcmp(argv[i], "help") == 0) {
		fputs(help_text, stdout);
		return 0;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "hearth: libsodium failed to start\n");
		return 1;
	}
#ifdef HEARTH_TEST_HOOKS
	if (env_is("HEARTH_TEST_FAST_PASSWORD_HASH", "1"))
		auth_password_cost_minimum();
#endif
	for (size_t k = 0; k < ARRAY_LEN(commands); k++) {
		if (strcmp(argv[i], commands[k].name) == 0) {
			int rc = commands[k].run(&app, argc - i - 1, argv + i + 1);
			if (app.store)
				app.store->close(app.store);
			keyring_free(app.keys);
			webpush_key_free(app.push_key); /* the push thread, if it ran, has stopped */
			content_free();
			questionnaires_free();
			return rc;
		}
	}
	return usage_error("unknown command '%s'", argv[i]);
}
