/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_proxy.c - unit tests for src/http/proxy.h: parsing the trusted list
 * (addresses, networks, what is refused), membership (prefixes, IPv4-mapped
 * peers), and the client's address from X-Forwarded-For and Forwarded:
 * read from the right, forged entries never reached, ports, brackets,
 * quotes, trusted chains, unknown hops, caps, and an untrusted peer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/proxy.h"

static struct proxy_list list(const char *spec)
{
	struct proxy_list l;
	char err[256];
	assert_int_equal(proxy_list_parse(spec, &l, err, sizeof err), 0);
	return l;
}

static void test_parse(void **state)
{
	(void)state;
	struct proxy_list l = list(" 10.0.0.1, 192.168.0.0/16\tfd00::/8,::1 ");
	assert_int_equal(l.count, 4);
	assert_int_equal(list(NULL).count, 0);
	assert_int_equal(list("").count, 0);
	assert_int_equal(list(" , ").count, 0);
	char err[256];
	static const char *const bad[] = {"nonsense",        "10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x",
	                                  "::ffff:10.0.0.1", "fd00::/129", "10.0.0.256",  "/8",        "10.0.0.0/-1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct proxy_list out;
		assert_int_equal(proxy_list_parse(bad[i], &out, err, sizeof err), -1);
		assert_non_null(strstr(err, bad[i]));
	}
	char many[70 * 12] = "";
	for (int i = 0; i < 65; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "10.0.0.%d ", i);
	struct proxy_list out;
	assert_int_equal(proxy_list_parse(many, &out, err, sizeof err), -1);
}

static void test_contains(void **state)
{
	(void)state;
	struct proxy_list l = list("10.0.0.1 172.16.0.0/12 2001:db8::/33");
	assert_true(proxy_list_contains(&l, "10.0.0.1"));
	assert_false(proxy_list_contains(&l, "10.0.0.2"));
	assert_true(proxy_list_contains(&l, "172.31.255.255"));
	assert_false(proxy_list_contains(&l, "172.32.0.0"));
	assert_true(proxy_list_contains(&l, "::ffff:10.0.0.1"));
	assert_true(proxy_list_contains(&l, "2001:db8:7fff::1"));
	assert_false(proxy_list_contains(&l, "2001:db8:8000::1"));
	assert_false(proxy_list_contains(&l, "garbage"));
	assert_false(proxy_list_contains(&l, NULL));
	struct proxy_list all = list("0.0.0.0/0");
	assert_true(proxy_list_contains(&all, "203.0.113.1"));
	assert_false(proxy_list_contains(&all, "2001:db8::1"));
}

static const char *client(const struct proxy_list *l, const char *peer, const char *xff, const char *fwd)
{
	static char out[64];
	proxy_client_address(l, peer, xff, fwd, out, sizeof out);
	return out;
}

static void test_client(void **state)
{
	(void)state;
	struct proxy_list none = list("");
	struct proxy_list l = list("127.0.0.1 10.0.0.0/8");
	/* Nobody trusted, or an untrusted peer: the headers are ignored. */
	assert_string_equal(client(&none, "127.0.0.1", "203.0.113.5", NULL), "127.0.0.1");
	assert_string_equal(client(NULL, "127.0.0.1", "203.0.113.5", NULL), "127.0.0.1");
	assert_string_equal(client(&l, "198.51.100.1", "203.0.113.5", "for=192.0.2.1"), "198.51.100.1");
	/* From the right; what the client wrote on the left is never reached. */
	assert_string_equal(client(&l, "127.0.0.1", "203.0.113.5", NULL), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", "1.1.1.1, 203.0.113.5", NULL), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", "1.1.1.1,203.0.113.5 , 10.9.8.7", NULL), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", "10.1.1.1, 10.2.2.2", NULL), "10.1.1.1"); /* all trusted */
	assert_string_equal(client(&l, "127.0.0.1", "203.0.113.5:4711", NULL), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", "[2001:db8::1]:443", NULL), "2001:db8::1");
	assert_string_equal(client(&l, "127.0.0.1", "2001:DB8::1", NULL), "2001:db8::1");
	assert_string_equal(client(&l, "127.0.0.1", "::ffff:203.0.113.9", NULL), "203.0.113.9");
	/* A hop that does not say who: the trusted proxy that wrote it stays the client. */
	assert_string_equal(client(&l, "127.0.0.1", "203.0.113.5, unknown", NULL), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", "203.0.113.5, unknown, 10.0.0.3", NULL), "10.0.0.3");
	assert_string_equal(client(&l, "127.0.0.1", "", NULL), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", ",,,", NULL), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", "[2001:db8::1", NULL), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", "[2001:db8::1]x", NULL), "127.0.0.1");
	/* Forwarded, only without X-Forwarded-For. */
	assert_string_equal(client(&l, "127.0.0.1", NULL, "for=203.0.113.5;proto=https;by=10.0.0.1"), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", NULL, "For=\"[2001:db8:cafe::17]:4711\""), "2001:db8:cafe::17");
	assert_string_equal(client(&l, "127.0.0.1", NULL, "for=1.1.1.1, proto=https;for=203.0.113.5"), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", NULL, "for=203.0.113.5, for=10.0.0.2"), "203.0.113.5");
	assert_string_equal(client(&l, "127.0.0.1", NULL, "for=_hidden"), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", NULL, "proto=https"), "127.0.0.1");
	assert_string_equal(client(&l, "127.0.0.1", "203.0.113.6", "for=203.0.113.5"), "203.0.113.6");
	assert_string_equal(client(&l, "127.0.0.1", "", "for=203.0.113.5"), "203.0.113.5");
	/* A long chain of trusted hops is walked no further than PROXY_HOPS_MAX. */
	char chain[40 * 12] = "203.0.113.5";
	for (int i = 0; i < 40; i++)
		snprintf(chain + strlen(chain), sizeof chain - strlen(chain), ", 10.0.0.%d", i + 1);
	assert_string_not_equal(client(&l, "127.0.0.1", chain, NULL), "203.0.113.5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_contains),
	    cmocka_unit_test(test_client),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
