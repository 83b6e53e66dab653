// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Reminders by web push (issue 15), against a real push endpoint on loopback that records every
// message and decrypts it with the subscription's own keys (npm http_ece, RFC 8291/8188), with
// the push thread's clock moved forward through the test-only HEARTH_TEST_CLOCK_FILE and loopback
// endpoints allowed by HEARTH_TEST_PUSH_LOOPBACK=1 (both compiled in by `make`, never in the Debian
// package). What is asserted:
// - GET /push/key is the server's VAPID key, a P-256 point;
// - a reminder arrives once at its local time (the person's zone), decrypts to the person's words
//   and nothing else, padded to one length, with TTL, Urgency and a VAPID JWT whose ES256
//   signature verifies under that key, its audience the endpoint's origin, its expiry within 24 h;
// - an endpoint that answers 410 loses its subscription; the other device still gets its message;
// - a subscription is its owner's alone: the partner and others neither see nor delete it (404);
// - bad input is refused with every invalid field at once; an address that is not a public https
//   host is refused, and loopback only when the test setting asks for it;
// - push is offered, and a reminder by push needs a device first (409 no_push_device);
// - quiet hours hold a reminder and a notice by push until they end, then each comes once;
// - notices of the partner's activity come by push after a shared check-in, never a private one,
//   with only the chosen words, one of a kind an hour, and need a device first as reminders do;
// - the endpoint and keys are sealed at rest.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import ece from 'http_ece';
import { startServer, assertError, sleep, TEST_TIMEOUT } from './lib/server.mjs';
import { EVERY_DAY, outboxFixture, waitFor, setClock, berlinAt } from './lib/outbox.mjs';

const T = { timeout: TEST_TIMEOUT };
// The push endpoint (box.push: received {path, method, headers, body}; answers path -> status, 201
// unless set) and the clock directory, for every test here.
const box = outboxFixture(T, { push: true });

/** Starts hearth with the clock at clockFile and loopback push endpoints allowed; srv.env is its environment. */
async function pushServer(clockFile) {
  const { srv, env } = await box.start(clockFile);
  srv.env = env;
  return srv;
}

/** A browser's side of a subscription: its key pair and auth secret, and the JSON it would post. */
function device(name) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  const url = `http://127.0.0.1:${box.push.port}/push/${name}-${crypto.randomBytes(6).toString('hex')}`;
  return {
    ecdh, auth, url, path: new URL(url).pathname,
    json: { endpoint: url, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
    messages: () => box.push.received.filter((m) => m.path === new URL(url).pathname),
    open: (m) => ece.decrypt(m.body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth.toString('base64url') }).toString('utf8'),
  };
}

/** Checks the VAPID Authorization header (RFC 8292): an ES256 JWT signed by the server's key. */
function checkVapid(header, serverKey, origin) {
  const m = /^vapid t=([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+), k=([A-Za-z0-9_-]+)$/.exec(header);
  assert.ok(m, `the Authorization header: ${header}`);
  assert.equal(m[4], serverKey, 'k is the key GET /push/key gives');
  assert.deepEqual(JSON.parse(Buffer.from(m[1], 'base64url')), { typ: 'JWT', alg: 'ES256' });
  const point = Buffer.from(serverKey, 'base64url');
  const key = crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, format: 'jwk' });
  const signed = Buffer.from(`${m[1]}.${m[2]}`);
  const sig = Buffer.from(m[3], 'base64url');
  assert.ok(crypto.verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, sig), 'the ES256 signature verifies');
  const bad = Buffer.from(sig); bad[3] ^= 1;
  assert.ok(!crypto.verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, bad), 'a changed signature does not');
  const claims = JSON.parse(Buffer.from(m[2], 'base64url'));
  assert.equal(claims.aud, origin);
  assert.ok(claims.exp > Date.now() / 1000 && claims.exp <= Date.now() / 1000 + 24 * 3600, `exp within 24 h: ${claims.exp}`);
  assert.match(claims.sub, /^(mailto:|https:)/);
}

test('a reminder arrives once at its local time, encrypted to the device, with only the person\'s words; 410 removes a device', T, async () => {
  const clock = box.clock('one');
  const srv = await pushServer(clock);
  try {
    assertError(await srv.call(null, 'GET', '/api/v1/push/key'), 401, 'unauthenticated');
    const { a, b } = await srv.makeCouple('push');
    await srv.ok(a, 'PATCH', '/api/v1/me', { time_zone: 'Europe/Berlin' });
    const { vapid_public_key: serverKey } = await srv.ok(a, 'GET', '/api/v1/push/key');
    const point = Buffer.from(serverKey, 'base64url');
    assert.equal(point.length, 65);
    assert.equal(point[0], 4, 'an uncompressed P-256 point');
    assert.equal((await srv.ok(b, 'GET', '/api/v1/push/key')).vapid_public_key, serverKey, 'one key for the server');

    assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/reminders')).channels_available, ['calendar'], 'push once there is a device');
    const r = await srv.call(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['push'], time: '08:00', days: ['mon'] });
    assertError(r, 409, 'no_push_device');
    assert.match(r.json.error.message, /device/);

    const phone = device('phone');
    const gone = device('gone');
    box.push.answers.set(gone.path, 410);
    const { id } = await srv.ok(a, 'POST', '/api/v1/push/subscriptions', phone.json, 201);
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal((await srv.ok(a, 'POST', '/api/v1/push/subscriptions', phone.json, 201)).id, id, 'the same device again keeps its id');
    const goneId = (await srv.ok(a, 'POST', '/api/v1/push/subscriptions', gone.json, 201)).id;
    assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/reminders')).channels_available, ['push', 'calendar']);
    const list = await srv.ok(a, 'GET', '/api/v1/push/subscriptions');
    assert.deepEqual(list.items.map((d) => d.id).sort(), [id, goneId].sort());
    assert.equal(list.items[0].push_service, '127.0.0.1');
    assert.equal(list.next, null);
    // The person's export lists the devices as the list does, never the browser's endpoint or keys;
    // the partner's lists none of them.
    const exp = await srv.call(a, 'GET', '/api/v1/me/export');
    assert.deepEqual(exp.json.push_devices, list.items);
    for (const secret of [phone.url, phone.json.keys.auth, phone.json.keys.p256dh, 'push/phone']) assert.ok(!exp.text.includes(secret), `not in the export: ${secret}`);
    assert.deepEqual((await srv.ok(b, 'GET', '/api/v1/me/export')).push_devices, []);

    // Sealed at rest: no endpoint, no key in clear.
    const rows = srv.sql('SELECT endpoint_hash, subscription FROM push_subscriptions');
    for (const secret of [phone.url, phone.json.keys.auth, phone.json.keys.p256dh, 'push/phone']) assert.ok(!rows.includes(secret), `not in clear: ${secret}`);

    const when = berlinAt(Date.now(), 90);
    const words = 'Tee und Ruhe, ein Moment für dich';
    await srv.ok(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['push', 'calendar'], time: when.hhmm, days: EVERY_DAY, text: words });
    setClock(clock, when.at - 60000);
    await sleep(400);
    assert.equal(phone.messages().length, 0, 'nothing before its time');
    setClock(clock, when.at + 30000);
    const [msg] = await waitFor('the reminder', () => phone.messages().length >= 1 && phone.messages()).catch((e) => {
      console.log(srv.sql('SELECT kind, occurrence, due_at, attempts, last_error, sent_at FROM push_outbox'), srv.log.slice(-2000));
      throw e;
    });
    await waitFor('the 410', () => gone.messages().length >= 1);
    await sleep(400);
    assert.equal(phone.messages().length, 1, 'sent once, not at every tick');
    assert.equal(msg.method, 'POST');
    assert.equal(msg.headers.ttl, '3600');
    assert.equal(msg.headers.urgency, 'normal');
    assert.equal(msg.headers['content-encoding'], 'aes128gcm');
    assert.equal(msg.headers['content-type'], 'application/octet-stream');
    checkVapid(msg.headers.authorization, serverKey, `http://127.0.0.1:${box.push.port}`);
    assert.equal(phone.open(msg), words, 'the person\'s words, and nothing else');
    assert.equal(msg.body.length, 86 + 240 + 1 + 16, 'padded: the length tells nothing of the words');
    const clear = msg.body.toString('latin1');
    for (const said of [words, a.display_name, b.display_name, 'checkin']) assert.ok(!clear.includes(said), `nothing in clear: ${said}`);

    // The device that answered 410 is gone, and so is what was queued for it; the phone stays.
    await waitFor('the gone device removed', () => srv.sql(`SELECT count(*) FROM push_subscriptions WHERE id = '${goneId}'`) === '0');
    const left = (await srv.ok(a, 'GET', '/api/v1/push/subscriptions')).items.map((d) => d.id);
    assert.deepEqual(left, [id]);
    assert.equal(srv.sql(`SELECT count(*) FROM push_outbox WHERE subscription_id = '${goneId}'`), '0');
    assert.equal(gone.messages().length, 1, 'tried once');

    // The next day's occurrence comes again, once; turned off, nothing more.
    setClock(clock, when.at + 24 * 3600000 + 30000);
    await waitFor('the next day\'s reminder', () => phone.messages().length >= 2);
    await srv.ok(a, 'DELETE', '/api/v1/reminders/checkin', undefined, 204);
    setClock(clock, when.at + 2 * 24 * 3600000 + 30000);
    await sleep(600);
    assert.equal(phone.messages().length, 2, 'nothing after the reminder is off');
  } finally {
    await srv.stop();
  }
});

test('quiet hours hold a reminder and a notice by push until they end; each comes once', T, async () => {
  const clock = box.clock('quiet');
  const srv = await pushServer(clock);
  try {
    const { a, b } = await srv.makeCouple('pquiet');
    await srv.ok(a, 'PATCH', '/api/v1/me', { time_zone: 'Europe/Berlin' });
    const watch = device('watch');
    await srv.ok(a, 'POST', '/api/v1/push/subscriptions', watch.json, 201);
    // A window around now in Berlin (it may cross midnight, whenever the test runs).
    const from = berlinAt(Date.now(), -60);
    const end = berlinAt(Date.now(), 120);
    await srv.ok(a, 'PUT', '/api/v1/me/quiet-hours', { from: from.hhmm, to: end.hhmm });
    await srv.ok(a, 'PUT', '/api/v1/me/notices', { kinds: ['checkin'], channels: ['push'] });
    const when = berlinAt(Date.now(), 30);
    await srv.ok(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['push'], time: when.hhmm, days: EVERY_DAY, text: 'Quiet tea' });

    await srv.ok(b, 'POST', '/api/v1/checkins', { mood: 4, connection: 4, secure: 4, appreciation: 'held words', visibility: 'partner' }, 201);
    const due = (kind) => srv.sql(`SELECT due_at FROM push_outbox WHERE user_id = '${a.id}' AND kind = '${kind}'`);
    await waitFor('the notice held', () => due('notice_checkin') === String(end.at));
    setClock(clock, when.at + 30000);
    await waitFor('the reminder held', () => due('checkin') === String(end.at));
    assert.equal(watch.messages().length, 0, 'nothing in quiet hours');
    assert.equal(srv.sql(`SELECT attempts FROM push_outbox WHERE user_id = '${a.id}' AND kind = 'checkin'`), '0', 'holding is not an attempt');
    setClock(clock, end.at - 60000);
    await sleep(400);
    assert.equal(watch.messages().length, 0, 'nothing a minute before they end');
    setClock(clock, end.at + 20000);
    const got = await waitFor('both after quiet hours', () => watch.messages().length >= 2 && watch.messages());
    await sleep(500);
    assert.equal(watch.messages().length, 2, 'each once');
    assert.deepEqual(got.map((m) => watch.open(m)).sort(), ['Quiet tea', 'Something new in hearth']);
    for (const m of got) assert.equal(m.body.length, 86 + 240 + 1 + 16, 'one length for every message');
  } finally {
    await srv.stop();
  }
});

test('notices by push: one after the partner\'s shared check-in, none after a private one; only the chosen words', T, async () => {
  const clock = box.clock('notice');
  const srv = await pushServer(clock);
  try {
    const { a, b } = await srv.makeCouple('pnote');
    const phone = device('nphone');
    // A notice by push needs a device first, as a reminder by push does.
    assertError(await srv.call(a, 'PUT', '/api/v1/me/notices', { kinds: ['checkin'], channels: ['push'] }), 409, 'no_push_device', 'channels');
    await srv.ok(a, 'POST', '/api/v1/push/subscriptions', phone.json, 201);
    const on = await srv.ok(a, 'PUT', '/api/v1/me/notices', { kinds: ['checkin', 'prompt'], channels: ['push'], wording: 'named' });
    assert.deepEqual(on.channels, ['push']);
    assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/reminders')).notices.channels, ['push']);

    const secret = 'a worry kept to myself';
    const priv = await srv.ok(b, 'POST', '/api/v1/checkins', { mood: 2, connection: 3, secure: 3, appreciation: secret, visibility: 'private' }, 201);
    await sleep(600);
    assert.equal(phone.messages().length, 0, 'nothing after a private check-in');
    assert.equal(srv.sql(`SELECT count(*) FROM push_outbox WHERE user_id = '${a.id}'`), '0');

    const shared = 'thanks for the walk';
    await srv.ok(b, 'POST', '/api/v1/checkins', { mood: 4, connection: 4, secure: 4, appreciation: shared, visibility: 'partner' }, 201);
    const [m] = await waitFor('the notice', () => phone.messages().length >= 1 && phone.messages());
    assert.equal(phone.open(m), `${b.display_name} shared a check-in`, 'the named words, nothing anyone wrote');
    assert.equal(m.body.length, 86 + 240 + 1 + 16, 'padded as a reminder is');
    const clear = m.body.toString('latin1');
    for (const said of [shared, secret, b.display_name, 'check-in']) assert.ok(!clear.includes(said), `nothing in clear: ${said}`);
    // Within the hour, another of the kind waits for its end, and comes then, once.
    await srv.ok(b, 'PATCH', `/api/v1/checkins/${priv.id}`, { visibility: 'partner' });
    await sleep(600);
    assert.equal(phone.messages().length, 1, 'one of a kind an hour');
    setClock(clock, Date.now() + 61 * 60000);
    await waitFor('the second notice after the hour', () => phone.messages().length >= 2);
    await sleep(500);
    assert.equal(phone.messages().length, 2, 'once');
    // a's own action tells b nothing (b has notices off); turned off, nothing more comes to a.
    await srv.ok(a, 'DELETE', '/api/v1/me/notices', undefined, 204);
    const day = await srv.ok(b, 'GET', '/api/v1/prompts/today');
    await srv.ok(b, 'POST', `/api/v1/prompts/${day.id}/answer`, { text: 'by the sea' }, 201);
    await sleep(600);
    assert.equal(phone.messages().length, 2, 'nothing once notices are off');
  } finally {
    await srv.stop();
  }
});

test('a break\'s end by push: the message comes when the break is over', T, async () => {
  const clock = box.clock('break');
  const srv = await pushServer(clock);
  try {
    const a = await srv.signUp('pbrk');
    const tablet = device('tablet');
    await srv.ok(a, 'POST', '/api/v1/push/subscriptions', tablet.json, 201);
    await srv.ok(a, 'PUT', '/api/v1/reminders/break_over', { channels: ['push'], text: 'Welcome back, gently' });
    const brk = await srv.ok(a, 'POST', '/api/v1/breaks', { minutes: 20 }, 201);
    setClock(clock, Date.parse(brk.until) - 60000);
    await sleep(400);
    assert.equal(tablet.messages().length, 0, 'nothing while the break runs');
    setClock(clock, Date.parse(brk.until) + 30000);
    const [m] = await waitFor('the break_over message', () => tablet.messages().length >= 1 && tablet.messages());
    assert.equal(tablet.open(m), 'Welcome back, gently');
    await sleep(400);
    assert.equal(tablet.messages().length, 1, 'once');
  } finally {
    await srv.stop();
  }
});

test('kill -9 between claiming a message and sending it: after the restart it is sent, once', T, async () => {
  const clock = box.clock('kill');
  const srv = await pushServer(clock);
  try {
    const a = await srv.signUp('pkill');
    await srv.ok(a, 'PATCH', '/api/v1/me', { time_zone: 'Europe/Berlin' });
    const laptop = device('laptop');
    await srv.ok(a, 'POST', '/api/v1/push/subscriptions', laptop.json, 201);
    const when = berlinAt(Date.now(), 150);
    await srv.ok(a, 'PUT', '/api/v1/reminders/prompt', { channels: ['push'], time: when.hhmm, days: EVERY_DAY });
    // The next server pauses 60 s between claiming and sending: time to kill it in.
    srv.env.HEARTH_TEST_OUTBOX_PAUSE_MS = '60000';
    await srv.restart();
    setClock(clock, when.at + 10000);
    await waitFor('the claim', () => srv.sql(`SELECT attempts FROM push_outbox WHERE user_id = '${a.id}'`) === '1');
    await srv.kill9();
    assert.equal(laptop.messages().length, 0, 'nothing sent so far');
    delete srv.env.HEARTH_TEST_OUTBOX_PAUSE_MS;
    await srv.restart();
    await sleep(500);
    assert.equal(laptop.messages().length, 0, 'the lease holds the message while it may still be sending');
    setClock(clock, when.at + 10000 + 3 * 60000);
    const [m] = await waitFor('the message after the lease', () => laptop.messages().length >= 1 && laptop.messages());
    await sleep(500);
    assert.equal(laptop.messages().length, 1, 'sent once');
    assert.equal(laptop.open(m), 'A moment for you');
    assert.equal(srv.sql(`SELECT attempts FROM push_outbox WHERE user_id = '${a.id}'`), '2');
  } finally {
    await srv.stop();
  }
});

test('a subscription is its owner\'s alone: the partner and others neither see nor delete it', T, async () => {
  const clock = box.clock('own');
  const srv = await pushServer(clock);
  try {
    const { a, b } = await srv.makeCouple('pown');
    const c = await srv.signUp('pother');
    const { id } = await srv.ok(a, 'POST', '/api/v1/push/subscriptions', device('own').json, 201);
    for (const who of [b, c]) {
      assert.deepEqual((await srv.ok(who, 'GET', '/api/v1/push/subscriptions')).items, [], 'not in their list');
      assertError(await srv.call(who, 'DELETE', `/api/v1/push/subscriptions/${id}`), 404, 'not_found');
      assertError(await srv.call(who, 'PUT', '/api/v1/reminders/checkin', { channels: ['push'], time: '08:00', days: ['mon'] }), 409, 'no_push_device');
    }
    assert.equal((await srv.ok(a, 'GET', '/api/v1/push/subscriptions')).items.length, 1, 'still there');
    assertError(await srv.call(a, 'DELETE', '/api/v1/push/subscriptions/not-an-id'), 404, 'not_found');
    await srv.ok(a, 'DELETE', `/api/v1/push/subscriptions/${id}`, undefined, 204);
    assertError(await srv.call(a, 'DELETE', `/api/v1/push/subscriptions/${id}`), 404, 'not_found');
    assertError(await srv.call(null, 'POST', '/api/v1/push/subscriptions', device('anon').json), 401, 'unauthenticated');

    // The same device subscribed by someone else is theirs now: it stops getting the first one's reminders.
    const shared = device('shared');
    const first = (await srv.ok(a, 'POST', '/api/v1/push/subscriptions', shared.json, 201)).id;
    const second = (await srv.ok(c, 'POST', '/api/v1/push/subscriptions', shared.json, 201)).id;
    assert.notEqual(first, second);
    assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/push/subscriptions')).items, []);

    // A deleted account takes its devices along.
    await srv.ok(c, 'POST', '/api/v1/sessions/current/reauth', { password: c.password }, 204);
    await srv.ok(c, 'DELETE', '/api/v1/me', { password: c.password }, 204);
    assert.equal(srv.sql(`SELECT count(*) FROM push_subscriptions WHERE user_id = '${c.id}'`), '0');
  } finally {
    await srv.stop();
  }
});

test('bad subscriptions are refused with every invalid field at once; loopback only when the tests ask', T, async () => {
  const clock = box.clock('bad');
  const srv = await pushServer(clock);
  const fields = (r) => r.json.errors.map((e) => e.field);
  try {
    const a = await srv.signUp('pbad');
    const good = device('good').json;
    let r = await srv.call(a, 'POST', '/api/v1/push/subscriptions', { endpoint: 'http://push.example.net/x', keys: { p256dh: 'abc', auth: 5 } });
    assertError(r, 400, 'invalid_input', 'endpoint');
    assert.deepEqual(fields(r), ['endpoint', 'keys.p256dh', 'keys.auth']);
    r = await srv.call(a, 'POST', '/api/v1/push/subscriptions', {});
    assert.deepEqual(fields(r), ['endpoint', 'keys.p256dh', 'keys.auth']);
    for (const url of ['https://10.0.0.1/x', 'https://[::1]/x', 'https://localhost/x', 'https://push.local/x', 'https://svc.internal/x',
      'https://user@push.example.net/x', 'https://push.example.net:99999/x', 'ftp://push.example.net/x', 'https://push example.net/x',
      'https://127.0.0.1:8080/x', `https://push.example.net/${'x'.repeat(1000)}`, 'https://push', 'https://-bad.example.net/x']) {
      assertError(await srv.call(a, 'POST', '/api/v1/push/subscriptions', { ...good, endpoint: url }), 400, 'invalid_input', 'endpoint', url);
    }
    const offCurve = Buffer.from(good.keys.p256dh, 'base64url'); offCurve[64] ^= 1;
    r = await srv.call(a, 'POST', '/api/v1/push/subscriptions', { ...good, keys: { p256dh: offCurve.toString('base64url'), auth: crypto.randomBytes(15).toString('base64url') } });
    assert.deepEqual(fields(r), ['keys.p256dh', 'keys.auth']);
    // A public https push service is accepted (nothing is sent to it until a reminder is due).
    await srv.ok(a, 'POST', '/api/v1/push/subscriptions', { ...good, endpoint: 'https://fcm.googleapis.com/fcm/send/abc:def' }, 201);
  } finally {
    await srv.stop();
  }
  // Without HEARTH_TEST_PUSH_LOOPBACK (as in production, where it does not even exist), loopback is refused.
  const plain = await startServer();
  try {
    const a = await plain.signUp('ploop');
    assertError(await plain.call(a, 'POST', '/api/v1/push/subscriptions', device('loop').json), 400, 'invalid_input', 'endpoint');
  } finally {
    await plain.stop();
  }
});
