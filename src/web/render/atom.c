/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * atom.c - the Atom feed (see atom.h). An entry carries the article's title,
 * its author (their display name: a byline is public), its tags as
 * categories, the summary and its Markdown rendered as HTML (the same safe
 * rendering as the article page), each escaped as XML text. A tag's feed
 * has its own id, title and links.
 */
#include "atom.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../../domain/article.h"
#include "../../template/template.h"

static int xml_text(struct buf *out, const char *s)
{
	return html_escape(out, s, strlen(s));
}

/* The feed's head: its id, title and links name the tag when there is one (a tag is a-z, 0-9 and dashes). */
static int feed_head(struct buf *out, const char *base_url, enum lang l, const char *tag, const char *updated)
{
	const char *sep = tag ? "?tag=" : "";
	const char *t = tag ? tag : "";
	if (buf_puts(out, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                  "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>") < 0 ||
	    xml_text(out, tr(l, "hearth articles")) < 0 ||
	    buf_printf(out, "%s%s</title>\n<id>%s/articles%s%s</id>\n<updated>%s</updated>\n", tag ? ": " : "", t,
	               base_url, sep, t, updated) < 0 ||
	    buf_printf(out, "<link rel=\"self\" href=\"%s/articles.atom%s%s\"/>\n<link href=\"%s/articles%s%s\"/>\n",
	               base_url, sep, t, base_url, sep, t) < 0)
		return -1;
	return 0;
}

static int entry(struct buf *out, const char *base_url, const struct store_article *a)
{
	char pub[32], upd[32];
	time_rfc3339(a->published_at, pub);
	time_rfc3339(a->updated_at, upd);
	const char *author = a->author_name && *a->author_name ? a->author_name : "hearth";
	if (buf_puts(out, "<entry>\n<title>") < 0 || xml_text(out, a->title) < 0 ||
	    buf_printf(out,
	               "</title>\n<id>%s/articles/%s</id>\n<link href=\"%s/articles/%s\"/>\n"
	               "<published>%s</published>\n<updated>%s</updated>\n<author><name>",
	               base_url, a->slug, base_url, a->slug, pub, upd) < 0 ||
	    xml_text(out, author) < 0 || buf_puts(out, "</name></author>\n") < 0)
		return -1;
	for (int i = 0; i < a->tag_count; i++)
		if (buf_printf(out, "<category term=\"%s\" scheme=\"%s/articles?tag=\"/>\n", a->tags[i], base_url) < 0)
			return -1;
	char *html = article_html(a->body);
	int rc = buf_puts(out, "<summary>") < 0 || xml_text(out, a->summary) < 0 ||
	                 buf_puts(out, "</summary>\n<content type=\"html\">") < 0 ||
	                 xml_text(out, html ? html : "") < 0 || buf_puts(out, "</content>\n</entry>\n") < 0
	             ? -1
	             : 0;
	free(html);
	return rc;
}

int atom_feed(struct buf *out, const char *base_url, enum lang l, const char *tag, const struct store_article *rows,
              int n)
{
	assert(out && base_url && n >= 0 && (n == 0 || rows));
	char updated[32];
	time_rfc3339(n ? rows[0].published_at : 0, updated);
	int rc = feed_head(out, base_url, l, tag, updated);
	for (int i = 0; i < n && rc == 0; i++)
		rc = entry(out, base_url, &rows[i]);
	return rc == 0 ? buf_puts(out, "</feed>\n") : rc;
}
