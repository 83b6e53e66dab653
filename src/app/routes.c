/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * routes.c - every route of hearth in one table: method, path pattern, who
 * may call it, and the handler. The router (app/router.c) enforces the
 * access rule before a handler runs; `hearth routes` prints this table so the
 * authorization tests can check that every route has its expectations.
 * Below it, the handlers that hash a password (argon2id): the server runs
 * those a few at a time (http/server.c), so they never take every thread.
 */
#include "../api/api.h"
#include "../app.h"
#include "../http/metrics.h"
#include "../web/web.h"

const struct route routes[] = {
    /* service */
    {HTTP_GET, "/healthz", ACCESS_PUBLIC, api_health},
    {HTTP_GET, "/metrics", ACCESS_PUBLIC, metrics_handler},
    {HTTP_GET, "/static/{}", ACCESS_PUBLIC, web_static},
    {HTTP_GET, "/robots.txt", ACCESS_PUBLIC, web_robots},
    {HTTP_GET, "/sitemap.xml", ACCESS_PUBLIC, web_sitemap},

    /* API: its own description (issue 19) */
    {HTTP_GET, "/api/v1/openapi.json", ACCESS_PUBLIC, api_openapi},

    /* API: accounts and sessions */
    {HTTP_POST, "/api/v1/accounts", ACCESS_PUBLIC, api_account_create},
    {HTTP_POST, "/api/v1/sessions", ACCESS_PUBLIC, api_session_create},
    {HTTP_DELETE, "/api/v1/sessions/current", ACCESS_MEMBER, api_session_delete},
    {HTTP_DELETE, "/api/v1/sessions", ACCESS_MEMBER, api_session_delete_all},
    {HTTP_GET, "/api/v1/me", ACCESS_MEMBER, api_me},
    {HTTP_GET, "/api/v1/me/export", ACCESS_MEMBER, api_export},
    {HTTP_DELETE, "/api/v1/me", ACCESS_MEMBER, api_me_delete},
    {HTTP_PATCH, "/api/v1/me", ACCESS_MEMBER, api_me_patch},

    /* API: sessions and passwords (issue 10, part A) */
    {HTTP_GET, "/api/v1/sessions", ACCESS_MEMBER, api_session_list},
    {HTTP_POST, "/api/v1/sessions/current/reauth", ACCESS_MEMBER, api_session_reauth},
    {HTTP_DELETE, "/api/v1/sessions/{}", ACCESS_MEMBER, api_session_end},
    {HTTP_POST, "/api/v1/me/password", ACCESS_MEMBER, api_me_password},

    /* API: spaces */
    {HTTP_POST, "/api/v1/spaces", ACCESS_MEMBER, api_space_create},
    {HTTP_POST, "/api/v1/spaces/current/invites", ACCESS_MEMBER, api_space_invite},
    {HTTP_POST, "/api/v1/spaces/join", ACCESS_MEMBER, api_space_join},
    {HTTP_POST, "/api/v1/spaces/current/leave", ACCESS_MEMBER, api_space_leave},

    /* API: check-ins */
    {HTTP_POST, "/api/v1/checkins", ACCESS_MEMBER, api_checkin_create},
    {HTTP_GET, "/api/v1/checkins", ACCESS_MEMBER, api_checkin_list},
    {HTTP_GET, "/api/v1/checkins/{}", ACCESS_MEMBER, api_checkin_get},
    {HTTP_PATCH, "/api/v1/checkins/{}", ACCESS_MEMBER, api_checkin_patch},
    {HTTP_DELETE, "/api/v1/checkins/{}", ACCESS_MEMBER, api_checkin_delete},
    {HTTP_POST, "/api/v1/checkins/{}/acknowledge", ACCESS_MEMBER, api_checkin_acknowledge},
    {HTTP_PUT, "/api/v1/me/checkin-visibility", ACCESS_MEMBER, api_checkin_default_put},

    /* API: repairs, feelings, safety */
    {HTTP_POST, "/api/v1/repairs", ACCESS_MEMBER, api_repair_create},
    {HTTP_GET, "/api/v1/repairs", ACCESS_MEMBER, api_repair_list},
    {HTTP_GET, "/api/v1/repairs/{}", ACCESS_MEMBER, api_repair_get},
    {HTTP_PUT, "/api/v1/repairs/{}/mine", ACCESS_MEMBER, api_repair_put_mine},
    {HTTP_POST, "/api/v1/repairs/{}/mine/submit", ACCESS_MEMBER, api_repair_submit},
    {HTTP_POST, "/api/v1/repairs/{}/acknowledge", ACCESS_MEMBER, api_repair_acknowledge},
    /* issue 14: the steps after the reveal (the answer routes are literal, before STEP's submit) */
    {HTTP_PUT, "/api/v1/repairs/{}/steps/{}", ACCESS_MEMBER, api_repair_after_put},
    {HTTP_POST, "/api/v1/repairs/{}/steps/heard/answer", ACCESS_MEMBER, api_repair_after_answer_heard},
    {HTTP_POST, "/api/v1/repairs/{}/steps/my_part/answer", ACCESS_MEMBER, api_repair_after_answer_my_part},
    {HTTP_POST, "/api/v1/repairs/{}/steps/{}/submit", ACCESS_MEMBER, api_repair_after_submit},
    {HTTP_GET, "/api/v1/feelings", ACCESS_PUBLIC, api_feelings},
    {HTTP_POST, "/api/v1/safety-checks", ACCESS_MEMBER, api_safety_check},
    {HTTP_GET, "/api/v1/safety/resources", ACCESS_PUBLIC, api_safety_resources},

    /* API: prompts */
    {HTTP_GET, "/api/v1/prompts/today", ACCESS_MEMBER, api_prompt_today},
    {HTTP_POST, "/api/v1/prompts/today/skip", ACCESS_MEMBER, api_prompt_skip},
    {HTTP_GET, "/api/v1/prompts/history", ACCESS_MEMBER, api_prompt_history},
    {HTTP_POST, "/api/v1/prompts/{}/answer", ACCESS_MEMBER, api_prompt_answer},
    {HTTP_POST, "/api/v1/prompts/{}/acknowledge", ACCESS_MEMBER, api_prompt_acknowledge},

    /* API: growth */
    {HTTP_POST, "/api/v1/agreements", ACCESS_MEMBER, api_agreement_create},
    {HTTP_GET, "/api/v1/agreements", ACCESS_MEMBER, api_agreement_list},
    {HTTP_GET, "/api/v1/agreements/{}", ACCESS_MEMBER, api_agreement_get},
    {HTTP_PATCH, "/api/v1/agreements/{}", ACCESS_MEMBER, api_agreement_patch},
    {HTTP_POST, "/api/v1/agreements/{}/reviews", ACCESS_MEMBER, api_review_create},
    {HTTP_POST, "/api/v1/agreements/{}/accept", ACCESS_MEMBER, api_agreement_accept},   /* issue 14 */
    {HTTP_POST, "/api/v1/agreements/{}/discuss", ACCESS_MEMBER, api_agreement_discuss}, /* issue 14 */
    {HTTP_GET, "/api/v1/questionnaires", ACCESS_MEMBER, api_questionnaire_list},
    {HTTP_GET, "/api/v1/questionnaires/{}", ACCESS_MEMBER, api_questionnaire_get},
    {HTTP_POST, "/api/v1/questionnaires/{}/responses", ACCESS_MEMBER, api_qresponse_create},
    {HTTP_GET, "/api/v1/questionnaires/{}/responses", ACCESS_MEMBER, api_qresponse_list},
    {HTTP_GET, "/api/v1/trends", ACCESS_MEMBER, api_trends},
    {HTTP_GET, "/api/v1/trends.svg", ACCESS_MEMBER, api_trends_svg},
    {HTTP_GET, "/api/v1/timeline", ACCESS_MEMBER, api_timeline},

    /* API: therapist */
    {HTTP_POST, "/api/v1/therapist/invites", ACCESS_MEMBER, api_therapist_invite},
    {HTTP_POST, "/api/v1/spaces/current/therapist", ACCESS_MEMBER, api_therapist_link},
    {HTTP_POST, "/api/v1/spaces/current/therapist/consent", ACCESS_MEMBER, api_therapist_consent},
    {HTTP_DELETE, "/api/v1/spaces/current/therapist", ACCESS_MEMBER, api_therapist_unlink},
    {HTTP_GET, "/api/v1/spaces/current/access-log", ACCESS_MEMBER, api_access_log},
    {HTTP_GET, "/api/v1/therapist/spaces", ACCESS_MEMBER, api_therapist_spaces},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/checkins", ACCESS_MEMBER, api_therapist_checkins},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/repairs", ACCESS_MEMBER, api_therapist_repairs},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/trends", ACCESS_MEMBER, api_therapist_trends},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/safety-checks", ACCESS_MEMBER, api_therapist_safety},
    {HTTP_POST, "/api/v1/therapist/spaces/{}/notes", ACCESS_MEMBER, api_therapist_note_add},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/notes", ACCESS_MEMBER, api_therapist_notes},
    /* issue 13: sessions (api/therapy_session.c) */
    {HTTP_GET, "/api/v1/therapist/spaces/{}/questionnaires", ACCESS_MEMBER, api_therapist_questionnaires},
    {HTTP_PUT, "/api/v1/therapist/spaces/{}/next-session", ACCESS_MEMBER, api_therapist_next_session},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/summary", ACCESS_MEMBER, api_therapist_summary},

    /* API: articles (reading is public) */
    {HTTP_GET, "/api/v1/articles", ACCESS_PUBLIC, api_article_list},
    {HTTP_GET, "/api/v1/tags", ACCESS_PUBLIC, api_tag_list},
    {HTTP_POST, "/api/v1/articles", ACCESS_MEMBER, api_article_create},
    {HTTP_GET, "/api/v1/articles/{}", ACCESS_PUBLIC, api_article_get},
    {HTTP_PATCH, "/api/v1/articles/{}", ACCESS_MEMBER, api_article_patch},
    {HTTP_DELETE, "/api/v1/articles/{}", ACCESS_MEMBER, api_article_delete},
    {HTTP_GET, "/api/v1/articles/{}/comments", ACCESS_PUBLIC, api_comment_list},
    {HTTP_POST, "/api/v1/articles/{}/comments", ACCESS_MEMBER, api_comment_create},
    {HTTP_POST, "/api/v1/articles/{}/comments/{}/approve", ACCESS_MEMBER, api_comment_approve},
    {HTTP_DELETE, "/api/v1/articles/{}/comments/{}", ACCESS_MEMBER, api_comment_delete},
    {HTTP_GET, "/articles.atom", ACCESS_PUBLIC, api_atom},

    /* pages */
    {HTTP_GET, "/", ACCESS_PUBLIC, web_home},
    {HTTP_GET, "/signup", ACCESS_PUBLIC, web_signup_form},
    {HTTP_POST, "/signup", ACCESS_PUBLIC, web_signup},
    {HTTP_GET, "/login", ACCESS_PUBLIC, web_login_form},
    {HTTP_POST, "/login", ACCESS_PUBLIC, web_login},
    {HTTP_POST, "/logout", ACCESS_PUBLIC, web_logout},
    {HTTP_GET, "/account", ACCESS_MEMBER, web_account},
    {HTTP_POST, "/account/logout-everywhere", ACCESS_MEMBER, web_logout_everywhere},
    {HTTP_GET, "/dashboard", ACCESS_MEMBER, web_dashboard},
    {HTTP_GET, "/checkins", ACCESS_MEMBER, web_checkin_list},
    {HTTP_GET, "/checkins/new", ACCESS_MEMBER, web_checkin_new_form},
    {HTTP_POST, "/checkins/new", ACCESS_MEMBER, web_checkin_new},
    {HTTP_GET, "/checkins/{}/edit", ACCESS_AUTHOR, web_checkin_edit_form},
    {HTTP_POST, "/checkins/{}/edit", ACCESS_AUTHOR, web_checkin_edit},
    {HTTP_GET, "/checkins/{}/delete", ACCESS_AUTHOR, web_checkin_delete_form},
    {HTTP_POST, "/checkins/{}/delete", ACCESS_AUTHOR, web_checkin_delete},
    {HTTP_GET, "/repairs", ACCESS_MEMBER, web_repair_list},
    {HTTP_GET, "/repairs/new", ACCESS_MEMBER, web_repair_new_form},
    {HTTP_POST, "/repairs/safety", ACCESS_MEMBER, web_repair_safety},
    {HTTP_POST, "/repairs/new", ACCESS_MEMBER, web_repair_new},
    {HTTP_GET, "/repairs/{}", ACCESS_MEMBER, web_repair_show},
    {HTTP_POST, "/repairs/{}/mine", ACCESS_MEMBER, web_repair_save},
    {HTTP_POST, "/repairs/{}/acknowledge", ACCESS_MEMBER, web_repair_acknowledge},
    {HTTP_POST, "/repairs/{}/safety", ACCESS_MEMBER, web_repair_check}, /* issue 11: the check before a step */
    /* issue 14: the steps after the reveal, one screen each */
    {HTTP_GET, "/repairs/{}/steps/{}", ACCESS_MEMBER, web_repair_after_show},
    {HTTP_POST, "/repairs/{}/steps/{}", ACCESS_MEMBER, web_repair_after_save},
    {HTTP_POST, "/repairs/{}/steps/{}/answer", ACCESS_MEMBER, web_repair_after_answer},
    {HTTP_POST, "/repairs/{}/steps/{}/agreement", ACCESS_MEMBER, web_repair_after_propose},
    {HTTP_GET, "/safety", ACCESS_PUBLIC, web_safety},
    {HTTP_GET, "/prompts", ACCESS_MEMBER, web_prompt_today},
    {HTTP_POST, "/prompts/skip", ACCESS_MEMBER, web_prompt_skip},
    {HTTP_GET, "/prompts/history", ACCESS_MEMBER, web_prompt_history},
    {HTTP_POST, "/prompts/{}/answer", ACCESS_MEMBER, web_prompt_answer},
    {HTTP_POST, "/prompts/{}/acknowledge", ACCESS_MEMBER, web_prompt_acknowledge},
    {HTTP_GET, "/agreements", ACCESS_MEMBER, web_agreements},
    {HTTP_POST, "/agreements/new", ACCESS_MEMBER, web_agreement_create},
    {HTTP_POST, "/agreements/{}/review", ACCESS_MEMBER, web_agreement_review},
    {HTTP_POST, "/agreements/{}/status", ACCESS_MEMBER, web_agreement_status},
    {HTTP_POST, "/agreements/{}/accept", ACCESS_MEMBER, web_agreement_accept},   /* issue 14 */
    {HTTP_POST, "/agreements/{}/discuss", ACCESS_MEMBER, web_agreement_discuss}, /* issue 14 */
    {HTTP_GET, "/questionnaires", ACCESS_MEMBER, web_questionnaires},
    {HTTP_GET, "/questionnaires/{}", ACCESS_MEMBER, web_questionnaire},
    {HTTP_POST, "/questionnaires/{}", ACCESS_MEMBER, web_questionnaire_respond},
    {HTTP_GET, "/trends", ACCESS_MEMBER, web_trends},
    {HTTP_GET, "/timeline", ACCESS_MEMBER, web_timeline},
    {HTTP_GET, "/account/export", ACCESS_MEMBER, web_export},
    {HTTP_GET, "/account/delete", ACCESS_MEMBER, web_account_delete_form},
    {HTTP_POST, "/account/delete", ACCESS_MEMBER, web_account_delete},
    {HTTP_GET, "/therapist", ACCESS_MEMBER, web_therapist_home},
    {HTTP_POST, "/therapist/invite", ACCESS_MEMBER, web_therapist_invite},
    {HTTP_GET, "/therapist/spaces/{}", ACCESS_MEMBER, web_therapist_space},
    {HTTP_POST, "/therapist/spaces/{}/notes", ACCESS_MEMBER, web_therapist_note},
    {HTTP_POST, "/therapist/spaces/{}/next-session", ACCESS_MEMBER, web_therapist_next_session}, /* issue 13 */
    {HTTP_GET, "/therapist/spaces/{}/summary", ACCESS_MEMBER, web_therapist_summary},            /* issue 13 */
    {HTTP_POST, "/space/therapist", ACCESS_MEMBER, web_space_therapist_link},
    {HTTP_POST, "/space/therapist/consent", ACCESS_MEMBER, web_space_therapist_consent},
    {HTTP_POST, "/space/therapist/unlink", ACCESS_MEMBER, web_space_therapist_unlink},
    {HTTP_GET, "/articles", ACCESS_PUBLIC, web_articles},
    {HTTP_GET, "/articles/tags", ACCESS_PUBLIC, web_tags},
    {HTTP_POST, "/account/bio", ACCESS_MEMBER, web_bio_save},
    {HTTP_GET, "/articles/new", ACCESS_MEMBER, web_article_new_form},
    {HTTP_POST, "/articles/new", ACCESS_MEMBER, web_article_new},
    {HTTP_GET, "/articles/{}", ACCESS_PUBLIC, web_article},
    {HTTP_POST, "/articles/{}/comments", ACCESS_MEMBER, web_article_comment},
    {HTTP_POST, "/articles/{}/comments/{}", ACCESS_MEMBER, web_article_moderate},
    {HTTP_GET, "/articles/{}/edit", ACCESS_MEMBER, web_article_edit_form},
    {HTTP_POST, "/articles/{}/edit", ACCESS_MEMBER, web_article_edit},
    {HTTP_GET, "/space", ACCESS_MEMBER, web_space},
    {HTTP_POST, "/space/create", ACCESS_MEMBER, web_space_create},
    {HTTP_POST, "/space/invite", ACCESS_MEMBER, web_space_invite},
    {HTTP_POST, "/space/join", ACCESS_MEMBER, web_space_join},
    {HTTP_POST, "/space/leave", ACCESS_MEMBER, web_space_leave},

    /* issue 10, part D: pending invite codes (the code itself is never shown again) */
    {HTTP_GET, "/api/v1/spaces/current/invites", ACCESS_MEMBER, api_invite_list},
    {HTTP_DELETE, "/api/v1/spaces/current/invites/{}", ACCESS_MEMBER, api_invite_revoke},
    {HTTP_POST, "/space/invites/{}/revoke", ACCESS_MEMBER, web_space_invite_revoke},
    /* issue 10, part B: two-step login (the API, then the pages) */
    {HTTP_POST, "/api/v1/me/two-step", ACCESS_MEMBER, api_two_step_begin},
    {HTTP_POST, "/api/v1/me/two-step/confirm", ACCESS_MEMBER, api_two_step_confirm},
    {HTTP_DELETE, "/api/v1/me/two-step", ACCESS_MEMBER, api_two_step_delete},
    {HTTP_GET, "/account/two-step", ACCESS_MEMBER, web_two_step},
    {HTTP_POST, "/account/two-step", ACCESS_MEMBER, web_two_step_begin},
    {HTTP_POST, "/account/two-step/confirm", ACCESS_MEMBER, web_two_step_confirm},
    {HTTP_POST, "/account/two-step/off", ACCESS_MEMBER, web_two_step_off},
    {HTTP_GET, "/login/code", ACCESS_PUBLIC, web_login_code_form},
    {HTTP_POST, "/login/code", ACCESS_PUBLIC, web_login_code},
    /* pages: sessions and passwords (issue 10, part A) */
    {HTTP_GET, "/account/password", ACCESS_MEMBER, web_password_form},
    {HTTP_POST, "/account/password", ACCESS_MEMBER, web_password_change},
    {HTTP_POST, "/account/sessions/end-others", ACCESS_MEMBER, web_sessions_end_others},
    {HTTP_POST, "/account/sessions/{}/end", ACCESS_MEMBER, web_session_end},
    {HTTP_GET, "/reauth", ACCESS_MEMBER, web_reauth_form},
    {HTTP_POST, "/reauth", ACCESS_MEMBER, web_reauth},
    /* pages: replies to a check-in, the default of who sees check-in items (issue 11) */
    {HTTP_POST, "/checkins/{}/acknowledge", ACCESS_MEMBER, web_checkin_acknowledge},
    {HTTP_POST, "/account/checkin-visibility", ACCESS_MEMBER, web_checkin_default},
    /* issue 11: the home's cards, Growth, leaving with a confirmation, the quick-exit setting */
    {HTTP_GET, "/api/v1/home", ACCESS_MEMBER, api_home},
    {HTTP_POST, "/api/v1/home/dismiss", ACCESS_MEMBER, api_home_dismiss},
    {HTTP_POST, "/home/dismiss", ACCESS_MEMBER, web_home_dismiss},
    {HTTP_GET, "/growth", ACCESS_MEMBER, web_growth},
    {HTTP_GET, "/space/leave", ACCESS_MEMBER, web_space_leave_form},
    {HTTP_POST, "/account/quick-exit", ACCESS_MEMBER, web_quick_exit_setting},
    /* issue 12: time as people say it */
    {HTTP_POST, "/account/profile", ACCESS_MEMBER, web_profile_save},
    /* issue 14: our cycle, what we came through */
    {HTTP_GET, "/api/v1/cycle", ACCESS_MEMBER, api_cycle_get},
    {HTTP_PUT, "/api/v1/cycle/mine", ACCESS_MEMBER, api_cycle_put_mine},
    {HTTP_POST, "/api/v1/cycle/mine/submit", ACCESS_MEMBER, api_cycle_submit},
    {HTTP_PUT, "/api/v1/cycle/shared", ACCESS_MEMBER, api_cycle_put_shared},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/cycle", ACCESS_MEMBER, api_therapist_cycle},
    {HTTP_GET, "/api/v1/came-through", ACCESS_MEMBER, api_came_through},
    {HTTP_GET, "/cycle", ACCESS_MEMBER, web_cycle},
    {HTTP_POST, "/cycle/mine", ACCESS_MEMBER, web_cycle_save},
    {HTTP_POST, "/cycle/shared", ACCESS_MEMBER, web_cycle_shared},
    {HTTP_POST, "/cycle/safety", ACCESS_MEMBER, web_cycle_check},
    {HTTP_GET, "/came-through", ACCESS_MEMBER, web_came_through},
    /* issue 15: conversation decks (public content), "Ask this tomorrow", the installable app */
    {HTTP_GET, "/api/v1/decks", ACCESS_PUBLIC, api_deck_list},
    {HTTP_GET, "/api/v1/decks/{}", ACCESS_PUBLIC, api_deck_get},
    {HTTP_POST, "/api/v1/prompts/tomorrow", ACCESS_MEMBER, api_prompt_tomorrow},
    {HTTP_GET, "/decks", ACCESS_PUBLIC, web_deck_list},
    {HTTP_GET, "/decks/{}", ACCESS_PUBLIC, web_deck},
    {HTTP_POST, "/prompts/tomorrow", ACCESS_MEMBER, web_prompt_tomorrow},
    {HTTP_GET, "/manifest.webmanifest", ACCESS_PUBLIC, web_manifest},
    {HTTP_GET, "/sw.js", ACCESS_PUBLIC, web_service_worker},
    {HTTP_GET, "/offline", ACCESS_PUBLIC, web_offline},
    /* issue 13: homework from the therapist (the API, then the pages) */
    {HTTP_POST, "/api/v1/therapist/spaces/{}/homework", ACCESS_MEMBER, api_therapist_homework_add},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/homework", ACCESS_MEMBER, api_therapist_homework_list},
    {HTTP_DELETE, "/api/v1/therapist/spaces/{}/homework/{}", ACCESS_MEMBER, api_therapist_homework_delete},
    {HTTP_GET, "/api/v1/homework", ACCESS_MEMBER, api_homework_list},
    {HTTP_POST, "/api/v1/homework/{}/done", ACCESS_MEMBER, api_homework_done},
    {HTTP_POST, "/api/v1/homework/{}/not-this-week", ACCESS_MEMBER, api_homework_not_this_week},
    {HTTP_GET, "/homework", ACCESS_MEMBER, web_homework},
    {HTTP_POST, "/homework/{}/done", ACCESS_MEMBER, web_homework_done},
    {HTTP_POST, "/homework/{}/not-this-week", ACCESS_MEMBER, web_homework_not_this_week},
    {HTTP_POST, "/therapist/spaces/{}/homework", ACCESS_MEMBER, web_therapist_homework_add},
    {HTTP_POST, "/therapist/spaces/{}/homework/{}/delete", ACCESS_MEMBER, web_therapist_homework_delete},
    /* issue 13: a bridge between sessions (the list for the next session) */
    {HTTP_POST, "/api/v1/bridge", ACCESS_MEMBER, api_bridge_create},
    {HTTP_GET, "/api/v1/bridge", ACCESS_MEMBER, api_bridge_list},
    {HTTP_PATCH, "/api/v1/bridge/{}", ACCESS_MEMBER, api_bridge_patch},
    {HTTP_DELETE, "/api/v1/bridge/{}", ACCESS_MEMBER, api_bridge_delete},
    {HTTP_GET, "/api/v1/therapist/spaces/{}/bridge", ACCESS_MEMBER, api_therapist_bridge},
    {HTTP_POST, "/api/v1/therapist/spaces/{}/bridge/{}/talked-about", ACCESS_MEMBER, api_therapist_bridge_talked_about},
    {HTTP_GET, "/bridge", ACCESS_MEMBER, web_bridge},
    {HTTP_POST, "/bridge", ACCESS_MEMBER, web_bridge_add},
    {HTTP_POST, "/bridge/{}", ACCESS_MEMBER, web_bridge_change},
    {HTTP_POST, "/bridge/{}/delete", ACCESS_MEMBER, web_bridge_delete},
    {HTTP_POST, "/therapist/spaces/{}/bridge/{}/talked-about", ACCESS_MEMBER, web_therapist_bridge_talked_about},
    /* issue 14: a break with a promise to return (nobody but its taker can end or change one) */
    {HTTP_POST, "/api/v1/breaks", ACCESS_MEMBER, api_break_start},
    {HTTP_GET, "/api/v1/breaks/current", ACCESS_MEMBER, api_break_current},
    {HTTP_DELETE, "/api/v1/breaks/current", ACCESS_MEMBER, api_break_end},
    {HTTP_GET, "/break", ACCESS_MEMBER, web_break},
    {HTTP_POST, "/break", ACCESS_MEMBER, web_break_start},
    {HTTP_POST, "/break/end", ACCESS_MEMBER, web_break_end},
    /* issue 15: reminders, by the person's calendar for now */
    {HTTP_GET, "/api/v1/reminders", ACCESS_MEMBER, api_reminder_list},
    {HTTP_PUT, "/api/v1/reminders/{}", ACCESS_MEMBER, api_reminder_put},
    {HTTP_DELETE, "/api/v1/reminders/{}", ACCESS_MEMBER, api_reminder_delete},
    {HTTP_POST, "/api/v1/calendar", ACCESS_MEMBER, api_calendar_create},
    {HTTP_DELETE, "/api/v1/calendar", ACCESS_MEMBER, api_calendar_delete},
    {HTTP_GET, "/calendar/{}", ACCESS_PUBLIC, api_calendar_feed},
    {HTTP_GET, "/reminders", ACCESS_MEMBER, web_reminders},
    {HTTP_PUT, "/api/v1/me/email", ACCESS_MEMBER, api_email_put},
    {HTTP_DELETE, "/api/v1/me/email", ACCESS_MEMBER, api_email_delete},
    /* issue 15: quiet hours and notices, the person's own (under /me: no clash with /reminders/{kind}) */
    {HTTP_PUT, "/api/v1/me/quiet-hours", ACCESS_MEMBER, api_quiet_put},
    {HTTP_DELETE, "/api/v1/me/quiet-hours", ACCESS_MEMBER, api_quiet_delete},
    {HTTP_PUT, "/api/v1/me/notices", ACCESS_MEMBER, api_notices_put},
    {HTTP_DELETE, "/api/v1/me/notices", ACCESS_MEMBER, api_notices_delete},
    {HTTP_GET, "/email/confirm/{}", ACCESS_TOKEN, web_email_confirm_form},
    {HTTP_POST, "/email/confirm/{}", ACCESS_TOKEN, web_email_confirm},
    {HTTP_GET, "/unsubscribe/{}", ACCESS_TOKEN, web_unsubscribe_form},
    {HTTP_POST, "/unsubscribe/{}", ACCESS_TOKEN, web_unsubscribe},
    {HTTP_POST, "/reminders/email", ACCESS_MEMBER, web_reminder_email},
    {HTTP_POST, "/reminders/email/remove", ACCESS_MEMBER, web_reminder_email_remove},
    {HTTP_POST, "/reminders/calendar", ACCESS_MEMBER, web_calendar_new},
    {HTTP_POST, "/reminders/calendar/end", ACCESS_MEMBER, web_calendar_end},
    /* issue 15: literal, so before the kinds' {} below */
    {HTTP_POST, "/reminders/quiet-hours", ACCESS_MEMBER, web_quiet_save},
    {HTTP_POST, "/reminders/quiet-hours/off", ACCESS_MEMBER, web_quiet_off},
    {HTTP_POST, "/reminders/notices", ACCESS_MEMBER, web_notices_save},
    {HTTP_POST, "/reminders/notices/off", ACCESS_MEMBER, web_notices_off},
    {HTTP_POST, "/reminders/{}", ACCESS_MEMBER, web_reminder_save},
    {HTTP_POST, "/reminders/{}/off", ACCESS_MEMBER, web_reminder_off},
    /* issue 15: web push, a subscription per device */
    {HTTP_GET, "/api/v1/push/key", ACCESS_MEMBER, api_push_key},
    {HTTP_GET, "/api/v1/push/subscriptions", ACCESS_MEMBER, api_push_list},
    {HTTP_POST, "/api/v1/push/subscriptions", ACCESS_MEMBER, api_push_subscribe},
    {HTTP_DELETE, "/api/v1/push/subscriptions/{}", ACCESS_MEMBER, api_push_unsubscribe},
    {HTTP_POST, "/reminders/push/{}/remove", ACCESS_MEMBER, web_push_remove},

    {0, NULL, 0, NULL},
};

/* Issue 10, part C: the handlers that check or hash a password with argon2id; NULL-terminated. */
const route_handler hashing_handlers[] = {
    api_account_create,
    api_session_create,
    api_me_delete,
    web_signup,
    web_login,
    web_account_delete,
    api_session_reauth,
    api_me_password,
    api_two_step_delete,
    web_reauth,
    web_password_change,
    web_two_step_off,
    NULL,
};

/*
 * The routes whose answers the cache of rendered answers keeps (issue 18, http/cache.h), for
 * members only: the check-in list an app polls and the dashboard a person comes back to, the two
 * reads bench/run measures. A route belongs here only when everything its answer shows is counted
 * by the change counters (migration 030) or bounded by the minute in the key (pages), and when
 * it writes nothing a read must write every time.
 */
const route_handler cached_handlers[] = {
    api_checkin_list,
    web_dashboard,
    NULL,
};
