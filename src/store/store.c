/* SPDX-License-Identifier: AGPL-3.0-or-later */
/*
 * store.c - assembles the store's table of functions (store.h) from the
 * feature files when a driver opens a store. It sits above the feature files
 * and db.c, so the driver half in db.c never calls up into a feature.
 */
#include "store_internal.h"

void store_features_init(struct store *s)
{
	store_account_init(s);
	store_space_init(s);
	store_keyring_init(s);
	store_checkin_init(s);
	store_repair_init(s);
	store_prompt_init(s);
	store_safety_init(s);
	store_agreement_init(s);
	store_questionnaire_init(s);
	store_trends_init(s);
	store_therapist_init(s);
	store_article_init(s);
	store_invite_init(s);
	store_two_step_init(s);
	store_session_init(s);
	store_throttle_init(s);
	store_upgrade_init(s);
	store_flash_init(s);
	store_home_init(s);
	store_repair_after_init(s);
	store_bridge_init(s); /* issue 13 */
	store_profile_init(s);
	store_cycle_init(s);
	store_therapy_session_init(s); /* issue 13 */
	store_homework_init(s);
	store_break_init(s); /* issue 14 */
	store_reminder_init(s);
	store_email_init(s);
	store_notice_init(s);
	store_push_init(s);
}
