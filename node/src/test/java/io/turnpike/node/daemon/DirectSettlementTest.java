package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.Eip1559Transaction;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Funds;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Statement;
import io.turnpike.protocol.PeerMessage.Transfer;
import io.turnpike.store.SentTransfer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct settlement: a client without a channel pays each amount owed by a plain on-chain transfer and names the
 * transaction in a {@code transfer}; the provider credits it only as the chain shows it, and only once. Real
 * nodes, real curl through the relay, hand-driven peers for what an honest client never sends, on anvil.
 */
class DirectSettlementTest {

    private static final int BODY = 3 * 1024 * 1024;
    private static final Amount PAYMENT = Amount.parse("0.001", 18);
    private static final Duration SETTLED_WITHIN = Duration.ofSeconds(60);

    @TempDir
    Path folder;

    private final List<TurnpikeNode> running = new ArrayList<>();
    private Downloads target;
    private Funds funds;
    private Chain chain;
    private TestNodes nodes;

    @BeforeEach
    void setUp() {
        target = new Downloads(BODY);
        funds = new Funds(SharedAnvil.get());
        chain = SharedAnvil.get().connect();
        nodes = new TestNodes(SharedAnvil.get(), folder);
    }

    @AfterEach
    void tearDown() {
        List.copyOf(running).reversed().forEach(this::stop);
        target.close();
        funds.close();
        chain.close();
    }

    @Test
    void aDirectClientPaysTheProviderOnChainExactlyWhatItMeteredAndNeitherForgetsItAfterARestart() throws Exception {
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int socks = FreePort.take();
        configurePair(providerDir, clientDir, socks, "", "");
        TurnpikeNode provider = start(providerDir);
        Amount providerBalanceBefore = chain.balance(providerDir.address());
        TurnpikeNode client = start(clientDir);
        Downloads.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(), SETTLED_WITHIN);

        // Two downloads, each paid by its own transaction once the first is acknowledged.
        assertThat(target.fetchThrough(socks)).isEqualTo(BODY);
        awaitSettled(client, provider, 1);
        assertThat(target.fetchThrough(socks)).isEqualTo(BODY);
        awaitSettled(client, provider, 2);
        PeerView atClient = single(client.payments().orElseThrow().views());
        PeerView atProvider = single(provider.provider().orElseThrow().views());
        assertThat(atProvider.used()).isEqualTo(atClient.used()).isGreaterThanOrEqualTo(Amount.of(2000L * BODY));
        assertThat(atProvider.paid()).isEqualTo(atClient.paid()).isEqualTo(atProvider.used());
        // Paid by the client's own transactions, no channel: the provider's balance rose by exactly what it credited.
        assertThat(chain.balance(providerDir.address()).minus(providerBalanceBefore)).isEqualTo(atProvider.paid());
        assertThat(provider.context().store().transfers().receivedTotal(clientDir.address(), Address.ZERO))
                .isEqualTo(atProvider.paid());
        assertThat(provider.channels()).isEmpty();
        assertThat(client.channels()).isEmpty();

        stop(client);
        stop(provider);
        TurnpikeNode restartedProvider = start(providerDir);
        TurnpikeNode restartedClient = start(clientDir);
        Downloads.await(() -> restartedClient.providerChoice().chosen(BandwidthService.NAME).isPresent()
                && restartedProvider.provider().orElseThrow().views().size() == 1, SETTLED_WITHIN);

        // Both read what was paid back from their stores, so nothing is owed and nothing is paid twice.
        PeerView clientAfter = single(restartedClient.payments().orElseThrow().views());
        PeerView providerAfter = single(restartedProvider.provider().orElseThrow().views());
        assertThat(providerAfter.paid()).isEqualTo(atProvider.paid());
        assertThat(providerAfter.owed()).isEqualTo(Amount.ZERO);
        assertThat(clientAfter.paid()).isEqualTo(atClient.paid());
        assertThat(clientAfter.owed()).isEqualTo(Amount.ZERO);
        assertThat(chain.balance(providerDir.address()).minus(providerBalanceBefore)).isEqualTo(atProvider.paid());
    }

    @Test
    void aClientPayingInATokenPaysByTheTokensTransferExactlyWhatWasMetered() throws Exception {
        Asset token = funds.deployToken("TT");
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        funds.mint(token, clientDir.address(), "10");
        int socks = FreePort.take();
        configurePair(providerDir, clientDir, socks, "", "\ntokens = [{symbol = \"TT\", address = \"" + token.token()
                + "\", decimals = 18}]\nasset = \"TT\"");
        TurnpikeNode provider = start(providerDir);
        TurnpikeNode client = start(clientDir);
        Downloads.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(), SETTLED_WITHIN);

        assertThat(target.fetchThrough(socks)).isEqualTo(BODY);

        awaitSettled(client, provider, 1);
        PeerView atClient = single(client.payments().orElseThrow().views());
        PeerView atProvider = single(provider.provider().orElseThrow().views());
        assertThat(atProvider.paid()).isEqualTo(atClient.paid()).isEqualTo(atProvider.used())
                .isGreaterThanOrEqualTo(Amount.of(1000L * BODY));
        assertThat(funds.balance(providerDir.address(), token)).isEqualTo(atProvider.paid());
        assertThat(funds.balance(clientDir.address(), token))
                .isEqualTo(Amount.parse("10", 18).minus(atClient.paid()));
    }

    @Test
    void aTransferStillHeldWhenBothNodesRestartIsNamedAgainAndCreditedOnce() throws Exception {
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int socks = FreePort.take();
        configurePair(providerDir, clientDir, socks, "\nchain.confirmations = 3", "");
        TurnpikeNode provider = start(providerDir);
        Amount providerBalanceBefore = chain.balance(providerDir.address());
        TurnpikeNode client = start(clientDir);
        Downloads.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(), SETTLED_WITHIN);
        assertThat(target.fetchThrough(socks)).isEqualTo(BODY);

        // A new key is served at the free tier until a payment of it counts: its first, small one is credited once
        // blocks come. The next one carries the rest of the body.
        Downloads.await(() -> {
            boolean staked = single(provider.provider().orElseThrow().views()).paid().isGreaterThan(Amount.ZERO);
            if (!staked) {
                SharedAnvil.get().mine(1);
            }
            return staked;
        }, SETTLED_WITHIN);
        // That one counts for the client (1 block) but not yet for the provider (3): it is held.
        Downloads.await(() -> sentAllItOwes(single(client.payments().orElseThrow().views()))
                && !client.context().store().transfers().listSentUnfinished().isEmpty()
                && client.context().store().transfers().listSentUnfinished().stream()
                        .allMatch(t -> t.state() == SentTransfer.State.CONFIRMED), SETTLED_WITHIN);
        stop(client);
        stop(provider);
        SharedAnvil.get().mine(2);
        TurnpikeNode restartedProvider = start(providerDir);
        TurnpikeNode restartedClient = start(clientDir);

        // Only the client naming it again tells the restarted provider of it.
        awaitSettled(restartedClient, restartedProvider, 1);
        PeerView atProvider = single(restartedProvider.provider().orElseThrow().views());
        assertThat(atProvider.paid()).isEqualTo(single(restartedClient.payments().orElseThrow().views()).paid())
                .isGreaterThanOrEqualTo(Amount.of(1000L * BODY));
        assertThat(chain.balance(providerDir.address()).minus(providerBalanceBefore)).isEqualTo(atProvider.paid());
        assertThat(restartedClient.context().store().transfers().listSentUnfinished()).isEmpty();
    }

    @Test
    void aTransferIsCreditedOnlyForATransactionThatPaysThisNodeAsStatedAndNeverTwice() throws Exception {
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        int peerPort = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(peerPort, FreePort.take(), "1000", "1000000000", 125_000));
        TurnpikeNode provider = start(providerDir);
        Address self = providerDir.address();
        PrivateKey aliceKey = fundedKey();
        PrivateKey malloryKey = fundedKey();
        ChainAccount alice = chain.account(aliceKey);

        try (RawPeer a = RawPeer.connect(aliceKey, nodes.contract.domain(), peerPort, self);
                RawPeer m = RawPeer.connect(malloryKey, nodes.contract.domain(), peerPort, self)) {
            Bytes32 paid = hash(alice.transfer(self, PAYMENT));
            a.send(new Transfer(paid, PAYMENT, Asset.ETH));
            statementCounting(a, PAYMENT);

            // The same transaction named again, by its sender or by anyone else, is refused.
            assertRefused(a, new Transfer(paid, PAYMENT, Asset.ETH), "transfer_seen");
            assertRefused(m, new Transfer(paid, PAYMENT, Asset.ETH), "transfer_seen");
            // Transactions that do not pay this node what the transfer states are refused.
            Bytes32 elsewhere = hash(alice.transfer(malloryKey.address(), PAYMENT));
            assertRefused(a, new Transfer(elsewhere, PAYMENT, Asset.ETH), "transfer_mismatch");
            Bytes32 less = hash(alice.transfer(self, PAYMENT.minus(Amount.of(1))));
            assertRefused(a, new Transfer(less, PAYMENT, Asset.ETH), "transfer_mismatch");
            Bytes32 alicesPayment = hash(alice.transfer(self, PAYMENT));
            assertRefused(m, new Transfer(alicesPayment, PAYMENT, Asset.ETH), "transfer_mismatch");
            Bytes32 failed = revertedTransaction(aliceKey, nodes.contract.address());
            assertThat(assertRefused(a, new Transfer(failed, PAYMENT, Asset.ETH), "transfer_mismatch").message())
                    .contains("failed on chain");

            assertThat(paid(provider, aliceKey.address())).isEqualTo(PAYMENT);
            assertThat(paid(provider, malloryKey.address())).isEqualTo(Amount.ZERO);
            for (Bytes32 refused : List.of(elsewhere, less, alicesPayment, failed)) {
                assertThat(provider.context().store().transfers().received(refused)).isEmpty();
            }
            // A refusal changed nothing: Alice's own payment is still credited when she names it.
            a.send(new Transfer(alicesPayment, PAYMENT, Asset.ETH));
            statementCounting(a, PAYMENT.times(2));
        }
        assertThat(paid(provider, aliceKey.address())).isEqualTo(PAYMENT.times(2));
        assertThat(provider.context().store().transfers().receivedTotal(aliceKey.address(), Address.ZERO))
                .isEqualTo(PAYMENT.times(2));
    }

    @Test
    void aTransferWhoseTransactionIsNotDeepEnoughIsHeldAndCreditedOnceWhenItIs() throws Exception {
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        int peerPort = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(peerPort, FreePort.take(), "1000", "1000000000", 125_000)
                + "\nchain.confirmations = 3");
        TurnpikeNode provider = start(providerDir);
        Address self = providerDir.address();
        PrivateKey aliceKey = fundedKey();
        ChainAccount alice = chain.account(aliceKey);

        Transfer transfer = new Transfer(hash(alice.transfer(self, PAYMENT)), PAYMENT, Asset.ETH);
        try (RawPeer a = RawPeer.connect(aliceKey, nodes.contract.domain(), peerPort, self)) {
            a.send(transfer);
            a.sessionToken(); // answered in order: the transfer before it has been handled
            assertThat(paid(provider, aliceKey.address())).isEqualTo(Amount.ZERO);

            SharedAnvil.get().mine();
            a.send(transfer); // two blocks deep, named again: still held
            a.sessionToken();
            assertThat(paid(provider, aliceKey.address())).isEqualTo(Amount.ZERO);
            assertThat(provider.context().store().transfers().received(transfer.txHash())).isEmpty();

            SharedAnvil.get().mine();
            // Three deep: credited on the accounting tick, without being named again, and acknowledged.
            statementCounting(a, PAYMENT);
            assertRefused(a, transfer, "transfer_seen");
        }
        assertThat(paid(provider, aliceKey.address())).isEqualTo(PAYMENT);
        assertThat(provider.context().store().transfers().received(transfer.txHash())).isPresent();
    }

    // ---------------------------------------------------------------- helpers

    private void configurePair(DataDirs.Initialised providerDir, DataDirs.Initialised clientDir, int socks,
                               String providerOnly, String shared) {
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, "1000", "1000000000", 125_000) + providerOnly
                + shared);
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), providerPeer, relay, FreePort.take(),
                socks, "1s", "direct") + shared);
    }

    private TurnpikeNode start(DataDirs.Initialised dir) {
        TurnpikeNode node = nodes.start(dir);
        running.add(node);
        return node;
    }

    private void stop(TurnpikeNode node) {
        running.remove(node);
        node.close();
        node.context().close();
    }

    /**
     * Until {@code downloads} bodies are metered, the client owes nothing and has nothing in flight, and the provider
     * counts everything used as paid.
     */
    private static void awaitSettled(TurnpikeNode client, TurnpikeNode provider, int downloads)
            throws InterruptedException {
        Downloads.await(() -> {
            List<PeerView> atClient = client.payments().orElseThrow().views();
            List<PeerView> atProvider = provider.provider().orElseThrow().views();
            return atClient.size() == 1 && atProvider.size() == 1
                    && !atClient.get(0).used().isLessThan(Amount.of(1000L * BODY * downloads))
                    && atClient.get(0).owed().isZero() && atClient.get(0).inFlight().isZero()
                    && atProvider.get(0).used().equals(atClient.get(0).used())
                    && atProvider.get(0).paid().equals(atProvider.get(0).used());
        }, SETTLED_WITHIN);
    }

    private PrivateKey fundedKey() {
        PrivateKey key = PrivateKey.random(new SecureRandom());
        funds.sendEther(key.address(), "1");
        return key;
    }

    /** A transaction from {@code key} that is mined but fails: a call the contract does not have. */
    private Bytes32 revertedTransaction(PrivateKey key, Address contract) throws InterruptedException {
        Eip1559Transaction tx = new Eip1559Transaction(chain.chainId(), chain.pendingNonce(key.address()), 100_000,
                contract, PAYMENT, "0xdeadbeef", chain.feeQuote());
        Bytes32 hash = chain.sendRawTransaction(tx.sign(key));
        Downloads.await(() -> chain.receipt(hash).isPresent(), SETTLED_WITHIN);
        assertThat(chain.receipt(hash).orElseThrow().isStatusOK()).isFalse();
        return hash;
    }

    private static ErrorMessage assertRefused(RawPeer peer, Transfer transfer, String code) throws InterruptedException {
        peer.send(transfer);
        ErrorMessage refusal = (ErrorMessage) peer.answer();
        assertThat(refusal.code()).as(refusal.message()).isEqualTo(code);
        return refusal;
    }

    /** The provider's acknowledgement: the first statement whose paid figure is {@code paid}. */
    private static Statement statementCounting(RawPeer peer, Amount paid) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLED_WITHIN.toNanos();
        while (true) {
            Statement statement = peer.next(Statement.class);
            if (statement.paid().equals(paid)) {
                return statement;
            }
            assertThat(System.nanoTime()).as("a statement counting %s as paid", paid).isLessThan(deadline);
        }
    }

    private static Amount paid(TurnpikeNode provider, Address client) {
        return provider.provider().orElseThrow().views().stream().filter(v -> v.address().equals(client))
                .map(PeerView::paid).findFirst().orElse(Amount.ZERO);
    }

    private static Bytes32 hash(TxReceipt receipt) {
        return Bytes32.fromHex(receipt.hash());
    }

    /** The client metered the whole body, and everything it owes for it is paid or on its way. */
    private static boolean sentAllItOwes(PeerView atClient) {
        return !atClient.used().isLessThan(Amount.of(1000L * BODY))
                && atClient.owed().saturatingMinus(atClient.inFlight()).isZero();
    }

    private static PeerView single(List<PeerView> views) {
        assertThat(views).hasSize(1);
        return views.get(0);
    }
}
