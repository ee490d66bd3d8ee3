-- Once a channel is closed on chain, the transfers the chain will settle it with (the closer's submission and the
-- non-closer's update), which may be older than the proofs held. NULL while open and after a cooperative settle.
-- Amounts as decimal text, as in V1.
ALTER TABLE channels ADD COLUMN on_chain_sent VARCHAR(78);
ALTER TABLE channels ADD COLUMN on_chain_received VARCHAR(78);
