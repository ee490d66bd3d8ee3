package io.turnpike.node.channel;

import io.turnpike.core.crypto.Bytes32;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.web3j.crypto.Hash;

/** What a transaction to the channels contract does, read back from its call data, for an operator to follow it. */
public record ChannelCall(String purpose, Optional<Long> channelId) {

    /** By selector: the purpose, and whether the first argument is the channel id. */
    private static final Map<String, ChannelCall> CALLS = Map.of(
            selector("open(address,address,uint256)"), new ChannelCall("open", Optional.empty()),
            selector("openWithDeposit(address,address,uint256,uint256)"), new ChannelCall("open", Optional.empty()),
            selector("setTotalDeposit(uint256,address,uint256)"), new ChannelCall("deposit", Optional.of(0L)),
            selector("setTotalWithdraw(uint256,address,uint256,uint256,bytes,bytes)"),
            new ChannelCall("withdraw", Optional.of(0L)),
            selector("cooperativeSettle(uint256,uint256,uint256,bytes,bytes)"),
            new ChannelCall("cooperative settle", Optional.of(0L)),
            selector("close(uint256,uint256,uint256,bytes)"), new ChannelCall("close", Optional.of(0L)),
            selector("updateNonClosingProof(uint256,uint256,uint256,bytes,uint256,bytes)"),
            new ChannelCall("proof update", Optional.of(0L)),
            selector("settle(uint256)"), new ChannelCall("settle", Optional.of(0L)));

    /** The call {@code data} makes, if it is one of the contract's channel operations. */
    public static Optional<ChannelCall> of(byte[] data) {
        if (data.length < 4) {
            return Optional.empty();
        }
        ChannelCall known = CALLS.get(HexFormat.of().formatHex(data, 0, 4));
        if (known == null || known.channelId().isEmpty()) {
            return Optional.ofNullable(known);
        }
        if (data.length < 4 + Bytes32.LENGTH) {
            return Optional.empty();
        }
        BigInteger id = new BigInteger(1, Arrays.copyOfRange(data, 4, 4 + Bytes32.LENGTH));
        return id.bitLength() < Long.SIZE ? Optional.of(new ChannelCall(known.purpose(), Optional.of(id.longValue())))
                : Optional.empty();
    }

    private static String selector(String signature) {
        return HexFormat.of().formatHex(Hash.sha3(signature.getBytes(StandardCharsets.US_ASCII)), 0, 4);
    }
}
