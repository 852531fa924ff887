-- Parley schema v7 (PostgreSQL): threads. Mirrors db/migration/sqlite/V7__threads.sql.

-- A thread reply names its root; the root keeps its thread summary (NULL/0 when it has no
-- replies), written in the reply's transaction, so history pages read it without a join.
ALTER TABLE messages ADD COLUMN thread_root_id TEXT COLLATE "C";
ALTER TABLE messages ADD COLUMN thread_reply_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN thread_last_seq BIGINT;
ALTER TABLE messages ADD COLUMN thread_last_at BIGINT;
-- Repliers in the order of their first reply, space-separated, at most ThreadSummary.MAX_PARTICIPANTS.
ALTER TABLE messages ADD COLUMN thread_participants TEXT COLLATE "C";

-- Partial indexes: a message outside threads adds no index entry, so plain sends pay nothing.
CREATE INDEX messages_thread_replies ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL;
CREATE INDEX messages_threads ON messages (conversation_id, thread_last_seq) WHERE thread_last_seq IS NOT NULL;

-- Each reader's thread read cursor (a conversation seq).
CREATE TABLE thread_reads (
    root_id  TEXT COLLATE "C" NOT NULL,
    user_id  TEXT COLLATE "C" NOT NULL,
    read_seq BIGINT           NOT NULL,
    PRIMARY KEY (root_id, user_id)
);
