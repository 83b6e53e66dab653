/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * progress.c - see progress.h. The arithmetic (rate, time left) and the two
 * line formats are pure functions of the struct and a time, so the unit tests
 * drive them with an injected clock; only progress_step and progress_end
 * read the clock and write.
 */
#include "progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void progress_start_with(struct progress *p, const char *label, uint64_t total, FILE *out, bool tty,
                         int64_t (*clock_ms)(void))
{
	memset(p, 0, sizeof *p);
	p->label = label;
	p->total = total;
	p->out = out;
	p->tty = tty;
	p->clock_ms = clock_ms ? clock_ms : monotonic_ms;
	p->started_ms = p->clock_ms();
}

void progress_start(struct progress *p, const char *label, uint64_t total)
{
	progress_start_with(p, label, total, stderr, isatty(fileno(stderr)) == 1, NULL);
}

double progress_rate(const struct progress *p, int64_t now_ms)
{
	int64_t elapsed = now_ms - p->started_ms;
	return elapsed > 0 ? (double)p->done * 1000.0 / (double)elapsed : 0.0;
}

int64_t progress_left_ms(const struct progress *p, int64_t now_ms)
{
	if (p->total == 0)
		return -1;
	if (p->done >= p->total)
		return 0;
	double rate = progress_rate(p, now_ms);
	if (rate <= 0.0)
		return -1;
	return (int64_t)((double)(p->total - p->done) * 1000.0 / rate + 0.5);
}

/* "950/s", "12.5/s": whole numbers once the rate is large enough to read them. */
static void format_rate(double rate, char *out, size_t n)
{
	snprintf(out, n, rate >= 100.0 ? "%.0f/s" : "%.1f/s", rate);
}

/* "42s", "3m 05s", "2h 07m", rounded up so that the last second shows as 1s. */
static void format_duration(int64_t ms, char *out, size_t n)
{
	int64_t s = (ms + 999) / 1000;
	if (s < 60)
		snprintf(out, n, "%" PRId64 "s", s);
	else if (s < 3600)
		snprintf(out, n, "%" PRId64 "m %02" PRId64 "s", s / 60, s % 60);
	else
		snprintf(out, n, "%" PRId64 "h %02" PRId64 "m", s / 3600, s % 3600 / 60);
}

/* snprintf's result as the length actually written into out[n]. */
static size_t written(int rc, size_t n)
{
	if (rc < 0 || n == 0)
		return 0;
	return (size_t)rc < n ? (size_t)rc : n - 1;
}

size_t progress_format(const struct progress *p, int64_t now_ms, char *out, size_t n)
{
	char rate[32], left[48], duration[24];
	format_rate(progress_rate(p, now_ms), rate, sizeof rate);
	if (p->total == 0)
		return written(snprintf(out, n, "%s: %" PRIu64 ", %s", p->label, p->done, rate), n);
	uint64_t done = p->done < p->total ? p->done : p->total;
	unsigned pct = (unsigned)(done * 100 / p->total);
	int64_t ms = progress_left_ms(p, now_ms);
	if (ms < 0) {
		snprintf(left, sizeof left, "time left unknown");
	} else {
		format_duration(ms, duration, sizeof duration);
		snprintf(left, sizeof left, "%s left", duration);
	}
	int rc = snprintf(out, n, "%s: %" PRIu64 "/%" PRIu64 " (%u%%), %s, %s", p->label, p->done, p->total, pct, rate,
	                  left);
	return written(rc, n);
}

size_t progress_summary(const struct progress *p, int64_t now_ms, char *out, size_t n)
{
	char rate[32], total[32] = "";
	format_rate(progress_rate(p, now_ms), rate, sizeof rate);
	if (p->total)
		snprintf(total, sizeof total, "/%" PRIu64, p->total);
	double secs = now_ms > p->started_ms ? (double)(now_ms - p->started_ms) / 1000.0 : 0.0;
	int rc = snprintf(out, n, "%s: %" PRIu64 "%s in %.2f s (%s)", p->label, p->done, total, secs, rate);
	return written(rc, n);
}

void progress_step(struct progress *p, uint64_t done)
{
	p->done = done;
	if (!p->tty)
		return;
	int64_t now = p->clock_ms();
	if (now - (p->drawn ? p->drawn_ms : p->started_ms) < PROGRESS_REDRAW_MS)
		return;
	char line[256];
	progress_format(p, now, line, sizeof line);
	/* Back to the start of the line, the new text, then clear what is left of the old one. */
	fprintf(p->out, "\r%s\033[K", line);
	fflush(p->out);
	p->drawn = true;
	p->drawn_ms = now;
}

void progress_end(struct progress *p)
{
	char line[256];
	progress_summary(p, p->clock_ms(), line, sizeof line);
	fprintf(p->out, p->tty && p->drawn ? "\r%s\033[K\n" : "%s\n", line);
	fflush(p->out);
	p->drawn = false;
}

void progress_end_if_long(struct progress *p, int64_t min_ms)
{
	if (p->drawn || p->clock_ms() - p->started_ms >= min_ms)
		progress_end(p);
}

void progress_label(struct progress *p, const char *label)
{
	p->label = label;
}
