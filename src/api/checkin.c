/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * checkin.c - API: check-ins (create, list, get, edit, delete).
 */
#include "../app.h"
#include "../domain/checkin.h"
#include "../util/jsonw.h"
#include "api.h"

#include <string.h>

/* A number item, or null when hidden from this reader. */
static json_t *item_int(const struct store_checkin *c, enum checkin_item i, int value)
{
	return c->hidden[i] ? json_null() : json_integer(value);
}

json_t *api_checkin_json(const struct store_checkin *c)
{
	char at[32];
	time_rfc3339(c->created_at, at);
	json_t *by_item = json_object();
	for (int i = 0; i < CHECKIN_ITEMS; i++)
		json_object_set_new(by_item, checkin_item_name((enum checkin_item)i),
		                    json_string(visibility_name(checkin_item_visibility(c, (enum checkin_item)i))));
	return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s?, s:s?, s:s?, s:s, s:o}", "id", c->id, "author_id",
	                 c->author_id, "created_at", at, "mood", item_int(c, ITEM_MOOD, c->mood), "connection",
	                 item_int(c, ITEM_CONNECTION, c->connection), "secure", item_int(c, ITEM_SECURE, c->secure),
	                 "appreciation", c->appreciation, "need", c->need, "worry", c->worry, "visibility",
	                 checkin_visibility_summary(c), "visibility_by_item", by_item);
}

/*
 * visibility as an object {ITEM: word, ...} (API.md, Additions): each key
 * one of the six items, each value a string; checkin_validate judges the words.
 */
static bool visibility_items(json_t *body, struct checkin_input *in, struct problem *p)
{
	json_t *obj = json_object_get(body, "visibility");
	if (!json_is_object(obj))
		return true;
	in->has_items = true;
	in->has_visibility = true;
	const char *key;
	json_t *val;
	json_object_foreach(obj, key, val)
	{
		int found = -1;
		for (int i = 0; i < CHECKIN_ITEMS; i++)
			if (strcmp(key, checkin_item_name((enum checkin_item)i)) == 0)
				found = i;
		if (found < 0)
			problem_add(p, "visibility",
			            "visibility names mood, connection, secure, appreciation, need or worry.");
		else if (!json_is_string(val) || strlen(json_string_value(val)) != json_string_length(val))
			problem_add(p, checkin_item_field((enum checkin_item)found), "This field must be a string.");
		else
			in->item_visibility[found] = json_string_value(val);
	}
	return problem_none(p);
}

/*
 * The check-in as api_checkin_json, with the partner's reply to it
 * (acknowledgement: {kind, created_at} or null); a failed read leaves it null.
 */
static json_t *checkin_json(struct request *r, const struct store_checkin *c)
{
	json_t *j = api_checkin_json(c);
	const char *kind = NULL;
	int64_t at = 0;
	struct problem ignored = {0};
	if (checkin_ack_of(r->app->store, c, &kind, &at, &ignored) && kind)
		json_object_set_new(j, "acknowledgement",
		                    json_pack("{s:s, s:o}", "kind", kind, "created_at", api_time(at)));
	else
		json_object_set_new(j, "acknowledgement", json_null());
	return j;
}

/* A number item, or null when hidden from this reader (item_int, written). */
static int item_write(struct buf *b, const struct store_checkin *c, enum checkin_item i, int value)
{
	return c->hidden[i] ? jsonw_raw(b, "null") : jsonw_int(b, value);
}

/*
 * checkin_json written into b, key for key in its order (jansson keeps the
 * order of insertion), so a list answer is byte for byte what it was.
 */
static int checkin_write(struct buf *b, struct request *r, const struct store_checkin *c)
{
	char at[32];
	time_rfc3339(c->created_at, at);
	int rc = jsonw_raw(b, "{\"id\":") || jsonw_str(b, c->id) || jsonw_raw(b, ",\"author_id\":") ||
	         jsonw_str(b, c->author_id) || jsonw_raw(b, ",\"created_at\":") || jsonw_str(b, at) ||
	         jsonw_raw(b, ",\"mood\":") || item_write(b, c, ITEM_MOOD, c->mood) ||
	         jsonw_raw(b, ",\"connection\":") || item_write(b, c, ITEM_CONNECTION, c->connection) ||
	         jsonw_raw(b, ",\"secure\":") || item_write(b, c, ITEM_SECURE, c->secure) ||
	         jsonw_raw(b, ",\"appreciation\":") || jsonw_str(b, c->appreciation) || jsonw_raw(b, ",\"need\":") ||
	         jsonw_str(b, c->need) || jsonw_raw(b, ",\"worry\":") || jsonw_str(b, c->worry) ||
	         jsonw_raw(b, ",\"visibility\":") || jsonw_str(b, checkin_visibility_summary(c)) ||
	         jsonw_raw(b, ",\"visibility_by_item\":{");
	for (int i = 0; i < CHECKIN_ITEMS && !rc; i++)
		rc = jsonw_raw(b, i ? ",\"" : "\"") || jsonw_raw(b, checkin_item_name((enum checkin_item)i)) ||
		     jsonw_raw(b, "\":") ||
		     jsonw_str(b, visibility_name(checkin_item_visibility(c, (enum checkin_item)i)));
	if (rc)
		return -1;
	const char *kind = NULL;
	int64_t ack_at = 0;
	struct problem ignored = {0};
	if (checkin_ack_of(r->app->store, c, &kind, &ack_at, &ignored) && kind) {
		time_rfc3339(ack_at, at);
		rc = jsonw_raw(b, "},\"acknowledgement\":{\"kind\":") || jsonw_str(b, kind) ||
		     jsonw_raw(b, ",\"created_at\":") || jsonw_str(b, at) || jsonw_raw(b, "}}");
	} else {
		rc = jsonw_raw(b, "},\"acknowledgement\":null}");
	}
	return rc ? -1 : 0;
}

/* Maps a JSON body onto a check-in input; false with a problem on a wrong type. */
bool api_checkin_input(json_t *body, struct checkin_input *in, struct problem *p)
{
	*in = (struct checkin_input){0};
	problem_begin(p); /* every mistyped field at once */
	(void)!api_int(body, "mood", &in->mood, &in->has_mood, p);
	(void)!api_int(body, "connection", &in->connection, &in->has_connection, p);
	(void)!api_int(body, "secure", &in->secure, &in->has_secure, p);
	(void)!api_string(body, "appreciation", true, &in->appreciation, &in->has_appreciation, p);
	(void)!api_string(body, "need", true, &in->need, &in->has_need, p);
	(void)!api_string(body, "worry", true, &in->worry, &in->has_worry, p);
	if (json_is_object(json_object_get(body, "visibility")))
		(void)!visibility_items(body, in, p);
	else
		(void)!api_string(body, "visibility", false, &in->visibility, &in->has_visibility, p);
	return problem_none(p);
}

void api_checkin_create(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	if (api_checkin_input(body, &in, &p) && checkin_create(r->app->store, &r->viewer, &in, r->arena, &c, &p))
		reply_json(r, 201, checkin_json(r, &c));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_checkin_list(struct request *r)
{
	struct problem p = {0};
	int limit;
	const char *before;
	enum checkin_author who;
	struct checkin_page page;
	if (!checkin_author_parse(request_query(r, "author"), &who)) {
		problem_invalid(&p, "author", "author is me, partner or all.");
		api_problem(r, &p);
		return;
	}
	if (!api_page_params(r, &limit, &before, &p) ||
	    !checkin_list(r->app->store, &r->viewer, who, before, limit, r->arena, &page, &p)) {
		api_problem(r, &p);
		return;
	}
	/* Written straight into the answer: the same bytes as api_list of checkin_json, without the tree. */
	struct buf *b = reply_json_begin(r, 200);
	int rc = jsonw_raw(b, "{\"items\":[");
	for (int i = 0; i < page.count && rc == 0; i++)
		rc = (i ? jsonw_raw(b, ",") : 0) || checkin_write(b, r, &page.items[i]) ? -1 : 0;
	if (rc == 0)
		rc = jsonw_raw(b, "],\"next\":") || jsonw_str(b, page.next_cursor) || jsonw_raw(b, "}") ? -1 : 0;
	if (rc != 0)
		reply_error(r, 500, "internal", "Something went wrong on our side.", NULL);
	else
		reply_etag(r, r->viewer.user_id); /* a reader's app asks again with If-None-Match: 304 when unchanged */
}

void api_checkin_get(struct request *r)
{
	struct store_checkin c;
	struct problem p = {0};
	if (checkin_read(r->app->store, &r->viewer, r->path_args[0], r->arena, &c, &p))
		reply_json(r, 200, checkin_json(r, &c));
	else
		api_problem(r, &p);
}

void api_checkin_patch(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	struct checkin_input in;
	struct store_checkin c;
	struct problem p = {0};
	if (api_checkin_input(body, &in, &p) &&
	    checkin_edit(r->app->store, &r->viewer, r->path_args[0], &in, r->arena, &c, &p))
		reply_json(r, 200, checkin_json(r, &c));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_checkin_delete(struct request *r)
{
	struct problem p = {0};
	if (checkin_remove(r->app->store, &r->viewer, r->path_args[0], r->arena, &p))
		reply_empty(r, 204);
	else
		api_problem(r, &p);
}

void api_checkin_acknowledge(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *kind;
	bool has;
	struct problem p = {0};
	struct store_checkin c;
	if (api_string(body, "kind", false, &kind, &has, &p) &&
	    checkin_acknowledge(r->app->store, &r->viewer, r->path_args[0], kind, r->arena, &p) &&
	    checkin_read(r->app->store, &r->viewer, r->path_args[0], r->arena, &c, &p))
		reply_json(r, 201, checkin_json(r, &c));
	else
		api_problem(r, &p);
	json_decref(body);
}

void api_checkin_default_put(struct request *r)
{
	json_t *body = api_body(r);
	if (!body)
		return;
	const char *word;
	bool has;
	struct problem p = {0};
	if (api_string(body, "visibility", false, &word, &has, &p) &&
	    checkin_default_set(r->app->store, &r->viewer, word, &p))
		reply_json(r, 200, json_pack("{s:s}", "checkin_default_visibility", word));
	else
		api_problem(r, &p);
	json_decref(body);
}
