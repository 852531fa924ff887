-- Parley schema v11 (SQLite): identities that sign a user in (wallets), and single-use nonces,
-- kept in the database so that every node of a cluster sees them. Times are epoch milliseconds.

-- One row per identity: an identity signs in at most one user (the primary key); a user may
-- have several. Removed with the account.
CREATE TABLE linked_identities (
    kind      TEXT    NOT NULL,
    subject   TEXT    NOT NULL,
    user_id   TEXT    NOT NULL REFERENCES accounts (user_id),
    linked_at INTEGER NOT NULL,
    PRIMARY KEY (kind, subject)
) WITHOUT ROWID;

CREATE INDEX linked_identities_user ON linked_identities (user_id, linked_at);

-- Only the SHA-256 of a nonce is stored; a nonce is deleted when it is used, expired ones
-- when new nonces are issued.
CREATE TABLE auth_nonces (
    nonce_hash TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX auth_nonces_expiry ON auth_nonces (expires_at);
