package io.turnpike.store;

/**
 * Where a watchtower stands with one stored proof. {@code WATCHING} until its channel is closed by the
 * partner with an older state; {@code SCHEDULED} for a moment inside the challenge period;
 * {@code SUBMITTING} from just before the update is handed to the transaction manager (so a crash there is
 * noticed) until it is recorded as {@code SUBMITTED}; {@code DONE} once the chain holds this proof or a
 * newer one, or nothing more can be done.
 */
public enum TowerPhase {
    WATCHING,
    SCHEDULED,
    SUBMITTING,
    SUBMITTED,
    DONE
}
