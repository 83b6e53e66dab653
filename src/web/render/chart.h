/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * chart.h - the trend chart, drawn on the server as SVG so it needs no
 * script: for the trends page and the dashboard (inline), and for
 * GET /api/v1/trends.svg (a document of its own).
 */
#ifndef HEARTH_CHART_H
#define HEARTH_CHART_H

#include <stdbool.h>

#include "../../domain/trends.h"
#include "../../util/util.h"

/*
 * Draws a line chart as SVG into out: a line per series (NULL or empty series
 * are left out), a dated x axis from..to, the metric's scale on y, with
 * <title> and <desc> for screen readers. standalone: a whole SVG document
 * with its own stylesheet that follows the light and dark themes; else for
 * inlining in a page, coloured by the site's CSS. Returns 0, or -1 when out's
 * cap is reached.
 */
int chart_svg(struct buf *out, bool standalone, const char *title, const char *from, const char *to,
              const struct trend_series *mine, const char *mine_name, const struct trend_series *partner,
              const char *partner_name) WARN_UNUSED;

#endif
