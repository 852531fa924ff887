-- Parley schema v3 (PostgreSQL): message edits, deletion (for everyone and for me), reactions
-- and pins. Mirrors db/migration/sqlite/V3__message_features.sql.

-- The earlier texts of edited messages: version 1 is the text an edit first replaced.
CREATE TABLE message_edits (
    message_id TEXT COLLATE "C" NOT NULL,
    version    INTEGER          NOT NULL,
    body_text  TEXT COLLATE "C" NOT NULL,
    -- when the edit replaced this text
    edited_at  BIGINT           NOT NULL,
    PRIMARY KEY (message_id, version)
);

-- One row per user, message and emoji. rowid is reaction order, which orders both the emoji
-- of a message (by first use) and the users of an emoji.
CREATE TABLE reactions (
    rowid      BIGINT GENERATED ALWAYS AS IDENTITY,
    message_id TEXT COLLATE "C" NOT NULL,
    emoji      TEXT COLLATE "C" NOT NULL,
    user_id    TEXT COLLATE "C" NOT NULL,
    created_at BIGINT           NOT NULL,
    UNIQUE (message_id, emoji, user_id)
);

-- A user's reactions on a message (the per-user limit).
CREATE INDEX reactions_user ON reactions (message_id, user_id);

-- Messages deleted "for me": hidden from one user's history only.
CREATE TABLE hidden_messages (
    user_id    TEXT COLLATE "C" NOT NULL,
    message_id TEXT COLLATE "C" NOT NULL,
    hidden_at  BIGINT           NOT NULL,
    PRIMARY KEY (user_id, message_id)
);

-- Pinned messages. rowid is pin order, so newest pin first is ORDER BY rowid DESC.
CREATE TABLE pins (
    rowid           BIGINT GENERATED ALWAYS AS IDENTITY,
    message_id      TEXT COLLATE "C" NOT NULL UNIQUE,
    conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    pinned_by       TEXT COLLATE "C" NOT NULL,
    pinned_at       BIGINT           NOT NULL
);

CREATE INDEX pins_conversation ON pins (conversation_id);
