-- Direct on-chain payments: a peer without a channel pays by a plain transfer and names its transaction.
-- Same encodings as V1.

-- Every transfer this node credited, one row per transaction, ever: the primary key is what refuses a
-- transaction credited before, atomically, however many messages name it at once.
CREATE TABLE received_transfers (
    tx_hash      VARCHAR(66) NOT NULL PRIMARY KEY,
    peer         VARCHAR(42) NOT NULL,
    token        VARCHAR(42) NOT NULL,
    amount       VARCHAR(78) NOT NULL,
    block_number BIGINT      NOT NULL,
    block_hash   VARCHAR(66) NOT NULL,
    credited_at  BIGINT      NOT NULL
);
CREATE INDEX received_transfers_peer ON received_transfers (peer, token);

-- Every transfer this node paid, written down before its transaction is, then moved on as the
-- transaction counts on chain and the receiver acknowledges it.
CREATE TABLE sent_transfers (
    payment_id  VARCHAR(36) NOT NULL PRIMARY KEY,
    peer        VARCHAR(42) NOT NULL,
    token       VARCHAR(42) NOT NULL,
    amount      VARCHAR(78) NOT NULL,
    state       VARCHAR(12) NOT NULL,
    tx_hash     VARCHAR(66),
    recorded_at BIGINT      NOT NULL,
    updated_at  BIGINT      NOT NULL
);
CREATE INDEX sent_transfers_peer ON sent_transfers (peer, token);
CREATE INDEX sent_transfers_state ON sent_transfers (state);
