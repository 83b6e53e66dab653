// SPDX-License-Identifier: AGPL-3.0-or-later
//
// The authorization matrix: for every route of `hearth routes` (keyed
// "METHOD PATTERN") and every actor, the status the server must answer.
// matrix.test.mjs fails for a route that has no entry here ("add its rows")
// and for an entry whose route no longer exists.
//
// An entry is either
//   {actor: expected, ...}                          - for routes without {} parameters, or
//   {variants: {VARIANT: {actor: expected, ...}}}   - for routes with {}: the parameter is filled with a
//                                                     real object of self's in the state the variant names.
// expected is a status (200) or "STATUS LOCATION" ("303 /login") for redirects, where the Location
// header must be exactly LOCATION. Every entry must name all nine actors.
//
// Check-in variants (the {} is a check-in self wrote):
//   partner   - visibility "partner": self and partner may read it
//   therapist - visibility "therapist": self and partner may read it (and, later, a consenting linked therapist
//               through the therapist routes)
//   private   - visibility "private": self alone
//   deleted   - a check-in self wrote and then deleted: nobody may read it. Its answer must equal the answer
//               for somebody else's item, so that existence does not leak (API.md: 404, never 403).
//
// Rules the rows follow (API.md "Conventions"):
//   - anonymous: 401 on member API routes; member pages redirect to /login (303).
//   - someone else's data: 404, never 403. The one exception the server makes: PATCH/DELETE of a
//     partner's check-in the partner can SEE answer 403 forbidden ("only the author can change it") —
//     the partner already knows the item exists, so nothing leaks. The pages map that 403 to 404.
//   - state-dependent answers are those of the actors' fixed state: self and partner share a full
//     space (two partners), outsider is alone in a space of their own, therapists and admin are in no space.

export const ACTORS = [
  'anonymous',
  'self',
  'partner',
  'outsider',
  'therapist_unlinked',
  'therapist_linked_no_consent',
  'therapist_linked_consent',
  'therapist_consent_revoked',
  'admin',
];

/**
 * The same expectation for all four therapist actors (routes where being
 * linked to self's space makes no difference).
 *
 * The four therapist actors are real: therapist_unlinked is never linked to
 * self's space; the other three are linked to self's space by the partner
 * (POST /therapist/invites + POST /spaces/current/therapist), so the partner
 * consents, and self's consent is: none (therapist_linked_no_consent), granted
 * (therapist_linked_consent), granted then revoked (therapist_consent_revoked).
 * A space has one therapist at a time, so matrix.test.mjs links the actor's
 * therapist in its state right before each request that depends on it
 * (arrangeTherapist); otherwise therapist_linked_consent is linked and self consents.
 */
const therapists = (expected) => ({
  therapist_unlinked: expected,
  therapist_linked_no_consent: expected,
  therapist_linked_consent: expected,
  therapist_consent_revoked: expected,
});

/** The linked therapists get `linked`, everybody else signed in 404 (a space they may not know exists). */
const linkedOnly = (linked) => ({
  anonymous: 401, self: 404, partner: 404, outsider: 404, therapist_unlinked: 404,
  therapist_linked_no_consent: linked, therapist_linked_consent: linked, therapist_consent_revoked: linked, admin: 404,
});
const linkedOnlyPage = (linked) => ({ ...linkedOnly(linked), anonymous: '303 /login' });

/** Everybody gets the same answer (public routes). */
const all = (expected) => Object.fromEntries(ACTORS.map((a) => [a, expected]));

/** A member API route every signed-in actor may use with the same answer. */
const apiMember = (ok) => ({ anonymous: 401, self: ok, partner: ok, outsider: ok, ...therapists(ok), admin: ok });

/** A member page every signed-in actor may see with the same answer. */
const pageMember = (ok) => ({ anonymous: '303 /login', self: ok, partner: ok, outsider: ok, ...therapists(ok), admin: ok });

/** Self's object: only self succeeds; everybody else signed in gets `others`. */
const apiOwn = (ok, { partner = 404 } = {}) => ({
  anonymous: 401, self: ok, partner, outsider: 404, ...therapists(404), admin: 404,
});
const pageOwn = (ok, { partner = 404 } = {}) => ({
  anonymous: '303 /login', self: ok, partner, outsider: 404, ...therapists(404), admin: 404,
});

/**
 * A check-in route's four variants: self gets `ok` on every check-in of self's but the deleted one
 * (404 for everybody); the partner gets `partnerSees` on the two shared ones and 404 on the private
 * one (default 404 on all); everybody else 404. `own` is apiOwn or pageOwn.
 */
const checkinVariants = (own, ok, partnerSees) => ({
  variants: {
    partner: own(ok, { partner: partnerSees }),
    therapist: own(ok, { partner: partnerSees }),
    private: own(ok),
    deleted: own(404),
  },
});

/** An article's draft: its author (therapist_unlinked) and the admin read it; everybody else 404. */
const articleDraft = (ok) => ({ ...all(404), therapist_unlinked: ok, admin: ok });
/** Changing an article: its author and the admin succeed; other signed-in callers get `others`. */
const articleManage = (ok, others) => ({
  anonymous: 401, self: others, partner: others, outsider: others, ...therapists(others), therapist_unlinked: ok, admin: ok,
});
const articleManagePage = (ok, others) => ({ ...articleManage(ok, others), anonymous: '303 /login' });

export const EXPECT = {
  // ------------------------------------------------------------- service
  'GET /healthz': all(200),
  // Never on the public listener (issue 10): its own listener serves it, and this one only with
  // Authorization: Bearer HEARTH_METRICS_TOKEN, which no actor sends (matrix.test.mjs tries it).
  'GET /metrics': all(404),
  'GET /static/{}': { variants: { file: all(200) } },

  // ------------------------------------------------ API: accounts, sessions
  // Anyone may sign up and log in (public); signed-in callers too.
  'POST /api/v1/accounts': all(201),
  'POST /api/v1/sessions': all(201),
  // Ends the caller's own session (a throw-away session per actor).
  'DELETE /api/v1/sessions/current': apiMember(204),
  // Log out everywhere: ends every session of the caller's account (the test logs the actor in again).
  'DELETE /api/v1/sessions': apiMember(204),
  'GET /api/v1/me': apiMember(200),

  // ------------------------------------------------------- API: spaces
  // Therapists and admins are in no space, and nothing forbids them a space
  // (API.md is silent); the test leaves the space again afterwards.
  'POST /api/v1/spaces': {
    anonymous: 401, self: 409, partner: 409, outsider: 409, ...therapists(201), admin: 201,
  },
  // self/partner: their space is full (409 space_full); outsider is alone in theirs; no space: 404.
  'POST /api/v1/spaces/current/invites': {
    anonymous: 401, self: 409, partner: 409, outsider: 201, ...therapists(404), admin: 404,
  },
  // The code is a fresh invite to outsider's space; those already in a space get 409 already_in_space.
  'POST /api/v1/spaces/join': {
    anonymous: 401, self: 409, partner: 409, outsider: 409, ...therapists(200), admin: 200,
  },
  // Either partner may leave alone, at any time (the test restores the couple afterwards).
  'POST /api/v1/spaces/current/leave': {
    anonymous: 401, self: 204, partner: 204, outsider: 204, ...therapists(404), admin: 404,
  },

  // ---------------------------------------------------- API: check-ins
  // Every signed-in account may write and list its own check-ins (API.md is
  // silent on roles; the server does not restrict them).
  'POST /api/v1/checkins': apiMember(201),
  'GET /api/v1/checkins': apiMember(200),
  'GET /api/v1/checkins/{}': checkinVariants(apiOwn, 200, 200),
  // Server behaviour: the partner who can see the item gets 403 forbidden (author only), see above.
  'PATCH /api/v1/checkins/{}': checkinVariants(apiOwn, 200, 403),
  'DELETE /api/v1/checkins/{}': checkinVariants(apiOwn, 204, 403),

  // ------------------------------------------------ API: repairs, feelings, safety
  // Repair variants (the {} is a repair self opened):
  //   open     - shared with the partner (opened while both were in the space); self wrote a complete draft,
  //              nobody has submitted. self and partner may read it and write their own side on it.
  //   revealed - both self and partner submitted their sides (a fresh one where the request consumes it).
  //   solo     - a private reflection: self opened it while alone (outside the space) and wrote a complete
  //              draft; then self and partner were a couple again. Never the partner's: 404. Never revealed.
  // Anyone signed in may open a repair; without a partner (outsider, therapists, admin) it is solo.
  'POST /api/v1/repairs': apiMember(201),
  'GET /api/v1/repairs': apiMember(200),
  'GET /api/v1/repairs/{}': {
    variants: { open: apiOwn(200, { partner: 200 }), revealed: apiOwn(200, { partner: 200 }), solo: apiOwn(200) },
  },
  // Each writes their own side of a shared repair; after submission 409 already_submitted.
  'PUT /api/v1/repairs/{}/mine': {
    variants: { open: apiOwn(200, { partner: 200 }), revealed: apiOwn(409, { partner: 409 }), solo: apiOwn(200) },
  },
  // open: a fresh repair where self and partner both wrote a complete draft: each submits their own (200).
  // solo: a fresh solo repair with self's complete draft.
  'POST /api/v1/repairs/{}/mine/submit': {
    variants: { open: apiOwn(200, { partner: 200 }), revealed: apiOwn(409, { partner: 409 }), solo: apiOwn(200) },
  },
  // Before the reveal 409 not_revealed; a solo repair is never revealed; revealed: a fresh one (200 each).
  'POST /api/v1/repairs/{}/acknowledge': {
    variants: { open: apiOwn(409, { partner: 409 }), revealed: apiOwn(200, { partner: 200 }), solo: apiOwn(409) },
  },
  // Issue 14, the steps after the reveal (recipes use the step heard; my_part for submit). Before the reveal
  // (open) and for the solo fixture (its side not finished) 409 not_revealed; revealed: each writes their own
  // draft (200), shares it (200, a fresh repair with a draft), answers the other's shared step (200, fresh).
  'PUT /api/v1/repairs/{}/steps/{}': {
    variants: { open: apiOwn(409, { partner: 409 }), revealed: apiOwn(200, { partner: 200 }), solo: apiOwn(409) },
  },
  'POST /api/v1/repairs/{}/steps/{}/submit': {
    variants: { open: apiOwn(409, { partner: 409 }), revealed: apiOwn(200, { partner: 200 }), solo: apiOwn(409) },
  },
  'POST /api/v1/repairs/{}/steps/heard/answer': {
    variants: { open: apiOwn(409, { partner: 409 }), revealed: apiOwn(200, { partner: 200 }), solo: apiOwn(409) },
  },
  'POST /api/v1/repairs/{}/steps/my_part/answer': {
    variants: { open: apiOwn(409, { partner: 409 }), revealed: apiOwn(200, { partner: 200 }), solo: apiOwn(409) },
  },
  // The feelings vocabulary and the safety resources need no session (public).
  'GET /api/v1/feelings': all(200),
  // The API description (issue 19): public, the same for everyone.
  'GET /api/v1/openapi.json': all(200),
  // A private safety check: anyone signed in may record one for themselves.
  'POST /api/v1/safety-checks': apiMember(201),
  'GET /api/v1/safety/resources': all(200),

  // ------------------------------------------------------- API: prompts
  // Everybody signed in has a daily prompt: the couple's shared one; outsider's for their own space;
  // therapists and admin one of their own (no space).
  'GET /api/v1/prompts/today': apiMember(200),
  // Fixed state: today's prompt of self's space has been answered by both self and partner (the recipe makes
  // sure), so it stays (409); everybody else asks for another prompt for the first time today (200).
  'POST /api/v1/prompts/today/skip': {
    anonymous: 401, self: 409, partner: 409, outsider: 200, ...therapists(200), admin: 200,
  },
  'GET /api/v1/prompts/history': apiMember(200),
  // Prompt variant (the {} is a day's prompt of self's space):
  //   answered - today's prompt of self's space, answered by both self and partner (409 already_answered
  //              for another answer; each may acknowledge the other's answer). Others: 404.
  'POST /api/v1/prompts/{}/answer': { variants: { answered: apiOwn(409, { partner: 409 }) } },
  'POST /api/v1/prompts/{}/acknowledge': { variants: { answered: apiOwn(201, { partner: 201 }) } },

  // ------------------------------------------------------------- pages
  // Public pages: signed-in visitors are sent on to the dashboard.
  'GET /': { ...all('303 /dashboard'), anonymous: 200 },
  'GET /signup': { ...all('303 /dashboard'), anonymous: 200 },
  'GET /login': { ...all('303 /dashboard'), anonymous: 200 },
  // A valid sign-up form makes a new account and signs it in, whoever sends it.
  'POST /signup': all('303 /dashboard'),
  // The actor's own credentials (anonymous: self's) on a throw-away session.
  'POST /login': all('303 /dashboard'),
  'POST /logout': all('303 /'),
  'GET /account': pageMember(200),
  // Ends every session of the account (the test logs the actor in again).
  'POST /account/logout-everywhere': pageMember('303 /login?ended=1'),
  'GET /dashboard': pageMember(200),
  'GET /checkins': pageMember(200),
  'GET /checkins/new': pageMember(200),
  'POST /checkins/new': pageMember('303 /checkins?saved=1'),
  // Pages never answer 403 for someone else's check-in: 404.
  'GET /checkins/{}/edit': checkinVariants(pageOwn, 200),
  'POST /checkins/{}/edit': checkinVariants(pageOwn, '303 /checkins?saved=1'),
  'GET /checkins/{}/delete': checkinVariants(pageOwn, 200),
  'POST /checkins/{}/delete': checkinVariants(pageOwn, '303 /checkins?deleted=1'),
  // Repairs pages (variants as for the API above). The redirect after opening or saving names the
  // repair's id, so those rows give the status alone (303).
  'GET /repairs': pageMember(200),
  'GET /repairs/new': pageMember(200),
  // The safety check with nothing ticked goes on to the form; ticked boxes would show the resources (200).
  'POST /repairs/safety': pageMember('303 /repairs/new?ready=1'),
  'POST /repairs/new': pageMember(303),
  'GET /repairs/{}': {
    variants: { open: pageOwn(200, { partner: 200 }), revealed: pageOwn(200, { partner: 200 }), solo: pageOwn(200) },
  },
  // Saving a draft redirects to /repairs/ID?saved=1; a submitted side re-renders the page with 409.
  'POST /repairs/{}/mine': {
    variants: { open: pageOwn(303, { partner: 303 }), revealed: pageOwn(409, { partner: 409 }), solo: pageOwn(303) },
  },
  // Acknowledging redirects to /repairs/ID; before the reveal (and always for solo) the page re-renders with 409.
  'POST /repairs/{}/acknowledge': {
    variants: { open: pageOwn(409, { partner: 409 }), revealed: pageOwn(303, { partner: 303 }), solo: pageOwn(409) },
  },
  // The private check for a repair (issue 11): the joining partner's before writing, anyone's before "I have
  // heard you"; it redirects to the repair (or, after a worrying answer, to the resources); others 404.
  'POST /repairs/{}/safety': {
    variants: { open: pageOwn(303, { partner: 303 }), revealed: pageOwn(303, { partner: 303 }), solo: pageOwn(303) },
  },
  // Issue 14, the step pages: a step of a repair whose sides are not both open (open, and the unfinished solo
  // fixture) redirects to the repair (303); revealed, the step shows (200: the private check first, as no
  // check was taken), and its forms redirect back (303; without a clear check nothing is shared or answered).
  'GET /repairs/{}/steps/{}': {
    variants: { open: pageOwn(303, { partner: 303 }), revealed: pageOwn(200, { partner: 200 }), solo: pageOwn(303) },
  },
  'POST /repairs/{}/steps/{}': {
    variants: { open: pageOwn(303, { partner: 303 }), revealed: pageOwn(303, { partner: 303 }), solo: pageOwn(303) },
  },
  'POST /repairs/{}/steps/{}/answer': {
    variants: { open: pageOwn(303, { partner: 303 }), revealed: pageOwn(303, { partner: 303 }), solo: pageOwn(303) },
  },
  'POST /repairs/{}/steps/{}/agreement': {
    variants: { open: pageOwn(303, { partner: 303 }), revealed: pageOwn(303, { partner: 303 }), solo: pageOwn(303) },
  },
  // The safety page is public (reachable before signing in and through the quick exit).
  'GET /safety': all(200),
  'GET /prompts': pageMember(200),
  // Once a day per person, and only while nobody answered: self and partner's prompt is answered; every
  // other actor already asked for another prompt today through POST /api/v1/prompts/today/skip (its row
  // runs earlier), so the page re-renders with 409 for all.
  'POST /prompts/skip': pageMember(409),
  'GET /prompts/history': pageMember(200),
  // A failed answer re-renders today's page with the typed words and 409: self and partner already answered;
  // for everybody else the id is not theirs, and the page answers any unknown id alike (409 "today's question
  // changed while you were writing"), so nothing about the couple's prompt leaks (no 404/409 difference).
  'POST /prompts/{}/answer': { variants: { answered: pageMember(409) } },
  'POST /prompts/{}/acknowledge': { variants: { answered: pageOwn('303 /prompts', { partner: '303 /prompts' }) } },
  'GET /space': pageMember(200),
  // The space page re-renders with the problem's status (409, 404) when an action fails.
  'POST /space/create': {
    anonymous: '303 /login', self: 409, partner: 409, outsider: 409, ...therapists('303 /space'), admin: '303 /space',
  },
  'POST /space/invite': {
    anonymous: '303 /login', self: 409, partner: 409, outsider: '303 /space?invited=1', ...therapists(404), admin: 404,
  },
  'POST /space/join': {
    anonymous: '303 /login', self: 409, partner: 409, outsider: 409,
    ...therapists('303 /space?joined=1'), admin: '303 /space?joined=1',
  },
  'POST /space/leave': {
    anonymous: '303 /login', self: '303 /space?left=1', partner: '303 /space?left=1', outsider: '303 /space?left=1',
    ...therapists(404), admin: 404,
  },

  // ================================================================= pending invite codes (issue 10, part D)
  // Invite variants (the {} is an invite code's id; self and partner's space is full, so it can have no pending
  // code: the codes are outsider's, who is alone in a space of their own):
  //   pending - a fresh unused code of outsider's space: outsider revokes it (204); for everybody else it is
  //             another space's code: 404, never 403.
  //   revoked - a code outsider made and revoked: 404 for everybody, outsider included (the same answer as
  //             for another space's code, so nothing tells the two apart).
  // The list: members of a space read their own space's (self and partner: empty; outsider: the pending
  // codes, never the code itself); without a space 404.
  'GET /api/v1/spaces/current/invites': {
    anonymous: 401, self: 200, partner: 200, outsider: 200, ...therapists(404), admin: 404,
  },
  'DELETE /api/v1/spaces/current/invites/{}': {
    variants: {
      pending: { ...apiOwn(404), outsider: 204 },
      revoked: apiOwn(404, { partner: 404 }),
    },
  },
  // The space page's revoke button; a failure re-renders the space page with 404 (no space: 404 too).
  'POST /space/invites/{}/revoke': {
    variants: {
      pending: { ...pageOwn(404), outsider: '303 /space?revoked=1' },
      revoked: pageOwn(404),
    },
  },

  // ===================================================================== growth (agreements, questionnaires,
  // trends, timeline, export, account deletion) — rows added with tests/e2e/{agreements,questionnaires,trends,
  // export,deletion}.test.mjs. Kept together in this block.
  //
  // Agreement variants (the {} is an agreement self wrote in the couple's space; either partner may read, change
  // and review the couple's agreements; anybody else gets 404):
  //   active  - status "active" (the partner said yes, issue 14): reviews are accepted (201; the page redirects
  //             to /agreements?reviewed=1).
  //   proposed - a fresh proposal of self's per call, for the partner's answers (accept, discuss).
  //   retired - status "retired": a review gets 409 (the page re-renders with 409) until it is active again.
  //             PATCH / the status form keep it retired (body {status: "retired"}).
  // Questionnaire variant (the {} is an instrument id, not anybody's object: every member may use it):
  //   security-check - the shipped instrument.
  // Without a space (outsider alone, therapists, admin) agreements, responses and trends are the person's own.
  'GET /api/v1/me/export': apiMember(200),
  // The recipe signs up a throw-away account per actor (the fixed actors must survive) and sends its password;
  // anonymous sends no token.
  'DELETE /api/v1/me': apiMember(204),
  'POST /api/v1/agreements': apiMember(201),
  'GET /api/v1/agreements': apiMember(200),
  'GET /api/v1/agreements/{}': {
    variants: { active: apiOwn(200, { partner: 200 }), retired: apiOwn(200, { partner: 200 }) },
  },
  'PATCH /api/v1/agreements/{}': {
    variants: { active: apiOwn(200, { partner: 200 }), retired: apiOwn(200, { partner: 200 }) },
  },
  'POST /api/v1/agreements/{}/reviews': {
    variants: { active: apiOwn(201, { partner: 201 }), retired: apiOwn(409, { partner: 409 }) },
  },
  // Issue 14: the partner's answer to a proposal of self's (a fresh one per call): the author may not answer
  // their own (409 not_yours_to_accept); an active one waits for no answer (409 not_proposed).
  'POST /api/v1/agreements/{}/accept': {
    variants: { proposed: apiOwn(409, { partner: 200 }), active: apiOwn(409, { partner: 409 }) },
  },
  'POST /api/v1/agreements/{}/discuss': {
    variants: { proposed: apiOwn(409, { partner: 200 }), active: apiOwn(409, { partner: 409 }) },
  },
  'POST /agreements/{}/accept': {
    variants: { proposed: pageOwn(409, { partner: '303 /agreements?accepted=1' }), active: pageOwn(409, { partner: 409 }) },
  },
  'POST /agreements/{}/discuss': {
    variants: { proposed: pageOwn(409, { partner: '303 /agreements?discussed=1' }), active: pageOwn(409, { partner: 409 }) },
  },
  'GET /api/v1/questionnaires': apiMember(200),
  'GET /api/v1/questionnaires/{}': { variants: { 'security-check': apiMember(200) } },
  // A complete, valid answer set (visibility private): everybody signed in may answer for themselves.
  'POST /api/v1/questionnaires/{}/responses': { variants: { 'security-check': apiMember(201) } },
  'GET /api/v1/questionnaires/{}/responses': { variants: { 'security-check': apiMember(200) } },
  // ?metric=mood: one's own series (author=me); without a partner the partner series is empty, still 200.
  'GET /api/v1/trends': apiMember(200),
  'GET /api/v1/trends.svg': apiMember(200),
  'GET /api/v1/timeline': apiMember(200),
  // Pages of the growth features.
  'GET /agreements': pageMember(200),
  'POST /agreements/new': pageMember('303 /agreements'),
  'POST /agreements/{}/review': {
    variants: {
      active: pageOwn('303 /agreements?reviewed=1', { partner: '303 /agreements?reviewed=1' }),
      retired: pageOwn(409, { partner: 409 }),
    },
  },
  'POST /agreements/{}/status': {
    variants: {
      active: pageOwn('303 /agreements', { partner: '303 /agreements' }),
      retired: pageOwn('303 /agreements', { partner: '303 /agreements' }),
    },
  },
  'GET /questionnaires': pageMember(200),
  'GET /questionnaires/{}': { variants: { 'security-check': pageMember(200) } },
  'POST /questionnaires/{}': { variants: { 'security-check': pageMember('303 /questionnaires/security-check?done=1') } },
  'GET /trends': pageMember(200),
  'GET /timeline': pageMember(200),
  'GET /account/export': pageMember(200),
  'GET /account/delete': pageMember(200),
  // A throw-away account's page session and its password (as for DELETE /api/v1/me).
  'POST /account/delete': pageMember('303 /?deleted=1'),
  // ================================================================= end of growth rows

  // ================================================================= therapist
  // Therapist-space variant (the {} is a space id):
  //   space - self's space. The three linked actors are linked to it in their own consent state (the partner
  //           always consents); therapist_unlinked, admin and the members get 404 (API.md: 404, never 403). What a
  //           linked therapist reads is checked too (matrix.test.mjs `check`): self's "therapist" check-ins only
  //           while self consents, never "partner"/"private" ones, never a repair's side texts.
  // Only therapists invite couples; members and the admin get 403.
  'POST /api/v1/therapist/invites': { anonymous: 401, self: 403, partner: 403, outsider: 403, ...therapists(201), admin: 403 },
  // {code}: a fresh code of therapist_unlinked's. self and partner's space already has a therapist (409
  // therapist_linked); outsider's has none (200; unlinked again afterwards); no space: 404.
  'POST /api/v1/spaces/current/therapist': {
    anonymous: 401, self: 409, partner: 409, outsider: 200, ...therapists(404), admin: 404,
  },
  // {grant: true}: per partner; outsider's space has no therapist, the others have no space: 404.
  'POST /api/v1/spaces/current/therapist/consent': {
    anonymous: 401, self: 200, partner: 200, outsider: 404, ...therapists(404), admin: 404,
  },
  'DELETE /api/v1/spaces/current/therapist': {
    anonymous: 401, self: 204, partner: 204, outsider: 404, ...therapists(404), admin: 404,
  },
  // Both partners read their space's log; outsider reads their own (empty) one; no space: 404.
  'GET /api/v1/spaces/current/access-log': {
    anonymous: 401, self: 200, partner: 200, outsider: 200, ...therapists(404), admin: 404,
  },
  'GET /api/v1/therapist/spaces': { anonymous: 401, self: 403, partner: 403, outsider: 403, ...therapists(200), admin: 403 },
  'GET /api/v1/therapist/spaces/{}/checkins': { variants: { space: linkedOnly(200) } },
  'GET /api/v1/therapist/spaces/{}/repairs': { variants: { space: linkedOnly(200) } },
  'GET /api/v1/therapist/spaces/{}/trends': { variants: { space: linkedOnly(200) } },
  'GET /api/v1/therapist/spaces/{}/safety-checks': { variants: { space: linkedOnly(200) } },
  // Notes are the therapist's own, whatever the couple's consent.
  'POST /api/v1/therapist/spaces/{}/notes': { variants: { space: linkedOnly(201) } },
  'GET /api/v1/therapist/spaces/{}/notes': { variants: { space: linkedOnly(200) } },
  // Issue 13 (sessions): the shared questionnaire results (self's only while self consents: checked), the next
  // session (the therapist's own information for the couple: whatever the consent) and the summary.
  'GET /api/v1/therapist/spaces/{}/questionnaires': { variants: { space: linkedOnly(200) } },
  'PUT /api/v1/therapist/spaces/{}/next-session': { variants: { space: linkedOnly(200) } },
  'GET /api/v1/therapist/spaces/{}/summary': { variants: { space: linkedOnly(200) } },
  // Pages. The therapist home lists the linked spaces: therapists only (403 for everybody else).
  'GET /therapist': { anonymous: '303 /login', self: 403, partner: 403, outsider: 403, ...therapists(200), admin: 403 },
  // A new code is shown on the home page (200).
  'POST /therapist/invite': { anonymous: '303 /login', self: 403, partner: 403, outsider: 403, ...therapists(200), admin: 403 },
  'GET /therapist/spaces/{}': { variants: { space: linkedOnlyPage(200) } },
  // A saved note redirects to /therapist/spaces/ID (status only).
  'POST /therapist/spaces/{}/notes': { variants: { space: linkedOnlyPage(303) } },
  // Issue 13: the next session's form redirects back to the couple's page; the summary page.
  'POST /therapist/spaces/{}/next-session': { variants: { space: linkedOnlyPage(303) } },
  'GET /therapist/spaces/{}/summary': { variants: { space: linkedOnlyPage(200) } },
  // The couple's side, posted from /space; failures re-render the space page with the problem's status.
  'POST /space/therapist': {
    anonymous: '303 /login', self: 409, partner: 409, outsider: '303 /space?therapist=linked', ...therapists(404), admin: 404,
  },
  'POST /space/therapist/consent': {
    anonymous: '303 /login', self: '303 /space', partner: '303 /space', outsider: 404, ...therapists(404), admin: 404,
  },
  'POST /space/therapist/unlink': {
    anonymous: '303 /login', self: '303 /space?therapist=unlinked', partner: '303 /space?therapist=unlinked',
    outsider: 404, ...therapists(404), admin: 404,
  },

  // ================================================================= articles
  // Article variants (the {} is an article's slug; its author is therapist_unlinked, "the author"):
  //   published - everybody may read it and its comments; signed-in readers may comment (pending unless they
  //               wrote it); changing, deleting and moderating are the author's and the admin's: others 403
  //               (the article is public, so nothing leaks).
  //   draft     - the author and the admin alone: everybody else 404, as if it did not exist.
  // Comment variant (the second {} of the moderation routes):
  //   pending   - a fresh comment self wrote on a published article, waiting for approval; self may not
  //               approve or delete it (403): the article's author or an admin moderates.
  'GET /api/v1/articles': all(200),
  // Members write no articles (403); therapists and the admin do.
  'POST /api/v1/articles': { anonymous: 401, self: 403, partner: 403, outsider: 403, ...therapists(201), admin: 201 },
  'GET /api/v1/articles/{}': { variants: { published: all(200), draft: articleDraft(200) } },
  'PATCH /api/v1/articles/{}': { variants: { published: articleManage(200, 403), draft: articleManage(200, 404) } },
  'DELETE /api/v1/articles/{}': { variants: { published: articleManage(204, 403), draft: articleManage(204, 404) } },
  'GET /api/v1/articles/{}/comments': { variants: { published: all(200), draft: articleDraft(200) } },
  'POST /api/v1/articles/{}/comments': {
    variants: { published: { ...all(201), anonymous: 401 }, draft: { ...articleDraft(201), anonymous: 401 } },
  },
  'POST /api/v1/articles/{}/comments/{}/approve': { variants: { pending: articleManage(200, 403) } },
  'DELETE /api/v1/articles/{}/comments/{}': { variants: { pending: articleManage(204, 403) } },
  'GET /articles.atom': all(200),
  // Pages. Saving an article or a comment redirects to the article (its slug in the Location: status only).
  'GET /articles': all(200),
  'GET /articles/new': { anonymous: '303 /login', self: 403, partner: 403, outsider: 403, ...therapists(200), admin: 200 },
  'POST /articles/new': { anonymous: '303 /login', self: 403, partner: 403, outsider: 403, ...therapists(303), admin: 303 },
  'GET /articles/{}': { variants: { published: all(200), draft: articleDraft(200) } },
  'POST /articles/{}/comments': {
    variants: {
      published: { ...all(303), anonymous: '303 /login' },
      draft: { ...articleDraft(303), anonymous: '303 /login' },
    },
  },
  // The moderation form (action=approve).
  'POST /articles/{}/comments/{}': { variants: { pending: articleManagePage(303, 403) } },
  'GET /articles/{}/edit': { variants: { published: articleManagePage(200, 403), draft: articleManagePage(200, 404) } },
  'POST /articles/{}/edit': { variants: { published: articleManagePage(303, 403), draft: articleManagePage(303, 404) } },

  // ================================================================= two-step login (issue 10, part B)
  // Each signed-in account sets up, confirms and turns off its own two-step login; nobody can reach
  // another's (there is no id in these paths). The recipes turn it off again afterwards, whatever the
  // answer, so every actor keeps logging in with the password alone.
  'POST /api/v1/me/two-step': apiMember(201),
  // The recipe starts a setup for the actor and sends the code for now (computed as RFC 6238 says).
  'POST /api/v1/me/two-step/confirm': apiMember(200),
  // The recipe turns it on first and sends the actor's password.
  'DELETE /api/v1/me/two-step': apiMember(204),
  'GET /account/two-step': pageMember(200),
  'POST /account/two-step': pageMember('303 /account/two-step'),
  // The answer is the page with the recovery codes (shown once: no redirect).
  'POST /account/two-step/confirm': pageMember(200),
  'POST /account/two-step/off': pageMember('303 /account?two_step=off'),
  // The second request of a page login: a ticket from POST /login of an account with two-step on (made
  // with the CLI for each request) and its code; public, like POST /login, from any session.
  'POST /login/code': all('303 /dashboard'),
  // The code page is only ever the answer to a password: a GET shows the login form (as GET /login does).
  'GET /login/code': { ...all('303 /dashboard'), anonymous: 200 },
  // ================================================ sessions and passwords (issue 10, part A)
  // Session variant (the {} is a session id): other - a throw-away session of self's. Only self may end it;
  // anybody else's answer is 404, as for a session that does not exist.
  'GET /api/v1/sessions': apiMember(200),
  // The actor's own password, typed again: the session is fresh again.
  'POST /api/v1/sessions/current/reauth': apiMember(204),
  'DELETE /api/v1/sessions/{}': { variants: { other: apiOwn(204) } },
  // A throw-away account per actor changes its password (its other sessions end; the fixed actors keep theirs).
  'POST /api/v1/me/password': apiMember(204),
  'GET /account/password': pageMember(200),
  'POST /account/password': pageMember('303 /account?password=1'),
  // Ends every other session of the actor (the test logs the actor in again afterwards).
  'POST /account/sessions/end-others': pageMember('303 /account?others=1'),
  'POST /account/sessions/{}/end': { variants: { other: pageOwn('303 /account?ended_one=1') } },
  'GET /reauth': pageMember(200),
  // The actor's own password; back to where the form says (next=/account).
  'POST /reauth': pageMember('303 /account'),

  // ================================================================= check-ins (issue 11)
  // Replies to a check-in: the partner who may see it (its appreciation shared) answers 201; its author 403
  // (they may see it, replies are for the partner); everybody else 404. The page redirects to /checkins.
  'POST /api/v1/checkins/{}/acknowledge': checkinVariants(apiOwn, 403, 201),
  'POST /checkins/{}/acknowledge': checkinVariants(pageOwn, 403, '303 /checkins?acknowledged=1'),
  // Each person's default for new check-in items: their own setting, for every signed-in account.
  'PUT /api/v1/me/checkin-visibility': apiMember(200),
  'POST /account/checkin-visibility': pageMember('303 /account?visibility=saved'),
  // ================================================ the home's cards, Growth, leaving, Quick exit (issue 11)
  // Everybody signed in has their own cards (a therapist none). The dismissal names a card of self's (the
  // partner opened a repair just before): only self can set it aside; for anybody else it is no card of
  // theirs (404). The page treats a card that no longer waits as set aside already and goes home.
  'GET /api/v1/home': apiMember(200),
  'POST /api/v1/home/dismiss': { anonymous: 401, self: 204, partner: 404, outsider: 404, ...therapists(404), admin: 404 },
  'POST /home/dismiss': pageMember('303 /dashboard'),
  'GET /growth': pageMember(200),
  // The confirmation before leaving: in a space only; without one, the space page.
  'GET /space/leave': {
    anonymous: '303 /login', self: 200, partner: 200, outsider: 200, ...therapists('303 /space'), admin: '303 /space',
  },
  'POST /account/quick-exit': pageMember('303 /account?quick_exit=saved'),

  // ================================================ time as people say it (issue 12)
  // Everybody signed in changes their own name and time zone (here: the zone back to their space's).
  'PATCH /api/v1/me': apiMember(200),
  'POST /account/profile': pageMember('303 /account?profile=1'),

  // ================================================ the blog and web hygiene (issue 12)
  'GET /robots.txt': all(200),
  'GET /sitemap.xml': all(200),
  'GET /api/v1/tags': all(200),
  'GET /articles/tags': all(200),
  // The Account page's bio form: anyone signed in may save their own.
  'POST /account/bio': pageMember('303 /account?bio=1#bio-heading'),

  // ================================================ our cycle, what we came through (issue 14)
  // Everybody signed in has a cycle of their own scope (a therapist's or the admin's: alone, no shared part).
  // Each request starts from no side of the actor's, or (submit) from a draft of theirs.
  'GET /api/v1/cycle': apiMember(200),
  'PUT /api/v1/cycle/mine': apiMember(200),
  // Submitting needs a partner: alone (outsider, therapists, admin) 409 no_partner.
  'POST /api/v1/cycle/mine/submit': { anonymous: 401, self: 200, partner: 200, outsider: 409, ...therapists(409), admin: 409 },
  // The shared text: self and partner (both sides submitted first); alone, never (409 not_revealed).
  'PUT /api/v1/cycle/shared': { anonymous: 401, self: 200, partner: 200, outsider: 409, ...therapists(409), admin: 409 },
  'GET /api/v1/therapist/spaces/{}/cycle': { variants: { space: linkedOnly(200) } },
  'GET /api/v1/came-through': apiMember(200),
  'GET /cycle': pageMember(200),
  'POST /cycle/mine': pageMember('303 /cycle?saved=1'),
  'POST /cycle/shared': {
    anonymous: '303 /login', self: '303 /cycle?saved=1#shared-heading', partner: '303 /cycle?saved=1#shared-heading',
    outsider: 409, ...therapists(409), admin: 409,
  },
  // The private check before writing one's side: not worried, back to the cycle.
  'POST /cycle/safety': pageMember('303 /cycle'),
  'GET /came-through': pageMember(200),
  // ================================================ conversation decks, the installable app (issue 15)
  // The decks are public content: the same for everybody, signed in or not ({} is a deck's id).
  'GET /api/v1/decks': all(200),
  'GET /api/v1/decks/{}': { variants: { deck: all(200) } },
  'GET /decks': all(200),
  'GET /decks/{}': { variants: { deck: all(200) } },
  // "Ask this tomorrow": everybody signed in chooses for their own daily question (their space's, or
  // their own without one), as everybody signed in has one (GET /api/v1/prompts/today).
  'POST /api/v1/prompts/tomorrow': apiMember(200),
  'POST /prompts/tomorrow': pageMember('303 /decks/again?asked=1#q-again-001'),
  'GET /manifest.webmanifest': all(200),
  'GET /sw.js': all(200),
  'GET /offline': all(200),
  // ================================================ homework from the therapist (issue 13)
  // The therapist's side, about self's space in the actor's state (as the other therapist reads): only a linked
  // therapist; everybody else 404. Homework "for both" may be given while the partner consents (always here).
  // Variant "assigned" (the second {}): homework for both, just given by the therapist linked for the request.
  'POST /api/v1/therapist/spaces/{}/homework': { variants: { space: linkedOnly(201) } },
  'GET /api/v1/therapist/spaces/{}/homework': { variants: { space: linkedOnly(200) } },
  'DELETE /api/v1/therapist/spaces/{}/homework/{}': { variants: { assigned: linkedOnly(204) } },
  'POST /therapist/spaces/{}/homework': { variants: { space: linkedOnlyPage(303) } },
  'POST /therapist/spaces/{}/homework/{}/delete': { variants: { assigned: linkedOnlyPage(303) } },
  // The partner's side: everybody signed in has a list of their own (empty without a consented therapist);
  // homework for both in self's space (self and the partner consent in the resting state) is answered by
  // each of them, and is nobody else's (404).
  'GET /api/v1/homework': apiMember(200),
  'POST /api/v1/homework/{}/done': { variants: { assigned: apiOwn(200, { partner: 200 }) } },
  'POST /api/v1/homework/{}/not-this-week': { variants: { assigned: apiOwn(200, { partner: 200 }) } },
  'GET /homework': pageMember(200),
  'POST /homework/{}/done': {
    variants: { assigned: pageOwn('303 /homework?saved=done', { partner: '303 /homework?saved=done' }) },
  },
  'POST /homework/{}/not-this-week': {
    variants: { assigned: pageOwn('303 /homework?saved=later', { partner: '303 /homework?saved=later' }) },
  },
  // ================================================ a bridge between sessions (issue 13)
  // The list lives in a space: those in one (self, partner, outsider) add to and read their own; the therapists
  // and the admin are in none (404; the page says so with a link to the space page).
  // Bridge variants (the {} is an item of self's list): private - shared with nobody; shared - shared with the
  // therapist and the partner. Only self changes or deletes it; the partner who can see it gets 404 too.
  'POST /api/v1/bridge': { anonymous: 401, self: 201, partner: 201, outsider: 201, ...therapists(404), admin: 404 },
  'GET /api/v1/bridge': { anonymous: 401, self: 200, partner: 200, outsider: 200, ...therapists(404), admin: 404 },
  'PATCH /api/v1/bridge/{}': { variants: { private: apiOwn(200), shared: apiOwn(200) } },
  'DELETE /api/v1/bridge/{}': { variants: { private: apiOwn(204), shared: apiOwn(204) } },
  // The linked therapist reads whatever the consent (the list of a partner who does not consent is empty;
  // the recipe checks the content); everybody else 404.
  'GET /api/v1/therapist/spaces/{}/bridge': { variants: { space: linkedOnly(200) } },
  // Only the therapist self consents to may mark self's shared item; an unshared one is nobody's to mark.
  'POST /api/v1/therapist/spaces/{}/bridge/{}/talked-about': {
    variants: {
      shared: { ...linkedOnly(404), therapist_linked_consent: 200 },
      private: linkedOnly(404),
    },
  },
  'GET /bridge': pageMember(200),
  'POST /bridge': {
    anonymous: '303 /login', self: '303 /bridge?added=1', partner: '303 /bridge?added=1', outsider: '303 /bridge?added=1',
    ...therapists(404), admin: 404,
  },
  'POST /bridge/{}': { variants: { private: pageOwn('303 /bridge?saved=1'), shared: pageOwn('303 /bridge?saved=1') } },
  'POST /bridge/{}/delete': { variants: { private: pageOwn('303 /bridge?removed=1'), shared: pageOwn('303 /bridge?removed=1') } },
  // Back to the couple's page (/therapist/spaces/ID#bridge-heading: status only).
  'POST /therapist/spaces/{}/bridge/{}/talked-about': {
    variants: {
      shared: { ...linkedOnlyPage(404), therapist_linked_consent: 303 },
      private: linkedOnlyPage(404),
    },
  },
  // ================================================ a break with a promise to return (issue 14)
  // Anyone signed in may take a break of their own (alone it is a personal pause). Self is on a break
  // before the reads and the ends: self and the partner read it; everybody else has none to read (404).
  // Nobody but self can end it: the partner's DELETE finds no break of theirs (404), and the page's
  // "I'm ready to come back" of anyone else ends nothing of self's (the recipe checks self's still runs).
  'POST /api/v1/breaks': apiMember(201),
  'GET /api/v1/breaks/current': {
    anonymous: 401, self: 200, partner: 200, outsider: 404, ...therapists(404), admin: 404,
  },
  'DELETE /api/v1/breaks/current': {
    anonymous: 401, self: 204, partner: 404, outsider: 404, ...therapists(404), admin: 404,
  },
  'GET /break': pageMember(200),
  'POST /break': pageMember('303 /break'),
  // Self comes back ("welcome back"); anybody else had no break to end: home, and self's still runs.
  'POST /break/end': { ...pageMember('303 /dashboard'), self: '303 /dashboard?back=1' },

  // ================================================ reminders by the person's calendar (issue 15)
  // Everybody signed in sets their own reminders and calendar address; nobody reaches another's (the
  // {} of the reminder routes is a kind, and each actor acts on their own: the recipes set one first
  // where the route needs one). The feed is opened by its token alone, for whoever holds it; an ended
  // one is 404 for everybody.
  'GET /api/v1/reminders': apiMember(200),
  'PUT /api/v1/reminders/{}': { variants: { kind: apiMember(200) } },
  'DELETE /api/v1/reminders/{}': { variants: { set: apiMember(204) } },
  'POST /api/v1/calendar': apiMember(201),
  'DELETE /api/v1/calendar': apiMember(204),
  'GET /calendar/{}': { variants: { feed: all(200), ended: all(404) } },
  'GET /reminders': pageMember(200),
  'POST /reminders/{}': { variants: { kind: pageMember('303 /reminders?saved=1#checkin') } },
  'POST /reminders/{}/off': { variants: { set: pageMember('303 /reminders?removed=1') } },
  'POST /reminders/calendar': pageMember('303 /reminders?link=1#calendar-heading'),
  'POST /reminders/calendar/end': pageMember('303 /reminders?ended=1'),
  // Email (issue 15): the matrix's server has no SMTP server, so email is not offered: setting an address is
  // 409 email_unavailable for everybody signed in, and there is no address to remove (404). The links of an
  // email open by their token alone (no session, no CSRF): a page for anybody; a stale token is 404.
  'PUT /api/v1/me/email': apiMember(409),
  'DELETE /api/v1/me/email': apiMember(404),
  'POST /reminders/email': pageMember(404),
  'POST /reminders/email/remove': pageMember(404),
  'GET /email/confirm/{}': { variants: { stale: all(200) } },
  'POST /email/confirm/{}': { variants: { stale: all(404) } },
  'GET /unsubscribe/{}': { variants: { stale: all(200) } },
  'POST /unsubscribe/{}': { variants: { stale: all(404) } },
  // Quiet hours and notices (issue 15) are each person's own, under /me: there is no path to anybody else's,
  // so every signed-in actor sets and ends their own (the recipes set them first where the route needs them).
  // Notices come by email only in this version, which the matrix's server does not offer: turning them on is
  // 400 (channels) for everybody, and there are none to turn off (404).
  'PUT /api/v1/me/quiet-hours': apiMember(200),
  'DELETE /api/v1/me/quiet-hours': apiMember(204),
  'PUT /api/v1/me/notices': apiMember(400),
  'DELETE /api/v1/me/notices': apiMember(404),
  'POST /reminders/quiet-hours': pageMember('303 /reminders?quiet=1#quiet-heading'),
  'POST /reminders/quiet-hours/off': pageMember('303 /reminders?quiet_off=1#quiet-heading'),
  'POST /reminders/notices': pageMember(400),
  'POST /reminders/notices/off': pageMember(404),
  // Web push (issue 15): the key is for everybody signed in; a subscription (a device) is its owner's alone:
  // the {} is one of self's, which nobody else may see or remove (404, never 403).
  'GET /api/v1/push/key': apiMember(200),
  'GET /api/v1/push/subscriptions': apiMember(200),
  'POST /api/v1/push/subscriptions': apiMember(201),
  'DELETE /api/v1/push/subscriptions/{}': { variants: { own: apiOwn(204) } },
  'POST /reminders/push/{}/remove': { variants: { own: pageOwn('303 /reminders?device_removed=1#push-heading') } },
};
