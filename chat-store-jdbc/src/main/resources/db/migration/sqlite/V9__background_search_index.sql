-- Parley schema v9 (SQLite): the full-text index is filled behind the appends, not inside them.
-- SQLite only: PostgreSQL writes its search_vector in the insert itself and has no V9.

-- Appends no longer index their text in the writer's transaction (the V4 insert trigger cost the
-- single writer about a fifth of its time per send). The store's writer indexes new rows in
-- batches of its own, by search_rowid, and records how far it got here.
DROP TRIGGER messages_fts_insert;

-- One row: every message with search_rowid <= indexed_upto is in messages_fts with its current
-- text, and none above it is. New messages get a search_rowid above indexed_upto.
CREATE TABLE search_index (
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    indexed_upto INTEGER NOT NULL
);

-- Everything stored so far was indexed by the V4 triggers.
INSERT INTO search_index (id, indexed_upto) SELECT 1, coalesce(max(search_rowid), 0) FROM messages;

-- Edits, deletes for everyone and expiry touch the index only for rows it already holds: FTS5's
-- 'delete' must be given exactly the text that was indexed, and a row above the watermark is
-- indexed later with whatever text it has then.
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;

CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.search_rowid <= (SELECT indexed_upto FROM search_index WHERE id = 1) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body_text) VALUES ('delete', old.search_rowid, old.body_text);
END;

CREATE TRIGGER messages_fts_update AFTER UPDATE OF body_text ON messages
WHEN old.search_rowid <= (SELECT indexed_upto FROM search_index WHERE id = 1) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, body_text) VALUES ('delete', old.search_rowid, old.body_text);
    INSERT INTO messages_fts (rowid, body_text) VALUES (new.search_rowid, new.body_text);
END;
