/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_template.c - unit tests for src/template/template.h: escaping per
 * context, sections, inverted sections, name lookup, partials, malformed
 * templates, and that every embedded template renders and escapes hostile
 * values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template/template.h"
#include "util/util.h"

#define HOSTILE "<script>alert(1)</script>"
#define HOSTILE_ATTR "\" onmouseover=\"alert(1)"

/*
 * Renders src with the JSON context ctx_text and returns the output (caller
 * frees), or NULL when rendering failed. ctx_text must be valid JSON.
 */
static char *render(const char *src, const char *ctx_text)
{
	json_error_t err;
	json_t *ctx = json_loads(ctx_text, 0, &err);
	if (!ctx)
		fail_msg("bad test JSON: %s", err.text);
	struct buf out;
	buf_init(&out, 0);
	int rc = template_render_text(src, strlen(src), LANG_EN, ctx, &out);
	json_decref(ctx);
	if (rc < 0) {
		buf_cleanup(&out);
		return NULL;
	}
	return buf_steal(&out);
}

static void assert_render(const char *src, const char *ctx_text, const char *want)
{
	char *got = render(src, ctx_text);
	if (!got)
		fail_msg("render failed for %s", src);
	assert_string_equal(got, want);
	free(got);
}

static void assert_render_fails(const char *src, const char *ctx_text)
{
	char *got = render(src, ctx_text);
	if (got) {
		print_error("unexpected output: %s\n", got);
		free(got);
		fail_msg("template should have been rejected: %s", src);
	}
}

/* --- values --- */

static void plain_text_passes_through(void **state)
{
	(void)state;
	assert_render("", "{}", "");
	assert_render("no tags <b>here</b> { } }}", "{}", "no tags <b>here</b> { } }}");
}

static void value_is_html_escaped(void **state)
{
	(void)state;
	assert_render("[{{name}}]", "{\"name\": \"<a href='x'>&\\\"`</a>\"}",
	              "[&lt;a href=&#39;x&#39;&gt;&amp;&quot;&#96;&lt;/a&gt;]");
	assert_render("{{ name }}", "{\"name\": \"" HOSTILE "\"}", "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_render("<input value=\"{{v}}\">",
	              "{\"v\": \""
	              "\\\" onmouseover=\\\"alert(1)"
	              "\"}",
	              "<input value=\"&quot; onmouseover=&quot;alert(1)\">");
	/* multibyte text is left alone */
	assert_render("{{name}}", "{\"name\": \"Zo\\u00eb \\u2764\"}", "Zo\xc3\xab \xe2\x9d\xa4");
}

static void value_url_encoded(void **state)
{
	(void)state;
	assert_render("/x?q={{%q}}", "{\"q\": \"a b/c?d=1&e=\\u00e9~._-\"}", "/x?q=a%20b%2Fc%3Fd%3D1%26e%3D%C3%A9~._-");
	assert_render("{{%q}}", "{\"q\": \"" HOSTILE "\"}", "%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
	assert_render("{{% n }}", "{\"n\": 12}", "12");
}

static void value_raw(void **state)
{
	(void)state;
	assert_render("{{&html}}", "{\"html\": \"<b>bold</b> &amp;\"}", "<b>bold</b> &amp;");
	assert_render("{{& html }}|{{html}}", "{\"html\": \"<i>\"}", "<i>|&lt;i&gt;");
}

static void value_scalars(void **state)
{
	(void)state;
	assert_render("{{n}} {{neg}} {{zero}}", "{\"n\": 42, \"neg\": -7, \"zero\": 0}", "42 -7 0");
	assert_render("{{big}}", "{\"big\": 9007199254740993}", "9007199254740993");
	assert_render("{{r}}", "{\"r\": 3.5}", "3.5");
	assert_render("{{t}}/{{f}}", "{\"t\": true, \"f\": false}", "true/false");
	/* null, missing, objects and arrays print nothing */
	assert_render("[{{z}}{{missing}}{{o}}{{a}}]", "{\"z\": null, \"o\": {\"k\": 1}, \"a\": [1]}", "[]");
}

static void comments_are_dropped(void **state)
{
	(void)state;
	assert_render("a{{! a comment with <html> and {braces} }}b", "{}", "ab");
	assert_render("a{{!}}b", "{}", "ab");
	assert_render("{{! {{name}} }}x", "{\"name\": \"n\"}", " }}x");
}

/* --- lookup --- */

static void dotted_names(void **state)
{
	(void)state;
	const char *ctx = "{\"user\": {\"display_name\": \"<Ann>\", \"address\": {\"city\": \"Oslo\"}}}";
	assert_render("{{user.display_name}} in {{user.address.city}}", ctx, "&lt;Ann&gt; in Oslo");
	assert_render("[{{user.missing}}][{{nobody.display_name}}][{{user.display_name.x}}]", ctx, "[][][]");
	assert_render("{{#user.address}}{{city}}{{/user.address}}", ctx, "Oslo");
	assert_render("{{#user.gone}}x{{/user.gone}}{{^user.gone}}none{{/user.gone}}", ctx, "none");
}

static void outer_scope_lookup(void **state)
{
	(void)state;
	const char *ctx = "{\"title\": \"T\", \"csrf\": \"c<\", \"items\": [{\"name\": \"a\"}, {\"name\": \"b\", "
	                  "\"title\": \"own\"}], \"obj\": {\"inner\": {\"k\": 1}}}";
	assert_render("{{#items}}{{name}}:{{title}}:{{csrf}};{{/items}}", ctx, "a:T:c&lt;;b:own:c&lt;;");
	/* two levels deep, the root is still reachable */
	assert_render("{{#obj}}{{#inner}}{{k}}{{title}}{{/inner}}{{/obj}}", ctx, "1T");
	/* after a section the outer context is restored */
	assert_render("{{#items}}{{/items}}{{name}}|{{title}}", ctx, "|T");
}

static void dot_is_current_element(void **state)
{
	(void)state;
	assert_render("{{#tags}}[{{.}}]{{/tags}}", "{\"tags\": [\"a\", \"<b>\", 3, true]}", "[a][&lt;b&gt;][3][true]");
	assert_render("{{#tags}}{{%.}},{{/tags}}", "{\"tags\": [\"a b\", \"&\"]}", "a%20b,%26,");
	assert_render("{{#tags}}{{&.}}{{/tags}}", "{\"tags\": [\"<i>\"]}", "<i>");
}

/* --- sections --- */

static void section_over_array(void **state)
{
	(void)state;
	assert_render("<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>",
	              "{\"items\": [{\"name\": \"one\"}, {\"name\": \"<two>\"}, {\"name\": \"three\"}]}",
	              "<ul><li>one</li><li>&lt;two&gt;</li><li>three</li></ul>");
	assert_render("a{{#items}}x{{/items}}b", "{\"items\": []}", "ab");
	/* nested arrays */
	assert_render("{{#rows}}({{#cells}}{{.}}{{/cells}}){{/rows}}",
	              "{\"rows\": [{\"cells\": [1, 2]}, {\"cells\": [3]}]}", "(12)(3)");
}

static void section_over_object(void **state)
{
	(void)state;
	assert_render("{{#me}}Hi {{display_name}}{{/me}}", "{\"me\": {\"display_name\": \"Sam\"}}", "Hi Sam");
	/* an empty object is still true */
	assert_render("{{#me}}in{{/me}}", "{\"me\": {}}", "in");
}

static void section_truthiness(void **state)
{
	(void)state;
	const char *src = "{{#v}}yes{{/v}}{{^v}}no{{/v}}";
	assert_render(src, "{\"v\": true}", "yes");
	assert_render(src, "{\"v\": false}", "no");
	assert_render(src, "{\"v\": null}", "no");
	assert_render(src, "{}", "no");
	assert_render(src, "{\"v\": \"\"}", "no");
	assert_render(src, "{\"v\": \"x\"}", "yes");
	assert_render(src, "{\"v\": 0}", "no");
	assert_render(src, "{\"v\": 5}", "yes");
	assert_render(src, "{\"v\": 0.0}", "no");
	assert_render(src, "{\"v\": 0.5}", "yes");
	assert_render(src, "{\"v\": []}", "no");
	assert_render(src, "{\"v\": [0]}", "yes");
	assert_render(src, "{\"v\": {}}", "yes");
}

static void inverted_sections(void **state)
{
	(void)state;
	assert_render("{{^items}}Nothing yet{{/items}}", "{\"items\": []}", "Nothing yet");
	assert_render("{{^items}}Nothing yet{{/items}}", "{\"items\": [1]}", "");
	/* an inverted section does not change the context */
	assert_render("{{^missing}}{{name}}{{/missing}}", "{\"name\": \"n\"}", "n");
}

static void nested_sections_same_name(void **state)
{
	(void)state;
	assert_render("{{#a}}<{{#a}}in{{/a}}>{{/a}}", "{\"a\": true}", "<in>");
	assert_render("{{#a}}x{{^a}}never{{/a}}y{{/a}}", "{\"a\": true}", "xy");
	assert_render("{{#a}}{{/a}}{{#a}}2{{/a}}", "{\"a\": 1}", "2");
}

/* --- partials --- */

static void partial_errors(void **state)
{
	(void)state;
	char *out =
	    render("<main>{{>errors}}</main>",
	           "{\"errors\": {\"mood\": \"Pick <one>\"}, "
	           "\"error_summary\": [{\"field\": \"mood\", \"message\": \"Pick <one>\", \"linked\": true}]}");
	assert_non_null(out);
	assert_non_null(strstr(out, "<main>"));
	assert_non_null(strstr(out, "class=\"error-summary\""));
	assert_non_null(strstr(out, "<li><a href=\"#mood\">Pick &lt;one&gt;</a></li>"));
	assert_null(strstr(out, "Pick <one>"));
	/* the summary appears once */
	const char *first = strstr(out, "error-summary");
	assert_null(strstr(first + 1, "error-summary"));
	free(out);

	out = render("{{>errors}}",
	             "{\"errors\": {\"form\": \"Wrong password\"}, "
	             "\"error_summary\": [{\"field\": \"form\", \"message\": \"Wrong password\", \"linked\": false}]}");
	assert_non_null(out);
	assert_non_null(strstr(out, "<li>Wrong password</li>"));
	assert_null(strstr(out, "href=\"#form\""));
	free(out);

	/* no errors: nothing at all */
	out = render("[{{>errors}}]", "{}");
	assert_non_null(out);
	assert_string_equal(out, "[\n]");
	free(out);
	out = render("[{{>errors}}]", "{\"error_summary\": []}");
	assert_non_null(out);
	assert_string_equal(out, "[\n]");
	free(out);
}

static void partial_missing_fails(void **state)
{
	(void)state;
	assert_render_fails("{{>no_such_partial}}", "{}");
	assert_render_fails("{{>../../etc/passwd}}", "{}");
}

/* --- malformed templates and limits --- */

static void malformed_templates_fail(void **state)
{
	(void)state;
	const char *ctx = "{\"a\": true, \"name\": \"n\"}";
	assert_render_fails("hello {{name", ctx);
	assert_render_fails("{{", ctx);
	assert_render_fails("x {{name}", ctx);
	assert_render_fails("{{#a}}never closed", ctx);
	assert_render_fails("{{#missing}}never closed", ctx); /* even when the section is skipped */
	assert_render_fails("{{^a}}never closed", ctx);
	assert_render_fails("{{#a}}x{{/b}}", ctx);
	assert_render_fails("stray {{/a}}", ctx);
	assert_render_fails("{{#a}}x{{/a}}{{/a}}", ctx);
	assert_render_fails("{{#a}}{{/b}}{{/a}}", ctx); /* a stray close inside a rendered section */
	assert_render_fails("{{}}", ctx);
	assert_render_fails("{{ }}", ctx);
	assert_render_fails("{{#}}{{/}}", ctx);
	assert_render_fails("{{#a}}{{name}{{/a}}", ctx);
	/* checked whole when compiled: a fault fails even inside a section that is skipped */
	assert_render_fails("{{#missing}}{{/b}}{{/missing}}", ctx);
	assert_render_fails("{{^a}}{{#b}}{{/a}}", ctx);
	assert_render_fails("{{#missing}}{{_}}x{{_}}y{{/_}}{{/missing}}", ctx);
	assert_render_fails("{{#a}}{{_}}x{{/a}}{{/_}}", ctx); /* a section and a message closed crosswise */
	assert_render_fails("{{_}}x{{/a}}", ctx);
}

/* 65 sections open at once: deeper than the compiler keeps track of, refused whatever the context. */
static void deep_text_nesting_is_refused(void **state)
{
	(void)state;
	struct buf src;
	buf_init(&src, 0);
	for (int i = 0; i < 65; i++)
		assert_int_equal(buf_puts(&src, "{{#x}}"), 0);
	for (int i = 0; i < 65; i++)
		assert_int_equal(buf_puts(&src, "{{/x}}"), 0);
	json_t *ctx = json_object();
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(template_render_text(src.data, src.len, LANG_EN, ctx, &out), -1);
	/* 64 is fine: x is missing, so nothing is drawn */
	buf_cleanup(&src);
	buf_init(&src, 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buf_puts(&src, "{{#x}}"), 0);
	for (int i = 0; i < 64; i++)
		assert_int_equal(buf_puts(&src, "{{/x}}"), 0);
	assert_int_equal(template_render_text(src.data, src.len, LANG_EN, ctx, &out), 0);
	assert_int_equal(out.len, 0);
	buf_cleanup(&out);
	buf_cleanup(&src);
	json_decref(ctx);
}

static void output_cap_fails(void **state)
{
	(void)state;
	json_t *ctx = json_pack("{s:s}", "name", "0123456789");
	struct buf out;
	buf_init(&out, 16);
	assert_int_equal(template_render_text("{{name}}", 8, LANG_EN, ctx, &out), 0);
	assert_int_equal(template_render_text("{{name}}", 8, LANG_EN, ctx, &out), -1);
	buf_cleanup(&out);
	/* escaping can grow the text past the cap */
	buf_init(&out, 16);
	json_object_set_new(ctx, "name", json_string("<<<<<")); /* 20 bytes escaped */
	assert_int_equal(template_render_text("{{name}}", 8, LANG_EN, ctx, &out), -1);
	buf_cleanup(&out);
	json_decref(ctx);
}

static void deep_nesting_is_bounded(void **state)
{
	(void)state;
	/* 20 nested objects: deeper than the renderer's context stack */
	struct buf src, want;
	buf_init(&src, 0);
	buf_init(&want, 0);
	json_t *ctx = json_object();
	json_t *cur = ctx;
	for (int i = 0; i < 20; i++) {
		json_t *next = json_object();
		json_object_set_new(cur, "o", next);
		cur = next;
		assert_int_equal(buf_puts(&src, "{{#o}}"), 0);
	}
	for (int i = 0; i < 20; i++)
		assert_int_equal(buf_puts(&src, "{{/o}}"), 0);
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(template_render_text(src.data, src.len, LANG_EN, ctx, &out), -1);
	buf_cleanup(&out);
	buf_cleanup(&src);
	buf_cleanup(&want);
	json_decref(ctx);
}

/* --- embedded templates --- */

static void embedded_find_and_render(void **state)
{
	(void)state;
	assert_non_null(embedded_find("templates/layout.html"));
	assert_non_null(embedded_find("templates/_errors.html"));
	assert_null(embedded_find("templates/nope.html"));
	assert_null(embedded_find("layout.html"));

	json_t *ctx = json_pack("{s:s, s:s}", "title", "<T>", "body", "<p>page</p>");
	struct buf out;
	buf_init(&out, 0);
	assert_int_equal(template_render("layout", LANG_EN, ctx, &out), 0);
	assert_non_null(strstr(out.data, "<title>&lt;T&gt;"));
	assert_non_null(strstr(out.data, "<p>page</p>")); /* the body is our own HTML, inserted raw */
	buf_cleanup(&out);
	buf_init(&out, 0);
	assert_int_equal(template_render("does_not_exist", LANG_EN, ctx, &out), -1);
	buf_cleanup(&out);
	json_decref(ctx);
}

/* Sets the dotted name to value in ctx, creating objects on the way. */
static void set_dotted(json_t *ctx, const char *name, size_t n, json_t *value)
{
	const char *dot = memchr(name, '.', n);
	char key[128];
	size_t part = dot ? (size_t)(dot - name) : n;
	assert_true(part < sizeof key);
	memcpy(key, name, part);
	key[part] = '\0';
	if (!dot) {
		json_object_set(ctx, key, value);
		return;
	}
	json_t *child = json_object_get(ctx, key);
	if (!json_is_object(child)) {
		child = json_object();
		json_object_set_new(ctx, key, child);
	}
	set_dotted(child, dot + 1, n - part - 1, value);
}

/*
 * A context in which every name used by any embedded template holds value,
 * except "body", "chart", "html" and "qr": they are inserted raw by design,
 * because they are HTML and SVG the program has already rendered and made safe
 * itself (the page, the chart, an article's Markdown rendered by cmark in safe
 * mode, the two-step setup's QR code from web/render/qr.c).
 */
static json_t *context_all_names(json_t *value)
{
	json_t *ctx = json_object();
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		const char *p = (const char *)f->data, *end = p + f->len;
		while ((p = memmem(p, (size_t)(end - p), "{{", 2)) != NULL) {
			const char *close = memmem(p, (size_t)(end - p), "}}", 2);
			assert_non_null(close);
			const char *s = p + 2;
			while (s < close && strchr("#^/&%! ", *s))
				s++;
			size_t n = (size_t)(close - s);
			while (n && s[n - 1] == ' ')
				n--;
			bool skip =
			    p[2] == '!' || p[2] == '>' || n == 0 || (n == 1 && *s == '.') ||
			    (n == 4 && memcmp(s, "body", 4) == 0) || (n == 5 && memcmp(s, "chart", 5) == 0) ||
			    (n == 4 && memcmp(s, "html", 4) == 0) || (n == 2 && memcmp(s, "qr", 2) == 0) ||
			    /* a time in words, drawn and escaped by web/when.c (tests/unit/web/render/test_time.c) */
			    (p[2] == '&' && n > 5 && memcmp(s + n - 5, ".html", 5) == 0);
			if (!skip)
				set_dotted(ctx, s, n, value);
			p = close + 2;
		}
	}
	return ctx;
}

static json_t *hostile_card(const char *s)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "id", s, "author", s,
	                 "when", s, "visibility_label", s, "mood_word", s, "mood", s, "connection", s, "secure", s,
	                 "appreciation", s, "need", s, "worry", s, "visibility", s, "mine", 1);
}

/* A hand-made context shaped like the one the pages build, with s everywhere. */
static json_t *context_shaped(const char *s)
{
	json_t *errors = json_object();
	const char *fields[] = {"username", "password",     "display_name", "code",  "mood",       "connection",
	                        "secure",   "appreciation", "need",         "worry", "visibility", "form"};
	for (size_t i = 0; i < ARRAY_LEN(fields); i++)
		json_object_set_new(errors, fields[i], json_string(s));
	json_t *option =
	    json_pack("{s:s, s:s, s:s, s:s, s:b}", "value", s, "word", s, "label", s, "hint", s, "checked", 1);
	json_t *ctx = json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b,"
	    " s:o, s:[{s:s, s:s, s:b}, {s:s, s:s, s:b}], s:[o, o], s:o, s:[o], s:[o],"
	    " s:{s:s, s:s, s:b}}",
	    "title", s, "heading", s, "csrf", s, "username", s, "display_name", s, "partner_name", s, "invite_code", s,
	    "invite_expires", s, "code", s, "action", s, "submit", s, "author", s, "next", s, "message", s,
	    "quick_exit_url", s, "signed_in", 1, "in_space", 1, "has_partner", 0, "is_partner", 1, "is_me", 1, "is_all",
	    1, "saved", 1, "left", 1, "joined", 1, "mine", 1, "linked", 1, "errors", errors, "error_summary", "field",
	    s, "message", s, "linked", 1, "field", s, "message", s, "linked", 0, "checkins", hostile_card(s),
	    hostile_card(s), "checkin", hostile_card(s), "moods", option, "visibilities", json_deep_copy(option), "me",
	    "display_name", s, "id", s, "has_partner", 1);
	/* A throttled login or sign-up (templates/_paused.html). */
	for (size_t i = 0; i < 3; i++)
		json_object_set_new(ctx, (const char *[]){"paused", "paused_heading", "paused_hint"}[i],
		                    json_string(s));
	return ctx;
}

static void check_all_templates(json_t *ctx, const char *what)
{
	int rendered = 0;
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		struct buf out;
		buf_init(&out, 0);
		if (template_render_text((const char *)f->data, f->len, LANG_EN, ctx, &out) < 0)
			fail_msg("%s failed to render with %s", f->name, what);
		const char *text = out.data ? out.data : "";
		if (strstr(text, "<script>alert") || strstr(text, "\" onmouseover="))
			fail_msg("%s let a hostile value through with %s", f->name, what);
		buf_cleanup(&out);

		/* and by name, as the pages call it */
		char name[128];
		size_t n = strlen(f->name) - 10 - 5;
		assert_true(n < sizeof name);
		memcpy(name, f->name + 10, n);
		name[n] = '\0';
		buf_init(&out, 0);
		assert_int_equal(template_render(name, LANG_EN, ctx, &out), 0);
		buf_cleanup(&out);
		rendered++;
	}
	/* Every template the pages use is compiled in (a lower bound: new ones only add). */
	assert_true(rendered >= 20);
	assert_non_null(embedded_find("templates/repair.html"));
	assert_non_null(embedded_find("templates/prompt.html"));
}

/*
 * Every embedded template by name (its compiled form kept and shared, its
 * partials found once) from four threads at once, in English and German,
 * against the same template compiled for the one call: the same bytes.
 */
#define THREADS 4

struct all_out {
	json_t *ctx;
	struct buf out;
	int failed;
};

static void render_all(struct all_out *o, bool by_name)
{
	for (size_t i = 0; i < embedded_files_count; i++) {
		const struct embedded_file *f = &embedded_files[i];
		if (strncmp(f->name, "templates/", 10) != 0)
			continue;
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(strlen(f->name) - 15), f->name + 10);
		for (int l = 0; l < 2; l++) {
			enum lang lang = l ? LANG_DE : LANG_EN;
			int rc = by_name ? template_render(name, lang, o->ctx, &o->out)
			                 : template_render_text((const char *)f->data, f->len, lang, o->ctx, &o->out);
			o->failed += rc < 0;
		}
	}
}

static void *render_all_by_name(void *arg)
{
	render_all(arg, true);
	return NULL;
}

static void kept_templates_render_alike_from_threads(void **state)
{
	(void)state;
	json_t *ctx = context_shaped("x & y");
	assert_non_null(ctx);
	struct all_out want = {.ctx = ctx};
	buf_init(&want.out, 0);
	render_all(&want, false);
	assert_int_equal(want.failed, 0);
	assert_true(want.out.len > 10000);
	struct all_out got[THREADS];
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++) {
		got[i] = (struct all_out){.ctx = ctx};
		buf_init(&got[i].out, 0);
		assert_int_equal(pthread_create(&t[i], NULL, render_all_by_name, &got[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(got[i].failed, 0);
		assert_int_equal(got[i].out.len, want.out.len);
		assert_memory_equal(got[i].out.data, want.out.data, want.out.len);
		buf_cleanup(&got[i].out);
	}
	/* once more, now that every one is kept */
	struct all_out again = {.ctx = ctx};
	buf_init(&again.out, 0);
	render_all(&again, true);
	assert_int_equal(again.out.len, want.out.len);
	assert_memory_equal(again.out.data, want.out.data, want.out.len);
	buf_cleanup(&again.out);
	buf_cleanup(&want.out);
	json_decref(ctx);
}

static void embedded_templates_render_empty(void **state)
{
	(void)state;
	json_t *ctx = json_object();
	check_all_templates(ctx, "an empty context");
	json_decref(ctx);
}

static void embedded_templates_escape_hostile(void **state)
{
	(void)state;
	const char *values[] = {HOSTILE, HOSTILE_ATTR};
	for (size_t i = 0; i < ARRAY_LEN(values); i++) {
		json_t *v = json_string(values[i]);
		json_t *ctx = context_all_names(v);
		check_all_templates(ctx, "every name set to a hostile string");
		json_decref(ctx);
		json_decref(v);

		ctx = context_shaped(values[i]);
		assert_non_null(ctx);
		check_all_templates(ctx, "a page-shaped hostile context");
		json_decref(ctx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_text_passes_through),
	    cmocka_unit_test(value_is_html_escaped),
	    cmocka_unit_test(value_url_encoded),
	    cmocka_unit_test(value_raw),
	    cmocka_unit_test(value_scalars),
	    cmocka_unit_test(comments_are_dropped),
	    cmocka_unit_test(dotted_names),
	    cmocka_unit_test(outer_scope_lookup),
	    cmocka_unit_test(dot_is_current_element),
	    cmocka_unit_test(section_over_array),
	    cmocka_unit_test(section_over_object),
	    cmocka_unit_test(section_truthiness),
	    cmocka_unit_test(inverted_sections),
	    cmocka_unit_test(nested_sections_same_name),
	    cmocka_unit_test(partial_errors),
	    cmocka_unit_test(partial_missing_fails),
	    cmocka_unit_test(malformed_templates_fail),
	    cmocka_unit_test(output_cap_fails),
	    cmocka_unit_test(deep_nesting_is_bounded),
	    cmocka_unit_test(deep_text_nesting_is_refused),
	    cmocka_unit_test(kept_templates_render_alike_from_threads),
	    cmocka_unit_test(embedded_find_and_render),
	    cmocka_unit_test(embedded_templates_render_empty),
	    cmocka_unit_test(embedded_templates_escape_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
