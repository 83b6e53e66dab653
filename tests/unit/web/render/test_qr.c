/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * test_qr.c - unit tests for web/render/qr.c: the path drawn is exactly the
 * symbol libqrencode made (every dark module covered once, no light one),
 * inside a quiet zone of four modules; the label is escaped; text too long for
 * any QR code and a buffer cap that is too small are failures, not truncation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"
#include "web/render/qr.h"

static const char uri[] = "otpauth://totp/hearth:ann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=hearth"
                          "&algorithm=SHA1&digits=6&period=30";

/* Paints the rectangles of the path d="..." into grid (size x size); false on anything unexpected. */
static bool paint(const char *d, unsigned char *grid, int size)
{
	while (*d && *d != '"') {
		int x, y, w, back, used = 0;
		if (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &w, &back, &used) != 4 || used == 0 || w != back || w < 1)
			return false;
		if (x < 0 || y < 0 || x + w > size || y >= size)
			return false;
		for (int i = 0; i < w; i++) {
			if (grid[y * size + x + i])
				return false; /* painted twice */
			grid[y * size + x + i] = 1;
		}
		d += used;
	}
	return *d == '"';
}

static void draws_the_symbol(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(qr_svg(&out, uri, "QR code"), 0);
	QRcode *code = QRcode_encodeString(uri, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	assert_non_null(code);
	int size = code->width + 8;
	char head[128];
	snprintf(head, sizeof head, "viewBox=\"0 0 %d %d\"", size, size);
	assert_non_null(strstr(out.data, head));
	assert_true(strncmp(out.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_true(strcmp(out.data + out.len - 6, "</svg>") == 0);
	const char *d = strstr(out.data, " d=\"");
	assert_non_null(d);
	unsigned char *grid = calloc((size_t)size * (size_t)size, 1);
	assert_true(paint(d + 4, grid, size));
	for (int y = 0; y < size; y++)
		for (int x = 0; x < size; x++) {
			bool inside = x >= 4 && y >= 4 && x < size - 4 && y < size - 4;
			bool dark = inside && (code->data[(y - 4) * code->width + (x - 4)] & 1);
			if (grid[y * size + x] != dark)
				fail_msg("module %d,%d: drawn %d, symbol %d", x, y, grid[y * size + x], dark);
		}
	free(grid);
	QRcode_free(code);
	buf_cleanup(&out);
}

static void label_escaped(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 1 << 20);
	assert_int_equal(qr_svg(&out, "x", "a \"quoted\" <label> & more"), 0);
	assert_non_null(strstr(out.data, "aria-label=\"a &quot;quoted&quot; &lt;label&gt; &amp; more\""));
	assert_null(strstr(out.data, "<label>"));
	buf_cleanup(&out);
}

static void failures(void **state)
{
	(void)state;
	struct buf out;
	buf_init(&out, 200); /* far too small for any symbol */
	assert_int_equal(qr_svg(&out, uri, "QR code"), -1);
	buf_cleanup(&out);
	/* more than a version-40 symbol holds at level M (2331 bytes) */
	char *big = malloc(4000);
	memset(big, 'a', 3999);
	big[3999] = '\0';
	buf_init(&out, 1 << 20);
	assert_int_equal(qr_svg(&out, big, "QR code"), -1);
	buf_cleanup(&out);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(draws_the_symbol),
	    cmocka_unit_test(label_escaped),
	    cmocka_unit_test(failures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
