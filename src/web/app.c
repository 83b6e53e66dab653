/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * app.c - the installable app (issue 15): /manifest.webmanifest, the service
 * worker /sw.js and the page it falls back to without a network, /offline.
 *
 * What the service worker may keep is decided here, as a list written into
 * /sw.js: the static files (by their versioned URLs), /offline, /safety, /decks
 * and each deck's page. It fetches those without credentials, so what it keeps
 * is the page anyone would get (no name, no form token, no choice of the couple),
 * and it never puts anything else into its cache: every other request, every
 * /api/ request and every signed-in page goes to the network alone. While the
 * device is online it leaves navigations to the browser (a worker that answered
 * them would hide the redirects after a form from the browser's own handling);
 * offline, a navigation gets the kept copy of its page, else /offline.
 *
 * It also shows reminders that come by web push (issue 15): the words in
 * the message, under one tag; a tap brings hearth's window forward, or opens
 * its start page.
 *
 * The cache's name carries a fingerprint of every file compiled in, so a new
 * build replaces the whole cache, and an old one is deleted when it activates.
 */
#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../domain/content.h"
#include "../util/embedded.h"
#include "web.h"

/* The app's colours (static/style.css: --accent, and --bg of each scheme). */
#define APP_THEME_LIGHT "#8a3b12"
#define APP_BACKGROUND "#fbf8f4"

enum { SW_MAX = 64 * 1024 };

static char fingerprint[17];
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

/* 8 bytes of a BLAKE2b over every embedded file's name and bytes: a new build, a new cache. */
static void fingerprint_make(void)
{
	crypto_generichash_state st;
	unsigned char h[8];
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		crypto_generichash_update(&st, (const unsigned char *)f->name, strlen(f->name) + 1);
		crypto_generichash_update(&st, f->data, f->len);
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(fingerprint, sizeof fingerprint, h, sizeof h);
}

void web_manifest(struct request *r)
{
	static const struct {
		const char *file, *sizes, *type;
	} icon_files[] = {{"icon.svg", "any", "image/svg+xml"},
	                  {"icon-192.png", "192x192", "image/png"},
	                  {"icon-512.png", "512x512", "image/png"}};
	json_t *icons = json_array();
	for (size_t i = 0; i < ARRAY_LEN(icon_files); i++)
		json_array_append_new(
		    icons, json_pack("{s:s, s:s, s:s, s:s}", "src", web_asset_url(r, icon_files[i].file), "sizes",
		                     icon_files[i].sizes, "type", icon_files[i].type, "purpose", "any maskable"));
	json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", "/", "name", "hearth",
	                      "short_name", "hearth", "description",
	                      tr(r->lang, "A private place where a couple practises a secure relationship."),
	                      "start_url", "/dashboard", "scope", "/", "display", "standalone", "theme_color",
	                      APP_THEME_LIGHT, "background_color", APP_BACKGROUND, "icons", icons);
	char *text = json_dumps(m, JSON_INDENT(2));
	json_decref(m);
	if (!text) {
		/* not translated: an API error */
		reply_error(r, 500, "internal", "The manifest could not be written.", NULL);
		return;
	}
	reply_text(r, 200, "application/manifest+json; charset=utf-8", text, strlen(text));
	free(text);
}

/* The JSON array of what the service worker keeps (see the file header). */
static char *shell_list(struct request *r)
{
	json_t *urls = json_array();
	static const char *const statics[] = {"style.css", "exit.js",      "app.js",      "favicon.svg",
	                                      "icon.svg",  "icon-192.png", "icon-512.png"};
	for (size_t i = 0; i < ARRAY_LEN(statics); i++)
		json_array_append_new(urls, json_string(web_asset_url(r, statics[i])));
	json_array_append_new(urls, json_string("/offline"));
	json_array_append_new(urls, json_string("/safety"));
	json_array_append_new(urls, json_string("/decks"));
	for (size_t i = 0; i < content_deck_count(); i++)
		json_array_append_new(urls, json_string(arena_printf(r->arena, "/decks/%s", content_deck(i)->id)));
	char *text = json_dumps(urls, JSON_COMPACT);
	json_decref(urls);
	return text;
}

/* The worker; %s: the cache's name, the list of what it keeps, the icon of its notifications. A macro, so the
 * format is a literal. */
#define SW_SOURCE                                                                                                      \
	"// hearth's service worker (issue 15): keeps only public pages and static files, each\n"                      \
	"// fetched without credentials; everything else goes to the network alone, and is never kept.\n"              \
	"'use strict';\n"                                                                                              \
	"const CACHE = 'hearth-%s';\n"                                                                                 \
	"const KEEP = %s;\n"                                                                                           \
	"const ICON = '%s';\n"                                                                                         \
	"const OFFLINE = '/offline';\n"                                                                                \
	"self.addEventListener('install', (event) => {\n"                                                              \
	"  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all(KEEP.map((url) =>\n"                         \
	"    fetch(url, { credentials: 'omit', cache: 'no-store', redirect: 'error' }).then((res) => {\n"              \
	"      if (res.ok) return cache.put(url, res);\n"                                                              \
	"      return undefined;\n"                                                                                    \
	"    })))).then(() => self.skipWaiting()));\n"                                                                 \
	"});\n"                                                                                                        \
	"self.addEventListener('activate', (event) => {\n"                                                             \
	"  event.waitUntil(caches.keys().then((keys) => Promise.all(keys\n"                                            \
	"    .filter((key) => key.startsWith('hearth-') && key !== CACHE)\n"                                           \
	"    .map((key) => caches.delete(key)))).then(() => self.clients.claim()));\n"                                 \
	"});\n"                                                                                                        \
	"self.addEventListener('fetch', (event) => {\n"                                                                \
	"  const request = event.request;\n"                                                                           \
	"  if (request.method !== 'GET') return;\n"                                                                    \
	"  const url = new URL(request.url);\n"                                                                        \
	"  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;\n"                     \
	"  const isStatic = url.pathname.startsWith('/static/');\n"                                                    \
	"  const key = isStatic ? url.pathname + url.search : url.pathname;\n"                                         \
	"  if (isStatic && KEEP.includes(key)) {\n"                                                                    \
	"    event.respondWith(caches.match(key, { cacheName: CACHE }).then((hit) => hit || fetch(request)));\n"       \
	"    return;\n"                                                                                                \
	"  }\n"                                                                                                        \
	"  // A page goes to the network as if there were no worker: a signed-in person gets their own\n"              \
	"  // page, never a kept one, and redirects stay the browser's own. Only when the device is\n"                 \
	"  // offline does the worker answer: the kept public copy of this page, else the offline page.\n"             \
	"  if (request.mode !== 'navigate' || self.navigator.onLine !== false) return;\n"                              \
	"  event.respondWith(fetch(request).catch(() => caches.open(CACHE).then((cache) =>\n"                          \
	"    (KEEP.includes(key) ? cache.match(key) : Promise.resolve(undefined))\n"                                   \
	"      .then((hit) => hit || cache.match(OFFLINE))\n"                                                          \
	"      .then((hit) => hit || Response.error()))));\n"                                                          \
	"});\n"                                                                                                        \
	"// A reminder by web push (issue 15): the message is the person's own words and nothing else;\n"              \
	"// one tag, so a reminder replaces the one before instead of piling up on a lock screen.\n"                   \
	"self.addEventListener('push', (event) => {\n"                                                                 \
	"  const words = (event.data && event.data.text()) || 'A moment for you';\n"                                   \
	"  event.waitUntil(self.registration.showNotification(words, { tag: 'hearth-reminder', icon: ICON }));\n"      \
	"});\n"                                                                                                        \
	"self.addEventListener('notificationclick', (event) => {\n"                                                    \
	"  event.notification.close();\n"                                                                              \
	"  event.waitUntil(self.clients.matchAll({ type: 'window' }).then((list) => {\n"                               \
	"    const open = list.find((c) => new URL(c.url).origin === self.location.origin && 'focus' in c);\n"         \
	"    return open ? open.focus() : self.clients.openWindow('/');\n"                                             \
	"  }));\n"                                                                                                     \
	"});\n"

void web_service_worker(struct request *r)
{
	pthread_once(&fingerprint_once, fingerprint_make);
	char *list = shell_list(r);
	struct buf out;
	buf_init(&out, SW_MAX);
	if (list && buf_printf(&out, SW_SOURCE, fingerprint, list, web_asset_url(r, "icon-192.png")) == 0) {
		reply_text(r, 200, "text/javascript; charset=utf-8", out.data, out.len);
		/* The worker's scope is the whole site; the header says so even where a proxy moves the script. */
		reply_header(r, "Service-Worker-Allowed", "/");
	} else {
		/* not translated: an API error */
		reply_error(r, 500, "internal", "The service worker could not be written.", NULL);
	}
	buf_cleanup(&out);
	free(list);
}

void web_offline(struct request *r)
{
	json_t *meta = json_pack("{s:s}", "description", tr(r->lang, "hearth cannot reach the network just now."));
	web_render(r, 200, "offline", tr(r->lang, "Offline"), json_pack("{s:o}", "meta", meta));
}
