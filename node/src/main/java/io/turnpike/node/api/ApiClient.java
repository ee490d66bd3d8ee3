package io.turnpike.node.api;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.EarningsView;
import io.turnpike.node.control.FeeEstimates;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.ProviderPin;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.ServicesView;
import io.turnpike.node.control.SubscriptionPurchase;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.control.TransactionView;
import io.turnpike.node.control.WalletView;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.tower.TowerHoldings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * A running node, reached through its HTTP API: the CLI's {@link NodeControl}. A refusal comes back as the
 * {@link ControlException} the node answered with (its code and sentence unchanged); a node that does not answer is
 * {@link ErrorCode#NODE_NOT_RUNNING}.
 */
public final class ApiClient implements NodeControl, AutoCloseable {

    private final URI base;
    private final ApiToken token;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // the node's API speaks HTTP/1.1 only; no upgrade attempt
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    ApiClient(URI base, ApiToken token) {
        this.base = base;
        this.token = token;
    }

    /** The node that runs from {@code home}: its API address from the settings, its token from the data directory. */
    public static ApiClient of(NodeHome home, NodeConfig config) {
        return new ApiClient(baseUri(config.api()), ApiToken.read(home.apiTokenFile()));
    }

    /** A node listening on every address is reached on loopback; an IPv6 literal is bracketed. */
    static URI baseUri(NodeConfig.Endpoint api) {
        String host = api.bind();
        try {
            InetAddress address = InetAddress.getByName(host);
            if (address.isAnyLocalAddress()) {
                host = address.getAddress().length == 4 ? "127.0.0.1" : "::1";
            }
        } catch (UnknownHostException e) {
            // Connecting will fail and say so, naming the address.
        }
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + api.port());
    }

    @Override
    public NodeStatus status() {
        return call("GET", "/api/status", null, ApiJson::readStatus);
    }

    @Override
    public List<PeerView> peers() {
        return call("GET", "/api/peers", null, ApiJson::readPeers);
    }

    @Override
    public List<ChannelView> channels() {
        return call("GET", "/api/channels", null, ApiJson::readChannels);
    }

    @Override
    public WalletView wallet() {
        return call("GET", "/api/wallet", null, ApiJson::readWallet);
    }

    /** What the node sells is listed without a seller: it is the node, whose address its status gives. */
    @Override
    public ServicesView services() {
        Address self = status().address();
        return call("GET", "/api/services", null, json -> ApiJson.readServices(json, self));
    }

    @Override
    public List<RefusalView> refusals() {
        return call("GET", "/api/refusals", null, ApiJson::readRefusals);
    }

    @Override
    public List<SubscriptionView> subscriptions() {
        return call("GET", "/api/subscriptions", null, ApiJson::readSubscriptions);
    }

    @Override
    public ProvidersView providers() {
        return call("GET", "/api/providers", null, ApiJson::readProviders);
    }

    @Override
    public ProviderPin pinProvider(String service, Optional<Address> provider) {
        ObjectNode body = JsonObjectReader.MAPPER.createObjectNode().put("provider",
                provider.map(Object::toString).orElse(null));
        return call("PUT", "/api/services/" + service + "/provider", body, ApiJson::readPin);
    }

    @Override
    public SubscriptionPurchase quoteSubscription(Address provider, long planId, long months) {
        return call("POST", "/api/subscriptions", subscription(provider, planId, months),
                ApiJson::readSubscriptionPurchase);
    }

    @Override
    public SubscriptionPurchase subscribe(Address provider, long planId, long months) {
        return call("POST", "/api/subscriptions", subscription(provider, planId, months).put("confirm", true),
                ApiJson::readSubscriptionPurchase);
    }

    private static ObjectNode subscription(Address provider, long planId, long months) {
        return JsonObjectReader.MAPPER.createObjectNode().put("provider", provider.toString())
                .put("planId", Long.toString(planId)).put("months", months);
    }

    @Override
    public EarningsView earnings() {
        return call("GET", "/api/earnings", null, ApiJson::readEarnings);
    }

    @Override
    public List<TowerHoldings> towers() {
        return call("GET", "/api/towers", null, ApiJson::readTowers);
    }

    @Override
    public List<TransactionView> transactions() {
        return call("GET", "/api/transactions", null, ApiJson::readTransactions);
    }

    /** The API takes the deposit in whole units of the node's asset, so this asks the node which asset that is. */
    @Override
    public ChannelView openChannel(Address partner, Amount deposit, boolean force) {
        Asset asset = status().asset();
        ObjectNode body = JsonObjectReader.MAPPER.createObjectNode()
                .put("partner", partner.toString())
                .put("deposit", deposit.toDecimalString(asset.decimals()))
                .put("force", force);
        return call("POST", "/api/channels", body, ApiJson::readChannel);
    }

    @Override
    public FeeEstimates fees() {
        return call("GET", "/api/fees", null, ApiJson::readFees);
    }

    @Override
    public ChannelView closeChannel(long channelId, boolean force) {
        ObjectNode body = JsonObjectReader.MAPPER.createObjectNode().put("force", force);
        return call("POST", "/api/channels/" + channelId + "/close", body, ApiJson::readChannel);
    }

    @Override
    public ChannelView depositChannel(long channelId, Amount more) {
        return call("POST", "/api/channels/" + channelId + "/deposit", amountBody(more), ApiJson::readChannel);
    }

    @Override
    public ChannelView withdrawChannel(long channelId, Amount amount) {
        return call("POST", "/api/channels/" + channelId + "/withdraw", amountBody(amount), ApiJson::readChannel);
    }

    /** The API takes amounts in whole units of the node's asset, as for a deposit at opening. */
    private ObjectNode amountBody(Amount amount) {
        return JsonObjectReader.MAPPER.createObjectNode()
                .put("amount", amount.toDecimalString(status().asset().decimals()));
    }

    @Override
    public PaymentPreview previewPayment(Address peer) {
        return call("GET", "/api/pay/" + peer, null, ApiJson::readPreview);
    }

    @Override
    public PaymentResult payNow(Address peer) {
        return call("POST", "/api/pay/" + peer, JsonObjectReader.MAPPER.createObjectNode(), ApiJson::readPayment);
    }

    @Override
    public PaywallClient.Answer fetchPaying(HttpFetch fetch) {
        return call("POST", "/api/http", ApiJson.fetch(fetch), ApiJson::readFetched);
    }

    @Override
    public String metrics() {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/metrics"))
                .header("Authorization", token.authorization()).GET().build();
        HttpResponse<byte[]> response = send(request, false);
        if (response.statusCode() != 200) {
            throw new ControlException(ErrorCode.BAD_RESPONSE, "the node at " + base + " answered GET /metrics with HTTP "
                    + response.statusCode());
        }
        return new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }

    private <T> T call(String method, String path, ObjectNode body, Function<JsonObjectReader, T> read) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", token.authorization())
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method,
                            HttpRequest.BodyPublishers.ofByteArray(JsonObjectReader.MAPPER.writeValueAsBytes(body)));
        }
        HttpResponse<byte[]> response = send(request.build(), !method.equals("GET"));
        JsonObjectReader json;
        try {
            json = JsonObjectReader.parse(response.body());
            // The API's own refusal of the token (it names its scheme), not a refusal the node passed on.
            if (response.statusCode() == 401 && response.headers().firstValue("WWW-Authenticate").isPresent()) {
                throw new ControlException(ErrorCode.UNAUTHENTICATED, "the node at " + base + " does not take the "
                        + "token in " + token.file() + ", so it runs from another data directory: give its --datadir.");
            }
            if (response.statusCode() >= 400) {
                throw ApiJson.readError(json);
            }
            return read.apply(json);
        } catch (ControlException refused) {
            throw refused;
        } catch (TurnpikeException | IllegalArgumentException | ArithmeticException e) {
            throw new ControlException(ErrorCode.BAD_RESPONSE, "what answers at " + base + " is not a Turnpike node's API ("
                    + method + " " + path + ": HTTP " + response.statusCode() + ", " + e.getMessage() + "). Check "
                    + "turnpike.api.bind and turnpike.api.port.");
        }
    }

    /** @param changes whether the request changes something, so a broken connection leaves it in doubt */
    private HttpResponse<byte[]> send(HttpRequest request, boolean changes) {
        String inDoubt = changes ? " The request may or may not have been carried out; check before repeating it." : "";
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException e) {
            throw new ControlException(ErrorCode.NODE_NOT_RUNNING, "no node is running at " + base + " (turnpike.api.bind and "
                    + "turnpike.api.port). Start it with 'turnpike node', or give the --datadir of the node you mean.");
        } catch (IOException e) {
            throw new ControlException(ErrorCode.NODE_UNREACHABLE, "the connection to the node at " + base + " failed: " + e
                    + "." + inDoubt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ErrorCode.NODE_UNREACHABLE, "stopped waiting for the node at " + base + "." + inDoubt);
        }
    }
}
