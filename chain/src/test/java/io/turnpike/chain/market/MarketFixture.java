package io.turnpike.chain.market;

import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A fresh TurnpikeMarket deployment with a test token and four funded parties: a provider (registered by
 * {@link #registerProvider()}), Alice who pays for subscriptions, Bob who benefits from them, and an outsider.
 * The keys are not the ones {@link io.turnpike.chain.ChannelFixture} uses, so the two never share a nonce.
 */
public final class MarketFixture {

    public static final long STAKE_DELAY = 7 * 24 * 3600;
    public static final long MONTH = 30 * 24 * 3600;
    public static final long ETHER_PLAN = 1;
    public static final long TOKEN_PLAN = 2;
    public static final Amount MONTHLY_FEE = Amount.of(10_000_000_000_000_000L); // 0.01 ether
    public static final Amount MONTHLY_TOKENS = ether(5);
    public static final Amount STAKE = ether(2);

    public final Anvil anvil;
    public final Chain chain;
    public final MarketContract market;
    public final Erc20 token;
    public final PrivateKey providerKey;
    public final PrivateKey aliceKey;
    public final ChainAccount deployer;
    public final ChainAccount provider;
    public final ChainAccount alice;
    public final ChainAccount bob;
    public final ChainAccount outsider;

    private MarketFixture(Anvil anvil) {
        this.anvil = anvil;
        this.chain = anvil.connect();
        this.deployer = chain.account(anvil.devKeys().get(0));
        this.providerKey = anvil.devKeys().get(5);
        this.aliceKey = anvil.devKeys().get(6);
        this.provider = chain.account(providerKey);
        this.alice = chain.account(aliceKey);
        this.bob = chain.account(anvil.devKeys().get(7));
        this.outsider = chain.account(anvil.devKeys().get(8));
        this.market = MarketContract.deploy(deployer, STAKE_DELAY);
        this.token = Erc20.deployTestToken(deployer, "Market Token", "MKT");
        token.mint(deployer, alice.address(), ether(1000));
    }

    public static MarketFixture deploy(Anvil anvil) {
        return new MarketFixture(anvil);
    }

    /** A mail-server operator's record: a monthly plan in ether and one in the test token. */
    public ProviderRecord record() {
        return new ProviderRecord("wss://mail.example.org:7443/turnpike",
                List.of(new Service("mailbox", "message-byte", Address.ZERO, Amount.of(2_000)),
                        new Service("rpc", "cost unit", Address.ZERO, Amount.of(1_000_000))),
                List.of(etherPlan(MONTHLY_FEE), new Plan(TOKEN_PLAN, token.address(), MONTHLY_TOKENS, MONTH)));
    }

    /** {@link #record()} with the ether plan at another price. */
    public ProviderRecord recordWithEtherPrice(Amount pricePerPeriod) {
        ProviderRecord record = record();
        return new ProviderRecord(record.endpoint(), record.services(),
                List.of(etherPlan(pricePerPeriod), record.plan(TOKEN_PLAN).orElseThrow()));
    }

    public static Plan etherPlan(Amount pricePerPeriod) {
        return new Plan(ETHER_PLAN, Address.ZERO, pricePerPeriod, MONTH);
    }

    /** Registers {@link #provider} with {@link #record()} and {@link #STAKE}. */
    public TxReceipt registerProvider() {
        return market.register(provider, record(), STAKE);
    }

    public Plan plan(long planId) {
        return market.provider(provider.address()).record().plan(planId).orElseThrow();
    }

    /** Alice pays for {@code periods} months of {@code planId} for Bob, at the price the record shows. */
    public MarketContract.Subscription aliceSubscribesBob(long planId, long periods) {
        return market.subscribe(alice, provider.address(), plan(planId), periods, bob.address());
    }

    public long expiryOfBob(long planId) {
        return market.expiresAt(bob.address(), provider.address(), planId);
    }

    /** The timestamp of the block a transaction was mined in: the "now" the contract saw. */
    public long blockTime(TxReceipt receipt) {
        return chain.blockWithTransactions(receipt.blockNumber()).getTimestamp().longValueExact();
    }

    /**
     * Asserts that {@code attack} is refused with the custom error {@code error} and moves nothing: no wei of ether
     * or token anywhere, no stake, no record, no expiry, no pull balance.
     */
    public void assertRefused(String error, Runnable attack, Address... alsoWatched) {
        Holdings before = holdings(alsoWatched);
        assertThatThrownBy(attack::run).isInstanceOfSatisfying(ContractRevertException.class,
                refused -> assertThat(refused.error()).as(refused.getMessage()).isEqualTo(error));
        assertThat(holdings(alsoWatched)).isEqualTo(before);
    }

    /** Everything an attack on the market could move. */
    public Holdings holdings(Address... alsoWatched) {
        List<Address> watched = Stream.concat(
                Stream.of(provider.address(), alice.address(), bob.address(), outsider.address(), market.address()),
                Stream.of(alsoWatched)).distinct().toList();
        Function<Function<Address, Amount>, Map<Address, Amount>> each =
                balance -> watched.stream().collect(Collectors.toMap(a -> a, balance));
        return new Holdings(each.apply(chain::balance), each.apply(token::balanceOf),
                each.apply(market::failedTransfer), watched.stream().map(market::provider).toList(),
                List.of(expiryOfBob(ETHER_PLAN), expiryOfBob(TOKEN_PLAN)));
    }

    public record Holdings(Map<Address, Amount> ether, Map<Address, Amount> tokens, Map<Address, Amount> failed,
                           List<Provider> providers, List<Long> bobsExpiries) {
    }
}
