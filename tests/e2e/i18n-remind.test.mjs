// SPDX-License-Identifier: AGPL-3.0-or-later
//
// Emails, push messages and calendar entries in the recipient's language (issue 16), against a
// real SMTP server and a real push endpoint on loopback (tests/e2e/lib/outbox.mjs), with the
// outbox threads' clock moved through the test-only HEARTH_TEST_CLOCK_FILE. The sender threads
// have no request to ask a browser: they read the person's language setting (users.language,
// set here with SQL on the server's database, as the setting's own route may not exist yet),
// else the server's HEARTH_DEFAULT_LANGUAGE. What is asserted:
// - a person whose language is German gets the confirmation, a reminder with the default words
//   and a neutral notice in German, by email (Content-Language: de) and by push, the push
//   padded to the one length every message has;
// - their calendar feed's name and default words are German; their own words stay as written;
// - their partner, with no setting, on a server whose default is Spanish, hears in Spanish.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import ece from 'http_ece';
import { sleep, TEST_TIMEOUT } from './lib/server.mjs';
import { EVERY_DAY, startMailbox, startPushEndpoint, newClockDir, startOutboxServer, waitFor, setClock, berlinAt } from './lib/outbox.mjs';
import path from 'node:path';

const T = { timeout: TEST_TIMEOUT };
const box = { mailbox: null, push: null, dir: null };
before(async () => {
  box.mailbox = await startMailbox();
  box.push = await startPushEndpoint();
  box.dir = newClockDir();
}, T);
after(async () => {
  await box.mailbox?.close();
  await box.push?.close();
}, T);

const mailTo = (address) => box.mailbox.mailTo(address);
/** A subject as the person reads it: RFC 2047 encoded words decoded. */
const subjectOf = (mail) => (/^=\?UTF-8\?B\?/.test(mail.headers.subject)
  ? mail.headers.subject.split(' ').map((w) => Buffer.from(w.replace(/^=\?UTF-8\?B\?|\?=$/g, ''), 'base64').toString('utf8')).join('')
  : mail.headers.subject);

/** A browser's side of a push subscription (as push.test.mjs makes it). */
function device(name) {
  const ecdh = crypto.createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = crypto.randomBytes(16);
  const url = `http://127.0.0.1:${box.push.port}/push/${name}-${crypto.randomBytes(6).toString('hex')}`;
  const p = new URL(url).pathname;
  return {
    json: { endpoint: url, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } },
    messages: () => box.push.received.filter((m) => m.path === p),
    open: (m) => ece.decrypt(m.body, { version: 'aes128gcm', privateKey: ecdh, authSecret: auth.toString('base64url') }).toString('utf8'),
  };
}

/** Gives `who` (in Berlin) an address and confirms it; returns {address, confirmation}. */
async function confirmAddress(srv, who, clock) {
  await srv.ok(who, 'PATCH', '/api/v1/me', { time_zone: 'Europe/Berlin' });
  const address = `${who.username}@example.org`;
  await srv.ok(who, 'PUT', '/api/v1/me/email', { email: address }, 202);
  const [confirmation] = await waitFor('the confirmation', () => mailTo(address).length && mailTo(address));
  const link = confirmation.body.match(/\/email\/confirm\/(\S+)/);
  assert.ok(link, confirmation.body);
  setClock(clock, Date.now());
  const done = await fetch(`${srv.url}/email/confirm/${link[1]}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
  assert.equal(done.status, 200);
  return { address, confirmation };
}

test('a person whose language is German gets German emails, pushes and calendar words; the partner without a setting gets the server\'s default', T, async () => {
  const clock = path.join(box.dir, 'de');
  // The server speaks Spanish to whoever chose nothing: the partner below.
  const { srv } = await startOutboxServer(clock, { mailbox: box.mailbox, extra: { HEARTH_TEST_PUSH_LOOPBACK: '1', HEARTH_DEFAULT_LANGUAGE: 'es' } });
  try {
    const { a, b } = await srv.makeCouple('i18n');
    srv.sql(`UPDATE users SET language = 'de' WHERE id = '${a.id}'`);

    // The confirmation, in German.
    const { address, confirmation } = await confirmAddress(srv, a, clock);
    assert.equal(subjectOf(confirmation), 'Bestätige deine Adresse');
    assert.equal(confirmation.headers['content-language'], 'de');
    assert.ok(confirmation.body.startsWith('Jemand – hoffentlich du – hat Erinnerungen an diese Adresse bestellt.\r\n'), confirmation.body);
    assert.match(confirmation.body, /Um sie zu bestätigen, öffne diesen Link innerhalb von zwei Tagen:\r\n\S+\/email\/confirm\//);

    // A reminder with the default words, by email and by push: "Ein Moment für dich".
    const phone = device('de');
    await srv.ok(a, 'POST', '/api/v1/push/subscriptions', phone.json, 201);
    const when = berlinAt(Date.now(), 90);
    await srv.ok(a, 'PUT', '/api/v1/reminders/checkin', { channels: ['email', 'push', 'calendar'], time: when.hhmm, days: EVERY_DAY });
    await srv.ok(a, 'PUT', '/api/v1/reminders/prompt', { channels: ['calendar'], time: '08:05', days: ['sun'], text: 'Tea and quiet' });
    setClock(clock, when.at + 30000);
    const [, reminder] = await waitFor('the reminder by email', () => mailTo(address).length >= 2 && mailTo(address));
    const [pushed] = await waitFor('the reminder by push', () => phone.messages().length >= 1 && phone.messages());
    assert.equal(subjectOf(reminder), 'Ein Moment für dich');
    assert.equal(reminder.headers['content-language'], 'de');
    assert.ok(reminder.body.startsWith('Ein Moment für dich\r\n\r\n-- \r\nUm diese E-Mails abzubestellen: '), reminder.body);
    assert.ok(!reminder.body.includes('A moment for you') && !reminder.body.includes('To stop these emails'), 'no English left');
    assert.equal(phone.open(pushed), 'Ein Moment für dich');
    assert.equal(pushed.body.length, 86 + 240 + 1 + 16, 'padded to the one length, whatever the language');

    // The calendar: its name and the default words in German, the person's own words as written.
    const made = await srv.ok(a, 'POST', '/api/v1/calendar', undefined, 201);
    const cal = await (await fetch(`${srv.url}${new URL(made.url).pathname}`, { headers: { 'Accept-Language': 'en' } })).text();
    assert.match(cal, /\r\nX-WR-CALNAME:Erinnerungen\r\n/);
    assert.match(cal, /\r\nSUMMARY:Ein Moment für dich\r\n/);
    assert.match(cal, /\r\nSUMMARY:Tea and quiet\r\n/);
    assert.ok(!cal.includes('A moment for you'));

    // A neutral notice of the partner's shared check-in, by push: "Etwas Neues in hearth".
    await srv.ok(a, 'PUT', '/api/v1/me/notices', { kinds: ['checkin'], channels: ['push'] });
    await srv.ok(b, 'POST', '/api/v1/checkins', { mood: 4, connection: 4, secure: 4, appreciation: 'the tea', visibility: 'partner' }, 201);
    const [, notice] = await waitFor('the notice by push', () => phone.messages().length >= 2 && phone.messages());
    assert.equal(phone.open(notice), 'Etwas Neues in hearth');
    assert.equal(notice.body.length, 86 + 240 + 1 + 16);

    // The partner chose no language: the server's default (Spanish) speaks to them, by email and in the calendar.
    const theirs = await confirmAddress(srv, b, clock);
    assert.equal(subjectOf(theirs.confirmation), 'Confirma tu dirección');
    assert.equal(theirs.confirmation.headers['content-language'], 'es');
    const later = berlinAt(Date.now(), 150);
    await srv.ok(b, 'PUT', '/api/v1/reminders/checkin', { channels: ['email', 'calendar'], time: later.hhmm, days: EVERY_DAY });
    setClock(clock, later.at + 30000);
    const [, hers] = await waitFor('the partner\'s reminder', () => mailTo(theirs.address).length >= 2 && mailTo(theirs.address));
    assert.equal(subjectOf(hers), 'Un momento para ti');
    assert.ok(hers.body.includes('\r\nPara dejar de recibir estos correos: '), hers.body);
    // A calendar app asks for its own language when the person set none.
    const bCal = await srv.ok(b, 'POST', '/api/v1/calendar', undefined, 201);
    const bFeed = await (await fetch(`${srv.url}${new URL(bCal.url).pathname}`, { headers: { 'Accept-Language': 'de-AT' } })).text();
    assert.match(bFeed, /\r\nX-WR-CALNAME:Erinnerungen\r\n/);
    assert.match(bFeed, /\r\nSUMMARY:Ein Moment für dich\r\n/);
    await sleep(200);
  } finally {
    await srv.stop();
  }
});
