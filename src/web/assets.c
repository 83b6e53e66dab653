/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * assets.c - what the web serves beside its pages (issue 12, web hygiene):
 * the static files, /robots.txt and /sitemap.xml.
 *
 * Static files are compiled in (util/embedded.c). The first request prepares
 * each one once for the life of the process: a version (the start of its
 * BLAKE2b hash) that is also its ETag, and a gzip copy made with zlib. Pages
 * link /static/NAME?v=VERSION (web_asset_url), and such a URL is cached for
 * a year, immutable: a new build has new versions, so new URLs. Other URLs
 * revalidate with the ETag.
 *
 * BREACH: a compressed response that holds a secret and text an attacker
 * chooses leaks the secret through its length. So a page is compressed only
 * when it is public, asked for without a session, and holds no CSRF field
 * (web_compress_public); every signed-in page goes as it is.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../app.h"
#include "../domain/article.h"
#include "../util/embedded.h"
#include "web.h"

#define ASSETS_MAX 16
#define ASSET_VERSION_HEX 16 /* 8 bytes of the hash: enough to tell builds apart */

struct asset {
	const struct embedded_file *file;
	const char *type;
	char version[ASSET_VERSION_HEX + 1];
	char etag[ASSET_VERSION_HEX + 3];
	unsigned char *gzip; /* NULL when compressing did not pay off or failed */
	size_t gzip_len;
};

static struct asset assets[ASSETS_MAX];
static int asset_count;
static pthread_once_t assets_once = PTHREAD_ONCE_INIT;

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot && strcmp(dot, ".css") == 0)
		return "text/css; charset=utf-8";
	if (dot && strcmp(dot, ".js") == 0)
		return "text/javascript; charset=utf-8";
	if (dot && strcmp(dot, ".svg") == 0)
		return "image/svg+xml";
	if (dot && strcmp(dot, ".png") == 0) /* issue 15: the app's icons */
		return "image/png";
	return "application/octet-stream";
}

/* A gzip stream of the file (deflate with a gzip header), or NULL. */
static void asset_compress(struct asset *a)
{
	z_stream z = {0};
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	uLong bound = deflateBound(&z, (uLong)a->file->len);
	unsigned char *out = malloc(bound);
	if (out) {
		z.next_in = (Bytef *)a->file->data;
		z.avail_in = (uInt)a->file->len;
		z.next_out = out;
		z.avail_out = (uInt)bound;
		if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < a->file->len) {
			a->gzip = out;
			a->gzip_len = z.total_out;
			out = NULL;
		}
	}
	free(out);
	deflateEnd(&z);
}

static void assets_prepare(void)
{
	for (size_t i = 0; i < embedded_files_count && asset_count < ASSETS_MAX; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "static/", 7) != 0)
			continue;
		struct asset *a = &assets[asset_count++];
		a->file = f;
		a->type = type_of(f->name);
		unsigned char hash[ASSET_VERSION_HEX / 2];
		crypto_generichash(hash, sizeof hash, f->data, f->len, NULL, 0);
		sodium_bin2hex(a->version, sizeof a->version, hash, sizeof hash);
		a->etag[0] = '"';
		memcpy(a->etag + 1, a->version, ASSET_VERSION_HEX);
		a->etag[ASSET_VERSION_HEX + 1] = '"';
		a->etag[ASSET_VERSION_HEX + 2] = '\0';
		asset_compress(a);
	}
}

static const struct asset *asset_find(const char *name)
{
	pthread_once(&assets_once, assets_prepare);
	for (int i = 0; i < asset_count; i++)
		if (strcmp(assets[i].file->name + 7, name) == 0)
			return &assets[i];
	return NULL;
}

const char *web_asset_url(struct request *r, const char *name)
{
	const struct asset *a = asset_find(name);
	return a ? arena_printf(r->arena, "/static/%s?v=%s", name, a->version)
	         : arena_printf(r->arena, "/static/%s", name);
}

/* A gzip stream of data[0..n) in the arena, or NULL (or not smaller). */
static unsigned char *gzip_bytes(struct request *r, const void *data, size_t n, size_t *out_len)
{
	z_stream z = {0};
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	uLong bound = deflateBound(&z, (uLong)n);
	unsigned char *out = arena_alloc(r->arena, bound);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)bound;
	bool done = deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < n;
	*out_len = z.total_out;
	deflateEnd(&z);
	return done ? out : NULL;
}

/* True when the Accept-Encoding header takes gzip (and does not refuse it with q=0). */
static bool accepts_gzip(const struct request *r)
{
	const char *ae = request_header(r, "Accept-Encoding");
	const char *g = ae ? strstr(ae, "gzip") : NULL;
	if (!g)
		return false;
	const char *q = strstr(g, "q=");
	const char *comma = strchr(g, ',');
	return !(q && (!comma || q < comma) && strtod(q + 2, NULL) <= 0.0);
}

void web_static(struct request *r)
{
	const struct asset *a = asset_find(r->path_args[0]);
	if (!a) {
		web_not_found(r);
		return;
	}
	const char *v = request_query(r, "v");
	const char *inm = request_header(r, "If-None-Match");
	bool gz = a->gzip && accepts_gzip(r);
	if (inm && strstr(inm, a->etag))
		reply_text(r, 304, a->type, "", 0);
	else if (gz)
		reply_text(r, 200, a->type, (const char *)a->gzip, a->gzip_len);
	else
		reply_text(r, 200, a->type, (const char *)a->file->data, a->file->len);
	if (gz && r->resp.status == 200)
		reply_header(r, "Content-Encoding", "gzip");
	reply_header(r, "Vary", "Accept-Encoding");
	reply_header(r, "ETag", a->etag);
	/* A versioned URL never changes; an unversioned one is checked again each time. */
	reply_header(r, "Cache-Control",
	             v && strcmp(v, a->version) == 0 ? "public, max-age=31536000, immutable" : "public, no-cache");
}

void web_compress_public(struct request *r)
{
	const char *ct = r->resp.content_type;
	if (!r->route || r->route->access != ACCESS_PUBLIC || r->signed_in || r->resp.status != 200 || !ct ||
	    (strncmp(ct, "text/html", 9) != 0 && strncmp(ct, "application/atom+xml", 20) != 0 &&
	     strncmp(ct, "application/xml", 15) != 0) ||
	    r->resp.body.len < 1024 || !r->resp.body.data)
		return;
	/* A form's CSRF field is a secret: such a page is never compressed. */
	if (memmem(r->resp.body.data, r->resp.body.len, "name=\"csrf\"", 11))
		return;
	reply_header(r, "Vary", "Accept-Encoding");
	size_t n;
	unsigned char *gz = accepts_gzip(r) ? gzip_bytes(r, r->resp.body.data, r->resp.body.len, &n) : NULL;
	if (!gz)
		return;
	reply_text(r, 200, ct, (const char *)gz, n);
	reply_header(r, "Content-Encoding", "gzip");
}

void web_robots(struct request *r)
{
	/* The public blog and the front page may be crawled; everything private may not. */
	char *txt = arena_printf(r->arena,
	                         "User-agent: *\n"
	                         "Allow: /$\n"
	                         "Allow: /articles\n"
	                         "Allow: /decks\n" /* issue 15: the conversation decks are public */
	                         "Allow: /static/\n"
	                         "Disallow: /\n"
	                         "\n"
	                         "Sitemap: %s/sitemap.xml\n",
	                         r->app->config.public_url);
	reply_text(r, 200, "text/plain; charset=utf-8", txt, strlen(txt));
}

#define SITEMAP_MAX 1000

void web_sitemap(struct request *r)
{
	struct store_article *rows;
	int n = 0;
	struct problem p;
	if (!article_feed(r->app->store, NULL, SITEMAP_MAX, false, r->arena, &rows, &n, &p)) {
		reply_store_failure(r, STORE_BUSY);
		return;
	}
	struct buf out;
	buf_init(&out, 4 * 1024 * 1024);
	const char *base = r->app->config.public_url;
	int rc = buf_printf(&out,
	                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	                    "<url><loc>%s/</loc></url>\n<url><loc>%s/articles</loc></url>\n",
	                    base, base);
	for (int i = 0; i < n && rc == 0; i++) {
		char when[32];
		time_rfc3339(rows[i].updated_at, when);
		/* A slug is a-z, 0-9 and dashes: nothing to escape. */
		rc = buf_printf(&out, "<url><loc>%s/articles/%s</loc><lastmod>%s</lastmod></url>\n", base, rows[i].slug,
		                when);
	}
	if (rc == 0 && buf_puts(&out, "</urlset>\n") == 0)
		reply_text(r, 200, "application/xml; charset=utf-8", out.data, out.len);
	else
		reply_store_failure(r, STORE_BUSY);
	buf_cleanup(&out);
}
