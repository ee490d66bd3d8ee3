package io.turnpike.bench;

import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.Plan;
import io.turnpike.chain.market.ProviderRecord;
import io.turnpike.chain.market.Service;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the gas of the TurnpikeMarket operations on a fresh deployment, for {@link GasReport}: a provider's
 * record and stake, and subscriptions paid in ether and in an ERC-20.
 */
final class MarketGas {

    private static final long MONTH = 30 * 24 * 3600;
    private static final long STAKE_DELAY = 7 * 24 * 3600;
    private static final Amount ETHER = Amount.of(1_000_000_000_000_000_000L);
    private static final Amount MONTHLY_FEE = Amount.of(10_000_000_000_000_000L);
    private static final String ENDPOINT = "wss://mail.example.org:7443/turnpike";

    /** Gas used per operation, in the table's order; then the two figures the notes below it give. */
    record Figures(Map<String, Long> gas, long tokenRegistration, long approve) {
    }

    private MarketGas() {
    }

    static Figures measure(Anvil anvil) {
        List<PrivateKey> keys = anvil.devKeys();
        ChainAccount deployer = anvil.connect().account(keys.get(0));
        ChainAccount first = deployer.chain().account(keys.get(1));
        ChainAccount provider = deployer.chain().account(keys.get(2));
        ChainAccount subscriber = deployer.chain().account(keys.get(3));
        MarketContract market = MarketContract.deploy(deployer, STAKE_DELAY);
        Erc20 token = Erc20.deployTestToken(deployer, "Gas Token", "GAS");
        token.mint(deployer, subscriber.address(), ETHER.times(1000));
        Plan etherPlan = new Plan(1, Address.ZERO, MONTHLY_FEE, MONTH);
        Plan tokenPlan = new Plan(2, token.address(), ETHER.times(5), MONTH);
        ProviderRecord record = new ProviderRecord(ENDPOINT,
                List.of(new Service("mailbox", "message-byte", Address.ZERO, Amount.of(2_000)),
                        new Service("rpc", "cost unit", Address.ZERO, Amount.of(1_000_000))),
                List.of(etherPlan, tokenPlan));
        Map<String, Long> gas = new LinkedHashMap<>();

        // The first record naming the token also gives the token its index; measured apart.
        long withTokenRegistration = market.register(first, record, Amount.ZERO).gasUsed();
        gas.put("register", market.register(provider, record, Amount.ZERO).gasUsed());
        gas.put("stake", market.stake(provider, ETHER).gasUsed());
        Plan repriced = new Plan(etherPlan.planId(), Address.ZERO, MONTHLY_FEE.times(2), MONTH);
        gas.put("update", market.update(provider, new ProviderRecord(record.endpoint(), record.services(),
                List.of(repriced, tokenPlan))).gasUsed());

        // Each provider has been paid before: the common case, not a first balance for it.
        Address earlier = fresh();
        market.subscribe(subscriber, provider.address(), repriced, 1, earlier);
        market.subscribe(subscriber, provider.address(), tokenPlan, 1, earlier);

        Address beneficiary = fresh();
        gas.put("subscribe (ether)", market.subscribe(subscriber, provider.address(), repriced, 3, beneficiary)
                .receipt().gasUsed());
        long approve = token.approve(subscriber, market.address(), tokenPlan.priceFor(3)).gasUsed();
        gas.put("subscribe (ERC-20)", market.subscribe(subscriber, provider.address(), tokenPlan.planId(), 3,
                tokenPlan.pricePerPeriod(), beneficiary, Amount.ZERO).receipt().gasUsed());
        gas.put("renew (ether)", market.subscribe(subscriber, provider.address(), repriced, 1, beneficiary)
                .receipt().gasUsed());
        token.approve(subscriber, market.address(), tokenPlan.priceFor(1));
        gas.put("renew (ERC-20)", market.subscribe(subscriber, provider.address(), tokenPlan.planId(), 1,
                tokenPlan.pricePerPeriod(), beneficiary, Amount.ZERO).receipt().gasUsed());

        gas.put("announceUnstake", market.announceUnstake(provider, ETHER).gasUsed());
        anvil.advanceTime(STAKE_DELAY);
        gas.put("withdrawStake", market.withdrawStake(provider, provider.address()).gasUsed());
        gas.put("deregister", market.deregister(provider).gasUsed());
        return new Figures(gas, withTokenRegistration - gas.get("register"), approve);
    }

    static List<String> render(Figures figures) {
        List<String> lines = new ArrayList<>();
        lines.add("## TurnpikeMarket");
        lines.add("");
        lines.add("| operation | gas |");
        lines.add("|---|---:|");
        figures.gas().forEach((operation, gas) -> lines.add("| " + operation + " | " + GasReport.fmt(gas) + " |"));
        lines.add("");
        lines.add("Conditions: the record has an endpoint of " + ENDPOINT.length() + " bytes, two services and two "
                + "plans (one in ether, one in the test token); `stake` adds to a registered provider's stake; `update` changes a plan's "
                + "price; `subscribe` is a beneficiary's first subscription to the plan and `renew` the same "
                + "beneficiary again before expiry, each paying a provider that has been paid before; "
                + "`withdrawStake` sends the announced part once the delay is over. The first record that names a "
                + "token also registers the token: " + GasReport.fmt(figures.tokenRegistration())
                + " gas more, once per token per deployment.");
        lines.add("");
        lines.add("`register` is nearly all storage: every 32-byte word of the record is a fresh slot at 22,100 gas "
                + "(the endpoint's, each service's name, unit and asset with price, each plan's terms, the plan id "
                + "list, the listing), so a record costs in proportion to what it says. `update` rewrites the same "
                + "slots, which is cheaper once they hold something.");
        lines.add("");
        lines.add("An ERC-20 subscription pays the provider straight from the subscriber with the token's own "
                + "`transferFrom` (after an `approve` of " + GasReport.fmt(figures.approve()) + " gas, not counted above), "
                + "between two `balanceOf` reads of the provider's balance that refuse a token delivering less than "
                + "the price. An ether subscription pays the provider with a call of at most 30,000 gas; a provider "
                + "that refuses it is credited a pull balance instead.");
        lines.add("");
        return lines;
    }

    private static Address fresh() {
        return PrivateKey.random(new SecureRandom()).address();
    }
}
