package io.turnpike.chain.monitor;

import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.RpcProxy;
import io.turnpike.chain.rpc.BackOff;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The balance loop step on a real anvil, with the RPC provider failing on demand in front of it. */
@ExtendWith(AnvilExtension.class)
class BalanceMonitorTest {

    private final MutableClock clock = MutableClock.startingNow();

    @Test
    void readsWalletAndChannelBalancesAndWarnsBelowTheThresholds(ChannelFixture f) {
        long id = f.openToken(ether(10), ether(5));
        Amount ether = f.alice.balance();
        Amount tokens = f.token.balanceOf(f.alice.address());
        BalanceThresholds thresholds = new BalanceThresholds(ether.plus(Amount.of(1)),
                Map.of(f.token.address(), ether(1)));
        BalanceMonitor monitor = new BalanceMonitor(f.chain, f.alice.address(), thresholds, f.channels,
                () -> List.of(id), clock);

        BalanceReport report = monitor.check();

        assertThat(report.isCurrent()).isTrue();
        assertThat(report.chainStale()).isFalse();
        assertThat(report.ether().value()).contains(ether);
        assertThat(report.tokens().get(f.token.address()).value()).contains(tokens);
        assertThat(report.channels().get(id).value()).contains(new ChannelBalance(ether(15), ether(10), Amount.ZERO));
        assertThat(report.low()).containsExactly(new LowBalance(Address.ZERO, ether, ether.plus(Amount.of(1))));
    }

    @Test
    void providerOutageShowsTheLastValuesAsNotCurrentAndNeverThrows(ChannelFixture f) {
        long id = f.openEther(ether(2), Amount.ZERO);
        try (RpcProxy provider = RpcProxy.to(f.anvil.rpcUrl());
             Chain chain = Chain.connect(RpcConfig.of(provider.url()).withClock(clock))) {
            BalanceMonitor monitor = new BalanceMonitor(chain, f.alice.address(),
                    new BalanceThresholds(Amount.ZERO, Map.of(f.token.address(), Amount.ZERO)),
                    ChannelsContract.at(chain, f.channels.address()), () -> List.of(id), clock);
            BalanceReport before = monitor.check();

            provider.down();
            BalanceReport during = monitor.check();
            assertThat(during.isCurrent()).isFalse();
            assertThat(during.ether().value()).isEqualTo(before.ether().value());
            assertThat(during.ether().observedAt()).isEqualTo(before.ether().observedAt());
            assertThat(during.channels().get(id).value()).contains(new ChannelBalance(ether(2), ether(2), Amount.ZERO));
            assertThat(during.chainStale()).isFalse();

            clock.advance(RpcConfig.DEFAULT_STALE_AFTER.plusSeconds(1));
            assertThat(monitor.check().chainStale()).as("no block seen for staleAfter").isTrue();

            provider.up();
            clock.advance(BackOff.defaults().max());
            f.anvil.mine();
            BalanceReport after = monitor.check();
            assertThat(after.isCurrent()).isTrue();
            assertThat(after.chainStale()).isFalse();
            assertThat(after.ether().observedAt()).contains(clock.instant());
        }
    }
}
