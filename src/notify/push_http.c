/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * push_http.c - one web push message to one endpoint through libcurl
 * (push_http.h).
 */
#include "push_http.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

/* An IPv4 address (host order) in a range no push service is on: private, shared, loopback, link-local, reserved. */
static bool ipv4_private(uint32_t a)
{
	static const struct {
		uint32_t net, mask;
	} ranges[] = {
	    {0x00000000, 0xff000000}, /* 0/8 */
	    {0x0a000000, 0xff000000}, /* 10/8 */
	    {0x64400000, 0xffc00000}, /* 100.64/10 */
	    {0x7f000000, 0xff000000}, /* 127/8 */
	    {0xa9fe0000, 0xffff0000}, /* 169.254/16 */
	    {0xac100000, 0xfff00000}, /* 172.16/12 */
	    {0xc0000000, 0xffffff00}, /* 192.0.0/24 */
	    {0xc0000200, 0xffffff00}, /* 192.0.2/24 */
	    {0xc0a80000, 0xffff0000}, /* 192.168/16 */
	    {0xc6120000, 0xfffe0000}, /* 198.18/15 */
	    {0xc6336400, 0xffffff00}, /* 198.51.100/24 */
	    {0xcb007100, 0xffffff00}, /* 203.0.113/24 */
	    {0xe0000000, 0xe0000000}, /* 224/3: multicast and reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if ((a & ranges[i].mask) == ranges[i].net)
			return true;
	return false;
}

bool push_http_address_ok(const struct sockaddr *addr, bool loopback)
{
	if (addr->sa_family == AF_INET) {
		uint32_t a = ntohl(((const struct sockaddr_in *)(const void *)addr)->sin_addr.s_addr);
		if (loopback && a == 0x7f000001)
			return true;
		return !ipv4_private(a);
	}
	if (addr->sa_family != AF_INET6)
		return false;
	const unsigned char *b = ((const struct sockaddr_in6 *)(const void *)addr)->sin6_addr.s6_addr;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0) {
		/* an IPv4 address in IPv6 clothes: judged as the IPv4 one (never loopback here) */
		uint32_t a = (uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 | b[15];
		return !ipv4_private(a);
	}
	/* global unicast only: 2000::/3, minus documentation 2001:db8::/32 (::1, fc00::/7, fe80::/10, ff00::/8 out) */
	if ((b[0] & 0xe0) != 0x20)
		return false;
	return !(b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);
}

/* Opens a socket only towards an address push_http_address_ok allows: curl asks before every connection. */
static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
	const struct push_settings *ps = ctx;
	if (purpose != CURLSOCKTYPE_IPCXN || !push_http_address_ok(&a->addr, ps->loopback))
		return CURL_SOCKET_BAD;
	return socket(a->family, a->socktype, a->protocol);
}

/* The answer's body tells nothing we act on: read and dropped. */
static size_t discard(char *data, size_t size, size_t n, void *ctx)
{
	(void)data;
	(void)ctx;
	return size * n;
}

int push_http_send(const struct push_settings *ps, const char *endpoint, const char *authorization,
                   const unsigned char *body, size_t len, long *status, char *err, size_t err_len)
{
	*status = 0;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, err_len, "libcurl could not start");
		return -1;
	}
	char auth_header[WEBPUSH_VAPID_MAX + 32], ttl[32], detail[CURL_ERROR_SIZE] = "";
	snprintf(auth_header, sizeof auth_header, "Authorization: %s", authorization);
	snprintf(ttl, sizeof ttl, "TTL: %d", PUSH_TTL_SECONDS);
	struct curl_slist *headers = NULL;
	const char *lines[] = {"Content-Type: application/octet-stream", "Content-Encoding: aes128gcm", ttl,
	                       "Urgency: normal", auth_header};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct curl_slist *more = curl_slist_append(headers, lines[i]);
		if (!more) {
			curl_slist_free_all(headers);
			curl_easy_cleanup(c);
			snprintf(err, err_len, "out of memory");
			return -1;
		}
		headers = more;
	}
	curl_easy_setopt(c, CURLOPT_URL, endpoint);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, ps->loopback ? "http,https" : "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_PROXY,
	                 ""); /* not through a proxy the environment names: the guard checks the peer */
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, (void *)ps);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
	else
		snprintf(err, err_len, "%s%s%s", curl_easy_strerror(rc), detail[0] ? ": " : "", detail);
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	return rc == CURLE_OK ? 0 : -1;
}
