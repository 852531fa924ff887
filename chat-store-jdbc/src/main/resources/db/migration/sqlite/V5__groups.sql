-- Parley schema v5 (SQLite): group administration. Times are epoch milliseconds.

-- A group's description, avatar and permissions; no row means the defaults.
CREATE TABLE group_settings (
    conversation_id   TEXT    NOT NULL PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    description       TEXT,
    avatar            TEXT,
    who_can_post      TEXT    NOT NULL CHECK (who_can_post IN ('all', 'admins')),
    who_can_add       TEXT    NOT NULL CHECK (who_can_add IN ('all', 'admins')),
    info_editors      TEXT    NOT NULL CHECK (info_editors IN ('all', 'admins')),
    slow_mode_seconds INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- A member's mute ends at muted_until (rows may outlive their end).
CREATE TABLE group_mutes (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT    NOT NULL,
    muted_until     INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;

CREATE TABLE group_bans (
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT    NOT NULL,
    banned_at       INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
) WITHOUT ROWID;

CREATE TABLE group_invites (
    code            TEXT    NOT NULL PRIMARY KEY,
    conversation_id TEXT    NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_by      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    max_uses        INTEGER,
    uses            INTEGER NOT NULL DEFAULT 0,
    revoked         INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE INDEX group_invites_conversation ON group_invites (conversation_id);
