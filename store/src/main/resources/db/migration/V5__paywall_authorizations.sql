-- EIP-3009 authorizations an HTTP paywall or facilitator took as payment (x402 `exact`). Same encodings as V1.
-- One row per (chain, token, payer, nonce), ever: the primary key is what refuses a replayed nonce, and of two
-- requests carrying the same nonce at once lets exactly one through, before anything is served or sent.
CREATE TABLE paywall_authorizations (
    chain_id   BIGINT      NOT NULL,
    token      VARCHAR(42) NOT NULL,
    payer      VARCHAR(42) NOT NULL,
    nonce      VARCHAR(66) NOT NULL,
    pay_to     VARCHAR(42) NOT NULL,
    amount     VARCHAR(78) NOT NULL,
    tx_hash    VARCHAR(66),
    claimed_at BIGINT      NOT NULL,
    PRIMARY KEY (chain_id, token, payer, nonce)
);
