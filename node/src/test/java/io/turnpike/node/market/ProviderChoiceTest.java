package io.turnpike.node.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.core.market.ProviderScore;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.ProviderView;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.service.RpcService;
import io.turnpike.protocol.PeerMessage.Offer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The choice between providers, over fixed states of the providers: no network, no chain. */
class ProviderChoiceTest {

    private static final Address CHEAP = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address DEAR = Address.of("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    private static final Address ELSEWHERE = Address.of("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
    private static final String RPC = RpcService.NAME;

    private List<PaymentEngine.Bought> states = List.of(serving(CHEAP, 1_000, false), serving(DEAR, 3_000, false));
    private final ProviderChoice choice = new ProviderChoice(() -> states,
            Map.of(CHEAP, "ws://127.0.0.1:1", DEAR, "ws://127.0.0.1:2"), Set.of(RPC, "bandwidth"), Map.of(),
            // Never refreshed: nothing registered, no latency measured.
            new MarketDirectory(List::of, Map.of(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), task -> { }),
            () -> Map.of(ELSEWHERE, new ProviderHistory(1, 0, 0)), Asset.ETH);

    @Test
    void theCheaperConnectedProviderIsChosenAndOneCaughtMisbehavingComesAfterTheOther() {
        assertThat(choice.chosen(RPC)).contains(CHEAP);

        states = List.of(serving(CHEAP, 1_000, true), serving(DEAR, 3_000, false));
        assertThat(choice.chosen(RPC)).contains(DEAR);

        // With no other to go to, it is still used: paying only this node's own figure.
        states = List.of(serving(CHEAP, 1_000, true), disconnected(DEAR));
        assertThat(choice.chosen(RPC)).contains(CHEAP);
    }

    @Test
    void aProviderThatIsGoneOrGaveNoSessionTakesNothing() {
        states = List.of(disconnected(CHEAP), serving(DEAR, 3_000, false));
        assertThat(choice.chosen(RPC)).contains(DEAR);
        assertThat(choice.chosen("bandwidth")).isEmpty(); // neither issued a bandwidth session

        states = List.of(disconnected(CHEAP), disconnected(DEAR));
        assertThat(choice.chosen(RPC)).isEmpty();
    }

    @Test
    void aPinHoldsEvenWhileItsProviderCannotServeUntilItIsLifted() {
        assertThat(choice.pin(RPC, Optional.of(DEAR)).chosen()).contains(DEAR);

        states = List.of(serving(CHEAP, 1_000, false), disconnected(DEAR));
        assertThat(choice.chosen(RPC)).isEmpty();

        assertThat(choice.pin(RPC, Optional.empty()).chosen()).contains(CHEAP);
    }

    @Test
    void aPinOfAServiceNotBoughtOrAProviderNotConfiguredIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> choice.pin("teleport", Optional.of(DEAR)))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.UNKNOWN_SERVICE));
        assertThatThrownBy(() -> choice.pin(RPC, Optional.of(ELSEWHERE)))
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.UNKNOWN_PEER));

        assertThat(choice.chosen(RPC)).contains(CHEAP);
    }

    @Test
    void theViewShowsEachProvidersScoreHistoryAndWhatItIsChosenFor() {
        states = List.of(serving(CHEAP, 1_000, false), new PaymentEngine.Bought(DEAR, true,
                List.of(new Offer.ServiceTerms(RPC, "cost_unit", Amount.of(3_000))), Set.of(RPC),
                new ProviderHistory(0, 1, 0), true));

        ProvidersView view = choice.view();

        // Price points only (no latency, no stake): 500 for the cheaper; 500 / 3 = 166, x 8 / 12 for a refused proof.
        assertThat(view.providers()).extracting(ProviderView::address, ProviderView::score)
                .containsExactly(tuple(CHEAP, 500L), tuple(DEAR, 110L));
        assertThat(view.providers().getFirst().chosenFor()).containsExactly(RPC);
        assertThat(view.providers().get(1).history().refusedProofs()).isEqualTo(1);
        assertThat(view.chosen()).containsEntry(RPC, Optional.of(CHEAP)).containsEntry("bandwidth", Optional.empty());
    }

    @Test
    void theProvidersAreRankedAgainExactlyWhenSomethingTheRankingReadsChanges() {
        AtomicInteger rankings = new AtomicInteger();
        MarketDirectory directory = new MarketDirectory(List::of, Map.of(CHEAP, "ws://127.0.0.1:1", DEAR,
                "ws://127.0.0.1:2"), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC), task -> { });
        // A new list on every call, as the payment engine gives: equal states, not the same object, are no change.
        ProviderChoice counted = new ProviderChoice(() -> new ArrayList<>(states),
                Map.of(CHEAP, "ws://127.0.0.1:1", DEAR, "ws://127.0.0.1:2"), Set.of(RPC, "bandwidth"), Map.of(),
                directory, Map::of, Asset.ETH, candidates -> {
                    rankings.incrementAndGet();
                    return ProviderScore.rank(candidates);
                });

        assertThat(List.of(counted.chosen(RPC), counted.chosen(RPC), counted.chosen(RPC)))
                .containsOnly(Optional.of(CHEAP));
        assertThat(rankings).hasValue(1);

        // A disconnect moves new traffic at once.
        states = List.of(disconnected(CHEAP), serving(DEAR, 3_000, false));
        assertThat(counted.chosen(RPC)).contains(DEAR);
        assertThat(counted.chosen(RPC)).contains(DEAR);
        assertThat(rankings).hasValue(2);

        // Back, with the disconnect counted in its history: still the cheaper by far.
        states = List.of(serving(CHEAP, 1_000, false, new ProviderHistory(0, 0, 1)), serving(DEAR, 3_000, false));
        assertThat(counted.chosen(RPC)).contains(CHEAP);
        assertThat(rankings).hasValue(3);

        // A new offer: the other is now the cheaper.
        states = List.of(serving(CHEAP, 1_000, false, new ProviderHistory(0, 0, 1)), serving(DEAR, 500, false));
        assertThat(counted.chosen(RPC)).contains(DEAR);
        assertThat(rankings).hasValue(4);

        // A pin needs no ranking; lifting it chooses again.
        assertThat(counted.pin(RPC, Optional.of(CHEAP)).chosen()).contains(CHEAP);
        assertThat(counted.chosen(RPC)).contains(CHEAP);
        assertThat(rankings).hasValue(4);
        assertThat(counted.pin(RPC, Optional.empty()).chosen()).contains(DEAR);
        assertThat(rankings).hasValue(5);

        // Probed (both out of reach here): new latencies, ranked again once.
        directory.refresh();
        assertThat(counted.chosen(RPC)).contains(DEAR);
        assertThat(counted.chosen(RPC)).contains(DEAR);
        assertThat(rankings).hasValue(6);
    }

    private static PaymentEngine.Bought serving(Address provider, long price, boolean misbehaving) {
        return serving(provider, price, misbehaving, ProviderHistory.CLEAN);
    }

    private static PaymentEngine.Bought serving(Address provider, long price, boolean misbehaving,
                                                ProviderHistory history) {
        return new PaymentEngine.Bought(provider, true, List.of(new Offer.ServiceTerms(RPC, "cost_unit",
                Amount.of(price))), Set.of(RPC), history, misbehaving);
    }

    private static PaymentEngine.Bought disconnected(Address provider) {
        return new PaymentEngine.Bought(provider, false, List.of(new Offer.ServiceTerms(RPC, "cost_unit",
                Amount.of(1))), Set.of(), ProviderHistory.CLEAN, false);
    }
}
