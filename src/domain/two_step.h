/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * two_step.h - two-step login (issue 10, part B): a time-based one-time
 * password (TOTP, RFC 6238: HMAC-SHA1, six digits, 30-second steps) from an
 * authenticator app as a second step after the password, with ten single-use
 * recovery codes for a lost phone.
 *
 * The life of it: two_step_begin makes a secret and keeps it sealed (the
 * keyring, under the person's own data key) as a pending setup; the person
 * adds it to their app (QR code or typed) and two_step_confirm takes the first
 * code, turns two-step on and hands out the recovery codes once (only their
 * hashes are kept). From then on a login needs a code (two_step_login_check,
 * called by account_login); two_step_disable turns it off again with the
 * password. Each code works once: a TOTP time step must be newer than the
 * last one accepted, a recovery code is marked used.
 *
 * Pages log in in two requests: after the password, a ticket (a random token
 * kept by its hash for five minutes and five tries) carries the browser to the
 * code page instead of the password itself.
 */
#ifndef HEARTH_TWO_STEP_H
#define HEARTH_TWO_STEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../store/store.h"
#include "auth.h"
#include "problem.h"

#define TOTP_SECRET_BYTES 20    /* 160 bits, as RFC 4226 recommends for HMAC-SHA1 */
#define TOTP_SECRET_TEXT_LEN 32 /* base32 of 20 bytes, no padding */
#define TOTP_DIGITS 6
#define TOTP_STEP_SECONDS 30
#define LOGIN_TICKET_LIFETIME_MS (5LL * 60 * 1000)
#define LOGIN_TICKET_TRIES 5

enum two_step_state { TWO_STEP_OFF, TWO_STEP_PENDING, TWO_STEP_ON };

struct two_step_status {
	enum two_step_state state;
	int recovery_left; /* unused recovery codes, when on */
};

/* What a person needs to add the secret to their app. */
struct two_step_setup {
	char secret[TOTP_SECRET_TEXT_LEN + 1]; /* base32, to type in by hand */
	char *otpauth_uri;                     /* otpauth://totp/..., for the QR code; arena-owned */
};

/* ---- pure rules (no store) ---- */

/*
 * True when `code` is the TOTP of the raw secret for the 30-second step of
 * now_s (Unix seconds), the one before or the one after (a phone's clock may
 * be a little off); *step is the step it matched. Compared in constant time.
 */
bool totp_check(const unsigned char *secret, size_t n, int64_t now_s, const char *code, int64_t *step) WARN_UNUSED;
/* What a person typed as six digits ("123 456" too) into out; false when it is not that. */
bool totp_code_normalise(const char *in, char out[TOTP_DIGITS + 1]) WARN_UNUSED;
/* The otpauth:// URI authenticator apps read from the QR code (Key URI Format), in a. */
char *two_step_otpauth_uri(struct arena *a, const char *username, const char *secret_text);

/* ---- actions ---- */

bool two_step_status(struct store *s, const char *user_id, struct two_step_status *out, struct problem *p) WARN_UNUSED;
/*
 * Makes a new secret for the viewer and keeps it as a pending setup
 * (replacing an earlier pending one). 409 already_enabled when two-step is on.
 */
bool two_step_begin(struct store *s, const struct viewer *v, struct arena *a, struct two_step_setup *out,
                    struct problem *p) WARN_UNUSED;
/* The viewer's pending setup again (the page shows it until confirmed); 409 not_started when none. */
bool two_step_pending(struct store *s, const struct viewer *v, struct arena *a, struct two_step_setup *out,
                      struct problem *p) WARN_UNUSED;
/*
 * Takes the first code of a pending setup and turns two-step on; codes
 * receives the recovery codes, to be shown once. A wrong code: 400 on "otp"
 * (counted like a wrong password); nothing pending: 409 not_started.
 */
bool two_step_confirm(struct store *s, const struct viewer *v, const char *otp,
                      char codes[RECOVERY_CODE_COUNT][RECOVERY_CODE_LEN + 1], struct problem *p) WARN_UNUSED;
/*
 * Turns two-step off (or drops a pending setup) after checking the password:
 * 401 bad_credentials for a wrong one (throttled), 404 when there is nothing.
 */
bool two_step_disable(struct store *s, const struct viewer *v, const char *password, struct problem *p) WARN_UNUSED;
/* `hearth user two-step-off USERNAME`: an administrator turns it off for someone who lost phone and codes. */
bool two_step_reset(struct store *s, const char *username, struct problem *p) WARN_UNUSED;

/*
 * The second step of a login whose password matched: true when the user has
 * no two-step login, or otp is a valid TOTP or unused recovery code (used up
 * by this call). Else 401 second_factor_required (field "otp"): otp missing,
 * or wrong; the caller counts a wrong one as a failed login.
 */
bool two_step_login_check(struct store *s, const char *user_id, const char *otp, struct problem *p) WARN_UNUSED;

/* A new login ticket for the user (ticket: TOKEN_TEXT_LEN + 1). */
bool two_step_ticket_new(struct store *s, const char *user_id, char *ticket, struct problem *p) WARN_UNUSED;
/* Counts a try on a ticket and gives its user; 404 ticket_expired when it is unknown, old or used up. */
bool two_step_ticket_take(struct store *s, const char *ticket, char user_id[ID_LEN + 1], struct problem *p) WARN_UNUSED;
/* Ends a ticket once its login succeeded (best effort: it expires anyway). */
void two_step_ticket_end(struct store *s, const char *ticket);

#endif
