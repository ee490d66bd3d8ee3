package io.turnpike.store;

import static io.turnpike.store.Fixtures.DOMAIN;
import static io.turnpike.store.Fixtures.MAX;
import static io.turnpike.store.Fixtures.OTHER_PARTNER;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.concurrently;
import static io.turnpike.store.Fixtures.openChannel;
import static io.turnpike.store.Fixtures.proof;
import static io.turnpike.store.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.flywaydb.core.Flyway;

class ChannelStoreTest {

    @ForAllDbs
    void channelRoundTripsEveryFieldExactly(TestDatabase db) {
        Channel channel = new Channel(DOMAIN, 7, Fixtures.NODE, PARTNER, Fixtures.TOKEN, Role.B, ChannelStatus.CLOSED,
                86_400, new ChannelSide(MAX, Amount.of(1)), new ChannelSide(Amount.of(5), MAX),
                Optional.of(Instant.parse("2030-01-02T03:04:05Z")),
                Optional.of(proof(7, Long.MAX_VALUE, MAX)), Optional.of(proof(7, 3, Amount.of(3))),
                Optional.of(new Channel.Transfers(MAX, Amount.of(2), PARTNER)));
        try (Store store = db.open()) {
            store.channels().put(channel);

            assertThat(store.channels().get(ref(7))).contains(channel);
            assertThat(store.channels().get(ref(8))).isEmpty();
        }
    }

    @ForAllDbs
    void aChannelClosedOnChainBeforeTheCloserWasRecordedCountsThisNodeAsTheCloser(TestDatabase db)
            throws SQLException {
        // A database of the version before V12, holding a channel closed on chain, opened by this version: the
        // channel keeps settling as soon as its challenge period is over, as it would have.
        StoreConfig config = db.config();
        Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
                .locations("classpath:db/migration").target("11").load().migrate();
        try (Connection connection = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
            Sql.update(connection, "INSERT INTO channels (chain_id, contract, channel_id, our_address, partner, token,"
                    + " our_role, state, challenge_period, our_deposit, our_withdrawn, partner_deposit,"
                    + " partner_withdrawn, settle_at, sent_nonce, sent_transferred, sent_signature, received_nonce,"
                    + " received_transferred, received_signature, on_chain_sent, on_chain_received) VALUES (?, ?, 9, ?,"
                    + " ?, ?, 'B', 'CLOSED', 86400, '100', '0', '50', '0', 1900000000, 0, '0', '', 0, '0', '', '0', '7')",
                    DOMAIN.chainId(), DOMAIN.verifyingContract(), Fixtures.NODE, PARTNER, Fixtures.TOKEN);
        }

        try (Store store = db.open()) {
            assertThat(store.channels().get(ref(9)).orElseThrow().onChain())
                    .contains(new Channel.Transfers(Amount.ZERO, Amount.of(7), Fixtures.NODE));
        }
    }

    @ForAllDbs
    void signedWithdrawalsNotYetOnChainAreKeptForBothSidesAndClearedWhenGone(TestDatabase db) {
        Channel opened = openChannel(1, PARTNER);
        Channel pending = new Channel(opened.domain(), 1, opened.self(), PARTNER, opened.token(), opened.role(),
                opened.status(), opened.challengePeriodSeconds(),
                new ChannelSide(Amount.of(100), Amount.of(10), Optional.of(new ChannelSide.PendingWithdraw(MAX, 1_700))),
                new ChannelSide(Amount.of(50), Amount.ZERO,
                        Optional.of(new ChannelSide.PendingWithdraw(Amount.of(20), Long.MAX_VALUE))),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        try (Store store = db.open()) {
            store.channels().put(pending);
            assertThat(store.channels().get(pending.ref())).contains(pending);

            store.channels().put(opened);
            assertThat(store.channels().get(pending.ref())).contains(opened);
        }
    }

    @ForAllDbs
    void putReplacesTheStoredChannelInEveryState(TestDatabase db) {
        try (Store store = db.open()) {
            Channel opened = openChannel(1, PARTNER);
            store.channels().put(opened);
            for (ChannelStatus status : ChannelStatus.values()) {
                Channel next = with(opened, status, Optional.of(proof(2)), Optional.of(proof(4)));

                store.channels().put(next);

                assertThat(store.channels().get(opened.ref())).contains(next);
                assertThat(store.channels().list()).containsExactly(next);
            }
        }
    }

    @ForAllDbs
    void writingBackAStaleCopyNeverMovesAProofBackwards(TestDatabase db) {
        try (Store store = db.open()) {
            Channel stale = openChannel(1, PARTNER);
            store.channels().put(with(stale, ChannelStatus.OPEN, Optional.of(proof(4)), Optional.of(proof(9))));

            store.channels().put(with(stale, ChannelStatus.CLOSED, Optional.of(proof(3)), Optional.empty()));

            Channel stored = store.channels().get(stale.ref()).orElseThrow();
            assertThat(stored.status()).isEqualTo(ChannelStatus.CLOSED);
            assertThat(stored.received()).contains(proof(9));
            assertThat(stored.sent()).contains(proof(4));
        }
    }

    @ForAllDbs
    void listsAllAndByPartner(TestDatabase db) {
        try (Store store = db.open()) {
            Channel first = openChannel(1, PARTNER);
            Channel other = openChannel(2, OTHER_PARTNER);
            Channel settled = with(openChannel(3, PARTNER), ChannelStatus.SETTLED, Optional.empty(), Optional.empty());
            List.of(settled, other, first).forEach(store.channels()::put);

            assertThat(store.channels().list()).containsExactly(first, other, settled);
            assertThat(store.channels().listByPartner(PARTNER)).containsExactly(first, settled);
        }
    }

    @ForAllDbs
    void concurrentWritesKeepTheNewestProofAndNeverRegress(TestDatabase db) throws Exception {
        int writers = 8;
        int proofsEach = 40;
        List<Long> nonces = new ArrayList<>();
        for (long nonce = 1; nonce <= writers * proofsEach; nonce++) {
            nonces.add(nonce);
        }
        Collections.shuffle(nonces, new Random(7));
        try (Store store = db.open()) {
            Channel opened = openChannel(1, PARTNER);
            store.channels().put(opened);

            concurrently(writers, writer -> () -> {
                for (long nonce : nonces.subList(writer * proofsEach, (writer + 1) * proofsEach)) {
                    store.channels().put(with(opened, ChannelStatus.OPEN, Optional.empty(), Optional.of(proof(nonce))));
                    // Once a call returns, the stored proof is at least as new as the one it offered.
                    assertThat(store.channels().get(opened.ref()).orElseThrow().received().orElseThrow().message()
                            .nonce()).isGreaterThanOrEqualTo(nonce);
                }
                return 0;
            });

            assertThat(store.channels().get(opened.ref()).orElseThrow().received()).contains(proof(writers * proofsEach));
        }
    }

    private static Channel with(Channel c, ChannelStatus status, Optional<Signed<BalanceProof>> sent,
                                Optional<Signed<BalanceProof>> received) {
        return new Channel(c.domain(), c.channelId(), c.self(), c.partner(), c.token(), c.role(), status,
                c.challengePeriodSeconds(), new ChannelSide(Amount.of(100), Amount.ZERO), c.partnerSide(),
                status == ChannelStatus.OPEN ? Optional.empty() : Optional.of(Instant.parse("2030-01-01T00:00:00Z")),
                sent, received, Optional.empty());
    }
}
