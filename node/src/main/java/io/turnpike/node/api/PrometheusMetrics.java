package io.turnpike.node.api;

import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PeerView;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /metrics} in Prometheus' text format (0.0.4), from what {@link io.turnpike.node.control.NodeControl}
 * shows. Amounts are written as exact integers in the asset's smallest unit (the {@code asset} label names it; the
 * {@code _wei} suffix is exact for ETH); Prometheus itself stores them as floats, so use the API for exact figures.
 */
final class PrometheusMetrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder();

    private PrometheusMetrics() {
    }

    static String render(NodeStatus status, List<PeerView> peers, List<ChannelView> channels) {
        PrometheusMetrics metrics = new PrometheusMetrics();
        metrics.gauge("turnpike_head_block", "The newest block this node has seen.",
                List.of(sample(Map.of(), Long.toString(status.headBlock()))));
        metrics.gauge("turnpike_chain_stale", "1 while no new block has been seen for turnpike.chain.stale-after: "
                + "enforcement that depends on the chain is paused.",
                List.of(sample(Map.of(), status.chainStale() ? "1" : "0")));

        Asset asset = status.asset();
        metrics.gauge("turnpike_peer_connected", "1 while the peer is connected.",
                peers.stream().map(p -> sample(peerLabels(p, asset), p.connected() ? "1" : "0")).toList());
        metrics.peerAmount("turnpike_peer_used_wei", "Metered usage, priced.", peers, asset, PeerView::used);
        metrics.peerAmount("turnpike_peer_paid_wei", "Paid and acknowledged.", peers, asset, PeerView::paid);
        metrics.peerAmount("turnpike_peer_owed_wei", "Used minus paid minus credit, never negative.", peers, asset,
                PeerView::owed);
        metrics.peerAmount("turnpike_peer_credit_wei", "Overpayment kept as credit.", peers, asset, PeerView::credit);
        metrics.peerAmount("turnpike_peer_in_flight_wei", "Paid and not yet acknowledged.", peers, asset,
                PeerView::inFlight);

        metrics.gauge("turnpike_channel_open", "1 while the channel is OPEN (it takes payments).",
                channels.stream().map(c -> sample(channelLabels(c, asset), "OPEN".equals(c.state()) ? "1" : "0"))
                        .toList());
        List<Sample> deposits = new ArrayList<>();
        for (ChannelView channel : channels) {
            deposits.add(sample(withSide(channelLabels(channel, asset), "own"), channel.ownDeposit().toString()));
            deposits.add(sample(withSide(channelLabels(channel, asset), "partner"), channel.partnerDeposit().toString()));
        }
        metrics.gauge("turnpike_channel_deposit_wei", "What each side deposited.", deposits);
        metrics.channelAmount("turnpike_channel_sent_wei", "Everything this node has paid in the channel.", channels,
                asset, ChannelView::sent);
        metrics.channelAmount("turnpike_channel_received_wei", "Everything the partner has paid in the channel.",
                channels, asset, ChannelView::received);
        metrics.channelAmount("turnpike_channel_spendable_wei", "What this node can still pay in the channel.",
                channels, asset, ChannelView::spendable);
        return metrics.out.toString();
    }

    private record Sample(Map<String, String> labels, String value) {
    }

    private static Sample sample(Map<String, String> labels, String value) {
        return new Sample(labels, value);
    }

    private void peerAmount(String name, String help, List<PeerView> peers, Asset asset,
                            Function<PeerView, Amount> amount) {
        gauge(name, help, peers.stream().map(p -> sample(peerLabels(p, asset), amount.apply(p).toString())).toList());
    }

    private void channelAmount(String name, String help, List<ChannelView> channels, Asset nodeAsset,
                               Function<ChannelView, Amount> amount) {
        gauge(name, help, channels.stream()
                .map(c -> sample(channelLabels(c, nodeAsset), amount.apply(c).toString())).toList());
    }

    private static Map<String, String> peerLabels(PeerView peer, Asset asset) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("peer", peer.address().toString());
        labels.put("role", peer.role());
        labels.put("asset", asset.symbol());
        return labels;
    }

    private static Map<String, String> channelLabels(ChannelView channel, Asset nodeAsset) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("channel", Long.toString(channel.channelId()));
        labels.put("partner", channel.partner().toString());
        labels.put("asset", ChannelAssets.of(channel.token(), nodeAsset).symbol());
        return labels;
    }

    private static Map<String, String> withSide(Map<String, String> labels, String side) {
        Map<String, String> copy = new LinkedHashMap<>(labels);
        copy.put("side", side);
        return copy;
    }

    private void gauge(String name, String help, List<Sample> samples) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        for (Sample sample : samples) {
            out.append(name);
            if (!sample.labels().isEmpty()) {
                out.append(sample.labels().entrySet().stream()
                        .map(label -> label.getKey() + "=\"" + escape(label.getValue()) + "\"")
                        .collect(Collectors.joining(",", "{", "}")));
            }
            out.append(' ').append(sample.value()).append('\n');
        }
    }

    /** The format's escapes for a label value; roles and states come from the node, but a quote must not end one. */
    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
