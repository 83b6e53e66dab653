/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * homework.h - homework from the couple's therapist (issue 13): the therapist
 * gives an exercise to both partners or to one (a theme for the daily
 * question, a repair conversation, a questionnaire, an agreement to try, one
 * of their articles, a task), with an optional due date and a short note;
 * each partner answers it for themselves (done, or not this week with a note
 * to the therapist), and the linked action marks it done by itself.
 *
 * Consent rules it as everything else of the therapist's (domain/therapist.c):
 * a partner sees homework only while the therapist who gave it is linked to
 * their space and they consent; the therapist sees a partner's status and
 * note only while that partner consents. Each partner's status is their own:
 * neither partner ever sees the other's (no "your partner did more").
 */
#ifndef HEARTH_HOMEWORK_H
#define HEARTH_HOMEWORK_H

#include <stdbool.h>

#include "../store/store.h"
#include "problem.h"
#include "therapist.h"

enum homework_kind {
	HOMEWORK_PROMPT_CATEGORY,
	HOMEWORK_REPAIR,
	HOMEWORK_QUESTIONNAIRE,
	HOMEWORK_AGREEMENT,
	HOMEWORK_ARTICLE,
	HOMEWORK_TASK,
	HOMEWORK_KIND_COUNT,
};

enum homework_status { HOMEWORK_TODO, HOMEWORK_DONE, HOMEWORK_NOT_THIS_WEEK };

/* The assignment's note and a partner's note to the therapist: at most 500 characters each. */
#define HOMEWORK_TEXT_MAX 500

/* API.md's words: "prompt_category", ...; false (*out untouched) for anything else, NULL too. */
bool homework_kind_parse(const char *s, enum homework_kind *out) WARN_UNUSED;
const char *homework_kind_name(enum homework_kind k);
/* "todo", "done", "not_this_week". */
const char *homework_status_name(enum homework_status st);
/* "done" or "not-this-week" as a page or a path names them; false for anything else. */
bool homework_status_parse(const char *s, enum homework_status *out) WARN_UNUSED;

/*
 * The status rule: the linked action having happened after the assignment
 * (auto_done), or the partner's own "done", is done; else the partner's "not
 * this week" stands; else it waits (todo). Doing it after all wins over "not
 * this week". mark is the stored mark: "", "done" or "not_this_week".
 */
enum homework_status homework_status_of(const char *mark, bool auto_done);

/* Does this kind need a ref, a text? (A ref is a category, a questionnaire id, an article's slug.) */
bool homework_kind_needs_ref(enum homework_kind k);
bool homework_kind_needs_text(enum homework_kind k);

/* What a therapist sends: strings as received (NULL when absent). */
struct homework_input {
	const char *kind, *ref, *text, *due_on, *for_who;
};

/* One assignment as its reader may see it. */
struct homework_view {
	struct store_homework h; /* text open; note: see notes */
	const char *ref_title;   /* the category's, questionnaire's or article's title; NULL without a ref */
	const char *href;        /* where its action is, on this server */
	const char *from_name;   /* the therapist's display name */
	int partners;            /* the partners it is for, as the reader may see them */
	char partner_ids[2][ID_LEN + 1];
	const char *partner_names[2];
	bool shown[2]; /* the therapist's view: false while that partner does not consent */
	enum homework_status status[2];
	const char *notes[2]; /* a "not this week" note, open; NULL when none or not shown */
};

/*
 * Gives homework to the couple of ts (therapist_space_open), checking every
 * field at once: kind; ref per kind (a category of the daily questions, a
 * questionnaire id, the slug of one of the therapist's own published
 * articles; none for the others); text 0..500 (required for an agreement and
 * a task); due_on a date not before today in the therapist's zone; for
 * "both" or the id of a partner of the space who consents (homework reaches
 * a partner only then). *out as homework_list_for_therapist shows it.
 */
bool homework_assign(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                     const struct homework_input *in, struct arena *a, struct homework_view *out,
                     struct problem *p) WARN_UNUSED;

/*
 * The homework of ts's couple with each partner's status, newest first, for
 * the therapist: statuses and notes only of partners who consent now (shown).
 * Logged in the access log, unless ts->one_visit (a page writes its visit's
 * one line; set therapist_visit.homework). The summary page calls this too.
 */
bool homework_list_for_therapist(struct store *s, const struct viewer *v, const struct therapist_space *ts,
                                 struct arena *a, struct homework_view **items, int *count,
                                 struct problem *p) WARN_UNUSED;

/* Removes one of ts's assignments; 404 when there is none by this therapist. */
bool homework_remove(struct store *s, const struct viewer *v, const struct therapist_space *ts, const char *id,
                     struct problem *p) WARN_UNUSED;

/*
 * The viewer's own homework (for both, or for them), newest first, with
 * their own status and note only. Empty without a linked therapist or
 * without the viewer's consent.
 */
bool homework_list_mine(struct store *s, const struct viewer *v, struct arena *a, struct homework_view **items,
                        int *count, struct problem *p) WARN_UNUSED;

/*
 * The viewer marks their homework done or not this week (note 0..500, to the
 * therapist; only with not this week). 404 unless it is in homework_list_mine.
 */
bool homework_set(struct store *s, const struct viewer *v, const char *id, enum homework_status status,
                  const char *note, struct arena *a, struct homework_view *out, struct problem *p) WARN_UNUSED;

/*
 * The viewer, signed in, opened the article with this slug: their article
 * homework about it is done. Nothing for someone without a space.
 */
bool homework_article_opened(struct store *s, const struct viewer *v, const char *slug, struct problem *p) WARN_UNUSED;

#endif
