/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_blog.c - unit tests for domain/blog.c (issue 12): which tags are
 * valid and how many an article keeps, how the page's tag field is split,
 * initials, and the name a comment shows (never the account's unless typed).
 * The summary rule of domain/article.c that issue 12 changed is here too:
 * no space before punctuation that follows inline markup.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/article.h"
#include "domain/blog.h"

static void tags(void **state)
{
	(void)state;
	assert_true(blog_tag_valid("repair"));
	assert_true(blog_tag_valid("check-ins-2"));
	assert_true(blog_tag_valid("abcdefghijklmnopqrstuvwxyz012345")); /* 32 */
	assert_false(blog_tag_valid("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(blog_tag_valid(""));
	assert_false(blog_tag_valid(NULL));
	assert_false(blog_tag_valid("Repair"));
	assert_false(blog_tag_valid("two words"));
	assert_false(blog_tag_valid("caf\xc3\xa9"));

	struct store_article a;
	struct problem p = {0};
	memset(&a, 0, sizeof a);
	const char *dup[] = {"b", "a", "b"};
	assert_true(blog_tags_put(&a, dup, 3, &p));
	assert_int_equal(a.tag_count, 2);
	assert_string_equal(a.tags[0], "b");
	assert_string_equal(a.tags[1], "a");
	const char *six[] = {"a", "b", "c", "d", "e", "f"};
	assert_false(blog_tags_put(&a, six, 6, &p));
	assert_string_equal(p.field, "tags");
	assert_true(blog_tags_put(&a, six, 5, &p));
	assert_int_equal(a.tag_count, 5);
	const char *bad[] = {"ok", "Not OK"};
	assert_false(blog_tags_put(&a, bad, 2, &p));

	struct arena *ar = arena_new();
	const char *out[6];
	assert_int_equal(blog_tags_split(" Repair,listening  ,, Check-Ins ", ar, out, 5), 3);
	assert_string_equal(out[0], "repair");
	assert_string_equal(out[1], "listening");
	assert_string_equal(out[2], "check-ins");
	/* one more than the most kept, so that too many are refused rather than cut */
	assert_int_equal(blog_tags_split("a b c d e f g h", ar, out, 5), 6);
	assert_int_equal(blog_tags_split(NULL, ar, out, 5), 0);
	arena_free(ar);
}

static void names(void **state)
{
	(void)state;
	char out[4 * COMMENT_NAME_MAX + 8];
	blog_initials("Alex Partner", out, sizeof out);
	assert_string_equal(out, "AP");
	blog_initials("maria del carmen lopez", out, sizeof out);
	assert_string_equal(out, "MDC"); /* at most three */
	blog_initials("\xc3\x89lodie Martin", out, sizeof out);
	assert_string_equal(out, "\xc3\x89M");
	blog_initials("   ", out, sizeof out);
	assert_string_equal(out, "A reader");

	struct viewer v;
	memset(&v, 0, sizeof v);
	strcpy(v.display_name, "Maria Lopez");
	struct problem p = {0};
	assert_true(blog_comment_name(&v, NULL, out, sizeof out, &p));
	assert_string_equal(out, "ML");
	assert_true(blog_comment_name(&v, "  \t ", out, sizeof out, &p));
	assert_string_equal(out, "ML");
	assert_true(blog_comment_name(&v, "  A hopeful reader ", out, sizeof out, &p));
	assert_string_equal(out, "A hopeful reader");
	char forty[41], forty_one[42];
	memset(forty, 'x', 40), forty[40] = '\0';
	memset(forty_one, 'x', 41), forty_one[41] = '\0';
	assert_true(blog_comment_name(&v, forty, out, sizeof out, &p));
	assert_false(blog_comment_name(&v, forty_one, out, sizeof out, &p));
	assert_string_equal(p.field, "name");
	assert_false(blog_comment_name(&v, "two\nlines", out, sizeof out, &p));
	assert_false(blog_comment_name(&v, "bad \xff", out, sizeof out, &p));
}

static void summaries(void **state)
{
	(void)state;
	struct arena *ar = arena_new();
	assert_string_equal(article_summary("A *hurt* is **named**, then `held`.", ar), "A hurt is named, then held.");
	assert_string_equal(article_summary("See [this](https://example.org)!", ar), "See this!");
	assert_string_equal(article_summary("# Title\n\nFirst line.\n\n- one\n- two", ar),
	                    "Title. First line. one two");
	/* A heading that ends in its own punctuation keeps it. */
	assert_string_equal(article_summary("## Why?\n\nBecause.", ar), "Why? Because.");
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tags),
	    cmocka_unit_test(names),
	    cmocka_unit_test(summaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
