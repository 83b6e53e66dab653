/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * proxy.c - the client's address behind trusted proxies (see proxy.h).
 *
 * Both headers are lists separated by commas; the walk takes their entries
 * from the right, one at a time, without copying the header: an entry is
 * cut out, trimmed, stripped of the Forwarded syntax (for=, quotes,
 * brackets, a port) and parsed with inet_pton into a canonical address.
 */
#include "proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* An address in 16 bytes and its family; IPv4-mapped IPv6 becomes IPv4. */
struct ip {
	int family;
	unsigned char b[16];
};

static bool ip_parse(const char *s, struct ip *out)
{
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, s, out->b) == 1) {
		out->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->b) != 1)
		return false;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (memcmp(out->b, mapped, sizeof mapped) == 0) {
		memmove(out->b, out->b + 12, 4);
		memset(out->b + 4, 0, 12);
		out->family = AF_INET;
	} else {
		out->family = AF_INET6;
	}
	return true;
}

static bool net_contains(const struct proxy_net *net, const struct ip *ip)
{
	if (net->family != ip->family)
		return false;
	int full = net->prefix / 8, rest = net->prefix % 8;
	if (memcmp(net->addr, ip->b, (size_t)full) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xFF << (8 - rest));
	return (net->addr[full] & mask) == (ip->b[full] & mask);
}

static bool contains_ip(const struct proxy_list *l, const struct ip *ip)
{
	for (int i = 0; l && i < l->count; i++)
		if (net_contains(&l->nets[i], ip))
			return true;
	return false;
}

bool proxy_list_contains(const struct proxy_list *l, const char *addr)
{
	struct ip ip;
	return addr && ip_parse(addr, &ip) && contains_ip(l, &ip);
}

/* One entry of the setting, "ADDR" or "ADDR/BITS". */
static int net_parse(const char *s, size_t n, struct proxy_net *out)
{
	char text[64];
	if (n == 0 || n >= sizeof text)
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	char *slash = strchr(text, '/');
	long bits = -1;
	if (slash) {
		char *end = NULL;
		*slash = '\0';
		if (!isdigit((unsigned char)slash[1]))
			return -1;
		bits = strtol(slash + 1, &end, 10);
		if (*end)
			return -1;
	}
	struct ip ip;
	/* A mapped address in the setting would silently mean IPv4: write it as IPv4. */
	if (strncasecmp(text, "::ffff:", 7) == 0 || !ip_parse(text, &ip))
		return -1;
	int max = ip.family == AF_INET ? 32 : 128;
	if (bits < 0)
		bits = max;
	if (bits > max)
		return -1;
	out->family = ip.family;
	out->prefix = (int)bits;
	memcpy(out->addr, ip.b, sizeof out->addr);
	/* Host bits must be zero, so "10.0.0.1/8" is refused rather than read as 10.0.0.0/8 by surprise. */
	for (int bit = (int)bits; bit < max; bit++)
		if (out->addr[bit / 8] & (0x80 >> (bit % 8)))
			return -1;
	return 0;
}

int proxy_list_parse(const char *spec, struct proxy_list *out, char *err, size_t err_len)
{
	memset(out, 0, sizeof *out);
	const char *p = spec ? spec : "";
	for (;;) {
		p += strspn(p, " ,\t");
		if (!*p)
			return 0;
		size_t n = strcspn(p, " ,\t");
		if (out->count == PROXY_NETS_MAX) {
			snprintf(err, err_len, "HEARTH_TRUSTED_PROXIES: more than %d entries", PROXY_NETS_MAX);
			return -1;
		}
		if (net_parse(p, n, &out->nets[out->count]) < 0) {
			snprintf(err, err_len,
			         "HEARTH_TRUSTED_PROXIES: '%.*s' is not an address or a network (10.0.0.1, 10.0.0.0/8, "
			         "fd00::/8)",
			         (int)(n > 64 ? 64 : n), p);
			return -1;
		}
		out->count++;
		p += n;
	}
}

/*
 * One hop as a proxy wrote it into ip: XFF "1.2.3.4", "1.2.3.4:5678",
 * "2001:db8::1", "[2001:db8::1]:5678"; Forwarded the same after for=,
 * perhaps quoted. False for anything else ("unknown", "_hidden", garbage).
 */
static bool hop_parse(const char *s, size_t n, bool forwarded, struct ip *ip)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (forwarded) {
		/* The for= among the pairs of this element (";"-separated). */
		const char *found = NULL;
		size_t found_n = 0;
		while (n) {
			size_t k = 0;
			while (k < n && s[k] != ';')
				k++;
			const char *pair = s;
			size_t pn = k;
			while (pn && (*pair == ' ' || *pair == '\t'))
				pair++, pn--;
			if (pn > 4 && strncasecmp(pair, "for=", 4) == 0) {
				found = pair + 4;
				found_n = pn - 4;
			}
			s += k < n ? k + 1 : k;
			n -= k < n ? k + 1 : k;
		}
		if (!found)
			return false;
		s = found;
		n = found_n;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
			s++, n -= 2;
	}
	char text[64];
	if (n == 0 || n >= sizeof text)
		return false;
	if (s[0] == '[') { /* [v6] or [v6]:port */
		const char *close = memchr(s, ']', n);
		if (!close)
			return false;
		size_t after = n - (size_t)(close - s) - 1;
		if (after && close[1] != ':')
			return false;
		n = (size_t)(close - s) - 1;
		s++;
	} else if (memchr(s, '.', n)) { /* v4 or v4:port (one colon); more colons: a mapped v6 */
		const char *colon = memchr(s, ':', n);
		if (colon && !memchr(colon + 1, ':', n - (size_t)(colon - s) - 1))
			n = (size_t)(colon - s);
	}
	if (n == 0 || n >= sizeof text)
		return false;
	memcpy(text, s, n);
	text[n] = '\0';
	return ip_parse(text, ip);
}

/* The entry of header before `end` (exclusive): sets *from and returns its length. */
static size_t entry_before(const char *header, const char *end, const char **from)
{
	const char *p = end;
	while (p > header && p[-1] != ',')
		p--;
	*from = p;
	return (size_t)(end - p);
}

void proxy_client_address(const struct proxy_list *l, const char *peer, const char *xff, const char *forwarded,
                          char *out, size_t n)
{
	snprintf(out, n, "%s", peer ? peer : "unknown");
	struct ip cur;
	if (!l || l->count == 0 || !peer || !ip_parse(peer, &cur) || !contains_ip(l, &cur))
		return;
	bool is_forwarded = !xff || !*xff;
	const char *header = is_forwarded ? forwarded : xff;
	if (!header)
		return;
	const char *end = header + strlen(header);
	for (int hops = 0; hops < PROXY_HOPS_MAX && contains_ip(l, &cur) && end > header; hops++) {
		const char *from;
		size_t len = entry_before(header, end, &from);
		struct ip hop;
		if (!hop_parse(from, len, is_forwarded, &hop))
			break; /* the trusted proxy that wrote this does not say: it stays the client */
		cur = hop;
		end = from > header ? from - 1 : header;
	}
	char text[INET6_ADDRSTRLEN];
	if (inet_ntop(cur.family, cur.b, text, sizeof text))
		snprintf(out, n, "%s", text);
}
