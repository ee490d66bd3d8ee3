package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.PeerView;
import io.turnpike.core.channel.ChannelStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Channels end with exact payouts: cooperatively on request, or on chain when the partner is away. */
class ChannelCloseTest {

    private static final int BODY = 1024 * 1024;
    private static final Amount DEPOSIT = TestNodes.ETHER;

    @TempDir
    Path folder;

    private Downloads target;
    private TestNodes nodes;
    private NodePair pair;

    @BeforeEach
    void start() throws Exception {
        target = new Downloads(BODY);
        nodes = new TestNodes(SharedAnvil.get(), folder);
        pair = new NodePair(nodes, "1000", "1000000000", "client.challenge-period = 60s");
        assertThat(target.fetchThrough(pair.socksPort)).isEqualTo(BODY);
        // Everything fetched is metered (both meters count a connection's last bytes as it closes), and paid.
        Downloads.await(() -> clientView().owed().isZero() && !clientView().used().isLessThan(Amount.of(1000L * BODY))
                && providerView().paid().equals(providerView().used()), Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (pair != null) {
            pair.close();
        }
        target.close();
    }

    @Test
    void cooperativeSettlePaysTheProviderExactlyWhatItWasPaid() throws Exception {
        long channelId = clientView().channelId().orElseThrow();
        Amount providerBefore = nodes.anvil.connect().balance(pair.providerDir.address());

        ChannelView settled = new RunningNodeControl(pair.client).closeChannel(channelId, false);

        assertThat(settled.state()).isEqualTo("SETTLED");
        // The close pays any debt left first; what the books then say was paid is what the chain paid.
        Amount paid = providerView().paid();
        assertThat(settled.sent()).isEqualTo(paid);
        // The client sent the settle transaction, so the provider's balance moved by exactly its payout.
        assertThat(nodes.anvil.connect().balance(pair.providerDir.address())).isEqualTo(providerBefore.plus(paid));
        assertThat(nodes.contract.channel(channelId).status()).isEqualTo(ChannelsContract.Status.SETTLED);
        Downloads.await(() -> pair.provider.channel(channelId).orElseThrow().status() == ChannelStatus.SETTLED,
                Duration.ofSeconds(30));
    }

    @Test
    void aProviderAwayAtTheCloseAnswersItWithTheNewestProofWhenItReturns() throws Exception {
        long channelId = clientView().channelId().orElseThrow();
        Amount paid = providerView().paid();
        long newestNonce = pair.client.channel(channelId).orElseThrow().sent().orElseThrow().message().nonce();
        pair.stopProvider();

        ChannelView closed = new RunningNodeControl(pair.client).closeChannel(channelId, false);
        assertThat(closed.state()).isEqualTo("CLOSED");
        // The client's close credited nothing of its own payments: only the provider can put them on chain.
        assertThat(nodes.contract.participant(channelId, pair.client.context().key().address()).nonce()).isZero();

        pair.provider = nodes.start(pair.providerDir);
        Downloads.await(() -> nodes.contract.participant(channelId, pair.client.context().key().address()).nonce()
                == newestNonce, Duration.ofSeconds(30));

        nodes.anvil.advanceTime(61);
        Downloads.await(() -> nodes.contract.channel(channelId).status() == ChannelsContract.Status.SETTLED,
                Duration.ofSeconds(30));
        ChannelEvent.ChannelSettled settled = nodes.anvil.connect().logs(nodes.contract.address(), 1,
                        nodes.anvil.connect().head()).stream()
                .map(ChannelsContract::decode).flatMap(java.util.Optional::stream)
                .filter(e -> e instanceof ChannelEvent.ChannelSettled && e.channelId() == channelId)
                .map(ChannelEvent.ChannelSettled.class::cast).findFirst().orElseThrow();
        assertThat(settled.payoutB()).isEqualTo(paid);
        assertThat(settled.payoutA()).isEqualTo(DEPOSIT.minus(paid));
        Downloads.await(() -> pair.provider.channel(channelId).orElseThrow().status() == ChannelStatus.SETTLED,
                Duration.ofSeconds(30));
    }

    private PeerView clientView() {
        return pair.client.payments().orElseThrow().views().get(0);
    }

    private PeerView providerView() {
        return pair.provider.provider().orElseThrow().views().get(0);
    }
}
