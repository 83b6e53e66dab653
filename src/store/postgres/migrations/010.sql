-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 10: what was still in clear gets sealed like the texts (domain/keyring.h): check-in
-- scales, safety-check answers, questionnaire scores and subscales, review outcomes,
-- acknowledgement kinds, display names. The numbers become texts here, in clear for now: a
-- check-in's three scales one text "MOOD CONNECTION SECURE" (one value to open per check-in, not
-- three), a safety check's answers "0" or "1", a score its shortest text that reads back as the
-- same double (float8::text). The data step that runs after the migrations, with the key file
-- (domain/upgrade.c), then seals every value still in clear and forgets the step recorded here; a
-- new, empty database has nothing to seal, and no step.
CREATE TABLE upgrade_steps (step TEXT PRIMARY KEY);
INSERT INTO upgrade_steps (step) SELECT 'seal-in-clear' WHERE EXISTS (SELECT 1 FROM users)
  OR EXISTS (SELECT 1 FROM checkins) OR EXISTS (SELECT 1 FROM access_log);

ALTER TABLE checkins ADD COLUMN scales TEXT;
UPDATE checkins SET scales = mood || ' ' || connection || ' ' || secure;
ALTER TABLE checkins ALTER COLUMN scales SET NOT NULL, DROP COLUMN mood, DROP COLUMN connection,
  DROP COLUMN secure;
ALTER TABLE safety_checks ALTER COLUMN afraid TYPE TEXT USING afraid::text,
  ALTER COLUMN pressured TYPE TEXT USING pressured::text;
ALTER TABLE questionnaire_responses ALTER COLUMN score TYPE TEXT USING score::text;
