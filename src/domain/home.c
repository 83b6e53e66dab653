/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * home.c - the one place that says what waits for a person (issue 11): the
 * cards of the home page and of GET /api/v1/home, and setting one aside.
 *
 * A card is made only from what the viewer may see already: that the partner
 * opened a repair or shared their side (API: partner_submitted), that both
 * sides are open, whether the partner answered today's question (never the
 * answer), agreements of the space due for a look back, the partner's
 * supportive acknowledgement of something the viewer wrote, the partner
 * joining or leaving, the therapist waiting for the viewer's consent. A draft
 * or a private item of the partner never makes a card.
 *
 * A card goes away by itself when it is acted on (the event's condition no
 * longer holds) and can be set aside: the dismissal keeps the `since` of the
 * event it hid, and a newer event about the same item brings the card back.
 * Kinds are API.md's; this server makes all of them: agreement_proposed (issue
 * 14) waits for the one who answers a partner's proposal until they say yes
 * or ask to talk about it; homework comes from the therapist's practice
 * (issue 13, domain/homework.c), the two break cards from domain/break.c;
 * three more for our cycle (issue 14, additions): the partner's side shared,
 * both sides open, the shared text put into new words by the partner.
 */
#include "home.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "agreement.h"
#include "auth.h"
#include "break.h"
#include "date.h"
#include "homework.h"
#include "prompt.h"
#include "therapy_session.h"
#include "visibility.h"

/* An acknowledgement or a join is news for this long; a leave stays until it is set aside. */
#define HOME_RECENT_MS (14LL * 24 * 60 * 60 * 1000)
/* Agreements read for the ones due (a space has a handful). */
#define HOME_AGREEMENTS_MAX 20

static const char *const kind_names[HOME_KIND_COUNT] = {
    [HOME_REPAIR_OPENED] = "repair_opened",                     /* made */
    [HOME_REPAIR_YOUR_TURN] = "repair_your_turn",               /* made */
    [HOME_REPAIR_REVEALED] = "repair_revealed",                 /* made */
    [HOME_PROMPT_PARTNER_ANSWERED] = "prompt_partner_answered", /* made */
    [HOME_PROMPT_UNANSWERED] = "prompt_unanswered",             /* made */
    [HOME_AGREEMENT_PROPOSED] = "agreement_proposed",
    [HOME_AGREEMENT_REVIEW_DUE] = "agreement_review_due", /* made */
    [HOME_ACKNOWLEDGED] = "acknowledged",                 /* made */
    [HOME_PARTNER_JOINED] = "partner_joined",             /* made */
    [HOME_PARTNER_LEFT] = "partner_left",                 /* made */
    [HOME_CONSENT_REQUESTED] = "consent_requested",       /* made */
    [HOME_HOMEWORK] = "homework",                         /* made (issue 13) */
    [HOME_SESSION_UPCOMING] = "session_upcoming",         /* made (issue 13) */
    [HOME_PARTNER_BREAK] = "partner_break",               /* made (issue 14) */
    [HOME_BREAK_OVER] = "break_over",                     /* made (issue 14) */
    [HOME_REPAIR_STEP] = "repair_step",                   /* made (issue 14; an addition to API.md's kinds) */
    [HOME_CYCLE_YOUR_TURN] = "cycle_your_turn",           /* made (issue 14; an addition) */
    [HOME_CYCLE_REVEALED] = "cycle_revealed",             /* made (issue 14; an addition) */
    [HOME_CYCLE_RENAMED] = "cycle_renamed",               /* made (issue 14; an addition) */
};

bool home_kind_parse(const char *s, enum home_kind *out)
{
	int k = word_find(s, kind_names, HOME_KIND_COUNT);
	if (k < 0)
		return false;
	*out = (enum home_kind)k;
	return true;
}

const char *home_kind_name(enum home_kind k)
{
	assert(k >= 0 && k < HOME_KIND_COUNT);
	return kind_names[k];
}

bool home_is_practice(const struct viewer *v)
{
	return viewer_role(v) == ROLE_THERAPIST;
}

/* Homework waiting for the viewer shown as cards, at most (issue 13). */
#define HOME_HOMEWORK_MAX 10
/* Room for every event the store gives, the agreements due, today's question, the next session, the homework and
 * two breaks. */
#define HOME_CARDS_MAX (HOME_EVENTS_MAX + HOME_AGREEMENTS_MAX + 2 + HOME_HOMEWORK_MAX + 2)

static struct home_card *card_add(struct home_list *l, enum home_kind kind, const char *id, int64_t since)
{
	if (l->count >= HOME_CARDS_MAX)
		return NULL;
	struct home_card *c = &l->items[l->count++];
	*c = (struct home_card){.kind = kind, .since = since, .ref = ""};
	snprintf(c->id, sizeof c->id, "%s", id);
	return c;
}

/* Where a card's one button leads. */
static const char *card_href(const struct home_card *c, struct arena *a)
{
	switch (c->kind) {
	case HOME_REPAIR_OPENED:
	case HOME_REPAIR_YOUR_TURN:
	case HOME_REPAIR_REVEALED:
		return arena_printf(a, "/repairs/%s", c->id);
	case HOME_REPAIR_STEP: /* ref: the first step that waits */
		return c->ref[0] ? arena_printf(a, "/repairs/%s/steps/%s", c->id, c->ref)
		                 : arena_printf(a, "/repairs/%s", c->id);
	case HOME_ACKNOWLEDGED:
		if (strcmp(c->ref, "repair") == 0)
			return arena_printf(a, "/repairs/%s", c->id);
		return strcmp(c->ref, "checkin") == 0 ? arena_printf(a, "/checkins#checkin-%s", c->id)
		                                      : "/prompts/history";
	case HOME_PROMPT_PARTNER_ANSWERED:
	case HOME_PROMPT_UNANSWERED:
		return "/prompts";
	case HOME_AGREEMENT_PROPOSED:
	case HOME_AGREEMENT_REVIEW_DUE:
		return "/agreements";
	case HOME_SESSION_UPCOMING:
		return "/space";
	case HOME_HOMEWORK: /* the action it asks for, set by add_homework */
		return c->href ? c->href : "/homework";
	case HOME_PARTNER_BREAK:
	case HOME_BREAK_OVER:
		return "/break";
	case HOME_CYCLE_YOUR_TURN:
	case HOME_CYCLE_REVEALED:
	case HOME_CYCLE_RENAMED:
		return "/cycle";
	default:
		return "/space";
	}
}

/* The events the store finds in the viewer's space, as cards. */
static bool add_events(struct store *s, const struct viewer *v, struct arena *a, struct home_list *l, struct problem *p)
{
	if (!v->space_id[0])
		return true;
	struct store_home_event *ev;
	int n = 0;
	enum store_status st =
	    s->home_events(s, a, v->user_id, v->space_id, v->partner_id, now_ms() - HOME_RECENT_MS, &ev, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	for (int i = 0; i < n; i++) {
		enum home_kind kind;
		if (!home_kind_parse(ev[i].kind, &kind))
			continue;
		struct home_card *c = card_add(l, kind, ev[i].id, ev[i].since);
		if (!c)
			break;
		c->ref = arena_strdup(a, ev[i].ref);
		if (kind == HOME_PARTNER_LEFT && ev[i].who[0]) {
			struct store_user u;
			st = s->user_by_id(s, ev[i].who, &u);
			if (st != STORE_OK && st != STORE_NOT_FOUND)
				return problem_from_store(p, st);
			/* The name is sealed under the leaver's own key; an account gone meanwhile is "your partner".
			 */
			if (st == STORE_OK && account_name_open(s, u.id, u.display_name, p))
				c->name = arena_strdup(a, u.display_name);
			else if (st == STORE_OK && p->outcome != OUTCOME_NOT_FOUND)
				return false;
		}
	}
	return true;
}

/* Today's question: the partner answered and I have not, or nobody has yet. */
static bool add_prompt(struct store *s, const struct viewer *v, struct arena *a, struct home_list *l, struct problem *p)
{
	struct prompt_view pv;
	if (!prompt_today(s, v, a, &pv, p))
		return false;
	if (pv.mine)
		return true;
	card_add(l, pv.partner_answered ? HOME_PROMPT_PARTNER_ANSWERED : HOME_PROMPT_UNANSWERED, pv.day.id,
	         pv.day.created_at);
	return true;
}

static bool add_agreements(struct store *s, const struct viewer *v, struct arena *a, struct home_list *l,
                           struct problem *p)
{
	struct agreement_page page;
	if (!agreement_list(s, v, NULL, HOME_AGREEMENTS_MAX, a, &page, p))
		return false;
	for (int i = 0; i < page.count; i++) {
		const struct agreement_view *g = &page.items[i];
		/* The partner's proposal, until I said yes or asked to talk about it. */
		if (g->awaits_me && strcmp(g->agreement.discussed_by, v->user_id) != 0) {
			struct home_card *c =
			    card_add(l, HOME_AGREEMENT_PROPOSED, g->agreement.id, g->agreement.created_at);
			if (c)
				c->detail = g->agreement.text;
			continue;
		}
		if (!g->due)
			continue;
		struct home_card *c = card_add(l, HOME_AGREEMENT_REVIEW_DUE, g->agreement.id,
		                               date_utc_ms(g->agreement.next_review_on, 0));
		if (c)
			c->detail = g->agreement.text;
	}
	return true;
}

/*
 * Issue 13: the next session with the therapist, in the week before it. Both
 * partners see it whatever their consent (it is the therapist's information
 * for them). Its id is the therapist's; since is when it came into the week,
 * or when the date was last set, so a new date brings a set-aside card back.
 */
static bool add_session(struct store *s, const struct viewer *v, struct arena *a, struct home_list *l,
                        struct problem *p)
{
	struct store_session_plan plan;
	char name[SEALED_NAME_SIZE];
	int64_t now = now_ms();
	if (!therapy_session_of_space(s, v, &plan, name, p))
		return false;
	if (!therapy_session_this_week(plan.next_at, now))
		return true;
	int64_t since = plan.next_at - SESSION_NOTICE_MS;
	struct home_card *c =
	    card_add(l, HOME_SESSION_UPCOMING, plan.therapist_id, since > plan.set_at ? since : plan.set_at);
	if (c) {
		c->at = plan.next_at;
		c->name = arena_strdup(a, name);
	}
	return true;
}

/*
 * Homework from the therapist that waits for the viewer (their own status
 * todo; homework_list_mine is empty without the viewer's consent). ref is
 * the homework's kind, name the therapist's, detail the title of what it
 * names (or its text, for an agreement or a task).
 */
static bool add_homework(struct store *s, const struct viewer *v, struct arena *a, struct home_list *l,
                         struct problem *p)
{
	struct homework_view *items;
	int n = 0, shown = 0;
	if (!homework_list_mine(s, v, a, &items, &n, p))
		return false;
	for (int i = 0; i < n && shown < HOME_HOMEWORK_MAX; i++) {
		const struct homework_view *hv = &items[i];
		if (hv->status[0] != HOMEWORK_TODO)
			continue;
		struct home_card *c = card_add(l, HOME_HOMEWORK, hv->h.id, hv->h.created_at);
		if (!c)
			break;
		shown++;
		enum homework_kind k;
		bool own_words = homework_kind_parse(hv->h.kind, &k) && homework_kind_needs_text(k);
		c->ref = hv->h.kind;
		c->name = hv->from_name;
		c->detail = own_words || !hv->ref_title ? hv->h.text : hv->ref_title;
		c->href = hv->href;
	}
	return true;
}

/*
 * Issue 14: the partner's running break (while they share a space), and the
 * viewer's own once its time has come ("Ready to come back?"), alone too.
 */
static bool add_breaks(struct store *s, const struct viewer *v, struct arena *a, struct home_list *l, struct problem *p)
{
	struct break_view b;
	struct problem bp = {0};
	if (break_mine(s, v, a, &b, &bp) && b.over) {
		struct home_card *c = card_add(l, HOME_BREAK_OVER, b.b.id, b.b.until_at);
		if (c)
			c->until = b.b.until_at;
	} else if (bp.outcome != OUTCOME_OK && bp.outcome != OUTCOME_NOT_FOUND) {
		*p = bp;
		return false;
	}
	bp = (struct problem){0};
	if (break_partner(s, v, a, &b, &bp)) {
		struct home_card *c = card_add(l, HOME_PARTNER_BREAK, b.b.id, b.b.started_at);
		if (c)
			c->until = b.b.until_at;
	} else if (bp.outcome != OUTCOME_NOT_FOUND) {
		*p = bp;
		return false;
	}
	return true;
}

static int card_newest_first(const void *x, const void *y)
{
	const struct home_card *a = x, *b = y;
	if (a->since != b->since)
		return a->since > b->since ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Marks the cards set aside with nothing newer since; drops them unless keep. */
static bool apply_dismissals(struct store *s, const struct viewer *v, bool keep, struct arena *a, struct home_list *l,
                             struct problem *p)
{
	struct store_home_dismissal *d;
	int n = 0;
	enum store_status st = s->home_dismissals(s, a, v->user_id, &d, &n);
	if (st != STORE_OK)
		return problem_from_store(p, st);
	int kept = 0;
	for (int i = 0; i < l->count; i++) {
		struct home_card *c = &l->items[i];
		for (int k = 0; k < n && !c->dismissed; k++)
			c->dismissed = strcmp(d[k].kind, home_kind_name(c->kind)) == 0 && strcmp(d[k].id, c->id) == 0 &&
			               d[k].since >= c->since;
		if (keep || !c->dismissed)
			l->items[kept++] = *c;
	}
	l->count = kept;
	return true;
}

bool home_cards(struct store *s, const struct viewer *v, bool include_dismissed, struct arena *a, struct home_list *out,
                struct problem *p)
{
	assert(v && out);
	out->items = arena_alloc(a, sizeof *out->items * HOME_CARDS_MAX);
	out->count = 0;
	if (home_is_practice(v))
		return true;
	if (!add_events(s, v, a, out, p) || !add_prompt(s, v, a, out, p) || !add_agreements(s, v, a, out, p) ||
	    !add_session(s, v, a, out, p) || !add_homework(s, v, a, out, p) || !add_breaks(s, v, a, out, p) ||
	    !apply_dismissals(s, v, include_dismissed, a, out, p))
		return false;
	for (int i = 0; i < out->count; i++)
		out->items[i].href = card_href(&out->items[i], a);
	qsort(out->items, (size_t)out->count, sizeof *out->items, card_newest_first);
	return true;
}

bool home_dismiss(struct store *s, const struct viewer *v, const char *kind, const char *id, struct arena *a,
                  struct problem *p)
{
	enum home_kind k;
	problem_begin(p); /* both fields at once */
	if (!home_kind_parse(kind, &k))
		problem_add(p, "kind", "Choose a kind of card from the list of home cards.");
	if (!id || !id_valid(id))
		problem_add(p, "id", "This is not the id of a card.");
	if (!problem_none(p))
		return false;
	struct home_list l;
	if (!home_cards(s, v, true, a, &l, p))
		return false;
	for (int i = 0; i < l.count; i++) {
		const struct home_card *c = &l.items[i];
		if (c->kind != k || strcmp(c->id, id) != 0)
			continue;
		enum store_status st = s->home_dismiss(s, v->user_id, kind, id, c->since);
		return st == STORE_OK || problem_from_store(p, st);
	}
	return problem_from_store(p, STORE_NOT_FOUND);
}

bool home_settings_get(struct store *s, const struct viewer *v, struct store_settings *out, struct problem *p)
{
	enum store_status st = s->settings_get(s, v->user_id, out);
	return st == STORE_OK || problem_from_store(p, st);
}

bool home_settings_set(struct store *s, const struct viewer *v, const struct store_settings *in, struct problem *p)
{
	enum store_status st = s->settings_set(s, v->user_id, in);
	return st == STORE_OK || problem_from_store(p, st);
}
