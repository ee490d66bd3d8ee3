package io.turnpike.tower;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import io.turnpike.store.TowerEntry;
import io.turnpike.store.TowerUpload;
import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API's JSON. Numbers that may exceed what a JSON reader keeps exactly (ids, nonces, amounts, times) are
 * decimal strings. Reading is strict: a missing, mistyped, unknown or repeated field is refused with
 * {@code malformed_body} naming it, so a misspelt field is never silently ignored.
 */
final class TowerJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,77}");

    /** A parsed upload: the partner's proof and the uploader's MonitorRequest terms. */
    record Upload(Signed<BalanceProof> proof, Amount reward, Signature requestSignature) {
    }

    private TowerJson() {
    }

    static Upload readUpload(byte[] body) {
        Fields json = Fields.of(parse(body), "");
        Fields proof = json.object("proof");
        BalanceProof message = new BalanceProof(proof.positiveLong("channelId"), proof.nonNegativeLong("nonce"),
                proof.amount("transferred"));
        Signature proofSignature = proof.signature("signature");
        proof.refuseOthers();
        Fields request = json.object("request");
        Upload upload = new Upload(new Signed<>(message, proofSignature), request.amount("reward"),
                request.signature("signature"));
        request.refuseOthers();
        json.refuseOthers();
        return upload;
    }

    static Signed<RestoreRequest> readRestore(byte[] body) {
        Fields json = Fields.of(parse(body), "");
        RestoreRequest message = new RestoreRequest(json.address("node"), json.nonNegativeLong("timestamp"));
        Signed<RestoreRequest> request = new Signed<>(message, json.signature("signature"));
        json.refuseOthers();
        return request;
    }

    static ObjectNode info(Address tower, long chainId, Address contract) {
        return MAPPER.createObjectNode()
                .put("address", tower.toString())
                .put("chainId", chainId)
                .put("contract", contract.toString());
    }

    static ObjectNode accepted(Signed<?> receipt, BalanceProof proof) {
        return MAPPER.createObjectNode()
                .put("channelId", Long.toString(proof.channelId()))
                .put("nonce", Long.toString(proof.nonce()))
                .put("receipt", receipt.signature().toHex());
    }

    static ObjectNode restored(List<TowerEntry> entries) {
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode proofs = json.putArray("proofs");
        for (TowerEntry entry : entries) {
            TowerUpload upload = entry.upload();
            BalanceProof proof = upload.proof().message();
            ObjectNode item = proofs.addObject();
            item.putObject("proof")
                    .put("channelId", Long.toString(proof.channelId()))
                    .put("nonce", Long.toString(proof.nonce()))
                    .put("transferred", proof.transferred().value().toString())
                    .put("signature", upload.proof().signature().toHex());
            item.putObject("request")
                    .put("reward", upload.reward().value().toString())
                    .put("signature", upload.requestSignature().toHex());
        }
        return json;
    }

    static ObjectNode error(String code, String message) {
        return MAPPER.createObjectNode().put("code", code).put("message", message);
    }

    private static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw TowerRefusal.malformed("the body is not one JSON object: " + e.getOriginalMessage());
        }
    }

    /** One JSON object read field by field; {@code prefix} names where it sits ("proof."). */
    private static final class Fields {
        private final JsonNode node;
        private final String prefix;
        private final Set<String> read = new HashSet<>();

        private Fields(JsonNode node, String prefix) {
            this.node = node;
            this.prefix = prefix;
        }

        static Fields of(JsonNode node, String prefix) {
            if (node == null || !node.isObject()) {
                throw TowerRefusal.malformed(prefix.isEmpty() ? "the body must be a JSON object"
                        : "field '" + prefix.substring(0, prefix.length() - 1) + "' must be a JSON object");
            }
            return new Fields(node, prefix);
        }

        Fields object(String name) {
            return of(required(name), prefix + name + ".");
        }

        String string(String name) {
            JsonNode value = required(name);
            if (!value.isString()) {
                throw bad(name, "must be a string");
            }
            return value.stringValue();
        }

        BigInteger decimal(String name) {
            String text = string(name);
            if (!DECIMAL.matcher(text).matches()) {
                throw bad(name, "must be a whole number in decimal digits, without sign or leading zeros, got '"
                        + text + "'");
            }
            return new BigInteger(text);
        }

        Amount amount(String name) {
            BigInteger value = decimal(name);
            if (value.compareTo(Amount.MAX_UINT256) > 0) {
                throw bad(name, "is above 2^256 - 1");
            }
            return Amount.of(value);
        }

        long nonNegativeLong(String name) {
            BigInteger value = decimal(name);
            if (value.bitLength() > 63) {
                throw bad(name, "is above " + Long.MAX_VALUE);
            }
            return value.longValueExact();
        }

        long positiveLong(String name) {
            long value = nonNegativeLong(name);
            if (value == 0) {
                throw bad(name, "must be 1 or more");
            }
            return value;
        }

        Address address(String name) {
            String text = string(name);
            try {
                return Address.of(text);
            } catch (IllegalArgumentException e) {
                throw bad(name, "must be a 0x address: " + e.getMessage());
            }
        }

        Signature signature(String name) {
            String text = string(name);
            try {
                return Signature.fromHex(text);
            } catch (TurnpikeException e) {
                throw bad(name, "is not a usable signature: " + e.getMessage());
            }
        }

        void refuseOthers() {
            Set<String> others = new TreeSet<>(node.propertyNames());
            others.removeAll(read);
            if (!others.isEmpty()) {
                throw TowerRefusal.malformed("unknown field(s) " + others.stream().map(o -> "'" + prefix + o + "'")
                        .toList() + "; the API documents every field it takes");
            }
        }

        private JsonNode required(String name) {
            read.add(name);
            JsonNode value = node.get(name);
            if (value == null) {
                throw bad(name, "is missing");
            }
            return value;
        }

        private TowerRefusal bad(String name, String problem) {
            return TowerRefusal.malformed("field '" + prefix + name + "' " + problem);
        }
    }
}
