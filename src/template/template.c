/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * template.c - a small logic-less template renderer (see template.h).
 *
 * A template is compiled once into a flat list of nodes (text, value,
 * section, partial, message), each section's body being the nodes up to its
 * `end`; rendering walks that list. The embedded templates and the
 * translations of their messages never change while the program runs, so
 * their compiled forms are kept (a small table keyed by the text's address,
 * filled on first use under a lock and read without one); other text
 * (template_render_text) is compiled for the one call. Before, the renderer
 * walked the text itself and found its tags again for every item of a
 * section: a fifth of an uncached dashboard (bench/README.md).
 *
 * A template is checked whole when it is compiled, so a malformed one fails
 * even where the malformed part sits in a section that would be skipped.
 * Context lookups walk a fixed-depth stack of jansson values.
 */
#include "template.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_MAX 16
#define NEST_MAX 64 /* sections and messages open at once, when compiling */

struct render {
	json_t *stack[STACK_MAX];
	int depth;
	int includes; /* nesting of {{>partial}}, bounded */
	enum lang lang;
	struct buf *out;
};

int html_escape(struct buf *out, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '`':
			rep = "&#96;";
			break;
		default:
			break;
		}
		if (!rep)
			continue;
		if (buf_append(out, s + start, i - start) < 0 || buf_puts(out, rep) < 0)
			return -1;
		start = i + 1;
	}
	return buf_append(out, s + start, n - start);
}

int url_escape(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		             c == '_' || c == '.' || c == '~';
		if (plain) {
			if (buf_append(out, s + i, 1) < 0)
				return -1;
		} else {
			char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
			if (buf_append(out, enc, 3) < 0)
				return -1;
		}
	}
	return 0;
}

/* Looks up a dotted name in one value; NULL when absent. */
static json_t *lookup_in(json_t *v, const char *name, size_t len)
{
	while (v && len) {
		const char *dot = memchr(name, '.', len);
		size_t part = dot ? (size_t)(dot - name) : len;
		char key[128];
		if (part >= sizeof key)
			return NULL;
		memcpy(key, name, part);
		key[part] = '\0';
		if (json_is_array(v) && part > 0 && part <= 3 && strspn(key, "0123456789") == part)
			v = json_array_get(v, (size_t)atoi(key)); /* "steps.0.title" */
		else if (json_is_object(v))
			v = json_object_get(v, key);
		else
			return NULL;
		if (!dot)
			return v;
		name += part + 1;
		len -= part + 1;
	}
	return v;
}

static json_t *lookup(struct render *r, const char *name, size_t len)
{
	if (len == 1 && name[0] == '.')
		return r->stack[r->depth - 1];
	const char *dot = memchr(name, '.', len);
	size_t first = dot ? (size_t)(dot - name) : len;
	for (int i = r->depth - 1; i >= 0; i--) {
		json_t *head = lookup_in(r->stack[i], name, first);
		if (head)
			return dot ? lookup_in(head, dot + 1, len - first - 1) : head;
	}
	return NULL;
}

static bool truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0.0;
	return true;
}

/* The text of a scalar for output; NULL for objects and arrays. */
static const char *scalar_text(json_t *v, char tmp[static 64], size_t *len)
{
	if (json_is_string(v)) {
		*len = json_string_length(v);
		return json_string_value(v);
	}
	if (json_is_integer(v))
		snprintf(tmp, 64, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(tmp, 64, "%g", json_real_value(v));
	else if (json_is_true(v))
		snprintf(tmp, 64, "true");
	else if (json_is_false(v))
		snprintf(tmp, 64, "false");
	else
		return NULL;
	*len = strlen(tmp);
	return tmp;
}

struct tag {
	char kind; /* 0 plain, '#', '^', '/', '&', '%', '!' */
	const char *name;
	size_t name_len;
	const char *start; /* the first '{' */
	const char *end;   /* just past the closing "}}" */
};

static void trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/*
 * The first cc in [p, end), or NULL. memchr, not a loop over every byte: the
 * renderer scans a page's template text several times over (a section's body
 * once for its close, then once for each item), and this scan was the largest
 * cost of the renderer itself.
 */
static const char *find_pair(const char *p, const char *end, char c)
{
	while (p + 1 < end) {
		const char *q = memchr(p, c, (size_t)(end - p - 1));
		if (!q)
			return NULL;
		if (q[1] == c)
			return q;
		p = q + 1;
	}
	return NULL;
}

/* Finds the next tag in [p, end); returns 0 none, 1 found, -1 malformed. */
static int next_tag(const char *p, const char *end, struct tag *t)
{
	const char *open = find_pair(p, end, '{');
	if (!open)
		return 0;
	const char *close = find_pair(open + 2, end, '}');
	if (!close)
		return -1;
	const char *s = open + 2;
	size_t n = (size_t)(close - s);
	trim(&s, &n);
	t->kind = 0;
	if (n && strchr("#^/&%!>", *s)) {
		t->kind = *s;
		s++, n--;
		trim(&s, &n);
	}
	if (n == 0 && t->kind != '!')
		return -1;
	t->name = s;
	t->name_len = n;
	t->start = open;
	t->end = close + 2;
	return 1;
}

/* The longest message a {{_}} block may be; a longer one is drawn in English. */
#define MESSAGE_MAX 4096

/*
 * A message's id: the block's text with every run of white space made one
 * space and none at either end, so that indenting a template never changes
 * its messages (tools/po-extract.py makes the same ids). Returns its length,
 * or 0 when it does not fit.
 */
static size_t message_id(const char *p, const char *end, char id[static MESSAGE_MAX])
{
	size_t n = 0;
	bool space = false;
	for (; p < end; p++) {
		bool ws = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
		if (ws) {
			space = n > 0;
			continue;
		}
		if (n + 2 >= MESSAGE_MAX)
			return 0;
		if (space)
			id[n++] = ' ';
		space = false;
		id[n++] = *p;
	}
	id[n] = '\0';
	return n;
}

/* {{_}} or {{_ context}}: the tag that opens a message. */
static bool message_open(const struct tag *t)
{
	return t->kind == 0 && t->name_len >= 1 && t->name[0] == '_' && (t->name_len == 1 || t->name[1] == ' ');
}

/* ---- compiling ---- */

enum op { OP_TEXT, OP_VALUE, OP_SECTION, OP_INVERTED, OP_PARTIAL, OP_MESSAGE };

struct program;

struct node {
	enum op op;
	char escape;   /* OP_VALUE: 0 HTML, '&' none, '%' URL */
	uint32_t end;  /* OP_SECTION, OP_INVERTED, OP_MESSAGE: the index just past its body */
	const char *s; /* OP_TEXT: the text; OP_VALUE, OP_SECTION, OP_INVERTED, OP_PARTIAL: the name */
	size_t n;
	/* OP_MESSAGE: its id (NULL: too long, drawn in English) and context (NULL: none; "": too long) */
	char *id, *context;
	/* OP_PARTIAL: the partial's kept program, once found (render_partial) */
	_Atomic(const struct program *) partial;
};

struct program {
	struct node *nodes;
	uint32_t count;
};

static void program_free(struct program *pg)
{
	for (uint32_t i = 0; i < pg->count; i++) {
		free(pg->nodes[i].id);
		free(pg->nodes[i].context);
	}
	free(pg->nodes);
	pg->nodes = NULL;
	pg->count = 0;
}

static struct node *add_node(struct program *pg, uint32_t *alloc, enum op op, const char *s, size_t n)
{
	if (pg->count == *alloc) {
		*alloc = *alloc ? *alloc * 2 : 32;
		pg->nodes = xrealloc(pg->nodes, *alloc * sizeof *pg->nodes);
	}
	struct node *nd = &pg->nodes[pg->count++];
	*nd = (struct node){.op = op, .s = s, .n = n};
	atomic_init(&nd->partial, NULL);
	return nd;
}

/* A message's id and context, worked out once (message_id; {{_ context}} names pgettext's context). */
static void message_prepare(struct node *nd, const char *body, const char *body_end)
{
	char id[MESSAGE_MAX];
	if (message_id(body, body_end, id))
		nd->id = xstrdup(id);
	const char *context = nd->s + 1; /* the tag's name: "_" or "_ context" */
	size_t context_len = nd->n - 1;
	while (context_len && *context == ' ')
		context++, context_len--;
	if (context_len)
		nd->context = context_len < 64 ? xstrndup(context, context_len) : xstrdup("");
}

/*
 * Compiles src[0..len) into pg; -1 (and pg left empty) on a malformed
 * template: an unclosed tag or section, a close that does not match, a
 * message inside a message, or nesting deeper than NEST_MAX.
 */
static int compile(const char *src, size_t len, struct program *pg)
{
	*pg = (struct program){0};
	uint32_t alloc = 0, open[NEST_MAX];
	const char *body[NEST_MAX]; /* where each open section's or message's text starts */
	int depth = 0, messages = 0;
	const char *p = src, *end = src + len;
	struct tag t;
	int rc;
	while ((rc = next_tag(p, end, &t)) == 1) {
		if (t.start > p)
			add_node(pg, &alloc, OP_TEXT, p, (size_t)(t.start - p));
		p = t.end;
		if (t.kind == '#' || t.kind == '^' || (t.kind == 0 && message_open(&t))) {
			bool message = t.kind == 0;
			if (depth == NEST_MAX || (message && messages))
				goto bad;
			messages += message;
			body[depth] = t.end;
			open[depth++] = pg->count;
			add_node(pg, &alloc,
			         message         ? OP_MESSAGE
			         : t.kind == '#' ? OP_SECTION
			                         : OP_INVERTED,
			         t.name, t.name_len);
			continue;
		}
		if (t.kind == '/') {
			if (!depth)
				goto bad; /* a close without an open */
			struct node *o = &pg->nodes[open[depth - 1]];
			bool is_message = t.name_len == 1 && t.name[0] == '_';
			if (is_message != (o->op == OP_MESSAGE) ||
			    (!is_message && (t.name_len != o->n || memcmp(t.name, o->s, t.name_len) != 0)))
				goto bad;
			if (is_message) {
				message_prepare(o, body[depth - 1], t.start);
				messages--;
			}
			o->end = pg->count;
			depth--;
			continue;
		}
		if (t.kind == '!')
			continue;
		if (t.kind == '>') {
			add_node(pg, &alloc, OP_PARTIAL, t.name, t.name_len);
			continue;
		}
		add_node(pg, &alloc, OP_VALUE, t.name, t.name_len)->escape = t.kind; /* 0, '&' or '%' */
	}
	if (rc < 0 || depth)
		goto bad;
	if (p < end)
		add_node(pg, &alloc, OP_TEXT, p, (size_t)(end - p));
	return 0;
bad:
	program_free(pg);
	return -1;
}

/*
 * The kept programs, by the address of their text: the embedded files and
 * the catalogues' translations, which live as long as the program. Found
 * without a lock (a slot, once set, never changes); added under one. Full,
 * it keeps no more and the caller compiles for the one call.
 */
#define KEPT_SLOTS 4096

struct kept {
	const char *src;
	struct program pg;
};

static _Atomic(struct kept *) kept[KEPT_SLOTS];
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t kept_slot(const char *src)
{
	uintptr_t h = (uintptr_t)src;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15u;
	return (size_t)(h >> 20) & (KEPT_SLOTS - 1);
}

/* The kept program of src[0..len), compiled now when it is not kept yet; NULL when malformed or full. */
static const struct program *kept_program(const char *src, size_t len)
{
	size_t start = kept_slot(src);
	for (size_t i = 0; i < KEPT_SLOTS; i++) {
		struct kept *k = atomic_load_explicit(&kept[(start + i) & (KEPT_SLOTS - 1)], memory_order_acquire);
		if (!k)
			break;
		if (k->src == src)
			return &k->pg;
	}
	pthread_mutex_lock(&kept_lock);
	const struct program *found = NULL;
	for (size_t i = 0; i < KEPT_SLOTS; i++) {
		_Atomic(struct kept *) *slot = &kept[(start + i) & (KEPT_SLOTS - 1)];
		struct kept *k = atomic_load_explicit(slot, memory_order_acquire);
		if (k && k->src == src) {
			found = &k->pg; /* another thread compiled it meanwhile */
			break;
		}
		if (!k) {
			struct program pg;
			if (compile(src, len, &pg) == 0) {
				k = xmalloc(sizeof *k);
				*k = (struct kept){.src = src, .pg = pg};
				atomic_store_explicit(slot, k, memory_order_release);
				found = &k->pg;
			}
			break;
		}
	}
	pthread_mutex_unlock(&kept_lock);
	return found;
}

/* ---- rendering ---- */

static int run(struct render *r, const struct program *pg, uint32_t from, uint32_t to);
/* Renders text that never changes (kept_program), or compiled for this call when it cannot be kept. */
static int run_text(struct render *r, const char *src, size_t len);

static int render_value(struct render *r, const struct node *nd)
{
	json_t *v = lookup(r, nd->s, nd->n);
	if (!v)
		return 0;
	char tmp[64];
	size_t len = 0;
	const char *s = scalar_text(v, tmp, &len);
	if (!s)
		return 0;
	switch (nd->escape) {
	case '&':
		return buf_append(r->out, s, len);
	case '%':
		return url_escape(r->out, s, len);
	default:
		return html_escape(r->out, s, len);
	}
}

static int render_section(struct render *r, const struct program *pg, uint32_t at)
{
	const struct node *nd = &pg->nodes[at];
	json_t *v = lookup(r, nd->s, nd->n);
	if (nd->op == OP_INVERTED)
		return truthy(v) ? 0 : run(r, pg, at + 1, nd->end);
	if (!truthy(v))
		return 0;
	if (r->depth >= STACK_MAX)
		return -1;
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
		{
			r->stack[r->depth++] = item;
			int rc = run(r, pg, at + 1, nd->end);
			r->depth--;
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	if (json_is_object(v)) {
		r->stack[r->depth++] = v;
		int rc = run(r, pg, at + 1, nd->end);
		r->depth--;
		return rc;
	}
	return run(r, pg, at + 1, nd->end);
}

/*
 * {{>name}} renders templates/_name.html with the current context. The node
 * remembers the partial's kept program once found (every thread that finds
 * it stores the same pointer).
 */
static int render_partial(struct render *r, struct node *nd)
{
	if (nd->n > 100 || r->includes >= 8)
		return -1;
	const struct program *pg = atomic_load_explicit(&nd->partial, memory_order_acquire);
	const struct embedded_file *f = NULL;
	if (!pg) {
		char path[160];
		snprintf(path, sizeof path, "templates/_%.*s.html", (int)nd->n, nd->s);
		f = embedded_find(path);
		if (!f)
			return -1;
		pg = kept_program((const char *)f->data, f->len);
		if (pg)
			atomic_store_explicit(&nd->partial, pg, memory_order_release);
	}
	r->includes++;
	int rc = pg ? run(r, pg, 0, pg->count) : run_text(r, (const char *)f->data, f->len);
	r->includes--;
	return rc;
}

/*
 * {{_}}text{{/_}}: the text in the reader's language. The translation is
 * template text too, drawn with the same context, so "{{name}}" inside a
 * message stays a value escaped as everywhere. English draws the block itself.
 */
static int render_message(struct render *r, const struct program *pg, uint32_t at)
{
	const struct node *nd = &pg->nodes[at];
	if (r->lang != LANG_EN && nd->id && !(nd->context && !*nd->context)) {
		const char *t = nd->context ? tr_p(r->lang, nd->context, nd->id) : tr(r->lang, nd->id);
		if (t != nd->id)
			return run_text(r, t, strlen(t));
	}
	return run(r, pg, at + 1, nd->end);
}

static int run(struct render *r, const struct program *pg, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		struct node *nd = &pg->nodes[i];
		int rc = 0;
		switch (nd->op) {
		case OP_TEXT:
			rc = buf_append(r->out, nd->s, nd->n);
			break;
		case OP_VALUE:
			rc = render_value(r, nd);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(r, pg, i);
			i = nd->end - 1;
			break;
		case OP_PARTIAL:
			rc = render_partial(r, nd);
			break;
		case OP_MESSAGE:
			rc = render_message(r, pg, i);
			i = nd->end - 1;
			break;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int run_text(struct render *r, const char *src, size_t len)
{
	const struct program *kept_pg = kept_program(src, len);
	if (kept_pg)
		return run(r, kept_pg, 0, kept_pg->count);
	struct program pg;
	if (compile(src, len, &pg) < 0)
		return -1;
	int rc = run(r, &pg, 0, pg.count);
	program_free(&pg);
	return rc;
}

int template_render_text(const char *src, size_t len, enum lang lang, json_t *ctx, struct buf *out)
{
	struct render r = {.depth = 1, .lang = lang, .out = out};
	r.stack[0] = ctx;
	struct program pg;
	if (compile(src, len, &pg) < 0)
		return -1;
	int rc = run(&r, &pg, 0, pg.count);
	program_free(&pg);
	return rc;
}

int template_render(const char *name, enum lang lang, json_t *ctx, struct buf *out)
{
	char path[160];
	snprintf(path, sizeof path, "templates/%s.html", name);
	const struct embedded_file *f = embedded_find(path);
	if (!f)
		return -1;
	struct render r = {.depth = 1, .lang = lang, .out = out};
	r.stack[0] = ctx;
	return run_text(&r, (const char *)f->data, f->len);
}
