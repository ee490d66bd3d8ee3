package io.turnpike.node.daemon;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.store.Channel;
import io.turnpike.core.TurnpikeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link NodeControl} over a running {@link TurnpikeNode}. */
public final class RunningNodeControl implements NodeControl {

    private static final Logger LOG = LoggerFactory.getLogger(RunningNodeControl.class);
    private static final Duration COSIGN_WAIT = Duration.ofSeconds(20);

    private final TurnpikeNode node;

    public RunningNodeControl(TurnpikeNode node) {
        this.node = node;
    }

    @Override
    public NodeStatus status() {
        var context = node.context();
        List<String> services = new ArrayList<>();
        node.provider().ifPresent(p -> services.add("sells " + PaymentEngine.SERVICE));
        node.payments().ifPresent(p -> services.add("buys " + PaymentEngine.SERVICE));
        return new NodeStatus(context.key().address(), context.chain().chainId(), node.contract().address(),
                context.chain().rpc().head(), context.chain().rpc().isStale(), context.config().asset(), services,
                node.localSocksPort().orElse(null), node.relayPort().orElse(null), node.peerPort());
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> views = new ArrayList<>();
        node.payments().ifPresent(p -> views.addAll(p.views()));
        node.provider().ifPresent(p -> views.addAll(p.views()));
        return views;
    }

    @Override
    public List<ChannelView> channels() {
        return node.channels().all().stream().map(this::view).toList();
    }

    @Override
    public ChannelView openChannel(Address partner, Amount deposit) {
        return view(node.channels().outgoing(partner, deposit));
    }

    @Override
    public ChannelView closeChannel(long channelId, boolean force) {
        Channel channel = node.channels().find(channelId).orElseThrow(() -> ControlException.unknownChannel(channelId));
        if (!force) {
            try {
                return view(node.settlements().settle(channel, COSIGN_WAIT));
            } catch (TurnpikeException unresponsive) {
                // The partner is away or disagrees: close on chain; the challenge period protects both sides.
                LOG.info("cooperative settle of channel {} failed ({}); closing on chain", channelId,
                        unresponsive.getMessage());
            }
        }
        return view(node.channels().close(node.channels().find(channelId).orElseThrow()));
    }

    @Override
    public PaymentPreview previewPayment(Address peer) {
        return engine(peer).preview(peer);
    }

    @Override
    public PaymentResult payNow(Address peer) {
        return engine(peer).payNow(peer);
    }

    private PaymentEngine engine(Address peer) {
        return node.payments().filter(p -> p.buysFrom(peer)).orElseThrow(() -> ControlException.unknownPeer(peer));
    }

    private ChannelView view(Channel channel) {
        PaymentChannel payments = node.channels().payments(channel);
        return new ChannelView(channel.ref().channelId(), channel.partner(), channel.token(), channel.state().name(),
                channel.ours().deposit(), channel.theirs().deposit(), payments.sentTotal(), payments.receivedTotal(),
                payments.spendable(), channel.settleAt());
    }
}
