// SPDX-License-Identifier: AGPL-3.0-or-later
//
// TOTP (RFC 6238) computed in the tests themselves, with node:crypto only, so
// that two-step login is checked against the RFC rather than against the
// library the server uses:
//
//   totp(secretBase32)                       - the code for now
//   totp(secretBase32, { at: ms })            - the code for the 30-second step of `at`
//   totpFromBytes(Buffer, { at, digits })    - the same from raw key bytes (RFC test vectors)

import crypto from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 (no padding needed; spaces and '=' ignored, case-insensitive) to bytes. */
export function base32Decode(text) {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const i = ALPHABET.indexOf(ch);
    if (i < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** HOTP (RFC 4226) of counter with HMAC-SHA1, as a zero-padded string of `digits` digits. */
export function hotp(key, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = crypto.createHmac('sha1', key).update(msg).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** The 30-second step of a time in ms. */
export const stepOf = (at) => Math.floor(at / 1000 / 30);

export function totpFromBytes(key, { at = Date.now(), digits = 6 } = {}) {
  return hotp(key, stepOf(at), digits);
}

export function totp(secretBase32, { at = Date.now() } = {}) {
  return totpFromBytes(base32Decode(secretBase32), { at });
}
