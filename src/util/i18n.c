/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * i18n.c - the languages (see i18n.h): reading the embedded .mo catalogues
 * and choosing a language from a header.
 *
 * A .mo file (GNU gettext's "MO file format") is a header, then two tables of
 * (length, offset) pairs, the originals sorted by their bytes and the
 * translations in the same order. A lookup is a binary search of the
 * originals; a plural entry's original is "one\0many" and its translation
 * "form0\0form1", and a message in a context is "context\004msgid". The files
 * are read in place from the binary's read-only data: nothing is copied.
 */
#include "i18n.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "embedded.h"

#define MO_MAGIC 0x950412deu
/* The plural rule every catalogue must declare: the three languages share it. */
#define PLURAL_RULE "Plural-Forms: nplurals=2; plural=(n != 1);"

struct catalogue {
	const unsigned char *data;
	size_t len;
	uint32_t count;
	uint32_t originals;    /* offset of the originals' table */
	uint32_t translations; /* offset of the translations' table */
	bool ok;
};

static struct catalogue catalogues[LANG_COUNT];
static pthread_once_t catalogues_once = PTHREAD_ONCE_INIT;

static const char *const codes[LANG_COUNT] = {"en", "es", "de"};
static const char *const icu_locales[LANG_COUNT] = {"en_GB", "es_ES", "de_DE"};
/* The embedded names of the compiled catalogues (meson.build); English has none. */
static const char *const mo_names[LANG_COUNT] = {NULL, "es.mo", "de.mo"};

const char *lang_code(enum lang l)
{
	return (unsigned)l < LANG_COUNT ? codes[l] : codes[LANG_EN];
}

const char *lang_name(enum lang l)
{
	static const char *const names[LANG_COUNT] = {"English", "Español", "Deutsch"};
	return (unsigned)l < LANG_COUNT ? names[l] : names[LANG_EN];
}

const char *lang_icu_locale(enum lang l)
{
	return (unsigned)l < LANG_COUNT ? icu_locales[l] : icu_locales[LANG_EN];
}

/* The decimal mark of each language; tests/unit/util/test_i18n.c checks them against ICU's. */
static const char decimal_marks[LANG_COUNT] = {'.', ',', ','};

void lang_decimal(enum lang l, char *number)
{
	char *dot = number ? strchr(number, '.') : NULL;
	if (dot && (unsigned)l < LANG_COUNT)
		*dot = decimal_marks[l];
}

bool lang_parse(const char *code, enum lang *out)
{
	for (int i = 0; code && i < LANG_COUNT; i++)
		if (strcmp(code, codes[i]) == 0) {
			*out = (enum lang)i;
			return true;
		}
	return false;
}

/* The language of a range's primary subtag ("de" of "de-AT"), or -1. */
static int lang_of_tag(const char *s, size_t n)
{
	size_t primary = 0;
	while (primary < n && s[primary] != '-' && s[primary] != '_')
		primary++;
	for (int i = 0; i < LANG_COUNT; i++)
		if (primary == 2 && strncasecmp(s, codes[i], 2) == 0)
			return i;
	return -1;
}

/* "q=0.8" as thousandths (0..1000); -1 when malformed. */
static int quality(const char *s, size_t n)
{
	if (n < 3 || (s[0] != 'q' && s[0] != 'Q') || s[1] != '=')
		return -1;
	s += 2, n -= 2;
	if (s[0] != '0' && s[0] != '1')
		return -1;
	int q = (s[0] - '0') * 1000;
	if (n == 1)
		return q;
	if (s[1] != '.' || n > 5)
		return -1;
	int scale = 100;
	for (size_t i = 2; i < n; i++, scale /= 10) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		q += (s[i] - '0') * scale;
	}
	return q > 1000 ? -1 : q;
}

static void trim_range(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t'))
		(*s)++, (*n)--;
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

enum lang lang_from_accept(const char *header, enum lang fallback)
{
	if (!header)
		return fallback;
	int best = -1, best_q = 0;
	const char *p = header;
	for (int ranges = 0; *p && ranges < 32; ranges++) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		const char *tag = p;
		size_t tag_len = n;
		int q = 1000;
		const char *semi = memchr(p, ';', n);
		if (semi) {
			tag_len = (size_t)(semi - p);
			const char *param = semi + 1;
			size_t param_len = n - tag_len - 1;
			trim_range(&param, &param_len);
			q = quality(param, param_len);
		}
		trim_range(&tag, &tag_len);
		int l = lang_of_tag(tag, tag_len);
		/* The first of equal qualities wins: the header's order is the person's. */
		if (l >= 0 && q > best_q) {
			best = l;
			best_q = q;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return best >= 0 ? (enum lang)best : fallback;
}

static uint32_t word(const struct catalogue *c, uint32_t offset)
{
	uint32_t v;
	memcpy(&v, c->data + offset, sizeof v); /* the build machine's order: msgfmt writes it */
	return v;
}

/* The string at table entry i (originals or translations); NULL when out of bounds. */
static const char *entry(const struct catalogue *c, uint32_t table, uint32_t i, uint32_t *len)
{
	uint64_t at = (uint64_t)table + (uint64_t)i * 8;
	if (at + 8 > c->len)
		return NULL;
	uint32_t n = word(c, (uint32_t)at), off = word(c, (uint32_t)at + 4);
	if ((uint64_t)off + n + 1 > c->len || c->data[off + n] != '\0')
		return NULL;
	*len = n;
	return (const char *)c->data + off;
}

static const char *lookup(const struct catalogue *c, const char *key, uint32_t *len)
{
	uint32_t lo = 0, hi = c->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2, n;
		const char *orig = entry(c, c->originals, mid, &n);
		if (!orig)
			return NULL;
		int cmp = strcmp(key, orig);
		if (cmp == 0) {
			const char *t = entry(c, c->translations, mid, len);
			return t && *len ? t : NULL; /* an empty translation is an untranslated one */
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static bool catalogue_open(struct catalogue *c, const char *name)
{
	const struct embedded_file *f = embedded_find(name);
	if (!f || f->len < 28)
		return false;
	c->data = f->data;
	c->len = f->len;
	if (word(c, 0) != MO_MAGIC)
		return false;
	c->count = word(c, 8);
	c->originals = word(c, 12);
	c->translations = word(c, 16);
	uint32_t n;
	if (c->count && (!entry(c, c->originals, c->count - 1, &n) || !entry(c, c->translations, c->count - 1, &n)))
		return false;
	c->ok = true;
	/* The header (the translation of "") must name the plural rule tr_n() applies. */
	const char *header = lookup(c, "", &n);
	if (!header || !strstr(header, PLURAL_RULE)) {
		c->ok = false;
		return false;
	}
	return true;
}

static void catalogues_load(void)
{
	for (int i = 0; i < LANG_COUNT; i++)
		if (mo_names[i])
			catalogue_open(&catalogues[i], mo_names[i]);
}

static const struct catalogue *catalogue_of(enum lang l)
{
	if ((unsigned)l >= LANG_COUNT || l == LANG_EN)
		return NULL;
	pthread_once(&catalogues_once, catalogues_load);
	return catalogues[l].ok ? &catalogues[l] : NULL;
}

bool i18n_check(void)
{
	bool ok = true;
	pthread_once(&catalogues_once, catalogues_load);
	for (int i = 0; i < LANG_COUNT; i++)
		if (mo_names[i] && !catalogues[i].ok) {
			fprintf(stderr, "{\"level\":\"error\",\"msg\":\"the %s catalogue is missing or broken\"}\n",
			        codes[i]);
			ok = false;
		}
	return ok;
}

const char *tr(enum lang l, const char *msgid)
{
	const struct catalogue *c = catalogue_of(l);
	uint32_t n;
	const char *t = c && msgid && *msgid ? lookup(c, msgid, &n) : NULL;
	return t ? t : msgid;
}

const char *tr_n(enum lang l, const char *one, const char *many, unsigned long count)
{
	const struct catalogue *c = catalogue_of(l);
	uint32_t n;
	const char *t = c ? lookup(c, one, &n) : NULL;
	if (!t)
		return count == 1 ? one : many;
	if (count == 1)
		return t;
	const char *second = memchr(t, '\0', n);
	return second && second + 1 < t + n ? second + 1 : (count == 1 ? one : many);
}

const char *tr_p(enum lang l, const char *context, const char *msgid)
{
	const struct catalogue *c = catalogue_of(l);
	if (!c)
		return msgid;
	char key[1024];
	int k = snprintf(key, sizeof key, "%s\004%s", context, msgid);
	if (k < 0 || (size_t)k >= sizeof key)
		return msgid;
	uint32_t n;
	const char *t = lookup(c, key, &n);
	return t ? t : msgid;
}
