/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * time.h - times and dates as people say them (issue 12), in the reader's
 * time zone: "Today, 20:14", "Yesterday, 08:02", "Thursday", "27 Nov",
 * "27 Nov 2025"; the words come from ICU (relative day names, date patterns
 * from skeletons), in the language given to each function (issue 16: English
 * as ICU's en_GB, Spanish, German: "Heute, 20:14", "27. Nov."). Every page that shows a
 * time uses this file; the API keeps RFC 3339 UTC.
 *
 * Thread-safe: ICU formatters are opened per thread and kept (a few zones per
 * thread), since opening one costs far more than using it.
 */
#ifndef HEARTH_RENDER_TIME_H
#define HEARTH_RENDER_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "../../util/i18n.h"
#include "../../util/util.h"

#define TIME_WORDS_MAX 96

/*
 * How someone in `zone` says the instant `at` (ms) when it is `now`:
 *   the same local day        "Today, 20:14"
 *   the day before / after    "Yesterday, 08:02" / "Tomorrow, 09:00"
 *   2 to 6 days before        "Thursday"
 *   2 to 6 days ahead         "Thursday, 20:14"
 *   otherwise, this year      "27 Nov"
 *   another year              "27 Nov 2025"
 * An unknown zone reads as UTC.
 */
void time_words(enum lang l, const char *zone, int64_t at, int64_t now, char out[TIME_WORDS_MAX]);

/* The whole date and the time, for what is printed and read later: "27 Nov 2025, 20:14". */
void time_words_full(enum lang l, const char *zone, int64_t at, char out[TIME_WORDS_MAX]);

/* An appointment, weekday and all (issue 13): "Thursday 3 December, 17:00". */
void time_words_appointment(enum lang l, const char *zone, int64_t at, char out[TIME_WORDS_MAX]);
/*
 * A calendar date (YYYY-MM-DD) as said in `zone` when it is `now`: "today",
 * "tomorrow", "yesterday", a weekday within six days ahead ("Sunday"), else
 * "27 Nov" or "27 Nov 2027". capital: for the start of a sentence ("Today").
 * A malformed date is copied as it is.
 */
void time_date_words(enum lang l, const char *zone, const char *date, int64_t now, bool capital,
                     char out[TIME_WORDS_MAX]);

/* Appends <time datetime="RFC 3339 UTC">words</time> for `at`; 0, or -1 at out's cap. */
int time_html(struct buf *out, enum lang l, const char *zone, int64_t at, int64_t now) WARN_UNUSED;
/* The same with time_words_full's words. */
int time_html_full(struct buf *out, enum lang l, const char *zone, int64_t at) WARN_UNUSED;
/* Appends <time datetime="YYYY-MM-DD">words</time> for a date; 0, or -1 at out's cap. */
int time_date_html(struct buf *out, enum lang l, const char *zone, const char *date, int64_t now,
                   bool capital) WARN_UNUSED;
/* A date as a day of a month, "27 Nov", or with its year, "27 Nov 2025" (the charts' labels). */
void time_date_label(enum lang l, const char *date, bool with_year, char out[TIME_WORDS_MAX]);
/* The whole date, for what is printed: <time datetime="2026-11-27">27 Nov 2026</time>. */
int time_date_html_full(struct buf *out, enum lang l, const char *date) WARN_UNUSED;

/*
 * Issue 14: the clock time someone in `zone` will see at `at`, for "back
 * around ...": "20:30" on the local day of `now`, "09:00 tomorrow" on the
 * next, "Thursday, 09:00" further on (a break lasts a day at most).
 */
void time_around_words(enum lang l, const char *zone, int64_t at, int64_t now, char out[TIME_WORDS_MAX]);

/* Appends <time datetime="RFC 3339 UTC">words</time> for `at` and words said already; 0, or -1 at out's cap. */
int time_words_html(struct buf *out, int64_t at, const char *words) WARN_UNUSED;

/*
 * A whole number as the language writes it: "1,234" (English), "1234" and
 * "12.345" (Spanish: four digits stay together), "1.234" (German). It uses
 * the thread's ICU formatters of this file, hence its place here.
 */
#define COUNT_TEXT_MAX 32
void count_text(enum lang l, int64_t n, char out[COUNT_TEXT_MAX]);

#endif
