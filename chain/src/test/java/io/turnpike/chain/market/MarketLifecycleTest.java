package io.turnpike.chain.market;

import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.chain.market.MarketFixture.ETHER_PLAN;
import static io.turnpike.chain.market.MarketFixture.MONTH;
import static io.turnpike.chain.market.MarketFixture.MONTHLY_FEE;
import static io.turnpike.chain.market.MarketFixture.MONTHLY_TOKENS;
import static io.turnpike.chain.market.MarketFixture.STAKE;
import static io.turnpike.chain.market.MarketFixture.STAKE_DELAY;
import static io.turnpike.chain.market.MarketFixture.TOKEN_PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.market.MarketContract.Subscription;
import io.turnpike.chain.market.MarketEvent.ProviderDeregistered;
import io.turnpike.chain.market.MarketEvent.ProviderRegistered;
import io.turnpike.chain.market.MarketEvent.ProviderUpdated;
import io.turnpike.chain.market.MarketEvent.StakeWithdrawn;
import io.turnpike.chain.market.MarketEvent.Staked;
import io.turnpike.chain.market.MarketEvent.Subscribed;
import io.turnpike.chain.market.MarketEvent.UnstakeAnnounced;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A provider's life in the market and its subscribers', on a real anvil, balances checked to the wei. */
@ExtendWith(AnvilExtension.class)
class MarketLifecycleTest {

    private MarketFixture f;

    @BeforeEach
    void deploy(Anvil anvil) {
        f = MarketFixture.deploy(anvil);
    }

    @Test
    void registeredProviderIsListedWithItsRecordAndStake() {
        TxReceipt registered = f.registerProvider();

        assertThat(f.market.events(registered)).containsExactly(new ProviderRegistered(f.provider.address()),
                new Staked(f.provider.address(), STAKE, STAKE));
        // What a client that knows only the market's address reads.
        MarketContract market = MarketContract.at(f.anvil.connect(), f.market.address());
        assertThat(market.providers()).containsExactly(f.provider.address());
        Provider listed = market.provider(f.provider.address());
        assertThat(listed).isEqualTo(new Provider(f.provider.address(), true, f.record(), STAKE, Amount.ZERO, 0));
        assertThat(f.chain.balance(f.market.address())).isEqualTo(STAKE);
    }

    @Test
    void subscriptionForThreeMonthsPaysTheProviderAtOnceAndRunsThreeMonths() {
        f.registerProvider();
        Amount providerBefore = f.provider.balance();
        Amount aliceBefore = f.alice.balance();

        Subscription paid = f.aliceSubscribesBob(ETHER_PLAN, 3);

        long expiry = f.blockTime(paid.receipt()) + 3 * MONTH;
        assertThat(paid.event()).isEqualTo(new Subscribed(f.alice.address(), f.bob.address(), f.provider.address(),
                ETHER_PLAN, 3, MONTHLY_FEE.times(3), expiry));
        assertThat(f.expiryOfBob(ETHER_PLAN)).isEqualTo(expiry);
        assertThat(f.provider.balance()).isEqualTo(providerBefore.plus(MONTHLY_FEE.times(3)));
        assertThat(f.alice.balance()).isEqualTo(aliceBefore.minus(MONTHLY_FEE.times(3)).minus(paid.receipt().fee()));
        assertThat(f.chain.balance(f.market.address())).as("nothing stays in the market").isEqualTo(STAKE);
        assertThat(f.market.expiresAt(f.alice.address(), f.provider.address(), ETHER_PLAN))
                .as("the payer is not the beneficiary").isZero();
    }

    @Test
    void renewalExtendsFromTheOldExpiryAndALapsedOneFromNow() {
        f.registerProvider();
        long firstExpiry = f.aliceSubscribesBob(ETHER_PLAN, 3).event().expiresAt();
        f.anvil.advanceTime(MONTH);

        Subscription renewed = f.aliceSubscribesBob(ETHER_PLAN, 2);
        assertThat(renewed.event().expiresAt()).isEqualTo(firstExpiry + 2 * MONTH);
        assertThat(f.expiryOfBob(ETHER_PLAN)).isEqualTo(firstExpiry + 2 * MONTH);

        f.anvil.advanceTime(5 * MONTH);
        assertThat(f.expiryOfBob(ETHER_PLAN)).as("lapsed")
                .isLessThan(f.chain.latestBlock().getTimestamp().longValueExact());
        Subscription afterLapse = f.aliceSubscribesBob(ETHER_PLAN, 1);
        assertThat(afterLapse.event().expiresAt())
                .as("the lapsed months are not paid for again").isEqualTo(f.blockTime(afterLapse.receipt()) + MONTH);
    }

    @Test
    void tokenPlanPaysTheProviderInTheTokenWithNothingLeftInTheMarket() {
        f.registerProvider();
        Amount aliceTokens = f.token.balanceOf(f.alice.address());

        Subscription paid = f.aliceSubscribesBob(TOKEN_PLAN, 2);

        assertThat(paid.event().paid()).isEqualTo(MONTHLY_TOKENS.times(2));
        assertThat(paid.event().expiresAt()).isEqualTo(f.blockTime(paid.receipt()) + 2 * MONTH);
        assertThat(f.token.balanceOf(f.provider.address())).isEqualTo(MONTHLY_TOKENS.times(2));
        assertThat(f.token.balanceOf(f.alice.address())).isEqualTo(aliceTokens.minus(MONTHLY_TOKENS.times(2)));
        assertThat(f.token.balanceOf(f.market.address())).isEqualTo(Amount.ZERO);
        assertThat(f.expiryOfBob(ETHER_PLAN)).as("plans run separately").isZero();
    }

    @Test
    void priceLoweredBeforeTheSubscriptionIsMinedIsWhatIsPaidAndTheRestComesBack() {
        f.registerProvider();
        Plan asRead = f.plan(ETHER_PLAN);
        Amount lowered = MONTHLY_FEE.minus(Amount.of(1_000));
        f.market.update(f.provider, f.recordWithEtherPrice(lowered));
        Amount providerBefore = f.provider.balance();
        Amount aliceBefore = f.alice.balance();

        Subscription paid = f.market.subscribe(f.alice, f.provider.address(), asRead, 3, f.bob.address());

        assertThat(paid.event().paid()).isEqualTo(lowered.times(3));
        assertThat(f.provider.balance()).isEqualTo(providerBefore.plus(lowered.times(3)));
        assertThat(f.alice.balance()).isEqualTo(aliceBefore.minus(lowered.times(3)).minus(paid.receipt().fee()));
    }

    @Test
    void updatedRecordReplacesEndpointServicesAndPlans() {
        f.registerProvider();
        ProviderRecord moved = new ProviderRecord("wss://mail2.example.org/turnpike", List.of(),
                List.of(MarketFixture.etherPlan(ether(1))));

        TxReceipt updated = f.market.update(f.provider, moved);

        assertThat(f.market.events(updated)).containsExactly(new ProviderUpdated(f.provider.address()));
        assertThat(f.market.provider(f.provider.address()).record()).isEqualTo(moved);
        assertThat(f.market.providers()).containsExactly(f.provider.address());
    }

    @Test
    void deregisteredProviderLeavesTheListAndPaidSubscriptionsKeepTheirExpiry() {
        f.registerProvider();
        long expiry = f.aliceSubscribesBob(ETHER_PLAN, 3).event().expiresAt();

        TxReceipt gone = f.market.deregister(f.provider);

        assertThat(f.market.events(gone)).containsExactly(new ProviderDeregistered(f.provider.address()));
        assertThat(f.market.providers()).isEmpty();
        Provider record = f.market.provider(f.provider.address());
        assertThat(record.registered()).isFalse();
        assertThat(record.record()).isEqualTo(new ProviderRecord("", List.of(), List.of()));
        assertThat(record.stake()).as("the stake leaves only the announced way").isEqualTo(STAKE);
        assertThat(f.expiryOfBob(ETHER_PLAN)).isEqualTo(expiry);
    }

    @Test
    void listingKeepsEveryRemainingProviderWhenOneInTheMiddleLeaves() {
        List<ChainAccount> providers = List.of(f.provider, funded(), funded(), funded());
        for (ChainAccount p : providers) {
            f.market.register(p, f.record(), Amount.ZERO);
        }

        f.market.deregister(providers.get(1));

        assertThat(f.market.providers()).containsExactlyInAnyOrder(providers.get(0).address(),
                providers.get(2).address(), providers.get(3).address());
        f.market.register(providers.get(1), f.record(), Amount.ZERO);
        assertThat(f.market.providers()).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void stakeLeavesAfterTheAnnouncedDelayToTheAddressNamed() {
        f.registerProvider();
        f.market.stake(f.provider, ether(1));
        Amount staked = STAKE.plus(ether(1));
        TxReceipt announced = f.market.announceUnstake(f.provider, ether(2));
        assertThat(f.market.stakeDelay()).isEqualTo(STAKE_DELAY);
        long withdrawableAt = f.blockTime(announced) + STAKE_DELAY;

        assertThat(f.market.events(announced))
                .containsExactly(new UnstakeAnnounced(f.provider.address(), ether(2), withdrawableAt));
        Provider listed = f.market.provider(f.provider.address());
        assertThat(listed.stake()).isEqualTo(staked);
        assertThat(listed.unstakeAt()).isEqualTo(withdrawableAt);
        assertThat(listed.committedStake()).as("what clients may still count on").isEqualTo(ether(1));

        f.anvil.advanceTime(STAKE_DELAY);
        Address cold = PrivateKey.random(new SecureRandom()).address();
        TxReceipt withdrawn = f.market.withdrawStake(f.provider, cold);

        assertThat(f.market.events(withdrawn))
                .containsExactly(new StakeWithdrawn(f.provider.address(), cold, ether(2)));
        assertThat(f.chain.balance(cold)).isEqualTo(ether(2));
        assertThat(f.chain.balance(f.market.address())).isEqualTo(ether(1));
        assertThat(f.market.provider(f.provider.address()))
                .extracting(Provider::stake, Provider::unstakeAmount, Provider::unstakeAt)
                .containsExactly(ether(1), Amount.ZERO, 0L);
    }

    @Test
    void announcingZeroCancelsAnAnnouncedWithdrawal() {
        f.registerProvider();
        f.market.announceUnstake(f.provider, STAKE);

        TxReceipt cancelled = f.market.announceUnstake(f.provider, Amount.ZERO);

        assertThat(f.market.events(cancelled))
                .containsExactly(new UnstakeAnnounced(f.provider.address(), Amount.ZERO, 0));
        assertThat(f.market.provider(f.provider.address()).committedStake()).isEqualTo(STAKE);
    }

    private ChainAccount funded() {
        ChainAccount account = f.chain.account(PrivateKey.random(new SecureRandom()));
        f.deployer.transfer(account.address(), ether(1));
        return account;
    }
}
