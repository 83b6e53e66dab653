/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_template.c - libFuzzer target for template_render_text
 * (template/template.h), in two ways on every input:
 *
 *  (a) Hostile values. The input is read as a flags byte followed by string
 *      values separated by '|'. Each value becomes "<x" followed by those
 *      bytes (at most VALUE_MAX of them, not necessarily UTF-8, possibly
 *      with NULs) and is placed under
 *      every key the page templates use (title, username, appreciation,
 *      errors.{field}, error_summary[], checkins[] cards, moods[] ...); the
 *      flags switch the boolean keys and the list lengths, so different
 *      sections render. Every embedded file under templates/ is rendered
 *      against that context. Invariant: the output never contains "<x",
 *      i.e. no value ever reaches the page with an unescaped '<'. Only
 *      "body", which the layout inserts raw by design ({{&body}}), holds a
 *      fixed value. A render error (-1) would be a bug too: the embedded
 *      templates are well-formed and the output buffer is uncapped here.
 *
 *  (b) Hostile template text. The input itself is rendered as a template
 *      against a fixed context with nested objects, lists and partials, into
 *      a buffer capped at 1 MiB. It must never crash or trip a sanitizer;
 *      -1 (malformed template, cap reached) is fine.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "template/template.h"
#include "util/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define MARKER "<x"
#define VALUES_MAX 16
#define VALUE_MAX 128 /* longer values add output, not coverage */
#define RENDER_CAP (1024 * 1024)

struct values {
	const char *s[VALUES_MAX];
	size_t len[VALUES_MAX];
	size_t count;
	size_t next; /* round-robin cursor */
};

static json_t *fixed_ctx;

/* The next hostile value: MARKER followed by one of the input's pieces. */
static json_t *hostile(struct values *v)
{
	size_t i = v->next++ % v->count;
	size_t n = sizeof MARKER - 1 + v->len[i];
	char *tmp = xmalloc(n + 1);
	memcpy(tmp, MARKER, sizeof MARKER - 1);
	memcpy(tmp + sizeof MARKER - 1, v->s[i], v->len[i]);
	tmp[n] = '\0';
	json_t *s = json_stringn_nocheck(tmp, n);
	free(tmp);
	if (!s)
		abort();
	return s;
}

static void set_strings(json_t *obj, const char *const *keys, size_t n, struct values *v)
{
	for (size_t i = 0; i < n; i++)
		json_object_set_new(obj, keys[i], hostile(v));
}

static const char *const page_keys[] = {
    "title",
    "heading",
    "message",
    "username",
    "display_name",
    "password",
    "appreciation",
    "need",
    "worry",
    "code",
    "csrf",
    "quick_exit_url",
    "action",
    "submit",
    "connection",
    "secure",
    "mood",
    "visibility",
    "partner_name",
    "invite_code",
    "invite_expires",
    "author",
    "next",
    "when",
    "id",
    "field",
    "label",
    "hint",
    "word",
    "value",
    "mood_word",
    "visibility_label",
    "paused",
    "paused_heading",
    "paused_hint",
};
static const char *const card_keys[] = {
    "id",           "author", "when",  "visibility_label", "mood_word", "mood", "connection", "secure",
    "appreciation", "need",   "worry",
};
static const char *const error_fields[] = {
    "username", "display_name", "password", "form",  "mood",       "connection",
    "secure",   "appreciation", "need",     "worry", "visibility", "code",
};

static json_t *card(struct values *v, bool mine)
{
	json_t *c = json_object();
	set_strings(c, card_keys, ARRAY_LEN(card_keys), v);
	json_object_set_new(c, "mine", json_boolean(mine));
	return c;
}

/* The context for (a): every key the templates read, most of them hostile. */
static json_t *hostile_ctx(unsigned flags, struct values *v)
{
	json_t *ctx = json_object();
	set_strings(ctx, page_keys, ARRAY_LEN(page_keys), v);
	json_object_set_new(ctx, "body", json_string("<main-body>"));

	static const char *const bools[] = {"signed_in",  "in_space", "has_partner", "saved", "is_me",
	                                    "is_partner", "is_all",   "more",        "left",  "joined",
	                                    "linked",     "mine",     "checked"};
	for (size_t i = 0; i < ARRAY_LEN(bools); i++)
		json_object_set_new(ctx, bools[i], json_boolean((flags >> (i % 8)) & 1));
	json_object_set_new(ctx, "me", json_pack("{s:b}", "has_partner", (flags & 4) != 0));

	json_t *errors = json_object();
	if (flags & 1)
		set_strings(errors, error_fields, ARRAY_LEN(error_fields), v);
	json_object_set_new(ctx, "errors", errors);

	json_t *summary = json_array();
	for (unsigned i = 0; i < ((flags >> 1) & 3); i++) {
		json_t *item = json_object();
		json_object_set_new(item, "field", hostile(v));
		json_object_set_new(item, "message", hostile(v));
		json_object_set_new(item, "linked", json_boolean(i & 1));
		json_array_append_new(summary, item);
	}
	json_object_set_new(ctx, "error_summary", summary);

	json_t *checkins = json_array();
	for (unsigned i = 0; i < ((flags >> 5) & 3); i++)
		json_array_append_new(checkins, card(v, i & 1));
	json_object_set_new(ctx, "checkins", checkins);
	json_object_set_new(ctx, "checkin", card(v, true));

	json_t *moods = json_array();
	for (int i = 1; i <= 5; i++) {
		json_t *m = json_object();
		json_object_set_new(m, "value", hostile(v));
		json_object_set_new(m, "word", hostile(v));
		json_object_set_new(m, "checked", json_boolean(i == 3));
		json_array_append_new(moods, m);
	}
	json_object_set_new(ctx, "moods", moods);

	json_t *vis = json_array();
	for (int i = 0; i < 3; i++) {
		json_t *m = json_object();
		json_object_set_new(m, "value", hostile(v));
		json_object_set_new(m, "label", hostile(v));
		json_object_set_new(m, "hint", hostile(v));
		json_object_set_new(m, "checked", json_boolean(i == (int)(flags >> 7)));
		json_array_append_new(vis, m);
	}
	json_object_set_new(ctx, "visibilities", vis);
	return ctx;
}

static void split_values(const uint8_t *data, size_t size, struct values *v)
{
	static const char empty[1] = "";
	memset(v, 0, sizeof *v);
	const char *p = (const char *)data, *end = p + size;
	while (v->count < VALUES_MAX) {
		const char *bar = p < end ? memchr(p, '|', (size_t)(end - p)) : NULL;
		const char *stop = bar ? bar : end;
		v->s[v->count] = p < end ? p : empty;
		v->len[v->count] = (size_t)(stop - p) < VALUE_MAX ? (size_t)(stop - p) : VALUE_MAX;
		v->count++;
		if (!bar)
			break;
		p = bar + 1;
	}
}

static void fuzz_values(const uint8_t *data, size_t size)
{
	unsigned flags = size ? data[0] : 0;
	struct values v;
	split_values(size ? data + 1 : data, size ? size - 1 : 0, &v);
	json_t *ctx = hostile_ctx(flags, &v);
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		struct buf out;
		buf_init(&out, 0);
		/* in every language: a translation is template text too, and must escape as the English does */
		if (template_render_text((const char *)f->data, f->len, (enum lang)(flags % LANG_COUNT), ctx, &out) < 0)
			abort(); /* a shipped template failed to render */
		if (out.len && memmem(out.data, out.len, MARKER, sizeof MARKER - 1))
			abort(); /* a value reached the page unescaped */
		buf_cleanup(&out);
	}
	json_decref(ctx);
}

static void fuzz_text(const uint8_t *data, size_t size)
{
	/* A heap copy of exactly size bytes, so ASan sees any read past the end. */
	char *src = xmalloc(size ? size : 1);
	if (size)
		memcpy(src, data, size);
	struct buf out;
	buf_init(&out, RENDER_CAP);
	int rc = template_render_text(src, size, (enum lang)(size % LANG_COUNT), fixed_ctx, &out);
	if (out.len > RENDER_CAP || (rc == 0 && out.len && out.data[out.len] != '\0'))
		abort();
	buf_cleanup(&out);
	free(src);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	json_error_t err;
	fixed_ctx = json_loads(
	    "{\"title\":\"T<b>\",\"name\":\"n&\\\"'`\",\"url\":\"a b/c?d=e&f\",\"flag\":true,"
	    "\"no\":false,\"empty\":\"\",\"zero\":0,\"num\":3.5,\"big\":-9223372036854775807,"
	    "\"nothing\":null,\"list\":[{\"name\":\"a\"},{\"name\":\"b\",\"flag\":false}],"
	    "\"words\":[\"x\",\"y\"],\"none\":[],\"obj\":{\"inner\":{\"deep\":\"d<\"},\"flag\":1},"
	    "\"errors\":{\"mood\":\"bad\",\"form\":\"f\"},"
	    "\"error_summary\":[{\"field\":\"mood\",\"message\":\"m\",\"linked\":true},"
	    "{\"field\":\"form\",\"message\":\"f\",\"linked\":false}],"
	    "\"checkins\":[{\"id\":\"0123\",\"author\":\"A\",\"when\":\"now\",\"mood\":3,\"mood_word\":\"Okay\","
	    "\"connection\":5,\"secure\":6,\"appreciation\":\"thanks\",\"mine\":true,\"visibility_label\":\"v\"}],"
	    "\"me\":{\"has_partner\":true},\"body\":\"<p>raw</p>\"}",
	    0, &err);
	if (!fixed_ctx)
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_values(data, size);
	fuzz_text(data, size);
	return 0;
}
