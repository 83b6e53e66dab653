// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The set-up most browser suites share: a throw-away server with its base URL,
// one browser, and the directory for this run's screenshots; and the tear-down
// that closes the browser before it stops the server. A suite keeps its own
// variables (`({ server, base, browser, shots } = await openSuite())` in its
// `before`), so its tests read as they did.
import { launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';
import { screenshotDir } from './shots.mjs';

/** A server (startServer's options, e.g. {env}), its base URL, a browser, and the screenshot directory. */
export async function openSuite(serverOptions = {}) {
  const server = await startServer(serverOptions);
  let browser;
  try {
    browser = await launchBrowser();
    return { server, base: server.baseURL, browser, shots: await screenshotDir() };
  } catch (e) {
    // The suite's `after` never sees this server: stop it here.
    await browser?.close();
    await server.stop();
    throw e;
  }
}

/** Closes what openSuite opened; either may be missing when the set-up failed. */
export async function closeSuite({ server, browser } = {}) {
  await browser?.close();
  await server?.stop();
}
