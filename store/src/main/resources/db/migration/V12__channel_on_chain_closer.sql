-- Who closed a channel on chain (with on_chain_sent and on_chain_received; NULL where they are): the closer settles
-- as soon as the challenge period is over, the other side only after Channel.SETTLE_GRACE, so that the two do not
-- both pay gas for one settlement. Channels closed before this column existed keep settling at once, as they did.
ALTER TABLE channels ADD COLUMN on_chain_closer VARCHAR(42);
UPDATE channels SET on_chain_closer = our_address WHERE on_chain_sent IS NOT NULL;
