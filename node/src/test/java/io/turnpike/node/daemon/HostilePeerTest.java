package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.protocol.PeerCodec;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider node facing a peer that misbehaves on purpose, over the real protocol: every hostile message is
 * answered with an error carrying its stable code, and none of them moves the provider's money — neither the
 * proof it holds for the peer's channel nor what it counts the peer as having paid.
 */
class HostilePeerTest {

    private static final Amount DEPOSIT = Amount.of(1_000_000);
    private static final long CHALLENGE_PERIOD = 60;

    @TempDir
    static Path folder;

    private static TestNodes nodes;
    private static TurnpikeNode provider;

    private PrivateKey key;
    private long channelId;
    private RawPeer peer;

    @BeforeAll
    static void startProvider() {
        nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised dir = nodes.datadir("provider", 1);
        nodes.configure(dir, TestNodes.provider(FreePort.take(), FreePort.take(), "1000", "1000000000",
                125_000));
        provider = nodes.start(dir);
    }

    @AfterAll
    static void stopProvider() {
        if (provider != null) {
            provider.close();
            provider.context().close();
        }
    }

    /** A peer with a real channel of {@link #DEPOSIT} wei to the provider, announced and paid once (nonce 1). */
    @BeforeEach
    void connectPeerWithChannel() throws Exception {
        key = TestNodes.newKey();
        channelId = openChannel(key);
        peer = RawPeer.connect(key, nodes.contract.domain(), provider.peerPort(), providerAddress());
        assertThat(peer.announce(channelId).channelId()).isEqualTo(channelId);
        assertThat(peer.pay(peer.proof(channelId, 1, Amount.of(1000)))).isInstanceOf(Receipt.class);
    }

    @AfterEach
    void disconnect() {
        peer.close();
    }

    @Test
    void duplicatedReorderedAndReplayedProofsAreStaleAndChangeNothing() throws Exception {
        Signed<BalanceProof> first = peer.proof(channelId, 1, Amount.of(1000));
        Signed<BalanceProof> second = peer.proof(channelId, 2, Amount.of(2000));
        Signed<BalanceProof> third = peer.proof(channelId, 3, Amount.of(3000));

        assertRefused(first, ErrorCode.STALE_PROOF); // duplicated
        assertThat(peer.pay(third)).isEqualTo(new Receipt(channelId, 3, Amount.of(3000)));
        assertRefused(second, ErrorCode.STALE_PROOF); // arrives after a newer one
        assertRefused(first, ErrorCode.STALE_PROOF); // replayed later
        assertRefused(third, ErrorCode.STALE_PROOF);

        assertThat(storedProof()).contains(third);
        assertThat(paidByPeer()).isEqualTo(Amount.of(3000));
    }

    @Test
    void aProofNotSignedByThePayerIsWrongSigner() throws Exception {
        PrivateKey stranger = TestNodes.newKey();
        Eip712Domain domain = nodes.contract.domain();
        assertRefused(Signed.sign(new BalanceProof(channelId, 2, Amount.of(5000)), domain, stranger),
                ErrorCode.WRONG_SIGNER);
        // The payer's own key, but signed for another chain: on this one it recovers to nobody in the channel.
        Eip712Domain otherChain = Eip712Domain.turnpike(domain.chainId() + 1, domain.verifyingContract());
        assertRefused(Signed.sign(new BalanceProof(channelId, 2, Amount.of(5000)), otherChain, key),
                ErrorCode.WRONG_SIGNER);
        // A valid signature over a proof with a forged amount.
        Signed<BalanceProof> honest = peer.proof(channelId, 2, Amount.of(2000));
        assertRefused(new Signed<>(new BalanceProof(channelId, 2, Amount.of(900_000)), honest.signature()),
                ErrorCode.WRONG_SIGNER);
    }

    @Test
    void aProofForAChannelThePeerDoesNotHoldIsUnknownChannel() throws Exception {
        assertRefused(peer.proof(1_000_000, 2, Amount.of(5000)), ErrorCode.UNKNOWN_CHANNEL);

        // Another client's channel: neither a proof the peer signs for it, nor that client's own proof relayed
        // by this peer, is credited on this peer's connection.
        PrivateKey other = TestNodes.newKey();
        long othersChannel = openChannel(other);
        assertRefused(peer.proof(othersChannel, 1, Amount.of(5000)), ErrorCode.UNKNOWN_CHANNEL);
        assertRefused(Signed.sign(new BalanceProof(othersChannel, 1, Amount.of(5000)), nodes.contract.domain(), other),
                ErrorCode.UNKNOWN_CHANNEL);
        assertThat(provider.channel(othersChannel)).isEmpty();
    }

    @Test
    void aProofBeyondTheDepositIsInsufficientCapacity() throws Exception {
        assertRefused(peer.proof(channelId, 2, DEPOSIT.plus(Amount.of(1))), ErrorCode.INSUFFICIENT_CAPACITY);
        assertRefused(peer.proof(channelId, 2, Amount.of(Amount.MAX_UINT256)), ErrorCode.INSUFFICIENT_CAPACITY);
        // The whole deposit is fine.
        assertThat(peer.pay(peer.proof(channelId, 2, DEPOSIT))).isEqualTo(new Receipt(channelId, 2, DEPOSIT));
        assertThat(paidByPeer()).isEqualTo(DEPOSIT);
    }

    @Test
    void aNewerProofThatPaysLessIsTransferDecreased() throws Exception {
        assertRefused(peer.proof(channelId, 2, Amount.of(999)), ErrorCode.TRANSFER_DECREASED);
        assertRefused(peer.proof(channelId, Long.MAX_VALUE, Amount.ZERO), ErrorCode.TRANSFER_DECREASED);
    }

    @Test
    void messagesBeforeTheHandshakeAreUnauthenticatedAndChangeNothing() throws Exception {
        Optional<Signed<BalanceProof>> before = storedProof();
        Amount paidBefore = paidByPeer();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + provider.peerPort()), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        frames.add(data.toString());
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        assertThat(decode(frames.poll(10, TimeUnit.SECONDS)).type()).isEqualTo("hello");

        // A proof the provider would accept from the authenticated payer, and a session request.
        socket.sendText(PeerCodec.encode(new Pay(peer.proof(channelId, 2, Amount.of(500_000)))), true).join();
        assertThat(errorCode(frames.poll(10, TimeUnit.SECONDS))).isEqualTo(ErrorCode.UNAUTHENTICATED.code());
        socket.sendText(PeerCodec.encode(new SessionRequest("bandwidth")), true).join();
        assertThat(errorCode(frames.poll(10, TimeUnit.SECONDS))).isEqualTo(ErrorCode.UNAUTHENTICATED.code());
        assertThat(storedProof()).isEqualTo(before);
        assertThat(paidByPeer()).isEqualTo(paidBefore);

        // Garbage before the handshake: not this protocol, so the connection ends.
        socket.sendText("GET / HTTP/1.1", true).join();
        assertThat(errorCode(frames.poll(10, TimeUnit.SECONDS))).isEqualTo(ErrorCode.MALFORMED_MESSAGE.code());
        assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(storedProof()).isEqualTo(before);
        assertThat(paidByPeer()).isEqualTo(paidBefore);
    }

    /** Sends {@code proof}; the provider must answer with {@code code}, and its books must not move. */
    private void assertRefused(Signed<BalanceProof> proof, ErrorCode code) throws Exception {
        Optional<Signed<BalanceProof>> before = storedProof();
        Amount paidBefore = paidByPeer();
        PeerMessage answer = peer.pay(proof);
        assertThat(answer).as("the answer to %s", proof.message()).isInstanceOf(ErrorMessage.class);
        assertThat(((ErrorMessage) answer).code()).as(((ErrorMessage) answer).message()).isEqualTo(code.code());
        assertThat(storedProof()).isEqualTo(before);
        assertThat(paidByPeer()).isEqualTo(paidBefore);
    }

    private long openChannel(PrivateKey payer) {
        return nodes.contract.openWithDeposit(nodes.account(payer, 1), providerAddress(), Asset.ETH.token(),
                CHALLENGE_PERIOD, DEPOSIT).channelId();
    }

    /** The newest proof of the peer's that the provider has written down. */
    private Optional<Signed<BalanceProof>> storedProof() {
        return provider.channel(channelId).orElseThrow().received();
    }

    /** What the provider counts the peer as having paid. */
    private Amount paidByPeer() {
        return provider.provider().orElseThrow().views().stream().filter(v -> v.address().equals(key.address()))
                .map(PeerView::paid).findFirst().orElseThrow();
    }

    private static Address providerAddress() {
        return provider.context().key().address();
    }

    private static PeerMessage decode(String frame) {
        assertThat(frame).as("a frame from the provider within 10 s").isNotNull();
        return PeerCodec.decode(frame);
    }

    private static String errorCode(String frame) {
        PeerMessage message = decode(frame);
        assertThat(message).isInstanceOf(ErrorMessage.class);
        return ((ErrorMessage) message).code();
    }
}
