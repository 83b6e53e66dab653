/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * atom.c - the Atom feed (see atom.h). An entry carries the article's title,
 * summary and its Markdown rendered as HTML (the same safe rendering as the
 * article page), each escaped as XML text.
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

int atom_feed(struct buf *out, const char *base_url, const struct store_article *rows, int n)
{
	assert(out && base_url && n >= 0 && (n == 0 || rows));
	char updated[32];
	time_rfc3339(n ? rows[0].published_at : 0, updated);
	int rc = buf_printf(out,
	                    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                    "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>hearth articles</title>\n"
	                    "<id>%s/articles</id>\n<updated>%s</updated>\n"
	                    "<link rel=\"self\" href=\"%s/articles.atom\"/>\n<link href=\"%s/articles\"/>\n",
	                    base_url, updated, base_url, base_url);
	for (int i = 0; i < n && rc == 0; i++) {
		char pub[32], upd[32];
		time_rfc3339(rows[i].published_at, pub);
		time_rfc3339(rows[i].updated_at, upd);
		char *html = article_html(rows[i].body);
		rc = buf_printf(out, "<entry>\n<title>") < 0 || xml_text(out, rows[i].title) < 0 ||
		             buf_printf(out,
		                        "</title>\n<id>%s/articles/%s</id>\n<link href=\"%s/articles/%s\"/>\n"
		                        "<published>%s</published>\n<updated>%s</updated>\n<author><name>hearth</"
		                        "name></author>\n"
		                        "<summary>",
		                        base_url, rows[i].slug, base_url, rows[i].slug, pub, upd) < 0 ||
		             xml_text(out, rows[i].summary) < 0 ||
		             buf_puts(out, "</summary>\n<content type=\"html\">") < 0 ||
		             xml_text(out, html ? html : "") < 0 || buf_puts(out, "</content>\n</entry>\n") < 0
		         ? -1
		         : 0;
		free(html);
	}
	return rc == 0 ? buf_puts(out, "</feed>\n") : rc;
}
