package io.turnpike.node.tower;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.http.JsonObjectReader.BadJson;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The watchtower's HTTP API (docs/tower.md) as values, written and read here by both the tower and the node's
 * {@link TowerClient}, so the two sides cannot drift apart. Ids, nonces, amounts and times are decimal strings (JSON
 * numbers lose precision); reading one that breaks a rule of the message it belongs to is {@link BadJson}.
 */
public final class TowerMessages {

    private TowerMessages() {
    }

    /** {@code GET /v1/info}: the tower's address (the monitor a MonitorRequest names), its chain and contract. */
    public record Info(Address address, long chainId, Address contract) {

        public ObjectNode toJson() {
            return JsonObjectReader.MAPPER.createObjectNode()
                    .put("address", address.toString())
                    .put("chainId", chainId)
                    .put("contract", contract.toString());
        }
    }

    /**
     * {@code POST /v1/proofs}, and each entry of a restore's answer: the partner's proof and the uploader's
     * MonitorRequest terms (the reward and its signature).
     */
    public record Upload(Signed<BalanceProof> proof, Amount reward, Signature requestSignature) {

        public ObjectNode toJson() {
            BalanceProof p = proof.message();
            ObjectNode json = JsonObjectReader.MAPPER.createObjectNode();
            json.putObject("proof")
                    .put("channelId", Long.toString(p.channelId()))
                    .put("nonce", Long.toString(p.nonce()))
                    .put("transferred", p.transferred().value().toString())
                    .put("signature", proof.signature().toHex());
            json.putObject("request")
                    .put("reward", reward.value().toString())
                    .put("signature", requestSignature.toHex());
            return json;
        }

        public static Upload read(JsonObjectReader json) {
            JsonObjectReader proof = json.object("proof");
            BalanceProof message = valid(() -> new BalanceProof(proof.decimalLong("channelId"),
                    proof.decimalLong("nonce"), proof.decimalAmount("transferred")));
            Signature proofSignature = proof.signature("signature");
            JsonObjectReader request = json.object("request");
            return new Upload(new Signed<>(message, proofSignature), request.decimalAmount("reward"),
                    request.signature("signature"));
        }
    }

    /** The answer to an upload: the proof the tower now holds and its signature over the MonitorReceipt. */
    public record Receipt(long channelId, long nonce, Signature signature) {

        public ObjectNode toJson() {
            return JsonObjectReader.MAPPER.createObjectNode()
                    .put("channelId", Long.toString(channelId))
                    .put("nonce", Long.toString(nonce))
                    .put("receipt", signature.toHex());
        }

        public static Receipt read(JsonObjectReader json) {
            return new Receipt(json.decimalLong("channelId"), json.decimalLong("nonce"), json.signature("receipt"));
        }
    }

    /** {@code POST /v1/restore}: the node's signature over a fresh timestamp. */
    public record Restore(Signed<RestoreRequest> request) {

        public ObjectNode toJson() {
            return JsonObjectReader.MAPPER.createObjectNode()
                    .put("node", request.message().node().toString())
                    .put("timestamp", Long.toString(request.message().timestamp()))
                    .put("signature", request.signature().toHex());
        }

        public static Restore read(JsonObjectReader json) {
            Address node = json.address("node");
            RestoreRequest message = valid(() -> new RestoreRequest(node, json.decimalLong("timestamp")));
            return new Restore(new Signed<>(message, json.signature("signature")));
        }
    }

    /** The answer to a restore: every upload the tower holds from the node, exactly as uploaded. */
    public record Restored(List<Upload> proofs) {

        public ObjectNode toJson() {
            ObjectNode json = JsonObjectReader.MAPPER.createObjectNode();
            ArrayNode list = json.putArray("proofs");
            proofs.forEach(upload -> list.add(upload.toJson()));
            return json;
        }

        public static Restored read(JsonObjectReader json) {
            return new Restored(json.objects("proofs").stream().map(Upload::read).toList());
        }
    }

    /** A message whose fields each read well but break its rules together (channel id 0) is malformed too. */
    private static <T> T valid(Supplier<T> message) {
        try {
            return message.get();
        } catch (IllegalArgumentException e) {
            throw new BadJson(ErrorCode.MALFORMED_BODY, e.getMessage());
        }
    }
}
