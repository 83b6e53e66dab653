/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * template.h - HTML templates compiled into the binary, rendered against a
 * jansson value as context. Every value is escaped for its context by default.
 *
 *   {{name}}          the value, escaped for HTML text and attributes
 *   {{%name}}         the value, percent-encoded for a URL component
 *   {{&name}}         the value raw: only for HTML this program produced itself
 *   {{#name}}..{{/name}}  a section: repeated for each element of an array,
 *                     entered once for an object or any other true value,
 *                     skipped for false, null, "", 0, [] and a missing name
 *   {{^name}}..{{/name}}  the inverse: rendered only when the section would be skipped
 *   {{>name}}         the partial templates/_name.html, with the same context
 *   {{_}}words{{/_}}  a message in the reader's language (util/i18n.h): the words,
 *                     white space folded, are its id; the translation is template
 *                     text drawn with the same context ("Hello, {{name}}");
 *                     {{_ nav}}words{{/_}} is the message in a context (pgettext's)
 *   {{! comment }}
 * Names may be dotted (`user.display_name`, `steps.0.title` for an array
 * element); `.` is the current element.
 * Names are looked up from the innermost section outwards.
 */
#ifndef HEARTH_TEMPLATE_H
#define HEARTH_TEMPLATE_H

#include <jansson.h>
#include <stddef.h>

#include "../util/embedded.h"
#include "../util/i18n.h"
#include "../util/util.h"

/*
 * Renders the template text src[0..len) with ctx into out. Returns 0, or -1
 * on a malformed template (unclosed tag or section) or when out's cap is hit.
 */
int template_render_text(const char *src, size_t len, enum lang lang, json_t *ctx, struct buf *out) WARN_UNUSED;

/* Renders the embedded template templates/NAME.html; -1 also when it does not exist. */
int template_render(const char *name, enum lang lang, json_t *ctx, struct buf *out) WARN_UNUSED;

/* Escapers, one per context; each appends to out and returns 0 or -1 (cap). */
int html_escape(struct buf *out, const char *s, size_t n) WARN_UNUSED;
int url_escape(struct buf *out, const char *s, size_t n) WARN_UNUSED;

#endif
