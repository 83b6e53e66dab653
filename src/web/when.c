/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * when.c - a time or a date on a page, for a template: in the reader's own
 * time zone (domain/date.h viewer_time_zone; UTC for someone not signed in)
 * and in words (render/time.h), inside <time> with the exact value; in the
 * reader's language (issue 16: r->lang, the words and ICU's locale).
 */
#include <string.h>
#include <time.h>

#include "../app.h"
#include "../domain/date.h"
#include "render/time.h"
#include "web.h"

static const char *reader_zone(const struct request *r)
{
	return r->signed_in ? viewer_time_zone(&r->viewer) : "UTC";
}

/* {html, text} from a <time> element drawn into b and its words. */
static json_t *html_text_json(struct buf *b, int rc, const char *words)
{
	json_t *o = json_pack("{s:s, s:s}", "html", rc == 0 && b->data ? b->data : "", "text", words);
	buf_cleanup(b);
	return o;
}

/* The same for the instant `at` and its words, said once (ICU's formatting is the cost of a page of times). */
static json_t *when_json(int64_t at, const char *words)
{
	struct buf b;
	buf_init(&b, 512);
	int rc = time_words_html(&b, at, words);
	return html_text_json(&b, rc, words);
}

json_t *web_when(const struct request *r, int64_t at)
{
	char words[TIME_WORDS_MAX];
	time_words(r->lang, reader_zone(r), at, now_ms(), words);
	return when_json(at, words);
}

json_t *web_when_full(const struct request *r, int64_t at)
{
	char words[TIME_WORDS_MAX];
	time_words_full(r->lang, reader_zone(r), at, words);
	return when_json(at, words);
}

json_t *web_when_stamp(const struct request *r, const char *stamp, bool full)
{
	struct tm tm = {0};
	const char *end = stamp ? strptime(stamp, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || *end)
		return json_pack("{s:s, s:s}", "html", "", "text", "");
	int64_t at = (int64_t)timegm(&tm) * 1000;
	return full ? web_when_full(r, at) : web_when(r, at);
}

json_t *web_on_full(const struct request *r, const char *date)
{
	struct buf b;
	buf_init(&b, 512);
	int rc = time_date_html_full(&b, r->lang, date);
	json_t *o = json_pack("{s:s}", "html", rc == 0 && b.data ? b.data : "");
	buf_cleanup(&b);
	return o;
}

json_t *web_on(const struct request *r, const char *date, bool capital)
{
	const char *zone = reader_zone(r);
	int64_t now = now_ms();
	char words[TIME_WORDS_MAX];
	time_date_words(r->lang, zone, date, now, capital, words);
	struct buf b;
	buf_init(&b, 512);
	int rc = time_date_html(&b, r->lang, zone, date, now, capital);
	return html_text_json(&b, rc, words);
}

const char *web_day(struct request *r, int64_t at)
{
	const char *zone = reader_zone(r);
	char date[11], today[11], words[TIME_WORDS_MAX];
	if (!date_local(zone, at, date) || !date_local(zone, now_ms(), today))
		return "";
	time_date_label(r->lang, date, strncmp(date, today, 4) != 0, words);
	return arena_strdup(r->arena, words);
}

json_t *web_around(const struct request *r, int64_t at)
{
	char words[TIME_WORDS_MAX];
	time_around_words(r->lang, reader_zone(r), at, now_ms(), words);
	return when_json(at, words);
}
