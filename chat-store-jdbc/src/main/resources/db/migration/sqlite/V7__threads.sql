-- Parley schema v7 (SQLite): threads.

-- A thread reply names its root; the root keeps its thread summary (NULL/0 when it has no
-- replies), written in the reply's transaction, so history pages read it without a join.
ALTER TABLE messages ADD COLUMN thread_root_id TEXT;
ALTER TABLE messages ADD COLUMN thread_reply_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN thread_last_seq INTEGER;
ALTER TABLE messages ADD COLUMN thread_last_at INTEGER;
-- Repliers in the order of their first reply, space-separated (user ids contain no spaces),
-- at most ThreadSummary.MAX_PARTICIPANTS.
ALTER TABLE messages ADD COLUMN thread_participants TEXT;

-- Partial indexes: a message outside threads adds no index entry, so plain sends pay nothing.
CREATE INDEX messages_thread_replies ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL;
CREATE INDEX messages_threads ON messages (conversation_id, thread_last_seq) WHERE thread_last_seq IS NOT NULL;

-- Each reader's thread read cursor (a conversation seq).
CREATE TABLE thread_reads (
    root_id  TEXT    NOT NULL,
    user_id  TEXT    NOT NULL,
    read_seq INTEGER NOT NULL,
    PRIMARY KEY (root_id, user_id)
) WITHOUT ROWID;
