package io.turnpike.chain.market;

import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.chain.ChannelsContract.addr;
import static io.turnpike.chain.ChannelsContract.uint;
import static io.turnpike.chain.market.MarketFixture.ETHER_PLAN;
import static io.turnpike.chain.market.MarketFixture.MONTH;
import static io.turnpike.chain.market.MarketFixture.MONTHLY_FEE;
import static io.turnpike.chain.market.MarketFixture.MONTHLY_TOKENS;
import static io.turnpike.chain.market.MarketFixture.STAKE;
import static io.turnpike.chain.market.MarketFixture.STAKE_DELAY;
import static io.turnpike.chain.market.MarketFixture.TOKEN_PLAN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.Eip1559Transaction;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.Fees;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.market.MarketEvent.FailedTransferWithdrawn;
import io.turnpike.chain.market.MarketEvent.Subscribed;
import io.turnpike.chain.market.MarketEvent.TransferFailed;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * Attacks on TurnpikeMarket, each on a real anvil: the contract refuses it with the named error and no wei moves
 * that should not, or, where the attack is on someone else's transfer, the market pays exactly once and keeps
 * the rest claimable.
 */
@ExtendWith(AnvilExtension.class)
class MarketAttackTest {

    private static final BigInteger UINT128_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final BigInteger UINT256_RANGE = BigInteger.ONE.shiftLeft(256);
    /** Ample for any market call, so queued transactions need no estimate against a state that is about to change. */
    private static final long GAS_LIMIT = 500_000;

    private MarketFixture f;

    @BeforeEach
    void deploy(Anvil anvil) {
        f = MarketFixture.deploy(anvil);
    }

    // ---------------------------------------------------------------- price and periods

    @Test
    void priceRaisedInTheSameBlockBeforeTheSubscriptionIsRefused() {
        f.registerProvider();
        Amount raised = MONTHLY_FEE.times(2);
        Amount providerBefore = f.provider.balance();
        Amount aliceBefore = f.alice.balance();
        String subscribe = MarketContract.subscribeCall(f.provider.address(), ETHER_PLAN, BigInteger.valueOf(3),
                MONTHLY_FEE, f.bob.address());

        TransactionReceipt raise;
        TransactionReceipt subscription;
        f.anvil.setAutomine(false); // both wait in the pool, as on a real chain
        try {
            Fees fees = f.chain.feeQuote();
            // The provider sees the subscription coming and outbids it to be mined first.
            Bytes32 raiseHash = submit(f.providerKey, MarketContract.updateCall(f.recordWithEtherPrice(raised)),
                    Amount.ZERO, fees.bumped());
            Bytes32 subscriptionHash = submit(f.aliceKey, subscribe, MONTHLY_FEE.times(3), fees);
            f.anvil.mine();
            raise = f.chain.receipt(raiseHash).orElseThrow();
            subscription = f.chain.receipt(subscriptionHash).orElseThrow();
        } finally {
            f.anvil.setAutomine(true);
        }

        assertThat(subscription.getBlockNumber()).isEqualTo(raise.getBlockNumber());
        assertThat(subscription.getTransactionIndex()).isGreaterThan(raise.getTransactionIndex());
        assertThat(raise.isStatusOK()).isTrue();
        assertThat(subscription.isStatusOK()).isFalse();
        assertThat(f.plan(ETHER_PLAN).pricePerPeriod()).isEqualTo(raised);
        assertThat(f.expiryOfBob(ETHER_PLAN)).isZero();
        assertThat(f.provider.balance()).isEqualTo(providerBefore.minus(TxReceipt.of(raise).fee()));
        assertThat(f.alice.balance()).as("only the gas").isEqualTo(aliceBefore.minus(TxReceipt.of(subscription).fee()));
        assertThat(f.chain.balance(f.market.address())).isEqualTo(STAKE);
        // The receipt carries no reason; the same call on the same state names it.
        f.assertRefused("PriceAboveMax",
                () -> f.alice.send(f.market.address(), MONTHLY_FEE.times(3), subscribe, MarketContract.ARTIFACT));
    }

    @Test
    void priceAboveTheSubscribersMaximumIsRefused() {
        f.registerProvider();

        f.assertRefused("PriceAboveMax", () -> f.market.subscribe(f.alice, f.provider.address(), ETHER_PLAN, 1,
                MONTHLY_FEE.minus(Amount.of(1)), f.bob.address(), MONTHLY_FEE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("periodsOutOfRange")
    void periodsOutsideOneToTheMaximumAreRefused(BigInteger periods) {
        f.registerProvider();
        // What a contract that multiplied without a check would have asked for.
        Amount wrapped = Amount.of(MONTHLY_FEE.value().multiply(periods).mod(UINT256_RANGE));
        String call = MarketContract.subscribeCall(f.provider.address(), ETHER_PLAN, periods, MONTHLY_FEE,
                f.bob.address());

        f.assertRefused("PeriodsOutOfRange",
                () -> f.alice.send(f.market.address(), wrapped, call, MarketContract.ARTIFACT));
    }

    static Stream<Named<BigInteger>> periodsOutOfRange() {
        BigInteger wrapsToOne = UINT256_RANGE.divide(MONTHLY_FEE.value()).add(BigInteger.ONE);
        return Stream.of(Named.of("none", BigInteger.ZERO),
                Named.of("one over the maximum", BigInteger.valueOf(MarketContract.MAX_PERIODS + 1)),
                Named.of("price × periods overflows 2^256", wrapsToOne));
    }

    @Test
    void paymentShortOfThePriceIsRefused() {
        f.registerProvider();

        f.assertRefused("WrongValue", () -> f.market.subscribe(f.alice, f.provider.address(), ETHER_PLAN, 3,
                MONTHLY_FEE, f.bob.address(), MONTHLY_FEE.times(3).minus(Amount.of(1))));
        f.assertRefused("WrongValue", () -> f.market.subscribe(f.alice, f.provider.address(), TOKEN_PLAN, 1,
                MONTHLY_TOKENS, f.bob.address(), Amount.of(1)));
    }

    @Test
    void subscriptionForTheZeroAddressIsRefused() {
        f.registerProvider();

        f.assertRefused("InvalidBeneficiary", () -> f.market.subscribe(f.alice, f.provider.address(),
                f.plan(ETHER_PLAN), 1, Address.ZERO));
    }

    @Test
    void feeOnTransferTokenPlanIsRefusedAndNoTokenMoves() {
        Erc20 feeToken = Erc20.deploy(f.deployer, ContractArtifact.load("FeeOnTransferToken"));
        feeToken.mint(f.deployer, f.alice.address(), Amount.of(1_000_000));
        Plan burning = new Plan(3, feeToken.address(), Amount.of(10_000), MONTH);
        ProviderRecord record = f.record();
        f.market.register(f.provider, new ProviderRecord(record.endpoint(), record.services(), List.of(burning)),
                STAKE);
        feeToken.approve(f.alice, f.market.address(), Amount.of(Amount.MAX_UINT256));

        // The token burns 1 %: the provider would get 9,900 for a plan priced 10,000.
        f.assertRefused("TransferShort", () -> f.market.subscribe(f.alice, f.provider.address(), burning.planId(), 1,
                burning.pricePerPeriod(), f.bob.address(), Amount.ZERO));
        assertThat(feeToken.balanceOf(f.alice.address())).isEqualTo(Amount.of(1_000_000));
        assertThat(feeToken.balanceOf(f.provider.address())).isEqualTo(Amount.ZERO);
        assertThat(f.market.expiresAt(f.bob.address(), f.provider.address(), 3)).isZero();
    }

    // ---------------------------------------------------------------- who is paid

    @Test
    void deregisteredProviderCannotBePaid() {
        f.registerProvider();
        Plan asRead = f.plan(ETHER_PLAN);
        f.market.deregister(f.provider);

        f.assertRefused("ProviderNotRegistered",
                () -> f.market.subscribe(f.alice, f.provider.address(), asRead, 1, f.bob.address()));
    }

    @Test
    void removedOrUnknownPlanCannotBePaid() {
        f.registerProvider();
        f.token.approve(f.alice, f.market.address(), MONTHLY_TOKENS);
        f.market.update(f.provider, new ProviderRecord(f.record().endpoint(), List.of(),
                List.of(MarketFixture.etherPlan(MONTHLY_FEE))));

        f.assertRefused("UnknownPlan", () -> f.market.subscribe(f.alice, f.provider.address(), TOKEN_PLAN, 1,
                MONTHLY_TOKENS, f.bob.address(), Amount.ZERO));
        f.assertRefused("UnknownPlan", () -> f.market.subscribe(f.alice, f.provider.address(), 99, 1, MONTHLY_FEE,
                f.bob.address(), MONTHLY_FEE));
    }

    @Test
    void planAssetAndPeriodCannotChangeUnderSubscribers() {
        f.registerProvider();
        Plan etherPlan = f.plan(ETHER_PLAN);
        List<Plan> changed = List.of(
                new Plan(ETHER_PLAN, Address.ZERO, MONTHLY_FEE, MONTH / 30), // a day for a month's fee
                new Plan(ETHER_PLAN, f.token.address(), MONTHLY_FEE, MONTH)); // the same number, another asset

        for (Plan plan : changed) {
            f.assertRefused("PlanTermsFixed", () -> f.market.update(f.provider,
                    new ProviderRecord(f.record().endpoint(), List.of(), List.of(plan))));
        }
        // Removed and added back later: still the same terms.
        f.market.update(f.provider, new ProviderRecord(f.record().endpoint(), List.of(), List.of()));
        f.assertRefused("PlanTermsFixed", () -> f.market.update(f.provider,
                new ProviderRecord(f.record().endpoint(), List.of(), List.of(changed.get(0)))));
        f.market.update(f.provider, new ProviderRecord(f.record().endpoint(), List.of(), List.of(etherPlan)));
        assertThat(f.plan(ETHER_PLAN)).isEqualTo(etherPlan);
    }

    @ParameterizedTest(name = "{1} → {0}")
    @MethodSource("malformedRecords")
    void malformedRecordIsRefused(String error, UnaryOperator<ProviderRecord> malform) {
        f.assertRefused(error, () -> f.market.register(f.provider, malform.apply(f.record()), STAKE));
        assertThat(f.market.providers()).isEmpty();
    }

    static Stream<Arguments> malformedRecords() {
        Plan plan = MarketFixture.etherPlan(MONTHLY_FEE);
        Service service = new Service("mailbox", "message-byte", Address.ZERO, Amount.of(1));
        return Stream.of(
                malformed("InvalidEndpoint", "no endpoint", r -> withEndpoint(r, "")),
                malformed("InvalidEndpoint", "a 257-byte endpoint", r -> withEndpoint(r, "w".repeat(257))),
                malformed("TooManyServices", "17 services",
                        r -> new ProviderRecord(r.endpoint(), Collections.nCopies(17, service), r.plans())),
                malformed("TooManyPlans", "17 plans", r -> withPlans(r, LongStream.range(0, 17)
                        .mapToObj(id -> new Plan(id, Address.ZERO, MONTHLY_FEE, MONTH)).toList())),
                malformed("InvalidService", "a service without a name", r -> new ProviderRecord(r.endpoint(),
                        List.of(new Service("", "byte", Address.ZERO, Amount.of(1))), r.plans())),
                malformed("InvalidService", "a 33-byte unit", r -> new ProviderRecord(r.endpoint(),
                        List.of(new Service("relay", "b".repeat(33), Address.ZERO, Amount.of(1))), r.plans())),
                malformed("InvalidService", "a price over 96 bits", r -> new ProviderRecord(r.endpoint(),
                        List.of(new Service("relay", "byte", Address.ZERO, Amount.of(BigInteger.ONE.shiftLeft(96)))),
                        r.plans())),
                malformed("DuplicatePlan", "one plan id twice", r -> withPlans(r, List.of(plan, plan))),
                malformed("InvalidPlan", "a free plan",
                        r -> withPlans(r, List.of(new Plan(1, Address.ZERO, Amount.ZERO, MONTH)))),
                malformed("InvalidPlan", "a plan of no time",
                        r -> withPlans(r, List.of(new Plan(1, Address.ZERO, MONTHLY_FEE, 0)))),
                malformed("InvalidPlan", "a price over 128 bits", r -> withPlans(r,
                        List.of(new Plan(1, Address.ZERO, Amount.of(UINT128_MAX.add(BigInteger.ONE)), MONTH)))),
                malformed("InvalidPlan", "a period over 32 bits",
                        r -> withPlans(r, List.of(new Plan(1, Address.ZERO, MONTHLY_FEE, 1L << 32)))),
                malformed("NotAToken", "an asset with no code", r -> withPlans(r,
                        List.of(new Plan(1, PrivateKey.random(new SecureRandom()).address(), MONTHLY_FEE, MONTH)))));
    }

    @Test
    void registeringTwiceAndUpdatingWithoutRegisteringAreRefused() {
        f.assertRefused("ProviderNotRegistered", () -> f.market.update(f.provider, f.record()));
        f.assertRefused("ProviderNotRegistered", () -> f.market.deregister(f.provider));
        f.assertRefused("ProviderNotRegistered", () -> f.market.stake(f.provider, STAKE));
        f.registerProvider();
        f.assertRefused("AlreadyRegistered", () -> f.market.register(f.provider, f.record(), Amount.ZERO));
        f.assertRefused("NothingToStake", () -> f.market.stake(f.provider, Amount.ZERO));
    }

    @Test
    void deploymentWithAStakeDelayBeyond32BitsIsRefused() {
        assertThatThrownBy(() -> MarketContract.deploy(f.deployer, 1L << 32))
                .isInstanceOfSatisfying(ContractRevertException.class,
                        refused -> assertThat(refused.error()).isEqualTo("InvalidStakeDelay"));
    }

    @Test
    void etherSentStraightToTheMarketIsRefused() {
        f.registerProvider();
        MarketFixture.Holdings before = f.holdings();

        assertThatThrownBy(() -> f.outsider.transfer(f.market.address(), ether(1)))
                .isInstanceOf(ChainRpcException.class);
        assertThat(f.holdings()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- stake

    @Test
    void stakeCannotLeaveBeforeItsAnnouncedDelay() {
        f.registerProvider();
        f.assertRefused("NoWithdrawalAnnounced", () -> f.market.withdrawStake(f.provider, f.provider.address()));
        f.assertRefused("AmountExceedsStake",
                () -> f.market.announceUnstake(f.provider, STAKE.plus(Amount.of(1))));

        f.market.announceUnstake(f.provider, ether(1));
        f.anvil.advanceTime(STAKE_DELAY - 60);
        f.assertRefused("StakeLocked", () -> f.market.withdrawStake(f.provider, f.provider.address()));

        // Announcing a small amount early and raising it once the wait is over restarts the wait.
        f.anvil.advanceTime(120);
        f.market.announceUnstake(f.provider, STAKE);
        f.assertRefused("StakeLocked", () -> f.market.withdrawStake(f.provider, f.provider.address()));
        // Nobody else can take it: the outsider has announced nothing of its own.
        f.anvil.advanceTime(STAKE_DELAY);
        f.assertRefused("NoWithdrawalAnnounced", () -> f.market.withdrawStake(f.outsider, f.outsider.address()));
    }

    // ---------------------------------------------------------------- hostile receivers

    @Test
    void providerThatRefusesEtherIsPaidIntoAPullBalance() {
        HostileAccount hostile = HostileAccount.deploy(f);
        hostile.call(Amount.ZERO, MarketContract.registerCall(f.record()));
        hostile.setMode(HostileAccount.Mode.REVERT, "0x");
        Amount paid = MONTHLY_FEE.times(3);

        MarketContract.Subscription subscription =
                f.market.subscribe(f.alice, hostile.address(), f.record().plan(ETHER_PLAN).orElseThrow(), 3,
                        f.bob.address());

        assertThat(f.market.events(subscription.receipt())).containsExactly(
                new Subscribed(f.alice.address(), f.bob.address(), hostile.address(), ETHER_PLAN, 3, paid,
                        f.blockTime(subscription.receipt()) + 3 * MONTH),
                new TransferFailed(hostile.address(), paid));
        assertThat(f.market.expiresAt(f.bob.address(), hostile.address(), ETHER_PLAN))
                .as("the subscriber got what it paid for").isEqualTo(subscription.event().expiresAt());
        assertThat(f.chain.balance(hostile.address())).isEqualTo(Amount.ZERO);
        assertThat(f.market.failedTransfer(hostile.address())).isEqualTo(paid);
        assertThat(f.chain.balance(f.market.address())).isEqualTo(paid);

        Address rescue = PrivateKey.random(new SecureRandom()).address();
        TxReceipt claimed = hostile.call(Amount.ZERO, MarketContract.withdrawFailedCall(rescue));
        assertThat(f.market.events(claimed)).containsExactly(new FailedTransferWithdrawn(hostile.address(), rescue,
                paid));
        assertThat(f.chain.balance(rescue)).isEqualTo(paid);
        assertThat(f.market.failedTransfer(hostile.address())).isEqualTo(Amount.ZERO);
        assertThat(f.chain.balance(f.market.address())).isEqualTo(Amount.ZERO);
    }

    @Test
    void reentryThroughTheProvidersPaymentGetsNothingTwice() {
        HostileAccount hostile = HostileAccount.deploy(f);
        hostile.call(Amount.ZERO, MarketContract.registerCall(f.record()));
        hostile.setMode(HostileAccount.Mode.REENTER, MarketContract.withdrawFailedCall(hostile.address()));
        Amount paid = MONTHLY_FEE.times(2);

        // The payment forwards 30,000 gas, too little for the re-entry attempt: it waits in the pull balance.
        f.market.subscribe(f.alice, hostile.address(), f.record().plan(ETHER_PLAN).orElseThrow(), 2, f.bob.address());
        assertThat(f.market.failedTransfer(hostile.address())).isEqualTo(paid);

        // The claim forwards all its gas, so here the re-entry really runs, and gets nothing.
        hostile.call(Amount.ZERO, MarketContract.withdrawFailedCall(hostile.address()));
        assertThat(hostile.counter("reentryAttempts")).isEqualTo(1);
        assertThat(hostile.counter("reentrySuccesses")).isZero();
        assertThat(f.chain.balance(hostile.address())).isEqualTo(paid);
        assertThat(f.chain.balance(f.market.address())).isEqualTo(Amount.ZERO);
        assertThatThrownBy(() -> hostile.call(Amount.ZERO, MarketContract.withdrawFailedCall(hostile.address())))
                .isInstanceOfSatisfying(ContractRevertException.class,
                        refused -> assertThat(refused.error()).isEqualTo("NothingToWithdraw"));
    }

    @Test
    void subscriberCannotSubscribeAgainFromInsideItsOwnRefund() {
        f.registerProvider();
        HostileAccount hostile = HostileAccount.deploy(f);
        f.token.mint(f.deployer, hostile.address(), MONTHLY_TOKENS);
        hostile.exec(f.token.address(), Amount.ZERO, FunctionEncoder.encode(new Function("approve",
                List.of(addr(f.market.address()), uint(MONTHLY_TOKENS)),
                List.of())), null);
        String tokenSubscription = MarketContract.subscribeCall(f.provider.address(), TOKEN_PLAN, BigInteger.ONE,
                MONTHLY_TOKENS, f.bob.address());
        hostile.setMode(HostileAccount.Mode.REENTER, tokenSubscription);
        Amount providerBefore = f.provider.balance();
        Amount excess = ether(1);

        TxReceipt paid = hostile.call(MONTHLY_FEE.plus(excess), MarketContract.subscribeCall(f.provider.address(),
                ETHER_PLAN, BigInteger.ONE, MONTHLY_FEE, f.bob.address()));

        assertThat(hostile.counter("reentryAttempts")).isEqualTo(1);
        assertThat(hostile.counter("reentrySuccesses")).isZero();
        assertThat(f.market.events(paid)).hasSize(1);
        assertThat(f.expiryOfBob(ETHER_PLAN)).isEqualTo(f.blockTime(paid) + MONTH);
        assertThat(f.expiryOfBob(TOKEN_PLAN)).isZero();
        assertThat(f.token.balanceOf(f.provider.address())).isEqualTo(Amount.ZERO);
        assertThat(f.provider.balance()).isEqualTo(providerBefore.plus(MONTHLY_FEE));
        assertThat(f.chain.balance(hostile.address())).as("the excess came back").isEqualTo(excess);
        // Outside a refund the same call goes through: it was the lock that stopped it.
        hostile.call(Amount.ZERO, tokenSubscription);
        assertThat(f.token.balanceOf(f.provider.address())).isEqualTo(MONTHLY_TOKENS);
    }

    @Test
    void subscriberThatRefusesItsRefundSubscribesNothing() {
        f.registerProvider();
        HostileAccount hostile = HostileAccount.deploy(f);
        hostile.setMode(HostileAccount.Mode.REVERT, "0x");
        String call = MarketContract.subscribeCall(f.provider.address(), ETHER_PLAN, BigInteger.ONE, MONTHLY_FEE,
                f.bob.address());

        f.assertRefused("RefundFailed", () -> hostile.call(MONTHLY_FEE.plus(Amount.of(1)), call),
                hostile.address());
    }

    // ---------------------------------------------------------------- helpers

    /** Signs and hands a market call to the pool without waiting for it, as a wallet does. */
    private Bytes32 submit(PrivateKey key, String data, Amount value, Fees fees) {
        Eip1559Transaction tx = new Eip1559Transaction(f.chain.chainId(), f.chain.pendingNonce(key.address()),
                GAS_LIMIT, f.market.address(), value, data, fees);
        return f.chain.sendRawTransaction(tx.sign(key));
    }

    private static Arguments malformed(String error, String what, UnaryOperator<ProviderRecord> malform) {
        return Arguments.of(error, Named.of(what, malform));
    }

    private static ProviderRecord withEndpoint(ProviderRecord r, String endpoint) {
        return new ProviderRecord(endpoint, r.services(), r.plans());
    }

    private static ProviderRecord withPlans(ProviderRecord r, List<Plan> plans) {
        return new ProviderRecord(r.endpoint(), r.services(), plans);
    }
}
