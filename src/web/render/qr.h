/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * qr.h - a QR code as SVG (libqrencode), for the setup of two-step login: the
 * page shows it inline and POST /api/v1/me/two-step returns it as qr_svg.
 */
#ifndef HEARTH_QR_H
#define HEARTH_QR_H

#include "../../util/util.h"

/*
 * Draws text as a QR code (error correction M, a quiet zone of four modules)
 * into out: one <svg> element, black on white whatever the page's colours
 * (scanners need the contrast), with label as its accessible name (escaped
 * here). Returns 0, or -1 when the text cannot be encoded or out's cap is
 * reached.
 */
int qr_svg(struct buf *out, const char *text, const char *label) WARN_UNUSED;

#endif
