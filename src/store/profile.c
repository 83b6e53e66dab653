/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * profile.c - what a person says about themselves, in the store: their
 * display name and the time zone they read times in (issue 12), and the bio
 * of their articles' byline.
 *
 * One statement per field, in a table: a field the change leaves NULL is not
 * written, and a new field (a bio, a language) is one more row here and one
 * more member of struct store_profile. The bio has a row of its own in the
 * profiles table (with its time), written after the users row. The statements
 * of one change run in one transaction, so a change is written whole or not
 * at all.
 */
#include "store_internal.h"

#include <assert.h>
#include <stddef.h>

/* Every statement binds the user's id as ?1 and the field's new value as ?2. */
static const struct {
	size_t offset; /* of the field in struct store_profile */
	struct db_query q;
} profile_fields[] = {
    {offsetof(struct store_profile, display_name),
     {"user_set_display_name", "UPDATE users SET display_name = ?2 WHERE id = ?1"}},
    {offsetof(struct store_profile, time_zone),
     {"user_set_time_zone", "UPDATE users SET time_zone = ?2 WHERE id = ?1"}},
    {offsetof(struct store_profile, language), {"user_set_language", "UPDATE users SET language = ?2 WHERE id = ?1"}},
};

DB_QUERY(Q_BIO_SET, "INSERT INTO profiles (user_id, bio, updated_at) VALUES (?1, ?2, ?3)"
                    " ON CONFLICT (user_id) DO UPDATE SET bio = excluded.bio, updated_at = excluded.updated_at");

struct profile_change {
	const char *user_id;
	const struct store_profile *p;
};

static const char *field_value(const struct store_profile *p, size_t offset)
{
	const char *const *field = (const char *const *)(const void *)((const char *)p + offset);
	return *field;
}

static enum store_status profile_set_tx(struct db *d, void *ctx)
{
	const struct profile_change *c = ctx;
	enum store_status r = STORE_OK;
	for (size_t i = 0; i < ARRAY_LEN(profile_fields) && r == STORE_OK; i++) {
		const char *value = field_value(c->p, profile_fields[i].offset);
		if (value)
			r = db_change(d, &profile_fields[i].q, DB_ARGS(db_text(c->user_id), db_text(value)));
	}
	if (r == STORE_OK && c->p->bio)
		r = db_write(d, &Q_BIO_SET, DB_ARGS(db_text(c->user_id), db_text(c->p->bio), db_int(c->p->bio_at)));
	return r;
}

static enum store_status user_profile_set(struct store *s, const char *user_id, const struct store_profile *p)
{
	assert(user_id && *user_id && p);
	struct profile_change c = {user_id, p};
	return tx_run(s, profile_set_tx, &c);
}

void store_profile_init(struct store *s)
{
	s->user_profile_set = user_profile_set;
}
