/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * smtp.c - one message to one address through libcurl's SMTP (smtp.h).
 */
#include "smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

struct upload {
	const char *data;
	size_t left;
};

static size_t read_cb(char *buf, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t take = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->data, take);
	u->data += take;
	u->left -= take;
	return take;
}

/* "Name <a@b>" or "a@b" as the envelope's "<a@b>". */
static void envelope_of(const char *from, char *out, size_t n)
{
	const char *lt = strrchr(from, '<');
	if (lt && strchr(lt, '>'))
		snprintf(out, n, "%.*s", (int)(strchr(lt, '>') - lt + 1), lt);
	else
		snprintf(out, n, "<%s>", from);
}

int smtp_send(const struct mail_settings *m, const char *to, const char *message, char *err, size_t err_len)
{
	const struct smtp_transport *t = m->transport;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, err_len, "libcurl could not start");
		return -1;
	}
	char from[300], rcpt[300], detail[CURL_ERROR_SIZE] = "";
	envelope_of(m->from, from, sizeof from);
	snprintf(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload up = {message, strlen(message)};
	curl_easy_setopt(c, CURLOPT_URL, t->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* smtp:// upgrades to TLS when the server offers STARTTLS; smtps:// is TLS from the start */
	curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (t->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, t->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, t->password ? t->password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
	CURLcode rc = curl_easy_perform(c);
	if (rc != CURLE_OK)
		snprintf(err, err_len, "%s%s%s", curl_easy_strerror(rc), detail[0] ? ": " : "", detail);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}
