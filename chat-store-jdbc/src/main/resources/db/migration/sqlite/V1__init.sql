-- Parley schema v1 (SQLite). Times are epoch milliseconds.

CREATE TABLE users (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE conversations (
    id            TEXT    NOT NULL PRIMARY KEY,
    kind          TEXT    NOT NULL CHECK (kind IN ('direct', 'group')),
    name          TEXT,
    direct_key    TEXT    UNIQUE,
    created_by    TEXT    NOT NULL,
    created_at    INTEGER NOT NULL,
    -- seq of the newest message; the writer assigns last_seq + 1 to the next one
    last_seq      INTEGER NOT NULL DEFAULT 0,
    -- time of the newest message (or of creation)
    last_activity INTEGER NOT NULL,
    -- store-wide counter bumped on creation and on every new message: orders conversation
    -- lists exactly, even when clocks tie or stand still
    activity_seq  INTEGER NOT NULL
);

CREATE INDEX conversations_activity ON conversations (activity_seq);

-- Rowid table on purpose: rowid order is join order.
CREATE TABLE members (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at       INTEGER NOT NULL,
    delivered_seq   INTEGER NOT NULL DEFAULT 0,
    read_seq        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE INDEX members_user ON members (user_id, conversation_id);

-- Clustered on (conversation_id, seq): a history page is one contiguous range scan.
CREATE TABLE messages (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             INTEGER NOT NULL,
    id              TEXT    NOT NULL UNIQUE,
    sender_id       TEXT    NOT NULL,
    client_msg_id   TEXT    NOT NULL,
    body_text       TEXT    NOT NULL,
    reply_to        TEXT,
    created_at      INTEGER NOT NULL,
    edited_at       INTEGER,
    deleted         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, sender_id, client_msg_id)
) WITHOUT ROWID;
