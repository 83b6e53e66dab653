// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Reminders by email (issue 15), against a real SMTP server on loopback (npm smtp-server) that
// records every message, with the mailer's clock moved forward through the test-only
// HEARTH_TEST_CLOCK_FILE (milliseconds added to the real clock; compiled in by `make`, never in the
// Debian package). What is asserted:
// - an address gets a confirmation link first and nothing else until it is opened;
// - a reminder arrives once at its local time (the person's zone), says only the person's words,
//   and carries List-Unsubscribe with List-Unsubscribe-Post (RFC 8058) and a stable Message-ID;
// - the one-click POST stops it; a later occurrence sends nothing;
// - kill -9 between claiming a message and sending it loses nothing and sends it once;
// - the address is sealed at rest; bad input is refused field by field; without an SMTP server
//   the API says email is not offered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, assertError, sleep, TEST_TIMEOUT } from './lib/server.mjs';
import { outboxFixture, waitFor, setClock, berlinAt } from './lib/outbox.mjs';

const T = { timeout: TEST_TIMEOUT };
const box = outboxFixture(T); // the SMTP server and the clock directory, for every test here

const mailTo = (address) => box.mailbox.mailTo(address);
/** Starts hearth sending email to the loopback SMTP server, its clock at clockFile; answers {srv, env}. */
const mailServer = box.start;
/** A person in Berlin with a confirmed address. */
async function confirmedPerson(srv, name, clockFile) {
  const a = await srv.signUp(name);
  await srv.ok(a, 'PATCH', '/api/v1/me', { time_zone: 'Europe/Berlin' });
  const address = `${a.username}@example.org`;
  assert.equal((await srv.ok(a, 'GET', '/api/v1/me/export')).email, null, 'no address: none in the export');
  const put = await srv.ok(a, 'PUT', '/api/v1/me/email', { email: address }, 202);
  assert.deepEqual(put, { email: address, confirmed: false });
  assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/me/export')).email, { address, confirmed: false }, 'the export holds the address');
  const [confirm] = await waitFor('the confirmation', () => mailTo(address).length && mailTo(address));
  const link = confirm.body.match(/https?:\/\/\S+\/email\/confirm\/(\S+)/);
  assert.ok(link, `a confirmation link: ${confirm.body}`);
  setClock(clockFile, Date.now());
  const page = await fetch(`${srv.url}/email/confirm/${link[1]}`);
  assert.equal(page.status, 200, 'the link opens a page; opening it confirms nothing');
  assert.equal((await srv.ok(a, 'GET', '/api/v1/reminders')).email.confirmed, false);
  const done = await fetch(`${srv.url}/email/confirm/${link[1]}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(done.status, 200);
  assert.equal((await srv.ok(a, 'GET', '/api/v1/reminders')).email.confirmed, true);
  assert.deepEqual((await srv.ok(a, 'GET', '/api/v1/me/export')).email, { address, confirmed: true });
  return { a, address, confirm };
}

test('a confirmation first; a reminder arrives once at its local time with only the person\'s words; one click stops it', T, async () => {
  const clock = box.clock('one');
  const { srv } = await mailServer(clock);
  try {
    const { a, address, confirm } = await confirmedPerson(srv, 'mail', clock);
    assert.equal(confirm.headers.subject, 'Confirm your address');
    assert.equal(confirm.headers.to, `<${address}>`);
    assert.equal(confirm.headers.from, 'Reminders <reminders@example.org>');
    assert.equal(confirm.headers['list-unsubscribe'], undefined);

    const when = berlinAt(Date.now(), 90);
    const words = 'Tee und Ruhe, ein Moment für dich';
    await srv.ok(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['email', 'calendar'], time: when.hhmm, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], text: words });
    setClock(clock, when.at - 60000);
    await sleep(400);
    assert.equal(mailTo(address).length, 1, 'nothing before its time');
    setClock(clock, when.at + 30000);
    const [, reminder] = await waitFor('the reminder', () => mailTo(address).length >= 2 && mailTo(address)).catch((e) => {
      console.log(srv.sql('SELECT kind, occurrence, due_at, attempts, lease_until, last_error, sent_at FROM outbox'), when, srv.sql('SELECT * FROM reminders'), srv.sql('SELECT user_id, created_at, confirmed_at FROM email_addresses'), srv.log.slice(-2000));
      throw e;
    });
    await sleep(400);
    assert.equal(mailTo(address).length, 2, 'sent once, not at every tick');
    assert.match(reminder.headers.subject, /^=\?UTF-8\?B\?/, 'a subject that is not ASCII is encoded');
    const subject = reminder.headers.subject.split(' ').map((w) => Buffer.from(w.replace(/^=\?UTF-8\?B\?|\?=$/g, ''), 'base64').toString('utf8')).join('');
    assert.equal(subject, words);
    assert.ok(reminder.body.startsWith(words));
    assert.match(reminder.headers['message-id'], /^<[0-9a-f]{32}@127\.0\.0\.1>$/);
    assert.equal(reminder.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    const unsub = reminder.headers['list-unsubscribe'].match(/^<https?:\/\/[^/]+(\/unsubscribe\/[^>]+)>$/);
    assert.ok(unsub, reminder.headers['list-unsubscribe']);
    const saying = reminder.data.replace(/^To: .*\r\n/m, ''); // the address is the person's own choice
    for (const said of [a.username, a.display_name, 'check-in', 'checkin', 'partner']) assert.ok(!saying.includes(said), `the message says nothing of "${said}"`);

    // RFC 8058: a POST with List-Unsubscribe=One-Click, no cookie, no CSRF field.
    const one = await fetch(`${srv.url}${unsub[1]}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    assert.equal(one.status, 200);
    const left = (await srv.ok(a, 'GET', '/api/v1/reminders')).items;
    assert.deepEqual(left.map((r) => [r.kind, r.channels]), [['checkin', ['calendar']]], 'email is off; the calendar stays');
    setClock(clock, when.at + 24 * 3600000 + 30000);
    await sleep(500);
    assert.equal(mailTo(address).length, 2, 'nothing more after the one click');
    assert.equal((await fetch(`${srv.url}/unsubscribe/${'0'.repeat(32)}.nope`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' })).status, 404);

    // Sealed at rest: the address is in no column in clear.
    assert.ok(!srv.sql(`SELECT address FROM email_addresses WHERE user_id = '${a.id}'`).includes(address));
  } finally {
    await srv.stop();
  }
});

test('a break\'s end by email: the reminder comes when the break is over, with the person\'s words', T, async () => {
  const clock = box.clock('break');
  const { srv } = await mailServer(clock);
  try {
    const { a, address } = await confirmedPerson(srv, 'brk', clock);
    // No time or days: it comes when a break ends; a calendar cannot carry it.
    await srv.ok(a, 'PUT', '/api/v1/reminders/break_over', { channels: ['email'], text: 'Welcome back, gently' });
    const b = await srv.ok(a, 'POST', '/api/v1/breaks', { minutes: 20 }, 201);
    setClock(clock, Date.parse(b.until) - 60000);
    await sleep(400);
    assert.equal(mailTo(address).length, 1, 'nothing while the break runs');
    setClock(clock, Date.parse(b.until) + 30000);
    const mails = await waitFor('the break_over reminder', () => mailTo(address).length >= 2 && mailTo(address));
    assert.equal(mails[1].headers.subject, 'Welcome back, gently');
    await sleep(400);
    assert.equal(mailTo(address).length, 2, 'once');
  } finally {
    await srv.stop();
  }
});

test('kill -9 between claiming a message and sending it: after the restart it is sent, once', T, async () => {
  const clock = box.clock('two');
  const { srv, env } = await mailServer(clock);
  try {
    const { a, address } = await confirmedPerson(srv, 'kill', clock);
    const when = berlinAt(Date.now(), 150);
    await srv.ok(a, 'PUT', '/api/v1/reminders/prompt', { channels: ['email'], time: when.hhmm, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    // The next server pauses 60 s between claiming and sending: time to kill it in.
    env.HEARTH_TEST_OUTBOX_PAUSE_MS = '60000';
    await srv.restart();
    setClock(clock, when.at + 10000);
    await waitFor('the claim', () => srv.sql(`SELECT attempts FROM outbox WHERE user_id = '${a.id}' AND kind = 'prompt'`) === '1');
    await srv.kill9();
    assert.equal(mailTo(address).length, 1, 'only the confirmation so far');
    delete env.HEARTH_TEST_OUTBOX_PAUSE_MS;
    await srv.restart();
    await sleep(500);
    assert.equal(mailTo(address).length, 1, 'the lease holds the message while it may still be sending');
    setClock(clock, when.at + 10000 + 3 * 60000);
    const mails = await waitFor('the reminder after the lease', () => mailTo(address).length >= 2 && mailTo(address));
    await sleep(500);
    assert.equal(mailTo(address).length, 2, 'sent once');
    assert.equal(mails[1].headers.subject, 'A moment for you');
    assert.equal(srv.sql(`SELECT attempts FROM outbox WHERE user_id = '${a.id}' AND kind = 'prompt'`), '2');
  } finally {
    await srv.stop();
  }
});

test('bad addresses are refused; without an SMTP server email is not offered', T, async () => {
  const clock = box.clock('three');
  const { srv } = await mailServer(clock);
  try {
    const a = await srv.signUp('bad');
    for (const email of ['', 'no-at', 'a@', '@b.org', 'a b@c.org', 'a@b.org\r\nBcc: x@y.org', 'a<b>@c.org', `${'x'.repeat(250)}@b.org`]) {
      assertError(await srv.call(a, 'PUT', '/api/v1/me/email', { email }), 400, 'invalid_input', 'email');
    }
    assertError(await srv.call(a, 'PUT', '/api/v1/me/email', { email: 5 }), 400, 'invalid_input', 'email');
    assertError(await srv.call(a, 'DELETE', '/api/v1/me/email'), 404, 'not_found');
    assert.equal((await srv.ok(a, 'GET', '/api/v1/reminders')).email, null);
  } finally {
    await srv.stop();
  }
  const plain = await startServer();
  try {
    const b = await plain.signUp('nomail');
    assertError(await plain.call(b, 'PUT', '/api/v1/me/email', { email: 'b@example.org' }), 409, 'email_unavailable');
    const r = await plain.call(b, 'PUT', '/api/v1/reminders/checkin', { channels: ['email'], time: '08:00', days: ['mon'] });
    assertError(r, 400, 'invalid_input', 'channels');
    assert.match(r.json.error.message, /outgoing mail server/);
    assert.deepEqual((await plain.ok(b, 'GET', '/api/v1/reminders')).channels_available, ['calendar']);
  } finally {
    await plain.stop();
  }
});
