/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * progress.h - progress of a long command (seed, rotate-key, backup,
 * restore, migrate) on standard error.
 *
 * On a terminal one line is redrawn in place, at most five times a second:
 * "LABEL: DONE/TOTAL (PCT %), RATE/s, TIME left". When standard error is not a
 * terminal (a log, a pipe, cron) nothing is drawn while the work runs and
 * progress_end writes one summary line: "LABEL: DONE/TOTAL in SECS s (RATE/s)".
 *
 *   struct progress p;
 *   progress_start(&p, "seed: check-ins", total);
 *   for (...) progress_step(&p, done);
 *   progress_end(&p);
 *
 * The struct holds no allocation; progress_end needs no cleanup after it.
 * The label is not copied: it must outlive the progress.
 */
#ifndef HEARTH_PROGRESS_H
#define HEARTH_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The smallest time between two redraws on a terminal: five a second. */
#define PROGRESS_REDRAW_MS 200

struct progress {
	const char *label;
	uint64_t total; /* 0: unknown, shown without percentage or time left */
	uint64_t done;
	FILE *out;
	bool tty;
	bool drawn;                /* a line is on the terminal, to be ended by progress_end */
	int64_t (*clock_ms)(void); /* milliseconds from any fixed point */
	int64_t started_ms;
	int64_t drawn_ms;
};

/* Starts on stderr, drawing when it is a terminal, with the monotonic clock. */
void progress_start(struct progress *p, const char *label, uint64_t total);

/*
 * Starts on out, drawing in place when tty is true, reading time from
 * clock_ms (NULL: the monotonic clock). For tests and for callers that know
 * better where progress goes.
 */
void progress_start_with(struct progress *p, const char *label, uint64_t total, FILE *out, bool tty,
                         int64_t (*clock_ms)(void));

/* Records that `done` units of the total are done; redraws when it is time. */
void progress_step(struct progress *p, uint64_t done);

/* Ends the terminal line, or writes the one summary line when not drawing. */
void progress_end(struct progress *p);

/*
 * Ends like progress_end, but for work that is usually quick (migrations):
 * the summary line is written only when a line was drawn on the terminal or
 * the work took at least min_ms; otherwise nothing at all.
 */
void progress_end_if_long(struct progress *p, int64_t min_ms);

/* Names what is being done from now on ("restore: check"); not copied, as at the start. */
void progress_label(struct progress *p, const char *label);

/* Units done per second since the start, at `now_ms`; 0 before any time passed. */
double progress_rate(const struct progress *p, int64_t now_ms);

/* Milliseconds left at the current rate, at `now_ms`; -1 when unknown. */
int64_t progress_left_ms(const struct progress *p, int64_t now_ms);

/* The terminal line at `now_ms` into out[n] (always NUL-terminated); its length. */
size_t progress_format(const struct progress *p, int64_t now_ms, char *out, size_t n);

/* The summary line at `now_ms` into out[n] (always NUL-terminated); its length. */
size_t progress_summary(const struct progress *p, int64_t now_ms, char *out, size_t n);

#endif
