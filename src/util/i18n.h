/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * i18n.h - the languages hearth speaks (issue 16): English, Spanish, German.
 *
 * Words are GNU gettext messages: marked in the C sources with tr(), tr_n(),
 * tr_p() and N_() (xgettext's keywords, see tools/po-extract.py), and in the
 * templates with {{_}}...{{/_}} (template.h). The catalogues po/es.po and
 * po/de.po are compiled by msgfmt at build time and embedded in the binary
 * like the templates, so the binary still runs from anywhere and needs no
 * installed locale. The lookup is our own reader of the embedded .mo files
 * rather than glibc's gettext(), whose catalogues must be files on disk and
 * whose language follows the process's (or thread's) locale, which must be
 * installed: a request here picks its language by itself.
 *
 * English is the source language: a message without a translation, or in an
 * English request, is the English text itself. A missing translation is
 * reported by the test suite (make test-po), never at run time.
 */
#ifndef HEARTH_I18N_H
#define HEARTH_I18N_H

#include <stdbool.h>

enum lang {
	LANG_EN,
	LANG_ES,
	LANG_DE,
};
#define LANG_COUNT 3

/* Marks a message for extraction where it is not translated yet (a table, a domain message). */
#define N_(s) (s)

/* "en", "es", "de": the setting's value, <html lang> and the API's language field. */
const char *lang_code(enum lang l);
/* The language's name in itself ("Deutsch"), for a choice of languages. */
const char *lang_name(enum lang l);
/* The language of a setting's value ("es"); false for anything else (only the exact codes). */
bool lang_parse(const char *code, enum lang *out);
/*
 * The best language of an Accept-Language header ("de-AT,de;q=0.9,en;q=0.5"):
 * the one with the highest q among those hearth speaks, matched by primary
 * subtag; fallback when the header is missing, malformed or names none of them.
 */
enum lang lang_from_accept(const char *header, enum lang fallback);
/* The ICU locale that spells dates and numbers for the language ("en_GB", "es_ES", "de_DE"). */
const char *lang_icu_locale(enum lang l);
/*
 * A number as the language writes it: the decimal point of "3.4" (printf's,
 * in the C locale) becomes the language's mark ("3,4" in Spanish and German,
 * ICU's decimal symbol for lang_icu_locale, checked by the unit test), in
 * place. For the figures a person reads; never for an attribute or the API.
 */
void lang_decimal(enum lang l, char *number);

/* msgid in language l: the translation, else msgid itself. Thread-safe, no allocation. */
const char *tr(enum lang l, const char *msgid);
/* one or many by n, by the language's plural rule (all three: n != 1 is the plural). */
const char *tr_n(enum lang l, const char *one, const char *many, unsigned long n);
/* msgid in a context, for one English word with two meanings ("Close" a dialog, a "close" friend). */
const char *tr_p(enum lang l, const char *context, const char *msgid);

/*
 * Checks the embedded catalogues (the .mo header, the plural rule each was
 * written for); false with a message on stderr when one is broken. Called at
 * start; tr() works without it (it loads lazily) but then skips a broken one.
 */
bool i18n_check(void);

#endif
