-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 2: data keys for encryption at rest
CREATE TABLE data_keys (
  id TEXT PRIMARY KEY, scope_id TEXT NOT NULL UNIQUE, master_id TEXT NOT NULL,
  wrapped TEXT NOT NULL, created_at BIGINT NOT NULL);
