package io.turnpike.chain.watch;

import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.TestStore;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The log watcher on a real anvil, against what eth_getLogs says the canonical chain holds. */
@ExtendWith(AnvilExtension.class)
class LogWatcherTest {

    @TempDir
    Path dir;
    private Store store;

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void deliversEachEventInChainOrderAcrossRangesAndResumesFromTheStoredCursor(ChannelFixture f) {
        long start = f.chain.head() + 1;
        store = TestStore.open(dir, f.alice.address(), SharedAnvil.CHAIN_ID, MutableClock.startingNow());
        Recorder recorder = new Recorder();
        WatchConfig config = WatchConfig.from(start).withMaxRange(2);
        long id = f.openEther(ether(2), ether(1));

        assertThat(watcher(f, config, recorder).poll()).isEqualTo(3);
        assertThat(recorder.events).extracting(ObservedEvent::event).containsExactly(
                new ChannelEvent.ChannelOpened(id, f.alice.address(), f.bob.address(), Address.ZERO,
                        ChannelFixture.PERIOD),
                new ChannelEvent.DepositSet(id, f.alice.address(), ether(2)),
                new ChannelEvent.DepositSet(id, f.bob.address(), ether(1)));
        assertThat(recorder.events).isEqualTo(canonical(f, start));

        LogWatcher restarted = watcher(f, config, recorder);
        assertThat(restarted.poll()).as("resumed after the cursor").isZero();
        f.channels.setTotalDeposit(f.alice, id, f.alice.address(), ether(3), ether(1));
        assertThat(restarted.poll()).isEqualTo(1);
        assertThat(recorder.events).isEqualTo(canonical(f, start));
        assertThat(recorder.delivered).isEqualTo(4);
    }

    @Test
    void eventsWhoseDeliveryFailedComeAgainAtTheNextPoll(ChannelFixture f) {
        long start = f.chain.head() + 1;
        store = TestStore.open(dir, f.alice.address(), SharedAnvil.CHAIN_ID, MutableClock.startingNow());
        f.openEther(ether(1), Amount.ZERO);
        Recorder recorder = new Recorder();
        LogWatcher watcher = watcher(f, WatchConfig.from(start), recorder);
        recorder.failNext = true;

        assertThatThrownBy(watcher::poll).isInstanceOf(IllegalStateException.class);
        assertThat(watcher.poll()).isEqualTo(2);
        assertThat(recorder.events).isEqualTo(canonical(f, start));
    }

    @Test
    void reorgRewindsAndRedeliversSoTheEventsHeldMatchTheCanonicalChain() {
        try (Anvil anvil = Anvil.start(SharedAnvil.CHAIN_ID)) {
            ChannelFixture f = ChannelFixture.deploy(anvil);
            long start = f.chain.head() + 1;
            store = TestStore.open(dir, f.alice.address(), SharedAnvil.CHAIN_ID, MutableClock.startingNow());
            Recorder recorder = new Recorder();
            WatchConfig config = WatchConfig.from(start).withMaxRewind(3);
            LogWatcher watcher = watcher(f, config, recorder);
            f.openEther(ether(2), ether(1));
            f.openToken(ether(3), ether(4));
            watcher.poll();
            assertThat(recorder.events).hasSize(6);

            anvil.reorg(3, List.of()); // the last three blocks: one deposit and the whole token channel
            f.openToken(ether(5), Amount.ZERO);
            watcher.poll();

            assertThat(recorder.rewinds).containsExactly(start + 1);
            assertThat(recorder.events).isEqualTo(canonical(f, start)).hasSize(4);
            assertThat(recorder.events).extracting(ObservedEvent::event)
                    .contains(new ChannelEvent.DepositSet(2, f.alice.address(), ether(5)));

            // After a restart the watcher knows no block hashes but the cursor's: it rewinds the full
            // maxRewind, and what it holds still ends up canonical.
            f.channels.setTotalDeposit(f.bob, 2, f.bob.address(), ether(6), Amount.ZERO);
            watcher.poll();
            long lost = f.chain.head();
            anvil.reorg(1, List.of());
            f.channels.setTotalDeposit(f.bob, 2, f.bob.address(), ether(7), Amount.ZERO);
            watcher(f, config, recorder).poll();

            assertThat(recorder.rewinds).containsExactly(start + 1, Math.max(start, lost - config.maxRewind() + 1));
            assertThat(recorder.events).isEqualTo(canonical(f, start));
            assertThat(recorder.events).extracting(ObservedEvent::event)
                    .contains(new ChannelEvent.DepositSet(2, f.bob.address(), ether(7)))
                    .doesNotContain(new ChannelEvent.DepositSet(2, f.bob.address(), ether(6)));
        }
    }

    private LogWatcher watcher(ChannelFixture f, WatchConfig config, Recorder recorder) {
        return new LogWatcher(f.chain, f.channels.address(), store.cursors(), config, recorder);
    }

    /** Every event of the contract from {@code start} to the head, as the canonical chain holds them now. */
    private static List<ObservedEvent> canonical(ChannelFixture f, long start) {
        List<ObservedEvent> events = new ArrayList<>();
        f.chain.logs(f.channels.address(), start, f.chain.head()).forEach(log -> {
            Optional<ChannelEvent> event = ChannelsContract.decode(log);
            event.ifPresent(e -> events.add(new ObservedEvent(e, log.getBlockNumber().longValueExact(),
                    Bytes32.fromHex(log.getBlockHash()), log.getLogIndex().longValueExact(),
                    Bytes32.fromHex(log.getTransactionHash()))));
        });
        return events;
    }

    /** What a node would keep: the events it was given, minus those a rewind took back. */
    private static final class Recorder implements ChannelEventListener {
        final List<ObservedEvent> events = new ArrayList<>();
        final List<Long> rewinds = new ArrayList<>();
        int delivered;
        boolean failNext;

        @Override
        public void onEvent(ObservedEvent event) {
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("the node could not take this event");
            }
            events.add(event);
            delivered++;
        }

        @Override
        public void onRewind(long fromBlock) {
            rewinds.add(fromBlock);
            events.removeIf(event -> event.blockNumber() >= fromBlock);
        }
    }
}
