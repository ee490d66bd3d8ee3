package io.turnpike.chain.monitor;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step of the node's loop that reads its own balances: ether, the ERC-20 tokens it holds, and what
 * its channels hold. It never throws: while the chain cannot be read it reports the last values it read
 * as not current (and the view as stale once no block came for {@code staleAfter}), so nothing breaks
 * and nobody is punished for an outage.
 */
public final class BalanceMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(BalanceMonitor.class);

    private final Chain chain;
    private final Address owner;
    private final BalanceThresholds thresholds;
    private final Map<Address, Erc20> tokens = new HashMap<>();
    private final ChannelsContract channels;
    private final Supplier<? extends Collection<Long>> channelIds;
    private final Clock clock;
    private final Map<Object, Reading<?>> lastRead = new HashMap<>();
    private final Set<Address> reportedLow = new HashSet<>();
    private boolean failing;

    /**
     * @param channelIds the channels to read at each check (the node's open channels); read each time
     */
    public BalanceMonitor(Chain chain, Address owner, BalanceThresholds thresholds, ChannelsContract channels,
                          Supplier<? extends Collection<Long>> channelIds, Clock clock) {
        this.chain = chain;
        this.owner = owner;
        this.thresholds = thresholds;
        thresholds.tokens().keySet().forEach(token -> tokens.put(token, Erc20.at(chain, token)));
        this.channels = channels;
        this.channelIds = channelIds;
        this.clock = clock;
    }

    /** Reads every balance once. Never throws. */
    public synchronized BalanceReport check() {
        Instant now = clock.instant();
        List<RuntimeException> failures = new ArrayList<>();
        // Reading the head first also tells the RPC pool whether the chain still moves (its staleness).
        Reading<Long> head = read("head", now, failures, chain::head);
        Reading<Amount> ether = read(Address.ZERO, now, failures, () -> chain.balance(owner));
        Map<Address, Reading<Amount>> tokenBalances = new HashMap<>();
        tokens.forEach((address, token) ->
                tokenBalances.put(address, read(address, now, failures, () -> token.balanceOf(owner))));
        Map<Long, Reading<ChannelBalance>> channelBalances = new HashMap<>();
        for (long id : channelIds.get()) {
            channelBalances.put(id, read(id, now, failures, () -> {
                ChannelsContract.ParticipantInfo own = channels.participant(id, owner);
                return new ChannelBalance(channels.held(id), own.deposit(), own.withdrawn());
            }));
        }
        List<LowBalance> low = new ArrayList<>();
        lowBalance(Address.ZERO, ether, thresholds.ether(), low);
        tokenBalances.forEach((token, reading) -> lowBalance(token, reading, thresholds.tokens().get(token), low));
        reportFailures(failures);
        return new BalanceReport(now, head, chain.rpc().isStale(), ether, tokenBalances, channelBalances, low);
    }

    /** The value now, or the last one read (marked not current) when it cannot be read. */
    @SuppressWarnings("unchecked")
    private <T> Reading<T> read(Object key, Instant now, List<RuntimeException> failures, Supplier<T> fetch) {
        try {
            Reading<T> reading = Reading.of(fetch.get(), now);
            lastRead.put(key, reading);
            return reading;
        } catch (RuntimeException e) {
            // Whatever keeps a balance from being read must not stop the node's loop.
            failures.add(e);
            Reading<T> last = (Reading<T>) lastRead.get(key);
            return last == null ? Reading.unknown() : last.outdated();
        }
    }

    /** Logs when reading starts failing and when it works again, not at every check in between. */
    private void reportFailures(List<RuntimeException> failures) {
        if (!failures.isEmpty() && !failing) {
            RuntimeException first = failures.getFirst();
            if (first instanceof RpcException || first instanceof ChainRpcException
                    || first instanceof ContractRevertException) {
                LOG.warn("cannot read the balances of {} ({}); showing the last values read", owner, first.getMessage());
            } else {
                LOG.warn("cannot read the balances of {}; showing the last values read", owner, first);
            }
        } else if (failures.isEmpty() && failing) {
            LOG.info("the balances of {} are read again", owner);
        }
        failing = !failures.isEmpty();
    }

    private void lowBalance(Address asset, Reading<Amount> reading, Amount threshold, List<LowBalance> low) {
        if (reading.value().isEmpty() || !reading.value().get().isLessThan(threshold)) {
            reportedLow.remove(asset);
            return;
        }
        LowBalance warning = new LowBalance(asset, reading.value().get(), threshold);
        low.add(warning);
        if (reportedLow.add(asset)) {
            LOG.warn("low balance: {} holds {} of {}, below the warning threshold {}; top it up", owner,
                    warning.balance(), asset.isZero() ? "ether" : "token " + asset, threshold);
        }
    }
}
