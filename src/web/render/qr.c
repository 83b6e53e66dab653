/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * qr.c - a QR code drawn as one SVG path (see qr.h).
 *
 * libqrencode gives a square of modules, one byte each with bit 0 set for a
 * dark one. Each run of dark modules in a row becomes one rectangle of the
 * path ("M x y h n v 1 h -n z"), so a setup code of about 45 x 45 modules is
 * a few kilobytes and scales to any size without blurring.
 */
#include "qr.h"

#include <qrencode.h>
#include <string.h>

#include "../../template/template.h"

#define QUIET_ZONE 4

/* The dark runs of one row of the symbol, as path commands in symbol coordinates. */
static int draw_row(struct buf *out, const QRcode *code, int y)
{
	const unsigned char *row = code->data + (size_t)y * (size_t)code->width;
	for (int x = 0; x < code->width;) {
		if (!(row[x] & 1)) {
			x++;
			continue;
		}
		int start = x;
		while (x < code->width && (row[x] & 1))
			x++;
		if (buf_printf(out, "M%d %dh%dv1h-%dz", start + QUIET_ZONE, y + QUIET_ZONE, x - start, x - start) < 0)
			return -1;
	}
	return 0;
}

int qr_svg(struct buf *out, const char *text, const char *label)
{
	QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!code)
		return -1; /* too long for a QR code (ERANGE), or out of memory */
	int rc = -1;
	int size = code->width + 2 * QUIET_ZONE;
	if (buf_printf(out,
	               "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 %d %d\" width=\"%d\""
	               " height=\"%d\" role=\"img\" aria-label=\"",
	               size, size, size * 5, size * 5) < 0 ||
	    html_escape(out, label, strlen(label)) < 0 ||
	    buf_printf(out,
	               "\" shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>"
	               "<path fill=\"#000000\" d=\"",
	               size, size) < 0)
		goto out;
	for (int y = 0; y < code->width; y++)
		if (draw_row(out, code, y) < 0)
			goto out;
	if (buf_puts(out, "\"/></svg>") < 0)
		goto out;
	rc = 0;
out:
	QRcode_free(code);
	return rc;
}
