-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 32: a second counter for who someone is (issue 18). Every request reads its session and
-- the counters of migration 30; the person's row and settings, their space, their membership and
-- the partner's (domain/account.c: account_viewer) are kept by those counters and read again when
-- one moves. But those counters move with every check-in, reply or answer too, so after each write
-- the next request of either partner read all of it again. who_n moves only with the rows the viewer
-- comes from: users, user_settings, space_members and spaces, by the same scopes as n (the person and
-- every space they are in, or the space and the member). Their triggers raise both.
ALTER TABLE change_counts ADD COLUMN who_n INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER space_members_changes_i;
CREATE TRIGGER space_members_changes_i AFTER INSERT ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.space_id AS s UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER space_members_changes_u;
CREATE TRIGGER space_members_changes_u AFTER UPDATE ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id UNION SELECT NEW.space_id UNION SELECT NEW.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER space_members_changes_d;
CREATE TRIGGER space_members_changes_d AFTER DELETE ON space_members BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.space_id AS s UNION SELECT OLD.user_id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER spaces_changes_i;
CREATE TRIGGER spaces_changes_i AFTER INSERT ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER spaces_changes_u;
CREATE TRIGGER spaces_changes_u AFTER UPDATE ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s UNION SELECT NEW.id)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER spaces_changes_d;
CREATE TRIGGER spaces_changes_d AFTER DELETE ON spaces BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s)
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER user_settings_changes_i;
CREATE TRIGGER user_settings_changes_i AFTER INSERT ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER user_settings_changes_u;
CREATE TRIGGER user_settings_changes_u AFTER UPDATE ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.user_id AS s UNION SELECT NEW.user_id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id, NEW.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id, NEW.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER user_settings_changes_d;
CREATE TRIGGER user_settings_changes_d AFTER DELETE ON user_settings BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.user_id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.user_id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.user_id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER users_changes_i;
CREATE TRIGGER users_changes_i AFTER INSERT ON users BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT NEW.id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (NEW.id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (NEW.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER users_changes_u;
CREATE TRIGGER users_changes_u AFTER UPDATE ON users BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s UNION SELECT NEW.id
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.id, NEW.id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.id, NEW.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
DROP TRIGGER users_changes_d;
CREATE TRIGGER users_changes_d AFTER DELETE ON users BEGIN
  INSERT INTO change_counts (scope_id, n, who_n) SELECT s, 1, 1 FROM (SELECT OLD.id AS s
    UNION SELECT space_id FROM space_members WHERE user_id IN (OLD.id)
    UNION SELECT space_id FROM space_therapists WHERE therapist_id IN (OLD.id))
  WHERE s IS NOT NULL AND s <> '' ON CONFLICT (scope_id) DO UPDATE SET n = n + 1, who_n = who_n + 1;
END;
