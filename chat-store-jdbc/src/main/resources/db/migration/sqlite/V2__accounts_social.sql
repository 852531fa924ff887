-- Parley schema v2 (SQLite): profiles, friends and blocks, privacy, password accounts.
-- Times are epoch milliseconds, booleans 0/1.

ALTER TABLE users ADD COLUMN avatar TEXT;
ALTER TABLE users ADD COLUMN bio TEXT;
-- The display name folded to lower case by the store (Java, whole Unicode), searched by
-- searchUsers: SQLite's own lower() and LIKE fold ASCII letters only. Rows from v1 are
-- folded by lower() here and refolded by the store when the user is next written.
ALTER TABLE users ADD COLUMN name_fold TEXT NOT NULL DEFAULT '';
UPDATE users SET name_fold = lower(name);

-- One row per direction: the stance of user_id toward other_id.
CREATE TABLE relations (
    user_id    TEXT    NOT NULL,
    other_id   TEXT    NOT NULL,
    state      TEXT    NOT NULL CHECK (state IN ('requested', 'friends', 'blocked')),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, other_id)
) WITHOUT ROWID;

-- Incoming rows (relationsTo); the key's user_id rides along, so the list comes out sorted.
CREATE INDEX relations_to ON relations (other_id, state);

-- No row: the defaults (everyone, everyone, everyone, receipts on).
CREATE TABLE privacy (
    user_id         TEXT    NOT NULL PRIMARY KEY,
    direct_messages TEXT    NOT NULL CHECK (direct_messages IN ('everyone', 'friends', 'nobody')),
    last_seen       TEXT    NOT NULL CHECK (last_seen IN ('everyone', 'friends', 'nobody')),
    presence        TEXT    NOT NULL CHECK (presence IN ('everyone', 'friends', 'nobody')),
    read_receipts   INTEGER NOT NULL CHECK (read_receipts IN (0, 1))
) WITHOUT ROWID;

-- Deleting an account keeps its users row: the chat identity outlives the credentials.
CREATE TABLE accounts (
    user_id        TEXT    NOT NULL PRIMARY KEY REFERENCES users (id),
    -- stored lower-case by the caller; NOCASE makes the uniqueness case-insensitive anyway
    username       TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT    NOT NULL,
    admin          INTEGER NOT NULL CHECK (admin IN (0, 1)),
    disabled       INTEGER NOT NULL CHECK (disabled IN (0, 1)),
    created_at     INTEGER NOT NULL,
    totp_secret    TEXT,
    totp_enabled   INTEGER NOT NULL CHECK (totp_enabled IN (0, 1)),
    -- highest TOTP time step used so far; a code is accepted only for a greater step
    totp_last_step INTEGER
);

CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    PRIMARY KEY (user_id, code_hash)
) WITHOUT ROWID;

-- Only the SHA-256 of a bearer token is stored.
CREATE TABLE sessions (
    id           TEXT    NOT NULL PRIMARY KEY,
    user_id      TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    client       TEXT,
    address      TEXT
);

CREATE INDEX sessions_user ON sessions (user_id);
