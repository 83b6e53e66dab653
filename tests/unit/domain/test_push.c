/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_push.c - unit tests for domain/push.c's rule on endpoints (the
 * server POSTs to a URL a client gave): https on a public host name only,
 * at most 1024 printable bytes, no user part, no address, no local name;
 * http://127.0.0.1:PORT only when loopback (tests) is on.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/push.h"

static void endpoints(void **state)
{
	(void)state;
	static const char *const good[] = {
	    "https://fcm.googleapis.com/fcm/send/abc:APA91b-x_y",
	    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAA",
	    "https://web.push.apple.com/QGx1Yz",
	    "https://push.example.net:8443/x?y=1",
	    "https://PUSH.Example.NET/x",
	};
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		assert_true(push_endpoint_ok(good[i], false));
		assert_true(push_endpoint_ok(good[i], true));
	}
	static const char *const bad[] = {
	    "",
	    "http://push.example.net/x",
	    "ftp://push.example.net/x",
	    "https://10.0.0.1/x",
	    "https://8.8.8.8/x",
	    "https://[::1]/x",
	    "https://[2001:4860::1]/x",
	    "https://localhost/x",
	    "https://a.localhost/x",
	    "https://push.local/x",
	    "https://svc.internal/x",
	    "https://router.lan/x",
	    "https://nas.home.arpa/x",
	    "https://push/x",
	    "https://push./x",
	    "https://-a.example.net/x",
	    "https://a-.example.net/x",
	    "https://a..example.net/x",
	    "https://user@push.example.net/x",
	    "https://push.example.net@10.0.0.1/x",
	    "https://push.example.net:0/x",
	    "https://push.example.net:65536/x",
	    "https://push.example.net:/x",
	    "https://push.example.net:8a/x",
	    "https://push example.net/x",
	    "https://push.example.net/x y",
	    "https://push.example.net/\x01",
	    "https://push.example.net/\"x\"",
	    "https://p\xc3\xbcsh.example.net/x",
	    "http://127.0.0.1:8080/x",
	    "https://127.0.0.1:8080/x",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		assert_false(push_endpoint_ok(bad[i], false));
	assert_false(push_endpoint_ok(NULL, false));

	/* the tests' push service, only when asked for */
	assert_true(push_endpoint_ok("http://127.0.0.1:4567/push/a", true));
	assert_false(push_endpoint_ok("http://127.0.0.1:4567/push/a", false));
	assert_false(push_endpoint_ok("http://127.0.0.1:/push/a", true));
	assert_false(push_endpoint_ok("http://127.0.0.1:99999/push/a", true));
	assert_false(push_endpoint_ok("http://127.0.0.2:4567/push/a", true));
	assert_false(push_endpoint_ok("http://localhost:4567/push/a", true));

	/* at most 1024 bytes */
	char url[1100] = "https://push.example.net/";
	size_t n = strlen(url);
	memset(url + n, 'x', PUSH_ENDPOINT_MAX - n);
	url[PUSH_ENDPOINT_MAX] = '\0';
	assert_true(push_endpoint_ok(url, false));
	url[PUSH_ENDPOINT_MAX] = 'x';
	url[PUSH_ENDPOINT_MAX + 1] = '\0';
	assert_false(push_endpoint_ok(url, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(endpoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
