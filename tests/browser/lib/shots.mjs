// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The phone-size checks and screenshots the browser tests share: the 360 px
// context options, the "no scrolling sideways" assertion, where screenshots go
// (HEARTH_SCREENSHOT_DIR, else a new temporary directory, never inside the
// repository), and the loop that takes a page at desktop and 360 px, light and dark.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** A phone: 360 px wide, touch. */
export const MOBILE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The directory for this run's screenshots. */
export async function screenshotDir() {
  if (process.env.HEARTH_SCREENSHOT_DIR) {
    await mkdir(process.env.HEARTH_SCREENSHOT_DIR, { recursive: true });
    return process.env.HEARTH_SCREENSHOT_DIR;
  }
  return mkdtemp(path.join(os.tmpdir(), 'hearth-screenshots-'));
}

/** The page, as it is now, does not scroll sideways at 360 px; the message names what sticks out. */
export async function assertNoHorizontalScroll(page, label) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  const wide = scrollWidth > 360 ? await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > 361)
    .slice(0, 5)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''}`
      + ` right=${Math.round(e.getBoundingClientRect().right)}`)) : [];
  assert.ok(scrollWidth <= 360,
    `${label}: scrollWidth ${scrollWidth} > 360 (clientWidth ${clientWidth}); too wide: ${wide.join(', ')}`);
}

/**
 * Screenshots `${name}-desktop-${scheme}.png` and `${name}-360-${scheme}.png` in dir,
 * light and dark, with no sideways scrolling at 360 px. load() (re)loads the page for
 * each scheme; the page is left at its own size, light.
 */
export async function screenshotSizes(page, dir, name, { load = () => page.reload(), label = name } = {}) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await load();
    await page.screenshot({ path: path.join(dir, `${name}-desktop-${scheme}.png`), fullPage: true });
    const vp = page.viewportSize();
    await page.setViewportSize(MOBILE.viewport);
    await assertNoHorizontalScroll(page, `${label} (${scheme})`);
    await page.screenshot({ path: path.join(dir, `${name}-360-${scheme}.png`), fullPage: true });
    await page.setViewportSize(vp);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
