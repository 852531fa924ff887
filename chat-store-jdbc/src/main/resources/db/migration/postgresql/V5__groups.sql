-- Parley schema v5 (PostgreSQL): group administration. Mirrors db/migration/sqlite/V5__groups.sql.

-- A group's description, avatar and permissions; no row means the defaults.
CREATE TABLE group_settings (
    conversation_id   TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    description       TEXT COLLATE "C",
    avatar            TEXT COLLATE "C",
    who_can_post      TEXT COLLATE "C" NOT NULL CHECK (who_can_post IN ('all', 'admins')),
    who_can_add       TEXT COLLATE "C" NOT NULL CHECK (who_can_add IN ('all', 'admins')),
    info_editors      TEXT COLLATE "C" NOT NULL CHECK (info_editors IN ('all', 'admins')),
    slow_mode_seconds INTEGER          NOT NULL DEFAULT 0
);

-- A member's mute ends at muted_until (rows may outlive their end).
CREATE TABLE group_mutes (
    conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT COLLATE "C" NOT NULL,
    muted_until     BIGINT           NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE TABLE group_bans (
    conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    user_id         TEXT COLLATE "C" NOT NULL,
    banned_at       BIGINT           NOT NULL,
    PRIMARY KEY (conversation_id, user_id)
);

CREATE TABLE group_invites (
    code            TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    conversation_id TEXT COLLATE "C" NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    created_by      TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT           NOT NULL,
    expires_at      BIGINT,
    max_uses        INTEGER,
    uses            INTEGER          NOT NULL DEFAULT 0,
    revoked         INTEGER          NOT NULL DEFAULT 0
);

CREATE INDEX group_invites_conversation ON group_invites (conversation_id);
