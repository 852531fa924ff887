-- Parley schema v1 (PostgreSQL), mirroring db/migration/sqlite/V1__init.sql. Times are epoch
-- milliseconds, flags 0/1 integers, so that the SQL of both dialects reads the same rows.
-- Text columns use the "C" collation: comparisons and ORDER BY go by code point, like SQLite's
-- BINARY collation, whatever collation the database was created with.

CREATE TABLE users (
    id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name       TEXT COLLATE "C" NOT NULL,
    created_at BIGINT           NOT NULL
);

CREATE TABLE conversations (
    id            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    kind          TEXT COLLATE "C" NOT NULL CHECK (kind IN ('direct', 'group')),
    name          TEXT COLLATE "C",
    direct_key    TEXT COLLATE "C" UNIQUE,
    created_by    TEXT COLLATE "C" NOT NULL,
    created_at    BIGINT           NOT NULL,
    -- seq of the newest message; a writer assigns last_seq + 1 to the next one while it holds
    -- this row locked (SELECT ... FOR NO KEY UPDATE), so writers on several nodes never hand
    -- out the same seq and never skip one
    last_seq      BIGINT           NOT NULL DEFAULT 0,
    -- time of the newest message (or of creation)
    last_activity BIGINT           NOT NULL,
    -- store-wide counter bumped on creation and on every new message, from the sequence below:
    -- orders conversation lists exactly, even when clocks tie, and stays unique across nodes
    activity_seq  BIGINT           NOT NULL
);

CREATE INDEX conversations_activity ON conversations (activity_seq);

CREATE SEQUENCE conversation_activity;

-- rowid is insertion order, i.e. join order (SQLite's implicit rowid; same name, same queries).
CREATE TABLE members (
    rowid           BIGINT GENERATED ALWAYS AS IDENTITY,
    conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT COLLATE "C" NOT NULL,
    role            TEXT COLLATE "C" NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at       BIGINT           NOT NULL,
    delivered_seq   BIGINT           NOT NULL DEFAULT 0,
    read_seq        BIGINT           NOT NULL DEFAULT 0,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE INDEX members_user ON members (user_id, conversation_id);

-- The primary key (conversation_id, seq) makes a history page one index range scan.
CREATE TABLE messages (
    conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq             BIGINT           NOT NULL,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    sender_id       TEXT COLLATE "C" NOT NULL,
    client_msg_id   TEXT COLLATE "C" NOT NULL,
    body_text       TEXT COLLATE "C" NOT NULL,
    reply_to        TEXT COLLATE "C",
    created_at      BIGINT           NOT NULL,
    edited_at       BIGINT,
    deleted         INTEGER          NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, sender_id, client_msg_id)
);
