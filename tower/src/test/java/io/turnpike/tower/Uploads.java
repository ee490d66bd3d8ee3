package io.turnpike.tower;

import io.turnpike.chain.ChannelFixture;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.crypto.PrivateKey;
import java.util.HexFormat;

/** What a node sends a tower, signed as a node would sign it. */
final class Uploads {

    private Uploads() {
    }

    /**
     * The body of {@code POST /v1/proofs}: {@code partner}'s proof ({@code nonce}, {@code transferred}) and
     * {@code uploader}'s MonitorRequest offering {@code reward} to {@code tower}.
     */
    static String upload(ChannelFixture f, PrivateKey partner, PrivateKey uploader, long channelId, long nonce,
                         Amount transferred, Amount reward, Address tower) {
        return body(channelId, nonce, transferred, f.proof(partner, channelId, nonce, transferred), reward,
                f.monitorSignature(uploader, channelId, nonce, transferred, reward, tower));
    }

    /** An upload body with the given signatures, however they were made. */
    static String body(long channelId, long nonce, Amount transferred, byte[] proofSignature, Amount reward,
                       byte[] requestSignature) {
        return """
                {"proof":{"channelId":"%d","nonce":"%d","transferred":"%s","signature":"%s"},\
                "request":{"reward":"%s","signature":"%s"}}"""
                .formatted(channelId, nonce, transferred.value(), hex(proofSignature), reward.value(),
                        hex(requestSignature));
    }

    /** The body of {@code POST /v1/restore} for {@code node}, signed by {@code signer}. */
    static String restore(ChannelFixture f, Address node, long timestamp, PrivateKey signer) {
        byte[] signature = f.sign(new RestoreRequest(node, timestamp), signer);
        return """
                {"node":"%s","timestamp":"%d","signature":"%s"}""".formatted(node, timestamp, hex(signature));
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
