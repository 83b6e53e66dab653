// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Crash safety: six clients (three couples) write check-ins in loops while the
// server is killed with SIGKILL at random moments, six times, and restarted on
// the same data directory. Every acknowledged write (201 for a check-in, 204
// for a delete) must hold afterwards: the check-in is readable by its author
// with the texts it was written with, listed, visible to the partner when
// shared; an acknowledged delete stays deleted. `hearth check` passes on the
// crashed directory and after a clean stop (docs/internals.md: "a commit is on
// disk before the response is sent"). A request cut off by the kill is not
// acknowledged and may or may not be present.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startServer, runCli, sleep, TEST_TIMEOUT } from './lib/server.mjs';

const KILLS = 6;
const VIS = ['private', 'partner', 'therapist'];

let srv;
// {user, partner, acked: Map id -> body, deleted: Set id, uncertain: Map id -> body (a delete was cut off)}
const clients = [];

before(async () => {
  srv = await startServer();
  for (let i = 0; i < 3; i++) {
    const { a, b } = await srv.makeCouple(`crash${i}`);
    const ca = { user: a, acked: new Map(), deleted: new Set(), uncertain: new Map() };
    const cb = { user: b, acked: new Map(), deleted: new Set(), uncertain: new Map() };
    ca.partner = cb;
    cb.partner = ca;
    clients.push(ca, cb);
  }
}, { timeout: TEST_TIMEOUT });

after(async () => { if (srv) await srv.stop(); }, { timeout: TEST_TIMEOUT });

async function listAll(token, author) {
  const ids = [];
  let q = `/api/v1/checkins?author=${author}&limit=100`;
  for (let i = 0; i < 1000; i++) {
    const r = await srv.api('GET', q, { token });
    assert.equal(r.status, 200, `${q}: ${r.status} ${r.text}`);
    ids.push(...r.json.items.map((c) => c.id));
    if (r.json.next === null) return ids;
    q = `/api/v1/checkins?author=${author}&limit=100&before=${encodeURIComponent(r.json.next)}`;
  }
  throw new Error('too many pages');
}

const TEXT_FIELDS = ['appreciation', 'need', 'worry'];
const FIELDS = ['mood', 'connection', 'secure', ...TEXT_FIELDS, 'visibility'];

test(`every acknowledged write survives ${KILLS} kill -9 at random moments during concurrent writes`, { timeout: TEST_TIMEOUT }, async (t) => {
  let stop = false;
  let generation = 0; // bumped after each restart
  const unexpected = [];
  let refusedConn = 0;
  let busy = 0;

  const client = async (c, w) => {
    for (let i = 0; !stop && i < 100000; i++) {
      const gen = generation;
      // Mostly writes; now and then delete one of our own acknowledged check-ins.
      if (i % 7 === 6 && c.acked.size > 0) {
        const id = [...c.acked.keys()][Math.floor(Math.random() * c.acked.size)];
        let r;
        try {
          r = await srv.api('DELETE', `/api/v1/checkins/${id}`, { token: c.user.token });
        } catch {
          // Cut off: the delete may or may not have happened.
          c.uncertain.set(id, c.acked.get(id));
          c.acked.delete(id);
          refusedConn++;
          await sleep(25);
          continue;
        }
        if (r.status === 204) { c.acked.delete(id); c.deleted.add(id); }
        else if (r.status === 404 && c.deleted.has(id)) { /* a retry of an already-acknowledged delete */ }
        else if (r.status === 503) busy++;
        else unexpected.push(`DELETE (gen ${gen}): ${r.status} ${r.text.slice(0, 200)}`);
        continue;
      }
      const tag = crypto.randomBytes(6).toString('hex');
      const body = {
        mood: (i % 5) + 1,
        connection: i % 11,
        secure: (w + i) % 11,
        appreciation: `thanks ${w}/${i} ${tag}`,
        need: i % 3 ? `need ${tag} — ünïcødé ✓` : undefined,
        worry: i % 2 ? `worry ${tag}` : undefined,
        visibility: VIS[i % 3],
      };
      let r;
      try {
        r = await srv.api('POST', '/api/v1/checkins', { token: c.user.token, body });
      } catch {
        // Connection refused or reset: the server is down or was killed mid-request.
        refusedConn++;
        await sleep(25);
        continue;
      }
      if (r.status === 201) {
        assert.ok(r.json && typeof r.json.id === 'string', `201 without an id: ${r.text}`);
        c.acked.set(r.json.id, body);
      } else if (r.status === 503) {
        busy++;
      } else {
        unexpected.push(`POST (gen ${gen}): ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  };

  const running = clients.map(client);
  const ackedTotal = () => clients.reduce((n, c) => n + c.acked.size, 0);
  let checkedCrashedDir = false;
  try {
    for (let k = 0; k < KILLS; k++) {
      // Let the clients write for a random while (bounded), then kill.
      const start = ackedTotal();
      const wantMore = 5 + Math.floor(Math.random() * 40);
      const deadline = Date.now() + 30000;
      while (ackedTotal() < start + wantMore && Date.now() < deadline) await sleep(5);
      await sleep(Math.floor(Math.random() * 40));
      assert.ok(ackedTotal() > start, `round ${k}: no write was acknowledged in 30 s; log:\n${srv.log.slice(-2000)}`);
      const ex = await srv.kill9();
      assert.equal(ex.signal, 'SIGKILL', `round ${k}: the server had already exited: ${JSON.stringify(ex)}`);
      if (k === KILLS - 1) {
        // The crashed directory itself (WAL not checkpointed) passes the integrity check.
        const chk = runCli(['--data', srv.dataDir, 'check']);
        assert.equal(chk.status, 0, `check right after kill -9: exit ${chk.status}\nstdout: ${chk.stdout}\nstderr: ${chk.stderr}`);
        checkedCrashedDir = true;
      }
      await srv.restart();
      generation++;
    }
    // A little more writing after the last restart.
    const start = ackedTotal();
    const deadline = Date.now() + 30000;
    while (ackedTotal() < start + 10 && Date.now() < deadline) await sleep(5);
  } finally {
    stop = true;
    await Promise.all(running);
  }
  assert.ok(checkedCrashedDir);
  t.diagnostic(`acknowledged ${ackedTotal()} check-ins, ${clients.reduce((n, c) => n + c.deleted.size, 0)} deletes; ${refusedConn} requests cut off or refused; ${busy} answered 503`);
  assert.deepEqual(unexpected, [], 'every answer was 201/204 or 503');

  for (const [w, c] of clients.entries()) {
    const me = await srv.api('GET', '/api/v1/me', { token: c.user.token });
    assert.equal(me.status, 200, `client ${w}: the session survives the crashes`);
    const mine = new Set(await listAll(c.user.token, 'me'));
    const missing = [...c.acked.keys()].filter((id) => !mine.has(id));
    assert.deepEqual(missing, [], `client ${w}: ${missing.length} of ${c.acked.size} acknowledged check-ins are not listed`);
    const resurrected = [...c.deleted].filter((id) => mine.has(id));
    assert.deepEqual(resurrected, [], `client ${w}: acknowledged deletes came back`);
    const theirs = new Set(await listAll(c.partner.user.token, 'partner'));
    for (const [id, body] of c.acked) {
      const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: c.user.token });
      assert.equal(r.status, 200, `client ${w}: GET ${id}: ${r.status} ${r.text}`);
      assert.equal(r.json.author_id, c.user.id);
      for (const f of FIELDS) {
        assert.equal(r.json[f] ?? null, body[f] ?? null, `client ${w}: check-in ${id}: ${f}`);
      }
      if (body.visibility !== 'private') {
        assert.ok(theirs.has(id), `client ${w}: the partner lists shared check-in ${id}`);
      } else {
        assert.ok(!theirs.has(id), `client ${w}: the partner does not list private check-in ${id}`);
      }
    }
    for (const [id, body] of c.uncertain) {
      // A delete was cut off by a kill: gone (404) or intact, nothing in between.
      const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: c.user.token });
      assert.ok([200, 404].includes(r.status), `client ${w}: GET ${id} after a cut-off delete: ${r.status}`);
      assert.equal(mine.has(id), r.status === 200, `client ${w}: listing and GET agree on ${id}`);
      if (r.status === 200) for (const f of FIELDS) assert.equal(r.json[f] ?? null, body[f] ?? null, `client ${w}: ${id}: ${f}`);
    }
    for (const id of c.deleted) {
      const r = await srv.api('GET', `/api/v1/checkins/${id}`, { token: c.user.token });
      assert.equal(r.status, 404, `client ${w}: deleted ${id} stays deleted`);
    }
  }
});

test('after the crashes: SIGTERM exits 0 and `hearth check` exits 0', { timeout: TEST_TIMEOUT }, async () => {
  const ex = await srv.terminate();
  assert.deepEqual(ex, { code: 0, signal: null }, `SIGTERM exit; log:\n${srv.log.slice(-2000)}`);
  const r = runCli(['--data', srv.dataDir, 'check']);
  assert.equal(r.status, 0, `check: exit ${r.status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
});
