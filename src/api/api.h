/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * api.h - the JSON API under /api/v1 (API.md): shared request mapping and the
 * handlers, one file per feature.
 */
#ifndef HEARTH_API_H
#define HEARTH_API_H

#include <jansson.h>

#include "../domain/problem.h"
#include "../http/http.h"
#include "../util/i18n.h"

#define JSON_DEPTH_MAX 64

/*
 * The request body as a JSON object. On failure replies (415, 400
 * invalid_json) and returns NULL. The caller owns the returned reference.
 */
json_t *api_body(struct request *r);
/* True when the JSON text nests no deeper than max (strings are skipped). */
bool json_depth_ok(const char *s, size_t n, int max);

/* Typed field access: false with a 400 problem naming the field when the type is wrong. */
bool api_string(json_t *obj, const char *key, bool nullable, const char **out, bool *present, struct problem *p);
bool api_int(json_t *obj, const char *key, int *out, bool *present, struct problem *p);
bool api_bool(json_t *obj, const char *key, bool *out, bool *present, struct problem *p);
/*
 * A list of at most max strings into out, *count of them (-1: not given);
 * false with a problem on `key` saying `message` otherwise (*count -1 too).
 */
bool api_string_list(json_t *obj, const char *key, const char *message, const char **out, int max, int *count,
                     struct problem *p);
/* Reads ?limit= (1..100, default 20) and ?before=; false with a problem. */
bool api_page_params(struct request *r, int *limit, const char **before, struct problem *p);

/*
 * The one mapping of a domain outcome to the status the API answers with
 * (API.md): invalid 400, unauthorized 401, forbidden 403, not found 404,
 * conflict 409, throttled 429, busy 503, error 500.
 */
int api_status(enum outcome o);
/* Replies with the error shape of API.md for p, and Retry-After when p has one. */
void api_problem(struct request *r, const struct problem *p);
/* An RFC 3339 UTC time string from ms since the epoch. */
json_t *api_time(int64_t ms);
/* {"items": items, "next": next-or-null}; steals items. */
json_t *api_list(json_t *items, const char *next);

/* Reads the named string fields of body, all required; false after replying 400. */
bool api_required_strings(struct request *r, json_t *body, const char **names, const char **values, int n);

struct therapist_space;
/*
 * The therapist routes' one gate: opens the space named by the path's first
 * {} for the viewer, its therapist; false after replying 404 to anyone else.
 */
bool api_therapist_space(struct request *r, struct therapist_space *ts);

/* The handlers, one file per feature (the route table in app/routes.c names them). */

/* api.c */
void api_health(struct request *r);
/* GET /api/v1/openapi.json: the API description (docs/openapi.yaml), public and cacheable. */
void api_openapi(struct request *r);
/* account.c */
void api_account_create(struct request *r);
void api_session_create(struct request *r);
void api_session_delete(struct request *r);
void api_session_delete_all(struct request *r);
void api_me(struct request *r);
void api_me_delete(struct request *r);
/* GET /me's object for a viewer (PATCH /me answers it too), read with r's store and arena. */
json_t *api_me_json(struct request *r, const struct viewer *v);
/* profile.c (issue 12) */
void api_me_patch(struct request *r);
/* session.c */
void api_session_list(struct request *r);
void api_session_end(struct request *r);
void api_session_reauth(struct request *r);
void api_me_password(struct request *r);
/* space.c */
void api_space_create(struct request *r);
void api_space_invite(struct request *r);
void api_invite_list(struct request *r);
void api_invite_revoke(struct request *r);
void api_space_join(struct request *r);
void api_space_leave(struct request *r);
/* checkin.c */
void api_checkin_create(struct request *r);
void api_checkin_list(struct request *r);
void api_checkin_get(struct request *r);
void api_checkin_patch(struct request *r);
void api_checkin_delete(struct request *r);
/* POST /checkins/{id}/acknowledge {kind} (issue 11) */
void api_checkin_acknowledge(struct request *r);
/* PUT /me/checkin-visibility {visibility}: the default of new check-in items (issue 11) */
void api_checkin_default_put(struct request *r);
/* The JSON form of a check-in (the therapist's reads share it). */
struct store_checkin;
json_t *api_checkin_json(const struct store_checkin *c);
/* Maps a JSON body onto a check-in input; false with a problem on a wrong type. */
struct checkin_input;
bool api_checkin_input(json_t *body, struct checkin_input *in, struct problem *p);
/* repair.c */
void api_repair_create(struct request *r);
void api_repair_list(struct request *r);
void api_repair_get(struct request *r);
void api_repair_put_mine(struct request *r);
void api_repair_submit(struct request *r);
void api_repair_acknowledge(struct request *r);
void api_feelings(struct request *r);
struct repair_view;
struct repair_side_input;
json_t *api_repair_json(const struct repair_view *v, enum lang l);
/* Maps a side's JSON onto an input; false with a problem on a wrong type. */
bool api_repair_side_input(json_t *body, enum lang l, struct repair_side_input *in, struct problem *p);
/* repair_after.c (issue 14): the steps after the reveal */
void api_repair_after_put(struct request *r);
void api_repair_after_submit(struct request *r);
void api_repair_after_answer_heard(struct request *r);
void api_repair_after_answer_my_part(struct request *r);
struct repair_after_view;
/* A repair's steps as GET /repairs/{id} shows them: {STEP: {mine, partner, answer}}. */
json_t *api_repair_after_json(const struct repair_after_view *v);
/* safety.c */
void api_safety_resources(struct request *r);
void api_safety_check(struct request *r);
/* prompt.c */
void api_prompt_today(struct request *r);
void api_prompt_skip(struct request *r);
void api_prompt_answer(struct request *r);
void api_prompt_acknowledge(struct request *r);
void api_prompt_history(struct request *r);
struct prompt_view;
json_t *api_prompt_json(const struct prompt_view *v, enum lang l);
/* agreement.c */
void api_agreement_create(struct request *r);
void api_agreement_list(struct request *r);
void api_agreement_get(struct request *r);
void api_agreement_patch(struct request *r);
void api_agreement_accept(struct request *r);
void api_agreement_discuss(struct request *r);
void api_review_create(struct request *r);
/* questionnaire.c */
void api_questionnaire_list(struct request *r);
void api_questionnaire_get(struct request *r);
void api_qresponse_create(struct request *r);
void api_qresponse_list(struct request *r);
/* trends.c */
void api_trends(struct request *r);
void api_trends_svg(struct request *r);
/* timeline.c */
void api_timeline(struct request *r);
/* export.c */
void api_export(struct request *r);
/* therapist.c */
void api_therapist_invite(struct request *r);
void api_therapist_link(struct request *r);
void api_therapist_consent(struct request *r);
void api_therapist_unlink(struct request *r);
void api_therapist_spaces(struct request *r);
void api_therapist_checkins(struct request *r);
void api_therapist_repairs(struct request *r);
void api_therapist_trends(struct request *r);
void api_therapist_safety(struct request *r);
void api_therapist_note_add(struct request *r);
void api_therapist_notes(struct request *r);
/* issue 13: sessions (api/therapy_session.c) */
void api_therapist_questionnaires(struct request *r);
void api_therapist_next_session(struct request *r);
void api_therapist_summary(struct request *r);
void api_access_log(struct request *r);
/* article.c */
void api_article_list(struct request *r);
void api_tag_list(struct request *r);
void api_article_get(struct request *r);
void api_article_create(struct request *r);
void api_article_patch(struct request *r);
void api_article_delete(struct request *r);
void api_comment_list(struct request *r);
void api_comment_create(struct request *r);
void api_comment_approve(struct request *r);
void api_comment_delete(struct request *r);
void api_atom(struct request *r);
/* two_step.c (issue 10, part B) */
void api_two_step_begin(struct request *r);
void api_two_step_confirm(struct request *r);
void api_two_step_delete(struct request *r);

/* home.c (issue 11) */
void api_home(struct request *r);
void api_home_dismiss(struct request *r);
/* issue 15: reminders and the private calendar feed */
void api_reminder_list(struct request *r);
void api_reminder_put(struct request *r);
void api_reminder_delete(struct request *r);
void api_calendar_create(struct request *r);
void api_calendar_delete(struct request *r);
void api_calendar_feed(struct request *r);
void api_email_put(struct request *r);
void api_email_delete(struct request *r);
/* issue 15: quiet hours and notices of the partner's activity (api/notice.c) */
void api_quiet_put(struct request *r);
void api_quiet_delete(struct request *r);
void api_notices_put(struct request *r);
void api_notices_delete(struct request *r);
/* Adds quiet_hours and notices to GET /reminders' body; false with a problem. */
bool api_notice_fields(struct request *r, json_t *body, struct problem *p);
/* issue 15: web push */
void api_push_key(struct request *r);
void api_push_subscribe(struct request *r);
void api_push_list(struct request *r);
void api_push_unsubscribe(struct request *r);

/* deck.c (issue 15): the conversation decks, "Ask this tomorrow" */
void api_deck_list(struct request *r);
void api_deck_get(struct request *r);
void api_prompt_tomorrow(struct request *r);
/* homework.c (issue 13): the therapist's homework and the partner's side of it */
void api_therapist_homework_add(struct request *r);
void api_therapist_homework_list(struct request *r);
void api_therapist_homework_delete(struct request *r);
void api_homework_list(struct request *r);
void api_homework_done(struct request *r);
void api_homework_not_this_week(struct request *r);
/* bridge.c (issue 13): the list for the next session, and the therapist's view of it */
void api_bridge_create(struct request *r);
void api_bridge_list(struct request *r);
void api_bridge_patch(struct request *r);
void api_bridge_delete(struct request *r);
void api_therapist_bridge(struct request *r);
void api_therapist_bridge_talked_about(struct request *r);
/* break.c (issue 14): POST /breaks, GET and DELETE /breaks/current */
void api_break_start(struct request *r);
void api_break_current(struct request *r);
void api_break_end(struct request *r);

/* cycle.c (issue 14): our cycle, the therapist's read of it, what we came through */
void api_cycle_get(struct request *r);
void api_cycle_put_mine(struct request *r);
void api_cycle_submit(struct request *r);
void api_cycle_put_shared(struct request *r);
void api_therapist_cycle(struct request *r);
void api_came_through(struct request *r);

#endif
