-- Parley schema v6 (PostgreSQL): system messages and mentions. Mirrors
-- db/migration/sqlite/V6__system_mentions.sql.

-- A system message records a membership or group change; system_type is NULL for a user's
-- message. Its body text is empty, so the search index never matches it.
ALTER TABLE messages ADD COLUMN system_type TEXT COLLATE "C";
ALTER TABLE messages ADD COLUMN system_user_id TEXT COLLATE "C";
ALTER TABLE messages ADD COLUMN system_role TEXT COLLATE "C";
-- The mentioned user ids in the sender's order, space-separated, or NULL.
ALTER TABLE messages ADD COLUMN mentions TEXT COLLATE "C";

-- One row per mention, for counting a member's unread mentions above their read cursor.
CREATE TABLE message_mentions (
    user_id         TEXT COLLATE "C" NOT NULL,
    conversation_id TEXT COLLATE "C" NOT NULL,
    seq             BIGINT           NOT NULL,
    message_id      TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, conversation_id, seq)
);
