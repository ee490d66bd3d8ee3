package io.turnpike.paywall;

import static org.assertj.core.api.Assertions.fail;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.TestStore;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.chain.tx.TxConfig;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.store.PaywallStore;
import io.turnpike.store.Store;
import io.turnpike.store.TxStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider selling an HTTP API on an anvil chain: an EIP-3009 token, the provider's own store and transaction
 * manager, a backend, and a paywall in front of it. Payers are fresh keys holding only the token.
 */
final class PaywallWorld implements AutoCloseable {

    static final Amount PRICE = Amount.of(1_000);
    /** {@code /bytes/}: {@link #PRICE} a request and this much a byte of the answer, of at most {@link #MAX_BYTES}. */
    static final Amount PER_BYTE = Amount.of(3);
    static final int MAX_BYTES = 4_096;
    static final String TOKEN_NAME = "USD Coin";
    static final String TOKEN_VERSION = "2";
    static final SecureRandom RANDOM = new SecureRandom();

    final Anvil anvil;
    final Chain chain;
    final MutableClock clock;
    final ChainAccount deployer;
    final PrivateKey providerKey;
    final Address payTo;
    final Erc20 token;
    final Store store;
    final PaywallStore records;
    final TransactionManager manager;
    final ExactScheme exact;
    final TestBackend backend = new TestBackend();
    private final HttpClient http = HttpClient.newHttpClient();
    private PaywallProxy proxy;
    private PaywallConfig config;

    /** @param providerKey a development key no other test class sends with: the manager's journal owns its nonces */
    PaywallWorld(Anvil anvil, Path dir, int providerKey) {
        this.anvil = anvil;
        this.chain = anvil.connect();
        this.clock = new MutableClock(Instant.ofEpochSecond(chain.latestBlock().getTimestamp().longValueExact()));
        this.deployer = chain.account(anvil.devKeys().get(0));
        this.providerKey = anvil.devKeys().get(providerKey);
        this.payTo = this.providerKey.address();
        this.token = deployToken(deployer);
        this.store = TestStore.open(dir, payTo, anvil.chainId(), clock);
        this.records = PaywallStore.of(store, clock);
        this.manager = TransactionManager.open(chain, this.providerKey, store.transactions(),
                TxConfig.defaults().withConfirmations(1).withClock(clock));
        this.exact = new ExactScheme(chain, manager, records, clock);
    }

    static Erc20 deployToken(ChainAccount deployer) {
        String args = FunctionEncoder.encodeConstructor(List.of(new Utf8String(TOKEN_NAME), new Utf8String("USDC"),
                new Utf8String(TOKEN_VERSION)));
        return Erc20.at(deployer.chain(), deployer.deploy(ContractArtifact.load("Eip3009Token"), args)
                .createdContract());
    }

    PaywallConfig config(Optional<Address> channelContract, Address asset) {
        return new PaywallConfig(anvil.chainId(), payTo, new PaywallConfig.Token(asset, TOKEN_NAME, TOKEN_VERSION),
                List.of(new PaywallConfig.Route("/api/", backend.uri(), PRICE, "Quotes", "application/json"),
                        new PaywallConfig.Route("/api/signed/", backend.uri(), PRICE, "Quotes for a backend account",
                                "application/json", true),
                        new PaywallConfig.Route("/bytes/", backend.uri(), PRICE, PER_BYTE, MAX_BYTES, "Quotes by size",
                                "application/json", false)),
                channelContract, 120, PaywallConfig.Limits.defaults());
    }

    /** Starts the paywall selling {@code /api/} for {@link #PRICE}, exact only. */
    PaywallWorld start() {
        return start(config(Optional.empty(), token.address()), Optional.empty());
    }

    PaywallWorld start(PaywallConfig with, Optional<ChannelCredits> channels) {
        try {
            config = with;
            proxy = PaywallProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), with, exact,
                    channels);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + proxy.port() + path);
    }

    /** The paywall's exact offer for {@code /api/} (its routes there have the one price). */
    PaymentRequirements exactOffer() {
        return offer("/api/", PaymentRequirements.EXACT);
    }

    PaymentRequirements channelOffer() {
        return offer("/api/", PaymentRequirements.CHANNEL);
    }

    /** The paywall's offer of {@code scheme} for the paths under {@code prefix}. */
    PaymentRequirements offer(String prefix, String scheme) {
        return config.offers(config.route(prefix).orElseThrow()).stream()
                .filter(o -> o.scheme().equals(scheme)).findFirst().orElseThrow();
    }

    Eip712Domain tokenDomain() {
        return new Eip712Domain(TOKEN_NAME, TOKEN_VERSION, anvil.chainId(), token.address());
    }

    PrivateKey fundedPayer(Amount amount) {
        PrivateKey payer = PrivateKey.random(RANDOM);
        token.mint(deployer, payer.address(), amount);
        return payer;
    }

    /** An authorization of {@code value} to {@code to}, valid from a minute ago for two minutes. */
    ExactAuthorization authorize(PrivateKey payer, Address to, Amount value) {
        long now = clock.instant().getEpochSecond();
        return ExactAuthorization.sign(payer, to, value, now - 60, now + 120, Bytes32.random(RANDOM), tokenDomain());
    }

    /** The v2 {@code PAYMENT-SIGNATURE} of a payment made for {@code accepted}. */
    static String header(PaymentRequirements accepted, ObjectNode payload) {
        ObjectNode payment = JsonObjectReader.MAPPER.createObjectNode().put("x402Version", 2);
        payment.set("accepted", accepted.toV2());
        payment.set("payload", payload);
        return X402.encode(payment);
    }

    HttpResponse<String> get(String path, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> pay(String path, String paymentSignature) {
        return get(path, Map.of(X402.PAYMENT_SIGNATURE, paymentSignature));
    }

    /** Runs the manager until every settlement it sent is confirmed (anvil mines each at once). */
    void confirmSettlements() {
        for (int round = 0; round < 100; round++) {
            manager.tick();
            if (manager.tracked().stream().allMatch(tx -> tx.status() == TxStatus.CONFIRMED)) {
                return;
            }
        }
        fail("settlements not confirmed: " + manager.tracked());
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.close();
        }
        backend.close();
        store.close();
        chain.close();
    }
}
