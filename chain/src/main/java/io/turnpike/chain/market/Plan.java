package io.turnpike.chain.market;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.util.Objects;

/**
 * A subscription plan: {@code pricePerPeriod} of {@code asset} (the zero address for ether) buys
 * {@code periodSeconds} of service. The contract fixes a plan id's asset and period the first time the provider
 * uses it; only the price can change later.
 */
public record Plan(long planId, Address asset, Amount pricePerPeriod, long periodSeconds) {

    /** Plan ids are the contract's uint32. */
    public static final long MAX_PLAN_ID = 0xFFFF_FFFFL;

    public Plan {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(pricePerPeriod, "pricePerPeriod");
        if (planId < 0 || planId > MAX_PLAN_ID) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT,
                    "plan id " + planId + " is out of range: use 0 to " + MAX_PLAN_ID);
        }
        if (periodSeconds < 0) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "a plan's period cannot be negative: " + periodSeconds);
        }
    }

    public boolean isEther() {
        return asset.isZero();
    }

    /** What {@code periods} periods cost at this price. */
    public Amount priceFor(long periods) {
        return pricePerPeriod.times(periods);
    }
}
