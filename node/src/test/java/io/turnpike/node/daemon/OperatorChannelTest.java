package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.FeeEstimates;
import io.turnpike.node.control.PeerView;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client's channel on a real chain, changed and ended by the operator: topped up, withdrawn from with the provider
 * co-signing, opened only to a connected partner unless forced, and settled with exact payouts — cooperatively on
 * request, or on chain when the partner is away. What each node's books say it paid and was paid is what the chain
 * paid, to the wei.
 */
class OperatorChannelTest {

    private static final int BODY = 1024 * 1024;
    private static final Amount DEPOSIT = TestNodes.ETHER;
    private static final Amount TOP_UP = Amount.of(500_000_000_000_000_000L);
    private static final Amount WITHDRAWN = Amount.of(700_000_000_000_000_000L);

    @RegisterExtension
    final PairedNodes paired = new PairedNodes(BODY);

    private TestNodes nodes;
    private NodePair pair;

    @BeforeEach
    void start() throws Exception {
        nodes = paired.nodes();
        pair = paired.start("1000", "1000000000", "", "client.challenge-period = 60s");
        assertThat(paired.fetch()).isEqualTo(BODY);
        // Everything fetched is metered (both meters count a connection's last bytes as it closes), and paid.
        Downloads.await(() -> clientView().owed().isZero() && !clientView().used().isLessThan(Amount.of(1000L * BODY))
                && providerView().paid().equals(providerView().used()), Duration.ofSeconds(30));
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

    @Test
    void aTopUpAndACoSignedWithdrawalLandAndTheSettlementPaysEachSideWhatItsBooksSay() throws Exception {
        long channelId = clientView().channelId().orElseThrow();
        Address client = pair.clientDir.address();
        RunningNodeControl control = new RunningNodeControl(pair.client);

        ChannelView toppedUp = control.depositChannel(channelId, TOP_UP);
        assertThat(toppedUp.ownDeposit()).isEqualTo(DEPOSIT.plus(TOP_UP));
        assertThat(nodes.contract.participant(channelId, client).deposit()).isEqualTo(DEPOSIT.plus(TOP_UP));
        // The provider learns the top-up from the chain, so both views of the channel stay the same.
        Downloads.await(() -> pair.provider.channel(channelId).orElseThrow().partnerSide().deposit()
                .equals(DEPOSIT.plus(TOP_UP)), Duration.ofSeconds(30));

        Amount clientBefore = nodes.anvil.connect().balance(client);
        ChannelView withdrawn = control.withdrawChannel(channelId, WITHDRAWN);
        Amount paid = providerView().paid();
        assertThat(nodes.contract.participant(channelId, client).withdrawn()).isEqualTo(WITHDRAWN);
        assertThat(withdrawn.spendable()).isEqualTo(DEPOSIT.plus(TOP_UP).minus(WITHDRAWN).minus(withdrawn.sent()));
        // The client's wallet got the withdrawal, less the gas of the one transaction it sent.
        Amount clientAfter = nodes.anvil.connect().balance(client);
        assertThat(clientAfter.isGreaterThan(clientBefore.plus(WITHDRAWN).minus(Amount.of(10_000_000_000_000_000L))))
                .isTrue();
        // The provider saw it too: it counts the money as gone from the client's side.
        Downloads.await(() -> pair.provider.channel(channelId).orElseThrow().partnerSide().withdrawn()
                .equals(WITHDRAWN), Duration.ofSeconds(30));

        // More than is left is refused, and changes nothing.
        TurnpikeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(TurnpikeException.class,
                () -> control.withdrawChannel(channelId, DEPOSIT));
        assertThat(refused.code()).isEqualTo(ErrorCode.INSUFFICIENT_FUNDS);
        assertThat(nodes.contract.participant(channelId, client).withdrawn()).isEqualTo(WITHDRAWN);

        Amount providerBefore = nodes.anvil.connect().balance(pair.providerDir.address());
        ChannelView settled = control.closeChannel(channelId, false);
        assertThat(settled.state()).isEqualTo("SETTLED");
        Amount paidAtClose = providerView().paid();
        assertThat(paidAtClose).isGreaterThanOrEqualTo(paid);
        assertThat(settled.sent()).isEqualTo(paidAtClose);
        ChannelEvent.ChannelSettled onChain = nodes.anvil.connect().logs(nodes.contract.address(), 1,
                        nodes.anvil.connect().head()).stream()
                .map(ChannelsContract::decode).flatMap(Optional::stream)
                .filter(e -> e instanceof ChannelEvent.ChannelSettled && e.channelId() == channelId)
                .map(ChannelEvent.ChannelSettled.class::cast).findFirst().orElseThrow();
        assertThat(onChain.payoutB()).isEqualTo(paidAtClose);
        assertThat(onChain.payoutA()).isEqualTo(DEPOSIT.plus(TOP_UP).minus(WITHDRAWN).minus(paidAtClose));
        assertThat(nodes.anvil.connect().balance(pair.providerDir.address()))
                .isEqualTo(providerBefore.plus(paidAtClose));
    }

    @Test
    void anOpeningToAnAddressNoNodeAnswersAtIsRefusedUnlessForcedAndItsFeeIsKnownFirst() {
        RunningNodeControl control = new RunningNodeControl(pair.client);
        Address client = pair.clientDir.address();
        Address stranger = PrivateKey.random(new SecureRandom()).address();
        long sentBefore = nodes.anvil.connect().nonce(client);

        TurnpikeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(TurnpikeException.class,
                () -> control.openChannel(stranger, TOP_UP, false));
        assertThat(refused.code()).isEqualTo(ErrorCode.PARTNER_NOT_CONNECTED);
        assertThat(nodes.anvil.connect().nonce(client)).as("nothing sent").isEqualTo(sentBefore);
        assertThat(nodes.contract.unsettledChannel(client, stranger, Address.ZERO)).isZero();

        FeeEstimates fees = control.fees();
        FeeEstimates.ActionFee open = fees.actions().getFirst();
        assertThat(open.action()).isEqualTo("open");
        assertThat(open.fee()).isEqualTo(fees.maxFeePerGas().times(open.gas())).isGreaterThan(Amount.ZERO);
        Amount walletBefore = nodes.anvil.connect().balance(client);

        ChannelView opened = control.openChannel(stranger, TOP_UP, true);
        assertThat(nodes.contract.unsettledChannel(client, stranger, Address.ZERO)).isEqualTo(opened.channelId());
        Amount spent = walletBefore.minus(nodes.anvil.connect().balance(client));
        assertThat(spent.minus(TOP_UP)).as("the fee paid, within the estimate").isGreaterThan(Amount.ZERO)
                .isLessThanOrEqualTo(open.fee());
    }

    private PeerView clientView() {
        return pair.client.payments().orElseThrow().views().get(0);
    }

    private PeerView providerView() {
        return pair.provider.provider().orElseThrow().views().get(0);
    }
}
