-- Parley schema v10 (PostgreSQL): data that extensions keep beside the chat data. Mirrors
-- db/migration/sqlite/V10__extension_data.sql.

CREATE TABLE conversation_extensions (
    conversation_id TEXT COLLATE "C" NOT NULL,
    name            TEXT COLLATE "C" NOT NULL,
    value           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (conversation_id, name)
);
CREATE INDEX conversation_extensions_name ON conversation_extensions (name);

CREATE TABLE extension_claims (
    namespace  TEXT COLLATE "C" NOT NULL,
    claim_key  TEXT COLLATE "C" NOT NULL,
    claimant   TEXT COLLATE "C" NOT NULL,
    claimed_at BIGINT           NOT NULL,
    PRIMARY KEY (namespace, claim_key)
);
