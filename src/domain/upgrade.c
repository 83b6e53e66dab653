/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * upgrade.c - the data steps of upgrades (see upgrade.h).
 *
 * "seal-in-clear" goes through every column that holds sealed values, reads
 * the values still in clear a batch at a time (store->clear_values: those
 * without the form of a sealed text, in key order after the last row of the
 * batch before, so each table is walked once), seals each exactly as the
 * feature that writes the column seals it (the same scope, the same
 * associated data: see ad_of) and puts it back in its row, only while the
 * row still holds the value read (store->clear_value_seal). Numbers are read back from their
 * decimal text and written as the features write them (keyring.h), so a
 * value that is not a number stops the step rather than be sealed as
 * something no reader could open.
 *
 * A batch is one transaction where the store can group calls (batch_begin),
 * so a big database is sealed in a few thousand commits, not millions. An
 * interrupted step leaves its mark in the store and starts over where the
 * values in clear are; the step is forgotten only after every column is
 * done, and the database is compacted before that.
 */
#include "upgrade.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/progress.h"
#include "checkin.h"
#include "keyring.h"
#include "prompt.h"

#define STEP_SEAL "seal-in-clear"
#define STEP_COMPACT "compact"
#define BATCH 500

enum plain_kind { PLAIN_TEXT, PLAIN_INT, PLAIN_DOUBLE, PLAIN_SCALES };

/*
 * How each column's values are written (and so must be read back), and the
 * associated data they are sealed with: the same as the feature that writes
 * the column uses (checkin.c, safety.c, questionnaire.c, agreement.c,
 * prompt.c, account.c, therapist.c), "WHAT:ID:FIELD" with ID the row's key
 * key[id] as store/upgrade.c returns it. A prompt_acks row is keyed by three
 * ids (ad_of).
 */
static const struct {
	enum plain_kind kind;
	const char *what, *field;
	int id;
} columns[CLEAR_COLUMNS] = {
    [CLEAR_CHECKIN_SCALES] = {PLAIN_SCALES, "checkin", "scales", 0},
    [CLEAR_CHECKIN_APPRECIATION] = {PLAIN_TEXT, "checkin", "appreciation", 0},
    [CLEAR_CHECKIN_NEED] = {PLAIN_TEXT, "checkin", "need", 0},
    [CLEAR_CHECKIN_WORRY] = {PLAIN_TEXT, "checkin", "worry", 0},
    [CLEAR_SAFETY_AFRAID] = {PLAIN_INT, "safety", "afraid", 0},
    [CLEAR_SAFETY_PRESSURED] = {PLAIN_INT, "safety", "pressured", 0},
    [CLEAR_QRESPONSE_SCORE] = {PLAIN_DOUBLE, "qresponse", "score", 0},
    [CLEAR_QRESPONSE_SUBSCALES] = {PLAIN_TEXT, "qresponse", "subscales", 0},
    [CLEAR_REVIEW_OUTCOME] = {PLAIN_TEXT, "review", "outcome", 1}, /* keyed by (agreement_id, id) */
    [CLEAR_ACK_KIND] = {PLAIN_TEXT, "prompt_ack", "kind", 0},      /* keyed by (day_id, answer_author, from_id) */
    [CLEAR_USER_DISPLAY_NAME] = {PLAIN_TEXT, "user", "display_name", 0},
    [CLEAR_ACCESS_WHO_NAME] = {PLAIN_TEXT, "access", "who_name", 0},
};

/* The associated data a value of column c is sealed with (see columns). */
static void ad_of(enum store_clear_column c, const struct store_clear_value *v, char *ad, size_t n)
{
	assert(c >= 0 && c < CLEAR_COLUMNS && columns[c].what);
	assert(n >= PROMPT_ACK_AD_SIZE);
	if (c == CLEAR_ACK_KIND)
		prompt_ack_ad(v->key[0], v->key[1], v->key[2], ad);
	else
		snprintf(ad, n, "%s:%s:%s", columns[c].what, v->key[columns[c].id], columns[c].field);
}

/* Reads an integer at value (digits, a minus sign before them) into *v; the end of it, or NULL when there is none. */
static const char *int_of(const char *value, long long *v)
{
	if (!(value[0] >= '0' && value[0] <= '9') && !(value[0] == '-' && value[1] >= '0' && value[1] <= '9'))
		return NULL; /* strtoll would skip spaces and take a plus sign: no writer wrote those */
	char *end;
	errno = 0;
	*v = strtoll(value, &end, 10);
	return errno || end == value ? NULL : end;
}

/* The text to seal for a value in clear, as its column's writer writes it; NULL when it is no such value. */
static const char *plain_of(enum plain_kind kind, const char *value, char buf[40])
{
	switch (kind) {
	case PLAIN_INT: {
		long long v;
		const char *end = int_of(value, &v);
		if (!end || *end)
			return NULL;
		snprintf(buf, 40, "%lld", v);
		return buf;
	}
	case PLAIN_SCALES: { /* "MOOD CONNECTION SECURE", read as checkin.c reads them */
		int m, c, s;
		if (!checkin_scales_read(value, &m, &c, &s))
			return NULL;
		snprintf(buf, 40, "%d %d %d", m, c, s);
		return buf;
	}
	case PLAIN_DOUBLE: {
		char *end;
		errno = 0;
		double v = strtod(value, &end);
		if (errno || end == value || *end || !isfinite(v))
			return NULL;
		snprintf(buf, 40, "%.17g", v); /* as keyring_seal_double writes it */
		return buf;
	}
	default:
		return value;
	}
}

/*
 * Seals one batch of a column after the cursor *after (the last row of the
 * batch before; empty scope: from the first): *read counts the values found
 * in clear (0: none left), *sealed those sealed, the others changed
 * meanwhile; *after moves to the batch's last row.
 */
static int seal_batch(struct store *s, enum store_clear_column c, struct store_clear_value *after, int *read,
                      int *sealed, char *err, size_t err_len)
{
	struct arena *a = arena_new();
	struct store_clear_value *items;
	int count = 0, rc = -1;
	*sealed = 0;
	enum store_status st = s->clear_values(s, a, c, after->scope_id[0] ? after : NULL, BATCH, &items, &count);
	*read = count;
	if (st != STORE_OK) {
		snprintf(err, err_len, "cannot read the values to seal (%s)", store_status_name(st));
		goto out;
	}
	if (count == 0) {
		rc = 0;
		goto out;
	}
	bool batched = s->batch_begin && s->batch_begin(s) == STORE_OK;
	for (int i = 0; i < count && st == STORE_OK; i++) {
		char ad[160], buf[40], *text = NULL;
		const char *plain = plain_of(columns[c].kind, items[i].value, buf);
		if (!plain) {
			snprintf(err, err_len, "a value in clear is not the number it should be (column %d, row %s)",
			         (int)c, items[i].key[0]);
			st = STORE_ERROR;
			break;
		}
		ad_of(c, &items[i], ad, sizeof ad);
		st = keyring_seal(s->keys, s, items[i].scope_id, ad, plain, a, &text);
		if (st == STORE_OK)
			st = s->clear_value_seal(s, c, &items[i], text);
		if (st == STORE_NOT_FOUND)
			st = STORE_OK; /* it changed meanwhile: whoever changed it sealed it */
		else if (st == STORE_OK)
			(*sealed)++;
		else
			snprintf(err, err_len, "cannot seal a value (%s)", store_status_name(st));
	}
	if (batched && s->batch_end(s, st == STORE_OK) != STORE_OK && st == STORE_OK) {
		snprintf(err, err_len, "cannot commit the sealed values");
		st = STORE_BUSY;
	}
	*after = items[count - 1];
	after->value = NULL; /* the arena's, freed here; the cursor is the key alone */
	rc = st == STORE_OK ? 0 : -1;
out:
	arena_free(a);
	return rc;
}

/* "seal-in-clear": 0 when done (*compacted: it compacted the database) or not pending, -1 with err. */
static int seal_in_clear(struct store *s, bool show_progress, bool *compacted, char *err, size_t err_len)
{
	bool pending = false;
	*compacted = false;
	enum store_status st = s->upgrade_pending(s, STEP_SEAL, &pending);
	if (st != STORE_OK) {
		snprintf(err, err_len, "cannot read the pending upgrade steps (%s)", store_status_name(st));
		return -1;
	}
	if (!pending)
		return 0;
	struct progress progress = {0}; /* label set once there is something to seal */
	uint64_t total = 0;
	int rc = -1;
	for (int c = 0; c < CLEAR_COLUMNS; c++) {
		/* One pass over the table in key order: each batch starts after the last row of the one before. */
		struct store_clear_value after = {.scope_id = ""};
		for (int read = 1, sealed = 0; read > 0;) {
			if (seal_batch(s, (enum store_clear_column)c, &after, &read, &sealed, err, err_len) < 0)
				goto out;
			total += (uint64_t)sealed;
			if (sealed && show_progress && !progress.label)
				progress_start(&progress, "upgrade: values sealed that were in clear", 0);
			if (progress.label)
				progress_step(&progress, total);
		}
	}
	/*
	 * Compacted first, even when this run sealed nothing (an interrupted run
	 * may have): should forgetting the step fail, the next start compacts
	 * again. A new database never gets here: migration 10 records the step
	 * only for one that holds data.
	 */
	st = s->compact(s);
	*compacted = st == STORE_OK;
	if (st == STORE_OK)
		st = s->upgrade_done(s, STEP_SEAL);
	if (st != STORE_OK) {
		snprintf(err, err_len, "every value is sealed, but the step could not be closed (%s)",
		         store_status_name(st));
		goto out;
	}
	rc = 0;
out:
	if (progress.label)
		progress_end(&progress);
	return rc;
}

/*
 * "compact" (SQLite's migration 33): a migration that made a table again
 * leaves the old table's pages free inside the file (zeroed: secure_delete),
 * half of it at 180,000 check-ins, and a backup copies them too. Compacting
 * gives them back; when seal-in-clear just did, the step is only forgotten.
 */
static int compact_step(struct store *s, bool compacted, char *err, size_t err_len)
{
	bool pending = false;
	enum store_status st = s->upgrade_pending(s, STEP_COMPACT, &pending);
	if (st == STORE_OK && pending && !compacted)
		st = s->compact(s);
	if (st == STORE_OK && pending)
		st = s->upgrade_done(s, STEP_COMPACT);
	if (st != STORE_OK) {
		snprintf(err, err_len, "cannot compact the database after a migration (%s)", store_status_name(st));
		return -1;
	}
	return 0;
}

int upgrade_run(struct store *s, bool show_progress, char *err, size_t err_len)
{
	assert(s->keys);
	bool compacted = false;
	if (seal_in_clear(s, show_progress, &compacted, err, err_len) < 0)
		return -1;
	return compact_step(s, compacted, err, err_len);
}
