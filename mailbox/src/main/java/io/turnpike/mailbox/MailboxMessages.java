package io.turnpike.mailbox;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.channel.MailboxDelete;
import io.turnpike.core.channel.MailboxFetch;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.http.JsonObjectReader.BadJson;
import io.turnpike.store.StoredEnvelope;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mailbox API (docs/mailbox.md) as values, written and read here by both the {@link MailboxApi} and the
 * {@link io.turnpike.mailbox.client.MailboxClient}, so the two sides cannot drift apart. Ids, expiries and limits are
 * decimal strings, envelopes standard base64 (RFC 4648, padded), keys, nonces and signatures 0x hex.
 */
public final class MailboxMessages {

    private MailboxMessages() {
    }

    /** {@code POST /v1/mailbox/deliver}: an envelope sealed to {@code to}'s key. */
    public record Delivery(Address to, byte[] envelope) {

        public ObjectNode toJson() {
            return object().put("to", to.toString()).put("envelope", BASE64.encodeToString(envelope));
        }

        public static Delivery read(JsonObjectReader json) {
            return new Delivery(json.address("to"), base64(json, "envelope"));
        }
    }

    /** The answer to a delivery: the envelope's id in the recipient's mailbox. */
    public record Delivered(long id) {

        public ObjectNode toJson() {
            return object().put("id", Long.toString(id));
        }

        public static Delivered read(JsonObjectReader json) {
            return new Delivered(json.decimalLong("id"));
        }
    }

    /** {@code POST /v1/mailbox/fetch}. */
    public static ObjectNode fetchJson(Signed<MailboxFetch> request) {
        MailboxFetch fetch = request.message();
        ObjectNode json = object();
        json.putObject("fetch")
                .put("provider", fetch.provider().toString())
                .put("mailbox", fetch.mailbox().toString())
                .put("after", Long.toString(fetch.after()))
                .put("limit", Long.toString(fetch.limit()))
                .put("expiry", Long.toString(fetch.expiry()))
                .put("nonce", fetch.nonce().toHex());
        return json.put("signature", request.signature().toHex());
    }

    public static Signed<MailboxFetch> readFetch(JsonObjectReader json) {
        JsonObjectReader fetch = json.object("fetch");
        MailboxFetch message = valid(() -> new MailboxFetch(fetch.address("provider"), fetch.address("mailbox"),
                fetch.decimalLong("after"), fetch.decimalLong("limit"), fetch.decimalLong("expiry"),
                fetch.bytes32("nonce")));
        return new Signed<>(message, json.signature("signature"));
    }

    /** {@code POST /v1/mailbox/delete}. */
    public static ObjectNode deleteJson(Signed<MailboxDelete> request) {
        MailboxDelete delete = request.message();
        ObjectNode json = object();
        json.putObject("delete")
                .put("provider", delete.provider().toString())
                .put("mailbox", delete.mailbox().toString())
                .put("through", Long.toString(delete.through()))
                .put("expiry", Long.toString(delete.expiry()))
                .put("nonce", delete.nonce().toHex());
        return json.put("signature", request.signature().toHex());
    }

    public static Signed<MailboxDelete> readDelete(JsonObjectReader json) {
        JsonObjectReader delete = json.object("delete");
        MailboxDelete message = valid(() -> new MailboxDelete(delete.address("provider"), delete.address("mailbox"),
                delete.decimalLong("through"), delete.decimalLong("expiry"), delete.bytes32("nonce")));
        return new Signed<>(message, json.signature("signature"));
    }

    /** The answer to a fetch: the envelopes, whether more wait, and the mailbox's status. */
    public record Fetched(List<StoredEnvelope> envelopes, boolean more, Status status) {

        public Fetched {
            envelopes = List.copyOf(envelopes);
        }

        public static Fetched of(Mailbox.Fetched fetched) {
            return new Fetched(fetched.envelopes(), fetched.more(), Status.of(fetched.access()));
        }

        public ObjectNode toJson() {
            ObjectNode json = object();
            ArrayNode list = json.putArray("envelopes");
            envelopes.forEach(envelope -> list.addObject()
                    .put("id", Long.toString(envelope.id()))
                    .put("receivedAt", envelope.receivedAt().toString())
                    .put("envelope", BASE64.encodeToString(envelope.envelope())));
            json.put("more", more);
            json.set("status", status.toJson());
            return json;
        }

        public static Fetched read(JsonObjectReader json) {
            List<StoredEnvelope> envelopes = json.objects("envelopes").stream()
                    .map(item -> new StoredEnvelope(item.decimalLong("id"), instant(item, "receivedAt"),
                            base64(item, "envelope")))
                    .toList();
            return new Fetched(envelopes, json.bool("more"), Status.read(json.object("status")));
        }
    }

    /**
     * A mailbox's status as its owner reads it: {@code open} (deliveries taken; {@code until} when its subscription
     * expires) or {@code grace} (read-only until {@code eraseAt}, having expired at {@code until}).
     */
    public record Status(String status, String basis, Optional<Instant> until, Optional<Instant> eraseAt) {

        static Status of(Access access) {
            return switch (access) {
                case Access.Open open -> new Status("open", open.basis().name().toLowerCase(Locale.ROOT), open.until(),
                        Optional.empty());
                case Access.Grace grace -> new Status("grace", "subscription", Optional.of(grace.expiredAt()),
                        Optional.of(grace.eraseAt()));
                case Access.Closed closed -> throw new IllegalArgumentException("a closed mailbox answers no fetch");
            };
        }

        ObjectNode toJson() {
            ObjectNode json = object().put("status", status).put("basis", basis);
            json.put("until", until.map(Instant::toString).orElse(null));
            return json.put("eraseAt", eraseAt.map(Instant::toString).orElse(null));
        }

        static Status read(JsonObjectReader json) {
            return new Status(json.string("status"), json.string("basis"), json.optionalInstant("until"),
                    json.optionalInstant("eraseAt"));
        }
    }

    /** The answer to a delete: how many envelopes were deleted. */
    public record Deleted(long deleted) {

        public ObjectNode toJson() {
            return object().put("deleted", Long.toString(deleted));
        }

        public static Deleted read(JsonObjectReader json) {
            return new Deleted(json.decimalLong("deleted"));
        }
    }

    /** {@code GET /v1/mailbox/keys/ADDRESS}: the owner's public key, learnt from its own signature. */
    public record Key(Address owner, PublicKey publicKey) {

        public ObjectNode toJson() {
            return object().put("owner", owner.toString()).put("publicKey", publicKey.toHex());
        }

        public static Key read(JsonObjectReader json) {
            return new Key(json.address("owner"), PublicKey.fromHex(json.string("publicKey")));
        }
    }

    /**
     * {@code GET /v1/mailbox}: what a client needs to sign requests (the provider, the chain and the contract of the
     * EIP-712 domain) and the terms it is served on.
     */
    /**
     * {@code GET /v1/mailbox}: the provider's terms, the domain requests are signed in, and {@code now}, the provider's
     * clock (unix seconds), which a request's expiry is checked against.
     */
    public record Info(Address provider, long chainId, Address verifyingContract, boolean free, List<Plan> plans,
                       long graceSeconds, long maxEnvelopeBytes, long maxFetchEnvelopes, long maxRequestSeconds,
                       long now) {

        public Info {
            plans = List.copyOf(plans);
        }

        /** A plan that grants a mailbox: retention in days, quota in bytes. */
        public record Plan(long planId, long retentionDays, long quotaBytes) {
        }

        public static Info of(Mailbox mailbox) {
            MailboxConfig config = mailbox.config();
            return new Info(mailbox.provider(), mailbox.domain().chainId(), mailbox.domain().verifyingContract(),
                    config.free(), config.plans().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .map(plan -> new Plan(plan.getKey(), plan.getValue().retention().toDays(),
                            plan.getValue().quotaBytes())).toList(),
                    config.grace().toSeconds(), config.maxEnvelopeBytes(), config.maxFetchEnvelopes(),
                    config.maxRequestLifetime().toSeconds(), mailbox.now().getEpochSecond());
        }

        public ObjectNode toJson() {
            ObjectNode json = object()
                    .put("provider", provider.toString())
                    .put("chainId", Long.toString(chainId))
                    .put("verifyingContract", verifyingContract.toString())
                    .put("free", free);
            ArrayNode list = json.putArray("plans");
            plans.forEach(plan -> list.addObject()
                    .put("planId", Long.toString(plan.planId()))
                    .put("retentionDays", Long.toString(plan.retentionDays()))
                    .put("quotaBytes", Long.toString(plan.quotaBytes())));
            return json.put("graceSeconds", Long.toString(graceSeconds))
                    .put("maxEnvelopeBytes", Long.toString(maxEnvelopeBytes))
                    .put("maxFetchEnvelopes", Long.toString(maxFetchEnvelopes))
                    .put("maxRequestSeconds", Long.toString(maxRequestSeconds))
                    .put("now", Long.toString(now));
        }

        public static Info read(JsonObjectReader json) {
            return new Info(json.address("provider"), json.decimalLong("chainId"), json.address("verifyingContract"),
                    json.bool("free"), json.objects("plans").stream()
                    .map(plan -> new Plan(plan.decimalLong("planId"), plan.decimalLong("retentionDays"),
                            plan.decimalLong("quotaBytes"))).toList(),
                    json.decimalLong("graceSeconds"), json.decimalLong("maxEnvelopeBytes"),
                    json.decimalLong("maxFetchEnvelopes"), json.decimalLong("maxRequestSeconds"),
                    json.decimalLong("now"));
        }
    }

    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private static ObjectNode object() {
        return JsonObjectReader.MAPPER.createObjectNode();
    }

    private static byte[] base64(JsonObjectReader json, String field) {
        try {
            return Base64.getDecoder().decode(json.string(field));
        } catch (IllegalArgumentException notBase64) {
            throw new BadJson(ErrorCode.MALFORMED_BODY, "field '" + field + "' must be standard base64 (RFC 4648, "
                    + "padded): " + notBase64.getMessage());
        }
    }

    private static Instant instant(JsonObjectReader json, String field) {
        return json.optionalInstant(field).orElseThrow(() -> new BadJson(ErrorCode.MALFORMED_BODY,
                "field '" + field + "' must be an ISO-8601 instant"));
    }

    /** A message whose fields parsed but break its own rules (a negative expiry, a key off the curve) is bad JSON. */
    private static <T> T valid(Supplier<T> message) {
        try {
            return message.get();
        } catch (IllegalArgumentException e) {
            throw new BadJson(ErrorCode.MALFORMED_BODY, e.getMessage());
        }
    }
}
