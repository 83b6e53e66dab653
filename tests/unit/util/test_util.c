/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_util.c - unit tests for src/util/util.h: the capped buffer, the
 * request arena, UTF-8 validation and counting, RFC 3339 time formatting and
 * random ids.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static int setup_sodium(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

/* --- buf --- */

/* buf_fixed0 or buf_fixed1 against snprintf's "%.0f" or "%.1f" for one value. */
static void fixed_matches(int decimals, double v)
{
	char want[512]; /* 1e300 has 301 digits */
	snprintf(want, sizeof want, "%.*f", decimals, v);
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(decimals ? buf_fixed1(&b, v) : buf_fixed0(&b, v), 0);
	if (strcmp(b.data, want) != 0)
		fail_msg("buf_fixed%d(%a) wrote \"%s\", printf \"%s\"", decimals, v, b.data, want);
	buf_cleanup(&b);
}

static void fixed1_matches(double v)
{
	fixed_matches(1, v);
}

static void fixed0_matches(double v)
{
	fixed_matches(0, v);
}

static void buf_fixed1_as_printf(void **state)
{
	(void)state;
	/* Ties and near ties (x.x5, exact or not), both signs, zeros, large, not finite. */
	for (int k = -100000; k <= 100000; k++) {
		double v = k / 40.0;
		fixed1_matches(v);
		fixed1_matches(nextafter(v, INFINITY));
		fixed1_matches(nextafter(v, -INFINITY));
		fixed1_matches(k / 100.0);
		fixed1_matches(k * 0.05);
	}
	const double special[] = {0.0,      -0.0,      0.05,    -0.05,        0.25,          0.35,  0.45,
	                          -0.25,    1e-300,    -1e-300, 0x1p49 + 0.5, 0x1p50,        1e300, -1e300,
	                          INFINITY, -INFINITY, NAN,     639.95,       219.9999999999};
	for (size_t i = 0; i < ARRAY_LEN(special); i++)
		fixed1_matches(special[i]);
	/* Random doubles of a chart's size and beyond (a fixed sequence). */
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 200000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = (double)(x >> 11) / 0x1p53; /* [0, 1) */
		fixed1_matches((u - 0.5) * 2000.0);
		fixed1_matches((u - 0.5) * 1e12);
	}
}

static void buf_fixed0_as_printf(void **state)
{
	(void)state;
	for (int k = -100000; k <= 100000; k++) {
		double v = k / 4.0; /* halves: ties to even */
		fixed0_matches(v);
		fixed0_matches(nextafter(v, INFINITY));
		fixed0_matches(nextafter(v, -INFINITY));
		fixed0_matches(k / 10.0);
	}
	const double special[] = {
	    0.0,       -0.0,    0.5,    -0.5,      1.5,   2.5,    -2.5,         0.49999999999999994,
	    1e-300,    -1e-300, 0x1p49, 0x1p50,    1e300, -1e300, 0x1p52 + 0.5, INFINITY,
	    -INFINITY, NAN,     639.5,  -0.4999999};
	for (size_t i = 0; i < ARRAY_LEN(special); i++)
		fixed0_matches(special[i]);
	uint64_t x = 0x243f6a8885a308d3ULL;
	for (int i = 0; i < 200000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = (double)(x >> 11) / 0x1p53;
		fixed0_matches((u - 0.5) * 2000.0);
		fixed0_matches((u - 0.5) * 1e15);
	}
}

/* buf_printf writes %s, %d, %lld, %zu, %.0f, %.1f and %% itself: the same bytes as snprintf, other formats too. */
static void buf_printf_as_printf(void **state)
{
	(void)state;
	const int ints[] = {0, 1, -1, 9, 10, -10, 12345, INT_MAX, INT_MIN};
	const double reals[] = {0.0, -0.0, 0.05, -0.05, 0.25, 2.5, -2.5, 639.95, 1e300, NAN, -INFINITY, 219.9999999999};
	const char *strs[] = {"", "a", "<text class=\"label\">", "100%", "%d", NULL};
	char want[2048];
	for (size_t i = 0; i < ARRAY_LEN(ints); i++)
		for (size_t j = 0; j < ARRAY_LEN(reals); j++)
			for (size_t k = 0; k < ARRAY_LEN(strs); k++) {
				struct buf b;
				buf_init(&b, 0);
				assert_int_equal(buf_puts(&b, "kept "), 0);
				const char *s = strs[k];
				assert_int_equal(buf_printf(&b, "<x a=\"%.0f\" b=\"%.1f\">%s %d%%</x>", reals[j],
				                            reals[j], s, ints[i]),
				                 0);
				assert_int_equal(buf_printf(&b, "%s%d%.1f%.0f", s, ints[i], reals[j], reals[j]), 0);
				assert_int_equal(buf_printf(&b, "[%5d|%-3s|%.2f|%ld]", ints[i], s ? s : "-", reals[j],
				                            (long)ints[i]),
				                 0);
				snprintf(want, sizeof want,
				         "kept <x a=\"%.0f\" b=\"%.1f\">%s %d%%</x>%s%d%.1f%.0f[%5d|%-3s|%.2f|%ld]",
				         reals[j], reals[j], s, ints[i], s, ints[i], reals[j], reals[j], ints[i],
				         s ? s : "-", reals[j], (long)ints[i]);
				assert_string_equal(b.data, want);
				buf_cleanup(&b);
			}
	const long long longs[] = {0, 1, -1, 10, -10, 1700000000000LL, LLONG_MAX, LLONG_MIN};
	const size_t sizes[] = {0, 1, 9, 10, 65535, SIZE_MAX};
	for (size_t i = 0; i < ARRAY_LEN(longs); i++)
		for (size_t j = 0; j < ARRAY_LEN(sizes); j++) {
			struct buf b;
			buf_init(&b, 0);
			assert_int_equal(buf_printf(&b, "1|%lld|%zu:%s|%lld%%", longs[i], sizes[j], "x", longs[i] / -2),
			                 0);
			snprintf(want, sizeof want, "1|%lld|%zu:%s|%lld%%", longs[i], sizes[j], "x", longs[i] / -2);
			assert_string_equal(b.data, want);
			buf_cleanup(&b);
		}
	/* Past the cap: -1, and the buffer as it was, on either path. */
	struct buf b;
	buf_init(&b, 12);
	assert_int_equal(buf_puts(&b, "abc"), 0);
	assert_int_equal(buf_printf(&b, "%s and %.1f", "0123456789", 1.25), -1);
	assert_int_equal(buf_printf(&b, "%08.3f", 1.25), 0);
	assert_int_equal(buf_printf(&b, "%08.3f", 1.25), -1);
	assert_int_equal(b.len, 11);
	assert_string_equal(b.data, "abc0001.250");
	buf_cleanup(&b);
}

static void buf_append_within_cap(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "abc", 3), 0);
	assert_int_equal(buf_puts(&b, "defgh"), 0);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "abcdefgh");
	buf_cleanup(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void buf_append_past_cap_fails_unchanged(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "abcdef"), 0);
	char *before = b.data;
	size_t alloc = b.alloc;
	assert_int_equal(buf_puts(&b, "xyz"), -1);
	assert_int_equal(b.len, 6);
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.alloc, alloc);
	assert_string_equal(b.data, "abcdef");
	/* an append that fits exactly still works after a refusal */
	assert_int_equal(buf_puts(&b, "gh"), 0);
	assert_string_equal(b.data, "abcdefgh");
	assert_int_equal(buf_append(&b, "i", 1), -1);
	assert_int_equal(buf_printf(&b, "%d", 1), -1);
	assert_string_equal(b.data, "abcdefgh");
	/* appending nothing at the cap is fine */
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 8);
	buf_cleanup(&b);
}

static void buf_cap_on_empty_buffer(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 4);
	assert_int_equal(buf_puts(&b, "hello"), -1);
	assert_int_equal(b.len, 0);
	assert_null(b.data);
	buf_cleanup(&b);
}

static void buf_grows_without_cap(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	for (int i = 0; i < 10000; i++)
		assert_int_equal(buf_append(&b, "0123456789", 10), 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(memcmp(b.data + 99990, "0123456789", 10), 0);
	buf_cleanup(&b);
}

static void buf_printf_small_and_large(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	assert_int_equal(buf_printf(&b, "%s=%d;", "n", 42), 0);
	assert_string_equal(b.data, "n=42;");

	/* larger than the 256-byte stack buffer inside buf_printf */
	char *big = malloc(5001);
	assert_non_null(big);
	memset(big, 'x', 5000);
	big[5000] = '\0';
	assert_int_equal(buf_printf(&b, "[%s]%d", big, 7), 0);
	assert_int_equal(b.len, 5 + 1 + 5000 + 1 + 1);
	assert_int_equal(memcmp(b.data, "n=42;[xxx", 9), 0);
	assert_string_equal(b.data + b.len - 3, "x]7");
	buf_cleanup(&b);

	/* a large printf past the cap fails and leaves the buffer as it was */
	buf_init(&b, 1000);
	assert_int_equal(buf_puts(&b, "keep"), 0);
	assert_int_equal(buf_printf(&b, "%s", big), -1);
	assert_int_equal(b.len, 4);
	assert_string_equal(b.data, "keep");
	buf_cleanup(&b);
	free(big);
}

static void buf_steal_detaches(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, 0);
	char *empty = buf_steal(&b);
	assert_string_equal(empty, "");
	free(empty);
	assert_int_equal(buf_puts(&b, "owned"), 0);
	char *s = buf_steal(&b);
	assert_string_equal(s, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(s);
	buf_cleanup(&b);
}

/* --- arena --- */

static void arena_alloc_aligned_and_distinct(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *p = arena_alloc(a, 1);
	char *q = arena_alloc(a, 3);
	char *z = arena_alloc(a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_non_null(z);
	assert_true(p != q && q != z && p != z);
	assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)q % _Alignof(max_align_t), 0);
	assert_int_equal((uintptr_t)z % _Alignof(max_align_t), 0);
	/* writing the full size of each must not disturb the others */
	*p = 'p';
	memcpy(q, "qqq", 3);
	assert_int_equal(*p, 'p');
	assert_memory_equal(q, "qqq", 3);
	arena_free(a);
	arena_free(NULL);
}

static void arena_many_small_blocks(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *ptrs[2000];
	for (int i = 0; i < 2000; i++) {
		ptrs[i] = arena_alloc(a, 24);
		memset(ptrs[i], i & 0xff, 24);
	}
	for (int i = 0; i < 2000; i++)
		for (int k = 0; k < 24; k++)
			assert_int_equal((unsigned char)ptrs[i][k], i & 0xff);
	arena_free(a);
}

static void arena_large_block(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	char *small = arena_strdup(a, "before");
	size_t big_n = 3 * 8192 + 5;
	char *big = arena_alloc(a, big_n);
	assert_non_null(big);
	memset(big, 'B', big_n);
	char *after = arena_strdup(a, "after");
	assert_string_equal(small, "before");
	assert_string_equal(after, "after");
	for (size_t i = 0; i < big_n; i++)
		if (big[i] != 'B')
			fail_msg("large block overwritten at %zu", i);
	arena_free(a);
}

static void arena_strings(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	assert_null(arena_strdup(a, NULL));
	char *s = arena_strdup(a, "hello");
	assert_string_equal(s, "hello");
	char *n = arena_strndup(a, "abcdef", 3);
	assert_string_equal(n, "abc");
	char *e = arena_strndup(a, "", 0);
	assert_string_equal(e, "");
	char *f = arena_printf(a, "%s-%03d-%c", "id", 7, 'z');
	assert_string_equal(f, "id-007-z");

	char *big = malloc(10001);
	assert_non_null(big);
	memset(big, 'y', 10000);
	big[10000] = '\0';
	char *g = arena_printf(a, "<%s>", big);
	assert_int_equal(strlen(g), 10002);
	assert_int_equal(g[0], '<');
	assert_int_equal(g[10001], '>');
	char *h = arena_strdup(a, big);
	assert_string_equal(h, big);
	free(big);
	assert_string_equal(s, "hello");
	arena_free(a);
}

/* --- UTF-8 --- */

#define U8_OK(lit) assert_true(utf8_valid(lit, sizeof(lit) - 1))
#define U8_BAD(lit) assert_false(utf8_valid(lit, sizeof(lit) - 1))

static void utf8_valid_accepts_well_formed(void **state)
{
	(void)state;
	U8_OK("");
	U8_OK("plain ASCII ~\x7f");
	U8_OK("\xc3\xa9");         /* é U+00E9 */
	U8_OK("\xc2\x80");         /* U+0080, smallest 2-byte */
	U8_OK("\xdf\xbf");         /* U+07FF */
	U8_OK("\xe0\xa0\x80");     /* U+0800, smallest 3-byte */
	U8_OK("\xe2\x82\xac");     /* € U+20AC */
	U8_OK("\xed\x9f\xbf");     /* U+D7FF, just below the surrogates */
	U8_OK("\xee\x80\x80");     /* U+E000, just above them */
	U8_OK("\xef\xbf\xbf");     /* U+FFFF */
	U8_OK("\xf0\x90\x80\x80"); /* U+10000, smallest 4-byte */
	U8_OK("\xf0\x9f\x92\x9c"); /* 💜 */
	U8_OK("\xf4\x8f\xbf\xbf"); /* U+10FFFF, the last code point */
	U8_OK("a\xc3\xa9z\xe2\x82\xac\xf0\x9f\x92\x9c!");
}

/*
 * utf8_valid skips ASCII eight bytes at a time: a NUL, a non-ASCII byte or a
 * bad sequence is still found at every offset, and a valid tail after ASCII
 * of any length still passes.
 */
static void utf8_valid_ascii_runs(void **state)
{
	(void)state;
	char text[40];
	for (size_t at = 0; at < 24; at++) {
		for (size_t len = at + 1; len <= 32; len++) {
			memset(text, 'a', sizeof text);
			assert_true(utf8_valid(text, len));
			text[at] = '\0';
			assert_false(utf8_valid(text, len));
			text[at] = '\x80'; /* a continuation byte with no start */
			assert_false(utf8_valid(text, len));
			text[at] = '\x7f';
			assert_true(utf8_valid(text, len));
			if (at + 2 <= len) {
				memcpy(text + at, "\xc3\xa9", 2);
				assert_true(utf8_valid(text, len));
				text[at + 1] = 'a'; /* the sequence cut short */
				assert_false(utf8_valid(text, len));
			}
		}
	}
}

static void utf8_valid_rejects_malformed(void **state)
{
	(void)state;
	/* overlong encodings */
	U8_BAD("\xc0\xaf");
	U8_BAD("\xc1\xbf");
	U8_BAD("\xe0\x80\xaf");
	U8_BAD("\xe0\x9f\xbf");
	U8_BAD("\xf0\x80\x80\xaf");
	U8_BAD("\xf0\x8f\xbf\xbf");
	/* surrogates U+D800..U+DFFF */
	U8_BAD("\xed\xa0\x80");
	U8_BAD("\xed\xbf\xbf");
	U8_BAD("\xed\xa0\xbd\xed\xb2\x9c"); /* a CESU-8 surrogate pair */
	/* beyond U+10FFFF */
	U8_BAD("\xf4\x90\x80\x80");
	U8_BAD("\xf5\x80\x80\x80");
	U8_BAD("\xf8\x88\x80\x80\x80");
	U8_BAD("\xff");
	U8_BAD("\xfe");
	/* truncated sequences, at the end and in the middle */
	U8_BAD("\xc3");
	U8_BAD("\xe2\x82");
	U8_BAD("\xf0\x9f\x92");
	U8_BAD("a\xe2\x82z");
	U8_BAD("\xc3 ");
	/* lone continuation bytes */
	U8_BAD("\x80");
	U8_BAD("a\xbf");
	/* NUL bytes are not allowed anywhere */
	U8_BAD("\0");
	U8_BAD("ab\0cd");
}

static void utf8_valid_respects_length(void **state)
{
	(void)state;
	/* the bad byte lies past n and must not be read as part of the input */
	assert_true(utf8_valid("ab\xff", 2));
	/* a sequence cut by n is truncated even when the bytes follow in memory */
	assert_false(utf8_valid("\xe2\x82\xac", 2));
	assert_true(utf8_valid("\xe2\x82\xac", 3));
	assert_true(utf8_valid(NULL, 0));
}

static void utf8_length_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(utf8_length("", 0), 0);
	assert_int_equal(utf8_length("abc", 3), 3);
	assert_int_equal(utf8_length("\xc3\xa9", 2), 1);
	assert_int_equal(utf8_length("\xe2\x82\xac", 3), 1);
	assert_int_equal(utf8_length("\xf0\x9f\x92\x9c", 4), 1);
	const char mixed[] = "a\xc3\xa9z\xe2\x82\xac\xf0\x9f\x92\x9c!";
	assert_int_equal(utf8_length(mixed, sizeof mixed - 1), 6);
}

/* --- time --- */

static void time_rfc3339_known_values(void **state)
{
	(void)state;
	char out[32];
	time_rfc3339(0, out);
	assert_string_equal(out, "1970-01-01T00:00:00Z");
	time_rfc3339(1795716000000, out);
	assert_string_equal(out, "2026-11-26T18:00:00Z");
	/* milliseconds are truncated, not rounded */
	time_rfc3339(1795716000999, out);
	assert_string_equal(out, "2026-11-26T18:00:00Z");
	time_rfc3339(951782400000, out); /* a leap day */
	assert_string_equal(out, "2000-02-29T00:00:00Z");
}

/* time_rfc3339 against gmtime_r and strftime (what it used alone before) for one time. */
static void rfc3339_matches(int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char want[32], got[32];
	assert_non_null(gmtime_r(&t, &tm));
	strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
	time_rfc3339(ms, got);
	if (strcmp(got, want) != 0)
		fail_msg("time_rfc3339(%lld) wrote %s, strftime %s", (long long)ms, got, want);
}

static void time_rfc3339_as_strftime(void **state)
{
	(void)state;
	/* the edges of its own arithmetic (years 1000 and 9999), of a day, of a second, before 1970 */
	const int64_t edges[] = {0,
	                         -1,
	                         -999,
	                         -1000,
	                         -1001,
	                         999,
	                         1000,
	                         86399999,
	                         86400000,
	                         -86400000,
	                         -86400001,
	                         951782400000,
	                         -30610224000000LL,
	                         -30610224000001LL,
	                         -30610223999999LL,
	                         253402300799999LL,
	                         253402300800000LL,
	                         -62135596800000LL,
	                         4102444800000LL};
	for (size_t i = 0; i < ARRAY_LEN(edges); i++)
		rfc3339_matches(edges[i]);
	uint64_t x = 0x2545f4914f6cdd1dULL;
	for (int i = 0; i < 300000; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		/* from year 1 to about 12,000: both sides of the arithmetic's years */
		rfc3339_matches((int64_t)((x >> 15) % 380000000000000ULL) - 62135596800000LL);
	}
}

static int64_t fixed_clock(void)
{
	return 1234567;
}

static void now_ms_uses_replaceable_clock(void **state)
{
	(void)state;
	int64_t (*saved)(void) = util_clock;
	util_clock = fixed_clock;
	assert_int_equal(now_ms(), 1234567);
	util_clock = saved;
	assert_true(now_ms() > 1600000000000);
}

/* --- ids and hex --- */

static void hex_encode_known(void **state)
{
	(void)state;
	const unsigned char in[] = {0x00, 0x01, 0xab, 0xff, 0x7f};
	char out[11];
	hex_encode(in, sizeof in, out);
	assert_string_equal(out, "0001abff7f");
	hex_encode(in, 0, out);
	assert_string_equal(out, "");
}

static void id_new_is_valid_and_random(void **state)
{
	(void)state;
	char a[ID_LEN + 1], b[ID_LEN + 1];
	id_new(a);
	id_new(b);
	assert_int_equal(strlen(a), ID_LEN);
	assert_true(id_valid(a));
	assert_true(id_valid(b));
	assert_string_not_equal(a, b);
	for (size_t i = 0; i < ID_LEN; i++)
		assert_non_null(strchr("0123456789abcdef", a[i]));
}

static void id_valid_rejects_bad_ids(void **state)
{
	(void)state;
	assert_true(id_valid("0123456789abcdef0123456789abcdef"));
	assert_false(id_valid(NULL));
	assert_false(id_valid(""));
	assert_false(id_valid("0123456789ABCDEF0123456789abcdef"));  /* upper case */
	assert_false(id_valid("0123456789abcdef0123456789abcde"));   /* 31 */
	assert_false(id_valid("0123456789abcdef0123456789abcdef0")); /* 33 */
	assert_false(id_valid("0123456789abcdef0123456789abcdeg"));  /* not hex */
	assert_false(id_valid("0123456789abcdef 123456789abcdef"));
	assert_false(id_valid("../../../../../../../../../../..."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf_append_within_cap),
	    cmocka_unit_test(buf_append_past_cap_fails_unchanged),
	    cmocka_unit_test(buf_cap_on_empty_buffer),
	    cmocka_unit_test(buf_grows_without_cap),
	    cmocka_unit_test(buf_printf_small_and_large),
	    cmocka_unit_test(buf_fixed1_as_printf),
	    cmocka_unit_test(buf_fixed0_as_printf),
	    cmocka_unit_test(buf_printf_as_printf),
	    cmocka_unit_test(buf_steal_detaches),
	    cmocka_unit_test(arena_alloc_aligned_and_distinct),
	    cmocka_unit_test(arena_many_small_blocks),
	    cmocka_unit_test(arena_large_block),
	    cmocka_unit_test(arena_strings),
	    cmocka_unit_test(utf8_valid_accepts_well_formed),
	    cmocka_unit_test(utf8_valid_rejects_malformed),
	    cmocka_unit_test(utf8_valid_ascii_runs),
	    cmocka_unit_test(utf8_valid_respects_length),
	    cmocka_unit_test(utf8_length_counts_code_points),
	    cmocka_unit_test(time_rfc3339_known_values),
	    cmocka_unit_test(time_rfc3339_as_strftime),
	    cmocka_unit_test(now_ms_uses_replaceable_clock),
	    cmocka_unit_test(hex_encode_known),
	    cmocka_unit_test(id_new_is_valid_and_random),
	    cmocka_unit_test(id_valid_rejects_bad_ids),
	};
	return cmocka_run_group_tests(tests, setup_sodium, NULL);
}
