/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store.h - the storage interface: one struct of function pointers that the
 * feature files (src/store/<feature>.c, over the driver in db.h) fill in for
 * either database. Nothing above this layer sees SQL.
 *
 * Every function returns an enum store_status that separates a hard error
 * (STORE_ERROR), a retryable one (STORE_BUSY: locked beyond the timeout, disk
 * full, I/O error), "no such row" (STORE_NOT_FOUND), a constraint hit
 * (STORE_CONFLICT) and success. Text a function returns is allocated in the
 * arena it is given and lives as long as that arena.
 *
 * Times are milliseconds since the Unix epoch.
 */
#ifndef HEARTH_STORE_H
#define HEARTH_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "../util/util.h"

enum store_status {
	STORE_OK = 0,
	STORE_NOT_FOUND,
	STORE_CONFLICT,
	STORE_BUSY,
	STORE_ERROR,
};

#define USERNAME_MAX 32
#define DISPLAY_NAME_MAX_BYTES (64 * 4)
#define ROLE_MAX 16
#define HASH_HEX_LEN 64

/*
 * The bytes a value sealed by domain/keyring.h takes as text, with its NUL,
 * when its plain text has at most n bytes: "v1:" KEY_ID ":" and the base64
 * of a 24-byte nonce, the text and a 16-byte tag. A fixed-size field that
 * holds a value sealed in the store and open above it is this big.
 */
#define SEALED_SIZE(n) (3 + ID_LEN + 1 + ((40 + (n) + 2) / 3) * 4 + 1)
/* A number sealed as its decimal text (at most 31 characters). */
#define SEALED_NUMBER_SIZE SEALED_SIZE(31)
/* A display name, sealed. */
#define SEALED_NAME_SIZE SEALED_SIZE(DISPLAY_NAME_MAX_BYTES)
/* A check-in's three scales, sealed together as "MOOD CONNECTION SECURE" (at most "10 10 10"). */
#define SEALED_SCALES_SIZE SEALED_SIZE(16)

struct store_user {
	char id[ID_LEN + 1];
	char username[USERNAME_MAX + 1];
	char display_name[SEALED_NAME_SIZE]; /* sealed in the store, open above it */
	char role[ROLE_MAX];
	char password_hash[160];
	int64_t created_at;
};

/*
 * A change to a person's profile: a NULL field stays as it is. display_name
 * sealed (domain/account.h account_name_seal); time_zone an IANA name, or ""
 * for the space's; bio sealed (domain/blog.h blog_bio_seal), or "" for none,
 * kept in the profiles table with bio_at as its time.
 */
struct store_profile {
	const char *display_name;
	const char *time_zone;
	const char *bio;
	int64_t bio_at;
	const char *language; /* "en", "es", "de", or "" for none (issue 16) */
};

/*
 * Who is asking: the signed-in user, their space and partner (empty strings
 * when none). The names are sealed as the store fills it in (session_viewer),
 * open once the domain has it (account_viewer).
 */
struct viewer {
	char user_id[ID_LEN + 1];
	char username[USERNAME_MAX + 1];
	char display_name[SEALED_NAME_SIZE];
	char role[ROLE_MAX];
	char space_id[ID_LEN + 1];
	char partner_id[ID_LEN + 1];
	char partner_name[SEALED_NAME_SIZE];
	char time_zone[64];     /* the day's zone: the space's; without a space, own_time_zone or "UTC" */
	char own_time_zone[64]; /* the person's own zone, "" to read times in the space's (viewer_time_zone) */
	char session_hash[HASH_HEX_LEN + 1];
	int64_t session_last_seen;
	char session_id[ID_LEN + 1]; /* the id GET /sessions names this session by */
	int64_t session_auth_at;     /* when the password was last typed for this session (domain/session.h) */
	bool quick_exit_signs_out;   /* the person's Quick exit setting (user_settings), read with the session */
	char language[8];            /* the person's language setting ("es"), "" for none: util/i18n.h */
	/* The change counters (migration 030) of the space and of the person, read with the session: they
	 * grow with every write to what this person reads, and key the cache of answers (http/cache.h). */
	int64_t changes_space;
	int64_t changes_own;
	/* Their part that moves only with who the person is (migration 032: their row and settings,
	 * the space, its members): it keys the rest of this viewer, kept by domain/account.c. */
	int64_t who_space;
	int64_t who_own;
};

#define CLIENT_NAME_MAX 64

/* A session, as a login stores it and as its owner sees it listed (never its token). */
struct store_session {
	char id[ID_LEN + 1];
	char token_hash[HASH_HEX_LEN + 1];
	char user_id[ID_LEN + 1];
	char client[CLIENT_NAME_MAX]; /* coarse: "Firefox on Linux"; never the User-Agent, never an address */
	int64_t created_at;
	int64_t last_seen_at;
	int64_t expires_at; /* the end, however much it is used */
	int64_t idle_ms;    /* it ends when unused for this long */
	int64_t auth_at;    /* when the password was last typed for it: the login, or a reauth */
};

/* The items of a check-in, each with its own visibility. */
#define CHECKIN_ITEMS 6

struct store_checkin {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1]; /* the space, or the author's id when written alone */
	char author_id[ID_LEN + 1];
	int64_t created_at;
	int64_t updated_at;
	int mood, connection, secure;      /* open: the domain's view */
	char *appreciation, *need, *worry; /* NULL when absent; sealed in the store, open above it */
	char visibility[16];               /* the widest visibility of its items (migration 012) */
	/* The three scales as the store keeps them: one value, sealed (domain/checkin.c seals and opens it). */
	struct {
		char scales[SEALED_SCALES_SIZE];
	} sealed;
	/*
	 * One letter per item (CHECKIN_ITEMS, in the order mood, connection,
	 * secure, appreciation, need, worry: 'o' only me, 'p' partner, 't'
	 * therapist); "" when every item has `visibility` (domain/checkin.h).
	 */
	char item_visibility[CHECKIN_ITEMS + 2];
	bool hidden[CHECKIN_ITEMS]; /* never stored: items the domain hid from this reader */
	/*
	 * The latest reply to it, when the read brought it along (checkin_list): "created_at from_id
	 * kind" with kind sealed, or NULL for none. ack_read false: not read, ask checkin_ack_get.
	 */
	char *ack;
	bool ack_read;
};

/* Which check-ins a list returns; empty strings switch a part off. */
struct checkin_query {
	const char *mine_id;    /* all check-ins by this author */
	const char *space_id;   /* plus shared ones in this space ... */
	const char *partner_id; /* ... by this author */
	int64_t before_time;    /* cursor: strictly older than (time, id); 0 = none */
	const char *before_id;
	int limit;
};

/* A data key, wrapped under the master key named by master_id (see domain/keyring.h). */
struct store_datakey {
	char id[ID_LEN + 1];
	char scope_id[ID_LEN + 1];
	char master_id[24];
	char wrapped[128];
};

/* A repair after a hurt. Its texts are sealed before they reach the store. */
struct store_repair {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1]; /* the space; or a person's id for a solo reflection */
	char created_by[ID_LEN + 1];
	char *title;
	char occurred_on[11]; /* YYYY-MM-DD, or "" */
	int64_t created_at;
	bool solo; /* opened without a partner: never revealed */
};

/* One partner's side of a repair, with their acknowledgement of the other's. */
struct store_repair_side {
	char repair_id[ID_LEN + 1];
	char space_id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char *feelings; /* a JSON array of words */
	char *perspective, *touched, *my_part, *next_time;
	int64_t updated_at;
	int64_t submitted_at;    /* 0 while a draft */
	int64_t acknowledged_at; /* 0 until this author acknowledged the other side */
	char *ack_note;
};

/* Our cycle (issue 14): one person's side in a scope; its texts sealed in the store. */
struct store_cycle_side {
	char space_id[ID_LEN + 1]; /* the space, or the person's id alone */
	char author_id[ID_LEN + 1];
	char *when_i_feel, *i_tend_to, *i_long_for;
	int64_t updated_at;
	int64_t submitted_at; /* 0 while a draft */
};

/* One edit of the shared text that names a couple's cycle; the newest is the text. */
struct store_cycle_edit {
	char space_id[ID_LEN + 1];
	char id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char *text; /* sealed in the store */
	int64_t created_at;
};

/*
 * One step a person took after both sides of a repair were open (issue 14,
 * migration 018): `step` is heard, my_part or next_time. The text, the other
 * partner's answer and its note arrive sealed and stay so here.
 */
struct store_repair_after {
	char space_id[ID_LEN + 1];
	char repair_id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char step[12];
	char id[ID_LEN + 1]; /* the row's own id: the timeline's cursor */
	char *text;
	int64_t updated_at;
	int64_t submitted_at;       /* 0 while a draft */
	char *answer, *answer_note; /* the other partner's answer to it, or NULL */
	char answered_by[ID_LEN + 1];
	int64_t answered_at;           /* 0 while unanswered */
	char agreement_id[ID_LEN + 1]; /* the agreement a next_time became, or "" */
};

/* The prompt a space (or a person alone) has for one date. */
struct store_prompt_day {
	char id[ID_LEN + 1];
	char scope_id[ID_LEN + 1];
	char date[11];
	char prompt_id[16];
	int64_t created_at;
};

struct store_prompt_answer {
	char day_id[ID_LEN + 1];
	char scope_id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char date[11];
	char prompt_id[16];
	char *text;
	int64_t created_at;
	/* The other partner's acknowledgement of this answer (sealed in the store), or "", and who gave it. */
	char ack_kind[SEALED_SIZE(16)];
	char ack_from[ID_LEN + 1];
};

struct store_safety_check {
	/* The repair it was taken for and when ("join", "heard"), or "" (migration 013). */
	char repair_id[ID_LEN + 1], moment[8];
	char id[ID_LEN + 1];
	char scope_id[ID_LEN + 1];
	char user_id[ID_LEN + 1];
	bool afraid, pressured, share_with_therapist; /* open: the domain's view */
	int64_t created_at;
	/* The answers as the store keeps them: sealed (domain/safety.c seals, therapist.c opens). */
	struct {
		char afraid[SEALED_NUMBER_SIZE], pressured[SEALED_NUMBER_SIZE];
	} sealed;
};

/* An agreement the couple made, with a review cadence. The text is sealed. */
struct store_agreement {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1];
	char author_id[ID_LEN + 1]; /* who proposed it */
	char *text;
	int review_every_days;
	char next_review_on[11];
	char status[16];            /* proposed | active | paused | retired */
	char repair_id[ID_LEN + 1]; /* the repair it came from, or "" */
	int64_t created_at;
	/* The partner's answer (agreement_answers, migration 017): "" and 0 when there is none. */
	char accepted_by[ID_LEN + 1]; /* the partner who said yes */
	int64_t accepted_at;
	char *discuss_note;            /* "let's talk about it": sealed in the store; NULL when none */
	char discussed_by[ID_LEN + 1]; /* who wrote the note */
	int64_t discussed_at;
};

struct store_review {
	char id[ID_LEN + 1];
	char agreement_id[ID_LEN + 1];
	char space_id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char outcome[SEALED_SIZE(16)]; /* kept | partly | not_yet; sealed in the store */
	char *note;                    /* sealed */
	int64_t created_at;
};

/* One questionnaire response: everything but its questionnaire, visibility and time sealed in the store. */
struct store_qresponse {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char questionnaire_id[64];
	char *answers;   /* a JSON object; sealed in the store */
	double score;    /* open: the domain's view */
	char *subscales; /* a JSON object of means; sealed in the store */
	char visibility[16];
	int64_t created_at;
	struct {
		char score[SEALED_NUMBER_SIZE];
	} sealed;
};

/* One check-in's scales, sealed, for trends. */
struct store_point {
	int64_t at;
	char id[ID_LEN + 1]; /* the check-in's: its scales are sealed for it */
	char scales[SEALED_SCALES_SIZE];
	char item_visibility[CHECKIN_ITEMS + 2]; /* as store_checkin's */
};

/*
 * A partner's answer to the space's therapist: not given yet, yes, or no (a
 * yes withdrawn is a no). Only CONSENT_GRANTED lets the therapist read.
 */
enum consent_state { CONSENT_UNDECIDED, CONSENT_GRANTED, CONSENT_DECLINED };

/* A couple's therapist as the space sees them, and the viewer's consent. */
struct store_space_therapist {
	char therapist_id[ID_LEN + 1];
	char display_name[SEALED_NAME_SIZE]; /* the names: sealed in the store, open above it */
	int64_t linked_at;
	bool consent[2]; /* for member_ids[0], member_ids[1]: consent_state == CONSENT_GRANTED */
	enum consent_state consent_state[2];
	char member_ids[2][ID_LEN + 1];
	char member_names[2][SEALED_NAME_SIZE];
	int members;
};

/* A space's next therapy session as its therapist set it (issue 13, migration 22); 0: none. */
struct store_session_plan {
	char therapist_id[ID_LEN + 1];
	int64_t next_at;     /* the next session (ms UTC), 0 when none */
	int64_t previous_at; /* the session before it, 0 when none */
	int64_t set_at;      /* when the date was last set or cleared, 0 never */
};

/* A space's pending invite code, as its members see it: never the code (stored only hashed). */
struct store_invite {
	char id[ID_LEN + 1];
	int64_t created_at;
	int64_t expires_at;
};

struct store_note {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1];
	char therapist_id[ID_LEN + 1];
	char *text; /* sealed */
	int64_t created_at;
};

struct store_access {
	char id[ID_LEN + 1];
	int64_t at;
	char who_id[ID_LEN + 1];
	char who_name[SEALED_NAME_SIZE]; /* a copy of the name when it happened; sealed in the store */
	char what[256];                  /* a visit names up to six kinds of data (domain/therapist.c) */
};

#define STORE_ARTICLE_TAGS_MAX 5
#define STORE_TAG_MAX 32
/* A public article (not sealed: articles are public once published). */
struct store_article {
	char id[ID_LEN + 1];
	char slug[96];
	char author_id[ID_LEN + 1];
	char *title, *body, *summary;
	char status[16];      /* draft | published */
	int64_t published_at; /* 0 while a draft */
	int64_t created_at, updated_at;
	int64_t views;
	int comments;     /* published comments */
	int pending;      /* comments awaiting moderation: read by article_list_own only, else 0 */
	char language[8]; /* the language it is written in, "en", "es", "de", or "" when not said (issue 16) */
	/* Filled by the domain (article_tags_get, the author's account and profile), never by the row reader. */
	char tags[STORE_ARTICLE_TAGS_MAX][STORE_TAG_MAX + 1];
	int tag_count;
	const char *author_name, *author_bio; /* arena; "" when unknown */
};

/* A tag and how many published articles carry it. */
struct store_tag {
	char tag[STORE_TAG_MAX + 1];
	int articles;
};

struct store_comment {
	char id[ID_LEN + 1];
	char article_id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	/* The name its writer chose to show (issue 12; "" before migration 16): public, in clear, never the account's.
	 */
	char author_name[DISPLAY_NAME_MAX_BYTES + 1];
	char *body;
	char status[16]; /* pending | published */
	int64_t created_at;
};

/* A person's two-step login (TOTP): the secret is sealed before it reaches the store. */
struct store_two_step {
	char user_id[ID_LEN + 1];
	char *secret; /* sealed; arena-owned */
	int64_t created_at;
	int64_t confirmed_at; /* 0 while the setup waits for its first code */
	int64_t last_step;    /* the newest TOTP time step accepted (a code works once) */
	int recovery_left;    /* recovery codes not used yet */
};

#define RECOVERY_CODE_COUNT 10

/*
 * Every column whose values are sealed, for the upgrade that seals what an
 * older hearth wrote in clear (domain/upgrade.c): the check-ins' texts
 * (before migration 2) and everything migration 10 began to seal.
 */
enum store_clear_column {
	CLEAR_CHECKIN_SCALES,
	CLEAR_CHECKIN_APPRECIATION,
	CLEAR_CHECKIN_NEED,
	CLEAR_CHECKIN_WORRY,
	CLEAR_SAFETY_AFRAID,
	CLEAR_SAFETY_PRESSURED,
	CLEAR_QRESPONSE_SCORE,
	CLEAR_QRESPONSE_SUBSCALES,
	CLEAR_REVIEW_OUTCOME,
	CLEAR_ACK_KIND,
	CLEAR_USER_DISPLAY_NAME,
	CLEAR_ACCESS_WHO_NAME,
	CLEAR_COLUMNS
};

/* A value still in clear: its row (the scope, then the key columns upgrade.c names for its column) and text. */
struct store_clear_value {
	char scope_id[ID_LEN + 1]; /* whose data key seals it: the row's space (or person) */
	char key[3][ID_LEN + 1];
	char *value;
};

enum link_result { LINK_OK, LINK_NO_CODE, LINK_ALREADY };

/* A throttling key (a keyed hash, domain/throttle.c) with its limit per window. */
#define THROTTLE_KEYS_MAX 3
struct throttle_key {
	const char *key;
	int limit;
	int64_t window_ms;
};

struct throttle_verdict {
	int refused;    /* index of the key at its limit, or -1: the attempt was counted */
	int64_t oldest; /* the oldest count of that key in its window */
};

enum join_result { JOIN_OK, JOIN_NO_CODE, JOIN_ALREADY_IN_SPACE, JOIN_FULL };

/* The home page (issue 11): an event that may become a card (domain/home.c). */
#define HOME_KIND_MAX 24
#define HOME_EVENTS_MAX 64
/* Dismissals read, the newest first: far more than the cards there can be at once. */
#define HOME_DISMISSALS_MAX 1000
struct store_home_event {
	char kind[HOME_KIND_MAX]; /* API.md's home kinds: repair_opened, acknowledged, partner_left, ... */
	char id[ID_LEN + 1];      /* the item it is about */
	char ref[16];             /* `acknowledged`: "prompt" or "repair"; `repair_step`: the step; else "" */
	char who[ID_LEN + 1];     /* for `partner_left`: who left ("" once their account is gone) */
	int64_t since;            /* when it happened */
};

/* A card set aside: it stays away until its event is newer than `since`. */
struct store_home_dismissal {
	char kind[HOME_KIND_MAX];
	char id[ID_LEN + 1];
	int64_t since;
};

/*
 * A break with a promise to return (issue 14, migration 019): one per person at
 * most, the one running or the one whose time has come and not yet ended.
 */
struct store_break {
	char id[ID_LEN + 1];
	char user_id[ID_LEN + 1];
	int64_t started_at;
	int64_t until_at; /* when its taker said they would be back */
	char *note;       /* NULL when none; sealed in the store, open above it */
};

/* A person's own settings. */
struct store_settings {
	bool quick_exit_signs_out; /* Quick exit also ends the session (static/exit.js) */
};

/*
 * Homework from the couple's therapist (issue 13, migration 21): kind and ref
 * from fixed lists, text sealed in the store (open above it), for_id "" for
 * both partners. Read for one partner (homework_list with a user id), a row
 * also carries that partner's mark ("", "done" or "not_this_week"), its
 * sealed note, and whether the linked action happened after it was given
 * (a questionnaire response, a repair resolved, an agreement proposed or
 * said yes to): auto_done. A theme's homework is the domain's to judge (a
 * question's theme is content, not a column).
 */
#define HOMEWORK_LIST_MAX 100
struct store_homework {
	char id[ID_LEN + 1];
	char space_id[ID_LEN + 1];
	char therapist_id[ID_LEN + 1];
	char kind[24];
	char ref[96];
	char *text; /* sealed in the store; "" for none */
	char due_on[11];
	char for_id[ID_LEN + 1];
	int64_t created_at;
	char mark[16];
	char *note; /* sealed in the store; "" for none */
	bool auto_done;
};

/* Issue 13: an item of a person's list "to bring to our next session" (src/store/bridge.c). */
struct store_bridge_item {
	char space_id[ID_LEN + 1]; /* the scope: the space, or the author's own id after leaving it */
	char id[ID_LEN + 1];
	char author_id[ID_LEN + 1];
	char *text; /* sealed in the store */
	bool share_with_therapist;
	bool share_with_partner;
	int64_t talked_about_at; /* 0: still open (on the list) */
	int64_t created_at;
	int64_t updated_at;
};

/* Which items of a space bridge_list reads (each flag narrows the list). */
struct store_bridge_filter {
	const char *author_a, *author_b; /* the authors wanted ("" for none) */
	bool shared_with_partner;        /* only those shared with the partner */
	bool shared_with_therapist;      /* only those shared with the therapist */
	bool open_only;                  /* only those not talked about yet */
};
/* A reminder a person asked for (issue 15): one per kind. */
#define REMINDER_KIND_MAX 24
#define REMINDER_CHANNELS_MAX 32
#define REMINDER_TEXT_MAX_BYTES 240 /* 60 characters of at most 4 bytes */
struct store_reminder {
	char kind[REMINDER_KIND_MAX];
	char channels[REMINDER_CHANNELS_MAX];            /* comma-separated channel names */
	int at_minute;                                   /* minutes after midnight, the person's own time */
	int days;                                        /* bit 0 Monday .. bit 6 Sunday */
	char text[SEALED_SIZE(REMINDER_TEXT_MAX_BYTES)]; /* sealed in the store */
	int64_t updated_at;
};
/* A person's private calendar feed: the token sealed, for them to see their link again. */
struct store_calendar {
	char token[SEALED_SIZE(64)];
	int64_t created_at;
};
/* A person's email address (issue 15), sealed in the store. */
#define EMAIL_MAX_BYTES 254
struct store_email {
	char address[SEALED_SIZE(EMAIL_MAX_BYTES)];
	int64_t created_at;
	int64_t confirmed_at; /* 0: not confirmed */
};
/* A reminder by email with what its time needs: the person's zone (theirs, else their space's). */
struct store_email_reminder {
	char user_id[ID_LEN + 1];
	char kind[REMINDER_KIND_MAX];
	int at_minute, days;
	char own_zone[64], space_zone[64];
	int64_t since; /* the later of the reminder's change and the address's confirmation */
};
/* A break that ended, of someone who asked to hear of it by email. */
struct store_break_over {
	char user_id[ID_LEN + 1];
	int64_t until_at;
};
/* A message of the outbox, as a claim gives it. */
#define OUTBOX_ERROR_MAX 200
/* A language setting's room ("es"; util/i18n.h), as in struct viewer. */
#define STORE_LANGUAGE_MAX 8
struct store_outbox {
	char id[ID_LEN + 1];
	char user_id[ID_LEN + 1];
	char kind[REMINDER_KIND_MAX]; /* a reminder's kind, or "confirm" */
	int64_t occurrence, due_at;
	int attempts;                      /* counting this claim */
	char language[STORE_LANGUAGE_MAX]; /* the recipient's setting ("de"), "" for none: the message's */
};
#define EMAIL_REMINDERS_MAX 100000
/* A person's quiet hours (set false: none) and the zones their times are read in (issue 15). */
struct store_quiet {
	bool set;
	int from_minute, to_minute; /* minutes after midnight, the person's own time */
	char own_zone[64], space_zone[64];
};
/* What a person chose to hear of their partner's activity (issue 15). */
struct store_notice {
	int kinds;                            /* 1 << enum notice_kind (domain/notice.h) */
	bool named;                           /* name the activity; false: neutral words */
	char channels[REMINDER_CHANNELS_MAX]; /* comma-separated channel names, as a reminder's */
	int64_t updated_at;
};
/* A person's partner, to name them in a notice: the display name sealed. */
struct store_notice_partner {
	char id[ID_LEN + 1];
	char name[SEALED_NAME_SIZE];
};
/* A person's push subscription (issue 15): the endpoint and keys sealed together in the store. */
#define PUSH_HASH_LEN 64 /* a BLAKE2b-256 of the endpoint, in hex */
struct store_push_subscription {
	char id[ID_LEN + 1];
	char user_id[ID_LEN + 1];
	char *subscription; /* sealed; arena-owned */
	int64_t created_at;
};
/* A message of the push outbox, as a claim gives it. */
struct store_push_outbox {
	char id[ID_LEN + 1];
	char subscription_id[ID_LEN + 1];
	char user_id[ID_LEN + 1];
	char kind[REMINDER_KIND_MAX];
	int64_t occurrence, due_at;
	int attempts;                      /* counting this claim */
	char language[STORE_LANGUAGE_MAX]; /* the recipient's setting ("de"), "" for none: the message's */
};
/* A person's devices: more would be a list nobody reads (the API refuses the next one). */
#define PUSH_SUBSCRIPTIONS_MAX 20
/* At most one reminder of each kind (domain/reminder.h counts them). */
#define REMINDERS_MAX 8

struct keyring;

/*
 * A request's wait for its writes to be on disk (store.when_durable). The
 * caller fills ticket, done and arg, and keeps the struct until done is called
 * or when_durable returns false; the rest is the store's.
 */
struct store_durable_wait {
	uint64_t ticket;         /* from defer_end */
	void (*done)(void *arg); /* from another thread, once settled */
	void *arg;
	bool ok; /* settled: on disk (false: not within the busy timeout) */
	struct timespec until;
	struct store_durable_wait *next;
};

struct store {
	const char *name;
	/* This thread's database connection (db.h: db_of); set by the driver. */
	struct db *(*connection)(struct store *s);
	/* The keyring that seals the texts kept in this store (set by the caller). */
	struct keyring *keys;
	/* Applies pending migrations; returns the schema version in *version. */
	enum store_status (*migrate)(struct store *s, int *version);
	/*
	 * Set by the caller: migrate shows its progress on stderr (on a terminal,
	 * or one summary line when it took a second or more; util/progress.h).
	 */
	bool migrate_progress;
	/* Closes this thread's connection (called as worker threads end). */
	void (*thread_done)(struct store *s);
	void (*close)(struct store *s);
	/* Cheap liveness probe for /healthz. */
	enum store_status (*ping)(struct store *s);
	enum store_status (*backup)(struct store *s, const char *path);
	/* Integrity check; *ok is false when the database is damaged. */
	enum store_status (*check)(struct store *s, bool *ok, char *detail, size_t detail_len);

	/*
	 * Optional (NULL when a backend has none): groups this thread's following
	 * calls into one transaction, each call's own transaction becoming a
	 * savepoint; batch_end commits (or rolls back) them all. For bulk loads.
	 */
	enum store_status (*batch_begin)(struct store *s);
	enum store_status (*batch_end)(struct store *s, bool commit);

	/*
	 * Optional (NULL when the database keeps no log file of its own to
	 * empty): moves the write-ahead log into the database and empties it, so
	 * that rows just deleted - overwritten in the database by secure_delete -
	 * linger in no file. SQLite: a TRUNCATE checkpoint (issue 10, part D).
	 */
	enum store_status (*scrub)(struct store *s);

	/*
	 * Optional (NULL where a commit is on disk before it returns, as on
	 * PostgreSQL): deferred durability. A worker thread serves many
	 * connections, so a write that waits there for the disk stalls every other
	 * request the thread holds, and the thread keeps one write in flight.
	 * Between defer_begin and defer_end on one thread, a commit returns once it
	 * is committed (visible to every reader) but before it is on disk, and
	 * defer_end gives the ticket of the last such commit (0: none). Nothing may
	 * be acknowledged until when_durable settles that ticket: it returns false
	 * with w->ok set when it is settled already, else true, and later sets
	 * w->ok and calls w->done(w->arg) from another thread: ok once a sync
	 * covers the ticket, not ok when none did within the busy timeout (answer
	 * STORE_BUSY, as a write that waited would have).
	 */
	void (*defer_begin)(struct store *s);
	uint64_t (*defer_end)(struct store *s);
	bool (*when_durable)(struct store *s, struct store_durable_wait *w);

	/* Users. user_insert: STORE_CONFLICT when the username is taken. */
	enum store_status (*user_insert)(struct store *s, const struct store_user *u);
	enum store_status (*user_by_username)(struct store *s, const char *username, struct store_user *u);

	/* Sessions, keyed by the hash of their token (session_insert and the rest of session.c below). */
	/* Fills the viewer for a live session (expires_at > now, idle limit honoured). */
	enum store_status (*session_viewer)(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
	                                    struct viewer *v);
	/*
	 * The same live session, filling only its own fields, user_id, space_id and the change
	 * counters (the rest of v zeroed): what account_viewer needs to know whether what it kept of
	 * the viewer still holds.
	 */
	enum store_status (*session_check)(struct store *s, const char *token_hash, int64_t now, int64_t idle_ms,
	                                   struct viewer *v);
	enum store_status (*session_touch)(struct store *s, const char *token_hash, int64_t now);
	enum store_status (*session_delete)(struct store *s, const char *token_hash);
	enum store_status (*session_delete_user)(struct store *s, const char *user_id);

	/* Sessions a person sees and ends, and password changes (src/store/session.c). */
	/* STORE_CONFLICT when the token hash or the id is taken. Now and then drops sessions long over. */
	enum store_status (*session_insert)(struct store *s, const struct store_session *session);
	/* The user's live sessions at `now`, newest first, strictly before the (time, id) cursor (0: none). */
	enum store_status (*session_list)(struct store *s, struct arena *a, const char *user_id, int64_t now,
	                                  int64_t before_time, const char *before_id, int limit,
	                                  struct store_session **items, int *count);
	/* Ends the user's session with this id; STORE_NOT_FOUND when the user has none by that id. */
	enum store_status (*session_end)(struct store *s, const char *user_id, const char *id);
	/* Ends every session of the user but the one with keep_hash ("" ends them all). */
	enum store_status (*session_end_others)(struct store *s, const char *user_id, const char *keep_hash);
	/* Records that the password was typed for this session now (it is fresh again). */
	enum store_status (*session_reauth)(struct store *s, const char *token_hash, int64_t now);
	/*
	 * Replaces the user's password hash and ends every session of theirs but
	 * keep_hash ("" ends them all), in one transaction. STORE_NOT_FOUND when
	 * there is no such user.
	 */
	enum store_status (*user_password_set)(struct store *s, const char *user_id, const char *password_hash,
	                                       const char *keep_hash);

	/* Failure counters for throttling (keys like "login-user:NAME"). */
	enum store_status (*failure_add)(struct store *s, const char *key, int64_t now);
	/* Counts failures since `since`; *oldest is the oldest of them (0 when none). */
	enum store_status (*failure_count)(struct store *s, const char *key, int64_t since, int *count,
	                                   int64_t *oldest);
	enum store_status (*failure_clear)(struct store *s, const char *key);

	/*
	 * Throttling in one step (store/throttle.c): when every key has fewer than
	 * its limit of counts in its window, counts this attempt under each key
	 * (out->refused = -1); else counts nothing and names the first key at its
	 * limit (out->refused, with its oldest count in the window in out->oldest).
	 * Concurrent takes on one key are counted one after the other.
	 */
	enum store_status (*throttle_take)(struct store *s, const struct throttle_key *keys, int n, const char *attempt,
	                                   int64_t now, struct throttle_verdict *out);
	/* Takes back every count of one attempt (a login that succeeded, a sign-up refused). */
	enum store_status (*throttle_forget)(struct store *s, const char *attempt);

	/* Spaces. space_create: STORE_CONFLICT when the user is already in one. */
	enum store_status (*space_create)(struct store *s, const char *space_id, const char *user_id,
	                                  const char *time_zone, int64_t now);
	enum store_status (*space_member_count)(struct store *s, const char *space_id, int *count);
	/* A new invite code (stored hashed) with its id; the space's expired codes go meanwhile. */
	enum store_status (*invite_insert)(struct store *s, const char *space_id, const char *id, const char *code_hash,
	                                   const char *created_by, int64_t now, int64_t expires_at);
	/* The space's pending codes (unused, unexpired at now), newest first, after the cursor (0, "": first). */
	enum store_status (*invite_list)(struct store *s, struct arena *a, const char *space_id, int64_t now,
	                                 int64_t before_time, const char *before_id, int limit,
	                                 struct store_invite **items, int *count);
	/* Deletes an unused code of the space; STORE_NOT_FOUND when there is none with this id. */
	enum store_status (*invite_revoke)(struct store *s, const char *space_id, const char *id);
	/*
	 * A session's flash (flash.c): one sealed value of a kind, shown once
	 * after a redirect; putting one replaces the session's last and removes
	 * expired ones. Taking it deletes it; STORE_NOT_FOUND when there is none
	 * (or it expired). *sealed lives in a.
	 */
	enum store_status (*flash_put)(struct store *s, const char *token_hash, const char *kind, const char *scope_id,
	                               const char *sealed, int64_t now, int64_t expires_at);
	enum store_status (*flash_take)(struct store *s, struct arena *a, const char *token_hash, const char *kind,
	                                int64_t now, char scope_id[ID_LEN + 1], char **sealed);
	/*
	 * Joins through an unused, unexpired invite; *space_id_out receives the
	 * space. Every other unused code of the space stops working.
	 */
	enum store_status (*space_join)(struct store *s, const char *code_hash, const char *user_id, int64_t now,
	                                enum join_result *result, char space_id_out[ID_LEN + 1]);
	/*
	 * Leaves: the leaver's items become theirs alone; the space's unused codes
	 * stop working; an empty space is removed.
	 */
	enum store_status (*space_leave)(struct store *s, const char *space_id, const char *user_id);

	/* Data keys. datakey_insert: STORE_CONFLICT when the scope already has one. */
	enum store_status (*datakey_by_scope)(struct store *s, const char *scope_id, struct store_datakey *k);
	enum store_status (*datakey_by_id)(struct store *s, const char *id, struct store_datakey *k);
	enum store_status (*datakey_insert)(struct store *s, const struct store_datakey *k);
	enum store_status (*datakey_all)(struct store *s, struct arena *a, struct store_datakey **items, int *count);
	/* Replaces wrapped and master_id of every given key, in one transaction. */
	enum store_status (*datakey_rewrap)(struct store *s, const struct store_datakey *items, int count);

	/* Check-ins; the texts are sealed (domain/keyring.h) before they reach the store. */
	enum store_status (*checkin_insert)(struct store *s, const struct store_checkin *c);
	enum store_status (*checkin_get)(struct store *s, struct arena *a, const char *id, struct store_checkin *c);
	enum store_status (*checkin_update)(struct store *s, const struct store_checkin *c);
	enum store_status (*checkin_delete)(struct store *s, const char *id, const char *author_id);
	/* A person's default visibility of new check-in items: "" when never set (migration 012). */
	enum store_status (*checkin_default_get)(struct store *s, const char *user_id, char out[16]);
	enum store_status (*checkin_default_set)(struct store *s, const char *user_id, const char *visibility);
	/*
	 * The partner's acknowledgement of a check-in (kept in prompt_acks, written
	 * with prompt_ack_put, day_id the check-in's id): its kind sealed, who gave
	 * it and when; STORE_NOT_FOUND when none.
	 */
	enum store_status (*checkin_ack_get)(struct store *s, const char *scope_id, const char *checkin_id,
	                                     const char *author_id, char kind[SEALED_SIZE(16)],
	                                     char from_id[ID_LEN + 1], int64_t *at);
	/* Newest first; *items is an arena array of *count entries (at most q->limit). */
	enum store_status (*checkin_list)(struct store *s, struct arena *a, const struct checkin_query *q,
	                                  struct store_checkin **items, int *count);

	/* Repairs. repair_get looks in the given scopes only (a space id and the viewer's id). */
	enum store_status (*repair_insert)(struct store *s, const struct store_repair *r);
	enum store_status (*repair_get)(struct store *s, struct arena *a, const char *id, const char *space_id,
	                                const char *user_id, struct store_repair *r);
	/* Repairs the viewer may list: the space's shared ones and their own solo ones; newest first. */
	enum store_status (*repair_list)(struct store *s, struct arena *a, const char *space_id, const char *user_id,
	                                 int64_t before_time, const char *before_id, int limit,
	                                 struct store_repair **items, int *count);
	/* Both sides present for a repair in a scope (0, 1 or 2). */
	enum store_status (*repair_sides)(struct store *s, struct arena *a, const char *space_id, const char *repair_id,
	                                  struct store_repair_side *sides, int *count);
	/* Writes a draft; STORE_CONFLICT when that side is already submitted. */
	enum store_status (*repair_side_put)(struct store *s, const struct store_repair_side *side);
	/* STORE_CONFLICT when already submitted; STORE_NOT_FOUND when there is no draft. */
	enum store_status (*repair_side_submit)(struct store *s, const char *space_id, const char *repair_id,
	                                        const char *author_id, int64_t now);
	/* STORE_CONFLICT when already acknowledged. */
	enum store_status (*repair_side_acknowledge)(struct store *s, const char *space_id, const char *repair_id,
	                                             const char *author_id, const char *note, int64_t now);
	/* Issue 14, the steps after the reveal (store/repair_after.c): a repair's rows (drafts too, at most 6). */
	enum store_status (*repair_after_rows)(struct store *s, struct arena *a, const char *space_id,
	                                       const char *repair_id, struct store_repair_after **rows, int *count);
	/* Writes a draft (a new row takes row->id); STORE_CONFLICT when that step is already submitted. */
	enum store_status (*repair_after_put)(struct store *s, const struct store_repair_after *row);
	/* STORE_CONFLICT when already submitted; STORE_NOT_FOUND when there is no draft. */
	enum store_status (*repair_after_submit)(struct store *s, const struct store_repair_after *key, int64_t now);
	/* Sets (or changes) the answer of a submitted step; STORE_NOT_FOUND when it is not submitted. */
	enum store_status (*repair_after_answer)(struct store *s, const struct store_repair_after *row);
	/* Records the agreement a submitted next_time became; STORE_CONFLICT when it already has one. */
	enum store_status (*repair_after_agreement)(struct store *s, const struct store_repair_after *key,
	                                            const char *agreement_id);
	/*
	 * Submitted steps in the scopes space_id and user_id, the viewer's own and the
	 * partner's of shared repairs, older than (before_time, before_id); newest first.
	 */
	enum store_status (*repair_after_list)(struct store *s, struct arena *a, const char *space_id,
	                                       const char *user_id, int64_t before_time, const char *before_id,
	                                       int limit, struct store_repair_after **rows, int *count);

	/* Prompts. prompt_day_insert: STORE_CONFLICT when the date already has one. */
	enum store_status (*prompt_day_get)(struct store *s, const char *scope_id, const char *date,
	                                    struct store_prompt_day *d);
	enum store_status (*prompt_day_by_id)(struct store *s, const char *id, struct store_prompt_day *d);
	enum store_status (*prompt_day_insert)(struct store *s, const struct store_prompt_day *d);
	/* Replaces the date's prompt (a skip) unless someone answered it: STORE_CONFLICT then. */
	enum store_status (*prompt_day_replace)(struct store *s, const struct store_prompt_day *old,
	                                        const struct store_prompt_day *fresh, const char *skipped_by);
	/* The prompt ids this scope has been given so far. */
	enum store_status (*prompt_seen)(struct store *s, struct arena *a, const char *scope_id, char (**ids)[16],
	                                 int *count);
	/* Did this person skip on this date? */
	enum store_status (*prompt_skipped)(struct store *s, const char *scope_id, const char *date,
	                                    const char *user_id, bool *skipped);
	/* STORE_CONFLICT when this person already answered this day. */
	enum store_status (*prompt_answer_insert)(struct store *s, const struct store_prompt_answer *a);
	enum store_status (*prompt_answers)(struct store *s, struct arena *a, const char *scope_id, const char *day_id,
	                                    struct store_prompt_answer *answers, int *count);
	/* One acknowledgement per answer and person; a new one replaces the old. */
	enum store_status (*prompt_ack_put)(struct store *s, const char *scope_id, const char *day_id,
	                                    const char *answer_author, const char *from_id, const char *kind,
	                                    int64_t now);
	/* Answers by these authors, newest date first, before the cursor date (exclusive; "" = none). */
	enum store_status (*prompt_history)(struct store *s, struct arena *a, const char *scope_id, const char *me_id,
	                                    const char *partner_id, const char *before_date, int limit,
	                                    struct store_prompt_answer **items, int *count);
	/*
	 * Issue 15: a deck question chosen for a date still to come (migration 024). _put replaces the date's
	 * earlier pick (the later one wins); _get: STORE_NOT_FOUND when none was chosen.
	 */
	enum store_status (*prompt_override_put)(struct store *s, const char *scope_id, const char *date,
	                                         const char *question_id, int64_t now);
	enum store_status (*prompt_override_get)(struct store *s, const char *scope_id, const char *date,
	                                         char question_id[16]);

	/* Safety checks: written once, never shown to a partner. */
	enum store_status (*safety_insert)(struct store *s, const struct store_safety_check *c);
	/* The person's latest check for a repair at a moment; STORE_NOT_FOUND when they took none. */
	enum store_status (*safety_latest)(struct store *s, const char *scope_id, const char *user_id,
	                                   const char *repair_id, const char *moment, struct store_safety_check *c);

	/* Agreements: the space's shared ones (and, looked up by scope, a leaver's copies). */
	enum store_status (*agreement_insert)(struct store *s, const struct store_agreement *a);
	enum store_status (*agreement_get)(struct store *s, struct arena *ar, const char *id, const char *space_id,
	                                   const char *user_id, struct store_agreement *a);
	/* Newest first, in the given scope; cursor as for check-ins. */
	enum store_status (*agreement_list)(struct store *s, struct arena *ar, const char *scope_id,
	                                    int64_t before_time, const char *before_id, int limit,
	                                    struct store_agreement **items, int *count);
	/*
	 * Moves an agreement from status `from` to `to` (STORE_NOT_FOUND when it is no longer in `from`: somebody
	 * else changed it meanwhile); a non-empty next_review_on restarts the looks back from there; a non-empty
	 * accepted_by records that partner's yes at accepted_at (and drops a "let's talk" note). One transaction.
	 */
	enum store_status (*agreement_move)(struct store *s, const char *scope_id, const char *id, const char *from,
	                                    const char *to, const char *next_review_on, const char *accepted_by,
	                                    int64_t accepted_at);
	/* Keeps the partner's sealed "let's talk about it" note (replacing an earlier one). */
	enum store_status (*agreement_discuss)(struct store *s, const char *scope_id, const char *id, const char *by,
	                                       const char *sealed_note, int64_t at);
	/* Adds a review and moves the agreement's next review date, in one transaction. */
	enum store_status (*review_insert)(struct store *s, const struct store_review *r, const char *next_review_on);
	/* Reviews of one agreement, newest first (at most limit). */
	enum store_status (*review_list)(struct store *s, struct arena *ar, const char *scope_id,
	                                 const char *agreement_id, int limit, struct store_review **items, int *count);

	/* Questionnaire responses. */
	enum store_status (*qresponse_insert)(struct store *s, const struct store_qresponse *r);
	/*
	 * Responses in a scope, newest first (by time, then id), by author (NULL:
	 * any), questionnaire (NULL: any), only shared ones when shared_only,
	 * created at or after from and before (to, to_id) in that order: to_id ""
	 * or NULL takes none of time `to`, an id those of it with smaller ids (a
	 * page's cursor, as several can share a millisecond).
	 */
	enum store_status (*qresponse_list)(struct store *s, struct arena *ar, const char *scope_id,
	                                    const char *author_id, const char *questionnaire_id, bool shared_only,
	                                    int64_t from, int64_t to, const char *to_id, int limit,
	                                    struct store_qresponse **items, int *count);
	/*
	 * One response by its id, of author_id, in either scope (their space or
	 * their own); STORE_NOT_FOUND when there is none.
	 */
	enum store_status (*qresponse_get)(struct store *s, struct arena *ar, const char *scope_id,
	                                   const char *own_scope_id, const char *author_id, const char *id,
	                                   struct store_qresponse *out);
	/* The scales of one author's check-ins in [from, to), oldest first; shared ones only when shared_only. */
	enum store_status (*checkin_points)(struct store *s, struct arena *ar, const char *author_id,
	                                    const char *space_id, bool shared_only, int64_t from, int64_t to,
	                                    struct store_point **items, int *count);

	/* Deletes a person and everything they wrote (they must have left their space). */
	enum store_status (*user_delete)(struct store *s, const char *user_id);
	enum store_status (*user_by_id)(struct store *s, const char *id, struct store_user *u);

	/* Therapist invites, links and consent. */
	enum store_status (*tinvite_insert)(struct store *s, const char *code_hash, const char *therapist_id,
	                                    int64_t now, int64_t expires_at);
	/* Links the code's therapist to the space; the linker consents, the partner is pending. */
	enum store_status (*therapist_link)(struct store *s, const char *space_id, const char *code_hash,
	                                    const char *linker_id, int64_t now, enum link_result *result);
	enum store_status (*therapist_unlink)(struct store *s, const char *space_id);
	enum store_status (*consent_set)(struct store *s, const char *space_id, const char *user_id, bool granted,
	                                 int64_t now);
	/* The space's therapist with each member's consent; STORE_NOT_FOUND when none. */
	enum store_status (*space_therapist)(struct store *s, const char *space_id, struct store_space_therapist *t);
	/* The spaces a therapist is linked to (space ids, newest link first). */
	enum store_status (*therapist_spaces)(struct store *s, struct arena *a, const char *therapist_id,
	                                      char (**space_ids)[ID_LEN + 1], int *count);
	/* Check-ins of these authors in a space with visibility "therapist", newest first. */
	enum store_status (*checkin_list_therapist)(struct store *s, struct arena *a, const char *space_id,
	                                            const char *author_a, const char *author_b, int64_t before_time,
	                                            const char *before_id, int limit, struct store_checkin **items,
	                                            int *count);
	enum store_status (*note_insert)(struct store *s, const struct store_note *n);
	enum store_status (*note_list)(struct store *s, struct arena *a, const char *space_id, const char *therapist_id,
	                               int64_t before_time, const char *before_id, int limit, struct store_note **items,
	                               int *count);
	enum store_status (*access_insert)(struct store *s, const char *space_id, const struct store_access *e);
	enum store_status (*access_list)(struct store *s, struct arena *a, const char *space_id, int64_t before_time,
	                                 const char *before_id, int limit, struct store_access **items, int *count);
	/* When the therapist last opened the space (0 = never); visit_set records now. */
	enum store_status (*visit_get)(struct store *s, const char *space_id, const char *therapist_id, int64_t *at);
	enum store_status (*visit_set)(struct store *s, const char *space_id, const char *therapist_id, int64_t now);
	/* Safety checks people chose to share with the therapist, newest first. */
	enum store_status (*safety_shared)(struct store *s, struct arena *a, const char *space_id, int limit,
	                                   struct store_safety_check **items, int *count);

	/* Articles. article_insert: STORE_CONFLICT when the slug is taken. */
	enum store_status (*article_insert)(struct store *s, const struct store_article *a);
	enum store_status (*article_update)(struct store *s, const struct store_article *a);
	enum store_status (*article_delete)(struct store *s, const char *id);
	enum store_status (*article_by_slug)(struct store *s, struct arena *ar, const char *slug,
	                                     struct store_article *a);
	/*
	 * Published articles newest first (or, with author_id, also that author's
	 * drafts); q non-empty: a ranked full-text search of titles and bodies
	 * (then the cursor is ignored and at most `limit` are returned).
	 */
	enum store_status (*article_list)(struct store *s, struct arena *ar, const char *q, const char *author_id,
	                                  int64_t before_time, const char *before_id, int limit,
	                                  struct store_article **items, int *count);
	/* One author's articles, drafts included, newest first, each with its count of comments awaiting moderation. */
	enum store_status (*article_list_own)(struct store *s, struct arena *ar, const char *author_id, int limit,
	                                      struct store_article **items, int *count);
	/* Issue 12: tags (article_tags_set replaces them all), the tag list, a person's bio (sealed by the caller). */
	enum store_status (*article_list_tagged)(struct store *s, struct arena *ar, const char *tag,
	                                         const char *author_id, int64_t before_time, const char *before_id,
	                                         int limit, struct store_article **items, int *count);
	enum store_status (*article_tags_get)(struct store *s, struct arena *ar, struct store_article *a);
	enum store_status (*article_tags_set)(struct store *s, const struct store_article *a);
	enum store_status (*tag_list)(struct store *s, struct arena *ar, int limit, struct store_tag **items,
	                              int *count);
	/* STORE_NOT_FOUND when the person never wrote one. */
	enum store_status (*profile_bio_get)(struct store *s, struct arena *ar, const char *user_id, char **bio);
	enum store_status (*article_view)(struct store *s, const char *id);
	enum store_status (*comment_insert)(struct store *s, const struct store_comment *c);
	/* Comments oldest first; pending ones only when include_pending. */
	enum store_status (*comment_list)(struct store *s, struct arena *ar, const char *article_id,
	                                  bool include_pending, int64_t after_time, const char *after_id, int limit,
	                                  struct store_comment **items, int *count);
	enum store_status (*comment_set_status)(struct store *s, const char *article_id, const char *id,
	                                        const char *status);
	enum store_status (*comment_delete)(struct store *s, const char *article_id, const char *id);

	/* Two-step login (issue 10, part B): src/store/two_step.c. */
	/*
	 * The person's row, pending or on (a NULL: without the secret); STORE_NOT_FOUND when they never set
	 * it up (or turned it off).
	 */
	enum store_status (*two_step_get)(struct store *s, struct arena *a, const char *user_id,
	                                  struct store_two_step *t);
	/* Starts (or restarts) a setup with a new sealed secret; STORE_CONFLICT when two-step is on already. */
	enum store_status (*two_step_begin)(struct store *s, const char *user_id, const char *sealed_secret,
	                                    int64_t now);
	/*
	 * Turns a pending setup on, accepting the code of time step `step`, and
	 * replaces the recovery codes with the RECOVERY_CODE_COUNT hashes given,
	 * in one transaction. STORE_CONFLICT when there is no pending setup.
	 */
	enum store_status (*two_step_confirm)(struct store *s, const char *user_id, int64_t step,
	                                      const char (*code_hashes)[HASH_HEX_LEN + 1], int64_t now);
	/* Accepts a code of time step `step` once: STORE_NOT_FOUND when it (or a later one) was used already. */
	enum store_status (*two_step_use_step)(struct store *s, const char *user_id, int64_t step);
	/* Uses a recovery code once: STORE_NOT_FOUND when there is no such unused code. */
	enum store_status (*recovery_code_use)(struct store *s, const char *user_id, const char *code_hash,
	                                       int64_t now);
	/* Turns two-step off: the secret and every recovery code go. STORE_NOT_FOUND when there was nothing. */
	enum store_status (*two_step_delete)(struct store *s, const char *user_id);
	/* A ticket from the password step to the code page of a login (kept by its hash); old ones are pruned. */
	enum store_status (*login_ticket_insert)(struct store *s, const char *token_hash, const char *user_id,
	                                         int64_t now, int64_t expires_at);
	/*
	 * Counts a try on a live ticket with fewer than max_tries tries and gives
	 * its user; STORE_NOT_FOUND when it is unknown, expired or used up.
	 */
	enum store_status (*login_ticket_try)(struct store *s, const char *token_hash, int64_t now, int max_tries,
	                                      char user_id[ID_LEN + 1]);
	enum store_status (*login_ticket_delete)(struct store *s, const char *token_hash);

	/*
	 * Changes what a person says about themselves (store/profile.c, issue 12):
	 * each field of the profile that is not NULL, all in one transaction.
	 * STORE_NOT_FOUND when there is no such user.
	 */
	enum store_status (*user_profile_set)(struct store *s, const char *user_id, const struct store_profile *p);

	/*
	 * Upgrades whose data step runs in C after the migrations (src/store/upgrade.c):
	 * a migration records the step as pending; upgrade_done forgets it.
	 */
	enum store_status (*upgrade_pending)(struct store *s, const char *step, bool *pending);
	enum store_status (*upgrade_done)(struct store *s, const char *step);
	/*
	 * Up to limit values of a column that are still in clear (not "" and not
	 * of a sealed form), in key order, after the row of `after` (NULL: from
	 * the first).
	 */
	enum store_status (*clear_values)(struct store *s, struct arena *a, enum store_clear_column column,
	                                  const struct store_clear_value *after, int limit,
	                                  struct store_clear_value **items, int *count);
	/* Replaces a value in clear by its sealed form; STORE_NOT_FOUND when it changed meanwhile. */
	enum store_status (*clear_value_seal)(struct store *s, enum store_clear_column column,
	                                      const struct store_clear_value *v, const char *sealed);
	/* Rewrites the database so that no page, free or in the log, keeps what was overwritten. */
	enum store_status (*compact)(struct store *s);

	/* The home page (issue 11): src/store/home.c. */
	/*
	 * What may wait for the viewer in their space (?: user_id, its space_id
	 * and partner_id, "" when none): events about repairs, acknowledgements of
	 * what they wrote (since `recent` only), the partner joining (since
	 * `recent`) or leaving, the therapist waiting for their consent; newest
	 * first, at most HOME_EVENTS_MAX. Which of them become cards, and the
	 * dismissals, are the domain's rules (domain/home.c).
	 */
	enum store_status (*home_events)(struct store *s, struct arena *a, const char *user_id, const char *space_id,
	                                 const char *partner_id, int64_t recent, struct store_home_event **items,
	                                 int *count);
	/* The cards the person set aside, at most HOME_DISMISSALS_MAX (the newest). */
	enum store_status (*home_dismissals)(struct store *s, struct arena *a, const char *user_id,
	                                     struct store_home_dismissal **items, int *count);
	/* Sets a card aside until something newer than `since` happens to it (replaces an earlier dismissal). */
	enum store_status (*home_dismiss)(struct store *s, const char *user_id, const char *kind, const char *item_id,
	                                  int64_t since);
	/* The person's own settings; the defaults when they never changed one. */
	enum store_status (*settings_get)(struct store *s, const char *user_id, struct store_settings *out);
	enum store_status (*settings_set)(struct store *s, const char *user_id, const struct store_settings *in);
	/* Our cycle (issue 14): src/store/cycle.c. The sides in a scope (0, 1 or 2). */
	enum store_status (*cycle_sides)(struct store *s, struct arena *a, const char *scope_id,
	                                 struct store_cycle_side sides[2], int *count);
	/* Writes a draft; STORE_CONFLICT when that side is already submitted. */
	enum store_status (*cycle_side_put)(struct store *s, const struct store_cycle_side *side);
	/* STORE_CONFLICT when already submitted; STORE_NOT_FOUND when there is no draft. */
	enum store_status (*cycle_side_submit)(struct store *s, const char *scope_id, const char *author_id,
	                                       int64_t now);
	enum store_status (*cycle_edit_insert)(struct store *s, const struct store_cycle_edit *e);
	/* The edits of the shared text, newest first, at most limit. */
	enum store_status (*cycle_edits)(struct store *s, struct arena *a, const char *scope_id, int limit,
	                                 struct store_cycle_edit **items, int *count);

	/* The therapy session (issue 13): src/store/therapy_session.c. */
	/* The space's session plan: STORE_NOT_FOUND when the space has no therapist (unlinking clears it). */
	enum store_status (*session_plan_get)(struct store *s, const char *space_id, struct store_session_plan *out);
	/*
	 * Writes in's three times on the link of space_id to in->therapist_id, only
	 * while its next session is still expected_next (0: none), so two writers
	 * never lose one's change: STORE_NOT_FOUND when no row matched.
	 */
	enum store_status (*session_plan_set)(struct store *s, const char *space_id, int64_t expected_next,
	                                      const struct store_session_plan *in);
	/*
	 * Questionnaire responses in a space marked "therapist", by these authors
	 * ("" for none), newest first (by time, then id), before (before_time,
	 * before_id) in that order (before_time 0: any; before_id "" or NULL:
	 * none of that time).
	 */
	enum store_status (*qresponse_list_therapist)(struct store *s, struct arena *ar, const char *space_id,
	                                              const char *author_a, const char *author_b, int64_t before_time,
	                                              const char *before_id, int limit, struct store_qresponse **items,
	                                              int *count);
	/*
	 * Homework (issue 13): src/store/homework.c. Only assignments of the
	 * therapist linked to the space now, given since the link, are read.
	 */
	enum store_status (*homework_insert)(struct store *s, const struct store_homework *h);
	/* STORE_NOT_FOUND unless the space has this assignment by this therapist. */
	enum store_status (*homework_delete)(struct store *s, const char *space_id, const char *therapist_id,
	                                     const char *id);
	/*
	 * The space's assignments, newest first (at most HOMEWORK_LIST_MAX); with
	 * a user_id, only those for that partner (or both), each with the
	 * partner's mark, note and auto_done; with "", all of them without.
	 */
	enum store_status (*homework_list)(struct store *s, struct arena *a, const char *space_id, const char *user_id,
	                                   struct store_homework **items, int *count);
	/* Sets one partner's mark (done | not_this_week) and note (sealed, "" for none). */
	enum store_status (*homework_mark)(struct store *s, const char *space_id, const char *homework_id,
	                                   const char *user_id, const char *status, const char *note, int64_t now);
	/* The partner opened this article: their article homework about it is done (while they consent). */
	enum store_status (*homework_article_opened)(struct store *s, const char *space_id, const char *user_id,
	                                             const char *slug, int64_t now);
	/* Issue 13: the list "to bring to our next session" (src/store/bridge.c); texts stay sealed here. */
	enum store_status (*bridge_insert)(struct store *s, const struct store_bridge_item *it);
	/* The item of that id in that scope; STORE_NOT_FOUND when there is none. */
	enum store_status (*bridge_get)(struct store *s, struct arena *a, const char *space_id, const char *id,
	                                struct store_bridge_item *out);
	/* The author's open items in the scope (for the cap on how many there may be). */
	enum store_status (*bridge_count_open)(struct store *s, const char *space_id, const char *author_id,
	                                       int *count);
	/* Text and shares of the author's item; STORE_NOT_FOUND when it is not theirs. */
	enum store_status (*bridge_update)(struct store *s, const struct store_bridge_item *it);
	enum store_status (*bridge_delete)(struct store *s, const char *space_id, const char *id,
	                                   const char *author_id);
	/* Items of a scope as f says, oldest first, at most limit. */
	enum store_status (*bridge_list)(struct store *s, struct arena *a, const char *space_id,
	                                 const struct store_bridge_filter *f, int limit,
	                                 struct store_bridge_item **items, int *count);
	/*
	 * Marks an item shared with the therapist by one of the two authors talked
	 * about at `now` (an item marked already keeps its first time);
	 * STORE_NOT_FOUND when no such item is shared.
	 */
	enum store_status (*bridge_mark_talked_about)(struct store *s, const char *space_id, const char *id,
	                                              const char *author_a, const char *author_b, int64_t now);
	/*
	 * Everything the author wrote in any scope, newest first (talked_about_only:
	 * those talked about at `before` or earlier, newest talk first), at most limit.
	 */
	enum store_status (*bridge_by_author)(struct store *s, struct arena *a, const char *author_id,
	                                      bool talked_about_only, int64_t before, int limit,
	                                      struct store_bridge_item **items, int *count);
	/* Breaks (issue 14): src/store/break.c. */
	/* The person's break, running or over (STORE_NOT_FOUND when they have none). */
	enum store_status (*break_get)(struct store *s, struct arena *a, const char *user_id, struct store_break *out);
	/*
	 * Starts b (note sealed already) in one transaction: a break of the person
	 * that was over by `now` goes first; STORE_CONFLICT when one still runs.
	 */
	enum store_status (*break_start)(struct store *s, const struct store_break *b, int64_t now);
	/* Ends (deletes) the person's break; STORE_NOT_FOUND when they have none. */
	enum store_status (*break_end)(struct store *s, const char *user_id);
	/* Reminders and the private calendar feed (issue 15): src/store/reminder.c. */
	/* The person's reminders, at most REMINDERS_MAX, by kind. */
	enum store_status (*reminder_list)(struct store *s, struct arena *a, const char *user_id,
	                                   struct store_reminder **items, int *count);
	/* Sets the person's reminder of in->kind (replacing the one they had). */
	enum store_status (*reminder_put)(struct store *s, const char *user_id, const struct store_reminder *in);
	/* Removes it: STORE_NOT_FOUND when there was none. */
	enum store_status (*reminder_delete)(struct store *s, const char *user_id, const char *kind);
	/* A new feed token's hash for the person, in place of the old one (which stops working). */
	enum store_status (*calendar_set)(struct store *s, const char *user_id, const char *token_hash,
	                                  const char *sealed_token, int64_t created_at);
	/* Ends the person's feed: STORE_NOT_FOUND when there was none. */
	enum store_status (*calendar_delete)(struct store *s, const char *user_id);
	/* The person's feed: STORE_NOT_FOUND when they have none. */
	enum store_status (*calendar_get)(struct store *s, const char *user_id, struct store_calendar *out);
	/* Whose feed a token's hash opens, and their language setting ("" for none): STORE_NOT_FOUND for none. */
	enum store_status (*calendar_owner)(struct store *s, const char *token_hash, char user_id[ID_LEN + 1],
	                                    char language[STORE_LANGUAGE_MAX]);

	/* Email and its outbox (issue 15): src/store/email.c. */
	/* The person's address: STORE_NOT_FOUND when none. */
	enum store_status (*email_get)(struct store *s, const char *user_id, struct store_email *out);
	/* A new address (sealed), not confirmed, in place of any other; the messages still queued for the old one go.
	 */
	enum store_status (*email_set)(struct store *s, const char *user_id, const char *sealed, int64_t created_at);
	/* Confirms the address made at created_at: STORE_NOT_FOUND when the person has another since (or none). */
	enum store_status (*email_confirm)(struct store *s, const char *user_id, int64_t created_at, int64_t at);
	/* Removes the address and every message still queued for it: STORE_NOT_FOUND when none. */
	enum store_status (*email_delete)(struct store *s, const char *user_id);
	/* Every reminder on the email channel of a person whose address is confirmed, at most EMAIL_REMINDERS_MAX. */
	enum store_status (*email_reminders)(struct store *s, struct arena *a, struct store_email_reminder **items,
	                                     int *count);
	/* Breaks that ended in (since, now] of people with a break_over reminder by email and a confirmed address. */
	enum store_status (*email_breaks_over)(struct store *s, struct arena *a, int64_t now, int64_t since,
	                                       struct store_break_over **items, int *count);
	/* Queues a message unless this person's occurrence of this kind is queued already (then STORE_OK too). */
	enum store_status (*outbox_add)(struct store *s, const char *id, const char *user_id, const char *kind,
	                                int64_t occurrence, int64_t due_at, int64_t now);
	/*
	 * Claims the message due first (due_at <= now, unsent, no running lease),
	 * leasing it until lease_until and counting the attempt: STORE_NOT_FOUND
	 * when none. On PostgreSQL several servers claim different rows (SKIP LOCKED).
	 */
	enum store_status (*outbox_claim)(struct store *s, int64_t now, int64_t lease_until, struct store_outbox *out);
	/* The claimed message went out (or needs no sending any more). */
	enum store_status (*outbox_done)(struct store *s, const char *id, int64_t at);
	/* The claimed message failed: tried again at retry_at, with what went wrong. */
	enum store_status (*outbox_retry)(struct store *s, const char *id, int64_t retry_at, const char *error);

	/* Quiet hours and notices of the partner's activity (issue 15): src/store/notice.c. */
	/* The person's quiet hours (out->set false: none) and zones; STORE_NOT_FOUND: no such person. */
	enum store_status (*quiet_get)(struct store *s, const char *user_id, struct store_quiet *out);
	enum store_status (*quiet_put)(struct store *s, const char *user_id, int from_minute, int to_minute,
	                               int64_t at);
	/* STORE_NOT_FOUND when the person had none. */
	enum store_status (*quiet_delete)(struct store *s, const char *user_id);
	/* STORE_NOT_FOUND when the person has notices off. */
	enum store_status (*notice_get)(struct store *s, const char *user_id, struct store_notice *out);
	enum store_status (*notice_put)(struct store *s, const char *user_id, const struct store_notice *in);
	enum store_status (*notice_delete)(struct store *s, const char *user_id);
	/* The person's partner now; STORE_NOT_FOUND when they have none. */
	enum store_status (*notice_partner)(struct store *s, const char *user_id, struct store_notice_partner *out);
	/*
	 * Logs that user_id is told of `item` and, unless it was logged before,
	 * queues it in each outbox asked for where no notice of `kind` waits
	 * unsent: by_email one row (`id`) of the outbox, by_push one row of the
	 * push outbox for each of the person's devices; due now, or gap_ms after
	 * the last of its kind in that outbox was sent. *queued: some row is new.
	 */
	enum store_status (*notice_queue)(struct store *s, const char *id, const char *user_id, const char *kind,
	                                  const char *item, bool by_email, bool by_push, int64_t now, int64_t gap_ms,
	                                  bool *queued);
	/* The claimed message waits until `until` (quiet hours); the claim is not counted as an attempt. */
	enum store_status (*outbox_hold)(struct store *s, const char *id, int64_t until);
	/* As outbox_hold, for the push outbox. */
	enum store_status (*push_outbox_hold)(struct store *s, const char *id, int64_t until);
	/* Web push and its outbox (issue 15): src/store/push.c. */
	/*
	 * Keeps a subscription of user_id's under endpoint_hash: one of theirs with
	 * the same hash gets the new sealed text and keeps its id; one of someone
	 * else's with it goes (the device is the newer subscriber's now), with what
	 * was queued for it; otherwise a new row with id. The id kept is in out_id.
	 * STORE_CONFLICT when the person has PUSH_SUBSCRIPTIONS_MAX already.
	 */
	enum store_status (*push_subscription_put)(struct store *s, const char *id, const char *user_id,
	                                           const char *endpoint_hash, const char *sealed, int64_t created_at,
	                                           char out_id[ID_LEN + 1]);
	/* The person's subscriptions, oldest first (at most PUSH_SUBSCRIPTIONS_MAX). */
	enum store_status (*push_subscription_list)(struct store *s, struct arena *a, const char *user_id,
	                                            struct store_push_subscription **items, int *count);
	/* One subscription by id (any person's: for sending). STORE_NOT_FOUND when it is gone. */
	enum store_status (*push_subscription_get)(struct store *s, struct arena *a, const char *id,
	                                           struct store_push_subscription *out);
	/*
	 * Removes a subscription and what is queued for it; user_id NULL: whoever's
	 * (the push service said it is gone). STORE_NOT_FOUND when there is no such
	 * one of user_id's.
	 */
	enum store_status (*push_subscription_delete)(struct store *s, const char *user_id, const char *id);
	/* Every reminder on the push channel of a person with a subscription, at most EMAIL_REMINDERS_MAX. */
	enum store_status (*push_reminders)(struct store *s, struct arena *a, struct store_email_reminder **items,
	                                    int *count);
	/* Breaks that ended in (since, now] of people with a break_over reminder by push and a subscription. */
	enum store_status (*push_breaks_over)(struct store *s, struct arena *a, int64_t now, int64_t since,
	                                      struct store_break_over **items, int *count);
	/*
	 * Queues the occurrence for every subscription of user_id's made before it,
	 * unless queued already (then STORE_OK too); *queued says how many rows are new.
	 */
	enum store_status (*push_queue)(struct store *s, const char *user_id, const char *kind, int64_t occurrence,
	                                int64_t due_at, int64_t now, int *queued);
	/* As outbox_claim, outbox_done and outbox_retry, for the push outbox. */
	enum store_status (*push_outbox_claim)(struct store *s, int64_t now, int64_t lease_until,
	                                       struct store_push_outbox *out);
	enum store_status (*push_outbox_done)(struct store *s, const char *id, int64_t at);
	enum store_status (*push_outbox_retry)(struct store *s, const char *id, int64_t retry_at, const char *error);
};

/* Opens the SQLite store in data_dir (created when missing); NULL with a message on failure. */
struct store *store_sqlite_open(const char *data_dir, char *err, size_t err_len);
/*
 * Before store_sqlite_open, for a server: SQLite's messages about a system
 * call that failed (which file, which call, which errno) go to stderr as log
 * lines. The command line keeps its one line per error instead.
 */
void store_sqlite_log_syscalls(void);
struct store *store_postgres_open(const char *url, char *err, size_t err_len);

const char *store_status_name(enum store_status st);

/* Failed store operations since start, and database connections open now (for /metrics). */
uint64_t store_errors_total(void);
int store_connections_open(void);

/*
 * Completed syncs of the SQLite WAL since start, counted only while storage
 * fault injection is installed (HEARTH_FAULT_FILE, tests); -1 otherwise.
 */
int64_t store_test_wal_syncs(void);

#endif
