/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * app.h - the running application every handler reaches through r->app
 * (configuration, the store, the keys), and the type of a route. The table
 * itself is app/routes.c; the router that enforces it is app/router.c.
 */
#ifndef HEARTH_APP_H
#define HEARTH_APP_H

#include <stdbool.h>

#include "http/http.h"
#include "store/store.h"

#include "util/i18n.h"

struct proxy_list;

struct config {
	const char *data_dir;
	const char *database_url;
	const char *key_file;
	const char *key_file_path; /* resolved: key_file or DATA/master.key */
	const char *tls_cert, *tls_key;
	const char *run_as; /* user to drop to when started as root */
	const char *listen_host;
	int listen_port;
	const char *quick_exit_url;
	enum lang
	    default_lang; /* HEARTH_DEFAULT_LANGUAGE: for whoever set none and whose browser names none we speak */
	const char *public_url; /* how readers reach this server, for feeds and canonical links */
	unsigned threads;
	bool access_log;
	/* Part C of issue 10: throttling, proxies, TLS, metrics. */
	bool public_https;                        /* public_url is https: __Host- Secure cookies, HSTS */
	const struct proxy_list *trusted_proxies; /* HEARTH_TRUSTED_PROXIES (http/proxy.h) */
	int signup_limit;                         /* sign-ups per address and hour (HEARTH_SIGNUP_LIMIT, >= 50) */
	const char *metrics_host;                 /* the metrics listener (HEARTH_METRICS_LISTEN); NULL: none */
	int metrics_port;
	bool metrics_listen_set;   /* chosen, not the default: failing to listen is fatal */
	const char *metrics_token; /* HEARTH_METRICS_TOKEN: /metrics with this bearer token */
	unsigned hash_slots;       /* argon2id computations at once: the cores */
	/* Issue 15: reminders by email (notify/smtp.h); smtp_url NULL: no email is offered. */
	const char *smtp_url, *smtp_user, *smtp_from;
	char *smtp_password; /* read from HEARTH_SMTP_PASSWORD_FILE */
	int mail_tick_ms;    /* how often the mailer looks for due reminders: 30 s */
	/* Test hooks, honoured only in a build with -Dtest_hooks=true (docs/reminders.md). */
	const char *test_clock_file; /* HEARTH_TEST_CLOCK_FILE */
	int outbox_pause_ms;         /* HEARTH_TEST_OUTBOX_PAUSE_MS */
	/* Issue 15: reminders by web push (domain/push.h). */
	const char *push_subject; /* the VAPID sub: HEARTH_PUSH_SUBJECT, else from public_url */
	int push_tick_ms;         /* how often the push thread looks for due reminders: 30 s */
	bool push_loopback;       /* HEARTH_TEST_PUSH_LOOPBACK=1, test hooks only: http://127.0.0.1 endpoints */
	/* Issue 18: the cache of rendered answers (http/cache.h); 0 bytes: off (HEARTH_CACHE=0). */
	size_t cache_bytes; /* HEARTH_CACHE_MB, default CACHE_MB_DEFAULT */
};

struct keyring;
struct webpush_key;
struct memo;

struct app {
	struct config config;
	struct store *store;
	struct keyring *keys;
	struct webpush_key *push_key; /* the VAPID key pair, beside the key file (issue 15) */
	struct memo *cache;           /* rendered answers of opted-in routes (issue 18, http/cache.h); NULL: off */
};

/*
 * Wipes this process's plaintext of sealed texts (app/router.c): the opened
 * values and unwrapped keys of the keyring and the rendered answers. After an
 * account's deletion, so nothing of what it wrote stays in this server's
 * memory; another server's copies age out of its bounded caches.
 */
void app_forget_plaintext(struct app *app);

/* Who may call a route. The router enforces it before the handler runs. */
enum route_access {
	ACCESS_PUBLIC, /* anyone; a session is looked up when present */
	ACCESS_MEMBER, /* any signed-in account */
	ACCESS_AUTHOR, /* any signed-in account, on a page about an item only its author may change: the
	                  page answers a refusal (OUTCOME_FORBIDDEN) 404, as for an item it may not see,
	                  so it tells a partner who can read the item nothing more (web_status) */
	ACCESS_TOKEN,  /* anyone: the token in the URL is the credential (a link in an email), so a POST
	                  needs no CSRF field: a mail client's one-click unsubscribe (RFC 8058) has none,
	                  and a forged request would need the token already */
};

typedef void (*route_handler)(struct request *r);

struct route {
	enum http_method method;
	const char *pattern; /* "/api/v1/checkins/{}": {} matches one path segment */
	enum route_access access;
	route_handler handler;
};

/* The table, in app/routes.c; terminated by a NULL pattern. */
extern const struct route routes[];
/* The handlers that check or hash a password (argon2id), run a few at a time; NULL-terminated. */
extern const route_handler hashing_handlers[];
/* The handlers whose 200 answers to a member's GET may be kept (http/cache.h); NULL-terminated. */
extern const route_handler cached_handlers[];

#endif
