package io.turnpike.node.demo;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.Plan;
import io.turnpike.chain.market.ProviderRecord;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.mailbox.Access;
import io.turnpike.node.NodeHome;
import io.turnpike.node.daemon.TurnpikeNode;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * A mail-server operator's node and two of its users on a local chain, with a TurnpikeMarket: the provider is
 * registered with a monthly plan in ether and serves mailboxes to that plan's subscribers; Alice's and Bob's data
 * directories (no running node: they use the {@code turnpike} commands) are funded and set to the same chain and
 * market. What the mailbox demo and its tests run on.
 */
public final class MailboxNodes implements AutoCloseable {

    public static final long PLAN = 1;
    public static final long MONTH = 30L * 24 * 3600;
    /** The plan's monthly fee: 0.01 ETH. */
    public static final Amount MONTHLY_FEE = Amount.parse("0.01", 18);
    public static final Duration GRACE = Duration.ofDays(7);
    private static final Amount ETHER = Amount.parse("10", 18);

    public final Anvil anvil;
    public final Chain chain;
    public final MarketContract market;
    public final TurnpikeNode provider;
    public final NodeHome alice;
    public final NodeHome bob;
    /** The block before the users' first transaction: gas is counted from there. */
    public final long startBlock;

    private MailboxNodes(Anvil anvil, Chain chain, MarketContract market, TurnpikeNode provider, NodeHome alice,
                         NodeHome bob, long startBlock) {
        this.anvil = anvil;
        this.chain = chain;
        this.market = market;
        this.provider = provider;
        this.alice = alice;
        this.bob = bob;
        this.startBlock = startBlock;
    }

    /**
     * Deploys the contracts, registers the provider with {@link #PLAN}, and starts its node in {@code work}.
     *
     * @param confirmations how deep a subscription must be before the provider honours it
     * @param moreMailbox added to the provider's mailbox settings
     */
    public static MailboxNodes start(Anvil anvil, Path work, int confirmations, String moreMailbox) {
        Chain chain = anvil.connect();
        ChainAccount operator = chain.account(anvil.devKeys().get(0));
        ChannelsContract channels = ChannelsContract.deploy(operator, 60, 30L * 24 * 3600);
        MarketContract market = MarketContract.deploy(operator, 7 * 24 * 3600);
        SecureRandom random = new SecureRandom();
        NodeHome providerHome = DemoNodes.home(work.resolve("provider"), operator, ETHER, random);
        NodeHome alice = DemoNodes.home(work.resolve("alice"), operator, ETHER, random);
        NodeHome bob = DemoNodes.home(work.resolve("bob"), operator, ETHER, random);
        int peerPort = FreePort.take();
        ChainAccount seller = chain.account(providerHome.keystore().unlock(DemoNodes.PASSPHRASE));
        market.register(seller, new ProviderRecord("ws://127.0.0.1:" + peerPort,
                List.of(),
                List.of(new Plan(PLAN, Address.ZERO, MONTHLY_FEE, MONTH))), Amount.ZERO);
        String common = DemoNodes.onChain(anvil, channels.address()) + "chain { market = \"" + market.address()
                + "\", confirmations = " + confirmations + " }\n";
        DemoNodes.configure(providerHome, common + "peer { bind = \"127.0.0.1\", port = " + peerPort + " }\n"
                + "provider { enabled = true\n  services.bandwidth.enabled = false\n"
                + "  services.mailbox { enabled = true, port = " + FreePort.take() + ", grace = "
                + GRACE.toDays() + "d, sweep-interval = 100ms\n"
                + "    plans = [{plan-id = " + PLAN + ", retention = 90d, quota = 1MiB}]\n" + moreMailbox + " } }\n");
        DemoNodes.configure(alice, common);
        DemoNodes.configure(bob, common);
        long startBlock = chain.head();
        try {
            return new MailboxNodes(anvil, chain, market, DemoNodes.start(providerHome, false), alice, bob,
                    startBlock);
        } catch (RuntimeException e) {
            chain.close();
            throw e;
        }
    }

    public Address providerAddress() {
        return provider.context().key().address();
    }

    /** The provider's mailbox API, as {@code turnpike mail --provider} takes it. */
    public URI mailbox() {
        return URI.create("http://127.0.0.1:" + provider.mailboxPort().orElseThrow());
    }

    /** What {@code owner}'s mailbox may do now, as the provider node decides it. */
    public Access access(Address owner) {
        return provider.mailbox().orElseThrow().access(owner);
    }

    /** Until when {@code owner}'s subscription to {@link #PLAN} runs on chain (unix seconds; 0: never). */
    public long expiresAt(Address owner) {
        return market.expiresAt(owner, providerAddress(), PLAN);
    }

    /** The chain's time now: the newest block's. */
    public long chainNow() {
        return chain.latestBlock().getTimestamp().longValueExact();
    }

    /** Moves the chain's clock to {@code unixSeconds} (a block is mined then) and waits until the provider saw it. */
    public void travelTo(long unixSeconds) throws InterruptedException {
        anvil.advanceTime(unixSeconds - chainNow());
        long target = chainNow();
        DemoNodes.await(() -> provider.mailbox().orElseThrow().now().getEpochSecond() >= target,
                Duration.ofSeconds(30));
    }

    /** What {@code who}'s own transactions since the start cost. */
    public Amount gasSpent(Address who) {
        return DemoNodes.gasSpent(chain, who, startBlock);
    }

    @Override
    public void close() {
        try {
            DemoNodes.stop(provider);
        } finally {
            chain.close();
        }
    }
}
