// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The suites' free ports (lib/port.mjs): below the kernel's ephemeral range, where no outgoing
// connection takes its source port, and never one something already listens on.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { freePort } from './lib/port.mjs';

const ephemeralLow = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

const listen = (port) => new Promise((resolve, reject) => {
  const s = net.createServer();
  s.once('error', reject);
  s.listen(port, '127.0.0.1', () => resolve(s));
});

test('a free port is below the ephemeral range, can be listened on, and is never one in use', async () => {
  const held = [];
  try {
    for (let i = 0; i < 50; i += 1) {
      const port = await freePort();
      assert.ok(port >= 10000 && port < ephemeralLow, `${port} is in 10000..${ephemeralLow - 1}`);
      held.push(await listen(port)); // fails with EADDRINUSE if a held port came back
    }
    assert.equal(new Set(held.map((s) => s.address().port)).size, 50, 'fifty different ports while all are held');
  } finally {
    await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  }
});

test('an outgoing connection takes its source port from the ephemeral range, not from where freePort looks', async () => {
  const srv = await listen(await freePort());
  try {
    const sock = net.connect(srv.address().port, '127.0.0.1');
    await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
    assert.ok(sock.localPort >= ephemeralLow, `source port ${sock.localPort} is at or above ${ephemeralLow}`);
    sock.destroy();
  } finally {
    await new Promise((r) => srv.close(r));
  }
});
