package io.turnpike.node.api;

import static io.turnpike.http.JsonObjectReader.MAPPER;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.EarningsView;
import io.turnpike.node.control.FeeEstimates;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.ProviderPin;
import io.turnpike.node.control.ProviderView;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.control.ServiceView;
import io.turnpike.node.control.ServicesView;
import io.turnpike.node.control.SubscriptionPurchase;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.control.TransactionView;
import io.turnpike.node.control.WalletView;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.tower.TowerHoldings;
import io.turnpike.node.wallet.Wallet;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's JSON, both ways: the server writes the control views with it and the client reads them back, so the two
 * cannot drift apart. Every amount is {@code {"value": "<exact integer in the smallest unit>", "formatted": "0.0042
 * ETH"}}: a string, because JSON numbers lose precision in most readers long before 2^256.
 */
final class ApiJson {


    private ApiJson() {
    }

    static ObjectNode status(NodeStatus status) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("address", status.address().toString())
                .put("chainId", status.chainId())
                .put("contract", status.contract().toString())
                .put("headBlock", status.headBlock())
                .put("chainStale", status.chainStale());
        json.set("asset", asset(status.asset()));
        ArrayNode services = json.putArray("services");
        status.services().forEach(services::add);
        return json.put("localSocksPort", status.localSocksPort())
                .put("relayPort", status.relayPort())
                .put("peerPort", status.peerPort());
    }

    static NodeStatus readStatus(JsonObjectReader json) {
        return new NodeStatus(json.address("address"), json.integer("chainId"), json.address("contract"),
                json.integer("headBlock"), json.bool("chainStale"), readAsset(json.object("asset")),
                json.strings("services"), port(json, "localSocksPort"), port(json, "relayPort"),
                Math.toIntExact(json.integer("peerPort")));
    }

    static ObjectNode peers(List<PeerView> peers, Asset asset) {
        ObjectNode json = MAPPER.createObjectNode();
        json.set("asset", asset(asset));
        ArrayNode list = json.putArray("peers");
        for (PeerView peer : peers) {
            ObjectNode item = list.addObject()
                    .put("address", peer.address().toString())
                    .put("connected", peer.connected())
                    .put("role", peer.role())
                    .put("tier", peer.tier());
            item.set("used", amount(peer.used(), asset));
            item.set("paid", amount(peer.paid(), asset));
            item.set("owed", amount(peer.owed(), asset));
            item.set("credit", amount(peer.credit(), asset));
            item.set("inFlight", amount(peer.inFlight(), asset));
            item.put("channelId", peer.channelId().orElse(null));
        }
        return json;
    }

    static List<PeerView> readPeers(JsonObjectReader json) {
        return json.objects("peers").stream()
                .map(peer -> new PeerView(peer.address("address"), peer.bool("connected"), peer.string("role"),
                        peer.string("tier"), peer.amount("used"), peer.amount("paid"), peer.amount("owed"),
                        peer.amount("credit"), peer.amount("inFlight"), peer.optionalInteger("channelId")))
                .toList();
    }

    static ObjectNode channels(List<ChannelView> channels, Asset nodeAsset) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode list = json.putArray("channels");
        channels.forEach(channel -> list.add(channel(channel, nodeAsset)));
        return json;
    }

    static List<ChannelView> readChannels(JsonObjectReader json) {
        return json.objects("channels").stream().map(ApiJson::readChannel).toList();
    }

    static ObjectNode channel(ChannelView channel, Asset nodeAsset) {
        Asset asset = ChannelAssets.of(channel.token(), nodeAsset);
        ObjectNode json = MAPPER.createObjectNode()
                .put("channelId", channel.channelId())
                .put("partner", channel.partner().toString());
        json.set("asset", asset(asset));
        json.put("state", channel.state());
        json.set("ownDeposit", amount(channel.ownDeposit(), asset));
        json.set("partnerDeposit", amount(channel.partnerDeposit(), asset));
        json.set("sent", amount(channel.sent(), asset));
        json.set("received", amount(channel.received(), asset));
        json.set("spendable", amount(channel.spendable(), asset));
        return json.put("settleAt", channel.settleAt().map(Object::toString).orElse(null));
    }

    static ChannelView readChannel(JsonObjectReader json) {
        return new ChannelView(json.integer("channelId"), json.address("partner"),
                json.object("asset").address("token"), json.string("state"), json.amount("ownDeposit"),
                json.amount("partnerDeposit"), json.amount("sent"), json.amount("received"), json.amount("spendable"),
                json.optionalInstant("settleAt"));
    }

    static ObjectNode wallet(WalletView wallet) {
        Asset asset = wallet.asset();
        ObjectNode json = MAPPER.createObjectNode().put("address", wallet.address().toString());
        json.set("asset", asset(asset));
        ArrayNode balances = json.putArray("balances");
        for (Wallet.Balance balance : wallet.balances()) {
            ObjectNode item = balances.addObject();
            item.set("asset", asset(balance.asset()));
            item.set("amount", amount(balance.amount(), balance.asset()));
            item.put("low", wallet.isLow(balance));
        }
        json.set("inChannels", amount(wallet.inChannels(), asset));
        json.set("total", amount(wallet.total(), asset));
        json.set("lowBalance", amount(wallet.lowBalance(), Asset.ETH));
        return json;
    }

    static WalletView readWallet(JsonObjectReader json) {
        return new WalletView(json.address("address"), readAsset(json.object("asset")),
                json.objects("balances").stream()
                        .map(b -> new Wallet.Balance(readAsset(b.object("asset")), b.amount("amount"))).toList(),
                json.amount("inChannels"), json.amount("lowBalance"));
    }

    static ObjectNode services(ServicesView services, Asset asset) {
        ObjectNode json = MAPPER.createObjectNode();
        json.set("asset", asset(asset));
        ArrayNode sold = json.putArray("sold");
        services.sold().forEach(service -> sold.add(service(MAPPER.createObjectNode(), service, asset)));
        json.set("paymentThreshold", services.paymentThreshold().map(t -> (JsonNode) amount(t, asset))
                .orElse(MAPPER.nullNode()));
        ArrayNode bought = json.putArray("bought");
        services.bought().forEach(service -> bought.add(service(
                MAPPER.createObjectNode().put("provider", service.seller().toString()), service, asset)));
        ArrayNode rpcClients = json.putArray("rpcClients");
        services.rpcClients().forEach(client -> rpcClients.addObject().put("client", client.client().toString())
                .put("tier", client.tier()).put("capacity", client.capacity()).put("buffer", client.buffer())
                .put("bufferLimit", client.bufferLimit()).put("notificationsDropped", client.notificationsDropped())
                .set("price", amount(client.pricePerUnit(), asset)));
        return json;
    }

    private static ObjectNode service(ObjectNode json, ServiceView service, Asset asset) {
        json.put("service", service.service()).put("unit", service.unit());
        json.set("price", amount(service.pricePerUnit(), asset));
        return json;
    }

    /** @param self the node, which sells what is listed as sold */
    static ServicesView readServices(JsonObjectReader json, Address self) {
        List<ServiceView> sold = json.objects("sold").stream().map(s -> readService(s, self)).toList();
        // A node that sells nothing has no threshold: the field is null exactly when nothing is sold.
        Optional<Amount> threshold = sold.isEmpty() ? Optional.empty() : Optional.of(json.amount("paymentThreshold"));
        return new ServicesView(sold, threshold,
                json.objects("bought").stream().map(s -> readService(s, s.address("provider"))).toList(),
                json.objects("rpcClients").stream().map(c -> new RpcClientView(c.address("client"), c.string("tier"),
                        c.integer("capacity"), c.integer("buffer"), c.integer("bufferLimit"), c.amount("price"),
                        c.integer("notificationsDropped")))
                        .toList());
    }

    private static ServiceView readService(JsonObjectReader json, Address seller) {
        return new ServiceView(seller, json.string("service"), json.string("unit"), json.amount("price"));
    }

    static ObjectNode refusals(List<RefusalView> refusals) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode list = json.putArray("refusals");
        refusals.forEach(refusal -> list.addObject()
                .put("at", refusal.at().toString())
                .put("peer", refusal.peer().toString())
                .put("code", refusal.code()));
        return json;
    }

    static List<RefusalView> readRefusals(JsonObjectReader json) {
        return json.objects("refusals").stream()
                .map(r -> new RefusalView(r.optionalInstant("at").orElseThrow(() -> new IllegalArgumentException(
                        "a refusal without its time")), r.address("peer"), r.string("code")))
                .toList();
    }

    static ObjectNode subscriptions(List<SubscriptionView> subscriptions) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode list = json.putArray("subscriptions");
        subscriptions.forEach(subscription -> list.addObject()
                .put("provider", subscription.provider().toString())
                .put("planId", Long.toString(subscription.planId()))
                .put("expiresAt", subscription.expiresAt().toString())
                .put("state", subscription.state())
                .put("renewal", subscription.renewal()));
        return json;
    }

    static List<SubscriptionView> readSubscriptions(JsonObjectReader json) {
        return json.objects("subscriptions").stream()
                .map(s -> new SubscriptionView(s.address("provider"), s.decimalLong("planId"),
                        s.optionalInstant("expiresAt").orElseThrow(() -> new IllegalArgumentException(
                                "a subscription without its expiry")), s.string("state"), s.string("renewal")))
                .toList();
    }

    static ObjectNode providers(ProvidersView view, Asset nodeAsset) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode list = json.putArray("providers");
        for (ProviderView provider : view.providers()) {
            ObjectNode item = list.addObject()
                    .put("address", provider.address().toString())
                    .put("endpoint", provider.endpoint().orElse(null))
                    .put("configured", provider.configured())
                    .put("registered", provider.registered())
                    .put("connected", provider.connected());
            ArrayNode services = item.putArray("services");
            provider.services().forEach(service -> services.addObject().put("service", service.service())
                    .put("unit", service.unit()).set("price", amount(service.pricePerUnit(), nodeAsset)));
            ArrayNode plans = item.putArray("plans");
            for (ProviderView.Plan plan : provider.plans()) {
                Asset asset = ChannelAssets.of(plan.token(), nodeAsset);
                ObjectNode planJson = plans.addObject().put("planId", plan.planId());
                planJson.set("asset", asset(asset));
                planJson.set("price", amount(plan.price(), asset));
                planJson.put("periodSeconds", plan.periodSeconds());
                planJson.set("monthly", plan.monthly().map(monthly -> (JsonNode) amount(monthly, asset))
                        .orElse(MAPPER.nullNode()));
            }
            item.set("stake", provider.stake().map(stake -> (JsonNode) amount(stake, Asset.ETH))
                    .orElse(MAPPER.nullNode()));
            item.put("latencyMs", provider.latencyMs().orElse(null));
            item.putObject("history").put("undelivered", provider.history().undelivered())
                    .put("refusedProofs", provider.history().refusedProofs())
                    .put("disconnects", provider.history().disconnects());
            item.put("score", provider.score());
            provider.chosenFor().forEach(item.putArray("chosenFor")::add);
        }
        ObjectNode chosen = json.putObject("chosen");
        view.chosen().forEach((service, provider) -> chosen.put(service, provider.map(Object::toString).orElse(null)));
        return json;
    }

    /** A subscription quoted ({@code "paid": false}, no transaction) or paid. */
    static ObjectNode subscriptionPurchase(SubscriptionPurchase purchase) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("provider", purchase.provider().toString())
                .put("planId", Long.toString(purchase.planId()))
                .put("months", purchase.months());
        json.set("asset", asset(purchase.asset()));
        json.set("price", amount(purchase.price(), purchase.asset()));
        return json.put("expiresAt", purchase.expiresAt().toString())
                .put("paid", purchase.paid())
                .put("transaction", purchase.transaction().map(Bytes32::toHex).orElse(null));
    }

    static SubscriptionPurchase readSubscriptionPurchase(JsonObjectReader json) {
        return new SubscriptionPurchase(json.address("provider"), json.decimalLong("planId"), json.integer("months"),
                readAsset(json.object("asset")), json.amount("price"),
                json.optionalInstant("expiresAt").orElseThrow(() -> new IllegalArgumentException(
                        "a subscription without its expiry")),
                json.optionalString("transaction").map(Bytes32::fromHex));
    }

    static ObjectNode earnings(EarningsView earnings, Asset asset) {
        ObjectNode json = MAPPER.createObjectNode()
                .put("from", earnings.from().toString())
                .put("to", earnings.to().toString());
        json.set("asset", asset(asset));
        ArrayNode days = json.putArray("days");
        earnings.days().forEach(day -> days.addObject().put("day", day.day().toString()).put("service", day.service())
                .set("earned", amount(day.earned(), asset)));
        return json;
    }

    static EarningsView readEarnings(JsonObjectReader json) {
        return new EarningsView(LocalDate.parse(json.string("from")), LocalDate.parse(json.string("to")),
                json.objects("days").stream().map(day -> new EarningsView.Day(LocalDate.parse(day.string("day")),
                        day.string("service"), day.amount("earned"))).toList());
    }

    static ObjectNode towers(List<TowerHoldings> towers) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode list = json.putArray("towers");
        for (TowerHoldings tower : towers) {
            ObjectNode item = list.addObject()
                    .put("address", tower.tower().address().toString())
                    .put("url", tower.tower().url().toString());
            item.set("reward", amount(tower.tower().reward(), Asset.ETH));
            ArrayNode held = item.putArray("held");
            tower.heldNonces().forEach((channelId, nonce) -> held.addObject().put("channelId", channelId)
                    .put("nonce", nonce)
                    .put("receivedAt", Optional.ofNullable(tower.receivedAt().get(channelId)).map(Object::toString)
                            .orElse(null)));
            tower.lastFailure().ifPresentOrElse(failure -> item.putObject("lastError")
                    .put("at", failure.at().toString()).put("problem", failure.problem()),
                    () -> item.putNull("lastError"));
        }
        return json;
    }

    /** Fees are paid in ether, whatever the node's asset. */
    static ObjectNode fees(FeeEstimates fees) {
        ObjectNode json = MAPPER.createObjectNode();
        json.set("maxFeePerGas", amount(fees.maxFeePerGas(), Asset.ETH));
        ArrayNode list = json.putArray("actions");
        for (FeeEstimates.ActionFee action : fees.actions()) {
            list.addObject().put("action", action.action()).put("gas", action.gas())
                    .set("fee", amount(action.fee(), Asset.ETH));
        }
        return json;
    }

    static FeeEstimates readFees(JsonObjectReader json) {
        return new FeeEstimates(json.object("maxFeePerGas").decimalAmount("value"), json.objects("actions").stream()
                .map(action -> new FeeEstimates.ActionFee(action.string("action"), action.integer("gas"),
                        action.object("fee").decimalAmount("value"))).toList());
    }

    static ObjectNode transactions(List<TransactionView> transactions) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode list = json.putArray("transactions");
        for (TransactionView tx : transactions) {
            list.addObject().put("purpose", tx.purpose()).put("channelId", tx.channelId().orElse(null))
                    .put("hash", tx.hash().toString()).put("state", tx.state())
                    .put("confirmations", tx.confirmations()).put("required", tx.required())
                    .put("maxFeePerGas", tx.maxFeePerGas().toString());
        }
        return json;
    }

    static List<TransactionView> readTransactions(JsonObjectReader json) {
        return json.objects("transactions").stream().map(tx -> new TransactionView(tx.string("purpose"),
                tx.optionalInteger("channelId"), tx.bytes32("hash"), tx.string("state"),
                (int) tx.integer("confirmations"), (int) tx.integer("required"), tx.decimalAmount("maxFeePerGas")))
                .toList();
    }

    static List<TowerHoldings> readTowers(JsonObjectReader json) {
        return json.objects("towers").stream().map(tower -> {
            SortedMap<Long, Long> nonces = new TreeMap<>();
            SortedMap<Long, Instant> receivedAt = new TreeMap<>();
            for (JsonObjectReader held : tower.objects("held")) {
                nonces.put(held.integer("channelId"), held.integer("nonce"));
                held.optionalInstant("receivedAt").ifPresent(at -> receivedAt.put(held.integer("channelId"), at));
            }
            Optional<TowerHoldings.Failure> failure = tower.has("lastError")
                    ? Optional.of(tower.object("lastError")).map(e -> new TowerHoldings.Failure(
                            e.optionalInstant("at").orElseThrow(), e.string("problem")))
                    : Optional.empty();
            return new TowerHoldings(new NodeConfig.Tower(URI.create(tower.string("url")), tower.address("address"),
                    tower.amount("reward")), nonces, receivedAt, failure);
        }).toList();
    }

    static ProvidersView readProviders(JsonObjectReader json) {
        List<ProviderView> providers = json.objects("providers").stream().map(p -> new ProviderView(
                p.address("address"), p.optionalString("endpoint"), p.bool("configured"), p.bool("registered"),
                p.bool("connected"),
                p.objects("services").stream().map(s -> new ProviderView.Service(s.string("service"), s.string("unit"),
                        s.amount("price"))).toList(),
                p.objects("plans").stream().map(plan -> new ProviderView.Plan(plan.integer("planId"),
                        plan.object("asset").address("token"), plan.amount("price"), plan.integer("periodSeconds"),
                        plan.has("monthly") ? Optional.of(plan.amount("monthly")) : Optional.empty())).toList(),
                p.has("stake") ? Optional.of(p.amount("stake")) : Optional.empty(), p.optionalInteger("latencyMs"),
                readHistory(p.object("history")), p.integer("score"), p.strings("chosenFor"))).toList();
        JsonObjectReader chosen = json.object("chosen");
        SortedMap<String, Optional<Address>> choices = new TreeMap<>();
        chosen.names().forEach(service -> choices.put(service, chosen.has(service)
                ? Optional.of(chosen.address(service)) : Optional.empty()));
        return new ProvidersView(providers, choices);
    }

    static ObjectNode pin(ProviderPin pin) {
        return MAPPER.createObjectNode().put("service", pin.service())
                .put("pinned", pin.pinned().map(Object::toString).orElse(null))
                .put("chosen", pin.chosen().map(Object::toString).orElse(null));
    }

    static ProviderPin readPin(JsonObjectReader json) {
        return new ProviderPin(json.string("service"), json.has("pinned") ? Optional.of(json.address("pinned"))
                : Optional.empty(), json.has("chosen") ? Optional.of(json.address("chosen")) : Optional.empty());
    }

    private static ProviderHistory readHistory(JsonObjectReader json) {
        return new ProviderHistory(json.integer("undelivered"), json.integer("refusedProofs"),
                json.integer("disconnects"));
    }

    static ObjectNode preview(PaymentPreview preview) {
        ObjectNode json = MAPPER.createObjectNode().put("peer", preview.peer().toString());
        json.set("amount", amount(preview.amount(), preview.asset()));
        json.set("asset", asset(preview.asset()));
        return json.put("channelId", preview.channelId()).put("question", preview.question());
    }

    static PaymentPreview readPreview(JsonObjectReader json) {
        return new PaymentPreview(json.address("peer"), json.amount("amount"), readAsset(json.object("asset")),
                json.integer("channelId"));
    }

    static ObjectNode payment(PaymentResult payment) {
        Asset asset = payment.asset();
        ObjectNode json = MAPPER.createObjectNode().put("peer", payment.peer().toString());
        json.set("amount", amount(payment.amount(), asset));
        json.set("asset", asset(asset));
        json.put("channelId", payment.channelId()).put("nonce", payment.nonce());
        json.set("paidTotal", amount(payment.paidTotal(), asset));
        json.set("owed", amount(payment.owed(), asset));
        return json;
    }

    /** A request for the node to send and pay: how the CLI asks the node. */
    static ObjectNode fetch(HttpFetch fetch) {
        ObjectNode json = MAPPER.createObjectNode().put("method", fetch.method()).put("url", fetch.url());
        fetch.headers().forEach(json.putArray("headers")::add);
        fetch.body().ifPresent(body -> json.put("body", body));
        fetch.maxPerRequest().ifPresent(max -> json.put("maxPerRequest", max.toString()));
        fetch.maxPerDay().ifPresent(max -> json.put("maxPerDay", max.toString()));
        return json;
    }

    /** {@code headers} may be left out; the caps are in the asset's smallest unit, as decimal strings. */
    static HttpFetch readFetch(JsonObjectReader json) {
        return new HttpFetch(json.string("method"), json.string("url"),
                json.has("headers") ? json.strings("headers") : List.of(),
                json.optionalString("body"), json.optionalDecimalAmount("maxPerRequest"),
                json.optionalDecimalAmount("maxPerDay"));
    }

    /** The answer to a paid request: its status, type and body (base64), and what it cost if a 402 was paid. */
    static ObjectNode fetched(PaywallClient.Answer answer, Asset asset) {
        ObjectNode json = MAPPER.createObjectNode().put("status", answer.status());
        json.put("contentType", answer.contentType().orElse(null));
        json.put("body", Base64.getEncoder().encodeToString(answer.body()));
        answer.paid().ifPresentOrElse(receipt -> {
            ObjectNode paid = json.putObject("paid").put("scheme", receipt.scheme());
            paid.set("amount", amount(receipt.amount(), asset));
            paid.put("payTo", receipt.payTo().toString());
            paid.put("transaction", receipt.transaction().map(Object::toString).orElse(null));
            if (receipt.channelId().isPresent()) {
                paid.put("channelId", receipt.channelId().get());
            } else {
                paid.putNull("channelId");
            }
        }, () -> json.putNull("paid"));
        return json;
    }

    static PaywallClient.Answer readFetched(JsonObjectReader json) {
        Optional<PaywallClient.Receipt> paid = json.has("paid") ? Optional.of(readReceipt(json.object("paid")))
                : Optional.empty();
        try {
            return new PaywallClient.Answer((int) json.integer("status", 999), json.optionalString("contentType"),
                    Base64.getDecoder().decode(json.string("body")), paid);
        } catch (IllegalArgumentException notBase64) {
            throw new JsonObjectReader.BadJson(ErrorCode.MALFORMED_BODY, "field 'body' is not base64");
        }
    }

    private static PaywallClient.Receipt readReceipt(JsonObjectReader json) {
        return new PaywallClient.Receipt(json.string("scheme"), json.amount("amount"), json.address("payTo"),
                json.optionalString("transaction").map(Bytes32::fromHex), json.optionalInteger("channelId"));
    }

    static PaymentResult readPayment(JsonObjectReader json) {
        return new PaymentResult(json.address("peer"), json.amount("amount"), readAsset(json.object("asset")),
                json.integer("channelId"), json.integer("nonce"), json.amount("paidTotal"), json.amount("owed"));
    }

    /** The node's refusal as it sent it; a code this build does not know (a newer node's) is kept in the sentence. */
    static ControlException readError(JsonObjectReader json) {
        String code = json.string("code");
        String message = json.string("message");
        return ErrorCode.fromCode(code).map(known -> new ControlException(known, message))
                .orElseGet(() -> new ControlException(ErrorCode.BAD_RESPONSE, "[" + code + "] " + message));
    }

    private static ObjectNode asset(Asset asset) {
        return MAPPER.createObjectNode()
                .put("symbol", asset.symbol())
                .put("token", asset.token().toString())
                .put("decimals", asset.decimals());
    }

    private static Asset readAsset(JsonObjectReader json) {
        return new Asset(json.string("symbol"), json.address("token"), Math.toIntExact(json.integer("decimals")));
    }

    private static ObjectNode amount(Amount amount, Asset asset) {
        return MAPPER.createObjectNode().put("value", amount.value().toString()).put("formatted", asset.format(amount));
    }

    private static Integer port(JsonObjectReader json, String name) {
        return json.optionalInteger(name).map(Math::toIntExact).orElse(null);
    }
}
