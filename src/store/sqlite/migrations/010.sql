-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 10: what was still in clear gets sealed like the texts (domain/keyring.h): check-in
-- scales, safety-check answers, questionnaire scores and subscales, review outcomes,
-- acknowledgement kinds, display names. The numbers become texts here, in clear for now: a
-- check-in's three scales one text "MOOD CONNECTION SECURE" (one value to open per check-in, not
-- three), a safety check's answers "0" or "1", a score its 17 digits (so it reads back as the same
-- double). The data step that runs after the migrations, with the key file (domain/upgrade.c),
-- then seals every value still in clear and forgets the step recorded here; a new, empty database
-- has nothing to seal, and no step.
CREATE TABLE upgrade_steps (step TEXT PRIMARY KEY);
INSERT INTO upgrade_steps (step) SELECT 'seal-in-clear' WHERE EXISTS (SELECT 1 FROM users)
  OR EXISTS (SELECT 1 FROM checkins) OR EXISTS (SELECT 1 FROM access_log);

ALTER TABLE checkins ADD COLUMN scales TEXT NOT NULL DEFAULT '';
UPDATE checkins SET scales = mood || ' ' || connection || ' ' || secure;
ALTER TABLE checkins DROP COLUMN mood;
ALTER TABLE checkins DROP COLUMN connection;
ALTER TABLE checkins DROP COLUMN secure;

ALTER TABLE safety_checks ADD COLUMN afraid_text TEXT NOT NULL DEFAULT '';
ALTER TABLE safety_checks ADD COLUMN pressured_text TEXT NOT NULL DEFAULT '';
UPDATE safety_checks SET afraid_text = CAST(afraid AS TEXT), pressured_text = CAST(pressured AS TEXT);
ALTER TABLE safety_checks DROP COLUMN afraid;
ALTER TABLE safety_checks DROP COLUMN pressured;
ALTER TABLE safety_checks RENAME COLUMN afraid_text TO afraid;
ALTER TABLE safety_checks RENAME COLUMN pressured_text TO pressured;

ALTER TABLE questionnaire_responses ADD COLUMN score_text TEXT NOT NULL DEFAULT '';
UPDATE questionnaire_responses SET score_text = printf('%!.17g', score);
ALTER TABLE questionnaire_responses DROP COLUMN score;
ALTER TABLE questionnaire_responses RENAME COLUMN score_text TO score;
