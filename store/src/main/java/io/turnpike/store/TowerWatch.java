package io.turnpike.store;

import io.turnpike.core.crypto.Bytes32;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A watchtower's plan for one stored proof, persisted with it so that a restart resumes it.
 *
 * @param actAt when to submit the update (chain time, whole seconds); present from SCHEDULED on
 * @param deadline the end of the challenge period: the last moment the update counts
 * @param txHash the update's transaction (its first version; replacements follow from it), while SUBMITTED
 */
public record TowerWatch(TowerPhase phase, Optional<Instant> actAt, Optional<Instant> deadline,
                         Optional<Bytes32> txHash) {

    public TowerWatch {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(actAt, "actAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(txHash, "txHash");
        if (phase != TowerPhase.WATCHING && (actAt.isEmpty() || deadline.isEmpty())) {
            throw new IllegalArgumentException(phase + " needs the moment to act and the deadline");
        }
        if (phase == TowerPhase.SUBMITTED && txHash.isEmpty()) {
            throw new IllegalArgumentException("SUBMITTED needs the transaction's hash");
        }
    }

    public static TowerWatch watching() {
        return new TowerWatch(TowerPhase.WATCHING, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public static TowerWatch scheduled(Instant actAt, Instant deadline) {
        return new TowerWatch(TowerPhase.SCHEDULED, Optional.of(actAt), Optional.of(deadline), Optional.empty());
    }

    /** Back to SCHEDULED at the same moments, so the next round judges the chain again. */
    public TowerWatch rescheduled() {
        return new TowerWatch(TowerPhase.SCHEDULED, actAt, deadline, Optional.empty());
    }

    public TowerWatch submitting() {
        return new TowerWatch(TowerPhase.SUBMITTING, actAt, deadline, Optional.empty());
    }

    public TowerWatch submitted(Bytes32 hash) {
        return new TowerWatch(TowerPhase.SUBMITTED, actAt, deadline, Optional.of(hash));
    }

    public TowerWatch done() {
        return new TowerWatch(TowerPhase.DONE, actAt, deadline, txHash);
    }
}
