// SPDX-License-Identifier: AGPL-3.0-or-later
//
// What the reminder and notice tests share (email, notices, push, and the browser suites behind
// an email's links): a real SMTP server on loopback (npm smtp-server) that records every message,
// a loopback web-push endpoint that records every request, the test-only clock file
// (HEARTH_TEST_CLOCK_FILE: milliseconds added to the real clock, compiled in by `make`, never in
// the Debian package) and a hearth server started with them. Everything here listens on
// 127.0.0.1 only; the caller closes what it opened, or lets outboxFixture() do it.

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { startServer, tempDir, sleep } from './server.mjs';

/** The seven days, as a reminder's or quiet hours' `days` takes them. */
export const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** The From the test servers send with. */
const SMTP_FROM = 'Reminders <reminders@example.org>';

/** Polls fn every 50 ms until it answers something truthy, and answers that; fails the test after ms. */
export async function waitFor(what, fn, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A message as it came over SMTP, split into {headers (lower-case names, unfolded), body, data}. */
export function parseMail(data) {
  const [head, ...rest] = data.split('\r\n\r\n');
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, body: rest.join('\r\n\r\n'), data };
}

/** An SMTP server on loopback recording each message as {from, to, data}: {received, port, url, mailTo(address) parsed, close()}. */
export async function startMailbox() {
  const received = [];
  const smtp = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      let data = '';
      stream.setEncoding('utf8');
      stream.on('data', (c) => { data += c; });
      stream.on('end', () => {
        received.push({ from: session.envelope.mailFrom.address, to: session.envelope.rcptTo.map((r) => r.address), data });
        cb();
      });
    },
  });
  await new Promise((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = smtp.server.address().port;
  return {
    received, port, url: `smtp://127.0.0.1:${port}`,
    mailTo: (address) => received.filter((m) => m.to.includes(address)).map((m) => parseMail(m.data)),
    close: () => new Promise((resolve) => smtp.close(resolve)),
  };
}

/** A push endpoint on loopback recording each request; answers 201 or answers.get(path): {received, answers, port, close()}. */
export async function startPushEndpoint() {
  const received = [];
  const answers = new Map();
  const endpoint = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url, method: req.method, headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(answers.get(req.url) || 201);
      res.end();
    });
  });
  await new Promise((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  return {
    received, answers, port: endpoint.address().port,
    close: () => new Promise((resolve) => endpoint.close(resolve)),
  };
}

/** A fresh directory for clock files, readable by a server started as root that drops to nobody. */
export function newClockDir() {
  const dir = tempDir('hearth-clock-');
  fs.chmodSync(dir, 0o755); // a server started as root reads it after dropping to nobody
  return dir;
}

/** Moves the mailer's and the push thread's clock to `at` (ms since the epoch, at or after now). */
export const setClock = (file, at) => fs.writeFileSync(file, String(Math.max(0, at - Date.now())));

/** A server's env: email through `mailbox` if given, the test clock at `clockFile` (reset to now) if given, a 50 ms tick, then extra. */
export function outboxEnv(clockFile, { mailbox, extra = {} } = {}) {
  const env = mailbox ? { HEARTH_SMTP_URL: mailbox.url, HEARTH_SMTP_FROM: SMTP_FROM } : {};
  if (clockFile) {
    fs.writeFileSync(clockFile, '0');
    env.HEARTH_TEST_CLOCK_FILE = clockFile;
  }
  return { ...env, HEARTH_TEST_MAIL_TICK_MS: '50', ...extra };
}

/** Starts hearth with outboxEnv(clockFile, opts); answers {srv, env} (env may be changed before a restart). */
export async function startOutboxServer(clockFile, opts) {
  const env = outboxEnv(clockFile, opts);
  return { srv: await startServer({ env }), env };
}

/** The instant (ms, on a whole minute) `minutesAhead` after `from`, and the wall clock HH:MM it shows in Berlin. */
export function berlinAt(from, minutesAhead) {
  const at = new Date(Math.ceil((from + minutesAhead * 60000) / 60000) * 60000);
  const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return { at: at.getTime(), hhmm };
}

/** Hooks for a test file: a mailbox (push: a push endpoint) and a clock directory for its tests: {mailbox, push, clock(name), start(clockFile, extra)}. */
export function outboxFixture(T, { push = false } = {}) {
  const f = { mailbox: null, push: null, dir: null };
  before(async () => {
    if (push) f.push = await startPushEndpoint();
    else f.mailbox = await startMailbox();
    f.dir = newClockDir();
  }, T);
  after(async () => { await (f.push || f.mailbox)?.close(); }, T);
  f.clock = (name) => path.join(f.dir, name);
  f.start = (clockFile, extra = {}) => startOutboxServer(clockFile, {
    mailbox: f.mailbox, extra: push ? { HEARTH_TEST_PUSH_LOOPBACK: '1', ...extra } : extra,
  });
  return f;
}
