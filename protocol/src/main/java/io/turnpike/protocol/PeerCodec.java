package io.turnpike.protocol;

import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.TypedMessage;
import io.turnpike.core.channel.Withdraw;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.CapacityQuery;
import io.turnpike.protocol.PeerMessage.CapacityQuote;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.SessionToken;
import io.turnpike.protocol.PeerMessage.SettleRequest;
import io.turnpike.protocol.PeerMessage.SettleSign;
import io.turnpike.protocol.PeerMessage.Statement;
import io.turnpike.protocol.PeerMessage.Throttle;
import io.turnpike.protocol.PeerMessage.Transfer;
import io.turnpike.protocol.PeerMessage.WithdrawRequest;
import io.turnpike.protocol.PeerMessage.WithdrawSign;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of {@link PeerMessage}s: one object per frame with {@code type} and {@code v}; amounts as
 * decimal strings, addresses, hashes and signatures as 0x-hex. Decoding is strict — a missing, extra or
 * mistyped field, a duplicate key, a non-canonical number — and every refusal is a {@link TurnpikeException}
 * with a stable code that can go straight back to the peer in an {@code error}.
 */
public final class PeerCodec {

    public static final int VERSION = 1;
    /** The largest message the codec reads, in UTF-8 bytes; the largest real message is far smaller. */
    public static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private static final JsonMapper JSON = JsonObjectReader.MAPPER;

    private PeerCodec() {
    }

    public static String encode(PeerMessage message) {
        ObjectNode out = JSON.createObjectNode();
        out.put("type", message.type());
        out.put("v", VERSION);
        switch (message) {
            case Hello hello -> {
                out.put("address", hello.address().toString());
                out.put("chainId", hello.chainId());
                out.put("contract", hello.contract().toString());
                out.put("challenge", hello.challenge().toHex());
            }
            case Auth auth -> out.put("signature", auth.signature().toHex());
            case Offer offer -> {
                var services = out.putArray("services");
                offer.services().forEach(terms -> writeTerms(services.addObject(), terms));
                writeAsset(out.putObject("asset"), offer.asset());
                out.put("paymentThreshold", offer.paymentThreshold().toString());
                out.put("refreshRate", offer.refreshRate().toString());
                out.put("freeTierRate", offer.freeTierRate());
                var tiers = out.putArray("tiers");
                offer.tiers().forEach(tier -> tiers.addObject().put("name", tier.name()).put("rate", tier.rate()));
            }
            case ChannelSync sync -> {
                out.put("channelId", sync.channelId());
                out.put("chainId", sync.chainId());
                out.put("contract", sync.contract().toString());
                out.put("sentNonce", sync.sentNonce());
                out.put("receivedNonce", sync.receivedNonce());
            }
            case Pay pay -> {
                BalanceProof proof = pay.proof().message();
                out.put("channelId", proof.channelId());
                out.put("nonce", proof.nonce());
                out.put("transferred", proof.transferred().toString());
                out.put("signature", pay.proof().signature().toHex());
            }
            case Receipt receipt -> {
                out.put("channelId", receipt.channelId());
                out.put("nonce", receipt.nonce());
                out.put("credited", receipt.credited().toString());
            }
            case Statement statement -> {
                out.put("used", statement.used().toString());
                out.put("paid", statement.paid().toString());
                out.put("debt", statement.debt().toString());
                var services = out.putArray("services");
                statement.services().forEach(usage -> services.addObject().put("service", usage.service())
                        .put("units", usage.units()).put("used", usage.used().toString()));
            }
            case Throttle throttle -> {
                out.put("tier", throttle.tier());
                out.put("rate", throttle.rate());
            }
            case SessionRequest request -> out.put("service", request.service());
            case CapacityQuery query -> {
                out.put("service", query.service());
                var amounts = out.putArray("amounts");
                query.amounts().forEach(amount -> amounts.add(amount.toString()));
            }
            case CapacityQuote quote -> {
                out.put("service", quote.service());
                var capacities = out.putArray("capacities");
                quote.capacities().forEach(capacities::add);
            }
            case SessionToken token -> {
                out.put("service", token.service());
                out.put("token", token.token());
            }
            case Transfer transfer -> {
                out.put("txHash", transfer.txHash().toHex());
                out.put("amount", transfer.amount().toString());
                writeAsset(out.putObject("asset"), transfer.asset());
            }
            case SettleRequest request -> writeSettle(out, request.settle());
            case SettleSign sign -> writeSettle(out, sign.settle());
            case WithdrawRequest request -> writeWithdraw(out, request.withdraw());
            case WithdrawSign sign -> writeWithdraw(out, sign.withdraw());
            case ErrorMessage error -> {
                out.put("code", error.code());
                out.put("message", error.message());
            }
        }
        return JSON.writeValueAsString(out);
    }

    /**
     * Reads one frame. The version is checked before the type, so a newer peer learns that its version is the
     * problem rather than its message.
     *
     * @throws TurnpikeException {@code message_too_large}, {@code malformed_message}, {@code unsupported_version},
     *     {@code unknown_message_type}, {@code amount_out_of_range} or {@code invalid_signature}
     */
    public static PeerMessage decode(String frame) {
        requireWithinLimit(frame);
        JsonObjectReader fields = JsonObjectReader.parse(frame.getBytes(StandardCharsets.UTF_8),
                ErrorCode.MALFORMED_MESSAGE);
        long version = fields.integer("v");
        if (version != VERSION) {
            throw new TurnpikeException(ErrorCode.UNSUPPORTED_VERSION,
                    "this node speaks protocol version " + VERSION + ", the message is version " + version);
        }
        String type = fields.string("type");
        PeerMessage message;
        try {
            message = read(type, fields);
        } catch (IllegalArgumentException outOfRange) {
            throw new TurnpikeException(ErrorCode.MALFORMED_MESSAGE, type + ": " + outOfRange.getMessage());
        }
        fields.refuseOthers();
        return message;
    }

    private static PeerMessage read(String type, JsonObjectReader in) {
        return switch (type) {
            case "hello" -> new Hello(in.address("address"), in.integer("chainId"), in.address("contract"),
                    in.bytes32("challenge"));
            case "auth" -> new Auth(in.signature("signature"));
            case "offer" -> new Offer(in.objects("services", Wire.MAX_SERVICES).stream().map(PeerCodec::readTerms)
                    .toList(), readAsset(in.object("asset")), in.decimalAmount("paymentThreshold"), in.decimalAmount("refreshRate"),
                    in.integer("freeTierRate"),
                    in.objects("tiers", Wire.MAX_TIERS).stream().map(PeerCodec::readTier).toList());
            case "channel" -> new ChannelSync(in.integer("channelId"), in.integer("chainId"), in.address("contract"),
                    in.integer("sentNonce"), in.integer("receivedNonce"));
            case "pay" -> new Pay(signed(new BalanceProof(in.integer("channelId"), in.integer("nonce"),
                    in.decimalAmount("transferred")), in));
            case "receipt" -> new Receipt(in.integer("channelId"), in.integer("nonce"), in.decimalAmount("credited"));
            case "statement" -> new Statement(in.decimalAmount("used"), in.decimalAmount("paid"), in.decimalAmount("debt"),
                    in.objects("services", Wire.MAX_SERVICES).stream().map(PeerCodec::readUsage).toList());
            case "throttle" -> new Throttle(in.string("tier"), in.integer("rate"));
            case "session.request" -> new SessionRequest(in.string("service"));
            case "capacity.query" -> new CapacityQuery(in.string("service"),
                    in.decimalAmounts("amounts", Wire.MAX_QUOTES));
            case "capacity.quote" -> new CapacityQuote(in.string("service"),
                    in.integers("capacities", Wire.MAX_QUOTES));
            case "session.token" -> new SessionToken(in.string("service"), in.string("token"));
            case "transfer" -> new Transfer(in.bytes32("txHash"), in.decimalAmount("amount"), readAsset(in.object("asset")));
            case "settle.request" -> new SettleRequest(readSettle(in));
            case "settle.sign" -> new SettleSign(readSettle(in));
            case "withdraw.request" -> new WithdrawRequest(readWithdraw(in));
            case "withdraw.sign" -> new WithdrawSign(readWithdraw(in));
            case "error" -> new ErrorMessage(in.string("code"), in.string("message"));
            default -> throw new TurnpikeException(ErrorCode.UNKNOWN_MESSAGE_TYPE,
                    "unknown message type " + JsonObjectReader.quote(type) + " in protocol version " + VERSION);
        };
    }

    private static void requireWithinLimit(String frame) {
        // A char is at least one UTF-8 byte and at most three, so most frames are judged without encoding them.
        boolean tooLarge = frame.length() > MAX_MESSAGE_BYTES || (frame.length() * 3L > MAX_MESSAGE_BYTES
                && frame.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_BYTES);
        if (tooLarge) {
            throw new TurnpikeException(ErrorCode.MESSAGE_TOO_LARGE,
                    "a message is at most " + MAX_MESSAGE_BYTES + " bytes of UTF-8; this one is larger");
        }
    }

    private static <M extends TypedMessage> Signed<M> signed(M message, JsonObjectReader in) {
        return new Signed<>(message, in.signature("signature"));
    }

    private static void writeAsset(ObjectNode out, Asset asset) {
        out.put("symbol", asset.symbol());
        out.put("token", asset.token().toString());
        out.put("decimals", asset.decimals());
    }

    private static Asset readAsset(JsonObjectReader in) {
        // Asset itself bounds the decimals; the integer bound only keeps the cast exact.
        Asset asset = new Asset(in.string("symbol"), in.address("token"),
                (int) in.integer("decimals", Integer.MAX_VALUE));
        in.refuseOthers();
        return asset;
    }

    /** {@code costs} only when there are some: terms without a table read as they did before it existed. */
    private static void writeTerms(ObjectNode out, Offer.ServiceTerms terms) {
        out.put("service", terms.service()).put("unit", terms.unit())
                .put("pricePerUnit", terms.pricePerUnit().toString());
        if (!terms.costs().isEmpty()) {
            ArrayNode costs = out.putArray("costs");
            terms.costs().forEach(cost -> costs.addObject().put("item", cost.item()).put("base", cost.base())
                    .put("perItem", cost.perItem()));
        }
    }

    private static Offer.ServiceTerms readTerms(JsonObjectReader in) {
        List<Offer.Cost> costs = in.has("costs") ? in.objects("costs", Wire.MAX_COSTS).stream()
                .map(PeerCodec::readCost).toList() : List.of();
        Offer.ServiceTerms terms = new Offer.ServiceTerms(in.string("service"), in.string("unit"),
                in.decimalAmount("pricePerUnit"), costs);
        in.refuseOthers();
        return terms;
    }

    private static Offer.Cost readCost(JsonObjectReader in) {
        Offer.Cost cost = new Offer.Cost(in.string("item"), in.integer("base"), in.integer("perItem"));
        in.refuseOthers();
        return cost;
    }

    private static Statement.ServiceUsage readUsage(JsonObjectReader in) {
        Statement.ServiceUsage usage = new Statement.ServiceUsage(in.string("service"), in.integer("units"),
                in.decimalAmount("used"));
        in.refuseOthers();
        return usage;
    }

    private static Offer.Tier readTier(JsonObjectReader in) {
        Offer.Tier tier = new Offer.Tier(in.string("name"), in.integer("rate"));
        in.refuseOthers();
        return tier;
    }

    private static void writeSettle(ObjectNode out, Signed<CooperativeSettle> settle) {
        out.put("channelId", settle.message().channelId());
        out.put("payoutA", settle.message().payoutA().toString());
        out.put("payoutB", settle.message().payoutB().toString());
        out.put("signature", settle.signature().toHex());
    }

    private static Signed<CooperativeSettle> readSettle(JsonObjectReader in) {
        return signed(new CooperativeSettle(in.integer("channelId"), in.decimalAmount("payoutA"), in.decimalAmount("payoutB")), in);
    }

    private static void writeWithdraw(ObjectNode out, Signed<Withdraw> withdraw) {
        out.put("channelId", withdraw.message().channelId());
        out.put("participant", withdraw.message().participant().toString());
        out.put("totalWithdraw", withdraw.message().totalWithdraw().toString());
        out.put("expiry", withdraw.message().expiry());
        out.put("signature", withdraw.signature().toHex());
    }

    private static Signed<Withdraw> readWithdraw(JsonObjectReader in) {
        return signed(new Withdraw(in.integer("channelId"), in.address("participant"), in.decimalAmount("totalWithdraw"),
                in.integer("expiry")), in);
    }
}
