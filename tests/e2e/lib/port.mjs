// SPDX-License-Identifier: AGPL-3.0-or-later
//
// A free TCP port on 127.0.0.1 for a server a test starts, taken from below the kernel's
// ephemeral range (net.ipv4.ip_local_port_range). A port the kernel hands out for `listen(0)`
// comes from that range, which is also where every outgoing connection takes its source port:
// with four files at a time, two suites side by side and hundreds of connections to
// PostgreSQL, one took a port in the moment between a test asking for it and its server
// binding it ("cannot serve metrics on 127.0.0.1:37927: Address already in use"). Below the
// range only listeners take ports; the port is chosen at random so that files asking at the
// same time rarely pick the same one, and one that is taken is skipped.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';

const LOW = 10000;
const EPHEMERAL_LOW = (() => {
  try {
    const n = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(n) && n > LOW + 1000 ? n : 32768;
  } catch {
    return 32768;
  }
})();

/** Whether PORT on 127.0.0.1 can be listened on now. */
function canListen(port) {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.unref();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port on 127.0.0.1 nothing listens on, from LOW up to below the ephemeral range. */
export async function freePort() {
  for (let tries = 0; tries < 1000; tries += 1) {
    const port = randomInt(LOW, EPHEMERAL_LOW);
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port on 127.0.0.1 in ${LOW}-${EPHEMERAL_LOW - 1}`);
}
