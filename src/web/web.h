/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * web.h - the server-rendered pages: rendering into the layout, CSRF tokens
 * for forms, the session cookie, error pages, and the page handlers.
 */
#ifndef HEARTH_WEB_H
#define HEARTH_WEB_H

#include <jansson.h>

#include "../domain/problem.h"
#include "../domain/throttle.h"
#include "../http/http.h"

/*
 * Renders templates/TPL.html with ctx (stolen) inside the layout, adding
 * what every page needs (the viewer, the CSRF token, the quick-exit link).
 */
void web_render(struct request *r, int status, const char *tpl, const char *title, json_t *ctx);
/*
 * A JSON string of HTML this server drew (a page's body, a chart), n bytes:
 * checked with utf8_valid, which passes ASCII eight bytes at a time, instead
 * of jansson's check byte by byte (a tenth of a dashboard's CPU). NULL when
 * it is not UTF-8, as json_stringn.
 */
json_t *web_html_string(const char *html, size_t n);
void web_not_found(struct request *r);
void web_error_page(struct request *r, int status, const char *title, const char *message);
/*
 * The one mapping of a domain outcome to the status a page answers with: as
 * the API's (api_status), except that a refusal on an ACCESS_AUTHOR route is
 * 404, as if the item were not there.
 */
int web_status(const struct request *r, enum outcome o);
/* A failed action as a page of its own: not found, "please try again" for our faults, or the message. */
void web_problem_page(struct request *r, const struct problem *p);

/* The CSRF token a form on this page must carry (sets the pre-session cookie when needed). */
const char *web_csrf_token(struct request *r);
/* The token a submitted form must match; NULL when there is none. */
const char *web_csrf_expected(struct request *r);

/* The session cookie: for the browser session only, or for 30 days with "keep me signed in" (remember). */
void web_set_session_cookie(struct request *r, const char *token, bool remember);
void web_clear_session_cookie(struct request *r);
/* Who is logging in or signing up: the client's address and the device cookie it sent. */
void web_login_client(struct request *r, struct login_client *c);
/* Gives the browser the device cookie a successful login made (domain/throttle.h), if any. */
void web_set_device_cookie(struct request *r, const struct login_client *c);
/*
 * A throttled attempt (OUTCOME_THROTTLED; anything else is left alone): the
 * message becomes `what` (a sentence) and when to try again, in words
 * ("Please try again in about 14 minutes."), and Retry-After is sent.
 */
void web_throttled(struct request *r, struct problem *p, const char *what);
/*
 * A throttled login or sign-up, for templates/_paused.html: paused (the
 * message, with when to try again), paused_heading, paused_hint.
 */
void web_add_paused(struct request *r, json_t *ctx, const struct problem *p, const char *heading, const char *hint);
/* Adds errors: {field: message} and error_summary: [{field, message}] to ctx, in the reader's language. */
void web_add_problem(struct request *r, json_t *ctx, const struct problem *p);
/* The same for n problems at once, each on its own field: a form shows all that is wrong together. */
void web_add_problems(struct request *r, json_t *ctx, const struct problem *ps, int n);

/* next when it is a path on this server ("/account/export"), else fallback: never another site. */
const char *web_local_path(const char *next, const char *fallback);
/*
 * True when the viewer's session is fresh (domain/session.h); else answers
 * with a redirect to the page that asks for the password again
 * (/reauth?next=BACK, BACK a path on this server: where to return after) and
 * returns false. For the pages of dangerous actions.
 */
bool web_require_fresh(struct request *r, const char *back);

/* The handlers, one file per feature (the route table in app/routes.c names them). */

/* web.c */
void web_static(struct request *r);
/* Issue 12 (web/assets.c): /static/NAME?v=VERSION for a page to link (arena), robots.txt, sitemap.xml. */
const char *web_asset_url(struct request *r, const char *name);
void web_robots(struct request *r);
/*
 * Called by the router after every handler: gzips a public page asked for
 * without a session, when the client takes gzip and the page has no CSRF field
 * (BREACH); anything else is left as it is.
 */
void web_compress_public(struct request *r);
void web_sitemap(struct request *r);
void web_tags(struct request *r);
/* web/blog.c: the bio form of the Account page (its context), and saving it (POST /account/bio). */
void web_bio_account(struct request *r, json_t *ctx);
void web_bio_save(struct request *r);
/* home.c */
void web_home(struct request *r);
void web_dashboard(struct request *r);
/* account.c */
void web_signup_form(struct request *r);
void web_signup(struct request *r);
void web_login_form(struct request *r);
void web_login(struct request *r);
void web_logout(struct request *r);
void web_account(struct request *r);
/* The account page with ctx (what a form kept, its errors) and the page's own parts; takes ctx. */
void web_account_page(struct request *r, int status, json_t *ctx);
void web_logout_everywhere(struct request *r);
void web_account_delete_form(struct request *r);
void web_account_delete(struct request *r);
/* session.c */
void web_password_form(struct request *r);
void web_password_change(struct request *r);
void web_session_end(struct request *r);
void web_sessions_end_others(struct request *r);
void web_reauth_form(struct request *r);
void web_reauth(struct request *r);
/* The account page's part about sessions: {sessions: [...], has_others, fresh} added to ctx. */
void web_sessions_context(struct request *r, json_t *ctx);
/*
 * when.c (issue 12): a time (ms) or a date (YYYY-MM-DD) as the reader says it, for a
 * template: {html: "<time datetime=...>Today, 20:14</time>", text: "Today, 20:14"};
 * templates write {{&x.html}} (drawn and escaped here) or {{x.text}}. The caller owns it.
 */
json_t *web_when(const struct request *r, int64_t at);
json_t *web_on(const struct request *r, const char *date, bool capital);
/* A date for what is printed: {html: "<time datetime=\"2026-11-27\">27 Nov 2026</time>"}. */
json_t *web_on_full(const struct request *r, const char *date);
/* For what is printed and read later: "27 Nov 2025, 20:14", never "Today". */
json_t *web_when_full(const struct request *r, int64_t at);
/* As web_when (or web_when_full) for an RFC 3339 UTC time, as the domain's JSON has them. */
json_t *web_when_stamp(const struct request *r, const char *stamp, bool full);
/* Issue 14: a clock time as the reader will see it, for "back around ...": "20:30", "09:00 tomorrow". */
json_t *web_around(const struct request *r, int64_t at);
/* The reader's local day of `at` as words in r's arena: "27 Nov", "27 Nov 2025" when not this year's. */
const char *web_day(struct request *r, int64_t at);
/* profile.c (issue 12): the name and time zone part of the account page */
/*
 * Issue 16: a select's choices of language: `none` (value ""), then each
 * language by its own name with its lang; the one `chosen` ("es", "" or NULL) selected.
 */
json_t *web_language_choices(const char *none, const char *chosen);
void web_profile_save(struct request *r);
/* Adds {profile: {display_name, time_zone, zone, space_zone}} unless ctx has it (a form kept). */
void web_profile_context(struct request *r, json_t *ctx);
/* therapy_session.c (issue 13): sessions */
struct therapist_space;
/* Adds next_session (words in the reader's zone) to a member's therapist object when one is to come. */
void web_session_context(struct request *r, json_t *therapist);
/* The couple's page parts: the questionnaire results shared (instruments) and the next session's form (session). */
bool web_therapist_space_sessions(struct request *r, const struct therapist_space *ts, json_t *ctx, struct problem *p);
void web_therapist_next_session(struct request *r);
void web_therapist_summary(struct request *r);
/* space.c */
void web_space(struct request *r);
void web_space_create(struct request *r);
void web_space_invite(struct request *r);
void web_space_invite_revoke(struct request *r);
void web_space_join(struct request *r);
void web_space_leave(struct request *r);
/* A partner's consent for a template: consent_state (its name) and a flag for each state (granted, ...). */
json_t *web_consent(enum consent_state c);
/* The space page again with a problem (or an error page for our faults). */
void web_space_problem(struct request *r, const struct problem *p);
/* checkin.c */
void web_checkin_new_form(struct request *r);
void web_checkin_new(struct request *r);
void web_checkin_list(struct request *r);
void web_checkin_edit_form(struct request *r);
void web_checkin_edit(struct request *r);
void web_checkin_delete_form(struct request *r);
void web_checkin_delete(struct request *r);
/* POST /checkins/{id}/acknowledge, POST /account/checkin-visibility (issue 11) */
void web_checkin_acknowledge(struct request *r);
void web_checkin_default(struct request *r);
/* Adds the check-in default's part (checkin_default: {choices, saved}) to the Account page's ctx. */
void web_checkin_account(struct request *r, json_t *ctx);
/* A page of check-ins as the cards the dashboard and the history show. */
struct checkin_page;
json_t *web_checkin_cards(struct request *r, const struct checkin_page *page);
/* repair.c */
/* A repair's state ("open", ...) in the reader's words: the API keeps the code, pages show the words. */
const char *web_repair_state_words(enum lang l, const char *state);
/* Adds state_words beside the state of each repair of a list (the therapist's pages). */
void web_repair_states_in_words(struct request *r, json_t *repairs);
void web_repair_list(struct request *r);
void web_repair_new_form(struct request *r);
void web_repair_new(struct request *r);
void web_repair_show(struct request *r);
void web_repair_save(struct request *r);
void web_repair_acknowledge(struct request *r);
void web_repair_check(struct request *r);
/* repair_after.c (issue 14): the steps after the reveal */
void web_repair_after_show(struct request *r);
void web_repair_after_save(struct request *r);
void web_repair_after_answer(struct request *r);
void web_repair_after_propose(struct request *r);
/* safety.c */
void web_repair_safety(struct request *r);
void web_safety(struct request *r);
/* prompt.c */
void web_prompt_today(struct request *r);
void web_prompt_answer(struct request *r);
void web_prompt_acknowledge(struct request *r);
void web_prompt_skip(struct request *r);
void web_prompt_history(struct request *r);
/* agreement.c */
void web_agreements(struct request *r);
void web_agreement_create(struct request *r);
void web_agreement_review(struct request *r);
void web_agreement_status(struct request *r);
void web_agreement_accept(struct request *r);
void web_agreement_discuss(struct request *r);
/* questionnaire.c */
void web_questionnaires(struct request *r);
void web_questionnaire(struct request *r);
void web_questionnaire_respond(struct request *r);
/* trends.c */
void web_trends(struct request *r);
/* The last 30 days of mood as inline SVG for the dashboard, or NULL. */
char *web_dashboard_chart(struct request *r);
/*
 * The chart of one metric (mood, connection, secure or a questionnaire id)
 * for the viewer and, with_partner and where they may see it, the partner, from..to: inline
 * SVG, or a sentence in a <p> when there is nothing to draw. NULL with *p set
 * on failure. In the request's arena.
 */
char *web_chart_html(struct request *r, const char *metric, const char *from, const char *to, bool with_partner,
                     struct problem *p);
/* timeline.c */
void web_timeline(struct request *r);
/* export.c */
void web_export(struct request *r);
/* therapist.c */
void web_therapist_home(struct request *r);
void web_therapist_invite(struct request *r);
void web_therapist_space(struct request *r);
void web_therapist_note(struct request *r);
void web_space_therapist_link(struct request *r);
void web_space_therapist_consent(struct request *r);
void web_space_therapist_unlink(struct request *r);
/* article.c */
void web_articles(struct request *r);
void web_article(struct request *r);
void web_article_comment(struct request *r);
void web_article_moderate(struct request *r);
void web_article_new_form(struct request *r);
void web_article_new(struct request *r);
void web_article_edit_form(struct request *r);
void web_article_edit(struct request *r);
/* two_step.c (issue 10, part B) */
void web_two_step(struct request *r);
void web_two_step_begin(struct request *r);
void web_two_step_confirm(struct request *r);
void web_two_step_off(struct request *r);
void web_login_code_form(struct request *r);
void web_login_code(struct request *r);
/* Adds the two-step section's state (two_step.on, two_step_notice) to the Account page's ctx. */
void web_two_step_account(struct request *r, json_t *ctx);
/* After a password that matched, for someone with two-step on: the code page, with a new ticket. */
void web_login_second_step(struct request *r, const char *user_id);

/* home.c (issue 11): the home's cards, the Growth page, leaving the space, the quick-exit setting */
void web_home_dismiss(struct request *r);
void web_growth(struct request *r);
void web_space_leave_form(struct request *r);
void web_quick_exit_setting(struct request *r);

/* cycle.c (issue 14): our cycle, its private check, what we came through */
void web_cycle(struct request *r);
void web_cycle_save(struct request *r);
void web_cycle_shared(struct request *r);
void web_cycle_check(struct request *r);
void web_came_through(struct request *r);
/* deck.c (issue 15): the conversation decks, "Ask this tomorrow" */
void web_deck_list(struct request *r);
void web_deck(struct request *r);
void web_prompt_tomorrow(struct request *r);
/* app.c (issue 15): the installable app */
void web_manifest(struct request *r);
void web_service_worker(struct request *r);
void web_offline(struct request *r);
/* homework.c (issue 13): the partner's homework page, the therapist's forms, the section of the space page */
void web_homework(struct request *r);
void web_homework_done(struct request *r);
void web_homework_not_this_week(struct request *r);
void web_therapist_homework_add(struct request *r);
void web_therapist_homework_delete(struct request *r);
struct therapist_space;
/*
 * The homework section of the therapist's page of a space: adds "homework"
 * (the list), "homework_kinds", "homework_refs" and "homework_for" to ctx; *shown
 * is the number of assignments listed (for the visit's access-log line). ts
 * has one_visit set: nothing is logged here. in: what was typed, to keep on a
 * refused form (NULL: none).
 */
struct homework_input;
/*
 * What a piece of homework asks, as a phrase after "for this week:" (kind,
 * the title of what it names, its text), and the label of its action's
 * button in *button (NULL when it has none). For the homework page and the home's card.
 */
const char *web_homework_what(struct request *r, const char *kind, const char *title, const char *text,
                              const char **button);
/* therapist.c: the therapist's page of a space, with a problem and the homework form as typed (each may be NULL). */
void web_therapist_space_render(struct request *r, int status, const struct therapist_space *ts,
                                const struct problem *problem, const struct homework_input *homework_typed);
bool web_homework_section(struct request *r, const struct therapist_space *ts, const struct homework_input *in,
                          json_t *ctx, int *shown, struct problem *p) WARN_UNUSED;
/* bridge.c (issue 13): "For our next session", and the therapist's "Talked about" */
void web_bridge(struct request *r);
void web_bridge_add(struct request *r);
void web_bridge_change(struct request *r);
void web_bridge_delete(struct request *r);
void web_therapist_bridge_talked_about(struct request *r);
/* break.c (issue 14): a break with a promise to return */
void web_break(struct request *r);
void web_break_start(struct request *r);
void web_break_end(struct request *r);
/* issue 15: the Reminders page */
void web_reminders(struct request *r);
void web_reminder_save(struct request *r);
void web_reminder_off(struct request *r);
void web_calendar_new(struct request *r);
void web_calendar_end(struct request *r);

/* issue 15: the links of an email, and the address on the Reminders page */
void web_email_confirm_form(struct request *r);
void web_email_confirm(struct request *r);
void web_unsubscribe_form(struct request *r);
void web_unsubscribe(struct request *r);
void web_reminder_email(struct request *r);
void web_reminder_email_remove(struct request *r);
/* issue 15: quiet hours and notices on the Reminders page (web/notice.c) */
void web_quiet_save(struct request *r);
void web_quiet_off(struct request *r);
void web_notices_save(struct request *r);
void web_notices_off(struct request *r);
/* The Reminders page with ctx (its forms' faults, what was typed), at status: web/reminder.c. */
void web_reminders_render(struct request *r, int status, json_t *ctx);
/* Adds the quiet hours and notices forms to the Reminders page's ctx (a form already in it stays); false with p. */
bool web_notice_page_add(struct request *r, json_t *ctx, struct problem *p);
/* issue 15: a device that gets reminders by web push, removed from the Reminders page */
void web_push_remove(struct request *r);
/* Adds "push" to a Reminders page's ctx: the devices, whether there is one, the key and script. */
bool web_push_context(struct request *r, json_t *ctx, struct problem *p);

struct therapist_space;
/*
 * The therapist pages' one gate: opens the space named by the path's first
 * {} for the viewer, its therapist; false after the 404 page for anyone else.
 */
bool web_therapist_space_open(struct request *r, struct therapist_space *ts);

#endif
