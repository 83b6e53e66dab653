/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_session.c - unit tests for src/domain/session.h without a store: the
 * coarse client names from User-Agent headers (browsers, systems, programs,
 * nothing else kept), and freshness (the 10-minute window on an injected
 * clock, a session never reauthenticated, a time in the future, the
 * HEARTH_FRESH_MS knob that can only shorten it, and the problem it gives).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/session.h"
#include "util/util.h"

static const struct {
	const char *ua, *name;
} clients[] = {
    {"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox on Linux"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36",
     "Chrome on Windows"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36 Edg/126.0.0.0",
     "Edge on Windows"},
    {"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/126.0.0.0 Mobile "
     "Safari/537.36",
     "Chromium on Android"},
    {"Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 "
     "Chrome/121.0.0.0 Mobile Safari/537.36",
     "Samsung Internet on Android"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.5 Mobile/15E148 Safari/604.1",
     "Safari on iPhone"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
     "Chrome on iPhone"},
    {"Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/127.0 "
     "Mobile/15E148 Safari/605.1.15",
     "Firefox on iPad"},
    {"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 "
     "Safari/605.1.15",
     "Safari on macOS"},
    {"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36",
     "Chrome on ChromeOS"},
    {"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 "
     "Safari/537.36",
     "Chromium on Linux"},
    {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
     "Safari/537.36 OPR/111.0.0.0",
     "Opera on Windows"},
    {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Mobile/15E148",
     "A browser on iPhone"},
    {"curl/8.5.0", "curl"},
    {"Wget/1.21.3", "Wget"},
    {"python-requests/2.31.0", "A Python script"},
    {"node", "A Node.js script"},
    {"okhttp/4.12.0", "An Android app"},
    {"", "An unknown device"},
    {"Something/1.0 (made up; 12345)", "An unknown device"},
};

static void test_client_names(void **state)
{
	(void)state;
	char out[CLIENT_NAME_MAX];
	for (size_t i = 0; i < ARRAY_LEN(clients); i++) {
		session_client_name(clients[i].ua, out, sizeof out);
		assert_string_equal(out, clients[i].name);
	}
	session_client_name(NULL, out, sizeof out);
	assert_string_equal(out, "An unknown device");
	/* Cut to the space given, never more. */
	char tiny[6];
	session_client_name(clients[0].ua, tiny, sizeof tiny);
	assert_string_equal(tiny, "Firef");
}

static void test_client_name_keeps_nothing_of_the_header(void **state)
{
	(void)state;
	/* Whatever the header holds (versions, models, a marker), only the fixed words come out. */
	const char *ua = "Mozilla/5.0 (Linux; Android 14; MARKER-PHONE-42) Firefox/128.0 <script>";
	char out[CLIENT_NAME_MAX];
	session_client_name(ua, out, sizeof out);
	assert_string_equal(out, "Firefox on Android");
	char big[20000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	session_client_name(big, out, sizeof out);
	assert_string_equal(out, "An unknown device");
}

static int64_t clock_now;
static int64_t fixed_clock(void)
{
	return clock_now;
}

static void test_fresh_window(void **state)
{
	(void)state;
	int64_t (*saved)(void) = util_clock;
	util_clock = fixed_clock;
	unsetenv("HEARTH_FRESH_MS");
	struct viewer v = {0};
	clock_now = 1000LL * 1000 * 1000;
	v.session_auth_at = clock_now;
	assert_true(session_fresh_ms() == SESSION_FRESH_MS);
	assert_true(session_is_fresh(&v));
	clock_now += SESSION_FRESH_MS - 1;
	assert_true(session_is_fresh(&v));
	clock_now += 1;
	assert_false(session_is_fresh(&v));

	struct problem p;
	assert_false(session_require_fresh(&v, &p));
	assert_int_equal(p.outcome, OUTCOME_FORBIDDEN);
	assert_string_equal(p.code, "reauth_required");
	v.session_auth_at = clock_now;
	assert_true(session_require_fresh(&v, &p));

	/* Never typed (a session from before migration 006 that was never used to log in) and the future: stale. */
	v.session_auth_at = 0;
	assert_false(session_is_fresh(&v));
	v.session_auth_at = clock_now + 1000;
	assert_false(session_is_fresh(&v));
	util_clock = saved;
}

static void test_fresh_knob_only_shortens(void **state)
{
	(void)state;
	setenv("HEARTH_FRESH_MS", "1500", 1);
	assert_true(session_fresh_ms() == 1500);
	setenv("HEARTH_FRESH_MS", "3600000", 1); /* an hour: longer than allowed, ignored */
	assert_true(session_fresh_ms() == SESSION_FRESH_MS);
	setenv("HEARTH_FRESH_MS", "-5", 1);
	assert_true(session_fresh_ms() == SESSION_FRESH_MS);
	setenv("HEARTH_FRESH_MS", "12abc", 1);
	assert_true(session_fresh_ms() == SESSION_FRESH_MS);
	setenv("HEARTH_FRESH_MS", "", 1);
	assert_true(session_fresh_ms() == SESSION_FRESH_MS);
	unsetenv("HEARTH_FRESH_MS");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_client_names),
	    cmocka_unit_test(test_client_name_keeps_nothing_of_the_header),
	    cmocka_unit_test(test_fresh_window),
	    cmocka_unit_test(test_fresh_knob_only_shortens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
