/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * time.c - times and dates as people say them (see time.h).
 *
 * Which words to use is decided on local calendar days (domain/date.h: ICU
 * calendars, kept per thread and zone); the words themselves come from ICU
 * formatters, kept per thread: the four date patterns, which format a
 * calendar in its own zone, and the two relative-day formatters (capitalised
 * or not). Opening formatters costs far more than using them (about 200 us
 * each, and milliseconds for the pattern generator), a zone's calendar about
 * 30 us; a time in words then costs some 10-20 us.
 * Issue 16: every function says it in a language (util/i18n.h): its ICU
 * locale (lang_icu_locale: "en_GB", "es_ES", "de_DE") picks the patterns and
 * the relative day names, and the few joins ICU does not make (an
 * appointment's weekday and date, "09:00 tomorrow") are messages (tr_p), so
 * English stays as it was. The formatters, the day labels and the times
 * said (append_format) are kept per thread and per language.
 */
#include "time.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/unum.h>
#include <unicode/ureldatefmt.h>
#include <unicode/ustring.h>

#include "../../domain/date.h"
#include "../../template/template.h"
#include "../../util/i18n.h"

#define DAY_MS (24LL * 3600 * 1000)

enum pattern { P_CLOCK, P_WEEKDAY, P_DAY_MONTH, P_DAY_MONTH_YEAR, P_DAY_LONG_MONTH, PATTERNS };

/* Skeletons, not patterns: ICU picks each language's own order and separators. */
static const char *const skeletons[PATTERNS] = {"Hm", "EEEE", "dMMM", "yMMMd", "dMMMM"};

/*
 * Day labels remembered per thread (time_date_label): a chart labels each of
 * its days, a page draws one. A slot is the day's number modulo the slots, so
 * the days of any stretch shorter than that never evict each other (a hash of
 * the text made the dashboard's own days collide: most labels were made again).
 */
#define LABEL_SLOTS 128

struct day_label {
	char date[11]; /* "YYYY-MM-DD", "" for an empty slot */
	char words[TIME_WORDS_MAX];
};

/*
 * Times said, remembered per thread (append_format): a pattern's words for
 * one instant in one zone and language never change, and every read of a
 * page says the same instants again (a dashboard's cards, a timeline), at
 * some 6,000 instructions of ICU's calendar and formatting each. The slot is
 * by the instant and the pattern; the whole key is compared, so a collision
 * only costs the formatting. Zones with longer names are not kept.
 */
#define SAID_SLOTS 128
#define SAID_ZONE_MAX 48

struct said {
	int64_t at;
	int pattern;
	char zone[SAID_ZONE_MAX];
	char words[TIME_WORDS_MAX]; /* "" for an empty slot: only words said are kept */
};

struct formatters {
	UDateFormat *f[PATTERNS];                /* NULL until opened; the zone is the calendar's */
	URelativeDateTimeFormatter *relative[2]; /* [capital] */
	char relative_words[2][3][32];           /* [capital][day offset + 1]: "Yesterday", ... once made */
	struct day_label labels[2][LABEL_SLOTS]; /* [with_year][slot by the date's hash] */
	struct said said[SAID_SLOTS];            /* by the instant and pattern's hash */
	UNumberFormat *count;                    /* whole numbers (count_text), NULL until opened */
};

/* A thread's formatters, one set per language, each opened on first use. */
struct thread_formatters {
	struct formatters *by_lang[LANG_COUNT];
};

static pthread_key_t formatters_key;
static pthread_once_t formatters_once = PTHREAD_ONCE_INIT;

static void formatters_free(void *p)
{
	struct thread_formatters *all = p;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct formatters *t = all->by_lang[l];
		if (!t)
			continue;
		for (int i = 0; i < PATTERNS; i++)
			if (t->f[i])
				udat_close(t->f[i]);
		for (int i = 0; i < 2; i++)
			if (t->relative[i])
				ureldatefmt_close(t->relative[i]);
		if (t->count)
			unum_close(t->count);
		free(t);
	}
	free(all);
}

static void formatters_init(void)
{
	if (pthread_key_create(&formatters_key, formatters_free) != 0)
		abort(); /* at the first time shown: no thread key left is a broken process */
}

/* Opens this thread's date formats for a locale from the skeletons; aborts when ICU has no data for them. */
static void formats_open(struct formatters *t, const char *locale)
{
	UErrorCode st = U_ZERO_ERROR;
	UDateTimePatternGenerator *gen = udatpg_open(locale, &st);
	for (int i = 0; i < PATTERNS && U_SUCCESS(st); i++) {
		UChar skeleton[16], pattern[64];
		u_uastrncpy(skeleton, skeletons[i], 16);
		int32_t n = udatpg_getBestPattern(gen, skeleton, -1, pattern, 64, &st);
		if (U_SUCCESS(st))
			t->f[i] = udat_open(UDAT_PATTERN, UDAT_PATTERN, locale, NULL, -1, pattern, n, &st);
	}
	if (gen)
		udatpg_close(gen);
	if (U_FAILURE(st))
		abort(); /* ICU without its own locale data: nothing could be shown */
}

/*
 * This thread's formatters for language l, opened on first use (a pattern
 * generator costs milliseconds). They format a calendar (udat_formatCalendar)
 * in that calendar's zone, so one set serves every zone.
 */
static struct formatters *formatters_of_thread(enum lang l)
{
	pthread_once(&formatters_once, formatters_init);
	struct thread_formatters *all = pthread_getspecific(formatters_key);
	if (!all) {
		all = xcalloc(1, sizeof *all);
		if (pthread_setspecific(formatters_key, all) != 0)
			abort();
	}
	if (l < 0 || l >= LANG_COUNT)
		l = LANG_EN;
	if (!all->by_lang[l]) {
		all->by_lang[l] = xcalloc(1, sizeof *all->by_lang[l]);
		formats_open(all->by_lang[l], lang_icu_locale(l));
	}
	return all->by_lang[l];
}

/* Appends ICU's UTF-16 text as UTF-8 to out[*len..cap). */
static void append_uchars(char *out, size_t cap, size_t *len, const UChar *s, int32_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t written = 0;
	u_strToUTF8(out + *len, (int32_t)(cap - *len - 1), &written, s, n, &st);
	if (U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING)
		*len += (size_t)written;
	out[*len] = 0;
}

/* Appends words of n bytes when they fit whole, as ICU's own conversion does; else nothing. */
static void append_whole(char *out, size_t cap, size_t *len, const char *words, size_t n)
{
	if (n > cap - *len - 1)
		return;
	memcpy(out + *len, words, n + 1);
	*len += n;
}

/* Appends `at` as pattern p says it in zone: from this thread's slot when it was said before. */
static void append_format(enum lang l, char *out, size_t cap, size_t *len, const char *zone, enum pattern p, int64_t at)
{
	struct formatters *t = formatters_of_thread(l);
	size_t zone_len = strlen(zone);
	struct said *slot = &t->said[(((uint64_t)at * 0x9E3779B97F4A7C15u) >> 57 ^ (uint64_t)p) % SAID_SLOTS];
	bool keep = zone_len < SAID_ZONE_MAX;
	if (keep && slot->words[0] && slot->pattern == (int)p && slot->at == at &&
	    memcmp(slot->zone, zone, zone_len + 1) == 0) {
		append_whole(out, cap, len, slot->words, strlen(slot->words));
		return;
	}
	UChar text[64];
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = udat_formatCalendar(t->f[p], date_calendar_at(zone, at), text, 64, NULL, &st);
	if (!U_SUCCESS(st))
		return;
	size_t words_len = 0;
	char words[TIME_WORDS_MAX];
	words[0] = 0;
	append_uchars(words, sizeof words, &words_len, text, n);
	append_whole(out, cap, len, words, words_len);
	if (keep && words_len > 0) {
		slot->pattern = (int)p;
		slot->at = at;
		memcpy(slot->zone, zone, zone_len + 1);
		memcpy(slot->words, words, words_len + 1);
	}
}

static void append_text(char *out, size_t cap, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (n > cap - *len - 1)
		n = cap - *len - 1;
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = 0;
}

/* Fills out with ICU's words for a day offset; nothing when ICU cannot say it. */
static void relative_day_words(struct formatters *t, const char *locale, int offset, bool capital, char *out,
                               size_t cap, size_t *len)
{
	UErrorCode st = U_ZERO_ERROR;
	if (!t->relative[capital]) {
		t->relative[capital] = ureldatefmt_open(locale, NULL, UDAT_STYLE_LONG,
		                                        capital ? UDISPCTX_CAPITALIZATION_FOR_BEGINNING_OF_SENTENCE
		                                                : UDISPCTX_CAPITALIZATION_FOR_MIDDLE_OF_SENTENCE,
		                                        &st);
		if (U_FAILURE(st)) {
			if (t->relative[capital])
				ureldatefmt_close(t->relative[capital]);
			t->relative[capital] = NULL;
			return;
		}
	}
	UChar text[64];
	st = U_ZERO_ERROR;
	int32_t n = ureldatefmt_format(t->relative[capital], offset, UDAT_REL_UNIT_DAY, text, 64, &st);
	if (U_SUCCESS(st))
		append_uchars(out, cap, len, text, n);
}

/* "Today", "yesterday", ... for a day offset of -1, 0 or 1; ICU says each once per thread. */
static void append_relative_day(enum lang l, char *out, size_t cap, size_t *len, int offset, bool capital)
{
	assert(offset >= -1 && offset <= 1);
	struct formatters *t = formatters_of_thread(l);
	char *kept = t->relative_words[capital][offset + 1];
	if (!kept[0]) {
		size_t n = 0;
		relative_day_words(t, lang_icu_locale(l), offset, capital, kept, sizeof t->relative_words[0][0], &n);
	}
	append_text(out, cap, len, kept);
}

void time_words(enum lang l, const char *zone, int64_t at, int64_t now, char out[TIME_WORDS_MAX])
{
	struct local_time then, today;
	(void)date_local_time(zone, at, &then);
	(void)date_local_time(zone, now, &today);
	int days = date_days_between(today.date, then.date);
	size_t len = 0;
	out[0] = 0;
	if (days >= -1 && days <= 1) {
		append_relative_day(l, out, TIME_WORDS_MAX, &len, days, true);
		append_text(out, TIME_WORDS_MAX, &len, ", ");
		append_format(l, out, TIME_WORDS_MAX, &len, zone, P_CLOCK, at);
	} else if (days >= -6 && days <= -2) {
		append_format(l, out, TIME_WORDS_MAX, &len, zone, P_WEEKDAY, at);
	} else if (days >= 2 && days <= 6) {
		append_format(l, out, TIME_WORDS_MAX, &len, zone, P_WEEKDAY, at);
		append_text(out, TIME_WORDS_MAX, &len, ", ");
		append_format(l, out, TIME_WORDS_MAX, &len, zone, P_CLOCK, at);
	} else {
		append_format(l, out, TIME_WORDS_MAX, &len, zone,
		              then.year == today.year ? P_DAY_MONTH : P_DAY_MONTH_YEAR, at);
	}
}

void time_words_full(enum lang l, const char *zone, int64_t at, char out[TIME_WORDS_MAX])
{
	size_t len = 0;
	out[0] = 0;
	append_format(l, out, TIME_WORDS_MAX, &len, zone, P_DAY_MONTH_YEAR, at);
	append_text(out, TIME_WORDS_MAX, &len, ", ");
	append_format(l, out, TIME_WORDS_MAX, &len, zone, P_CLOCK, at);
}

void time_words_appointment(enum lang l, const char *zone, int64_t at, char out[TIME_WORDS_MAX])
{
	char weekday[TIME_WORDS_MAX] = "", day[TIME_WORDS_MAX] = "", clock[TIME_WORDS_MAX] = "";
	size_t n = 0;
	append_format(l, weekday, TIME_WORDS_MAX, &n, zone, P_WEEKDAY, at);
	n = 0;
	append_format(l, day, TIME_WORDS_MAX, &n, zone, P_DAY_LONG_MONTH, at);
	n = 0;
	append_format(l, clock, TIME_WORDS_MAX, &n, zone, P_CLOCK, at);
	/*
	 * The weekday, then the day, then the clock, joined by each language's own
	 * words: ICU's EEEEdMMMM puts a comma between the first two in British
	 * English, and German says "17:00 Uhr".
	 */
	snprintf(out, TIME_WORDS_MAX,
	         tr_p(l, "an appointment: weekday, day and month, clock time (Thursday 3 December, 17:00)",
	              "%1$s %2$s, %3$s"),
	         weekday, day, clock);
}

void time_date_words(enum lang l, const char *zone, const char *date, int64_t now, bool capital,
                     char out[TIME_WORDS_MAX])
{
	if (!date_valid(date)) {
		snprintf(out, TIME_WORDS_MAX, "%s", date ? date : "");
		return;
	}
	struct local_time today;
	(void)date_local_time(zone, now, &today);
	int days = date_days_between(today.date, date);
	/* a date has no zone: its words are those of its noon in UTC */
	int64_t noon = date_utc_ms(date, 0) + DAY_MS / 2;
	size_t len = 0;
	out[0] = 0;
	if (days >= -1 && days <= 1)
		append_relative_day(l, out, TIME_WORDS_MAX, &len, days, capital);
	else if (days >= 2 && days <= 6)
		append_format(l, out, TIME_WORDS_MAX, &len, "UTC", P_WEEKDAY, noon);
	else
		append_format(l, out, TIME_WORDS_MAX, &len, "UTC",
		              atoi(date) == today.year ? P_DAY_MONTH : P_DAY_MONTH_YEAR, noon);
}

static int time_element(struct buf *out, const char *datetime, const char *words)
{
	if (buf_puts(out, "<time datetime=\"") < 0 || html_escape(out, datetime, strlen(datetime)) < 0 ||
	    buf_puts(out, "\">") < 0 || html_escape(out, words, strlen(words)) < 0 || buf_puts(out, "</time>") < 0)
		return -1;
	return 0;
}

int time_words_html(struct buf *out, int64_t at, const char *words)
{
	char stamp[32];
	time_rfc3339(at, stamp);
	return time_element(out, stamp, words);
}

int time_html(struct buf *out, enum lang l, const char *zone, int64_t at, int64_t now)
{
	char words[TIME_WORDS_MAX];
	time_words(l, zone, at, now, words);
	return time_words_html(out, at, words);
}

int time_html_full(struct buf *out, enum lang l, const char *zone, int64_t at)
{
	char words[TIME_WORDS_MAX];
	time_words_full(l, zone, at, words);
	return time_words_html(out, at, words);
}

void time_date_label(enum lang l, const char *date, bool with_year, char out[TIME_WORDS_MAX])
{
	size_t len = 0;
	out[0] = 0;
	if (!date_valid(date))
		date = "1970-01-01"; /* callers pass valid dates; this keeps a bad one short */
	/*
	 * In UTC and one locale a date's label never changes, so it is made once
	 * per thread and slot: ICU's calendar and formatting were 8 % of a
	 * dashboard that labels every day of its chart.
	 */
	struct formatters *t = formatters_of_thread(l);
	int64_t midnight = date_utc_ms(date, 0);
	int64_t day = midnight / DAY_MS;
	struct day_label *slot = &t->labels[with_year][(day % LABEL_SLOTS + LABEL_SLOTS) % LABEL_SLOTS];
	if (strcmp(slot->date, date) == 0) {
		memcpy(out, slot->words, TIME_WORDS_MAX);
		return;
	}
	append_format(l, out, TIME_WORDS_MAX, &len, "UTC", with_year ? P_DAY_MONTH_YEAR : P_DAY_MONTH,
	              midnight + DAY_MS / 2);
	memcpy(slot->words, out, TIME_WORDS_MAX);
	snprintf(slot->date, sizeof slot->date, "%s", date);
}

int time_date_html_full(struct buf *out, enum lang l, const char *date)
{
	if (!date_valid(date))
		return html_escape(out, date ? date : "", date ? strlen(date) : 0);
	char words[TIME_WORDS_MAX];
	size_t len = 0;
	words[0] = 0;
	append_format(l, words, TIME_WORDS_MAX, &len, "UTC", P_DAY_MONTH_YEAR, date_utc_ms(date, 0) + DAY_MS / 2);
	return time_element(out, date, words);
}

int time_date_html(struct buf *out, enum lang l, const char *zone, const char *date, int64_t now, bool capital)
{
	char words[TIME_WORDS_MAX];
	time_date_words(l, zone, date, now, capital, words);
	if (!date_valid(date))
		return html_escape(out, words, strlen(words));
	return time_element(out, date, words);
}

void time_around_words(enum lang l, const char *zone, int64_t at, int64_t now, char out[TIME_WORDS_MAX])
{
	struct local_time then, today;
	(void)date_local_time(zone, at, &then);
	(void)date_local_time(zone, now, &today);
	int days = date_days_between(today.date, then.date);
	size_t len = 0;
	out[0] = 0;
	if (days >= 2 || days < 0) {
		time_words(l, zone, at, now, out);
		return;
	}
	append_format(l, out, TIME_WORDS_MAX, &len, zone, P_CLOCK, at);
	if (days == 1) {
		char clock[TIME_WORDS_MAX];
		memcpy(clock, out, len + 1);
		/* "09:00 tomorrow": said as a whole, since languages put the day first ("morgen um 09:00") */
		snprintf(out, TIME_WORDS_MAX, tr_p(l, "back around: a clock time on the next day", "%s tomorrow"),
		         clock);
	}
}

void count_text(enum lang l, int64_t n, char out[COUNT_TEXT_MAX])
{
	struct formatters *t = formatters_of_thread(l);
	UErrorCode st = U_ZERO_ERROR;
	if (!t->count) {
		t->count = unum_open(UNUM_DECIMAL, NULL, 0, lang_icu_locale(l), NULL, &st);
		/* the locale's own rule for short numbers (Spanish keeps "1234" together); the C API's default is 1 */
		if (U_SUCCESS(st))
			unum_setAttribute(t->count, UNUM_MINIMUM_GROUPING_DIGITS, UNUM_MINIMUM_GROUPING_DIGITS_AUTO);
	}
	UChar digits[COUNT_TEXT_MAX];
	int32_t len = U_SUCCESS(st) && t->count ? unum_formatInt64(t->count, n, digits, COUNT_TEXT_MAX, NULL, &st) : 0;
	size_t at = 0;
	out[0] = '\0';
	if (U_SUCCESS(st) && len > 0 && len < COUNT_TEXT_MAX)
		append_uchars(out, COUNT_TEXT_MAX, &at, digits, len);
	if (!out[0]) /* ICU without its data: the digits as they are, never nothing */
		snprintf(out, COUNT_TEXT_MAX, "%lld", (long long)n);
}
