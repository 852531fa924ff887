-- Parley schema v4 (PostgreSQL): full-text search and message expiry. Mirrors
-- db/migration/sqlite/V4__search_expiry.sql, with a tsvector column instead of FTS5.

-- The searchable words of body_text, written by the store with every insert and edit:
-- to_tsvector('simple', <the text's words, case and diacritics folded in Java, space-separated>),
-- NULL once the text is erased (delete for everyone, expiry). The 'simple' configuration
-- neither stems nor drops stop words, so a word matches itself only, as with SQLite's
-- unicode61 tokenizer; folding in Java makes both dialects split and fold words alike.
ALTER TABLE messages ADD COLUMN search_vector TSVECTOR;
-- When the message expires (the earlier of the sender's ttl and the conversation's timer), or
-- NULL. Cleared when the sweeper erases the message.
ALTER TABLE messages ADD COLUMN expires_at BIGINT;
-- 1 for the tombstone an expired message leaves (deleted is 1 too).
ALTER TABLE messages ADD COLUMN expired INTEGER NOT NULL DEFAULT 0 CHECK (expired IN (0, 1));

-- The disappearing-messages timer in seconds; 0 is off.
ALTER TABLE conversations ADD COLUMN expiry_seconds BIGINT NOT NULL DEFAULT 0;

-- Rows written before v4 (none in practice: the dialect starts at this schema) get an index
-- entry folded by lower() only; the store rewrites it with the next edit.
UPDATE messages SET search_vector = to_tsvector('simple', lower(body_text)) WHERE deleted = 0;

CREATE INDEX messages_search ON messages USING GIN (search_vector);

-- The sweeper's work list: only messages that still have to expire are in it.
CREATE INDEX messages_expires_at ON messages (expires_at, conversation_id) WHERE expires_at IS NOT NULL;
