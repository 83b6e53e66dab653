/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * server.h - the HTTP server on libmicrohttpd: runs until SIGTERM or SIGINT,
 * then stops accepting, lets requests in flight finish, and returns. It reads
 * requests and writes responses; what a request means is the business of the
 * dispatch function it is given (app/router.c).
 */
#ifndef HEARTH_SERVER_H
#define HEARTH_SERVER_H

#include "../app.h"

/* What server_listen made ready for server_run. */
struct server_listeners {
	int fd, mfd;      /* the listener and the metrics one; -1: none */
	char *cert, *key; /* the TLS pair (NULL without TLS), read while still root */
};

/*
 * Everything that needs root, then the drop: reads the TLS pair, binds the
 * listener and the metrics one, and hands the data directory to the service
 * user (privileges_drop). No request is served and no thread of this file
 * runs meanwhile; between this and server_run the caller starts its own
 * threads that touch the data directory, which then run as that user. 0, or
 * -1 with the reason printed and nothing left open.
 */
int server_listen(struct app *app, struct server_listeners *l) WARN_UNUSED;
/* Closes and frees what server_listen made, for a start that fails before server_run. */
void server_listeners_close(struct server_listeners *l);

/*
 * Serves on l (made by server_listen, and closed or handed over by this call)
 * until a stop signal, calling dispatch once for every request that was read
 * whole and passed the early checks; returns 0, or -1 when the server cannot
 * start. hashes (may be NULL) says whether a request is for a route that
 * hashes a password: those run at most app->config.hash_slots at a time, the
 * others waiting without holding a thread.
 */
int server_run(struct app *app, struct server_listeners *l, void (*dispatch)(struct request *r),
               bool (*hashes)(struct request *r)) WARN_UNUSED;

#endif
