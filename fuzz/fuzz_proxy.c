/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * fuzz_proxy.c - libFuzzer target for http/proxy.h: the input, cut at its
 * first NUL (header values and settings are C strings), is split at '|'
 * into a HEARTH_TRUSTED_PROXIES setting, the peer's address, an
 * X-Forwarded-For value and a Forwarded value (missing parts: NULL).
 *
 * Invariants checked:
 *   - proxy_list_parse either fails or gives count <= PROXY_NETS_MAX, each
 *     net IPv4 with prefix <= 32 or IPv6 with prefix <= 128;
 *   - the client's address is NUL-terminated within its buffer and is the
 *     peer itself, or parses as an IPv4 or IPv6 address (never header bytes
 *     that are not an address);
 *   - with an empty list, the client is always the peer.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	if (nul)
		size = (size_t)(nul - data);
	char *copy = malloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	char *part[4] = {NULL, NULL, NULL, NULL};
	char *p = copy;
	for (int i = 0; i < 4 && p; i++) {
		part[i] = p;
		p = strchr(p, '|');
		if (p)
			*p++ = '\0';
	}
	struct proxy_list l;
	char err[256];
	if (proxy_list_parse(part[0], &l, err, sizeof err) == 0) {
		if (l.count < 0 || l.count > PROXY_NETS_MAX)
			abort();
		for (int i = 0; i < l.count; i++)
			if (!((l.nets[i].family == AF_INET && l.nets[i].prefix >= 0 && l.nets[i].prefix <= 32) ||
			      (l.nets[i].family == AF_INET6 && l.nets[i].prefix >= 0 && l.nets[i].prefix <= 128)))
				abort();
	} else {
		memset(&l, 0, sizeof l);
	}
	const char *peer = part[1] ? part[1] : "127.0.0.1";
	char out[64];
	memset(out, 'x', sizeof out);
	proxy_client_address(&l, peer, part[2], part[3], out, sizeof out);
	if (!memchr(out, '\0', sizeof out))
		abort();
	unsigned char bin[16];
	bool is_peer = strncmp(out, peer, sizeof out - 1) == 0;
	if (!is_peer && inet_pton(AF_INET, out, bin) != 1 && inet_pton(AF_INET6, out, bin) != 1)
		abort();
	if (l.count == 0 && !is_peer)
		abort();
	free(copy);
	return 0;
}
