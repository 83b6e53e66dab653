/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_progress.c - unit tests for src/util/progress.h: the rate and time-left
 * arithmetic and the line formats with an injected clock, the one summary line
 * when standard error is not a terminal, and at most five redraws a second on
 * a terminal; work that is usually quick says something only when it was long;
 * a label per step.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/progress.h"

static int64_t fake_now;

static int64_t fake_clock(void)
{
	return fake_now;
}

/* Everything written to f so far, as a string the caller frees. */
static char *contents(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	assert_true(n >= 0);
	char *s = calloc(1, (size_t)n + 1);
	assert_non_null(s);
	rewind(f);
	assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
	return s;
}

static size_t count(const char *s, char c)
{
	size_t k = 0;
	for (; *s; s++)
		k += *s == c;
	return k;
}

static void rate_and_time_left(void **state)
{
	(void)state;
	struct progress p;
	fake_now = 1000;
	progress_start_with(&p, "seed: check-ins", 1000, stderr, false, fake_clock);
	assert_true(progress_rate(&p, 1000) == 0.0); /* no time has passed */
	assert_int_equal(progress_left_ms(&p, 1000), -1);
	p.done = 250;
	assert_true(progress_rate(&p, 3500) == 100.0); /* 250 in 2.5 s */
	assert_int_equal(progress_left_ms(&p, 3500), 7500);
	p.done = 0;
	assert_int_equal(progress_left_ms(&p, 3500), -1); /* nothing done yet: no rate to go by */
	p.done = 1000;
	assert_int_equal(progress_left_ms(&p, 3500), 0);
	p.total = 0;
	p.done = 10;
	assert_int_equal(progress_left_ms(&p, 3500), -1); /* an unknown total */
}

static void terminal_line(void **state)
{
	(void)state;
	struct progress p;
	char line[256];
	fake_now = 0;
	progress_start_with(&p, "seed: check-ins", 1000, stderr, true, fake_clock);
	p.done = 250;
	progress_format(&p, 2500, line, sizeof line);
	assert_string_equal(line, "seed: check-ins: 250/1000 (25%), 100/s, 8s left"); /* 7.5 s, rounded up */
	p.total = 10000;
	p.done = 100;
	progress_format(&p, 10000, line, sizeof line);
	assert_string_equal(line, "seed: check-ins: 100/10000 (1%), 10.0/s, 16m 30s left");
	p.total = 1000000;
	p.done = 1;
	progress_format(&p, 1000, line, sizeof line);
	assert_string_equal(line, "seed: check-ins: 1/1000000 (0%), 1.0/s, 277h 46m left");
	p.done = 0;
	progress_format(&p, 1000, line, sizeof line);
	assert_string_equal(line, "seed: check-ins: 0/1000000 (0%), 0.0/s, time left unknown");
	p.total = 0;
	p.done = 7;
	progress_format(&p, 2000, line, sizeof line);
	assert_string_equal(line, "seed: check-ins: 7, 3.5/s");
	/* A line never overruns its buffer and is always terminated. */
	p.total = 1000;
	p.done = 500;
	char small[12];
	assert_int_equal(progress_format(&p, 1000, small, sizeof small), sizeof small - 1);
	assert_string_equal(small, "seed: check");
}

static void not_a_terminal_one_summary_line(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress p;
	fake_now = 5000;
	progress_start_with(&p, "rotate-key: data keys", 40, f, false, fake_clock);
	for (int i = 1; i <= 40; i++) {
		fake_now += 50;
		progress_step(&p, (uint64_t)i);
	}
	char *before_end = contents(f);
	assert_string_equal(before_end, ""); /* nothing while the work runs */
	free(before_end);
	progress_end(&p);
	char *all = contents(f);
	assert_string_equal(all, "rotate-key: data keys: 40/40 in 2.00 s (20.0/s)\n");
	free(all);
	fclose(f);
}

static void terminal_redraws_at_most_five_times_a_second(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress p;
	fake_now = 0;
	progress_start_with(&p, "seed: check-ins", 1000, f, true, fake_clock);
	/* 100 steps, 10 ms apart: one second of work. */
	for (int i = 1; i <= 100; i++) {
		fake_now += 10;
		progress_step(&p, (uint64_t)i * 10);
	}
	char *drawn = contents(f);
	assert_int_equal(count(drawn, '\r'), 5); /* at 200, 400, 600, 800 and 1000 ms */
	assert_int_equal(count(drawn, '\n'), 0); /* redrawn in place */
	assert_non_null(strstr(drawn, "\rseed: check-ins: 1000/1000 (100%), 1000/s, 0s left\033[K"));
	free(drawn);
	progress_end(&p);
	char *all = contents(f);
	size_t n = strlen(all);
	assert_true(n > 0 && all[n - 1] == '\n');
	assert_non_null(strstr(all, "\rseed: check-ins: 1000/1000 in 1.00 s (1000/s)\033[K\n"));
	free(all);
	fclose(f);
}

static void terminal_short_work_draws_only_the_summary(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress p;
	fake_now = 0;
	progress_start_with(&p, "seed: check-ins", 4, f, true, fake_clock);
	for (int i = 1; i <= 4; i++) {
		fake_now += 10;
		progress_step(&p, (uint64_t)i);
	}
	progress_end(&p);
	char *all = contents(f);
	assert_string_equal(all, "seed: check-ins: 4/4 in 0.04 s (100/s)\n");
	free(all);
	fclose(f);
}

static void usually_quick_work_says_something_only_when_long(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress p;
	fake_now = 0;
	progress_start_with(&p, "migrate", 5, f, false, fake_clock);
	fake_now = 999;
	progress_step(&p, 5);
	progress_end_if_long(&p, 1000);
	char *quick = contents(f);
	assert_string_equal(quick, ""); /* under a second: nothing */
	free(quick);
	progress_start_with(&p, "migrate", 5, f, false, fake_clock);
	fake_now += 2500;
	progress_step(&p, 5);
	progress_end_if_long(&p, 1000);
	char *slow = contents(f);
	assert_string_equal(slow, "migrate: 5/5 in 2.50 s (2.0/s)\n");
	free(slow);
	fclose(f);
}

static void a_new_label_for_each_step(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct progress p;
	fake_now = 0;
	progress_start_with(&p, "restore: copy", 5, f, true, fake_clock);
	fake_now = 300;
	progress_label(&p, "restore: check");
	progress_step(&p, 1);
	char *drawn = contents(f);
	assert_string_equal(drawn, "\rrestore: check: 1/5 (20%), 3.3/s, 2s left\033[K");
	free(drawn);
	progress_label(&p, "restore");
	fake_now = 1000;
	progress_step(&p, 5);
	progress_end(&p);
	char *all = contents(f);
	assert_non_null(strstr(all, "\rrestore: 5/5 in 1.00 s (5.0/s)\033[K\n"));
	free(all);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(rate_and_time_left),
	    cmocka_unit_test(terminal_line),
	    cmocka_unit_test(not_a_terminal_one_summary_line),
	    cmocka_unit_test(terminal_redraws_at_most_five_times_a_second),
	    cmocka_unit_test(terminal_short_work_draws_only_the_summary),
	    cmocka_unit_test(usually_quick_work_says_something_only_when_long),
	    cmocka_unit_test(a_new_label_for_each_step),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
