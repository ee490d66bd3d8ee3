package io.turnpike.node.demo;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.NodeHome;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.BandwidthDemo.Party;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.node.tower.TowerHoldings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The watchtower demo ({@code --scenario cheat}): a client pays a provider over a channel for data fetched through
 * the paid relay, and the provider's node hands each newest proof to a watchtower for a reward. Then the provider
 * goes offline and the client closes the channel on chain with a stale state, one in which it paid nothing. The
 * tower puts the client's newest proof on chain inside its window; when the challenge period is over the channel
 * settles. The provider gets what it was paid minus the reward, the tower the reward, and every party's balance is
 * checked to the wei against the gas its own transactions cost.
 */
public final class CheatDemo {

    private static final Amount FUNDING = Amount.parse("10", 18);
    private static final Amount REWARD = Amount.parse("0.0005", 18);
    /** The shortest challenge period the demo's deployment takes: the close is answered within seconds. */
    private static final long CHALLENGE_PERIOD = 60;
    /** The tower leaves the node the first 20 % of a challenge period to answer by itself, reward-free. */
    private static final int WINDOW_START_PERCENT = 20;
    private static final long BYTES_PER_SECOND = 6L * 1024 * 1024;

    /**
     * @param paid what the client's newest proof pays the provider
     * @param nonce that proof's nonce, which the tower put on chain
     */
    public record Result(Party client, Party provider, Party tower, Amount paid, Amount reward, long channelId,
                         long nonce) {
        public boolean balancesCheckOut() {
            return client.checksOut() && provider.checksOut() && tower.checksOut();
        }
    }

    private final Anvil anvil;
    private final Path workDir;
    private final PrintStream out;

    public CheatDemo(Anvil anvil, Path workDir, PrintStream out) {
        this.anvil = anvil;
        this.workDir = workDir;
        this.out = out;
    }

    public Result run(int megabytes) throws Exception {
        Chain chain = anvil.connect();
        ChainAccount operator = chain.account(anvil.devKeys().get(0));
        step("Deploying TurnpikeChannels on anvil (chain id " + anvil.chainId() + ")");
        ChannelsContract contract = ChannelsContract.deploy(operator, CHALLENGE_PERIOD, 30L * 24 * 3600);
        out.printf("  contract %s%n", contract.address());

        SecureRandom random = new SecureRandom();
        NodeHome providerHome = DemoNodes.home(workDir.resolve("provider"), operator, FUNDING, random);
        NodeHome clientHome = DemoNodes.home(workDir.resolve("client"), operator, FUNDING, random);
        PrivateKey towerKey = PrivateKey.random(random);
        operator.transfer(towerKey.address(), FUNDING);
        Address providerAddress = providerHome.keystore().address();
        Address clientAddress = clientHome.keystore().address();
        long startBlock = chain.head();
        Amount clientBefore = chain.balance(clientAddress);
        Amount providerBefore = chain.balance(providerAddress);
        Amount towerBefore = chain.balance(towerKey.address());

        step("Starting a watchtower as its own process, as ./turnpike tower runs one");
        try (TowerProcess tower = TowerProcess.start(workDir.resolve("tower"), towerKey, anvil, contract.address(),
                WINDOW_START_PERCENT)) {
            out.printf("  tower    %s at %s; it answers a close once %d %% of the challenge period has passed, "
                    + "leaving the node the first chance%n", tower.address(), tower.url(), WINDOW_START_PERCENT);
            int providerPeer = FreePort.take();
            int relay = FreePort.take();
            int socks = FreePort.take();
            String onChain = DemoNodes.onChain(anvil, contract.address());
            DemoNodes.configure(providerHome, onChain + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                    + DemoNodes.provider(relay, "1000000000", "2000000000000000", "statement-interval = 2s", "")
                    + "towers = [{url = \"" + tower.url() + "\", address = \"" + tower.address() + "\", reward = \""
                    + REWARD.value() + "\"}]\ntower-upload-interval = 1s");
            DemoNodes.configure(clientHome, onChain + "peer { bind = \"127.0.0.1\", port = " + FreePort.take()
                    + " }\nclient { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \""
                    + providerAddress + "\", relay = \"127.0.0.1:" + relay + "\"}], socks-port = " + socks
                    + ", deposit = \"0.05\", pay-interval = 1s, challenge-period = " + CHALLENGE_PERIOD + "s }");

            step("Starting the provider (1 gwei per byte; it offers the tower " + Asset.ETH.format(REWARD)
                    + " to answer a stale close) and the client");
            out.printf("  provider %s%n  client   %s%n", providerAddress, clientAddress);
            List<TurnpikeNode> running = new ArrayList<>();
            ContentServer content = ContentServer.start(BYTES_PER_SECOND);
            try {
                TurnpikeNode provider = DemoNodes.start(providerHome, false);
                running.add(provider);
                TurnpikeNode buyer = DemoNodes.start(clientHome, false);
                running.add(buyer);
                DemoNodes.await(() -> buyer.providerChoice().chosen(BandwidthService.NAME).isPresent(), Duration.ofSeconds(60));
                long channelId = new RunningNodeControl(buyer).channels().get(0).channelId();
                out.printf("  the client opened channel #%d, challenge period %d s%n", channelId, CHALLENGE_PERIOD);

                step("Fetching " + megabytes + " MiB through the paid relay");
                AtomicLong fetched = new AtomicLong();
                DemoNodes.fetch(socks, content, (long) megabytes * 1024 * 1024, fetched);
                DemoNodes.await(() -> {
                    var atClient = buyer.payments().orElseThrow().views().get(0);
                    var atProvider = provider.provider().orElseThrow().views().get(0);
                    return atClient.used().isGreaterThan(Amount.ZERO) && atClient.owed().isZero()
                            && atProvider.used().equals(atClient.used()) && atProvider.paid().equals(atProvider.used());
                }, Duration.ofSeconds(30));
                BalanceProof newest = buyer.channel(channelId).orElseThrow().sent().orElseThrow().message();
                out.printf("  %,d bytes; the client's newest proof, #%d, pays the provider %s%n", fetched.get(),
                        newest.nonce(), Asset.ETH.format(newest.transferred()));
                DemoNodes.await(() -> held(provider, channelId) == newest.nonce(), Duration.ofSeconds(30));
                out.printf("  the tower holds proof #%d: its receipt, signed by %s, checked by the provider%n",
                        newest.nonce(), tower.address());

                step("The provider goes offline");
                DemoNodes.stop(provider);
                running.remove(provider);

                step("The client cheats: it closes channel #" + channelId + " on chain with a stale state");
                new RunningNodeControl(buyer).closeChannel(channelId, true);
                ChannelEvent.ChannelClosed closed = event(chain, contract, ChannelEvent.ChannelClosed.class, channelId);
                out.printf("  the chain now counts the client as having paid %s; unanswered, the channel would give it "
                                + "back all %s at settlement, %d s from now%n",
                        Asset.ETH.format(contract.participant(channelId, clientAddress).transferred()),
                        Asset.ETH.format(newest.transferred()), closed.settleAt() - chainTime(chain));

                step("The watchtower answers within its window");
                DemoNodes.await(() -> contract.participant(channelId, clientAddress).nonce() == newest.nonce(),
                        Duration.ofSeconds(CHALLENGE_PERIOD));
                ChannelEvent.NonClosingProofUpdated update =
                        event(chain, contract, ChannelEvent.NonClosingProofUpdated.class, channelId);
                out.printf("  %d s after the close, the tower %s put proof #%d on chain: the client paid %s; reward %s%n",
                        chainTime(chain) - (closed.settleAt() - CHALLENGE_PERIOD), update.monitor(), update.nonce(),
                        Asset.ETH.format(update.transferred()), Asset.ETH.format(update.reward()));

                step("The challenge period ends (anvil's clock moves on); the client's node settles the channel");
                anvil.advanceTime(Math.max(1, closed.settleAt() - chainTime(chain) + 1));
                DemoNodes.await(() -> contract.channel(channelId).status() == ChannelsContract.Status.SETTLED,
                        Duration.ofSeconds(30));
                ChannelEvent.ChannelSettled settled =
                        event(chain, contract, ChannelEvent.ChannelSettled.class, channelId);
                out.printf("  payouts: client %s, provider %s, tower %s%n", Asset.ETH.format(settled.payoutA()),
                        Asset.ETH.format(settled.payoutB()), Asset.ETH.format(settled.monitorReward()));

                Amount paid = newest.transferred();
                Amount clientGas = DemoNodes.gasSpent(chain, clientAddress, startBlock);
                Amount providerGas = DemoNodes.gasSpent(chain, providerAddress, startBlock);
                Amount towerGas = DemoNodes.gasSpent(chain, tower.address(), startBlock);
                Result result = new Result(
                        new Party("client", clientAddress, clientBefore, chain.balance(clientAddress), clientGas,
                                clientBefore.minus(paid).minus(clientGas)),
                        new Party("provider", providerAddress, providerBefore, chain.balance(providerAddress),
                                providerGas, providerBefore.plus(paid).minus(REWARD).minus(providerGas)),
                        new Party("tower", tower.address(), towerBefore, chain.balance(tower.address()), towerGas,
                                towerBefore.plus(REWARD).minus(towerGas)),
                        paid, REWARD, channelId, newest.nonce());
                report(result);
                return result;
            } finally {
                content.close();
                running.forEach(DemoNodes::stop);
            }
        }
    }

    private void report(Result r) {
        step("On-chain ETH balances");
        for (Party p : List.of(r.client(), r.provider(), r.tower())) {
            out.printf("  %-8s %s -> %s (gas %s)%n", p.name(), Asset.ETH.format(p.before()), Asset.ETH.format(p.after()),
                    Asset.ETH.format(p.gas()));
        }
        out.printf("  %s client: after = before - paid - gas%n", mark(r.client()));
        out.printf("  %s provider: after = before + paid - reward - gas%n", mark(r.provider()));
        out.printf("  %s tower: after = before + reward - gas%n", mark(r.tower()));
        out.println(r.balancesCheckOut() ? "Balances check out to the wei." : "Balances do NOT check out.");
    }

    private static String mark(Party party) {
        return party.checksOut() ? "OK      " : "MISMATCH";
    }

    /** The newest nonce of {@code channelId} the provider's tower acknowledged with a checked receipt, or -1. */
    private static long held(TurnpikeNode provider, long channelId) {
        return provider.towerHoldings().stream().map(TowerHoldings::heldNonces)
                .map(nonces -> nonces.getOrDefault(channelId, -1L)).findFirst().orElse(-1L);
    }

    private static long chainTime(Chain chain) {
        return chain.latestBlock().getTimestamp().longValueExact();
    }

    /** The contract's event of {@code type} for {@code channelId}; each happens once in a channel's life. */
    private static <E extends ChannelEvent> E event(Chain chain, ChannelsContract contract, Class<E> type,
                                                    long channelId) {
        return chain.logs(contract.address(), 1, chain.head()).stream()
                .map(ChannelsContract::decode).flatMap(Optional::stream)
                .filter(type::isInstance).map(type::cast)
                .filter(e -> e.channelId() == channelId)
                .findFirst().orElseThrow();
    }

    private void step(String text) {
        out.println("== " + text);
    }
}
