package io.turnpike.chain.monitor;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One check of the node's balances.
 *
 * @param head the chain's newest block when the balances were read
 * @param chainStale no new block for longer than the RPC pool's {@code staleAfter}: do not start
 *     enforcement that depends on the chain
 * @param tokens by token address
 * @param channels by channel id
 * @param low the wallet balances (current or last known) below their thresholds
 */
public record BalanceReport(Instant at, Reading<Long> head, boolean chainStale, Reading<Amount> ether, Map<Address, Reading<Amount>> tokens,
                            Map<Long, Reading<ChannelBalance>> channels, List<LowBalance> low) {

    public BalanceReport {
        tokens = Map.copyOf(tokens);
        channels = Map.copyOf(channels);
        low = List.copyOf(low);
    }

    /** Whether every value was read in this check. */
    public boolean isCurrent() {
        return head.current() && ether.current() && tokens.values().stream().allMatch(Reading::current)
                && channels.values().stream().allMatch(Reading::current);
    }
}
