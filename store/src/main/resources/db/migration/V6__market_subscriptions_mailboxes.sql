-- The market's subscriptions as a provider follows them, and the mailboxes it keeps. Same encodings as V1.

-- Subscribed events of a TurnpikeMarket deployment, read `confirmations` deep. One row per event, keyed by where the
-- chain holds it, so an event delivered again is not counted twice; a re-org deletes the rows of the blocks it
-- replaced (by number) before their replacements are read.
CREATE TABLE market_subscriptions (
    market       VARCHAR(42) NOT NULL,
    block_number BIGINT      NOT NULL,
    block_hash   VARCHAR(66) NOT NULL,
    log_index    BIGINT      NOT NULL,
    subscriber   VARCHAR(42) NOT NULL,
    beneficiary  VARCHAR(42) NOT NULL,
    provider     VARCHAR(42) NOT NULL,
    plan_id      BIGINT      NOT NULL,
    periods      BIGINT      NOT NULL,
    paid         VARCHAR(78) NOT NULL,
    expires_at   BIGINT      NOT NULL, -- epoch seconds, as the chain counts
    PRIMARY KEY (market, block_hash, log_index)
);
CREATE INDEX market_subscriptions_block ON market_subscriptions (market, block_number);

-- One row per mailbox that was ever delivered to or signed for. last_id only grows, even when the mailbox is
-- erased, so an owner's "after id N" never skips an envelope that arrives later. stored_bytes is the sum of its
-- envelopes' sizes, kept here so that a delivery checks the quota without adding them up.
CREATE TABLE mailboxes (
    owner        VARCHAR(42) NOT NULL PRIMARY KEY,
    stored_bytes BIGINT      NOT NULL,
    last_id      BIGINT      NOT NULL,
    public_key   VARCHAR(130)          -- 0x ‖ x ‖ y, learnt from the owner's own signature
);

-- Envelopes as delivered: ciphertext sealed to the owner's key, never anything the provider could read. Raw bytes,
-- not hex, since they are most of what a mailbox writes: BYTEA on PostgreSQL, a BLOB on SQLite (which keeps a blob
-- as it is under any declared type), written and read with setBytes/getBytes on both.
CREATE TABLE mailbox_envelopes (
    owner       VARCHAR(42) NOT NULL,
    id          BIGINT      NOT NULL,
    received_at BIGINT      NOT NULL,
    size_bytes  BIGINT      NOT NULL,
    envelope    BYTEA       NOT NULL,
    PRIMARY KEY (owner, id)
);
CREATE INDEX mailbox_envelopes_received ON mailbox_envelopes (owner, received_at);

-- Nonces of the owners' signed requests, kept until the request expires: a second use is a replay.
CREATE TABLE mailbox_request_nonces (
    owner    VARCHAR(42) NOT NULL,
    nonce    VARCHAR(66) NOT NULL,
    expiry_s BIGINT      NOT NULL,
    PRIMARY KEY (owner, nonce)
);
CREATE INDEX mailbox_request_nonces_expiry ON mailbox_request_nonces (expiry_s);
