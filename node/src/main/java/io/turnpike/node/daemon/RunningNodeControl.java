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
import java.util.ArrayList;
import java.util.List;

/** {@link NodeControl} over a running {@link TurnpikeNode}. */
public final class RunningNodeControl implements NodeControl {

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
        return view(node.channels().close(channel, force));
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
