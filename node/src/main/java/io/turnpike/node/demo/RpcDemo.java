package io.turnpike.node.demo;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.ToolPaths;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The JSON-RPC demo: a provider node sells JSON-RPC before its own full node (anvil here); one client node pays for
 * its seat through a channel, while a few others, whose channels hold less than the provider's minimum deposit, are
 * served at the free tier from the spare capacity. All of them load the front through their local entries; each
 * client's tier, capacity (the provider's view, as {@code turnpike rpc clients} shows it) and requests per second are
 * shown live. Then the real {@code cast} asks the chain through the paying client's entry, both sides' ledgers are
 * compared to the wei, the paying client's channel is settled cooperatively and both nodes' balances on chain are
 * checked to the wei.
 */
public final class RpcDemo {

    /** One client as the demo saw it: the tier it was last served at, the requests answered and refused. */
    public record Client(String name, Address address, String tier, long capacity, long answered, long refused) {
    }

    /** One client's debt as both sides keep it, and what its channel carries to the provider. */
    public record Ledger(String name, Amount usedAtClient, Amount paidByClient, Amount usedAtProvider,
                         Amount paidToProvider, Amount channelCarries) {
        public boolean agrees() {
            return usedAtClient.equals(usedAtProvider) && paidByClient.equals(usedAtClient)
                    && paidToProvider.equals(usedAtProvider) && channelCarries.equals(paidToProvider);
        }
    }

    /**
     * @param channelPaid what the settle of the paying client's channel paid the provider
     * @param heldAgain what the paying client holds in the channel it opened after the settle, if it did
     */
    public record Result(List<Client> clients, List<Ledger> ledgers, Amount channelPaid, Amount heldAgain,
                         BandwidthDemo.Party provider, BandwidthDemo.Party payer) {
        /** What the provider earned from every client, as its ledger says it was paid. */
        public Amount income() {
            return RpcDemo.income(ledgers);
        }

        public boolean balancesCheckOut() {
            return ledgers.stream().allMatch(Ledger::agrees) && channelPaid.equals(ledgers.getFirst().paidToProvider())
                    && provider.checksOut() && payer.checksOut();
        }
    }

    static final int FREE_CLIENTS = 3;
    private static final Duration STILL_FOR = Duration.ofSeconds(1);
    private static final byte[] BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}"
            .getBytes(StandardCharsets.UTF_8);

    private final Anvil anvil;
    private final Path workDir;
    private final PrintStream out;

    public RpcDemo(Anvil anvil, Path workDir, PrintStream out) {
        this.anvil = anvil;
        this.workDir = workDir;
        this.out = out;
    }

    /** @param seconds how long the clients load the front; the paying client joins after the first third */
    public Result run(int seconds) throws InterruptedException {
        step("Deploying TurnpikeChannels on anvil (chain id " + anvil.chainId() + "), which also plays the provider's "
                + "full node; starting a provider node selling JSON-RPC and " + (FREE_CLIENTS + 1) + " client nodes");
        try (RpcNodes nodes = RpcNodes.start(anvil, workDir, FREE_CLIENTS)) {
            List<String> names = new ArrayList<>(List.of("paying"));
            for (int n = 1; n <= FREE_CLIENTS; n++) {
                names.add("free " + n);
            }
            out.printf("  provider %s: front on 127.0.0.1:%d before anvil, %s a cost unit; %d units/s in all, %d for "
                            + "its one paid seat, at most %d for a free client from the spare%n",
                    RpcNodes.address(nodes.provider), nodes.provider.rpcFrontPort().orElseThrow(),
                    Asset.ETH.format(RpcNodes.PRICE), RpcNodes.TOTAL_CAPACITY, RpcNodes.PAID_CAPACITY,
                    RpcNodes.FREE_CAPACITY);
            for (int n = 0; n < names.size(); n++) {
                TurnpikeNode client = nodes.clients().get(n);
                PeerView ledger = RpcNodes.atClient(client);
                out.printf("  %-7s %s: channel #%d holding %s, entry on %s%n", names.get(n), RpcNodes.address(client),
                        ledger.channelId().orElseThrow(), Asset.ETH.format(client.channel(ledger.channelId()
                                .orElseThrow()).orElseThrow().own().deposit()), RpcNodes.entry(client));
            }

            List<Client> clients = load(nodes, names, seconds);

            step("The real cast, through the paying client's entry (" + RpcNodes.entry(nodes.payer) + ")");
            // Nothing is sent to the chain meanwhile: the payments go through the channels.
            sameAsAnvil(cast("block-number", "--rpc-url", RpcNodes.entry(nodes.payer).toString()),
                    Long.toString(nodes.chain.head()));
            Address payerAddress = RpcNodes.address(nodes.payer);
            sameAsAnvil(cast("balance", payerAddress.toString(), "--rpc-url", RpcNodes.entry(nodes.payer).toString()),
                    nodes.chain.balance(payerAddress).value().toString());

            step("Both sides' ledgers, once the payments and the provider's metering have caught up");
            List<Ledger> ledgers = settledLedgers(nodes, names);
            for (Ledger l : ledgers) {
                out.printf("  %s %-7s used %s, paid %s (client) | used %s, paid %s (provider) | channel carries %s%n",
                        l.agrees() ? "OK      " : "MISMATCH", l.name(), Asset.ETH.format(l.usedAtClient()),
                        Asset.ETH.format(l.paidByClient()), Asset.ETH.format(l.usedAtProvider()),
                        Asset.ETH.format(l.paidToProvider()), Asset.ETH.format(l.channelCarries()));
            }
            Amount income = income(ledgers);
            out.printf("  the provider's income: %s (%s wei)%n", Asset.ETH.format(income), income.value());

            step("Settling the paying client's channel cooperatively");
            long channelId = RpcNodes.atClient(nodes.payer).channelId().orElseThrow();
            ChannelView settled = new RunningNodeControl(nodes.payer).closeChannel(channelId, false);
            Amount channelPaid = settled.sent();
            out.printf("  channel #%d %s: the provider is paid %s%n", settled.channelId(), settled.state(),
                    Asset.ETH.format(channelPaid));
            nodes.stopPayer();
            Amount heldAgain = nodes.heldInOpenChannel(payerAddress);
            if (!heldAgain.isZero()) {
                out.printf("  (the paying node opened its next channel at once, to go on buying: %s of its own is "
                        + "held there)%n", Asset.ETH.format(heldAgain));
            }

            Address providerAddress = RpcNodes.address(nodes.provider);
            Amount providerGas = nodes.gasSpent(providerAddress);
            Amount payerGas = nodes.gasSpent(payerAddress);
            Result result = new Result(clients, ledgers, channelPaid, heldAgain,
                    new BandwidthDemo.Party("provider", providerAddress, RpcNodes.FUNDING,
                            nodes.chain.balance(providerAddress), providerGas,
                            RpcNodes.FUNDING.plus(channelPaid).minus(providerGas)),
                    new BandwidthDemo.Party("paying", payerAddress, RpcNodes.FUNDING, nodes.chain.balance(payerAddress),
                            payerGas, RpcNodes.FUNDING.minus(channelPaid).minus(payerGas).minus(heldAgain)));
            report(result);
            return result;
        }
    }

    /**
     * Every client loads the front through its entry for {@code seconds} (the paying one from a third of the way in),
     * one eth_blockNumber after another; each second, each one's tier and capacity at the provider and the requests
     * it was answered in that second are shown.
     */
    private List<Client> load(RpcNodes nodes, List<String> names, int seconds) throws InterruptedException {
        step("Loading the front: the free clients from the start, the paying client from second " + (seconds / 3 + 1)
                + "; tier and capacity as the provider serves each (turnpike rpc clients), requests answered a second");
        StringBuilder header = new StringBuilder("  second");
        names.forEach(name -> header.append(String.format(" | %-26s", name)));
        out.println(header);
        RunningNodeControl provider = new RunningNodeControl(nodes.provider);
        List<Load> loads = new ArrayList<>();
        Map<Address, RpcClientView> shown = Map.of();
        try {
            for (TurnpikeNode free : nodes.free) {
                loads.add(new Load(RpcNodes.entry(free)));
            }
            long[] before = new long[names.size()];
            for (int second = 1; second <= seconds; second++) {
                if (second == seconds / 3 + 1) {
                    loads.addFirst(new Load(RpcNodes.entry(nodes.payer)));
                }
                TimeUnit.SECONDS.sleep(1);
                shown = provider.services().rpcClients().stream()
                        .collect(Collectors.toMap(RpcClientView::client, Function.identity()));
                StringBuilder line = new StringBuilder(String.format("  %6d", second));
                for (int n = 0; n < names.size(); n++) {
                    int load = n - (names.size() - loads.size()); // the paying client's load starts later
                    long answered = load < 0 ? 0 : loads.get(load).answered.get();
                    RpcClientView view = shown.get(RpcNodes.address(nodes.clients().get(n)));
                    line.append(String.format(" | %-4s %5s units/s %4d req/s", view == null ? "-" : view.tier(),
                            view == null ? "-" : Long.toString(view.capacity()), answered - before[n]));
                    before[n] = answered;
                }
                out.println(line);
            }
        } finally {
            for (Load load : loads) {
                load.stop();
            }
        }
        List<Client> clients = new ArrayList<>();
        for (int n = 0; n < names.size(); n++) {
            Address address = RpcNodes.address(nodes.clients().get(n));
            RpcClientView view = Objects.requireNonNull(shown.get(address), names.get(n) + " was never served");
            Load load = loads.get(n);
            clients.add(new Client(names.get(n), address, view.tier(), view.capacity(), load.answered.get(),
                    load.refused.get()));
            out.printf("  %-7s %s: %s at %d units/s, %d requests answered, %d refused%n", names.get(n), address,
                    view.tier(), view.capacity(), load.answered.get(), load.refused.get());
        }
        return clients;
    }

    /**
     * Each client's ledger on both sides, once the client owes nothing and both sides agree — and both stood still
     * for {@link #STILL_FOR}, several of the provider's accounting ticks, so it has priced its last requests (a busy
     * machine delays a tick; two looks 50 ms apart are not enough). If they do not agree
     * within 30 s, as they stand then: the demo shows the mismatch and exits non-zero.
     */
    private static List<Ledger> settledLedgers(RpcNodes nodes, List<String> names) throws InterruptedException {
        AtomicReference<List<Ledger>> last = new AtomicReference<>(List.of());
        AtomicLong changedAt = new AtomicLong(System.nanoTime());
        BooleanSupplier settled = () -> {
            List<Ledger> now = new ArrayList<>();
            for (int n = 0; n < names.size(); n++) {
                TurnpikeNode client = nodes.clients().get(n);
                PeerView atClient = RpcNodes.atClient(client);
                PeerView atProvider = nodes.atProvider(client).orElseThrow();
                long channelId = atClient.channelId().orElseThrow();
                Amount carried = nodes.provider.channel(channelId).orElseThrow().received()
                        .map(proof -> proof.message().transferred()).orElse(Amount.ZERO);
                now.add(new Ledger(names.get(n), atClient.used(), atClient.paid(), atProvider.used(),
                        atProvider.paid(), carried));
            }
            if (!now.equals(last.getAndSet(now))) {
                changedAt.set(System.nanoTime());
            }
            boolean stoodStill = System.nanoTime() - changedAt.get() >= STILL_FOR.toNanos();
            return stoodStill && now.stream().allMatch(Ledger::agrees);
        };
        try {
            DemoNodes.await(settled, Duration.ofSeconds(30));
        } catch (IllegalStateException neverAgreed) {
            settled.getAsBoolean();
        }
        return last.get();
    }

    /** The demo stops if an answer through the front is not the chain's own. */
    private void sameAsAnvil(String throughEntry, String direct) {
        if (!throughEntry.equals(direct)) {
            throw new IllegalStateException("through the entry " + throughEntry + ", from anvil itself " + direct);
        }
        out.println("  the same as anvil's own answer");
    }

    private static Amount income(List<Ledger> ledgers) {
        return ledgers.stream().map(Ledger::paidToProvider).reduce(Amount.ZERO, Amount::plus);
    }

    /** Runs the pinned cast and returns what it printed. */
    private String cast(String... args) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(ToolPaths.cast().toString()));
        command.addAll(List.of(args));
        out.println("$ cast " + String.join(" ", args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("cast " + String.join(" ", args) + " failed: " + output);
            }
            out.println("  " + output);
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void report(Result r) {
        step("On-chain ETH balances, to the wei");
        for (BandwidthDemo.Party p : List.of(r.provider(), r.payer())) {
            out.printf("  %-8s %s wei -> %s wei (gas %s wei)%n", p.name(), p.before().value(), p.after().value(),
                    p.gas().value());
        }
        out.printf("  %s provider: after = before + channel %s - gas%n",
                r.provider().checksOut() ? "OK      " : "MISMATCH", r.channelPaid().value());
        out.printf("  %s paying client: after = before - channel %s - gas%s%n",
                r.payer().checksOut() ? "OK      " : "MISMATCH", r.channelPaid().value(),
                r.heldAgain().isZero() ? "" : " - " + r.heldAgain().value() + " held in its next channel");
        out.println(r.balancesCheckOut() ? "Balances check out to the wei." : "Balances do NOT check out.");
    }

    private void step(String text) {
        out.println("== " + text);
    }

    /**
     * Programs loading a client's entry: each sends eth_blockNumber after eth_blockNumber, and the answers are counted.
     * Two at once, so the client's capacity sets the pace rather than one request's round trip.
     */
    private static final class Load {
        final AtomicLong answered = new AtomicLong();
        final AtomicLong refused = new AtomicLong();
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        private final HttpRequest request;
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Load(URI entry) {
            request = HttpRequest.newBuilder(entry).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(BLOCK_NUMBER)).build();
            for (int n = 0; n < 2; n++) {
                threads.add(Thread.ofPlatform().daemon().name("rpc-demo-load").start(this::loop));
            }
        }

        private void loop() {
            while (running) {
                try {
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    boolean served = answer.statusCode() == 200 && answer.body().contains("\"result\"");
                    (served ? answered : refused).incrementAndGet();
                } catch (IOException e) {
                    refused.incrementAndGet();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** Stops after the request under way is answered, so every request sent is counted and metered. */
        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join();
            }
            http.close();
        }
    }
}
