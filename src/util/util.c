/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * util.c - allocation, buffers, arenas, UTF-8, time and ids (see util.h).
 */
#include "util.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void out_of_memory(void)
{
	fputs("hearth: out of memory\n", stderr);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);
	if (!p)
		out_of_memory();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	if (!fmt)
		abort(); /* lets GCC 12 prove fmt non-null under -fsanitize=undefined */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	char *p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void buf_init(struct buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->alloc = 0;
	b->cap = cap ? cap : SIZE_MAX - 1;
}

void buf_cleanup(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

int buf_append(struct buf *b, const void *data, size_t n)
{
	if (n > b->cap - b->len)
		return -1;
	if (b->len + n + 1 > b->alloc) {
		size_t want = b->alloc ? b->alloc : 256;
		while (want < b->len + n + 1)
			want *= 2;
		b->data = xrealloc(b->data, want);
		b->alloc = want;
	}
	if (n)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

/* Whether fmt holds only %s, %d, %lld, %zu, %.0f, %.1f and %%: what buf_printf writes itself. */
static bool format_is_plain(const char *fmt)
{
	for (const char *p = fmt; (p = strchr(p, '%'));) {
		if (p[1] == 's' || p[1] == 'd' || p[1] == '%')
			p += 2;
		else if ((p[1] == '.' && (p[2] == '0' || p[2] == '1') && p[3] == 'f') || strncmp(p + 1, "lld", 3) == 0)
			p += 4;
		else if (p[1] == 'z' && p[2] == 'u')
			p += 3;
		else
			return false;
	}
	return true;
}

/* Appends u in decimal, after a minus sign when minus. */
static int put_uint(struct buf *b, uint64_t u, bool minus)
{
	char digits[24];
	size_t i = sizeof digits;
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (minus)
		digits[--i] = '-';
	return buf_append(b, digits + i, sizeof digits - i);
}

static int put_int(struct buf *b, int v)
{
	return put_uint(b, v < 0 ? 0u - (unsigned)v : (unsigned)v, v < 0);
}

/* fmt (format_is_plain) with its arguments, as printf writes them; -1 at the cap. */
static int put_plain(struct buf *b, const char *fmt, va_list ap)
{
	for (const char *p = fmt;;) {
		const char *q = strchr(p, '%');
		if (!q)
			return buf_puts(b, p);
		if (buf_append(b, p, (size_t)(q - p)) < 0)
			return -1;
		int rc;
		if (q[1] == 's') {
			const char *s = va_arg(ap, const char *);
			rc = buf_puts(b, s ? s : "(null)"); /* glibc's */
			p = q + 2;
		} else if (q[1] == 'd') {
			rc = put_int(b, va_arg(ap, int));
			p = q + 2;
		} else if (q[1] == '%') {
			rc = buf_append(b, "%", 1);
			p = q + 2;
		} else if (q[1] == 'l') {
			long long v = va_arg(ap, long long);
			rc = put_uint(b, v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, v < 0);
			p = q + 4;
		} else if (q[1] == 'z') {
			rc = put_uint(b, va_arg(ap, size_t), false);
			p = q + 3;
		} else {
			double v = va_arg(ap, double);
			rc = q[2] == '0' ? buf_fixed0(b, v) : buf_fixed1(b, v);
			p = q + 4;
		}
		if (rc < 0)
			return -1;
	}
}

/*
 * The formats the pages use most (a chart's SVG: "%.0f", "%.1f", "%s", "%d";
 * the cache's key: "%lld", "%zu") are written here; glibc's vsnprintf took
 * about 5 k instructions a call for them, a sixth of a dashboard's chart
 * (bench/README.md). Any other
 * conversion, flag or width goes to vsnprintf. Either way a call that would
 * pass the cap leaves the buffer as it was.
 */
int buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	if (format_is_plain(fmt)) {
		size_t start = b->len;
		va_start(ap, fmt);
		int rc = put_plain(b, fmt, ap);
		va_end(ap);
		if (rc < 0 && b->data) {
			b->len = start;
			b->data[start] = '\0';
		}
		return rc;
	}
	char small[256];
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_append(b, small, (size_t)n);
	char *big = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	int rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

/* printf's "%.*f" of v with snprintf itself, for what the functions below leave to it. */
static int put_printf_fixed(struct buf *b, int decimals, double v)
{
	char tmp[512]; /* 1e308 has 309 digits */
	int n = snprintf(tmp, sizeof tmp, "%.*f", decimals, v);
	return n < 0 || (size_t)n >= sizeof tmp ? -1 : buf_append(b, tmp, (size_t)n);
}

/*
 * "%.0f": rint() rounds to the nearest integer, ties to even, as printf does
 * in the default rounding mode, and exactly below 2^50; printf writes -0 for
 * a negative value that rounds to zero.
 */
int buf_fixed0(struct buf *b, double v)
{
	if (!(fabs(v) < 0x1p50))
		return put_printf_fixed(b, 0, v);
	return put_uint(b, (uint64_t)fabs(rint(v)), signbit(v));
}

/*
 * A chart page writes hundreds of coordinates with "%.1f", and glibc prints
 * each double by exact multi-precision conversion: 7 % of the page. Here n is
 * v rounded to tenths, decided exactly: fma() gives 10v - n and 20v - (2n + 1)
 * with one rounding, which keeps their signs (and an exact zero, a tie), so n
 * is printf's answer, ties to even included. Beyond 2^50 (never a coordinate)
 * and for NaN and infinities, printf itself.
 */
int buf_fixed1(struct buf *b, double v)
{
	if (!(fabs(v) < 0x1p50))
		return put_printf_fixed(b, 1, v);
	double n = floor(v * 10.0);
	if (fma(v, 10.0, -n) < 0) /* v * 10 rounded up past an integer */
		n -= 1;
	else if (fma(v, 10.0, -(n + 1)) >= 0)
		n += 1;
	double above_half = fma(v, 20.0, -(2 * n + 1));
	if (above_half > 0 || (above_half == 0 && fmod(n, 2) != 0))
		n += 1;
	uint64_t tenths = (uint64_t)fabs(n);
	char digits[32];
	size_t i = sizeof digits;
	digits[--i] = (char)('0' + tenths % 10);
	digits[--i] = '.';
	tenths /= 10;
	do {
		digits[--i] = (char)('0' + tenths % 10);
		tenths /= 10;
	} while (tenths);
	if (signbit(v)) /* printf writes -0.0 for any negative value that rounds to zero */
		digits[--i] = '-';
	return buf_append(b, digits + i, sizeof digits - i);
}

char *buf_steal(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}

/* Arena: a chain of blocks; large requests get a block of their own. */
struct arena_block {
	struct arena_block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct arena_block *head;
};

#define ARENA_BLOCK 8192

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct arena_block *b = a->head;
	while (b) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (n == 0)
		n = sizeof(max_align_t);
	struct arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		b = xmalloc(sizeof *b + size);
		b->used = 0;
		b->size = size;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	if (!fmt)
		abort(); /* see xasprintf */
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		out_of_memory();
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

bool utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		/* Eight ASCII bytes at a time, none of them NUL: pages are mostly ASCII, and are checked whole. */
		const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
		uint64_t w;
		while (n - i >= 8 && (memcpy(&w, s + i, 8), !(w & highs) && !((w - ones) & ~w & highs)))
			i += 8;
		if (i == n)
			break;
		unsigned char c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t need;
		uint32_t cp;
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (n - i - 1 < need)
			return false;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += need + 1;
	}
	return true;
}

size_t utf8_length(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

static int64_t clock_real(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t (*util_clock)(void) = clock_real;

struct timespec deadline_in(int ms)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000L;
	}
	return t;
}

int64_t now_ms(void)
{
	return util_clock();
}

/*
 * Days from 1970-01-01 to year-month-day of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil); day may run past the month's end, or below
 * 1, and counts on, as timegm carries it.
 */
int64_t days_from_civil(int64_t year, int month, int64_t day)
{
	year -= month <= 2;
	int64_t era = (year >= 0 ? year : year - 399) / 400;
	int64_t yoe = year - era * 400;                                              /* [0, 399] */
	int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1; /* from March 1st */
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The date of a day counted from 1970-01-01 (the inverse of days_from_civil). */
void civil_from_days(int64_t z, int64_t *year, int *month, int *day)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;                                      /* [0, 146096] */
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
	int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11], from March */
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = yoe + era * 400 + (*month <= 2);
}

void put_digits(char *out, int n, int64_t v)
{
	while (n--) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

void date_write(char out[static 11], int64_t year, int month, int day)
{
	put_digits(out, 4, year);
	out[4] = out[7] = '-';
	put_digits(out + 5, 2, month);
	put_digits(out + 8, 2, day);
	out[10] = '\0';
}

/*
 * By arithmetic for the years 1000 to 9999 (a list writes one for every item:
 * gmtime_r and strftime cost 1.5 k instructions); gmtime_r and strftime
 * beyond, whose years are not four digits.
 */
void time_rfc3339(int64_t ms, char out[static 32])
{
	int64_t secs = ms / 1000; /* toward zero, as it always was */
	if (secs >= -30610224000LL && secs <= 253402300799LL) {
		int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
		int64_t in_day = secs - days * 86400, year;
		int month, day;
		civil_from_days(days, &year, &month, &day);
		date_write(out, year, month, day);
		memcpy(out + 10, "T00:00:00Z", 11);
		put_digits(out + 11, 2, in_day / 3600);
		put_digits(out + 14, 2, in_day / 60 % 60);
		put_digits(out + 17, 2, in_day % 60);
		return;
	}
	time_t t = (time_t)secs;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/*
 * Ids start with the microsecond time (13 hex digits), so rows created one
 * after another sort in that order even within a millisecond, and index
 * inserts stay local; the remaining 76 bits are random, so ids cannot be guessed.
 */
void id_new(char out[static ID_LEN + 1])
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t us = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
	static const char digits[] = "0123456789abcdef";
	for (int i = 12; i >= 0; i--) {
		out[i] = digits[us & 15];
		us >>= 4;
	}
	unsigned char raw[10];
	char hex[2 * sizeof raw + 1];
	randombytes_buf(raw, sizeof raw);
	hex_encode(raw, sizeof raw, hex);
	memcpy(out + 13, hex, ID_LEN - 13); /* 19 of the 20 hex digits */
	out[ID_LEN] = '\0';
}

bool id_valid(const char *s)
{
	if (!s || strlen(s) != ID_LEN)
		return false;
	for (size_t i = 0; i < ID_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

bool text_blank(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return *s == '\0';
}

int word_find(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; s && i < n; i++)
		if (words[i] && strcmp(s, words[i]) == 0)
			return (int)i;
	return -1;
}
