-- The watchtower's state: per channel, the newest proof each participant gave it to defend it with, and
-- what the tower is doing about it. Same encodings as V1; instants named *_at_s are epoch seconds, as the
-- chain counts them.

-- One row per channel and non-closing participant (at most two per channel), replaced in place by a
-- newer proof: storage stays O(1) per channel however many proofs are uploaded.
CREATE TABLE tower_proofs (
    channel_id        BIGINT      NOT NULL,
    non_closer        VARCHAR(42) NOT NULL, -- who uploaded it and signed the MonitorRequest
    closer            VARCHAR(42) NOT NULL, -- the partner, who signed the balance proof
    token             VARCHAR(42) NOT NULL, -- the channel's asset, kept because a settled channel forgets it
    nonce             BIGINT      NOT NULL,
    transferred       VARCHAR(78) NOT NULL,
    proof_signature   TEXT        NOT NULL,
    reward            VARCHAR(78) NOT NULL,
    request_signature TEXT        NOT NULL,
    phase             VARCHAR(10) NOT NULL,
    act_at_s          BIGINT,
    deadline_s        BIGINT,
    tx_hash           VARCHAR(66),
    updated_at        BIGINT      NOT NULL,
    PRIMARY KEY (channel_id, non_closer)
);
CREATE INDEX tower_proofs_non_closer ON tower_proofs (non_closer);
CREATE INDEX tower_proofs_phase ON tower_proofs (phase, act_at_s);

-- Rewards earned at settle, one row per channel ever (channel ids are never reused): the earnings ledger
-- outlives the proofs, which are deleted once their channel is settled.
CREATE TABLE tower_rewards (
    channel_id  BIGINT      NOT NULL PRIMARY KEY,
    token       VARCHAR(42) NOT NULL,
    amount      VARCHAR(78) NOT NULL,
    recorded_at BIGINT      NOT NULL
);
