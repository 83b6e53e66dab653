/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_i18n.c - unit tests for src/util/i18n.h: the language an
 * Accept-Language header asks for, the setting's codes, and lookups in the
 * embedded catalogues (a message, a plural, a miss, English), and the
 * template's {{_}} messages drawn in each language.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <unicode/unum.h>

#include "template/template.h"
#include "util/i18n.h"

static void accept_language_picks_the_best_we_speak(void **state)
{
	(void)state;
	assert_int_equal(lang_from_accept(NULL, LANG_ES), LANG_ES);
	assert_int_equal(lang_from_accept("", LANG_DE), LANG_DE);
	assert_int_equal(lang_from_accept("de-AT,de;q=0.9,en;q=0.5", LANG_EN), LANG_DE);
	assert_int_equal(lang_from_accept("fr-FR, fr;q=0.9, es;q=0.8, en;q=0.7", LANG_EN), LANG_ES);
	assert_int_equal(lang_from_accept("en;q=0.4, de;q=0.6", LANG_ES), LANG_DE);
	/* equal qualities: the header's order is the person's */
	assert_int_equal(lang_from_accept("es, de", LANG_EN), LANG_ES);
	assert_int_equal(lang_from_accept("ES-mx", LANG_EN), LANG_ES);
	/* q=0 means "not this one"; nothing we speak: the fallback */
	assert_int_equal(lang_from_accept("de;q=0, fr", LANG_EN), LANG_EN);
	assert_int_equal(lang_from_accept("fr, it;q=0.9", LANG_DE), LANG_DE);
	/* a malformed quality is not a preference; a longer primary tag is not "de" */
	assert_int_equal(lang_from_accept("de;q=x, es;q=0.1", LANG_EN), LANG_ES);
	assert_int_equal(lang_from_accept("deu, esp", LANG_EN), LANG_EN);
	assert_int_equal(lang_from_accept("*", LANG_DE), LANG_DE);
}

static void codes_are_exact(void **state)
{
	(void)state;
	enum lang l = LANG_EN;
	assert_true(lang_parse("de", &l));
	assert_int_equal(l, LANG_DE);
	assert_false(lang_parse("DE", &l));
	assert_false(lang_parse("de-AT", &l));
	assert_false(lang_parse("", &l));
	assert_false(lang_parse(NULL, &l));
	assert_string_equal(lang_code(LANG_ES), "es");
	assert_string_equal(lang_icu_locale(LANG_DE), "de_DE");
}

static void catalogues_translate(void **state)
{
	(void)state;
	assert_true(i18n_check());
	assert_string_equal(tr(LANG_DE, "Quick exit"), "Schnell verlassen");
	assert_string_equal(tr(LANG_ES, "Quick exit"), "Salida rápida");
	/* English is the source: the very same pointer comes back */
	const char *msg = "Quick exit";
	assert_ptr_equal(tr(LANG_EN, msg), msg);
	/* a message no catalogue has is itself */
	assert_string_equal(tr(LANG_DE, "No such message, surely"), "No such message, surely");
	assert_string_equal(tr(LANG_DE, ""), "");
	/* plurals by the languages' rule: one is singular, zero and two are plural */
	const char *one = "Please try again in about a minute.", *many = "Please try again in about %d minutes.";
	assert_string_equal(tr_n(LANG_DE, one, many, 1), "Bitte versuch es in etwa einer Minute noch einmal.");
	assert_string_equal(tr_n(LANG_DE, one, many, 2), "Bitte versuch es in etwa %d Minuten noch einmal.");
	assert_string_equal(tr_n(LANG_ES, one, many, 0), "Inténtalo de nuevo en unos %d minutos.");
	assert_ptr_equal(tr_n(LANG_EN, one, many, 1), one);
	assert_ptr_equal(tr_n(LANG_EN, one, many, 5), many);
	/* a context that was never written falls back to the English word */
	assert_string_equal(tr_p(LANG_DE, "no such context", "Quick exit"), "Quick exit");
}

/* The decimal mark of each language is ICU's for its locale: "3.4" is "3,4" in Spanish and German. */
static void numbers_are_written_as_the_language_does(void **state)
{
	(void)state;
	for (int l = 0; l < LANG_COUNT; l++) {
		UErrorCode status = U_ZERO_ERROR;
		UNumberFormat *f = unum_open(UNUM_DECIMAL, NULL, 0, lang_icu_locale((enum lang)l), NULL, &status);
		assert_true(U_SUCCESS(status));
		UChar symbol[8];
		int32_t n = unum_getSymbol(f, UNUM_DECIMAL_SEPARATOR_SYMBOL, symbol, 8, &status);
		unum_close(f);
		assert_true(U_SUCCESS(status) && n == 1);
		char number[] = "3.4";
		lang_decimal((enum lang)l, number);
		assert_int_equal(number[1], (char)symbol[0]);
	}
	char whole[] = "12";
	lang_decimal(LANG_DE, whole);
	assert_string_equal(whole, "12");
	char es[] = "0.5";
	lang_decimal(LANG_ES, es);
	assert_string_equal(es, "0,5");
	lang_decimal(LANG_DE, NULL); /* nothing to write */
}

static const char *draw(const char *src, enum lang l, json_t *ctx)
{
	static char out[512];
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(template_render_text(src, strlen(src), l, ctx, &b), 0);
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	buf_cleanup(&b);
	return out;
}

static void templates_draw_messages(void **state)
{
	(void)state;
	json_t *ctx = json_pack("{s:s}", "name", "<Sam>");
	/* white space inside the block is folded into the id: indenting changes no message */
	assert_string_equal(draw("<a>{{_}}\n   Quick\n  exit {{/_}}</a>", LANG_DE, ctx), "<a>Schnell verlassen</a>");
	assert_string_equal(draw("<a>{{_}}Quick exit{{/_}}</a>", LANG_EN, ctx), "<a>Quick exit</a>");
	/* an untranslated message is drawn in English, values escaped as anywhere */
	assert_string_equal(draw("{{_}}Hello, {{name}}{{/_}}", LANG_ES, ctx), "Hello, &lt;Sam&gt;");
	/* a block left open, or nested, is a malformed template */
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(template_render_text("{{_}}open", 9, LANG_DE, ctx, &b), -1);
	assert_int_equal(template_render_text("{{_}}a{{_}}b{{/_}}", 18, LANG_DE, ctx, &b), -1);
	buf_cleanup(&b);
	json_decref(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(accept_language_picks_the_best_we_speak),
	    cmocka_unit_test(codes_are_exact),
	    cmocka_unit_test(catalogues_translate),
	    cmocka_unit_test(templates_draw_messages),
	    cmocka_unit_test(numbers_are_written_as_the_language_does),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
