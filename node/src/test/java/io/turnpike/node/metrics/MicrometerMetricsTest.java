package io.turnpike.node.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.MutableClock;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.RefusalView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MicrometerMetricsTest {

    private static final Address PEER = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final NodeStatus STATUS = new NodeStatus(Address.of("0x03b5D811d9185b0B7C615e667f2B894032FFf6FB"),
            31337, Address.of("0x" + "c0".repeat(20)), 1234, false, Asset.ETH, List.of("bandwidth"), null, 8647,
            8646);
    private static final PeerView CLIENT = new PeerView(PEER, true, "client", "paid", Amount.of(900), Amount.of(800),
            Amount.of(100), Amount.ZERO, Amount.ZERO, Optional.of(7L));

    private final MicrometerMetrics metrics = new MicrometerMetrics("1.2.3", "ETH");

    @Test
    void cumulativeFiguresAreCountersLatenciesHistogramsBalancesGauges() {
        metrics.earned(PEER, Amount.of(500));
        metrics.earned(PEER, Amount.of(300));
        metrics.used(PEER, "bandwidth", 4096);
        metrics.acknowledged(Duration.ofMillis(3));
        metrics.refused(PEER, "stale_proof");
        metrics.answered("http://127.0.0.1:8545", 2_000_000);
        metrics.failed("http://127.0.0.1:8545");

        String text = metrics.scrape(STATUS, List.of(CLIENT), List.of(channel(7, "OPEN")));

        assertThat(text).contains("# TYPE turnpike_payments_total counter")
                .containsPattern("turnpike_payments_total\\{asset=\"ETH\",direction=\"received\",peer=\"" + PEER
                        + "\"} 2\\.0")
                .containsPattern("turnpike_payments_amount_total\\{[^}]*direction=\"received\"[^}]*} 800\\.0")
                .containsPattern("turnpike_service_units_total\\{peer=\"" + PEER + "\",service=\"bandwidth\"} 4096\\.0")
                .contains("# TYPE turnpike_payment_latency_seconds histogram")
                .contains("turnpike_payment_latency_seconds_bucket")
                .containsPattern("turnpike_peer_refusals_total\\{code=\"stale_proof\"} 1\\.0")
                .containsPattern("turnpike_rpc_errors_total\\{endpoint=\"http://127.0.0.1:8545\"} 1\\.0")
                .contains("turnpike_rpc_requests_seconds_bucket")
                .containsPattern("turnpike_peer_owed\\{[^}]*peer=\"" + PEER + "\",role=\"client\"} 100\\.0")
                .containsPattern("turnpike_channel_spendable\\{[^}]*channel=\"7\"[^}]*} 400\\.0")
                .containsPattern("turnpike_build_info\\{version=\"1\\.2\\.3\"} 1")
                .contains("turnpike_head_block 1234.0")
                .contains("jvm_memory_used_bytes").contains("process_cpu_usage");
    }

    @Test
    void theLastRefusalsAreKeptNewestFirstWithTheirTimeAndTheOldestDropOut() {
        MutableClock clock = MutableClock.startingNow();
        MicrometerMetrics refusing = new MicrometerMetrics("1.2.3", "ETH", clock);
        Instant first = clock.instant();
        for (int i = 0; i < MicrometerMetrics.RECENT_REFUSALS + 1; i++) {
            refusing.refused(PEER, i == 0 ? "invalid_signature" : "stale_proof");
            clock.advance(Duration.ofSeconds(1));
        }

        List<RefusalView> recent = refusing.recentRefusals();
        assertThat(recent).hasSize(MicrometerMetrics.RECENT_REFUSALS)
                .allMatch(r -> r.code().equals("stale_proof") && r.peer().equals(PEER));
        assertThat(recent.getFirst().at()).isEqualTo(first.plusSeconds(MicrometerMetrics.RECENT_REFUSALS));
        assertThat(recent.getLast().at()).isEqualTo(first.plusSeconds(1));
        assertThat(refusing.scrape(STATUS, List.of(), List.of()))
                .contains("turnpike_peer_refusals_total{code=\"invalid_signature\"} 1.0");
    }

    @Test
    void aSettledChannelAndAPeerNoLongerShownDropOut() {
        assertThat(metrics.scrape(STATUS, List.of(CLIENT), List.of(channel(7, "OPEN"))))
                .contains("channel=\"7\"").contains("peer=\"" + PEER + "\",role=\"client\"");

        String after = metrics.scrape(STATUS, List.of(), List.of(channel(7, "SETTLED")));

        assertThat(after).doesNotContain("channel=\"7\"").doesNotContain("role=\"client\"");
    }

    @Test
    void aForgottenPeersSeriesAreNoLongerExported() {
        metrics.earned(PEER, Amount.of(5));
        metrics.used(PEER, "bandwidth", 1024);
        metrics.notificationDropped(PEER, "rpc");
        metrics.notificationDropped(PEER, "rpc");
        assertThat(metrics.scrape(STATUS, List.of(CLIENT), List.of())).contains("peer=\"" + PEER + "\"")
                .containsPattern("turnpike_service_notifications_dropped_total\\{peer=\"" + PEER
                        + "\",service=\"rpc\"} 2\\.0");

        metrics.forget(PEER);

        assertThat(metrics.scrape(STATUS, List.of(), List.of())).doesNotContain(PEER.toString());
    }

    @Test
    void theGrafanaDashboardAsksOnlyForSeriesTheNodeExports() throws Exception {
        metrics.earned(PEER, Amount.of(1));
        metrics.used(PEER, "bandwidth", 1);
        metrics.acknowledged(Duration.ofMillis(1));
        metrics.refused(PEER, "stale_proof");
        metrics.answered("http://127.0.0.1:8545", 1);
        metrics.failed("http://127.0.0.1:8545");
        String text = metrics.scrape(STATUS, List.of(CLIENT), List.of(channel(7, "OPEN")));
        String dashboard = Files.readString(Path.of(System.getProperty("turnpike.repo", ".."))
                .resolve("docs/grafana/turnpike-node.json"));

        Matcher series = Pattern.compile("turnpike_[a-z_]+").matcher(dashboard);
        int asked = 0;
        while (series.find()) {
            asked++;
            assertThat(text).as("the dashboard's %s", series.group())
                    .containsPattern("(?m)^" + series.group() + "[{ ]");
        }
        assertThat(asked).isGreaterThanOrEqualTo(8);
    }

    private static ChannelView channel(long id, String state) {
        return new ChannelView(id, PEER, Address.ZERO, state, Amount.of(1000), Amount.ZERO, Amount.of(600),
                Amount.ZERO, Amount.of(400), Optional.empty());
    }
}
