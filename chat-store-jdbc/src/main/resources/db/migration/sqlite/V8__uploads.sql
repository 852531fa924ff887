-- Parley schema v8 (SQLite): uploads and message attachments.

-- The attachments a message carries, as JSON (the Attachment records in order), or NULL:
-- read back with the message without a join. Erased with the message's body.
ALTER TABLE messages ADD COLUMN attachments TEXT;

-- One row per upload: who uploaded which blob, and what the server detected in it (the
-- Attachment as JSON). attached = 1 once a message carried it.
CREATE TABLE uploads (
    id             TEXT    NOT NULL PRIMARY KEY,
    owner_id       TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    preview_sha256 TEXT,
    attachment     TEXT    NOT NULL,
    created_at     INTEGER NOT NULL,
    attached       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_preview ON uploads (preview_sha256) WHERE preview_sha256 IS NOT NULL;

-- Which live message carries which upload: download rights, the media gallery, and cleanup.
-- Rows go when the message is deleted for everyone or expires.
CREATE TABLE message_attachments (
    upload_id       TEXT    NOT NULL,
    message_id      TEXT    NOT NULL,
    conversation_id TEXT    NOT NULL,
    seq             INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    PRIMARY KEY (upload_id, message_id)
) WITHOUT ROWID;
CREATE INDEX message_attachments_gallery ON message_attachments (conversation_id, kind, seq, position);
CREATE INDEX message_attachments_message ON message_attachments (message_id);
