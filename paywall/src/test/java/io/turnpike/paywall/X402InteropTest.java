package io.turnpike.paywall;

import static io.turnpike.paywall.PaywallWorld.PRICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real x402 npm packages (tools/package.json) against Turnpike on anvil: their clients pay the paywall with
 * {@code exact}, and their Express middleware uses Turnpike as its facilitator.
 */
@ExtendWith(AnvilExtension.class)
class X402InteropTest {

    @Test
    void theV2FetchClientPaysThePaywallAndTheProviderIsPaidOnChain(Anvil anvil, @TempDir Path dir) {
        try (PaywallWorld world = new PaywallWorld(anvil, dir, 7).start()) {
            PrivateKey payer = world.fundedPayer(PRICE.times(2));
            Amount providerBefore = world.token.balanceOf(world.payTo);

            JsonObjectReader result = NodeScript.run("pay.mjs", v2Payer(world, payer), "v2",
                    world.url("/api/quotes").toString());

            assertPaid(world, payer, providerBefore, result, "eip155:" + anvil.chainId());
        }
    }

    /**
     * x402-fetch 1.x signs only for the networks it names (its network schema is a fixed list, with no override):
     * the paywall's chain is a local anvil carrying Base Sepolia's chain id, which the client signs for by name.
     */
    @Test
    void theV1FetchClientPaysOnALocalChainCarryingANetworkItKnows(@TempDir Path dir) {
        try (Anvil baseSepolia = Anvil.start(84532); PaywallWorld world = new PaywallWorld(baseSepolia, dir, 7).start()) {
            PrivateKey payer = world.fundedPayer(PRICE.times(2));
            Amount providerBefore = world.token.balanceOf(world.payTo);

            JsonObjectReader result = NodeScript.run("pay.mjs", payerKey(payer), "v1",
                    world.url("/api/quotes").toString(), "base-sepolia");

            assertPaid(world, payer, providerBefore, result, "base-sepolia");
        }
    }

    @Test
    void anExpressResourceServerSettlesThroughTurnpikeAsItsFacilitator(Anvil anvil, @TempDir Path dir)
            throws IOException {
        try (PaywallWorld world = new PaywallWorld(anvil, dir, 8);
                Facilitator facilitator = Facilitator.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        List.of(world.exact), HttpLimits.defaults());
                NodeScript.Server express = NodeScript.serve("express-server.mjs", Map.of(
                        "FACILITATOR_URL", "http://127.0.0.1:" + facilitator.port(),
                        "NETWORK", "eip155:" + anvil.chainId(),
                        "ASSET", world.token.address().toString(),
                        "PAY_TO", world.payTo.toString(),
                        "AMOUNT", PRICE.toString(),
                        "TOKEN_NAME", PaywallWorld.TOKEN_NAME,
                        "TOKEN_VERSION", PaywallWorld.TOKEN_VERSION))) {
            PrivateKey payer = world.fundedPayer(PRICE.times(2));
            Amount providerBefore = world.token.balanceOf(world.payTo);

            JsonObjectReader result = NodeScript.run("pay.mjs", v2Payer(world, payer), "v2",
                    "http://127.0.0.1:" + express.port() + "/weather");

            assertThat(result.integer("status")).isEqualTo(200);
            assertThat(result.string("body")).contains("sunny");
            JsonObjectReader settlement = result.object("paymentResponse");
            assertThat(settlement.bool("success")).isTrue();
            Bytes32 transaction = Bytes32.fromHex(settlement.string("transaction"));
            world.confirmSettlements();
            assertThat(world.manager.tracked()).extracting(tx -> tx.hash()).contains(transaction);
            assertThat(world.token.balanceOf(world.payTo)).isEqualTo(providerBefore.plus(PRICE));
            assertThat(world.token.balanceOf(payer.address())).isEqualTo(PRICE);
        }
    }

    private static void assertPaid(PaywallWorld world, PrivateKey payer, Amount providerBefore,
                                   JsonObjectReader result, String network) {
        assertThat(result.integer("status")).as(result.string("body")).isEqualTo(200);
        assertThat(result.string("body")).contains(payer.address().toString());
        JsonObjectReader settlement = result.object("paymentResponse");
        assertThat(settlement.bool("success")).isTrue();
        assertThat(settlement.string("network")).isEqualTo(network);
        Bytes32 transaction = Bytes32.fromHex(settlement.string("transaction"));
        world.confirmSettlements();
        assertThat(world.manager.tracked()).extracting(tx -> tx.hash()).contains(transaction);
        assertThat(world.token.balanceOf(world.payTo)).isEqualTo(providerBefore.plus(PRICE));
        assertThat(world.token.balanceOf(payer.address())).isEqualTo(PRICE);
        assertThat(world.backend.served()).isEqualTo(1);
    }

    /** The v2 client trusts the one token it is told to, on the one network. */
    private static Map<String, String> v2Payer(PaywallWorld world, PrivateKey payer) {
        return Map.of("PAYER_KEY", payerKey(payer).get("PAYER_KEY"), "ASSET", world.token.address().toString(),
                "NETWORK", "eip155:" + world.anvil.chainId());
    }

    private static Map<String, String> payerKey(PrivateKey payer) {
        return Map.of("PAYER_KEY", "0x" + HexFormat.of().formatHex(payer.bytes()));
    }
}
