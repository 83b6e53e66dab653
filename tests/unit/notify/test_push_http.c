/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_push_http.c - unit tests for notify/push_http.c's guard against
 * server-side request forgery: a connection to a push service goes only to
 * a public unicast address, whatever its name resolved to; 127.0.0.1 only
 * with loopback (tests) on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "notify/push_http.h"

static bool v4(const char *text, bool loopback)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	assert_int_equal(inet_pton(AF_INET, text, &a.sin_addr), 1);
	return push_http_address_ok((const struct sockaddr *)&a, loopback);
}

static bool v6(const char *text)
{
	struct sockaddr_in6 a = {.sin6_family = AF_INET6};
	assert_int_equal(inet_pton(AF_INET6, text, &a.sin6_addr), 1);
	return push_http_address_ok((const struct sockaddr *)&a, true);
}

static void addresses(void **state)
{
	(void)state;
	static const char *const public4[] = {"142.250.185.74", "8.8.8.8", "1.1.1.1", "17.253.144.10"};
	for (size_t i = 0; i < sizeof public4 / sizeof public4[0]; i++)
		assert_true(v4(public4[i], false));
	static const char *const private4[] = {
	    "0.0.0.0",      "10.1.2.3",     "100.64.0.1", "127.0.0.1", "127.1.2.3",       "169.254.169.254",
	    "172.16.0.1",   "172.31.255.1", "192.0.0.8",  "192.0.2.1", "192.168.1.1",     "198.18.0.1",
	    "198.51.100.7", "203.0.113.9",  "224.0.0.1",  "240.0.0.1", "255.255.255.255",
	};
	for (size_t i = 0; i < sizeof private4 / sizeof private4[0]; i++)
		assert_false(v4(private4[i], false));
	/* the tests' push service: 127.0.0.1 exactly, and only with loopback */
	assert_true(v4("127.0.0.1", true));
	assert_false(v4("127.0.0.2", true));
	assert_false(v4("10.0.0.1", true));

	assert_true(v6("2a00:1450:4001:80b::200a"));
	static const char *const private6[] = {
	    "::",      "::1",         "fe80::1",         "fc00::1",          "fd12:3456::1",
	    "ff02::1", "2001:db8::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "64:ff9b::a9fe:a9fe",
	};
	for (size_t i = 0; i < sizeof private6 / sizeof private6[0]; i++)
		assert_false(v6(private6[i]));
	assert_true(v6("::ffff:8.8.8.8"));

	struct sockaddr other = {.sa_family = AF_UNIX};
	assert_false(push_http_address_ok(&other, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(addresses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
