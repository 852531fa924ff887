-- Parley schema v4 (SQLite): full-text search and message expiry. Times are epoch milliseconds.

-- messages is a WITHOUT ROWID table, so the search index needs an integer key of its own:
-- search_rowid, unique, assigned on insert as max + 1.
ALTER TABLE messages ADD COLUMN search_rowid INTEGER;
-- When the message expires (the earlier of the sender's ttl and the conversation's timer), or
-- NULL. Cleared when the sweeper erases the message.
ALTER TABLE messages ADD COLUMN expires_at INTEGER;
-- 1 for the tombstone an expired message leaves (deleted is 1 too).
ALTER TABLE messages ADD COLUMN expired INTEGER NOT NULL DEFAULT 0;

-- The disappearing-messages timer in seconds; 0 is off.
ALTER TABLE conversations ADD COLUMN expiry_seconds INTEGER NOT NULL DEFAULT 0;

UPDATE messages SET search_rowid = n.r
FROM (SELECT conversation_id, seq, row_number() OVER (ORDER BY created_at, id) AS r FROM messages) AS n
WHERE n.conversation_id = messages.conversation_id AND n.seq = messages.seq;

CREATE UNIQUE INDEX messages_search_rowid ON messages (search_rowid);

-- The sweeper's work list: only messages that still have to expire are in it.
CREATE INDEX messages_expires_at ON messages (expires_at, conversation_id) WHERE expires_at IS NOT NULL;

-- External-content FTS5 index over messages.body_text: the text is stored once (in messages);
-- snippet() reads it from there by search_rowid. unicode61 folds case and diacritics.
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body_text,
    content = 'messages',
    content_rowid = 'search_rowid',
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

-- The triggers keep the index equal to the table in the writer's transaction: inserts, edits,
-- deletes for everyone and expiry (both blank the text) all go through them.
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, body_text) VALUES (new.search_rowid, new.body_text);
END;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body_text) VALUES ('delete', old.search_rowid, old.body_text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF body_text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body_text) VALUES ('delete', old.search_rowid, old.body_text);
    INSERT INTO messages_fts (rowid, body_text) VALUES (new.search_rowid, new.body_text);
END;
