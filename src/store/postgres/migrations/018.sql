-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 18 (issue 14, "a repair that completes"): the steps after both sides are open. Each partner
-- writes, for a repair, at most one text per step ('heard', 'my_part', 'next_time'): a draft until
-- submitted, then shown to the other, who may answer the first two. The texts, the answer and its note
-- are sealed; `id` orders the timeline's cursor; `agreement_id` is the agreement a 'next_time' became.
CREATE TABLE repair_after_steps (
  space_id TEXT COLLATE "C" NOT NULL, repair_id TEXT COLLATE "C" NOT NULL, author_id TEXT COLLATE "C" NOT NULL,
  step TEXT COLLATE "C" NOT NULL, id TEXT COLLATE "C" NOT NULL, text TEXT NOT NULL, updated_at BIGINT NOT NULL,
  submitted_at BIGINT, answer TEXT, answer_note TEXT, answered_by TEXT COLLATE "C", answered_at BIGINT,
  agreement_id TEXT COLLATE "C", PRIMARY KEY (space_id, repair_id, author_id, step));
CREATE INDEX repair_after_steps_time ON repair_after_steps (space_id, submitted_at, id);
