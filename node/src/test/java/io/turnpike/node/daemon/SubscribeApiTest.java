package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.chain.market.MarketFixture;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.fixtures.DataDirs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /api/subscriptions} on a real node and a real TurnpikeMarket on anvil, over HTTP as the dashboard sends
 * it: the quote pays nothing, the payment gives exactly what the quote promised, and a renewal counts on from the
 * expiry.
 */
class SubscribeApiTest {

    @TempDir
    Path folder;

    private record Answer(int status, JsonObjectReader json) {
    }

    @Test
    void theExpiryOnChainIsTheOneTheQuotePromisedAndARenewalCountsOnFromIt() throws Exception {
        MarketFixture market = MarketFixture.deploy(SharedAnvil.get());
        market.registerProvider();
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised dir = nodes.datadir("client", 1);
        nodes.configure(dir, "peer { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\nchain.market = \""
                + market.market.address() + "\"");
        Address provider = market.provider.address();
        Amount providerBefore = market.chain.balance(provider);
        try (TurnpikeNode node = nodes.start(dir);
             ApiServer api = ApiServer.start(new RunningNodeControl(node), new NodeConfig.Endpoint("127.0.0.1", 0),
                     false, ApiToken.read(dir.home().apiTokenFile()));
             HttpClient http = HttpClient.newHttpClient()) {
            String token = Files.readString(dir.home().apiTokenFile()).trim();

            Answer quote = subscribe(http, api, token, provider, 1, 3, false);

            assertThat(quote.status()).isEqualTo(200);
            assertThat(quote.json().amount("price")).isEqualTo(MarketFixture.MONTHLY_FEE.times(3));
            assertThat(quote.json().bool("paid")).isFalse();
            assertThat(market.market.expiresAt(dir.address(), provider, 1)).isZero();
            assertThat(market.chain.balance(provider)).isEqualTo(providerBefore);
            Instant promised = quote.json().optionalInstant("expiresAt").orElseThrow();

            Answer paid = subscribe(http, api, token, provider, 1, 3, true);

            assertThat(paid.status()).isEqualTo(201);
            Instant onChain = Instant.ofEpochSecond(market.market.expiresAt(dir.address(), provider, 1));
            assertThat(paid.json().optionalInstant("expiresAt")).contains(onChain);
            // A new subscription counts from the block its payment landed in: the quote's, or a few seconds later.
            assertThat(onChain).isBetween(promised, promised.plusSeconds(60));
            assertThat(market.chain.balance(provider)).isEqualTo(providerBefore.plus(MarketFixture.MONTHLY_FEE.times(3)));

            Answer renewal = subscribe(http, api, token, provider, 1, 1, false);
            assertThat(renewal.json().optionalInstant("expiresAt")).contains(onChain.plusSeconds(MarketFixture.MONTH));
            subscribe(http, api, token, provider, 1, 1, true);

            assertThat(Instant.ofEpochSecond(market.market.expiresAt(dir.address(), provider, 1)))
                    .isEqualTo(onChain.plusSeconds(MarketFixture.MONTH));

            Answer unknownPlan = subscribe(http, api, token, provider, 9, 1, true);
            assertThat(unknownPlan.status()).isEqualTo(400);
            assertThat(unknownPlan.json().string("code")).isEqualTo("bad_argument");
            assertThat(market.chain.balance(provider)).isEqualTo(providerBefore.plus(MarketFixture.MONTHLY_FEE.times(4)));
        }
    }

    private static Answer subscribe(HttpClient http, ApiServer api, String token, Address provider, long planId,
                                    long months, boolean confirm) throws Exception {
        String body = "{\"provider\": \"" + provider + "\", \"planId\": \"" + planId + "\", \"months\": " + months
                + (confirm ? ", \"confirm\": true" : "") + "}";
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + api.address().getPort() + "/api/subscriptions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Answer(response.statusCode(), JsonObjectReader.parse(response.body()));
    }
}
