/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * profile.h - what a person may change about themselves (issue 12): the name
 * their partner and therapist see them by, the time zone they read times
 * in, the bio under their articles' byline, and the language hearth speaks to
 * them in. PATCH /api/v1/me and the account page both come through here.
 *
 * Each field is one row of a table (profile.c): its name, its check and how
 * it goes into the store. A field absent from the input stays as it is; every
 * invalid field is reported, all at once, and then nothing changes.
 */
#ifndef HEARTH_PROFILE_H
#define HEARTH_PROFILE_H

#include "../store/store.h"
#include "problem.h"

/* The fields, in the order their problems are reported. */
enum profile_field { PROFILE_DISPLAY_NAME, PROFILE_TIME_ZONE, PROFILE_BIO, PROFILE_LANGUAGE, PROFILE_FIELDS };

/* The field's name in the API and in the form ("display_name", "time_zone", "bio", "language"). */
const char *profile_field_name(enum profile_field f);

/*
 * A change: values[f] NULL leaves field f as it is. For time_zone, "" means
 * "my space's"; for language (issue 16: "en", "es", "de"), "" means "as my
 * browser asks" (util/i18n.h).
 */
struct profile_input {
	const char *values[PROFILE_FIELDS];
};

/*
 * Checks every given field; appends a problem for each invalid one to
 * problems[*n..] (room for PROFILE_FIELDS in all: fields already at fault
 * have no value here, so each field is counted once). True when none was.
 */
bool profile_check(const struct profile_input *in, struct problem problems[PROFILE_FIELDS], int *n);

/*
 * Checks every given field and, when all are fine, stores them together and
 * updates *v to match (the viewer of this request). Otherwise false with
 * problems[0..*n) filled: one per invalid field, or the one store failure.
 */
bool profile_update(struct store *s, struct viewer *v, const struct profile_input *in,
                    struct problem problems[PROFILE_FIELDS], int *n) WARN_UNUSED;

#endif
