-- Parley schema v3 (SQLite): message edits, deletion (for everyone and for me), reactions
-- and pins. Times are epoch milliseconds. Message ids are unique store-wide, so these
-- tables key on the message id alone.

-- The earlier texts of edited messages: version 1 is the text an edit first replaced.
-- Deleting a message for everyone deletes its rows here.
CREATE TABLE message_edits (
    message_id TEXT    NOT NULL,
    version    INTEGER NOT NULL,
    body_text  TEXT    NOT NULL,
    -- when the edit replaced this text
    edited_at  INTEGER NOT NULL,
    PRIMARY KEY (message_id, version)
) WITHOUT ROWID;

-- One row per user, message and emoji. A rowid table on purpose: rowid order is reaction
-- order, which orders both the emoji of a message (by first use) and the users of an emoji.
CREATE TABLE reactions (
    message_id TEXT    NOT NULL,
    emoji      TEXT    NOT NULL,
    user_id    TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (message_id, emoji, user_id)
);

-- A user's reactions on a message (the per-user limit).
CREATE INDEX reactions_user ON reactions (message_id, user_id);

-- Messages deleted "for me": hidden from one user's history only.
CREATE TABLE hidden_messages (
    user_id    TEXT    NOT NULL,
    message_id TEXT    NOT NULL,
    hidden_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, message_id)
) WITHOUT ROWID;

-- Pinned messages. A rowid table on purpose: rowid order is pin order, so newest pin first
-- is ORDER BY rowid DESC, exact even when clocks tie or step back.
CREATE TABLE pins (
    message_id      TEXT    NOT NULL UNIQUE,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    pinned_by       TEXT    NOT NULL,
    pinned_at       INTEGER NOT NULL
);

CREATE INDEX pins_conversation ON pins (conversation_id);
