/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * proxy.h - who the client is behind a reverse proxy. Only a peer listed in
 * HEARTH_TRUSTED_PROXIES (addresses and CIDR networks, IPv4 or IPv6) is
 * believed when it names the client in X-Forwarded-For or, when that header
 * is absent, in Forwarded (RFC 7239, its for= parameters). The list is read
 * from the right, as each proxy appends the address it saw: the client is
 * the first address, from the right, that is not a trusted proxy. What a
 * client writes into these headers itself stands to the left of what the
 * first proxy appended, so it is never reached. Pure functions, so they can
 * be unit-tested and fuzzed.
 */
#ifndef HEARTH_PROXY_H
#define HEARTH_PROXY_H

#include <stdbool.h>
#include <stddef.h>

#define PROXY_NETS_MAX 64
/* Proxies read from the right of a header at most; more would be a loop or an attack. */
#define PROXY_HOPS_MAX 32

struct proxy_net {
	int family; /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int prefix; /* bits */
};

struct proxy_list {
	struct proxy_net nets[PROXY_NETS_MAX];
	int count;
};

/*
 * Parses "10.0.0.1, 192.168.0.0/16 fd00::/8" (commas or spaces between
 * entries) into out. Returns 0, or -1 with a message naming the bad entry.
 * NULL or an empty string gives an empty list (no proxy trusted).
 */
int proxy_list_parse(const char *spec, struct proxy_list *out, char *err, size_t err_len)
    __attribute__((warn_unused_result));

/* Is addr (a textual IPv4 or IPv6 address; an IPv4-mapped IPv6 one counts as IPv4) in the list? */
bool proxy_list_contains(const struct proxy_list *l, const char *addr);

/*
 * The client's address into out (n bytes, at least 46): peer itself, unless
 * peer is a trusted proxy and xff (or, without it, forwarded) names the
 * hops before it. An entry that is not an address (obfuscated, "unknown",
 * garbage) stops the walk at the trusted proxy that wrote it.
 */
void proxy_client_address(const struct proxy_list *l, const char *peer, const char *xff, const char *forwarded,
                          char *out, size_t n);

#endif
