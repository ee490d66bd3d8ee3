package io.turnpike.chain;

import static io.turnpike.chain.ChannelFixture.PERIOD;
import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelEvent.ChannelSettled;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.ChannelTotals;
import io.turnpike.core.channel.Payouts;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Settlement over random channel histories on a real anvil: deposits and both-signed withdraws in any
 * order, proofs with any nonce and any amount (more than was deposited included), then a cooperative
 * settle or a close, an update and a settle. Every try opens its channel between two fresh funded
 * accounts, so a failing try never leaves a channel open that the next one would trip over.
 */
class ChannelPropertyTest {

    private static final Amount FUNDING = ether(12);
    private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final SecureRandom RANDOM = new SecureRandom();

    private ChannelFixture f;

    @BeforeProperty
    void deploy() {
        f = ChannelFixture.deploy(SharedAnvil.get());
    }

    @Property(tries = 20)
    void everySettlementPaysOutExactlyWhatTheChannelHolds(@ForAll("histories") List<Step> history,
                                                          @ForAll("proofs") Sent byA, @ForAll("proofs") Sent byB,
                                                          @ForAll Ending ending) {
        TestChannel channel = new TestChannel(history);
        Settlement settlement = switch (ending) {
            case COOPERATIVE -> channel.settleCooperatively(byA, byB);
            case CLOSED_BY_A -> channel.closeAndSettle(Side.A, byA, byB);
            case CLOSED_BY_B -> channel.closeAndSettle(Side.B, byA, byB);
        };

        assertThat(settlement.payouts().a().plus(settlement.payouts().b())).isEqualTo(settlement.held());
        assertThat(settlement.contractPaidOut()).isEqualTo(settlement.held());
        assertThat(settlement.receivedByA()).isEqualTo(settlement.payouts().a());
        assertThat(settlement.receivedByB()).isEqualTo(settlement.payouts().b());
    }

    @Property(tries = 20)
    void closedChannelSettlesExactlyAsCoreComputes(@ForAll("histories") List<Step> history,
                                                   @ForAll("proofs") Sent byA, @ForAll("proofs") Sent byB,
                                                   @ForAll Side closer) {
        TestChannel channel = new TestChannel(history);
        Settlement settlement = channel.closeAndSettle(closer, byA, byB);

        ChannelTotals totals = channel.totals(byA, byB);
        assertThat(settlement.held()).isEqualTo(totals.held());
        assertThat(settlement.payouts()).isEqualTo(totals.payouts());
    }

    /**
     * The submitter credits itself with one of the partner's proofs: as the closer (Alice closes with one
     * of Bob's proofs) or as the non-closer (Bob updates with one of Alice's). Two channels with the same
     * deposits are settled, one on an older proof and one on the newest; the older never pays more.
     */
    @Property(tries = 15)
    void submittingAnOlderProofNeverRaisesTheSubmittersPayout(@ForAll("deposits") Amount depositA,
                                                              @ForAll("deposits") Amount depositB,
                                                              @ForAll("partnerProofs") PartnerProofs partner,
                                                              @ForAll("proofs") Sent submittersOwn,
                                                              @ForAll Role submitter) {
        List<Step> deposits = List.of(new Deposit(Side.A, depositA), new Deposit(Side.B, depositB));
        Amount withOlder = submitter.payoutAfterSubmitting(new TestChannel(deposits), partner.older(), submittersOwn);
        Amount withNewest = submitter.payoutAfterSubmitting(new TestChannel(deposits), partner.newest(), submittersOwn);

        assertThat(withOlder).isLessThanOrEqualTo(withNewest);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Side> sides = Arbitraries.of(Side.class);
        Arbitrary<Step> deposits = Combinators.combine(sides, deposits()).as(Deposit::new);
        Arbitrary<Step> withdraws = Combinators.combine(sides, Arbitraries.integers().between(1, 1000))
                .as(Withdraw::new);
        return Arbitraries.frequencyOf(Tuple.of(3, deposits), Tuple.of(1, withdraws)).list().ofMinSize(1).ofMaxSize(5);
    }

    @Provide
    Arbitrary<Amount> deposits() {
        return amounts(Amount.of(1), ether(2));
    }

    @Provide
    Arbitrary<Sent> proofs() {
        Arbitrary<Amount> transferred = Arbitraries.frequencyOf(
                Tuple.of(6, amounts(Amount.ZERO, ether(1))), // within a typical deposit
                Tuple.of(3, amounts(Amount.ZERO, ether(12))), // often beyond all deposits
                Tuple.of(1, amounts(Amount.ZERO, Amount.of(UINT128_MAX)))); // absurd, up to what the contract takes
        Arbitrary<Sent> signed = Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), transferred)
                .as(Sent::new);
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Sent.NOTHING)), Tuple.of(4, signed));
    }

    @Provide
    Arbitrary<PartnerProofs> partnerProofs() {
        Arbitrary<Long> nonceGaps = Arbitraries.longs().between(1, 1_000);
        Arbitrary<Amount> increments = amounts(Amount.ZERO, ether(1));
        return Combinators.combine(nonceGaps, increments).as(Tuple::of).list().ofMinSize(2).ofMaxSize(5)
                .flatMap(steps -> Arbitraries.integers().between(0, steps.size() - 2)
                        .map(older -> PartnerProofs.of(steps, older)));
    }

    private static Arbitrary<Amount> amounts(Amount min, Amount max) {
        return Arbitraries.bigIntegers().between(min.value(), max.value()).map(Amount::of);
    }

    // ---------------------------------------------------------------- the model

    enum Side { A, B }

    enum Ending { COOPERATIVE, CLOSED_BY_A, CLOSED_BY_B }

    sealed interface Step permits Deposit, Withdraw {
    }

    /** A participant raises its own deposit by {@code increment}. */
    record Deposit(Side side, Amount increment) implements Step {
    }

    /** Both sign a withdraw of {@code permille}/1000 of what the channel holds to {@code side}. */
    record Withdraw(Side side, int permille) implements Step {
    }

    /** A participant's balance proof: what it has sent in all; nonce 0 is "nothing sent", never signed. */
    record Sent(long nonce, Amount transferred) {
        static final Sent NOTHING = new Sent(0, Amount.ZERO);
    }

    /** A partner's proofs in the order it signed them, and which one is the older the submitter uses. */
    record PartnerProofs(List<Sent> signed, int olderIndex) {

        static PartnerProofs of(List<Tuple.Tuple2<Long, Amount>> nonceGapsAndIncrements, int olderIndex) {
            List<Sent> signed = new ArrayList<>();
            long nonce = 0;
            Amount transferred = Amount.ZERO;
            for (Tuple.Tuple2<Long, Amount> step : nonceGapsAndIncrements) {
                nonce += step.get1();
                transferred = transferred.plus(step.get2());
                signed.add(new Sent(nonce, transferred));
            }
            return new PartnerProofs(List.copyOf(signed), olderIndex);
        }

        Sent older() {
            return signed.get(olderIndex);
        }

        Sent newest() {
            return signed.getLast();
        }
    }

    /** Who submits the partner's proof: Alice when she closes, or Bob when he updates after her close. */
    enum Role {
        CLOSER, NON_CLOSER;

        Amount payoutAfterSubmitting(TestChannel channel, Sent partnersProof, Sent own) {
            return switch (this) {
                case CLOSER -> channel.closeAndSettle(Side.A, own, partnersProof).payouts().a();
                case NON_CLOSER -> channel.closeAndSettle(Side.A, partnersProof, own).payouts().b();
            };
        }
    }

    /** What one settlement did: the payouts it announced and the ether that actually moved. */
    record Settlement(Payouts payouts, Amount held, Amount contractPaidOut, Amount receivedByA,
                      Amount receivedByB) {
    }

    /** A channel between two fresh accounts, with the deposit and withdraw totals the test put on chain. */
    private final class TestChannel {

        private final PrivateKey[] keys = {PrivateKey.random(RANDOM), PrivateKey.random(RANDOM)};
        private final ChainAccount[] accounts = new ChainAccount[2];
        private final Amount[] deposited = {Amount.ZERO, Amount.ZERO};
        private final Amount[] withdrawn = {Amount.ZERO, Amount.ZERO};
        private final long id;

        TestChannel(List<Step> history) {
            for (int side = 0; side < 2; side++) {
                accounts[side] = f.chain.account(keys[side]);
                f.deployer.transfer(accounts[side].address(), FUNDING);
            }
            id = f.channels.open(accounts[0], accounts[1].address(), Address.ZERO, PERIOD).channelId();
            history.forEach(this::apply);
        }

        private void apply(Step step) {
            switch (step) {
                case Deposit(Side side, Amount increment) -> {
                    int s = side.ordinal();
                    deposited[s] = deposited[s].plus(increment);
                    f.channels.setTotalDeposit(accounts[s], id, accounts[s].address(), deposited[s], increment);
                }
                case Withdraw(Side side, int permille) -> {
                    Amount amount = Amount.of(f.channels.held(id).value()
                            .multiply(BigInteger.valueOf(permille)).divide(BigInteger.valueOf(1000)));
                    if (amount.isZero()) {
                        return;
                    }
                    int s = side.ordinal();
                    withdrawn[s] = withdrawn[s].plus(amount);
                    Address to = accounts[s].address();
                    long expiry = f.chainTime() + PERIOD;
                    f.channels.setTotalWithdraw(f.outsider, id, to, withdrawn[s], expiry,
                            f.withdrawSignature(keys[0], id, to, withdrawn[s], expiry),
                            f.withdrawSignature(keys[1], id, to, withdrawn[s], expiry));
                }
            }
        }

        ChannelTotals totals(Sent byA, Sent byB) {
            return new ChannelTotals(deposited[0], withdrawn[0], byA.transferred(),
                    deposited[1], withdrawn[1], byB.transferred());
        }

        Settlement settleCooperatively(Sent byA, Sent byB) {
            Payouts payouts = totals(byA, byB).payouts();
            return measure(() -> f.channels.cooperativeSettle(f.outsider, id, payouts.a(), payouts.b(),
                    f.settleSignature(keys[0], id, payouts.a(), payouts.b()),
                    f.settleSignature(keys[1], id, payouts.a(), payouts.b())));
        }

        /** The closer submits its partner's proof, the non-closer then the closer's; anyone settles. */
        Settlement closeAndSettle(Side closer, Sent byA, Sent byB) {
            int c = closer.ordinal();
            int p = 1 - c;
            Sent byPartner = closer == Side.A ? byB : byA;
            Sent byCloser = closer == Side.A ? byA : byB;
            f.channels.close(accounts[c], id, byPartner.nonce(), byPartner.transferred(), signed(p, byPartner));
            if (byCloser.nonce() > 0) {
                f.channels.updateNonClosingProof(accounts[p], id, byCloser.nonce(), byCloser.transferred(),
                        signed(c, byCloser), Amount.ZERO, new byte[0]);
            }
            f.passChallengePeriod();
            return measure(() -> f.channels.settle(f.outsider, id));
        }

        private byte[] signed(int side, Sent sent) {
            return sent.nonce() == 0 ? new byte[0] : f.proof(keys[side], id, sent.nonce(), sent.transferred());
        }

        /** Runs the settling transaction (sent by the outsider, so A and B pay no gas) and sees what moved. */
        private Settlement measure(Supplier<TxReceipt> settle) {
            Amount held = f.channels.held(id);
            Amount contractBefore = f.chain.balance(f.channels.address());
            Amount aBefore = accounts[0].balance();
            Amount bBefore = accounts[1].balance();
            TxReceipt receipt = settle.get();
            ChannelSettled settled = f.channels.events(receipt).stream()
                    .filter(ChannelSettled.class::isInstance)
                    .map(ChannelSettled.class::cast)
                    .findFirst()
                    .orElseThrow();
            return new Settlement(new Payouts(settled.payoutA(), settled.payoutB()), held,
                    contractBefore.minus(f.chain.balance(f.channels.address())),
                    accounts[0].balance().minus(aBefore), accounts[1].balance().minus(bBefore));
        }
    }
}
