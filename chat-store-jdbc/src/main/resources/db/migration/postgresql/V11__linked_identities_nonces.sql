-- Parley schema v11 (PostgreSQL): identities that sign a user in (wallets), and single-use
-- nonces. Mirrors db/migration/sqlite/V11__linked_identities_nonces.sql.

CREATE TABLE linked_identities (
    kind      TEXT COLLATE "C" NOT NULL,
    subject   TEXT COLLATE "C" NOT NULL,
    user_id   TEXT COLLATE "C" NOT NULL REFERENCES accounts (user_id),
    linked_at BIGINT           NOT NULL,
    PRIMARY KEY (kind, subject)
);

CREATE INDEX linked_identities_user ON linked_identities (user_id, linked_at);

CREATE TABLE auth_nonces (
    nonce_hash TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    expires_at BIGINT           NOT NULL
);

CREATE INDEX auth_nonces_expiry ON auth_nonces (expires_at);
