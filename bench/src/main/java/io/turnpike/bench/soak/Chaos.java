package io.turnpike.bench.soak;

import io.turnpike.bench.soak.SoakWorld.Buyer;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.api.ApiClient;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.daemon.OperatorProcess;
import io.turnpike.node.demo.DemoNodes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The faults, drawn from one seeded PRNG: which fault, on whom, when and for how long. Every kind comes once in each
 * round, in a shuffled order, so that even a short soak meets all of them. A fault the world refuses (anvil cannot
 * re-organise blocks mined before its last restart, a node refuses to close a channel it is already closing) is
 * printed and not counted.
 */
final class Chaos {

    enum Kind {
        KILL_PROVIDER, KILL_CLIENT, KILL_TOWER, RESTART_ANVIL, REORG, CUT_LINK, DELAY_LINK, COOPERATIVE_CLOSE,
        UNILATERAL_CLOSE, STALE_CLOSE
    }

    /** How long the provider stays down after a stale close, leaving it most of the challenge period to answer. */
    private static final Duration TOWER_WAIT = Duration.ofSeconds(15);

    private final SoakWorld world;
    private final Random random;
    private final long seed;
    private final PrintStream out;
    private final long startedAt = System.nanoTime();
    private final List<Kind> round = new ArrayList<>();
    private int faults;
    /** The channels a client closed unilaterally while the provider was down: the tower's to answer. */
    private final List<Long> staleCloses = new ArrayList<>();
    /** The channels a client had paid through and closed unilaterally: the provider's (or tower's) to answer. */
    private final List<Long> paidThroughAndClosed = new ArrayList<>();

    Chaos(SoakWorld world, long seed, PrintStream out) {
        this.world = world;
        this.seed = seed;
        this.random = new Random(seed);
        this.out = out;
    }

    int faults() {
        return faults;
    }

    List<Long> staleCloses() {
        return List.copyOf(staleCloses);
    }

    List<Long> paidThroughAndClosed() {
        return List.copyOf(paidThroughAndClosed);
    }

    /** Injects faults, a few seconds apart, until {@code deadline} (System.nanoTime()). */
    void runUntil(long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            // The quiet between two faults: the timing of the chaos, not a wait for anything.
            TimeUnit.MILLISECONDS.sleep(1500 + random.nextInt(3000));
            if (System.nanoTime() >= deadline) {
                return;
            }
            if (round.isEmpty()) {
                round.addAll(Arrays.asList(Kind.values()));
                Collections.shuffle(round, random);
            }
            try {
                inject(round.removeFirst());
            } catch (TurnpikeException refused) {
                note("refused: " + refused.getMessage());
            }
        }
    }

    private void inject(Kind kind) throws InterruptedException {
        List<Buyer> channelBuyers = world.buyers.stream().filter(b -> !b.direct).toList();
        Buyer buyer = world.buyers.get(random.nextInt(world.buyers.size()));
        Buyer channelBuyer = channelBuyers.get(random.nextInt(channelBuyers.size()));
        long downMillis = random.nextInt(2000);
        switch (kind) {
            case KILL_PROVIDER -> kill(world.provider, downMillis);
            case KILL_CLIENT -> kill(buyer.process, downMillis);
            case KILL_TOWER -> kill(world.tower, downMillis);
            case RESTART_ANVIL -> {
                report("anvil stopped for " + downMillis + " ms and restarted from its state");
                long lost = world.restartAnvil(downMillis);
                if (lost > 0) {
                    note("anvil came back " + lost + " blocks lower than it stopped at");
                }
            }
            case REORG -> {
                int depth = 1 + random.nextInt(5);
                try {
                    world.anvil.reorg(depth, List.of());
                    report("re-org of the newest " + depth + " blocks");
                } catch (IllegalStateException refused) {
                    note("re-org of " + depth + " blocks refused by anvil (" + refused.getMessage() + ")");
                }
            }
            case CUT_LINK -> {
                long millis = 1000 + random.nextInt(4000);
                report("link " + buyer.name + " <-> provider cut for " + millis + " ms");
                buyer.link.cut();
                TimeUnit.MILLISECONDS.sleep(millis);
                buyer.link.restore();
            }
            case DELAY_LINK -> {
                long delay = 100 + random.nextInt(1400);
                long millis = 2000 + random.nextInt(4000);
                report("link " + buyer.name + " <-> provider delayed " + delay + " ms a frame for " + millis + " ms");
                buyer.link.delay(delay);
                TimeUnit.MILLISECONDS.sleep(millis);
                buyer.link.restore();
            }
            case COOPERATIVE_CLOSE -> close(channelBuyer, false);
            case UNILATERAL_CLOSE -> close(channelBuyer, true);
            case STALE_CLOSE -> staleClose(channelBuyers, random.nextInt(channelBuyers.size()));
        }
    }

    private void kill(OperatorProcess process, long downMillis) throws InterruptedException {
        report("SIGKILL " + process.name() + ", restarted after " + downMillis + " ms");
        process.kill();
        TimeUnit.MILLISECONDS.sleep(downMillis);
        process.start();
    }

    /** Closes the buyer's open channel mid-stream through its API, as its operator would. */
    private void close(Buyer buyer, boolean unilateral) {
        try (ApiClient api = buyer.api()) {
            Optional<ChannelView> open = openChannel(api);
            if (open.isEmpty()) {
                note(buyer.name + " has no open channel to close");
                return;
            }
            report((unilateral ? "unilateral" : "cooperative") + " close of " + buyer.name + "'s channel #"
                    + open.get().channelId() + " mid-stream");
            api.closeChannel(open.get().channelId(), unilateral);
            if (unilateral && !open.get().sent().isZero()) {
                paidThroughAndClosed.add(open.get().channelId());
            }
        } catch (TurnpikeException refused) {
            note(buyer.name + " refused the close: " + refused.getMessage());
        }
    }

    /**
     * The cheat the tower is for: once the provider holds the buyer's newest proof (and has had the time to hand it
     * to the tower), the provider is killed and the buyer closes on chain with the provider's proof, which pays the
     * provider nothing back. Only the tower can answer; the provider is started again after the tower's window.
     */
    private void staleClose(List<Buyer> candidates, int first) throws InterruptedException {
        // The first client, from a random one on, with a channel it has paid through.
        for (int i = 0; i < candidates.size(); i++) {
            Buyer buyer = candidates.get((first + i) % candidates.size());
            try (ApiClient api = buyer.api()) {
                if (openChannel(api).filter(c -> !c.sent().isZero()).isPresent()) {
                    staleClose(buyer);
                    return;
                }
            }
        }
        note("no client has a paid channel to close with a stale proof");
    }

    private void staleClose(Buyer buyer) throws InterruptedException {
        buyer.paused = true;
        try (ApiClient api = buyer.api(); ApiClient atProvider = SoakWorld.api(world.providerHome)) {
            Optional<ChannelView> open = openChannel(api);
            if (open.isEmpty()) {
                note(buyer.name + "'s channel closed meanwhile");
                return;
            }
            long channelId = open.get().channelId();
            try {
                DemoNodes.await(() -> buyer.caughtUp(api, atProvider), Duration.ofSeconds(90));
            } catch (IllegalStateException notQuiet) {
                note(buyer.name + "'s payments did not settle down for a stale close");
                return;
            }
            // Two tower-upload intervals: the provider hands its newest proof to the tower.
            TimeUnit.MILLISECONDS.sleep(2500);
            report("stale close: provider SIGKILLed, " + buyer.name + " closes channel #" + channelId
                    + " on chain with the provider's proof; the tower must answer");
            world.provider.kill();
            try {
                api.closeChannel(channelId, true);
                staleCloses.add(channelId);
                paidThroughAndClosed.add(channelId);
                // Past the provider's part of the challenge period, into the tower's window.
                TimeUnit.SECONDS.sleep(1);
                world.anvil.advanceTime(SoakWorld.CHALLENGE_PERIOD * SoakWorld.WINDOW_START_PERCENT / 100 + 1);
                DemoNodes.await(() -> world.contract.participant(channelId, buyer.address).nonce() > 0,
                        TOWER_WAIT);
            } catch (TurnpikeException | IllegalStateException unanswered) {
                // A tower can only answer with a proof it was handed: the victim, back up, answers by itself.
                note("the tower did not answer the stale close of #" + channelId + " within " + TOWER_WAIT.toSeconds()
                        + " s; the provider, restarted, must");
            } finally {
                world.provider.start();
            }
        } catch (TurnpikeException refused) {
            note(buyer.name + " refused the stale close: " + refused.getMessage());
        } finally {
            buyer.paused = false;
        }
    }

    static Optional<ChannelView> openChannel(ApiClient api) {
        return api.channels().stream().filter(c -> c.state().equals("OPEN")).findFirst();
    }

    private void report(String fault) {
        faults++;
        out.printf("soak: seed=%d t=%.1fs fault %d: %s%n", seed, (System.nanoTime() - startedAt) / 1e9, faults, fault);
    }

    private void note(String text) {
        out.printf("soak: seed=%d t=%.1fs (no fault) %s%n", seed, (System.nanoTime() - startedAt) / 1e9, text);
    }
}
