-- What clients used of each service this node sells, priced, per day: the dashboard's earnings over time. Written in
-- the same unit of work as the ledger's `used`, so the two never disagree. Same encodings as V1; `day` is the UTC day
-- as days since 1970-01-01.
CREATE TABLE earnings_by_day (
    day     BIGINT      NOT NULL,
    service VARCHAR(32) NOT NULL,
    token   VARCHAR(42) NOT NULL,
    earned  VARCHAR(78) NOT NULL,
    PRIMARY KEY (day, service, token)
);
