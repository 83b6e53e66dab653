/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * profile.c - a person's own profile: display name, time zone, bio and
 * language (see profile.h).
 *
 * One row of `fields` per field: a check that returns the message for a
 * person (NULL when the value is fine) and a step that puts the checked
 * value into the store's change and into the viewer. Adding a field is a
 * row here, a member of enum profile_field and a statement in
 * store/profile.c.
 */
#include "profile.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "account.h"
#include "blog.h"
#include "auth.h"
#include "date.h"
#include "../util/i18n.h"

/* What one change holds while it is built: the store's change and its buffers. */
struct profile_change {
	struct store_profile stored;
	char sealed_name[SEALED_NAME_SIZE]; /* names are sealed at rest (issue 10, part E) */
	struct arena *arena;                /* holds the sealed bio */
};

static const char *display_name_check(const char *value)
{
	return auth_check_display_name(value, strlen(value));
}

static bool display_name_apply(struct store *s, const struct viewer *v, const char *value, struct profile_change *c,
                               struct problem *p)
{
	if (!account_name_seal(s, v->user_id, value, c->sealed_name, p))
		return false;
	c->stored.display_name = c->sealed_name;
	return true;
}

static void display_name_show(const char *value, struct viewer *v)
{
	snprintf(v->display_name, sizeof v->display_name, "%s", value);
}

static const char *time_zone_check(const char *value)
{
	if (!*value || time_zone_valid(value))
		return NULL;
	return N_("We do not know this time zone. Please write it as a place, like Europe/Berlin or "
	          "America/Chicago.");
}

static bool time_zone_apply(struct store *s, const struct viewer *v, const char *value, struct profile_change *c,
                            struct problem *p)
{
	(void)s, (void)v, (void)p;
	c->stored.time_zone = value;
	return true;
}

static void time_zone_show(const char *value, struct viewer *v)
{
	snprintf(v->own_time_zone, sizeof v->own_time_zone, "%s", value);
	if (!v->space_id[0]) /* without a space, the day's zone is their own too (store->session_viewer) */
		snprintf(v->time_zone, sizeof v->time_zone, "%s", *value ? value : "UTC");
}

static bool bio_apply(struct store *s, const struct viewer *v, const char *value, struct profile_change *c,
                      struct problem *p)
{
	c->stored.bio_at = now_ms();
	return blog_bio_seal(s, v->user_id, value, c->arena, &c->stored.bio, p);
}

static void bio_show(const char *value, struct viewer *v)
{
	(void)value, (void)v; /* the viewer holds no bio */
}

static const char *language_check(const char *value)
{
	enum lang l;
	if (!*value || lang_parse(value, &l))
		return NULL;
	return N_("Choose English (en), Español (es) or Deutsch (de).");
}

static bool language_apply(struct store *s, const struct viewer *v, const char *value, struct profile_change *c,
                           struct problem *p)
{
	(void)s, (void)v, (void)p;
	c->stored.language = value;
	return true;
}

static void language_show(const char *value, struct viewer *v)
{
	snprintf(v->language, sizeof v->language, "%s", value);
}

static const struct {
	const char *name;
	const char *(*check)(const char *value);
	/* puts a checked value into the change; false with a problem when it cannot (sealing) */
	bool (*apply)(struct store *s, const struct viewer *v, const char *value, struct profile_change *c,
	              struct problem *p);
	/* shows a stored value in the viewer of this request */
	void (*show)(const char *value, struct viewer *v);
} fields[PROFILE_FIELDS] = {
    [PROFILE_DISPLAY_NAME] = {"display_name", display_name_check, display_name_apply, display_name_show},
    [PROFILE_TIME_ZONE] = {"time_zone", time_zone_check, time_zone_apply, time_zone_show},
    [PROFILE_BIO] = {"bio", blog_bio_check, bio_apply, bio_show},
    [PROFILE_LANGUAGE] = {"language", language_check, language_apply, language_show},
};

const char *profile_field_name(enum profile_field f)
{
	assert(f < PROFILE_FIELDS);
	return fields[f].name;
}

bool profile_check(const struct profile_input *in, struct problem problems[PROFILE_FIELDS], int *n)
{
	assert(in && problems && n && *n >= 0 && *n <= PROFILE_FIELDS);
	int before = *n;
	for (int f = 0; f < PROFILE_FIELDS && *n < PROFILE_FIELDS; f++) {
		const char *msg = in->values[f] ? fields[f].check(in->values[f]) : NULL;
		if (msg)
			problem_invalid(&problems[(*n)++], fields[f].name, msg);
	}
	return *n == before;
}

bool profile_update(struct store *s, struct viewer *v, const struct profile_input *in,
                    struct problem problems[PROFILE_FIELDS], int *n)
{
	assert(s && v && in && problems && n);
	*n = 0;
	if (!profile_check(in, problems, n))
		return false;
	struct profile_change c;
	memset(&c, 0, sizeof c);
	c.arena = arena_new();
	bool ok = true;
	for (int f = 0; f < PROFILE_FIELDS && ok; f++)
		ok = !in->values[f] || fields[f].apply(s, v, in->values[f], &c, &problems[0]);
	if (ok) {
		enum store_status st = s->user_profile_set(s, v->user_id, &c.stored);
		ok = st == STORE_OK || problem_from_store(&problems[0], st);
	}
	arena_free(c.arena);
	if (!ok) {
		*n = 1;
		return false;
	}
	for (int f = 0; f < PROFILE_FIELDS; f++)
		if (in->values[f])
			fields[f].show(in->values[f], v);
	return true;
}
