/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * ics.h - a person's private reminder calendar as iCalendar (RFC 5545), the
 * feed at /calendar/{token}.ics that their calendar app subscribes to.
 */
#ifndef HEARTH_ICS_H
#define HEARTH_ICS_H

#include "../../domain/reminder.h"
#include "../../util/util.h"

/*
 * Writes the calendar of the reminders in rs that are set: one weekly event
 * per reminder on its days (RRULE BYDAY) at its time of day as floating local
 * time (RFC 5545 3.3.5: the time on the person's own clock, wherever they
 * are), five minutes long, shown as free, with a display alarm at its start;
 * its summary and the alarm's words are the person's own words, escaped
 * (the default words, and the calendar's name, in the owner's language l).
 * Event ids are hashes of owner and kind, so they say nothing. Lines end in
 * CRLF and are folded at 75 octets without cutting a character. Returns 0,
 * or -1 when out's cap is reached.
 */
int ics_reminders(struct buf *out, const char *owner, enum lang l,
                  const struct reminder rs[REMINDER_KIND_COUNT]) WARN_UNUSED;

/* One content line (without its CRLF) folded and ended as above, appended to out; -1 at out's cap. */
int ics_line(struct buf *out, const char *line) WARN_UNUSED;

#endif
