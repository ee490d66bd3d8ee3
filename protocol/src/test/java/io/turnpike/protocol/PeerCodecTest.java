package io.turnpike.protocol;

import static io.turnpike.core.ErrorCode.AMOUNT_OUT_OF_RANGE;
import static io.turnpike.core.ErrorCode.INVALID_SIGNATURE;
import static io.turnpike.core.ErrorCode.MALFORMED_MESSAGE;
import static io.turnpike.core.ErrorCode.MESSAGE_TOO_LARGE;
import static io.turnpike.core.ErrorCode.UNKNOWN_MESSAGE_TYPE;
import static io.turnpike.core.ErrorCode.UNSUPPORTED_VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;
import org.assertj.core.api.AbstractStringAssert;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@Domain(PeerArbitraries.class)
@Domain(DomainContext.Global.class)
class PeerCodecTest {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Set<String> AMOUNT_FIELDS = Set.of("pricePerUnit", "paymentThreshold", "refreshRate",
            "transferred", "credited", "used", "paid", "debt", "amount", "payoutA", "payoutB", "totalWithdraw");
    private static final Set<String> HEX_FIELDS =
            Set.of("address", "contract", "challenge", "signature", "token", "txHash", "participant");
    private static final Set<String> TYPES = Set.of("hello", "auth", "offer", "channel", "pay", "receipt",
            "statement", "throttle", "session.request", "session.token", "capacity.query", "capacity.quote", "transfer", "settle.request", "settle.sign",
            "withdraw.request", "withdraw.sign", "error");
    /** Fields a peer from before they existed does not send: each reads as its documented default. */
    private static final Set<String> OPTIONAL_FIELDS = Set.of("costs");
    private static final BigInteger CURVE_ORDER =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

    @Property
    void everyMessageSurvivesEncodingAndDecoding(@ForAll PeerMessage message) {
        assertThat(PeerCodec.decode(PeerCodec.encode(message))).isEqualTo(message);
    }

    @Property
    void everyMessageIsOneObjectWithItsTypeAndVersionOne(@ForAll PeerMessage message) {
        JsonNode json = JSON.readTree(PeerCodec.encode(message));

        assertThat(json.get("type").stringValue()).isEqualTo(message.type()).isIn(TYPES);
        assertThat(json.get("v").intValue()).isEqualTo(1);
    }

    @Example
    void everyWireTypeHasItsOwnMessageRecord() {
        assertThat(PeerMessage.class.getPermittedSubclasses()).hasSameSizeAs(TYPES);
    }

    // ---- a mutated input is rejected, with the stable code the peer will see ----

    @Property
    void aFieldOfAnotherJsonTypeIsMalformed(@ForAll PeerMessage message, @ForAll @IntRange(max = 1000) int pick) {
        ObjectNode json = tree(message);
        Field field = pick(fields(json), pick);
        JsonNode original = field.parent().get(field.name());
        JsonNode replacement = original.isNumber() ? JSON.getNodeFactory().stringNode(original.asString())
                : JSON.getNodeFactory().numberNode(7);
        field.parent().set(field.name(), replacement);

        assertRejected(MALFORMED_MESSAGE, json).contains(field.name());
    }

    @Property
    void aMissingFieldIsMalformed(@ForAll PeerMessage message, @ForAll @IntRange(max = 1000) int pick) {
        ObjectNode json = tree(message);
        List<Field> required = fields(json).stream().filter(f -> !OPTIONAL_FIELDS.contains(f.name())).toList();
        Field field = pick(required, pick);
        field.parent().remove(field.name());

        assertRejected(MALFORMED_MESSAGE, json).contains(field.name()).contains("missing");
    }

    @Property
    void anExtraFieldIsMalformed(@ForAll PeerMessage message, @ForAll @IntRange(max = 1000) int pick) {
        ObjectNode json = tree(message);
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(json, objects::add);
        pick(objects, pick).put("memo", "pay me twice");

        assertRejected(MALFORMED_MESSAGE, json).contains("memo");
    }

    @Property
    void aNegativeAmountIsOutOfRange(@ForAll("withAmounts") PeerMessage message,
                                     @ForAll @IntRange(max = 1000) int pick) {
        ObjectNode json = tree(message);
        Field field = pick(amountFields(json), pick);
        field.parent().put(field.name(), "-" + field.parent().get(field.name()).stringValue());

        assertRejected(AMOUNT_OUT_OF_RANGE, json).contains(field.name());
    }

    @Property
    void anAmountAboveUint256IsOutOfRange(@ForAll("withAmounts") PeerMessage message,
                                          @ForAll @IntRange(max = 1000) int pick,
                                          @ForAll @LongRange(min = 1) long excess) {
        ObjectNode json = tree(message);
        Field field = pick(amountFields(json), pick);
        field.parent().put(field.name(), Amount.MAX_UINT256.add(BigInteger.valueOf(excess)).toString());

        assertRejected(AMOUNT_OUT_OF_RANGE, json).contains(field.name());
    }

    @Property
    void anAmountThatIsNotPlainDigitsIsMalformed(
            @ForAll("withAmounts") PeerMessage message, @ForAll @IntRange(max = 1000) int pick,
            @ForAll("notPlainDigits") String text) {
        ObjectNode json = tree(message);
        Field field = pick(amountFields(json), pick);
        field.parent().put(field.name(), text);

        assertRejected(MALFORMED_MESSAGE, json).contains(field.name());
    }

    @Property
    void badHexIsMalformed(@ForAll("withHex") PeerMessage message, @ForAll @IntRange(max = 1000) int pick,
                           @ForAll("hexDamage") HexDamage damage) {
        ObjectNode json = tree(message);
        Field field = pick(hexFields(json), pick);
        field.parent().put(field.name(), damage.apply(field.parent().get(field.name()).stringValue()));

        assertRejected(MALFORMED_MESSAGE, json).contains(field.name());
    }

    @Property
    void anUnknownTypeIsRefusedAsUnknown(@ForAll PeerMessage message, @ForAll("unknownTypes") String type) {
        ObjectNode json = tree(message);
        json.put("type", type);

        assertRejected(UNKNOWN_MESSAGE_TYPE, json);
    }

    @Property
    void anotherVersionIsUnsupported(@ForAll PeerMessage message, @ForAll @LongRange(min = 0) long version) {
        Assume.that(version != PeerCodec.VERSION);
        ObjectNode json = tree(message);
        json.put("v", version);
        json.put("type", "a.type.from.the.future");

        assertRejected(UNSUPPORTED_VERSION, json).contains(Long.toString(version));
    }

    @Example
    void termsWithoutACostTableReadAsAnEmptyOne() {
        PeerMessage offer = PeerCodec.decode(OFFER.formatted(""));

        assertThat(((PeerMessage.Offer) offer).services().getFirst().costs()).isEmpty();
    }

    @Example
    void aCostTableIsReadAsSentAndBounded() {
        PeerMessage offer = PeerCodec.decode(OFFER.formatted(
                ",\"costs\":[{\"item\":\"eth_blockNumber\",\"base\":20,\"perItem\":0},"
                        + "{\"item\":\"eth_subscription.logs\",\"base\":5,\"perItem\":1}]"));
        assertThat(((PeerMessage.Offer) offer).services().getFirst().costs()).containsExactly(
                new PeerMessage.Offer.Cost("eth_blockNumber", 20, 0),
                new PeerMessage.Offer.Cost("eth_subscription.logs", 5, 1));

        String tooMany = String.join(",", java.util.stream.IntStream.rangeClosed(0, Wire.MAX_COSTS)
                .mapToObj(i -> "{\"item\":\"m_" + i + "\",\"base\":1,\"perItem\":0}").toList());
        assertRejected(MALFORMED_MESSAGE, OFFER.formatted(",\"costs\":[" + tooMany + "]")).contains("costs");
        assertRejected(MALFORMED_MESSAGE, OFFER.formatted(",\"costs\":[{\"item\":\"" + "m".repeat(65)
                + "\",\"base\":1,\"perItem\":0}]")).contains("cost item");
        assertRejected(MALFORMED_MESSAGE, OFFER.formatted(",\"costs\":[{\"item\":\"eth call\",\"base\":1,"
                + "\"perItem\":0}]")).contains("cost item");
        assertRejected(MALFORMED_MESSAGE, OFFER.formatted(",\"costs\":[{\"item\":\"eth_call\",\"base\":-1,"
                + "\"perItem\":0}]"));
        assertRejected(MALFORMED_MESSAGE, OFFER.formatted(",\"costs\":[{\"item\":\"eth_call\",\"base\":1,"
                + "\"perItem\":0},{\"item\":\"eth_call\",\"base\":2,\"perItem\":0}]")).contains("twice");
    }

    /** An offer of rpc, with whatever follows its price in the service's terms. */
    private static final String OFFER = "{\"type\":\"offer\",\"v\":1,\"services\":[{\"service\":\"rpc\","
            + "\"unit\":\"cost_unit\",\"pricePerUnit\":\"3000\"%s}],\"asset\":{\"symbol\":\"ETH\","
            + "\"token\":\"0x0000000000000000000000000000000000000000\",\"decimals\":18},"
            + "\"paymentThreshold\":\"1000\",\"refreshRate\":\"0\",\"freeTierRate\":100,\"tiers\":[]}";

    @Example
    void aMixedCaseAddressWithABrokenChecksumIsMalformed() {
        ObjectNode json = tree(helloFrom("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        json.put("address", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");

        assertRejected(MALFORMED_MESSAGE, json).contains("checksum");
    }

    @Example
    void aLowerCaseAddressNeedsNoChecksum() {
        ObjectNode json = tree(helloFrom("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        json.put("address", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");

        assertThat(((PeerMessage.Hello) PeerCodec.decode(json.toString())).address())
                .hasToString("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    }

    @Example
    void aMalleableHighSSignatureIsInvalid() {
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(7, 3, Amount.of(1000)), PeerFixtures.DOMAIN,
                PeerFixtures.ALICE);
        ObjectNode json = tree(new Pay(proof));
        byte[] malleated = proof.signature().bytes();
        byte[] highS = leftPad(CURVE_ORDER.subtract(proof.signature().s()));
        System.arraycopy(highS, 0, malleated, 32, 32);
        malleated[64] ^= 1;
        json.put("signature", "0x" + HexFormat.of().formatHex(malleated));

        assertRejected(INVALID_SIGNATURE, json);
    }

    @Example
    void frameSizeIsCappedInUtf8Bytes() {
        String padded = paddedTo(PeerCodec.MAX_MESSAGE_BYTES);
        assertThat(PeerCodec.decode(padded)).isInstanceOf(ErrorMessage.class);

        assertRejected(MESSAGE_TOO_LARGE, paddedTo(PeerCodec.MAX_MESSAGE_BYTES + 1));
        assertRejected(MESSAGE_TOO_LARGE, "x".repeat(10 * PeerCodec.MAX_MESSAGE_BYTES));
        // Fewer characters than the limit, but two bytes each.
        assertRejected(MESSAGE_TOO_LARGE, "é".repeat(PeerCodec.MAX_MESSAGE_BYTES / 2 + 1));
    }

    @Example
    void anythingButOneJsonObjectIsMalformed() {
        for (String frame : List.of("", "garbage", "[]", "null", "42", "\"hello\"", "{\"v\":1,\"type\":\"auth\"",
                "{\"v\":1,\"type\":\"statement\",\"used\":\"1\",\"paid\":\"1\",\"debt\":\"0\"}{}",
                "{\"v\":1,\"v\":1,\"type\":\"statement\",\"used\":\"1\",\"paid\":\"1\",\"debt\":\"0\"}")) {
            assertRejected(MALFORMED_MESSAGE, frame);
        }
    }

    @Example
    void integersAreJsonIntegersWithinRange() {
        String template = "{\"type\":\"receipt\",\"v\":1,\"channelId\":%s,\"nonce\":3,\"credited\":\"10\"}";
        assertThat(PeerCodec.decode(template.formatted("7"))).isEqualTo(new PeerMessage.Receipt(7, 3, Amount.of(10)));

        for (String channelId : List.of("7.0", "7e0", "\"7\"", "-7", "0", "9223372036854775808", "null", "true")) {
            assertRejected(MALFORMED_MESSAGE, template.formatted(channelId)).contains("channelId");
        }
    }

    @Example
    void aVersionThatIsNotAnIntegerIsMalformed() {
        assertRejected(MALFORMED_MESSAGE, "{\"type\":\"session.request\",\"v\":\"1\",\"service\":\"relay\"}");
        assertRejected(MALFORMED_MESSAGE, "{\"type\":\"session.request\",\"service\":\"relay\"}");
    }

    // ---- generators for the mutations ----

    @Provide
    Arbitrary<PeerMessage> withAmounts() {
        return new PeerArbitraries().peerMessage().filter(message -> !amountFields(tree(message)).isEmpty());
    }

    @Provide
    Arbitrary<PeerMessage> withHex() {
        return new PeerArbitraries().peerMessage().filter(message -> !hexFields(tree(message)).isEmpty());
    }

    @Provide
    Arbitrary<String> notPlainDigits() {
        return Arbitraries.of("", " 1", "1 ", "+1", "01", "00", "1.5", "1.0", "1e3", "0x10", "١٢٣", "1_000", "1,000",
                "NaN", "Infinity", "ten");
    }

    @Provide
    Arbitrary<String> unknownTypes() {
        return Arbitraries.strings().ofMaxLength(40).filter(type -> !TYPES.contains(type));
    }

    /** Ways to spoil a 0x-hex value: a non-hex digit, a digit too few or too many, no prefix. */
    enum HexDamage {
        NON_HEX_DIGIT, TOO_SHORT, TOO_LONG, NO_PREFIX;

        String apply(String hex) {
            return switch (this) {
                case NON_HEX_DIGIT -> hex.substring(0, hex.length() - 1) + "g";
                case TOO_SHORT -> hex.substring(0, hex.length() - 1);
                case TOO_LONG -> hex + "0";
                case NO_PREFIX -> hex.substring(2);
            };
        }
    }

    @Provide
    Arbitrary<HexDamage> hexDamage() {
        return Arbitraries.of(HexDamage.class);
    }

    // ---- helpers ----

    /** A field of some object in a message: its parent and its name. */
    record Field(ObjectNode parent, String name) {
    }

    private static ObjectNode tree(PeerMessage message) {
        return (ObjectNode) JSON.readTree(PeerCodec.encode(message));
    }

    private static AbstractStringAssert<?> assertRejected(ErrorCode code, JsonNode json) {
        return assertRejected(code, json.toString());
    }

    private static AbstractStringAssert<?> assertRejected(ErrorCode code, String frame) {
        TurnpikeException refusal = catchThrowableOfType(TurnpikeException.class, () -> PeerCodec.decode(frame));
        assertThat(refusal).as("decoding %s", frame.length() > 200 ? frame.substring(0, 200) + "…" : frame)
                .isNotNull();
        assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(code);
        return assertThat(refusal.getMessage());
    }

    private static <T> T pick(List<T> options, int pick) {
        return options.get(pick % options.size());
    }

    /** Every field of every object in the message, containers included. */
    private static List<Field> fields(ObjectNode json) {
        List<Field> fields = new ArrayList<>();
        collectObjects(json, object -> object.propertyNames().forEach(name -> fields.add(new Field(object, name))));
        return fields;
    }

    private static void collectObjects(JsonNode node, Consumer<ObjectNode> sink) {
        if (node instanceof ObjectNode object) {
            sink.accept(object);
            object.values().forEach(child -> collectObjects(child, sink));
        } else if (node instanceof ArrayNode array) {
            array.values().forEach(child -> collectObjects(child, sink));
        }
    }

    private static List<Field> amountFields(ObjectNode json) {
        return fields(json).stream().filter(field -> AMOUNT_FIELDS.contains(field.name())).toList();
    }

    private static List<Field> hexFields(ObjectNode json) {
        // "token" names both an asset's address and a session token; only the 0x-hex one is hex.
        return fields(json).stream()
                .filter(field -> HEX_FIELDS.contains(field.name()))
                .filter(field -> field.parent().get(field.name()).stringValue().matches("0x[0-9a-fA-F]+"))
                .toList();
    }

    private static PeerMessage.Hello helloFrom(String address) {
        return new PeerMessage.Hello(Address.of(address), 1, PeerFixtures.CONTRACT, Bytes32.of(new byte[32]));
    }

    /** A valid error message whose frame is exactly {@code bytes} long, padded with JSON whitespace. */
    private static String paddedTo(int bytes) {
        String frame = PeerCodec.encode(ErrorMessage.of(ErrorCode.MALFORMED_MESSAGE, "padded"));
        int length = frame.getBytes(StandardCharsets.UTF_8).length;
        return frame.substring(0, frame.length() - 1) + " ".repeat(bytes - length) + "}";
    }

    private static byte[] leftPad(BigInteger value) {
        byte[] magnitude = value.toByteArray();
        byte[] out = new byte[32];
        int copied = Math.min(magnitude.length, 32);
        System.arraycopy(magnitude, magnitude.length - copied, out, 32 - copied, copied);
        return out;
    }
}
