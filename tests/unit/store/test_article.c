/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_article.c - the store's articles and comments (src/store/article.c)
 * and the full-text search of each backend (src/store/sqlite/search.c,
 * src/store/postgres/search.c) on SQLite and, under
 * tests/pg/with-postgres.sh, on PostgreSQL: slugs unique, updates by the
 * author only, drafts seen by their author alone, the list's order and
 * cursor, views, comments with moderation and their cursor, deleting an
 * article with its comments, and search (ranking, case, prefixes, long and
 * non-ASCII terms, operators typed as text).
 */
#include "store_test.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/util.h"

/* A new user with this display name and role; its id in id. */
static void user_new(struct store *s, const char *name, const char *role, char id[ID_LEN + 1])
{
	struct store_user u = {.created_at = now_ms()};
	id_new(id);
	snprintf(u.id, sizeof u.id, "%s", id);
	snprintf(u.username, sizeof u.username, "u%.24s", id + 8);
	snprintf(u.display_name, sizeof u.display_name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.password_hash, sizeof u.password_hash, "x");
	assert_int_equal(s->user_insert(s, &u), STORE_OK);
}

/* A word no other test uses, so searches see only this test's articles. */
static void word_new(char out[16])
{
	char id[ID_LEN + 1];
	id_new(id);
	snprintf(out, 16, "w%.10s", id + 20);
}

/* A published (at > 0) or draft (at == 0) article by author. */
static void article_make(struct store *s, const char *author, const char *title, const char *body, int64_t at,
                         struct store_article *a)
{
	memset(a, 0, sizeof *a);
	id_new(a->id);
	snprintf(a->slug, sizeof a->slug, "s-%s", a->id);
	snprintf(a->author_id, sizeof a->author_id, "%s", author);
	a->title = (char *)title;
	a->body = (char *)body;
	a->summary = "summary";
	snprintf(a->status, sizeof a->status, "%s", at ? "published" : "draft");
	a->published_at = at;
	a->created_at = at ? at : now_ms();
	a->updated_at = a->created_at;
	assert_int_equal(s->article_insert(s, a), STORE_OK);
}

/* The first page of the list (q: a search), newest or best first; returns its length. */
static int list(struct store *s, struct arena *ar, const char *q, const char *author, int limit,
                struct store_article **items)
{
	int n = -1;
	assert_int_equal(s->article_list(s, ar, q, author, 0, NULL, limit, items, &n), STORE_OK);
	return n;
}

static void test_insert_get_update(void **state)
{
	(void)state;
	struct store *s = store_test;
	char author[ID_LEN + 1], other[ID_LEN + 1];
	user_new(s, "Author", "author", author);
	user_new(s, "Other", "author", other);
	int64_t now = now_ms();
	struct store_article a, b;
	article_make(s, author, "Title", "Body text", now, &a);
	article_make(s, author, "Draft", "Draft body", 0, &b);

	struct arena *ar = arena_new();
	struct store_article got;
	assert_int_equal(s->article_by_slug(s, ar, a.slug, &got), STORE_OK);
	assert_string_equal(got.id, a.id);
	assert_string_equal(got.title, "Title");
	assert_string_equal(got.body, "Body text");
	assert_string_equal(got.summary, "summary");
	assert_string_equal(got.status, "published");
	assert_int_equal(got.published_at, now);
	assert_int_equal(got.views, 0);
	assert_int_equal(got.comments, 0);
	assert_int_equal(s->article_by_slug(s, ar, b.slug, &got), STORE_OK);
	assert_int_equal(got.published_at, 0);
	assert_int_equal(s->article_by_slug(s, ar, "no-such-slug", &got), STORE_NOT_FOUND);

	/* Slugs are unique, on insert and on update. */
	struct store_article dup = a;
	id_new(dup.id);
	assert_int_equal(s->article_insert(s, &dup), STORE_CONFLICT);
	struct store_article edit = b;
	snprintf(edit.slug, sizeof edit.slug, "%s", a.slug);
	assert_int_equal(s->article_update(s, &edit), STORE_CONFLICT);

	/* The author updates (and publishes); anyone else finds nothing to update. */
	snprintf(edit.slug, sizeof edit.slug, "renamed-%s", b.id);
	edit.title = "Published draft";
	snprintf(edit.status, sizeof edit.status, "published");
	edit.published_at = now + 5;
	edit.updated_at = now + 5;
	snprintf(edit.author_id, sizeof edit.author_id, "%s", other);
	assert_int_equal(s->article_update(s, &edit), STORE_NOT_FOUND);
	snprintf(edit.author_id, sizeof edit.author_id, "%s", author);
	assert_int_equal(s->article_update(s, &edit), STORE_OK);
	assert_int_equal(s->article_by_slug(s, ar, b.slug, &got), STORE_NOT_FOUND);
	assert_int_equal(s->article_by_slug(s, ar, edit.slug, &got), STORE_OK);
	assert_string_equal(got.title, "Published draft");
	assert_int_equal(got.published_at, now + 5);
	assert_int_equal(got.updated_at, now + 5);
	assert_int_equal(got.created_at, b.created_at);

	assert_int_equal(s->article_view(s, a.id), STORE_OK);
	assert_int_equal(s->article_view(s, a.id), STORE_OK);
	assert_int_equal(s->article_by_slug(s, ar, a.slug, &got), STORE_OK);
	assert_int_equal(got.views, 2);
	arena_free(ar);
}

static void test_list_order_and_cursor(void **state)
{
	(void)state;
	struct store *s = store_test;
	char author[ID_LEN + 1], other[ID_LEN + 1];
	user_new(s, "Author", "author", author);
	user_new(s, "Other", "author", other);
	/* Far in the future, so these come first whatever other tests wrote. */
	int64_t t = now_ms() + 1000LL * 3600 * 24 * 365 * 50;
	struct store_article p1, p2, p3, draft;
	article_make(s, author, "One", "x", t, &p1);
	article_make(s, other, "Two", "x", t + 10, &p2);
	article_make(s, author, "Three", "x", t + 10, &p3); /* same time as p2: the id decides */
	article_make(s, author, "Draft", "x", 0, &draft);
	const struct store_article *hi = strcmp(p2.id, p3.id) > 0 ? &p2 : &p3;
	const struct store_article *lo = hi == &p2 ? &p3 : &p2;

	struct arena *ar = arena_new();
	struct store_article *items = NULL;
	int n = list(s, ar, NULL, NULL, 2, &items);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].id, hi->id);
	assert_string_equal(items[1].id, lo->id);
	assert_int_equal(s->article_list(s, ar, NULL, NULL, items[1].published_at, items[1].id, 2, &items, &n),
	                 STORE_OK);
	assert_true(n >= 1);
	assert_string_equal(items[0].id, p1.id);
	for (int i = 0; i < n; i++)
		assert_string_not_equal(items[i].id, draft.id);

	/* The author sees their draft too; someone else does not. */
	bool seen = false;
	n = list(s, ar, "", author, 100, &items);
	for (int i = 0; i < n; i++)
		seen = seen || strcmp(items[i].id, draft.id) == 0;
	assert_true(seen);
	n = list(s, ar, NULL, other, 100, &items);
	for (int i = 0; i < n; i++)
		assert_string_not_equal(items[i].id, draft.id);
	assert_int_equal(list(s, ar, NULL, NULL, 0, &items), 0);
	arena_free(ar);
}

static void test_comments(void **state)
{
	(void)state;
	struct store *s = store_test;
	char author[ID_LEN + 1], reader[ID_LEN + 1];
	user_new(s, "Author", "author", author);
	user_new(s, "Reader", "member", reader);
	int64_t now = now_ms();
	struct store_article a;
	article_make(s, author, "Commented", "x", now, &a);
	struct store_comment k[3];
	for (int i = 0; i < 3; i++) {
		memset(&k[i], 0, sizeof k[i]);
		id_new(k[i].id);
		snprintf(k[i].article_id, sizeof k[i].article_id, "%s", a.id);
		snprintf(k[i].author_id, sizeof k[i].author_id, "%s", reader);
		/* The name shown is the one the commenter chose (issue 12), never the account's. */
		snprintf(k[i].author_name, sizeof k[i].author_name, "%s", i == 0 ? "R." : "A reader");
		k[i].body = i == 0 ? "first" : i == 1 ? "pending" : "third";
		snprintf(k[i].status, sizeof k[i].status, "%s", i == 1 ? "pending" : "published");
		k[i].created_at = now + i;
		assert_int_equal(s->comment_insert(s, &k[i]), STORE_OK);
	}
	assert_int_equal(s->comment_insert(s, &k[0]), STORE_CONFLICT);

	struct arena *ar = arena_new();
	struct store_comment *items = NULL;
	int n = -1;
	assert_int_equal(s->comment_list(s, ar, a.id, false, 0, NULL, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].body, "first"); /* oldest first */
	assert_string_equal(items[0].author_name, "R.");
	assert_string_equal(items[1].author_name, "A reader");
	assert_string_equal(items[0].status, "published");
	assert_string_equal(items[1].body, "third");
	assert_int_equal(s->comment_list(s, ar, a.id, true, 0, NULL, 2, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[1].body, "pending");
	assert_int_equal(s->comment_list(s, ar, a.id, true, items[1].created_at, items[1].id, 10, &items, &n),
	                 STORE_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].id, k[2].id);
	struct store_article got;
	assert_int_equal(s->article_by_slug(s, ar, a.slug, &got), STORE_OK);
	assert_int_equal(got.comments, 2); /* published ones only */

	assert_int_equal(s->comment_set_status(s, a.id, k[1].id, "published"), STORE_OK);
	assert_int_equal(s->comment_set_status(s, a.id, "nosuchcomment", "published"), STORE_NOT_FOUND);
	assert_int_equal(s->comment_delete(s, a.id, k[0].id), STORE_OK);
	assert_int_equal(s->comment_delete(s, a.id, k[0].id), STORE_NOT_FOUND);
	assert_int_equal(s->comment_list(s, ar, a.id, false, 0, NULL, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].body, "pending");

	/* Deleting the article takes its comments; a second delete finds nothing. */
	assert_int_equal(s->article_delete(s, a.id), STORE_OK);
	assert_int_equal(s->article_delete(s, a.id), STORE_NOT_FOUND);
	assert_int_equal(s->article_by_slug(s, ar, a.slug, &got), STORE_NOT_FOUND);
	assert_int_equal(s->comment_list(s, ar, a.id, true, 0, NULL, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 0);
	arena_free(ar);
}

/* The practice page's list: one author's articles, drafts too, each with its comments awaiting moderation. */
static void test_list_own(void **state)
{
	(void)state;
	struct store *s = store_test;
	char author[ID_LEN + 1], other[ID_LEN + 1], reader[ID_LEN + 1];
	user_new(s, "Own author", "author", author);
	user_new(s, "Other author", "author", other);
	user_new(s, "Own reader", "member", reader);
	int64_t now = now_ms();
	struct store_article older, draft, theirs;
	article_make(s, author, "Older", "x", now - 1000, &older);
	article_make(s, author, "Draft", "x", 0, &draft);
	article_make(s, other, "Theirs", "x", now, &theirs);
	const char *statuses[] = {"pending", "pending", "pending"}; /* the third on the other author's article */
	for (int i = 0; i < 3; i++) {
		struct store_comment k;
		memset(&k, 0, sizeof k);
		id_new(k.id);
		snprintf(k.article_id, sizeof k.article_id, "%s", i < 2 ? older.id : theirs.id);
		snprintf(k.author_id, sizeof k.author_id, "%s", reader);
		snprintf(k.author_name, sizeof k.author_name, "R.");
		k.body = "a comment";
		snprintf(k.status, sizeof k.status, "%s", statuses[i]);
		k.created_at = now + i;
		assert_int_equal(s->comment_insert(s, &k), STORE_OK);
	}
	struct arena *ar = arena_new();
	struct store_article *items = NULL;
	int n = -1;
	assert_int_equal(s->article_list_own(s, ar, author, 10, &items, &n), STORE_OK);
	assert_int_equal(n, 2);                     /* not the other author's */
	assert_string_equal(items[0].id, draft.id); /* a draft sorts by when it was made: newest */
	assert_int_equal(items[0].pending, 0);
	assert_string_equal(items[1].id, older.id);
	assert_int_equal(items[1].pending, 2);
	assert_int_equal(items[1].comments, 0);
	assert_int_equal(s->article_list_own(s, ar, author, 1, &items, &n), STORE_OK);
	assert_int_equal(n, 1);
	arena_free(ar);
}

static void test_search(void **state)
{
	(void)state;
	struct store *s = store_test;
	char author[ID_LEN + 1], other[ID_LEN + 1];
	user_new(s, "Author", "author", author);
	user_new(s, "Other", "author", other);
	int64_t now = now_ms();
	char w[16], w2[16], body[128], title[128];
	word_new(w);
	word_new(w2);
	struct store_article in_title, in_body, draft, both;
	snprintf(title, sizeof title, "About %s today", w);
	article_make(s, author, title, "Nothing special here.", now - 10, &in_title);
	snprintf(body, sizeof body, "A long body that mentions %s once, and %s.", w, w2);
	article_make(s, other, "Something else", body, now, &in_body);
	snprintf(title, sizeof title, "Draft on %s", w);
	article_make(s, author, title, "x", 0, &draft);
	snprintf(title, sizeof title, "%s and %s", w2, "friends");
	article_make(s, other, title, "x", now - 20, &both);

	struct arena *ar = arena_new();
	struct store_article *items = NULL;
	/* A title match ranks before a body match, though the body match is newer; no draft. */
	int n = list(s, ar, w, NULL, 10, &items);
	assert_int_equal(n, 2);
	assert_string_equal(items[0].id, in_title.id);
	assert_string_equal(items[1].id, in_body.id);
	assert_string_equal(items[1].body, body);
	/* Case folded; a beginning of a word matches; the author finds their draft. */
	char upper[16], prefix[16];
	for (size_t i = 0; i <= strlen(w); i++)
		upper[i] = (char)toupper((unsigned char)w[i]);
	assert_int_equal(list(s, ar, upper, NULL, 10, &items), 2);
	snprintf(prefix, sizeof prefix, "%.6s", w);
	assert_int_equal(list(s, ar, prefix, NULL, 10, &items), 2);
	assert_int_equal(list(s, ar, w, author, 10, &items), 3);
	assert_int_equal(list(s, ar, w, NULL, 1, &items), 1);
	assert_string_equal(items[0].id, in_title.id);
	/* Every term must match; punctuation around them is no operator. */
	char q[64];
	snprintf(q, sizeof q, "%s -%s", w, w2);
	assert_int_equal(list(s, ar, q, NULL, 10, &items), 1);
	assert_string_equal(items[0].id, in_body.id);
	snprintf(q, sizeof q, "\"%s\" OR nosuchwordanywhere", w);
	assert_int_equal(list(s, ar, q, NULL, 10, &items), 0);
	char none[16];
	word_new(none);
	assert_int_equal(list(s, ar, none, NULL, 10, &items), 0);
	const char *operators[] = {"\"", "a OR", "NEAR(", "*", "-x", "&|!", "'", "\\", ":*", "(", "\xe2\x80\x94"};
	for (size_t i = 0; i < sizeof operators / sizeof *operators; i++) {
		int m = -1;
		assert_int_equal(s->article_list(s, ar, operators[i], NULL, 0, NULL, 10, &items, &m), STORE_OK);
		assert_true(m >= 0 && m <= 10);
	}
	arena_free(ar);
}

static void test_search_long_and_non_ascii(void **state)
{
	(void)state;
	struct store *s = store_test;
	char author[ID_LEN + 1];
	user_new(s, "Author", "author", author);
	char w[16];
	word_new(w);
	/* A 100-byte word: searched by its first 64 bytes (or all of it), it is found either way. */
	char longword[101];
	memset(longword, 'q', 100);
	memcpy(longword, w, strlen(w));
	longword[100] = '\0';
	char body[256];
	snprintf(body, sizeof body, "Zoë écrit %s ünd mehr", longword);
	struct store_article a;
	article_make(s, author, "Ünïcode", body, now_ms(), &a);

	struct arena *ar = arena_new();
	struct store_article *items = NULL;
	assert_int_equal(list(s, ar, longword, NULL, 10, &items), 1);
	assert_string_equal(items[0].id, a.id);
	char q[128];
	snprintf(q, sizeof q, "%.20s écrit", longword);
	assert_int_equal(list(s, ar, q, NULL, 10, &items), 1);
	snprintf(q, sizeof q, "%.20s zoë", longword);
	assert_int_equal(list(s, ar, q, NULL, 10, &items), 1);
	/* Not UTF-8 (the edge lets none through): nothing, and no error. */
	snprintf(q, sizeof q, "%.20s \xff\xfe", longword);
	assert_int_equal(list(s, ar, q, NULL, 10, &items), 0);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_insert_get_update),
	    cmocka_unit_test(test_list_order_and_cursor),
	    cmocka_unit_test(test_comments),
	    cmocka_unit_test(test_list_own),
	    cmocka_unit_test(test_search),
	    cmocka_unit_test(test_search_long_and_non_ascii),
	};
	return STORE_TEST_MAIN("test_article.c", tests);
}
