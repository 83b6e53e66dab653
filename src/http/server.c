/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * server.c - libmicrohttpd glue (see server.h).
 *
 * The access handler is called several times per request: the first call
 * only allocates the request (queueing a response then would make
 * libmicrohttpd 0.9.75 close the connection, losing keep-alive), the middle
 * calls collect the body up to BODY_MAX, and the last call dispatches and
 * queues the response. The completion callback writes the access-log line
 * and frees the request.
 *
 * Threads: an internal thread pool with epoll, sized from the cores; the
 * main thread waits for a signal with sigwait, then quiesces the daemon and
 * waits for in-flight requests before stopping it.
 *
 * Routes that hash a password (argon2id: sign-up, login, ...) run on
 * threads of their own, one per core: such a request is suspended
 * (MHD_suspend_connection) and queued, a hashing thread runs its handler and
 * resumes it, and the worker thread answers it. A worker thread serves many
 * connections, so a hash run on one would stall every other request that
 * thread holds (seen under load: a read waited for nine sign-ups); now reads
 * keep their threads whatever a burst of logins does.
 *
 * An API write's commits are not waited for on the worker thread either: a
 * commit returns before its sync (store.h: defer_begin), the connection is
 * suspended with its answer ready, and the store's syncer resumes it once a
 * sync covers its writes (or, when none could, its answer becomes a 503).
 * So a thread keeps serving its other connections while the disk syncs, and
 * many writes share each sync. Pages still wait on the thread: a page whose
 * write failed shows the form again with what was typed.
 *
 * /metrics has a listener of its own (a second, small daemon), by default
 * on the loopback address only; see metrics.h.
 */
#include "server.h"

#include "../util/privileges.h"
#include "metrics.h"
#include "proxy.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <pthread.h>

static atomic_int in_flight;
static bool tls_on;

/* connect-src 'self': the quick exit's beacon that signs out (static/exit.js, issue 11), and a page reading
 * its own site's /robots.txt (crawlers and audits, issue 12); nothing else fetches. */
/* worker-src and manifest-src 'self' (issue 15): the service worker /sw.js and /manifest.webmanifest. */
static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                          "connect-src 'self'; worker-src 'self'; manifest-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";

struct conn_request {
	struct request req;
	struct timespec started;
	bool dispatched;
	bool checked, rejected; /* reject_early ran, and refused the request */
	bool hashes;            /* for a route that hashes: suspended on libmicrohttpd's next call (on_request) */
	bool hashed;            /* a hashing thread ran its handler (see above): answer it */
	size_t header_bytes;
	const char *uri_end;         /* where the request target ended before libmicrohttpd parsed it */
	struct MHD_Connection *conn; /* while it waits for, or runs on, a hashing thread; while it waits for the disk */
	struct conn_request *next_waiting;
	uint64_t ticket;                /* its writes not yet known to be on disk (store.h: defer_begin); 0: none */
	bool waits_durable;             /* given to the store: suspended until it settles the ticket */
	struct store_durable_wait wait; /* given to the store meanwhile */
};

/* Orders a suspension for the disk before its resumption (durable_answer, durable_settled). */
static pthread_mutex_t durable_lock = PTHREAD_MUTEX_INITIALIZER;

/* The requests that hash, oldest first, and the threads that run them. */
#define HASH_THREADS_MAX 64
static struct {
	pthread_mutex_t lock;
	pthread_cond_t more;
	bool stopping; /* the threads finish what is queued, then end */
	struct conn_request *head, *tail;
	pthread_t threads[HASH_THREADS_MAX];
	unsigned count;
} hashing = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, NULL, NULL, {0}, 0};

/* Is this request for a route that hashes a password? (given to server_run; NULL: none does) */
static bool (*request_hashes)(struct request *r);
/* What a request means is not this file's business: server_run is given the one function to call. */
static void (*dispatch_request)(struct request *r);

/* A hashing thread: runs the queued requests' handlers one by one and resumes each connection. */
static void *hash_thread(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "hearth-hash");
	pthread_mutex_lock(&hashing.lock);
	for (;;) {
		while (!hashing.head && !hashing.stopping)
			pthread_cond_wait(&hashing.more, &hashing.lock);
		struct conn_request *cr = hashing.head;
		if (!cr)
			break; /* stopping, and nothing left */
		hashing.head = cr->next_waiting;
		if (!hashing.head)
			hashing.tail = NULL;
		pthread_mutex_unlock(&hashing.lock);
		dispatch_request(&cr->req); /* the request's headers and body were copied: no libmicrohttpd call */
		pthread_mutex_lock(&hashing.lock);
		cr->hashed = true;
		MHD_resume_connection(cr->conn); /* cr is the worker thread's again from here */
	}
	pthread_mutex_unlock(&hashing.lock);
	return NULL;
}

/* Queues cr for a hashing thread and suspends its connection: false when stopping (run it here). */
static bool hash_enqueue(struct conn_request *cr, struct MHD_Connection *conn)
{
	pthread_mutex_lock(&hashing.lock);
	bool queued = !hashing.stopping; /* the threads run from before the daemon until stopping */
	if (queued) {
		cr->conn = conn;
		cr->next_waiting = NULL;
		if (hashing.tail)
			hashing.tail->next_waiting = cr;
		else
			hashing.head = cr;
		hashing.tail = cr;
		/* Under the lock, so that no hashing thread can resume it before it is suspended. */
		MHD_suspend_connection(conn);
		pthread_cond_signal(&hashing.more);
	}
	pthread_mutex_unlock(&hashing.lock);
	return queued;
}

/* Starts n hashing threads (at least one); false when none could start. */
static bool hash_threads_start(unsigned n)
{
	n = n < 1 ? 1 : n > HASH_THREADS_MAX ? HASH_THREADS_MAX : n;
	for (unsigned i = 0; i < n; i++)
		if (pthread_create(&hashing.threads[hashing.count], NULL, hash_thread, NULL) == 0)
			hashing.count++;
	return hashing.count > 0;
}

/* At stop: the hashing threads run what is queued (libmicrohttpd cannot stop with suspended connections) and end. */
static void hash_threads_stop(void)
{
	pthread_mutex_lock(&hashing.lock);
	hashing.stopping = true;
	pthread_cond_broadcast(&hashing.more);
	pthread_mutex_unlock(&hashing.lock);
	for (unsigned i = 0; i < hashing.count; i++)
		pthread_join(hashing.threads[i], NULL);
	hashing.count = 0;
}

static int64_t elapsed_us(const struct timespec *start)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)(now.tv_sec - start->tv_sec) * 1000000 + (now.tv_nsec - start->tv_nsec) / 1000;
}

struct collect {
	struct request *req;
	size_t *bytes;
	bool bad;
};

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                      const char *value, size_t value_size)
{
	(void)kind;
	struct collect *c = cls;
	size_t vl = value ? strlen(value) : 0;
	/* A NUL inside a header name or value would cut it short: refuse the request. */
	if (strlen(key) != key_size || (value && vl != value_size))
		c->bad = true;
	*c->bytes += key_size + value_size + 4;
	params_add(c->req->arena, &c->req->headers, arena_strdup(c->req->arena, key),
	           arena_strndup(c->req->arena, value ? value : "", vl), vl);
	return MHD_YES;
}

static enum MHD_Result collect_query(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                     const char *value, size_t value_size)
{
	(void)kind;
	(void)key_size;
	struct collect *c = cls;
	const char *v = value ? value : "";
	if (!utf8_valid(key, strlen(key)) || !utf8_valid(v, value_size) || c->req->query.count >= PARAMS_MAX) {
		c->bad = true;
		return MHD_NO;
	}
	params_add(c->req->arena, &c->req->query, arena_strdup(c->req->arena, key),
	           arena_strndup(c->req->arena, v, value_size), value_size);
	return MHD_YES;
}

/*
 * Percent-decoding of the path and query (libmicrohttpd's callback). Unlike
 * the default it never produces a NUL byte, which would silently cut a path
 * or value short: %00 becomes a byte that is not valid UTF-8, so the request
 * is refused as malformed instead.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	(void)cls;
	(void)conn;
	char *out = s;
	for (char *in = s; *in; in++) {
		int hi, lo;
		if (in[0] == '%' && in[1] && in[2] && (hi = http_hex_digit(in[1])) >= 0 &&
		    (lo = http_hex_digit(in[2])) >= 0) {
			int v = hi * 16 + lo;
			*out++ = (char)(v ? v : 0xFF);
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

static void client_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(out, n, "unknown");
	if (!info || !info->client_addr)
		return;
	const struct sockaddr *sa = info->client_addr;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)n);
}

/*
 * libmicrohttpd 0.9.7x hands the method, the request target and the header
 * values over as C strings inside its read buffer, where it replaced each
 * separator (the spaces of the request line, the colon of a header, CR and LF)
 * by a NUL, and gives no lengths. A raw NUL the client sent therefore cuts a
 * string short: "GET\0 /x" arrives as GET, "/a\0/../b" as "/a", "Bearer
 * T\0junk" as "Bearer T". Such a request means something else than what hearth
 * would see, so it is refused: between the end of one string and the start of
 * the next only the separators may stand, and after the last header only the
 * line ends. Where the strings are not laid out like that (another version of
 * the library), nothing is judged.
 */
static bool gap_is(const char *from, const char *to, const char *end, bool (*ok)(size_t i, char c))
{
	if ((uintptr_t)to < (uintptr_t)from || (uintptr_t)to > (uintptr_t)end)
		return true; /* not the layout described above: not judged */
	for (size_t i = 0; from + i < to; i++)
		if (!ok(i, from[i]))
			return false;
	return true;
}

static bool after_method(size_t i, char c)
{
	return i == 0 ? c == '\0' : c == ' ';
}

static bool after_name(size_t i, char c)
{
	return i == 0 ? c == '\0' : c == ' ' || c == '\t';
}

static bool one_space(size_t i, char c)
{
	return i == 0 && c == '\0';
}

static bool line_end(size_t i, char c)
{
	return i < 2 && c == '\0';
}

static bool head_end(size_t i, char c)
{
	return i < 4 && c == '\0';
}

struct head_walk {
	const char *prev_end; /* the NUL that ends the previous string */
	const char *end;      /* one past the empty line that ends the head */
	bool ok;
};

static enum MHD_Result walk_header(void *cls, enum MHD_ValueKind kind, const char *key, size_t key_size,
                                   const char *value, size_t value_size)
{
	(void)kind;
	(void)key_size;
	(void)value_size;
	struct head_walk *w = cls;
	if (!value)
		return MHD_YES;
	bool ok = gap_is(w->prev_end, key, w->end, line_end) && gap_is(key + strlen(key), value, w->end, after_name);
	w->ok = w->ok && ok;
	w->prev_end = value + strlen(value);
	return MHD_YES;
}

static bool request_head_intact(struct MHD_Connection *conn, const struct conn_request *cr, const char *method,
                                const char *url, const char *version)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (!info || !method || !url || !version)
		return true;
	const char *end = method + info->header_size;
	if (!gap_is(method + strlen(method), url, end, after_method))
		return false;
	if (cr->uri_end && !gap_is(cr->uri_end, version, end, one_space))
		return false;
	struct head_walk w = {version + strlen(version), end, true};
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, walk_header, &w);
	return w.ok && gap_is(w.prev_end, end, end, head_end);
}

/* Called by libmicrohttpd with the request target before it parses it (see above). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	struct conn_request *cr = xcalloc(1, sizeof *cr);
	cr->uri_end = uri ? uri + strlen(uri) : NULL;
	return cr;
}

/*
 * Every value of a header that may come in several lines, joined with ", "
 * in their order (as RFC 9110 allows), or NULL: a proxy may add its own
 * line after one the client sent, and the client's must stay to the left.
 */
static const char *joined_header(struct request *r, const char *name)
{
	size_t len = 0, lines = 0;
	const char *only = NULL;
	for (size_t i = 0; i < r->headers.count; i++) {
		if (strcasecmp(r->headers.items[i].name, name) == 0) {
			only = r->headers.items[i].value;
			len += r->headers.items[i].value_len + 2;
			lines++;
		}
	}
	if (lines < 2)
		return only;
	/* One allocation, however many lines: the headers fit the connection's memory limit. */
	char *joined = arena_alloc(r->arena, len + 1), *p = joined;
	for (size_t i = 0; i < r->headers.count; i++) {
		if (strcasecmp(r->headers.items[i].name, name) != 0)
			continue;
		if (p != joined)
			*p++ = ',', *p++ = ' ';
		memcpy(p, r->headers.items[i].value, r->headers.items[i].value_len);
		p += r->headers.items[i].value_len;
	}
	*p = '\0';
	return joined;
}

/* Fills in cr (from on_uri; NULL: a new one) on the first call for a request. */
static struct conn_request *request_start(struct app *app, struct MHD_Connection *conn, struct conn_request *cr,
                                          const char *url, const char *method, const char *version)
{
	if (!cr)
		cr = xcalloc(1, sizeof *cr);
	clock_gettime(CLOCK_MONOTONIC, &cr->started);
	struct request *r = &cr->req;
	r->arena = arena_new();
	r->app = app;
	r->tls = tls_on;
	r->https = tls_on || app->config.public_https;
	r->method_name = arena_strdup(r->arena, method);
	r->method = http_method_parse(method);
	r->path = arena_strdup(r->arena, url);
	buf_init(&r->body, BODY_MAX);
	buf_init(&r->resp.body, 0);
	struct collect c = {r, &cr->header_bytes, false};
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, collect_header, &c);
	MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_query, &c);
	if (c.bad || !request_head_intact(conn, cr, method, url, version))
		r->query.count = SIZE_MAX; /* marks a malformed request; checked at dispatch */
	char peer[INET6_ADDRSTRLEN + 8];
	client_address(conn, peer, sizeof peer);
	if (proxy_list_contains(app->config.trusted_proxies, peer))
		proxy_client_address(app->config.trusted_proxies, peer, joined_header(r, "X-Forwarded-For"),
		                     joined_header(r, "Forwarded"), r->client_addr, sizeof r->client_addr);
	else /* the headers are not read at all */
		snprintf(r->client_addr, sizeof r->client_addr, "%s", peer);
	return cr;
}

/* True when the handler set the header itself (reply_header). */
static bool response_has_header(const struct request *r, const char *name)
{
	for (int i = 0; i < r->resp.header_count; i++)
		if (strcasecmp(r->resp.header_names[i], name) == 0)
			return true;
	return false;
}

/* A standalone SVG chart styles itself; it runs no script. */
static const char csp_svg[] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

static void add_security_headers(struct MHD_Response *resp, const struct request *r)
{
	bool svg = r->resp.content_type && strncmp(r->resp.content_type, "image/svg+xml", 13) == 0;
	MHD_add_response_header(resp, "Content-Security-Policy", svg ? csp_svg : csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy", "geolocation=(), camera=(), microphone=()");
	MHD_add_response_header(resp, "Server", "hearth");
	if (r->https) /* TLS here or at the proxy: browsers keep to https from now on */
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
	/* Nothing is cached unless its handler says how (static files, the API description, reply_etag's lists). */
	if (!response_has_header(r, "Cache-Control"))
		MHD_add_response_header(resp, "Cache-Control", "no-store");
}

static enum MHD_Result queue(struct MHD_Connection *conn, struct request *r)
{
	/*
	 * The body goes to MHD as it is, which frees it (free(), as buf_cleanup
	 * would) once the answer is sent: a cached answer of 8 KB is then copied
	 * once (out of the cache), not twice.
	 */
	struct MHD_Response *resp =
	    r->resp.body.data
	        ? MHD_create_response_from_buffer(r->resp.body.len, r->resp.body.data, MHD_RESPMEM_MUST_FREE)
	        : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO; /* the body is still ours: freed with the request */
	if (r->resp.body.data)
		r->resp.body = (struct buf){.cap = r->resp.body.cap};
	if (r->resp.content_type)
		MHD_add_response_header(resp, "Content-Type", r->resp.content_type);
	add_security_headers(resp, r);
	for (int i = 0; i < r->resp.header_count; i++)
		MHD_add_response_header(resp, r->resp.header_names[i], r->resp.header_values[i]);
	enum MHD_Result ret = MHD_queue_response(conn, (unsigned)r->resp.status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Rejections decided before routing: malformed or oversized requests. */
static bool reject_early(struct conn_request *cr)
{
	struct request *r = &cr->req;
	if (r->query.count == SIZE_MAX) {
		r->query.count = 0;
		reply_error(r, 400, "invalid_input", "The query string or a header is not valid.", NULL);
		return true;
	}
	if (cr->header_bytes > HEADERS_MAX) {
		reply_error(r, 431, "too_large", "The request headers are too large.", NULL);
		return true;
	}
	if (r->body_too_large) {
		reply_error(r, 413, "too_large", "The request body is larger than 64 KiB.", NULL);
		return true;
	}
	if (r->method == HTTP_OTHER) {
		reply_header(r, "Allow", "GET, HEAD, POST, PUT, PATCH, DELETE");
		reply_error(r, 405, "method_not_allowed", "This method is not supported.", NULL);
		return true;
	}
	if (!utf8_valid(r->path, strlen(r->path))) {
		reply_error(r, 400, "invalid_input", "The path is not valid.", NULL);
		return true;
	}
	return false;
}

/*
 * Runs the request's handler; an API write's commits do not wait for the disk
 * there (see the file header). A GET's own writes (a session's last use, a
 * therapist's access log) are best effort, which only a handler that sees
 * their result can judge: a failed sync must not turn a read into a 503.
 */
static void dispatch_deferring(struct store *store, struct conn_request *cr)
{
	bool defer = store->when_durable && request_is_api(&cr->req) && request_is_unsafe(&cr->req);
	if (defer)
		store->defer_begin(store);
	dispatch_request(&cr->req);
	if (defer)
		cr->ticket = store->defer_end(store);
}

/* The store's syncer: the request's writes are settled (cr->wait.ok says how). */
static void durable_settled(void *arg)
{
	struct conn_request *cr = arg;
	pthread_mutex_lock(&durable_lock);
	MHD_resume_connection(cr->conn); /* cr is the worker thread's again from here */
	pthread_mutex_unlock(&durable_lock);
}

/*
 * The calls after a dispatch whose writes were deferred: the first suspends
 * the connection until the store settles them (unless settled already); the
 * one after the resumption answers, with a 503 when they did not reach the disk.
 */
static enum MHD_Result durable_answer(struct store *store, struct conn_request *cr, struct MHD_Connection *conn)
{
	if (!cr->waits_durable) {
		cr->waits_durable = true;
		cr->wait = (struct store_durable_wait){.ticket = cr->ticket, .done = durable_settled, .arg = cr};
		cr->conn = conn;
		pthread_mutex_lock(&durable_lock);
		bool queued = store->when_durable(store, &cr->wait);
		if (queued)
			MHD_suspend_connection(conn); /* under the lock: durable_settled cannot resume it before */
		pthread_mutex_unlock(&durable_lock);
		if (queued)
			return MHD_YES;
	}
	cr->ticket = 0;
	if (!cr->wait.ok) {
		cr->req.resp.header_count = 0; /* nothing of the answer that was ready (a Location, a cookie) */
		reply_store_failure(&cr->req, STORE_BUSY);
	}
	return queue(conn, &cr->req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
	struct app *app = cls;
	struct conn_request *cr = *con_cls;
	if (!cr || !cr->req.arena) {
		atomic_fetch_add(&in_flight, 1);
		cr = request_start(app, conn, cr, url, method, version);
		*con_cls = cr;
		const char *length = request_header(&cr->req, "Content-Length");
		if (length && strtoull(length, NULL, 10) > BODY_MAX)
			cr->req.body_too_large = true;
		/* libmicrohttpd 0.9.75 cannot frame a body in another transfer coding and
		   waits for its end until the idle timeout: refuse it now (and close). */
		const char *coding = request_header(&cr->req, "Transfer-Encoding");
		if (coding && strcasecmp(coding, "chunked") != 0) {
			cr->dispatched = true;
			reply_error(&cr->req, 400, "invalid_input", "Only chunked transfer coding is supported.", NULL);
			return queue(conn, &cr->req);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!cr->req.body_too_large && buf_append(&cr->req.body, upload_data, *upload_data_size) < 0)
			cr->req.body_too_large = true;
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cr->ticket)
		return durable_answer(app->store, cr, conn);
	if (cr->dispatched)
		return MHD_YES;
	struct request *r = &cr->req;
	if (cr->hashed) { /* back from a hashing thread, which ran the handler */
		cr->dispatched = true;
		return queue(conn, r);
	}
	if (!cr->checked) {
		cr->checked = true;
		cr->rejected = reject_early(cr);
		cr->hashes = !cr->rejected && request_hashes && request_hashes(r);
		/*
		 * Not suspended in this call: libmicrohttpd 0.9.75 keeps a suspended
		 * connection's poll state as it was when it read the request, and on
		 * resume reads the socket before asking for the answer, so a client's
		 * half-close (EOF) closed the connection unanswered. Answered
		 * nothing, the request waits for its answer without reading; the next
		 * call, on the next turn of the event loop, suspends it in that state.
		 */
		if (cr->hashes)
			return MHD_YES;
	}
	if (cr->hashes && hash_enqueue(cr, conn))
		return MHD_YES; /* suspended until a hashing thread has run it */
	cr->dispatched = true;
	if (!cr->rejected)
		dispatch_deferring(app->store, cr);
	if (cr->ticket)
		return MHD_YES; /* answered on a later call (durable_answer), as the hashing requests are, and for the
		                   same reason */
	return queue(conn, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	struct app *app = cls;
	struct conn_request *cr = *con_cls;
	if (!cr)
		return;
	if (!cr->req.arena) { /* refused by libmicrohttpd before it reached on_request */
		free(cr);
		*con_cls = NULL;
		return;
	}
	struct request *r = &cr->req;
	int64_t us = elapsed_us(&cr->started);
	metrics_record(r->resp.status);
	if (app->config.access_log) {
		char at[32];
		time_rfc3339(now_ms(), at);
		const char *route = r->route ? r->route->pattern : (r->resp.status == 404 ? "(none)" : "(rejected)");
		fprintf(stderr,
		        "{\"at\":\"%s\",\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"ms\":%lld.%03lld%s}\n", at,
		        r->method == HTTP_OTHER ? "OTHER" : r->method_name, route, r->resp.status,
		        (long long)(us / 1000), (long long)(us % 1000),
		        toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : ",\"aborted\":true");
	}
	sodium_memzero(r->session_token, sizeof r->session_token);
	buf_cleanup(&r->body);
	buf_cleanup(&r->resp.body);
	arena_free(r->arena);
	free(cr);
	*con_cls = NULL;
	atomic_fetch_sub(&in_flight, 1);
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char line[512];
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	fprintf(stderr, "{\"level\":\"warn\",\"http\":\"");
	for (char *p = line; *p; p++)
		fputc(*p == '"' || *p == '\\' ? '\'' : *p, stderr);
	fprintf(stderr, "\"}\n");
}

/* The whole file as a string; NULL when it cannot be read or is over 1 MiB. */
static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct buf b;
	buf_init(&b, 1024 * 1024);
	char chunk[4096];
	size_t n;
	bool ok = true;
	while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		ok = buf_append(&b, chunk, n) == 0;
	ok = ok && !ferror(f);
	fclose(f);
	if (!ok || !b.data) {
		buf_cleanup(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/*
 * TLS 1.2 and 1.3 only, with AEAD ciphers and forward secrecy alone: what
 * Mozilla's "intermediate" profile allows, in GnuTLS's words. TLS 1.3
 * chooses from its own suites, all of them AEAD.
 */
static const char tls_priorities[] = "SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"
                                     "-CIPHER-ALL:+CHACHA20-POLY1305:+AES-256-GCM:+AES-128-GCM:"
                                     "-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:-RSA:-DHE-RSA:"
                                     "%SERVER_PRECEDENCE";

/* The metrics listener's requests: GET /metrics (with the bearer token when one is set), else 404. */
static enum MHD_Result on_metrics_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                          const char *version, const char *upload_data, size_t *upload_data_size,
                                          void **con_cls)
{
	(void)version;
	(void)upload_data;
	struct app *app = cls;
	static int started;
	if (!*con_cls) { /* the first call only marks the request (see on_request) */
		*con_cls = &started;
		return MHD_YES;
	}
	if (*upload_data_size) {
		*upload_data_size = 0; /* a body is not read */
		return MHD_YES;
	}
	struct buf b;
	buf_init(&b, 64 * 1024);
	unsigned status = 404;
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	if (get && strcmp(url, "/metrics") == 0 &&
	    (!app->config.metrics_token || metrics_authorized(app->config.metrics_token, auth))) {
		status = metrics_render(&b, app->store->name) == 0 ? 200 : 500;
	}
	if (status != 200) {
		buf_cleanup(&b);
		buf_init(&b, 64);
		if (buf_puts(&b, status == 404 ? "Not found\n" : "The metrics did not fit.\n") < 0)
			status = 500;
	}
	struct MHD_Response *resp =
	    MHD_create_response_from_buffer(b.len, b.data ? b.data : (void *)"", MHD_RESPMEM_MUST_COPY);
	buf_cleanup(&b);
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Server", "hearth");
	enum MHD_Result ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static void on_metrics_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                                 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	*con_cls = NULL;
}

/*
 * A listening socket on addr, bound here rather than by libmicrohttpd: a
 * daemon serves from the moment it starts, and the bind (a port under 1024
 * needs root) must come before privileges_drop while no request may be
 * served before it. Connections that arrive meanwhile wait in the backlog.
 * SO_REUSEADDR always (a restart binds at once); with reuse_port also
 * SO_REUSEPORT, what MHD_OPTION_LISTENING_ADDRESS_REUSE 1 did for the main
 * listener. -1 with errno set when the address cannot be had.
 */
static int listen_on(const struct sockaddr_in *addr, bool reuse_port)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if ((reuse_port && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) ||
	    bind(fd, (const struct sockaddr *)addr, sizeof *addr) != 0 || listen(fd, SOMAXCONN) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * The metrics listener's socket, or -1: when it is off, or when the default
 * address is taken (several servers on one host: one warning line, and
 * serving goes on). *failed is set when an address chosen in
 * HEARTH_METRICS_LISTEN cannot be had, which stops the start.
 */
static int metrics_listen(struct app *app, bool *failed)
{
	*failed = false;
	if (!app->config.metrics_host)
		return -1;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app->config.metrics_port)};
	if (inet_pton(AF_INET, app->config.metrics_host, &addr.sin_addr) != 1) {
		fprintf(stderr, "hearth: cannot serve metrics on %s: not an IPv4 address\n", app->config.metrics_host);
		*failed = true;
		return -1;
	}
	int fd = listen_on(&addr, false);
	if (fd < 0 && app->config.metrics_listen_set) {
		fprintf(stderr, "hearth: cannot serve metrics on %s:%d: %s\n", app->config.metrics_host,
		        app->config.metrics_port, strerror(errno));
		*failed = true;
	} else if (fd < 0) {
		fprintf(stderr,
		        "{\"level\":\"warn\",\"msg\":\"metrics listener not started (address in use?); set "
		        "HEARTH_METRICS_LISTEN\",\"listen\":\"%s:%d\"}\n",
		        app->config.metrics_host, app->config.metrics_port);
	}
	return fd;
}

/* The metrics daemon on its socket (metrics_listen), or NULL when that failed. */
static struct MHD_Daemon *metrics_start(struct app *app, int fd)
{
	return MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_metrics_request, app,
	    MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_CONNECTION_LIMIT, 16,
	    MHD_OPTION_CONNECTION_TIMEOUT, 10, MHD_OPTION_NOTIFY_COMPLETED, on_metrics_completed, NULL, MHD_OPTION_END);
}

/* Closes the listeners that are open (-1: not). */
static void close_listeners(int fd, int mfd)
{
	if (fd >= 0)
		close(fd);
	if (mfd >= 0)
		close(mfd);
}

/*
 * Binds the main listener (*fd) and the metrics one (*mfd, -1 when it is off
 * or its default address is taken), then drops root. -1, with the reason
 * printed and nothing left open, when one of them fails.
 */
static int listen_then_drop(struct app *app, const struct sockaddr_in *addr, int *fd, int *mfd)
{
	*mfd = -1;
	*fd = listen_on(addr, true);
	if (*fd < 0) {
		fprintf(stderr, "hearth: cannot listen on %s:%d: %s\n", app->config.listen_host,
		        app->config.listen_port, strerror(errno));
		return -1;
	}
	bool metrics_failed;
	*mfd = metrics_listen(app, &metrics_failed);
	char err[512];
	if (!metrics_failed &&
	    privileges_drop(app->config.run_as, app->config.data_dir, app->config.key_file_path, err, sizeof err) == 0)
		return 0;
	if (!metrics_failed)
		fprintf(stderr, "hearth: %s\n", err);
	close_listeners(*fd, *mfd);
	return -1;
}

/* Wipes and frees a TLS key read from its file (NULL: nothing). */
static void free_secret(char *key)
{
	if (!key)
		return;
	sodium_memzero(key, strlen(key));
	free(key);
}

void server_listeners_close(struct server_listeners *l)
{
	close_listeners(l->fd, l->mfd);
	l->fd = l->mfd = -1;
	free_secret(l->key); /* libmicrohttpd keeps its own copy */
	free(l->cert);
	l->key = l->cert = NULL;
}

int server_listen(struct app *app, struct server_listeners *l)
{
	*l = (struct server_listeners){.fd = -1, .mfd = -1};
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)app->config.listen_port)};
	if (inet_pton(AF_INET, app->config.listen_host, &addr.sin_addr) != 1) {
		fprintf(stderr, "hearth: cannot listen on %s: not an IPv4 address\n", app->config.listen_host);
		return -1;
	}
	if (app->config.tls_cert || app->config.tls_key) {
		if (!app->config.tls_cert || !app->config.tls_key) {
			fprintf(stderr, "hearth: TLS needs both --tls-cert and --tls-key\n");
			return -1;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			fprintf(stderr, "hearth: this libmicrohttpd was built without TLS\n");
			return -1;
		}
		/* Read as root: the key file is often readable by root alone. */
		l->cert = read_file(app->config.tls_cert);
		l->key = read_file(app->config.tls_key);
		if (!l->cert || !l->key) {
			fprintf(stderr, "hearth: cannot read %s\n",
			        l->cert ? app->config.tls_key : app->config.tls_cert);
			server_listeners_close(l);
			return -1;
		}
	}
	if (listen_then_drop(app, &addr, &l->fd, &l->mfd) < 0) {
		l->fd = l->mfd = -1; /* closed by listen_then_drop */
		server_listeners_close(l);
		return -1;
	}
	return 0;
}

int server_run(struct app *app, struct server_listeners *l, void (*dispatch)(struct request *r),
               bool (*hashes)(struct request *r))
{
	dispatch_request = dispatch;
	request_hashes = hashes;
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL); /* inherited by the worker threads */
	signal(SIGPIPE, SIG_IGN);

	/*
	 * A connection's memory limit is its pool, which holds the request's
	 * headers (up to HEADERS_MAX, answered 431 by hearth above that) and the
	 * response's. libmicrohttpd zeroes the whole pool between two requests of
	 * a kept-alive connection, so every request pays for its size: at 96 KiB
	 * that was a fifth of a cached read's CPU (issue 18). At 32 KiB, headers
	 * up to about 30 KiB still reach hearth; larger ones get the library's
	 * own 431 page (tests/e2e/hostile.test.mjs).
	 */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG |
	                 MHD_ALLOW_SUSPEND_RESUME;
	struct MHD_OptionItem opts[16] = {
	    {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)on_log, NULL},
	    {MHD_OPTION_THREAD_POOL_SIZE, app->config.threads, NULL},
	    {MHD_OPTION_CONNECTION_LIMIT, 1000, NULL},
	    {MHD_OPTION_PER_IP_CONNECTION_LIMIT, 500, NULL},
	    {MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL},
	    {MHD_OPTION_CONNECTION_MEMORY_LIMIT, 32 * 1024, NULL},
	    {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, app},
	    {MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)unescape, NULL},
	    {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, NULL},
	};
	int n = 9;
	if (l->cert) {
		flags |= MHD_USE_TLS;
		tls_on = true;
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, l->cert};
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, l->key};
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_PRIORITIES, 0, (void *)tls_priorities};
	}
	int fd = l->fd, mfd = l->mfd;
	l->fd = l->mfd = -1; /* from here on this function's to close */
	bool ready = true;
	/* Before the daemon, with the signals blocked: no request hashes on a worker thread meanwhile. */
	if (request_hashes && !hash_threads_start(app->config.hash_slots)) {
		fprintf(stderr, "hearth: cannot start the threads that hash passwords\n");
		close_listeners(fd, mfd);
		ready = false;
	}
	struct MHD_Daemon *d = NULL;
	if (ready) {
		opts[n++] = (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, fd, NULL};
		opts[n] = (struct MHD_OptionItem){MHD_OPTION_END, 0, NULL};
		/* On failure libmicrohttpd closes fd itself. */
		d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, app, MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	}
	server_listeners_close(l); /* the TLS pair: libmicrohttpd keeps its own copy */
	if (!ready)
		return -1;
	if (!d) {
		fprintf(stderr, "hearth: cannot serve on %s:%d: %s\n", app->config.listen_host, app->config.listen_port,
		        strerror(errno));
		hash_threads_stop();
		close_listeners(-1, mfd);
		return -1;
	}
	struct MHD_Daemon *md = mfd >= 0 ? metrics_start(app, mfd) : NULL;
	if (mfd >= 0 && !md) {
		fprintf(stderr, "hearth: cannot serve metrics on %s:%d: %s\n", app->config.metrics_host,
		        app->config.metrics_port, strerror(errno));
		hash_threads_stop();
		MHD_stop_daemon(d);
		return -1;
	}
	fprintf(stderr, "{\"level\":\"info\",\"msg\":\"serving\",\"listen\":\"%s://%s:%d\",\"threads\":%u}\n",
	        tls_on ? "https" : "http", app->config.listen_host, app->config.listen_port, app->config.threads);
	if (md)
		fprintf(stderr, "{\"level\":\"info\",\"msg\":\"metrics\",\"listen\":\"http://%s:%d/metrics\"}\n",
		        app->config.metrics_host, app->config.metrics_port);
	int sig = 0;
	sigwait(&stop, &sig);
	fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopping\",\"signal\":%d}\n", sig);
	MHD_quiesce_daemon(d);
	hash_threads_stop();
	/* Let requests in flight finish, for up to ten seconds. */
	for (int i = 0; i < 1000 && atomic_load(&in_flight) > 0; i++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	MHD_stop_daemon(d);
	if (md)
		MHD_stop_daemon(md);
	fprintf(stderr, "{\"level\":\"info\",\"msg\":\"stopped\"}\n");
	return 0;
}
