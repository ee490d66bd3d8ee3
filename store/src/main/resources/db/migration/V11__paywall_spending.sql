-- What this node paid HTTP paywalls each day (x402 `exact` and `turnpike-channel`), against the day's cap of
-- `turnpike.client.paywall.max-per-day`. Written in the same unit of work as the payment it counts (the channel's proof
-- and the ledger's `used`), so that the figure never misses a payment that left. Same encodings as V1; `day` is the
-- UTC day as days since 1970-01-01.
CREATE TABLE paywall_spending (
    day   BIGINT      NOT NULL PRIMARY KEY,
    spent VARCHAR(78) NOT NULL
);
