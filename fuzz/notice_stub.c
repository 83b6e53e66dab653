/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * notice_stub.c - the two notice hooks domain/checkin.c calls after a check-in
 * is saved (issue 15), for the fuzz targets that link checkin.c: they fuzz how
 * a request is read and checked, and never save one, so the hooks (which need
 * the store, the reminders and the outbox) are left out rather than linked in.
 */
#include "../src/domain/notice.h"

bool notice_checkin_shared(const struct viewer *v, const struct store_checkin *c)
{
	(void)v;
	(void)c;
	return false;
}

void notice_checkin_saved(struct store *s, const struct viewer *v, const struct store_checkin *c)
{
	(void)s;
	(void)v;
	(void)c;
}
