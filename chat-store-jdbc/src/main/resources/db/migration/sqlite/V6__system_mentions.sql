-- Parley schema v6 (SQLite): system messages and mentions.

-- A system message records a membership or group change; system_type is NULL for a user's
-- message. Its body text is empty, so the search index never matches it.
ALTER TABLE messages ADD COLUMN system_type TEXT;
ALTER TABLE messages ADD COLUMN system_user_id TEXT;
ALTER TABLE messages ADD COLUMN system_role TEXT;
-- The mentioned user ids in the sender's order, space-separated (user ids contain no spaces),
-- or NULL: read back with the message without a join.
ALTER TABLE messages ADD COLUMN mentions TEXT;

-- One row per mention, for counting a member's unread mentions above their read cursor.
CREATE TABLE message_mentions (
    user_id         TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    message_id      TEXT    NOT NULL,
    PRIMARY KEY (user_id, conversation_id, seq)
) WITHOUT ROWID;
