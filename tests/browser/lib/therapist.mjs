// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The steps the therapist's browser tests share to link a couple's therapist: the therapist
// signs in and makes a code on /therapist, and one partner enters it on /space (linking is that
// partner's consent; the other partner's stays theirs to give).
import { gotoOk, login, submit } from './hearth.mjs';

/** The therapist (on page ther) makes a code and the partner on page partner links them from /space. */
export async function linkTherapist(ther, partner, base, therapist) {
  await login(ther, base, therapist);
  await gotoOk(ther, base, '/therapist');
  await submit(ther, 'Create a code');
  const code = (await ther.locator('.invite-code').first().textContent()).trim();
  await gotoOk(partner, base, '/space');
  await partner.getByLabel("Your therapist's code", { exact: true }).fill(code);
  await submit(partner, 'Link our therapist');
}
