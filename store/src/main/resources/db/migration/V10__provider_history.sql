-- What this node, as a client, saw each provider it bought from do wrong, so that a restart still remembers who
-- misbehaved when it chooses among them (docs/operating.md, Choosing providers). Counters only grow.
CREATE TABLE provider_history (
    provider       VARCHAR(42) NOT NULL PRIMARY KEY,
    undelivered    BIGINT      NOT NULL, -- statements that charged beyond this node's own meter and the tolerance
    refused_proofs BIGINT      NOT NULL, -- errors it answered this node's payments with
    disconnects    BIGINT      NOT NULL  -- connections that dropped
);
