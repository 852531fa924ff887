-- Parley schema v10 (SQLite): data that extensions keep beside the chat data (ExtensionStore).

-- A named value per conversation, e.g. chat-web3-ext's token gate ("web3.gate", JSON).
CREATE TABLE conversation_extensions (
    conversation_id TEXT NOT NULL,
    name            TEXT NOT NULL,
    value           TEXT NOT NULL,
    PRIMARY KEY (conversation_id, name)
) WITHOUT ROWID;
CREATE INDEX conversation_extensions_name ON conversation_extensions (name);

-- Single-use claims, e.g. a transaction hash backing one tip: the primary key makes a second
-- claim of the same key fail, on every node sharing the database.
CREATE TABLE extension_claims (
    namespace  TEXT    NOT NULL,
    claim_key  TEXT    NOT NULL,
    claimant   TEXT    NOT NULL,
    claimed_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, claim_key)
) WITHOUT ROWID;
