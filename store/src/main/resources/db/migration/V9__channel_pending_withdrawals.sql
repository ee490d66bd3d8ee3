-- A withdrawal both participants signed that the chain does not show yet, per side: its total (decimal text, as in
-- V1) and expiry (unix seconds). Both sides count it as withdrawn until the chain shows it or passes its expiry.
-- NULL when none is pending.
ALTER TABLE channels ADD COLUMN our_pending_withdraw VARCHAR(78);
ALTER TABLE channels ADD COLUMN our_pending_expiry BIGINT;
ALTER TABLE channels ADD COLUMN partner_pending_withdraw VARCHAR(78);
ALTER TABLE channels ADD COLUMN partner_pending_expiry BIGINT;
