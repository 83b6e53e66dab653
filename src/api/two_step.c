/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * two_step.c - API: two-step login (issue 10, part B). Setting it up
 * (POST /me/two-step), confirming it with the first code
 * (POST /me/two-step/confirm, which answers the recovery codes, once) and
 * turning it off (DELETE /me/two-step with the password). Logging in with a
 * code is POST /sessions (account.c).
 */
#include <sodium.h>
#include <string.h>

#include "../app.h"
#include "../domain/two_step.h"
#include "../web/render/qr.h"
#include "api.h"

/* A setup QR code is a few kilobytes; this bounds a broken one. */
#define QR_SVG_MAX (256 * 1024)

void api_two_step_begin(struct request *r)
{
	struct problem p = {0};
	struct two_step_setup setup;
	if (!two_step_begin(r->app->store, &r->viewer, r->arena, &setup, &p)) {
		api_problem(r, &p);
		return;
	}
	struct buf svg;
	buf_init(&svg, QR_SVG_MAX);
	if (qr_svg(&svg, setup.otpauth_uri, "QR code to add hearth to your authenticator app") < 0)
		reply_error(r, 500, "internal", "The QR code could not be drawn.", NULL);
	else
		reply_json(r, 201,
		           json_pack("{s:s, s:s, s:s}", "secret", setup.secret, "otpauth_uri", setup.otpauth_uri,
		                     "qr_svg", svg.data));
	sodium_memzero(setup.secret, sizeof setup.secret);
	buf_cleanup(&svg);
}

void api_two_step_confirm(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"otp"};
	const char *otp;
	struct problem p = {0};
	char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_LEN + 1];
	if (!api_required_strings(r, body, names, &otp, 1))
		goto out;
	if (!two_step_confirm(r->app->store, &r->viewer, otp, codes, &p)) {
		api_problem(r, &p);
		goto out;
	}
	json_t *list = json_array();
	for (int i = 0; i < RECOVERY_CODE_COUNT; i++)
		json_array_append_new(list, json_string(codes[i]));
	reply_json(r, 200, json_pack("{s:o}", "recovery_codes", list));
	sodium_memzero(codes, sizeof codes);
out:
	json_decref(body);
}

void api_two_step_delete(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	static const char *names[] = {"password"};
	const char *password;
	struct problem p = {0};
	if (api_required_strings(r, body, names, &password, 1)) {
		if (two_step_disable(r->app->store, &r->viewer, password, &p))
			reply_empty(r, 204);
		else
			api_problem(r, &p);
	}
	json_decref(body);
}
