-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 10: what was still in clear gets sealed like the texts (domain/keyring.h): check-in
-- scales, safety-check answers, questionnaire scores and subscales, review outcomes,
-- acknowledgement kinds, display names. The numbers become texts here (their decimal text for now;
-- float8::text is the shortest text that reads back as the same double); the data step that runs
-- after the migrations, with the key file (domain/upgrade.c), then seals every value still in
-- clear and forgets the step recorded here.
CREATE TABLE upgrade_steps (step TEXT PRIMARY KEY);
INSERT INTO upgrade_steps (step) VALUES ('seal-in-clear');

ALTER TABLE checkins ALTER COLUMN mood TYPE TEXT USING mood::text,
  ALTER COLUMN connection TYPE TEXT USING connection::text, ALTER COLUMN secure TYPE TEXT USING secure::text;
ALTER TABLE safety_checks ALTER COLUMN afraid TYPE TEXT USING afraid::text,
  ALTER COLUMN pressured TYPE TEXT USING pressured::text;
ALTER TABLE questionnaire_responses ALTER COLUMN score TYPE TEXT USING score::text;
