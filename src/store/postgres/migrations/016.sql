-- SPDX-License-Identifier: AGPL-3.0-or-later
-- Migration 16 (issue 12): a public blog that protects its readers.
-- Articles get tags (0-5 each, checked by domain/article.c); a comment carries the name its writer chose to
-- show (comments written before this show none: "A reader", never the account's name); a person gets a
-- short bio for the byline of their articles, sealed like every text people write.
CREATE TABLE article_tags (article_id TEXT COLLATE "C" NOT NULL, tag TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (article_id, tag));
CREATE INDEX article_tags_tag ON article_tags (tag, article_id);
ALTER TABLE article_comments ADD COLUMN name TEXT NOT NULL DEFAULT '';
CREATE TABLE profiles (user_id TEXT COLLATE "C" PRIMARY KEY, bio TEXT NOT NULL, updated_at BIGINT NOT NULL);
