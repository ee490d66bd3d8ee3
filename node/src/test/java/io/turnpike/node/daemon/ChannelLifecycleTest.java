package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The two money defects an operator found by hand, on real nodes: a cooperative close while a debt is outstanding,
 * and trading on after the channel settled. After each, what both ledgers say was paid is what the chain paid.
 */
class ChannelLifecycleTest {

    private static final int BODY = 1024 * 1024;

    @RegisterExtension
    final PairedNodes paired = new PairedNodes(BODY);

    private TestNodes nodes;
    private NodePair pair;

    @BeforeEach
    void start() throws Exception {
        nodes = paired.nodes();
        // A long pay interval and a high threshold: the client owes for a while before it pays on its own.
        pair = paired.start("1000", "1000000000000000", "", "client.pay-interval = 1h");
    }

    @Test
    void aCooperativeCloseWithADebtOutstandingPaysTheDebtAndTheChainPaysWhatBothLedgersSay() throws Exception {
        assertThat(paired.fetch()).isEqualTo(BODY);
        long channelId = clientView().channelId().orElseThrow();

        ChannelView settled = new RunningNodeControl(pair.client).closeChannel(channelId, false);

        assertThat(settled.state()).isEqualTo("SETTLED");
        Amount payout = settledEvent(channelId).payoutB();
        assertThat(payout).isGreaterThanOrEqualTo(Amount.of(1000L * BODY));
        assertThat(clientView().paid()).isEqualTo(payout);
        Downloads.await(() -> pair.provider.channel(channelId).orElseThrow().status() == ChannelStatus.SETTLED,
                Duration.ofSeconds(30));
        assertThat(providerView().paid()).isEqualTo(payout);
        // The debt was paid before the books were frozen, not left behind.
        assertThat(clientView().owed()).isEqualTo(Amount.ZERO);
    }

    @Test
    void afterASettleNoProofMovesOnTheSettledChannelTheClientIsServedFreeThenPaysThroughANewChannel() throws Exception {
        assertThat(paired.fetch()).isEqualTo(BODY);
        long first = clientView().channelId().orElseThrow();
        new RunningNodeControl(pair.client).closeChannel(first, false);
        Downloads.await(() -> pair.provider.channel(first).orElseThrow().status() == ChannelStatus.SETTLED,
                Duration.ofSeconds(30));
        long signedAtSettle = pair.client.channel(first).orElseThrow().sentNonce();
        long heldAtSettle = pair.provider.channel(first).orElseThrow().receivedNonce();

        // Traffic goes on; until a new channel is open it is the free tier's.
        assertThat(paired.fetch()).isEqualTo(BODY);
        Downloads.await(() -> clientView().channelId().filter(id -> id != first).isPresent(), Duration.ofSeconds(60));
        long second = clientView().channelId().orElseThrow();
        assertThat(paired.fetch()).isEqualTo(BODY);
        PaymentResult paid = new RunningNodeControl(pair.client).payNow(pair.providerDir.address());

        assertThat(paid.channelId()).isEqualTo(second);
        assertThat(pair.client.channel(first).orElseThrow().sentNonce()).isEqualTo(signedAtSettle);
        assertThat(pair.provider.channel(first).orElseThrow().receivedNonce()).isEqualTo(heldAtSettle);

        new RunningNodeControl(pair.client).closeChannel(second, false);
        Downloads.await(() -> pair.provider.channel(second).map(Channel::status).equals(Optional.of(ChannelStatus.SETTLED)),
                Duration.ofSeconds(30));
        Amount chainPaid = settledEvent(first).payoutB().plus(settledEvent(second).payoutB());
        assertThat(clientView().paid()).isEqualTo(chainPaid);
        assertThat(providerView().paid()).isEqualTo(chainPaid);
    }

    @Test
    void aProofOnASettledChannelIsRefusedWithChannelNotOpenAndChangesNothing() throws Exception {
        assertThat(paired.fetch()).isEqualTo(BODY);
        long channelId = clientView().channelId().orElseThrow();
        new RunningNodeControl(pair.client).closeChannel(channelId, false);
        Downloads.await(() -> pair.provider.channel(channelId).orElseThrow().status() == ChannelStatus.SETTLED,
                Duration.ofSeconds(30));
        Amount paidBefore = providerView().paid();
        Channel settled = pair.client.channel(channelId).orElseThrow();

        // The client's key, a proof that would pay more on the settled channel: what a node trading on would send.
        try (RawPeer peer = RawPeer.connect(pair.client.context().key(), nodes.contract.domain(),
                pair.provider.peerPort(), pair.providerDir.address())) {
            PeerMessage answer = peer.pay(peer.proof(channelId, settled.sentNonce() + 1,
                    settled.sentTotal().plus(Amount.of(1_000_000))));

            assertThat(answer).isInstanceOf(ErrorMessage.class);
            assertThat(((ErrorMessage) answer).code()).isEqualTo(ErrorCode.CHANNEL_NOT_OPEN.code());
        }
        assertThat(providerView().paid()).isEqualTo(paidBefore);
        assertThat(pair.provider.channel(channelId).orElseThrow().receivedNonce()).isEqualTo(settled.sentNonce());
    }

    private ChannelEvent.ChannelSettled settledEvent(long channelId) {
        var chain = nodes.anvil.connect();
        return chain.logs(nodes.contract.address(), 1, chain.head()).stream()
                .map(ChannelsContract::decode).flatMap(Optional::stream)
                .filter(e -> e instanceof ChannelEvent.ChannelSettled && e.channelId() == channelId)
                .map(ChannelEvent.ChannelSettled.class::cast).findFirst().orElseThrow();
    }

    private PeerView clientView() {
        return pair.client.payments().orElseThrow().views().get(0);
    }

    private PeerView providerView() {
        Address client = pair.clientDir.address();
        return pair.provider.provider().orElseThrow().views().stream().filter(v -> v.address().equals(client))
                .findFirst().orElseThrow();
    }
}
