/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * prompt.h - the daily question for both partners. One prompt per space per
 * date in the space's time zone; no repeats until the deck is used up;
 * moving gently towards deeper prompts over time; either partner may ask for
 * another prompt once a day while nobody has answered. A partner's answer
 * opens only after the viewer has answered; only supportive acknowledgements.
 */
#ifndef HEARTH_PROMPT_H
#define HEARTH_PROMPT_H

#include <stdbool.h>

#include "../store/store.h"
#include "content.h"
#include "date.h"
#include "problem.h"

#define PROMPT_ANSWER_MAX 4000

/*
 * Chooses the next prompt given the ids already seen (pure; deterministic in
 * `salt`): unseen prompts of the target depth first (deeper as more have been
 * seen), rotating through the categories; the whole deck again once used up.
 */
const struct prompt *prompt_choose(char (*seen)[16], int seen_count, const char *salt);

/* The only acknowledgements there are: supportive ones (no scores, no ridicule). */
enum prompt_ack { ACK_THANK_YOU, ACK_I_HEAR_YOU, ACK_ME_TOO, ACK_HUG };
#define PROMPT_ACK_COUNT 4

/* "thank_you" | "i_hear_you" | "me_too" | "hug": false (*out untouched) for anything else, NULL too. */
bool prompt_ack_parse(const char *s, enum prompt_ack *out) WARN_UNUSED;
/* What a page and the API say of a reply that is none of them (one sentence for a person; ack.c marks it). */
extern const char *const prompt_ack_message;
#define PROMPT_ACK_MESSAGE prompt_ack_message
const char *prompt_ack_name(enum prompt_ack k);
/*
 * The associated data a reply's kind is sealed with (table prompt_acks): what
 * was answered (the day, or the check-in), whose answer, and who replied.
 */
#define PROMPT_ACK_AD_SIZE 128
void prompt_ack_ad(const char *item_id, const char *author_id, const char *from_id, char ad[PROMPT_ACK_AD_SIZE]);

/* A day's prompt as one person may see it. */
struct prompt_view {
	struct store_prompt_day day;
	const struct prompt *prompt;
	char *mine; /* my answer, or NULL */
	bool partner_answered;
	char *partner;              /* the partner's answer: only once I answered */
	const char *ack_on_mine;    /* the partner's acknowledgement of my answer, or NULL */
	const char *ack_on_partner; /* mine of theirs, or NULL */
	bool can_skip;
	bool has_partner;
};

bool prompt_today(struct store *s, const struct viewer *v, struct arena *a, struct prompt_view *out,
                  struct problem *p) WARN_UNUSED;
/* 404 for a day that is not the viewer's. */
bool prompt_load(struct store *s, const struct viewer *v, const char *day_id, struct arena *a, struct prompt_view *out,
                 struct problem *p) WARN_UNUSED;
/* 409 already_answered. */
bool prompt_answer(struct store *s, const struct viewer *v, const char *day_id, const char *text, struct arena *a,
                   struct prompt_view *out, struct problem *p) WARN_UNUSED;
/* Acknowledges the partner's answer; 409 when there is nothing the viewer may acknowledge yet. */
bool prompt_acknowledge(struct store *s, const struct viewer *v, const char *day_id, const char *kind, struct arena *a,
                        struct prompt_view *out, struct problem *p) WARN_UNUSED;
/*
 * Issue 15, "Ask this tomorrow": a deck question becomes tomorrow's daily question
 * for the viewer's scope (tomorrow in the zone today's prompt is counted in).
 * Either partner may choose; a later choice replaces an earlier one until the day
 * begins (its prompt_days row is made): then 409 conflict. A question_id that is
 * no deck question: invalid_input on "question_id".
 */
struct prompt_tomorrow {
	char date[11];
	const struct deck *deck;
	const struct prompt *question;
};
bool prompt_tomorrow(struct store *s, const struct viewer *v, const char *question_id, struct prompt_tomorrow *out,
                     struct problem *p) WARN_UNUSED;
/* The question chosen for tomorrow so far, or "" (the pages mark it). */
bool prompt_tomorrow_chosen(struct store *s, const struct viewer *v, char question_id[16],
                            struct problem *p) WARN_UNUSED;
/* Another prompt for today; 409 when someone answered or this person skipped today. */
bool prompt_skip(struct store *s, const struct viewer *v, struct arena *a, struct prompt_view *out,
                 struct problem *p) WARN_UNUSED;

struct prompt_history_entry {
	char day_id[ID_LEN + 1];
	char date[11];
	const struct prompt *prompt;
	char *mine, *partner;
	const char *ack_on_mine, *ack_on_partner;
};

struct prompt_history_page {
	struct prompt_history_entry *items;
	int count;
	char *next_cursor; /* a date */
};

bool prompt_history(struct store *s, const struct viewer *v, const char *before, int limit, struct arena *a,
                    struct prompt_history_page *out, struct problem *p) WARN_UNUSED;

#endif
