-- A settlement a re-org takes back is repaired: the block each settlement and reward was seen in is kept, a settled
-- channel's proofs stay (hidden) until the settlement is deeper than any re-org the tower repairs, and a re-org
-- below that block brings the proofs back and removes the reward.
ALTER TABLE tower_proofs ADD COLUMN settled_block BIGINT;
ALTER TABLE tower_rewards ADD COLUMN block_number BIGINT;
