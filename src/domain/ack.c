/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * ack.c - the supportive replies ("Thank you", "I hear you", "Me too", "A
 * hug") a partner can give to an answer to the daily question or to a
 * check-in's appreciation (declared in prompt.h). Apart from prompt.c so that
 * check-ins, and the fuzz targets that link them, need none of the daily
 * question's rules.
 */
#include <assert.h>
#include <stdio.h>

#include "../util/i18n.h"
#include "../util/util.h"
#include "prompt.h"

/* Defined here rather than in prompt.h so that the catalogue (xgettext reads the .c files) finds it. */
const char *const prompt_ack_message = N_("Choose one of the replies: Thank you, I hear you, Me too or A hug.");

static const char *const ack_names[PROMPT_ACK_COUNT] = {
    [ACK_THANK_YOU] = "thank_you",
    [ACK_I_HEAR_YOU] = "i_hear_you",
    [ACK_ME_TOO] = "me_too",
    [ACK_HUG] = "hug",
};

bool prompt_ack_parse(const char *s, enum prompt_ack *out)
{
	int i = word_find(s, ack_names, ARRAY_LEN(ack_names));
	if (i < 0)
		return false;
	*out = (enum prompt_ack)i;
	return true;
}

const char *prompt_ack_name(enum prompt_ack k)
{
	assert((size_t)k < ARRAY_LEN(ack_names));
	return ack_names[k];
}

void prompt_ack_ad(const char *item_id, const char *author_id, const char *from_id, char ad[PROMPT_ACK_AD_SIZE])
{
	snprintf(ad, PROMPT_ACK_AD_SIZE, "prompt_ack:%s:%s:%s:kind", item_id, author_id, from_id);
}
