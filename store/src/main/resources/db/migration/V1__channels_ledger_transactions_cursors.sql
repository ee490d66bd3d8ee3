-- One schema for SQLite and PostgreSQL: only types both read the same way.
-- Amounts are exact decimal strings (uint256 has at most 78 digits), byte strings hex, addresses
-- lower-case 0x hex, instants epoch milliseconds unless named otherwise.

-- The node this database belongs to; it is never altered, so it can be read before migrating.
CREATE TABLE node_identity (
    id           INTEGER     NOT NULL PRIMARY KEY CHECK (id = 1),
    node_address VARCHAR(42) NOT NULL,
    chain_id     BIGINT      NOT NULL,
    contract     VARCHAR(42) NOT NULL,
    bound_at     BIGINT      NOT NULL
);

CREATE TABLE channels (
    chain_id             BIGINT      NOT NULL,
    contract             VARCHAR(42) NOT NULL,
    channel_id           BIGINT      NOT NULL,
    our_address          VARCHAR(42) NOT NULL,
    partner              VARCHAR(42) NOT NULL,
    token                VARCHAR(42) NOT NULL,
    our_role             VARCHAR(1)  NOT NULL,
    state                VARCHAR(8)  NOT NULL,
    challenge_period     BIGINT      NOT NULL,
    our_deposit          VARCHAR(78) NOT NULL,
    our_withdrawn        VARCHAR(78) NOT NULL,
    partner_deposit      VARCHAR(78) NOT NULL,
    partner_withdrawn    VARCHAR(78) NOT NULL,
    settle_at            BIGINT,              -- epoch seconds, as the chain counts
    sent_nonce           BIGINT      NOT NULL,
    sent_transferred     VARCHAR(78) NOT NULL,
    sent_signature       TEXT        NOT NULL,
    received_nonce       BIGINT      NOT NULL,
    received_transferred VARCHAR(78) NOT NULL,
    received_signature   TEXT        NOT NULL,
    PRIMARY KEY (chain_id, contract, channel_id)
);
CREATE INDEX channels_partner ON channels (partner);
CREATE INDEX channels_state ON channels (state);

CREATE TABLE ledger (
    peer      VARCHAR(42) NOT NULL,
    token     VARCHAR(42) NOT NULL,
    debtor    VARCHAR(4)  NOT NULL,
    used      VARCHAR(78) NOT NULL,
    paid      VARCHAR(78) NOT NULL,
    in_flight VARCHAR(78) NOT NULL,
    credit    VARCHAR(78) NOT NULL,
    PRIMARY KEY (peer, token, debtor)
);

CREATE TABLE transactions (
    hash                     VARCHAR(66) NOT NULL PRIMARY KEY,
    sender                   VARCHAR(42) NOT NULL,
    nonce                    BIGINT      NOT NULL,
    recipient                VARCHAR(42) NOT NULL,
    amount                   VARCHAR(78) NOT NULL,
    input                    TEXT        NOT NULL,
    raw                      TEXT        NOT NULL,
    max_fee_per_gas          VARCHAR(78) NOT NULL,
    max_priority_fee_per_gas VARCHAR(78) NOT NULL,
    purpose                  VARCHAR(64) NOT NULL,
    status                   VARCHAR(10) NOT NULL,
    block_number             BIGINT,
    block_hash               VARCHAR(66),
    replaced_by              VARCHAR(66),
    recorded_at              BIGINT      NOT NULL,
    updated_at               BIGINT      NOT NULL
);
CREATE INDEX transactions_sender_nonce ON transactions (sender, nonce);
CREATE INDEX transactions_status ON transactions (status);

-- The next nonce each sender may use; reserved before a transaction is even signed.
CREATE TABLE nonce_reservations (
    sender     VARCHAR(42) NOT NULL PRIMARY KEY,
    next_nonce BIGINT      NOT NULL
);

CREATE TABLE cursors (
    name         VARCHAR(64) NOT NULL PRIMARY KEY,
    block_number BIGINT      NOT NULL,
    block_hash   VARCHAR(66) NOT NULL,
    updated_at   BIGINT      NOT NULL
);
