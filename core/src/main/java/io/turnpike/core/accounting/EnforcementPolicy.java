package io.turnpike.core.accounting;

import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.Objects;

/**
 * The provider's rules (DESIGN §4): enforce late — throttle a client to the free tier (never disconnect)
 * once its unpaid debt exceeds {@code throttleAbove} of the threshold, lift it as soon as the debt is back
 * under the threshold — and grant a free allowance of {@code refreshRate} per second.
 */
public record EnforcementPolicy(Ratio throttleAbove, Amount refreshRate) {

    public static EnforcementPolicy withRefreshRate(Amount refreshRate) {
        return new EnforcementPolicy(new Ratio(5, 4), refreshRate);
    }

    public EnforcementPolicy {
        Objects.requireNonNull(throttleAbove, "throttleAbove");
        Objects.requireNonNull(refreshRate, "refreshRate");
    }

    /**
     * The client's standing at {@code now}. With a stale view of the chain ({@code chainFresh} false) no
     * new throttle starts, because the client's payments may be sitting in blocks this node cannot see;
     * a throttle already in force still lifts when the client pays.
     */
    public ClientDebt apply(ClientDebt debt, Amount threshold, Instant now, boolean chainFresh) {
        ClientDebt refreshed = debt.refreshed(refreshRate, now);
        Amount unpaid = refreshed.debt();
        if (refreshed.throttled()) {
            return refreshed.withThrottled(!unpaid.isLessThan(threshold));
        }
        return refreshed.withThrottled(chainFresh && unpaid.isGreaterThan(throttleAbove.of(threshold)));
    }
}
