package io.turnpike.bench.soak;

import io.turnpike.bench.soak.SoakWorld.Buyer;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Channel;
import io.turnpike.node.api.ApiClient;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.daemon.OperatorProcess;
import io.turnpike.node.demo.DemoNodes;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos soak ({@code ./turnpike soak --minutes M [--seed S] [--clients N] [--keep]}): a provider, a watchtower
 * and client nodes, each its own process, on an anvil, the clients buying bandwidth through the provider's relay and
 * paying over channels (and, with three clients or more, one by direct transfers), while {@link Chaos} injects
 * random faults from a seeded PRNG for M minutes of wall time. Then everything is settled (links restored, payments
 * caught up, every channel closed, the challenge periods passed on anvil's clock, the nodes stopped) and
 * {@link SoakAudit} checks the books against the chain. The last line sums it up; the exit status is 0 only when no
 * wei was lost, no nonce signed twice and nothing else disagreed.
 */
public final class Soak {

    /** What a soak found. */
    public record Outcome(double minutes, int faults, long payments, BigInteger lostWei, int doubleSigned,
                          List<String> mismatches) {

        public boolean clean() {
            return lostWei.signum() == 0 && doubleSigned == 0 && mismatches.isEmpty();
        }

        public String summary() {
            return String.format("soak: minutes=%s faults=%d payments=%d lost_wei=%s double_signed=%d mismatches=%d",
                    minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes), faults,
                    payments, lostWei, doubleSigned, mismatches.size());
        }
    }

    /** Generous, for a machine shared with builds; a settled soak takes seconds. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(3);

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 5;
        long seed = System.nanoTime();
        int clients = 3;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--keep" -> keep = true;
                default -> {
                    System.err.println("usage: turnpike soak --minutes M [--seed S] [--clients N] [--keep]");
                    System.exit(2);
                }
            }
        }
        if (minutes <= 0 || clients < 1) {
            System.err.println("soak: --minutes must be positive and --clients at least 1");
            System.exit(2);
        }
        Path directory = Files.createTempDirectory("turnpike-soak");
        System.out.printf("soak: seed=%d minutes=%s clients=%d in %s (repeat with --seed %d)%n", seed, minutes, clients,
                directory, seed);
        Outcome outcome = run(directory, minutes, seed, clients, System.out);
        if (keep) {
            System.out.println("soak: kept " + directory);
        } else {
            FileTrees.delete(directory);
        }
        System.out.println(outcome.summary());
        System.exit(outcome.clean() ? 0 : 1);
    }

    /** Runs a soak in {@code directory}; every process it started is gone when it returns or throws. */
    public static Outcome run(Path directory, double minutes, long seed, int clients, PrintStream out)
            throws IOException, InterruptedException {
        try (SoakWorld world = new SoakWorld(directory, clients)) {
            // Ctrl-C or a failed assertion must not leave nodes running: the hook kills what is still up.
            Thread hook = new Thread(world::close, "soak-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                world.start();
                Chaos chaos = new Chaos(world, seed, out);
                chaos.runUntil(System.nanoTime() + (long) (minutes * 60e9));
                out.printf("soak: %d faults injected; settling%n", chaos.faults());
                List<String> mismatches = new ArrayList<>(settle(world, chaos.paidThroughAndClosed(), out));
                SoakAudit.Result audit = new SoakAudit(world, chaos.staleCloses()).run();
                mismatches.addAll(audit.mismatches());
                audit.notes().forEach(n -> out.println("soak: note: " + n));
                audit.doubleSigned().forEach(d -> out.println("soak: DOUBLE-SIGNED " + d));
                mismatches.forEach(m -> out.println("soak: MISMATCH " + m));
                out.printf("soak: %d stale closes, each answered unless listed above%n", chaos.staleCloses().size());
                return new Outcome(minutes, chaos.faults(), audit.payments(), audit.lostWei(), audit.doubleSigned().size(),
                        List.copyOf(mismatches));
            } finally {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    /**
     * Ends the chaos: links restored, every process up, downloads stopped and paid for; then every client's links are
     * cut (so that none opens a new channel) and its channels closed on chain, anvil's clock is moved past the
     * challenge period, every channel settles, and the nodes stop as an operator stops them.
     */
    private static List<String> settle(SoakWorld world, List<Long> closedByChaos, PrintStream out)
            throws InterruptedException {
        List<String> problems = new ArrayList<>();
        for (OperatorProcess process : world.processes()) {
            if (!process.isAlive()) {
                problems.add("the " + process.name() + " had exited by itself");
                process.start();
            }
        }
        world.buyers.forEach(b -> b.link.restore());
        world.stopDownloads();
        for (Buyer buyer : world.buyers) {
            try (ApiClient api = buyer.api(); ApiClient atProvider = SoakWorld.api(world.providerHome)) {
                DemoNodes.await(() -> buyer.caughtUpOrCannotPay(api, atProvider), SETTLE_TIMEOUT);
            } catch (IllegalStateException notCaughtUp) {
                out.println("soak: " + buyer.name + "'s payments did not catch up within " + SETTLE_TIMEOUT);
            }
        }
        // The channels closed on chain through which the client paid, by the chaos or here: the provider must put its
        // newest proof on chain before the clock is moved past the challenge period, as it has the period to do.
        List<Long> paidThrough = new ArrayList<>(closedByChaos);
        for (Buyer buyer : world.buyers) {
            buyer.link.cut();
            if (buyer.direct) {
                continue;
            }
            try (ApiClient api = buyer.api()) {
                for (ChannelView channel : api.channels()) {
                    if (channel.state().equals("OPEN") || channel.state().equals("CLOSING")) {
                        try {
                            api.closeChannel(channel.channelId(), true);
                            if (!channel.sent().isZero()) {
                                paidThrough.add(channel.channelId());
                            }
                        } catch (TurnpikeException refused) {
                            out.println("soak: " + buyer.name + " refused to close #" + channel.channelId() + ": "
                                    + refused.getMessage());
                        }
                    }
                }
            }
        }
        ChannelsContract contract = world.contract;
        long channels = contract.channelCount();
        // The provider answers each close with the newest proof it holds, as soon as it sees the close.
        try {
            DemoNodes.await(() -> allClosedAndAnswered(world, channels, paidThrough), SETTLE_TIMEOUT);
        } catch (IllegalStateException unanswered) {
            out.println("soak: not every close was answered within " + SETTLE_TIMEOUT);
        }
        // Each closer settles as the period ends; the other side only Channel.SETTLE_GRACE later, had it not.
        world.anvil.advanceTime(SoakWorld.CHALLENGE_PERIOD + 1);
        if (!settledWithin(contract, channels)) {
            out.println("soak: a closer did not settle; the other side's grace is moved past");
            world.anvil.advanceTime(Channel.SETTLE_GRACE.toSeconds());
            if (!settledWithin(contract, channels)) {
                // Anyone may settle a channel whose challenge period is over; the soak does what the nodes did not.
                ChainAccount operator = world.chain.account(world.anvil.devKeys().get(0));
                for (long id = 1; id <= channels; id++) {
                    if (contract.channel(id).status() == ChannelsContract.Status.CLOSED) {
                        out.println("soak: the nodes did not settle channel #" + id + "; the soak settles it");
                        contract.settle(operator, id);
                    }
                }
            }
        }
        for (OperatorProcess process : world.processes()) {
            process.stop();
        }
        return problems;
    }

    /** No channel open, and each of {@code paidThrough} carries the client's proof (a nonce above 0) on chain. */
    private static boolean allClosedAndAnswered(SoakWorld world, long channels, List<Long> paidThrough) {
        for (long id = 1; id <= channels; id++) {
            ChannelsContract.ChannelInfo info = world.contract.channel(id);
            if (info.status() == ChannelsContract.Status.OPEN) {
                return false;
            }
            if (info.status() == ChannelsContract.Status.CLOSED && paidThrough.contains(id)
                    && world.contract.participant(id, info.participantA()).nonce() == 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean settledWithin(ChannelsContract contract, long channels) throws InterruptedException {
        try {
            DemoNodes.await(() -> allSettled(contract, channels), SETTLE_TIMEOUT);
            return true;
        } catch (IllegalStateException notSettled) {
            return false;
        }
    }

    private static boolean allSettled(ChannelsContract contract, long channels) {
        for (long id = 1; id <= channels; id++) {
            if (contract.channel(id).status() != ChannelsContract.Status.SETTLED) {
                return false;
            }
        }
        return true;
    }
}
