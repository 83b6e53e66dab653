// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The phone-size checks and screenshots the browser tests share: the 360 px
// context options, the "no scrolling sideways" assertion, where screenshots go,
// and the loop that takes a page at desktop and 360 px, light and dark.
//
// Screenshots are for a person to look at, so a run takes them only when
// HEARTH_SCREENSHOT_DIR names where they go (never inside the repository). Without it
// the suites make the same checks (axe, 360 px, the Nu HTML Checker) and save no
// pictures: in `make test` nobody opens them, and they were a fifth of the suite's time.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** A phone: 360 px wide, touch. */
export const MOBILE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** Whether this run takes screenshots (HEARTH_SCREENSHOT_DIR is set). */
export const SCREENSHOTS = Boolean(process.env.HEARTH_SCREENSHOT_DIR);

/** The directory for this run's screenshots, made if missing; null when the run takes none. */
export async function screenshotDir() {
  if (!SCREENSHOTS) return null;
  await mkdir(process.env.HEARTH_SCREENSHOT_DIR, { recursive: true });
  return process.env.HEARTH_SCREENSHOT_DIR;
}

/** The whole page as it is now, saved as dir/name; the file, or null when dir is null (no screenshots). */
export async function shoot(page, dir, name) {
  if (!dir) return null;
  const file = path.join(dir, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
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
 * Screenshots `${name}-light.png` and `${name}-dark.png` of the page as it is now (no reload),
 * left light; the files, none when dir is null.
 */
export async function shootSchemes(page, dir, name) {
  if (!dir) return [];
  const files = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    files.push(await shoot(page, dir, `${name}-${scheme}.png`));
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return files;
}

/**
 * Screenshots `${name}-desktop-${scheme}.png` and `${name}-360-${scheme}.png` in dir,
 * light and dark, with no sideways scrolling at 360 px. load() (re)loads the page for
 * each scheme; the page is left at its own size, light. With no dir (no screenshots),
 * only the light scheme is loaded and checked: the dark one was for the pictures.
 */
export async function screenshotSizes(page, dir, name, { load = () => page.reload(), label = name } = {}) {
  for (const scheme of dir ? ['light', 'dark'] : ['light']) {
    await page.emulateMedia({ colorScheme: scheme });
    await load();
    await shoot(page, dir, `${name}-desktop-${scheme}.png`);
    const vp = page.viewportSize();
    await page.setViewportSize(MOBILE.viewport);
    await assertNoHorizontalScroll(page, `${label} (${scheme})`);
    await shoot(page, dir, `${name}-360-${scheme}.png`);
    await page.setViewportSize(vp);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
