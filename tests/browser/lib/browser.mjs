// Launches Debian's chromium through playwright-core (no browser download)
// and makes contexts that can only reach loopback addresses.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.HEARTH_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

function isLoopback(urlString) {
  let u;
  try { u = new URL(urlString); } catch { return false; }
  if (u.protocol === 'data:' || u.protocol === 'about:' || u.protocol === 'blob:') return true;
  const h = u.hostname;
  return h === 'localhost' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** A new context whose requests to anything but loopback are aborted. */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'en-GB', ...options });
  context.setDefaultTimeout(15000);
  context.setDefaultNavigationTimeout(15000);
  await context.route('**/*', (route) => {
    if (isLoopback(route.request().url())) return route.continue();
    return route.abort('blockedbyclient');
  });
  return context;
}
