/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * smtp.h - sending one message through the operator's mail server with
 * libcurl (issue 15): HEARTH_SMTP_URL (smtp:// with STARTTLS when the server
 * offers it, or smtps://), HEARTH_SMTP_USER and the password from
 * HEARTH_SMTP_PASSWORD_FILE, the envelope sender from HEARTH_SMTP_FROM.
 */
#ifndef HEARTH_SMTP_H
#define HEARTH_SMTP_H

#include <stddef.h>

#include "../domain/email.h"

struct smtp_transport {
	const char *url;
	const char *user;     /* NULL: no login */
	const char *password; /* with user */
};

/* The mail_settings send function: m->transport is a struct smtp_transport. */
int smtp_send(const struct mail_settings *m, const char *to, const char *message, char *err, size_t err_len);

#endif
