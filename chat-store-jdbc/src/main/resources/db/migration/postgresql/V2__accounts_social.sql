-- Parley schema v2 (PostgreSQL): profiles, friends and blocks, privacy, password accounts.
-- Mirrors db/migration/sqlite/V2__accounts_social.sql.

ALTER TABLE users ADD COLUMN avatar TEXT COLLATE "C";
ALTER TABLE users ADD COLUMN bio TEXT COLLATE "C";
-- The display name folded to lower case by the store (Java, whole Unicode), searched by
-- searchUsers. Rows from v1 are folded by lower() here and refolded when next written.
ALTER TABLE users ADD COLUMN name_fold TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE users SET name_fold = lower(name);

-- One row per direction: the stance of user_id toward other_id.
CREATE TABLE relations (
    user_id    TEXT COLLATE "C" NOT NULL,
    other_id   TEXT COLLATE "C" NOT NULL,
    state      TEXT COLLATE "C" NOT NULL CHECK (state IN ('requested', 'friends', 'blocked')),
    updated_at BIGINT           NOT NULL,
    PRIMARY KEY (user_id, other_id)
);

-- Incoming rows (relationsTo).
CREATE INDEX relations_to ON relations (other_id, state, user_id);

-- No row: the defaults (everyone, everyone, everyone, receipts on).
CREATE TABLE privacy (
    user_id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    direct_messages TEXT COLLATE "C" NOT NULL CHECK (direct_messages IN ('everyone', 'friends', 'nobody')),
    last_seen       TEXT COLLATE "C" NOT NULL CHECK (last_seen IN ('everyone', 'friends', 'nobody')),
    presence        TEXT COLLATE "C" NOT NULL CHECK (presence IN ('everyone', 'friends', 'nobody')),
    read_receipts   INTEGER          NOT NULL CHECK (read_receipts IN (0, 1))
);

-- Deleting an account keeps its users row: the chat identity outlives the credentials.
CREATE TABLE accounts (
    user_id        TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES users (id),
    -- stored lower-case by the caller; the unique index on lower() makes it case-insensitive
    -- anyway (ASCII letters, like SQLite's NOCASE, since the column's collation is "C")
    username       TEXT COLLATE "C" NOT NULL,
    password_hash  TEXT COLLATE "C" NOT NULL,
    admin          INTEGER          NOT NULL CHECK (admin IN (0, 1)),
    disabled       INTEGER          NOT NULL CHECK (disabled IN (0, 1)),
    created_at     BIGINT           NOT NULL,
    totp_secret    TEXT COLLATE "C",
    totp_enabled   INTEGER          NOT NULL CHECK (totp_enabled IN (0, 1)),
    -- highest TOTP time step used so far; a code is accepted only for a greater step
    totp_last_step BIGINT
);

CREATE UNIQUE INDEX accounts_username ON accounts (lower(username));

CREATE TABLE recovery_codes (
    user_id   TEXT COLLATE "C" NOT NULL,
    code_hash TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);

-- Only the SHA-256 of a bearer token is stored.
CREATE TABLE sessions (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    user_id      TEXT COLLATE "C" NOT NULL,
    token_hash   TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at   BIGINT           NOT NULL,
    expires_at   BIGINT           NOT NULL,
    last_used_at BIGINT           NOT NULL,
    client       TEXT COLLATE "C",
    address      TEXT COLLATE "C"
);

CREATE INDEX sessions_user ON sessions (user_id);
