/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * seed.c - `hearth seed`: realistic synthetic couples for benchmarks.
 *
 * For each of N spaces it makes two accounts, seed-<i>-a and seed-<i>-b (all
 * with one password, hashed once), links them in a space, and writes one
 * check-in a day for each over D days, ending today, with a mix of
 * visibilities and short texts (names, scales and texts sealed like any
 * other). Work is grouped into
 * batches of BATCH_SPACES couples per transaction, so the load is fast.
 * Progress (check-ins written of all) goes to stderr, see util/progress.h.
 * Then the practice's blog (issue 12): a therapist, seed-therapist, with a
 * bio and a few published, tagged articles, one with an approved comment
 * signed with its writer's initials.
 */
#include "seed.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/account.h"
#include "domain/article.h"
#include "domain/blog.h"
#include "domain/checkin.h"
#include "util/progress.h"

#define BATCH_SPACES 100
#define DAY_MS (24LL * 3600 * 1000)

static const char *const appreciations[] = {"you made tea for me this morning",
                                            "thank you for listening last night",
                                            "I loved our walk",
                                            "you remembered my appointment",
                                            "the way you laughed at dinner",
                                            NULL,
                                            NULL};
static const char *const needs[] = {
    "a quiet evening together", "a hug when I get home", "help with the dishes", NULL, NULL, NULL};
static const char *const worries[] = {"money this month", "my mother's health", NULL, NULL, NULL, NULL, NULL};
static const enum visibility visibilities[] = {VISIBILITY_PRIVATE, VISIBILITY_PARTNER, VISIBILITY_PARTNER,
                                               VISIBILITY_THERAPIST};

/* A small deterministic generator, so runs are repeatable. */
static uint32_t next_random(uint64_t *state)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(*state >> 33);
}

static bool seed_user(struct store *s, const char *hash, int space, char side, struct store_user *u)
{
	memset(u, 0, sizeof *u);
	id_new(u->id);
	snprintf(u->username, sizeof u->username, "seed-%d-%c", space, side);
	snprintf(u->role, sizeof u->role, "%s", role_name(ROLE_MEMBER));
	snprintf(u->password_hash, sizeof u->password_hash, "%s", hash);
	u->created_at = now_ms();
	char name[32];
	snprintf(name, sizeof name, "Seed %c%d", side == 'a' ? 'A' : 'B', space);
	struct problem p = {0};
	if (!account_name_seal(s, u->id, name, u->display_name, &p)) {
		fprintf(stderr, "hearth: seed: cannot seal the name of %s: %s\n", u->username, p.message);
		return false;
	}
	enum store_status st = s->user_insert(s, u);
	if (st == STORE_CONFLICT)
		fprintf(stderr, "hearth: seed: user %s exists already; seed into a fresh data directory\n",
		        u->username);
	else if (st != STORE_OK)
		fprintf(stderr, "hearth: seed: cannot add %s (%s)\n", u->username, store_status_name(st));
	return st == STORE_OK;
}

static const struct {
	const char *title, *body, *tags[3];
} seed_articles[] = {
    {"Repair after a hard day",
     "When one of you is hurt, **slow down** first. Then *listen*, before you answer.\n\n# What helps\n\n"
     "- Name the feeling.\n- Say what it touched in you.\n\n> Security is not the absence of hurt; it is the "
     "promise to repair.",
     {"repair", "listening", NULL}},
    {"Daily check-ins that feel light",
     "A check-in is two minutes, not a report. Say one thing you appreciated today.\n\n# Keep it small\n\n"
     "Mood, connection, one sentence. That is enough.",
     {"check-ins", "habits", NULL}},
    {"Listening without fixing",
     "Your partner may not want a solution. Try: *\"What was the hardest part?\"*\n\nThen wait.",
     {"listening", "communication", NULL}},
};

/* The practice's blog: a therapist, a bio, tagged articles and one comment by initials. */
static bool seed_blog(struct store *s, const char *hash, const struct store_user *reader)
{
	struct store_user u;
	memset(&u, 0, sizeof u);
	id_new(u.id);
	snprintf(u.username, sizeof u.username, "seed-therapist");
	snprintf(u.role, sizeof u.role, "%s", role_name(ROLE_THERAPIST));
	snprintf(u.password_hash, sizeof u.password_hash, "%s", hash);
	u.created_at = now_ms();
	struct problem p;
	if (!account_name_seal(s, u.id, "Dr Sam Rivers", u.display_name, &p) || s->user_insert(s, &u) != STORE_OK) {
		fprintf(stderr, "hearth: seed: cannot add seed-therapist\n");
		return false;
	}
	struct viewer v = {0};
	snprintf(v.user_id, sizeof v.user_id, "%s", u.id);
	snprintf(v.username, sizeof v.username, "%s", u.username);
	snprintf(v.display_name, sizeof v.display_name, "Dr Sam Rivers");
	snprintf(v.role, sizeof v.role, "%s", u.role);
	struct arena *a = arena_new();
	bool ok = blog_bio_set(s, u.id, "Couples therapist. Writes about repair, listening and small habits.", a, &p);
	struct store_article art = {0};
	for (size_t i = 0; ok && i < ARRAY_LEN(seed_articles); i++) {
		int n = 0;
		while (n < 3 && seed_articles[i].tags[n])
			n++;
		ok = article_create(s, &v, seed_articles[i].title, seed_articles[i].body, true, seed_articles[i].tags,
		                    n, "en", a, &art, &p);
	}
	if (ok && reader) {
		struct viewer rv = {0};
		snprintf(rv.user_id, sizeof rv.user_id, "%s", reader->id);
		snprintf(rv.display_name, sizeof rv.display_name, "%s", reader->display_name);
		ok = account_name_open(s, reader->id, rv.display_name, &p); /* sealed in the store */
		snprintf(rv.role, sizeof rv.role, "%s", reader->role);
		struct store_comment k;
		ok = ok && comment_add(s, &rv, art.slug, NULL, "This helped us tonight. Thank you.", a, &k, &p) &&
		     comment_approve(s, &v, art.slug, k.id, a, &p);
	}
	if (!ok)
		fprintf(stderr, "hearth: seed: the blog could not be written (%s)\n", p.message);
	arena_free(a);
	return ok;
}

/* One couple: two users, their space, and D days of check-ins each. */
static bool seed_couple(struct store *s, const char *hash, int i, int days, uint64_t *rng, long *checkins)
{
	struct store_user a, b;
	char space_id[ID_LEN + 1], invite_id[ID_LEN + 1], joined[ID_LEN + 1], code[INVITE_CODE_LEN + 1],
	    code_hash[TOKEN_HASH_LEN + 1];
	enum join_result result;
	int64_t now = now_ms();
	if (!seed_user(s, hash, i, 'a', &a) || !seed_user(s, hash, i, 'b', &b))
		return false;
	id_new(space_id);
	id_new(invite_id);
	auth_invite_code_new(code);
	auth_token_hash(code, strlen(code), code_hash);
	if (s->space_create(s, space_id, a.id, "UTC", now) != STORE_OK ||
	    s->invite_insert(s, space_id, invite_id, code_hash, a.id, now, now + INVITE_LIFETIME_MS) != STORE_OK ||
	    s->space_join(s, code_hash, b.id, now, &result, joined) != STORE_OK || result != JOIN_OK) {
		fprintf(stderr, "hearth: seed: cannot link the couple of space %d\n", i);
		return false;
	}
	struct arena *arena = arena_new();
	struct problem p = {0};
	bool ok = true;
	for (int d = days - 1; d >= 0 && ok; d--) {
		for (int side = 0; side < 2 && ok; side++) {
			struct store_checkin c = {0};
			id_new(c.id);
			snprintf(c.space_id, sizeof c.space_id, "%s", space_id);
			snprintf(c.author_id, sizeof c.author_id, "%s", side ? b.id : a.id);
			c.created_at = c.updated_at =
			    now - d * DAY_MS - (int64_t)(next_random(rng) % (12 * 3600)) * 1000;
			c.mood = 1 + (int)(next_random(rng) % 5);
			c.connection = (int)(next_random(rng) % 11);
			c.secure = (int)(next_random(rng) % 11);
			c.appreciation = (char *)appreciations[next_random(rng) % ARRAY_LEN(appreciations)];
			c.need = (char *)needs[next_random(rng) % ARRAY_LEN(needs)];
			c.worry = (char *)worries[next_random(rng) % ARRAY_LEN(worries)];
			snprintf(c.visibility, sizeof c.visibility, "%s",
			         visibility_name(visibilities[next_random(rng) % ARRAY_LEN(visibilities)]));
			ok = checkin_store(s, &c, arena, &p);
			if (ok)
				(*checkins)++;
			else
				fprintf(stderr, "hearth: seed: cannot store a check-in: %s\n", p.message);
		}
		if (d % 16 == 0) { /* keep the arena small */
			arena_free(arena);
			arena = arena_new();
		}
	}
	arena_free(arena);
	return ok;
}

int seed_run(struct store *s, int spaces, int days, const char *password)
{
	char hash[160];
	if (auth_password_hash(password, strlen(password), hash) != 0) {
		fprintf(stderr, "hearth: seed: cannot hash the password\n");
		return -1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	long checkins = 0;
	bool ok = true;
	struct progress progress;
	progress_start(&progress, "seed: check-ins", (uint64_t)spaces * (uint64_t)days * 2);
	for (int first = 1; first <= spaces && ok; first += BATCH_SPACES) {
		bool batched = s->batch_begin && s->batch_begin(s) == STORE_OK;
		for (int i = first; i < first + BATCH_SPACES && i <= spaces && ok; i++) {
			ok = seed_couple(s, hash, i, days, &rng, &checkins);
			progress_step(&progress, (uint64_t)checkins);
		}
		if (batched && s->batch_end(s, ok) != STORE_OK) {
			fprintf(stderr, "hearth: seed: a batch could not be committed\n");
			ok = false;
		}
	}
	progress_end(&progress);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct store_user reader;
	if (ok)
		ok = s->user_by_username(s, "seed-1-a", &reader) == STORE_OK ? seed_blog(s, hash, &reader)
		                                                             : seed_blog(s, hash, NULL);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (!ok)
		return -1;
	printf("seeded %d spaces (%d accounts), %ld check-ins over %d days in %.2f s (%.0f check-ins/s)\n", spaces,
	       spaces * 2, checkins, days, secs, secs > 0 ? (double)checkins / secs : 0.0);
	printf("accounts: seed-1-a, seed-1-b ... seed-%d-a, seed-%d-b; password: the one given with --password\n",
	       spaces, spaces);
	printf("blog: seed-therapist (same password), %zu tagged articles\n", ARRAY_LEN(seed_articles));
	return 0;
}
