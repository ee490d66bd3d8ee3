package io.turnpike.tower;

import io.turnpike.core.Address;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.store.TowerUpload;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/**
 * The {@code updateNonClosingProof} call a tower sends for a stored upload. Encoded here rather than through
 * {@code ChannelsContract}, whose methods send and wait for confirmation: the tower simulates the call, then
 * hands it to the transaction manager and returns, keeping the transaction's hash in its own state.
 */
final class UpdateCall {

    private UpdateCall() {
    }

    /** The label the transaction manager records it under; one update at a time per channel, so it finds it again. */
    static String purpose(long channelId) {
        return "tower.update channel " + channelId;
    }

    static String encode(TowerUpload upload, Address tower) {
        BalanceProof proof = upload.proof().message();
        Signed<MonitorRequest> request = upload.request(tower);
        return FunctionEncoder.encode(new Function("updateNonClosingProof", List.of(
                uint(proof.channelId()), uint(proof.nonce()), new Uint256(proof.transferred().value()),
                new DynamicBytes(upload.proof().signature().bytes()),
                new Uint256(request.message().reward().value()),
                new DynamicBytes(request.signature().bytes())), List.of()));
    }

    private static Uint256 uint(long value) {
        return new Uint256(BigInteger.valueOf(value));
    }
}
