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

/*
 * Serves until a stop signal, calling dispatch once for every request that
 * was read whole and passed the early checks; returns 0, or -1 when the
 * server cannot start. hashes (may be NULL) says whether a request is for a
 * route that hashes a password: those run at most app->config.hash_slots at
 * a time, the others waiting without holding a thread.
 */
int server_run(struct app *app, void (*dispatch)(struct request *r), bool (*hashes)(struct request *r)) WARN_UNUSED;

#endif
