-- Parley schema v8 (PostgreSQL): uploads and message attachments. Mirrors
-- db/migration/sqlite/V8__uploads.sql.

-- The attachments a message carries, as JSON, or NULL. Erased with the message's body.
ALTER TABLE messages ADD COLUMN attachments TEXT COLLATE "C";

CREATE TABLE uploads (
    id             TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    owner_id       TEXT COLLATE "C" NOT NULL,
    sha256         TEXT COLLATE "C" NOT NULL,
    preview_sha256 TEXT COLLATE "C",
    attachment     TEXT COLLATE "C" NOT NULL,
    created_at     BIGINT           NOT NULL,
    attached       INTEGER          NOT NULL DEFAULT 0 CHECK (attached IN (0, 1))
);
CREATE INDEX uploads_sha256 ON uploads (sha256);
CREATE INDEX uploads_preview ON uploads (preview_sha256) WHERE preview_sha256 IS NOT NULL;

CREATE TABLE message_attachments (
    upload_id       TEXT COLLATE "C" NOT NULL,
    message_id      TEXT COLLATE "C" NOT NULL,
    conversation_id TEXT COLLATE "C" NOT NULL,
    seq             BIGINT           NOT NULL,
    position        INTEGER          NOT NULL,
    kind            TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (upload_id, message_id)
);
CREATE INDEX message_attachments_gallery ON message_attachments (conversation_id, kind, seq, position);
CREATE INDEX message_attachments_message ON message_attachments (message_id);
