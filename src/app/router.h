/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * router.h - the top of the request path: a fully read request meets its
 * route (app/routes.c) here, is authenticated, has its access rule and CSRF
 * checked, and only then reaches its handler in api/ or web/. A refusal
 * before the handler takes the shape of the route's kind: the API's error
 * JSON, or a page.
 */
#ifndef HEARTH_ROUTER_H
#define HEARTH_ROUTER_H

#include "../http/http.h"

/* Dispatches a fully read request: routing, authentication, CSRF, handler. Always sets a response. */
void router_dispatch(struct request *r);
/* Is the request for a route whose handler hashes a password (hashing_handlers)? For server_run. */
bool router_hashes(struct request *r);
/*
 * Sets r->lang (issue 16): the viewer's language setting, else the request's
 * Accept-Language, else the server's default. Called for every request, and
 * again by a change of the setting so that its answer is in the new language.
 */
void router_choose_language(struct request *r);

#endif
