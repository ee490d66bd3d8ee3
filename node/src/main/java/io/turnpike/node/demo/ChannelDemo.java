package io.turnpike.node.demo;

import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.ChannelTotals;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Payouts;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * The demo scenario: a client (Alice) pays a provider (Bob) over a token channel on a local chain — open,
 * a stream of signed off-chain payments the provider verifies one by one, a cooperative settle — and
 * checks both parties' on-chain balances to the wei against the payments and the gas each one spent.
 */
public final class ChannelDemo {

    private static final Amount WHOLE = Amount.of(1_000_000_000_000_000_000L);
    private static final long CHALLENGE_PERIOD = 3600;

    /** One party's balances and costs; {@code expected*} are what the payments and receipts imply. */
    public record Party(String name, Address address, Amount etherBefore, Amount etherAfter, Amount tokensBefore,
                        Amount tokensAfter, Amount gasSpent, Amount expectedEtherAfter, Amount expectedTokensAfter) {

        public boolean balancesCheckOut() {
            return etherAfter.equals(expectedEtherAfter) && tokensAfter.equals(expectedTokensAfter);
        }
    }

    public record Result(Party client, Party provider, int payments, Amount paid, Duration streamingTime) {
        public boolean balancesCheckOut() {
            return client.balancesCheckOut() && provider.balancesCheckOut();
        }
    }

    private final Anvil anvil;
    private final PrintStream out;

    public ChannelDemo(Anvil anvil, PrintStream out) {
        this.anvil = anvil;
        this.out = out;
    }

    public Result run(int payments) {
        ChainAccount operator = anvil.connect().account(anvil.devKeys().get(0));
        step("Deploying TurnpikeChannels and a test token on anvil (chain id " + anvil.chainId() + ")");
        ChannelsContract channels = ChannelsContract.deploy(operator, 60, 30L * 24 * 3600);
        Erc20 token = Erc20.deployTestToken(operator, "Turnpike Demo Token", "TPD");
        Asset asset = Asset.erc20("TPD", token.address(), 18);
        out.printf("  contract %s%n  token    %s%n", channels.address(), token.address());

        SecureRandom random = new SecureRandom();
        PrivateKey aliceKey = PrivateKey.random(random);
        PrivateKey bobKey = PrivateKey.random(random);
        ChainAccount alice = operator.chain().account(aliceKey);
        ChainAccount bob = operator.chain().account(bobKey);
        step("Funding two fresh keys with 10 ETH and 1,000 TPD each");
        for (ChainAccount party : new ChainAccount[] {alice, bob}) {
            operator.transfer(party.address(), WHOLE.times(10));
            token.mint(operator, party.address(), WHOLE.times(1000));
        }
        Ledger aliceLedger = new Ledger("Alice (client)", alice, token);
        Ledger bobLedger = new Ledger("Bob (provider)", bob, token);

        Amount aliceDeposit = WHOLE.times(100);
        Amount bobDeposit = WHOLE.times(10);
        step("Alice opens a channel to Bob with " + asset.format(aliceDeposit) + "; Bob deposits "
                + asset.format(bobDeposit));
        aliceLedger.spent(token.approve(alice, channels.address(), aliceDeposit));
        ChannelsContract.Opened opened = channels.openWithDeposit(alice, bob.address(), token.address(),
                CHALLENGE_PERIOD, aliceDeposit);
        aliceLedger.spent(opened.receipt());
        long channelId = opened.channelId();
        bobLedger.spent(token.approve(bob, channels.address(), bobDeposit));
        bobLedger.spent(channels.setTotalDeposit(bob, channelId, bob.address(), bobDeposit, Amount.ZERO));
        out.printf("  channel #%d open, %s held%n", channelId, asset.format(channels.held(channelId)));

        step("Streaming " + payments + " signed payments off-chain, Alice -> Bob");
        Eip712Domain domain = channels.domain();
        PaymentReceiver receiver = new PaymentReceiver(domain, alice.address(), channelId, aliceDeposit);
        long started = System.nanoTime();
        Amount sent = Amount.ZERO;
        for (int nonce = 1; nonce <= payments; nonce++) {
            // A price per delivered unit times a varying usage: each payment is a different exact amount.
            Amount payment = Amount.of(42_000_000_000_000L + 1_337L * nonce);
            sent = sent.plus(payment);
            receiver.accept(Signed.sign(new BalanceProof(channelId, nonce, sent), domain, aliceKey));
            if (nonce % Math.max(1, payments / 5) == 0 || nonce == payments) {
                out.printf("  payment %4d: Bob holds Alice's proof for %s in total%n", nonce,
                        asset.format(receiver.newest().message().transferred()));
            }
        }
        Duration streaming = Duration.ofNanos(System.nanoTime() - started);
        out.printf("  %d payments signed and verified in %d ms (%,d per second)%n", payments, streaming.toMillis(),
                payments * 1_000_000_000L / Math.max(1, streaming.toNanos()));

        Payouts payouts = new ChannelTotals(aliceDeposit, Amount.ZERO, receiver.newest().message().transferred(),
                bobDeposit, Amount.ZERO, Amount.ZERO).payouts();
        step("Settling cooperatively: Alice gets " + asset.format(payouts.a()) + ", Bob gets "
                + asset.format(payouts.b()));
        CooperativeSettle settle = new CooperativeSettle(channelId, payouts.a(), payouts.b());
        bobLedger.spent(channels.cooperativeSettle(bob, channelId, payouts.a(), payouts.b(),
                Signed.sign(settle, domain, aliceKey).signature().bytes(),
                Signed.sign(settle, domain, bobKey).signature().bytes()));

        Amount paid = receiver.newest().message().transferred();
        Result result = new Result(aliceLedger.finish(paid.value().negate()), bobLedger.finish(paid.value()), payments,
                paid, streaming);
        report(result, asset);
        return result;
    }

    private void report(Result result, Asset asset) {
        step("On-chain balances");
        out.printf("  %-16s %28s %28s %26s%n", "", "ETH before -> after", "TPD before -> after", "gas spent (ETH)");
        for (Party p : new Party[] {result.client(), result.provider()}) {
            out.printf("  %-16s %12s -> %-13s %12s -> %-13s %26s%n", p.name(),
                    Asset.ETH.format(p.etherBefore()).replace(" ETH", ""), Asset.ETH.format(p.etherAfter())
                            .replace(" ETH", ""),
                    asset.format(p.tokensBefore()).replace(" TPD", ""), asset.format(p.tokensAfter())
                            .replace(" TPD", ""),
                    Asset.ETH.format(p.gasSpent()).replace(" ETH", ""));
        }
        out.printf("  Alice paid Bob %s over %d payments.%n", asset.format(result.paid()), result.payments());
        for (Party p : new Party[] {result.client(), result.provider()}) {
            out.printf("  %s %s: ETH after = before - gas; TPD after = before %s payments%n",
                    p.balancesCheckOut() ? "OK      " : "MISMATCH", p.name(),
                    p == result.client() ? "-" : "+");
        }
        out.println(result.balancesCheckOut()
                ? "Balances check out to the wei."
                : "Balances do NOT check out: see MISMATCH above.");
    }

    private void step(String text) {
        out.println("== " + text);
    }

    /** A party's balances before the channel, and the gas its own transactions cost. */
    private static final class Ledger {
        private final String name;
        private final ChainAccount account;
        private final Erc20 token;
        private final Amount etherBefore;
        private final Amount tokensBefore;
        private Amount gas = Amount.ZERO;

        Ledger(String name, ChainAccount account, Erc20 token) {
            this.name = name;
            this.account = account;
            this.token = token;
            this.etherBefore = account.balance();
            this.tokensBefore = token.balanceOf(account.address());
        }

        void spent(TxReceipt receipt) {
            gas = gas.plus(receipt.fee());
        }

        /** {@code tokenDelta} is what the payments moved: negative for the payer. */
        Party finish(java.math.BigInteger tokenDelta) {
            return new Party(name, account.address(), etherBefore, account.balance(), tokensBefore,
                    token.balanceOf(account.address()), gas, etherBefore.minus(gas),
                    Amount.of(tokensBefore.value().add(tokenDelta)));
        }
    }
}
