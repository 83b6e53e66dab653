/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * server.h - the HTTP server on libmicrohttpd: runs until SIGTERM or SIGINT,
 * then stops accepting, lets requests in flight finish, and returns.
 */
#ifndef HEARTH_SERVER_H
#define HEARTH_SERVER_H

#include "../app.h"

/* Serves until a stop signal; returns 0, or -1 when the server cannot start. */
int server_run(struct app *app) WARN_UNUSED;

#endif
