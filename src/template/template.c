/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * template.c - a small logic-less template renderer (see template.h).
 *
 * The renderer walks the template text directly; sections are matched by
 * scanning forward for the closing tag of the same name, counting nesting.
 * Context lookups walk a fixed-depth stack of jansson values.
 */
#include "template.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STACK_MAX 16

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

/* Finds the {{/name}} that closes a section opened just before p. */
static const char *find_close(const char *p, const char *end, const struct tag *open, const char **after)
{
	int nest = 0;
	struct tag t;
	int rc;
	while ((rc = next_tag(p, end, &t)) == 1) {
		bool same = t.name_len == open->name_len && memcmp(t.name, open->name, t.name_len) == 0;
		if (same && (t.kind == '#' || t.kind == '^'))
			nest++;
		else if (same && t.kind == '/') {
			if (nest == 0) {
				*after = t.end;
				return t.start;
			}
			nest--;
		}
		p = t.end;
	}
	return NULL;
}

static int render_range(struct render *r, const char *p, const char *end);
static int render_partial(struct render *r, const struct tag *t);

static int render_section(struct render *r, const struct tag *t, const char *body, const char *body_end)
{
	json_t *v = lookup(r, t->name, t->name_len);
	if (t->kind == '^')
		return truthy(v) ? 0 : render_range(r, body, body_end);
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
			int rc = render_range(r, body, body_end);
			r->depth--;
			if (rc < 0)
				return -1;
		}
		return 0;
	}
	if (json_is_object(v)) {
		r->stack[r->depth++] = v;
		int rc = render_range(r, body, body_end);
		r->depth--;
		return rc;
	}
	return render_range(r, body, body_end);
}

static int render_value(struct render *r, const struct tag *t)
{
	json_t *v = lookup(r, t->name, t->name_len);
	if (!v)
		return 0;
	char tmp[64];
	size_t len = 0;
	const char *s = scalar_text(v, tmp, &len);
	if (!s)
		return 0;
	switch (t->kind) {
	case '&':
		return buf_append(r->out, s, len);
	case '%':
		return url_escape(r->out, s, len);
	default:
		return html_escape(r->out, s, len);
	}
}

/* {{>name}} renders templates/_name.html with the current context. */
static int render_partial(struct render *r, const struct tag *t)
{
	char path[160];
	if (t->name_len > 100 || r->includes >= 8)
		return -1;
	snprintf(path, sizeof path, "templates/_%.*s.html", (int)t->name_len, t->name);
	const struct embedded_file *f = embedded_find(path);
	if (!f)
		return -1;
	r->includes++;
	int rc = render_range(r, (const char *)f->data, (const char *)f->data + f->len);
	r->includes--;
	return rc;
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

/*
 * {{_}}text{{/_}}: the text in the reader's language. The translation is
 * template text too, drawn with the same context, so "{{name}}" inside a
 * message stays a value escaped as everywhere. English draws the block itself.
 */
static int render_message(struct render *r, const struct tag *open, const char *body, const char *body_end)
{
	if (r->lang != LANG_EN) {
		char id[MESSAGE_MAX];
		if (message_id(body, body_end, id)) {
			/* {{_ context}}: the same words with another meaning ("Repairs" in the navigation) */
			const char *context = open->name + 1;
			size_t context_len = open->name_len - 1;
			while (context_len && *context == ' ')
				context++, context_len--;
			char ctx[64];
			const char *t = id;
			if (!context_len)
				t = tr(r->lang, id);
			else if (context_len < sizeof ctx) {
				memcpy(ctx, context, context_len);
				ctx[context_len] = '\0';
				t = tr_p(r->lang, ctx, id);
			}
			if (t != id)
				return render_range(r, t, t + strlen(t));
		}
	}
	return render_range(r, body, body_end);
}

/* {{_}} or {{_ context}}: the tag that opens a message. */
static bool message_open(const struct tag *t)
{
	return t->kind == 0 && t->name_len >= 1 && t->name[0] == '_' && (t->name_len == 1 || t->name[1] == ' ');
}

/* The {{/_}} that ends a message opened just before p; messages do not nest. */
static const char *find_message_end(const char *p, const char *end, const char **after)
{
	struct tag t;
	while (next_tag(p, end, &t) == 1) {
		if (message_open(&t))
			return NULL;
		if (t.kind == '/' && t.name_len == 1 && t.name[0] == '_') {
			*after = t.end;
			return t.start;
		}
		p = t.end;
	}
	return NULL;
}

static int render_range(struct render *r, const char *p, const char *end)
{
	struct tag t;
	int rc;
	while ((rc = next_tag(p, end, &t)) == 1) {
		if (buf_append(r->out, p, (size_t)(t.start - p)) < 0)
			return -1;
		switch (t.kind) {
		case '#':
		case '^': {
			const char *after = NULL;
			const char *close = find_close(t.end, end, &t, &after);
			if (!close || render_section(r, &t, t.end, close) < 0)
				return -1;
			p = after;
			continue;
		}
		case '/':
			return -1; /* a close without an open */
		case '!':
			break;
		case '>':
			if (render_partial(r, &t) < 0)
				return -1;
			break;
		case 0:
			if (message_open(&t)) {
				const char *after = NULL;
				const char *close = find_message_end(t.end, end, &after);
				if (!close || render_message(r, &t, t.end, close) < 0)
					return -1;
				p = after;
				continue;
			}
			/* fall through */
		default:
			if (render_value(r, &t) < 0)
				return -1;
		}
		p = t.end;
	}
	if (rc < 0)
		return -1;
	return buf_append(r->out, p, (size_t)(end - p));
}

int template_render_text(const char *src, size_t len, enum lang lang, json_t *ctx, struct buf *out)
{
	struct render r = {.depth = 1, .lang = lang, .out = out};
	r.stack[0] = ctx;
	return render_range(&r, src, src + len);
}

int template_render(const char *name, enum lang lang, json_t *ctx, struct buf *out)
{
	char path[160];
	snprintf(path, sizeof path, "templates/%s.html", name);
	const struct embedded_file *f = embedded_find(path);
	if (!f)
		return -1;
	return template_render_text((const char *)f->data, f->len, lang, ctx, out);
}
