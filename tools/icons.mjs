// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Draws the installable app's PNG icons (static/icon-192.png, static/icon-512.png) from
// static/icon.svg with the Chromium the browser tests use. Run once after changing the SVG
// (`node tools/icons.mjs`) and commit the PNGs: the build only embeds them.
import fs from 'node:fs';
import { launchBrowser } from '../tests/browser/lib/browser.mjs';

const root = new URL('../', import.meta.url);
const svg = fs.readFileSync(new URL('static/icon.svg', root), 'utf8');
const browser = await launchBrowser();
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<!doctype html><style>html,body{margin:0}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`);
    fs.writeFileSync(new URL(`static/icon-${size}.png`, root), await page.screenshot({ type: 'png' }));
    await page.close();
  }
} finally {
  await browser.close();
}
