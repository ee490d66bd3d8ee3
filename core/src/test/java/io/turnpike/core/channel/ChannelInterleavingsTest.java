package io.turnpike.core.channel;

import static io.turnpike.core.channel.ChannelTest.ALICE;
import static io.turnpike.core.channel.ChannelTest.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Channel.Effect;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Two honest nodes and a chain, driven through random interleavings of payments both ways, lost messages,
 * reconnects, restarts, cooperative withdrawals (asked, co-signed, put on chain late or never, expired on a controlled
 * clock), cooperative and unilateral closes: whatever happened, once the channel is settled each node's books (what
 * it paid and earned through the channel) equal what the chain paid it back, withdrawals included, to the wei, and
 * both nodes' books agree. Each node keeps only what it persisted — the channel a transition returned — and its
 * effects leave only after that, which is the discipline the node follows.
 */
class ChannelInterleavingsTest {

    private static final Instant SETTLE_AT = Instant.ofEpochSecond(10_000);

    /** Something that happens between the two nodes. */
    sealed interface Step {
    }

    record AlicePays(int amount) implements Step {
    }

    record BobPays(int amount) implements Step {
    }

    /** The oldest message in flight arrives. */
    record Deliver() implements Step {
    }

    /** The oldest message in flight is lost (a receipt or proof never arrives). */
    record Lose() implements Step {
    }

    /** The connection drops and comes back: each side resends its newest proof if the other is behind. */
    record Reconnect() implements Step {
    }

    /** A node is killed: everything in flight is gone; it keeps what it persisted. */
    record Kill() implements Step {
    }

    record ProposeSettle(boolean byAlice) implements Step {
    }

    record CloseAlone(boolean byAlice) implements Step {
    }

    /** A node asks to withdraw {@code amount} more, to expire {@code expiresIn} seconds from now (maybe too late). */
    record Withdraws(boolean byAlice, int amount, int expiresIn) implements Step {
    }

    /** The oldest withdrawal whose two signatures its requester holds reaches the chain (or is refused by it). */
    record MineWithdraw() implements Step {
    }

    /**
     * An error reaches a node waiting for its withdrawal to be co-signed, and it stops counting the withdrawal. The
     * error need not be honest: a partner may have signed and still put both signatures on chain, so from then on only
     * the co-signer's own count stands between it and proofs the requester's side cannot cover.
     */
    record TakesRefusal(boolean byAlice) implements Step {
    }

    /** The chain's clock moves on. */
    record Tick(int seconds) implements Step {
    }

    /** Both nodes read the chain's totals at the newest block, whose time is the clock's. */
    record ReadTotals() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return histories(2, 1);
    }

    /** Histories in which withdrawals are common and settling early is rare, so many reach the chain. */
    @Provide
    Arbitrary<List<Step>> withdrawalHistories() {
        return histories(1, 6);
    }

    private static Arbitrary<List<Step>> histories(int settleWeight, int withdrawWeight) {
        // Mostly within what a side can spend and a co-signer accepts, sometimes beyond either.
        Arbitrary<Step> withdraws = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 1200).withoutEdgeCases(),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(-5, 0)),
                        Tuple.of(8, Arbitraries.integers().between(1, 600)),
                        Tuple.of(1, Arbitraries.integers().between(601, 700)))).as(Withdraws::new);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(1, 300).map(AlicePays::new)),
                Tuple.of(2, Arbitraries.integers().between(1, 100).map(BobPays::new)),
                Tuple.of(6, Arbitraries.just(new Deliver())),
                Tuple.of(2, Arbitraries.just(new Lose())),
                Tuple.of(2, Arbitraries.just(new Reconnect())),
                Tuple.of(2, Arbitraries.just(new Kill())),
                Tuple.of(settleWeight, Arbitraries.of(true, false).map(ProposeSettle::new)),
                Tuple.of(2, Arbitraries.of(true, false).map(CloseAlone::new)),
                Tuple.of(2 * withdrawWeight, withdraws),
                Tuple.of(withdrawWeight, Arbitraries.just(new MineWithdraw())),
                Tuple.of(withdrawWeight, Arbitraries.integers().between(1, 300).map(Tick::new)),
                Tuple.of(withdrawWeight, Arbitraries.just(new ReadTotals())),
                Tuple.of(3 * withdrawWeight, Arbitraries.of(true, false).map(TakesRefusal::new)));
        return Combinators.combine(step.list().ofMaxSize(40), Arbitraries.integers().between(0, 9))
                .as((steps, rareClose) -> rareClose == 0 ? steps : steps.stream()
                        .filter(s -> !(s instanceof CloseAlone)).toList());
    }

    @Property(tries = 200)
    void withdrawalsInAnyInterleavingLoseNeitherSideAWei(@ForAll("withdrawalHistories") List<Step> history) {
        afterAnyHistoryBothBooksEqualWhatTheChainPaid(history);
    }

    @Property(tries = 300)
    void afterAnyHistoryBothBooksEqualWhatTheChainPaid(@ForAll("histories") List<Step> history) {
        World world = new World();
        for (Step step : history) {
            world.run(step);
        }
        world.finish();

        Chain chain = world.chain;
        Statistics.label("withdrawn on chain").collect(chain.withdrawnA.isZero() && chain.withdrawnB.isZero() ? "none"
                : world.refusalTaken ? "after a refusal taken" : "yes");
        assertThat(chain.settled).isTrue();
        Channel alice = world.alice;
        Channel bob = world.bob;
        assertThat(alice.status()).isEqualTo(ChannelStatus.SETTLED);
        assertThat(bob.status()).isEqualTo(ChannelStatus.SETTLED);
        // What the chain paid each side — at settlement and in withdrawals — against its deposit, is at least what its
        // books say it gained: no interleaving lets either side lose a wei.
        BigInteger chainGainA = chain.payoutA.plus(chain.withdrawnA).value().subtract(alice.own().deposit().value());
        BigInteger chainGainB = chain.payoutB.plus(chain.withdrawnB).value().subtract(bob.own().deposit().value());
        BigInteger booksA = alice.earned().value().subtract(alice.paid().value());
        BigInteger booksB = bob.earned().value().subtract(bob.paid().value());
        assertThat(chainGainA).isGreaterThanOrEqualTo(booksA);
        assertThat(chainGainB).isGreaterThanOrEqualTo(booksB);
        assertThat(alice.own().withdrawn()).isEqualTo(chain.withdrawnA);
        assertThat(bob.own().withdrawn()).isEqualTo(chain.withdrawnB);
        if (!world.refusalTaken) {
            // Both honest and in step: the books agree, and equal the chain to the wei.
            assertThat(alice.paid()).isEqualTo(bob.earned());
            assertThat(alice.earned()).isEqualTo(bob.paid());
            assertThat(chainGainA).isEqualTo(booksA);
            assertThat(chainGainB).isEqualTo(booksB);
        }
    }

    /** A message on the wire, from one node to the other. */
    private record Message(boolean toBob, Object body) {
    }

    /** The contract's rules, for one channel: A is Alice. */
    private static final class Chain {
        final Amount depositA = Amount.of(1000);
        final Amount depositB = Amount.of(500);
        Amount withdrawnA = Amount.ZERO;
        Amount withdrawnB = Amount.ZERO;
        /** The newest block's time, in unix seconds. */
        long now = 1_000;
        boolean closed;
        boolean settled;
        Address closer;
        long closerReceivedNonce;
        Amount closerReceived = Amount.ZERO;
        long nonCloserReceivedNonce;
        Amount nonCloserReceived = Amount.ZERO;
        Amount payoutA;
        Amount payoutB;

        Amount held() {
            return depositA.plus(depositB).minus(withdrawnA).minus(withdrawnB);
        }

        /** setTotalWithdraw: open, not expired, growing, within what the channel holds. */
        Optional<Channel.WithdrawnOnChain> withdraw(Channel.SubmitWithdraw submit) {
            Withdraw w = submit.withdraw();
            boolean byAlice = w.participant().equals(ALICE.address());
            Amount current = byAlice ? withdrawnA : withdrawnB;
            assertThat(new Signed<>(w, submit.signatureA()).isSignedBy(ALICE.address(), ChannelTest.DOMAIN)).isTrue();
            assertThat(new Signed<>(w, submit.signatureB()).isSignedBy(BOB.address(), ChannelTest.DOMAIN)).isTrue();
            if (closed || settled || now > w.expiry() || !w.totalWithdraw().isGreaterThan(current)
                    || w.totalWithdraw().minus(current).isGreaterThan(held())) {
                return Optional.empty();
            }
            if (byAlice) {
                withdrawnA = w.totalWithdraw();
            } else {
                withdrawnB = w.totalWithdraw();
            }
            return Optional.of(new Channel.WithdrawnOnChain(w.participant(), w.totalWithdraw()));
        }

        Optional<Channel.SettledOnChain> cooperativeSettle(CooperativeSettle settlement) {
            if (closed || settled) {
                return Optional.empty(); // the contract refuses it: the channel is not open
            }
            if (!settlement.payoutA().plus(settlement.payoutB()).equals(held())) {
                return Optional.empty(); // PayoutsDoNotAddUp: a withdrawal landed after both signed
            }
            payoutA = settlement.payoutA();
            payoutB = settlement.payoutB();
            settled = true;
            return Optional.of(new Channel.SettledOnChain());
        }

        Optional<Channel.ClosedOnChain> close(Address by, Optional<Signed<BalanceProof>> proof) {
            if (closed || settled) {
                return Optional.empty();
            }
            closed = true;
            closer = by;
            closerReceivedNonce = proof.map(p -> p.message().nonce()).orElse(0L);
            closerReceived = proof.map(p -> p.message().transferred()).orElse(Amount.ZERO);
            return Optional.of(new Channel.ClosedOnChain(by, closerReceivedNonce, closerReceived, SETTLE_AT));
        }

        Optional<Channel.ProofUpdatedOnChain> update(Signed<BalanceProof> proof) {
            if (!closed || settled || proof.message().nonce() <= nonCloserReceivedNonce) {
                return Optional.empty();
            }
            nonCloserReceivedNonce = proof.message().nonce();
            nonCloserReceived = proof.message().transferred();
            return Optional.of(new Channel.ProofUpdatedOnChain(closer, nonCloserReceivedNonce, nonCloserReceived));
        }

        Optional<Channel.SettledOnChain> settle() {
            if (settled) {
                return Optional.empty();
            }
            boolean aliceClosed = closer.equals(ALICE.address());
            Amount transferredA = aliceClosed ? nonCloserReceived : closerReceived;
            Amount transferredB = aliceClosed ? closerReceived : nonCloserReceived;
            Payouts payouts = new ChannelTotals(depositA, withdrawnA, transferredA, depositB, withdrawnB, transferredB)
                    .payouts();
            payoutA = payouts.a();
            payoutB = payouts.b();
            settled = true;
            return Optional.of(new Channel.SettledOnChain());
        }
    }

    private static final class World {
        Channel alice = ChannelTest.aliceView();
        Channel bob = ChannelTest.bobView();
        final Chain chain = new Chain();
        final Deque<Message> wire = new ArrayDeque<>();
        /** Withdrawals whose requester holds both signatures, on their way to the chain. */
        final Deque<Channel.SubmitWithdraw> mempool = new ArrayDeque<>();
        boolean refusalTaken;
        /** The chain's events, which both nodes see in the order they happened. */
        final Deque<Channel.Event> events = new ArrayDeque<>();

        void run(Step step) {
            happen(step);
            while (!events.isEmpty()) {
                Channel.Event event = events.pollFirst();
                attempt(true, event);
                attempt(false, event);
            }
        }

        private void happen(Step step) {
            switch (step) {
                case AlicePays pay -> attempt(true, new Channel.Pay(Amount.of(pay.amount()), ALICE));
                case BobPays pay -> attempt(false, new Channel.Pay(Amount.of(pay.amount()), BOB));
                case Deliver deliver -> deliver();
                case Lose lose -> wire.pollFirst();
                case Reconnect reconnect -> {
                    wire.clear();
                    resync(alice, bob, true);
                    resync(bob, alice, false);
                }
                case Kill kill -> wire.clear();
                case ProposeSettle propose -> attempt(propose.byAlice(),
                        new Channel.ProposeSettle(propose.byAlice() ? ALICE : BOB));
                case CloseAlone close -> attempt(close.byAlice(), new Channel.Close());
                case Withdraws withdraw -> attempt(withdraw.byAlice(), new Channel.RequestWithdraw(
                        Amount.of(withdraw.amount()), chain.now + withdraw.expiresIn(), withdraw.byAlice() ? ALICE : BOB));
                case MineWithdraw mine -> Optional.ofNullable(mempool.pollFirst()).flatMap(chain::withdraw)
                        .ifPresent(events::add);
                case Tick tick -> chain.now += tick.seconds();
                case TakesRefusal refusal -> {
                    refusalTaken |= (refusal.byAlice() ? alice : bob).own().pending().isPresent();
                    attempt(refusal.byAlice(), new Channel.WithdrawRefused());
                }
                case ReadTotals read -> {
                    ChannelSide a = new ChannelSide(chain.depositA, chain.withdrawnA);
                    ChannelSide b = new ChannelSide(chain.depositB, chain.withdrawnB);
                    Optional<Instant> at = Optional.of(Instant.ofEpochSecond(chain.now));
                    attempt(true, new Channel.TotalsRead(a, b, at));
                    attempt(false, new Channel.TotalsRead(b, a, at));
                }
            }
        }

        /** Ends the story: anything still open is closed on chain, the period runs out, the channel settles. */
        void finish() {
            while (!wire.isEmpty()) {
                run(new Deliver());
            }
            while (!mempool.isEmpty()) {
                run(new MineWithdraw());
            }
            if (!chain.settled) {
                run(new CloseAlone(true));
            }
            for (Instant time : List.of(SETTLE_AT, SETTLE_AT.plusSeconds(1))) {
                events.add(new Channel.ChainTime(time));
                run(new Reconnect());
            }
        }

        /** A node sends its newest proof again if its partner holds an older one, as the node's resync does. */
        private void resync(Channel from, Channel to, boolean toBob) {
            if (from.sentNonce() > to.receivedNonce()) {
                wire.addLast(new Message(toBob, new Channel.ReceiveProof(from.sent().orElseThrow())));
            }
        }

        private void deliver() {
            Message message = wire.pollFirst();
            if (message != null) {
                attempt(!message.toBob(), (Channel.Event) message.body());
            }
        }

        /** Applies an event to one node; a refusal changes nothing, as on the wire an error would come back. */
        private void attempt(boolean toAlice, Channel.Event event) {
            Channel current = toAlice ? alice : bob;
            PrivateKey key = toAlice ? ALICE : BOB;
            Channel.Transition transition;
            try {
                transition = current.transition(event);
            } catch (TurnpikeException refused) {
                return;
            }
            // Persisted first: the node keeps the next state before any effect leaves.
            if (toAlice) {
                alice = transition.channel();
            } else {
                bob = transition.channel();
            }
            for (Effect effect : transition.effects()) {
                act(toAlice, key, effect);
            }
        }

        private void act(boolean fromAlice, PrivateKey key, Effect effect) {
            boolean toBob = fromAlice;
            switch (effect) {
                case Channel.SendProof send -> wire.addLast(new Message(toBob, new Channel.ReceiveProof(send.proof())));
                case Channel.Credited credited -> {
                    // A receipt changes no channel state; losing it is covered by resync.
                }
                case Channel.SendSettleProposal proposal ->
                        wire.addLast(new Message(toBob, new Channel.SettleProposed(proposal.proposal(),
                                fromAlice ? BOB : ALICE)));
                case Channel.SendWithdrawRequest request -> wire.addLast(new Message(toBob,
                        new Channel.WithdrawRequested(request.request(), Instant.ofEpochSecond(chain.now),
                                fromAlice ? BOB : ALICE)));
                case Channel.SendWithdrawSignature signature -> wire.addLast(new Message(toBob,
                        new Channel.WithdrawSigned(signature.signature(), fromAlice ? BOB : ALICE)));
                case Channel.SubmitWithdraw withdraw -> mempool.addLast(withdraw);
                case Channel.SendSettleSignature signature ->
                        wire.addLast(new Message(toBob, new Channel.SettleSigned(signature.signature(),
                                fromAlice ? BOB : ALICE)));
                case Channel.SubmitCooperativeSettle settle -> chain.cooperativeSettle(settle.settlement())
                        .ifPresent(events::add);
                case Channel.SubmitClose close -> chain.close(key.address(), close.received()).ifPresent(events::add);
                case Channel.SubmitProofUpdate update -> chain.update(update.received()).ifPresent(events::add);
                case Channel.SubmitSettle settle -> chain.settle().ifPresent(events::add);
            }
        }
    }

    @Property(tries = 50)
    void aStaleCooperativeProposalNeverMovesTheBooks(@ForAll("histories") List<Step> history) {
        // The same histories, checked from the other angle: whenever the chain settled cooperatively, its payouts
        // are exactly what each side's frozen view gave, so nothing either side signed later can have counted.
        World world = new World();
        history.forEach(world::run);
        if (world.chain.settled && !world.chain.closed) {
            BigInteger gainedA = world.chain.payoutA.plus(world.chain.withdrawnA).value()
                    .subtract(world.chain.depositA.value());
            assertThat(gainedA).isEqualTo(world.alice.receivedTotal().value().subtract(world.alice.sentTotal().value()));
            assertThat(world.alice.status()).isEqualTo(ChannelStatus.SETTLED);
        }
    }
}
