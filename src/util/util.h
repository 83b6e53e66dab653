/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * util.h - small shared helpers: allocation that aborts on out-of-memory, a
 * growable byte buffer with a size cap, a per-request arena, UTF-8 checks,
 * time formatting, hex encoding and random identifiers.
 *
 * Ownership: xmalloc/xstrdup results are freed with free(); arena allocations
 * live until arena_free(); buf contents until buf_cleanup().
 */
#ifndef HEARTH_UTIL_H
#define HEARTH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <stdint.h>

#define WARN_UNUSED __attribute__((warn_unused_result))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Length of an id as text: 16 random bytes in lower-case hex. */
#define ID_LEN 32

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* A freshly allocated formatted string; aborts on out-of-memory. */
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);

/*
 * A growable buffer. `cap` bounds its length (0 = SIZE_MAX); an append that
 * would pass the cap fails with -1 and leaves the buffer unchanged. The data
 * is always NUL-terminated after `len` bytes once anything was appended.
 */
struct buf {
	char *data;
	size_t len;
	size_t alloc;
	size_t cap;
};

void buf_init(struct buf *b, size_t cap);
void buf_cleanup(struct buf *b);
int buf_append(struct buf *b, const void *data, size_t n) WARN_UNUSED;
int buf_puts(struct buf *b, const char *s) WARN_UNUSED;
int buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3) WARN_UNUSED;
/* Appends v as printf's "%.1f" writes it (the same bytes), without printf's exact float conversion. */
int buf_fixed1(struct buf *b, double v) WARN_UNUSED;
/* The same for "%.0f". */
int buf_fixed0(struct buf *b, double v) WARN_UNUSED;
/* Detaches the data (caller frees); the buffer is empty afterwards. */
char *buf_steal(struct buf *b);

/* A bump allocator for one request; everything is freed at once. */
struct arena;
struct arena *arena_new(void);
void arena_free(struct arena *a);
void *arena_alloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* True when s[0..n) is well-formed UTF-8 without NUL bytes. */
bool utf8_valid(const char *s, size_t n);
/* Number of code points in well-formed UTF-8. */
size_t utf8_length(const char *s, size_t n);

/* Milliseconds since the Unix epoch (replaceable in tests via util_clock). */
int64_t now_ms(void);
/* The CLOCK_REALTIME time ms from now, for pthread_cond_timedwait and the other timed waits. */
struct timespec deadline_in(int ms);
extern int64_t (*util_clock)(void);
/* Formats ms-since-epoch as RFC 3339 UTC ("2026-11-26T18:00:00Z"). */
void time_rfc3339(int64_t ms, char out[static 32]);
/*
 * Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar;
 * day may run past the month's end, or below 1, and counts on, as timegm
 * carries it. civil_from_days is its inverse.
 */
int64_t days_from_civil(int64_t year, int month, int64_t day);
void civil_from_days(int64_t z, int64_t *year, int *month, int *day);
/* Writes n decimal digits of v (0 <= v < 10^n) at out. */
void put_digits(char *out, int n, int64_t v);
/* "YYYY-MM-DD" and a NUL at out (a year of four digits). */
void date_write(char out[static 11], int64_t year, int month, int day);

void hex_encode(const unsigned char *in, size_t n, char *out);
/* Fills out[ID_LEN + 1] with a new random id. */
void id_new(char out[static ID_LEN + 1]);
/* True when s looks like an id (ID_LEN lower-case hex characters). */
bool id_valid(const char *s);

/* True when s is NULL, empty, or only spaces, tabs and line breaks. */
bool text_blank(const char *s);
/*
 * The index of s in words[0..n) (exact match), or -1 (also for NULL): the one
 * loop behind every parser of a fixed vocabulary into an enum.
 */
int word_find(const char *s, const char *const *words, size_t n);

#endif
