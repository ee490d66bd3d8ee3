package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed transaction as the node sends it. {@code raw} is the signed encoding, kept so the transaction
 * can be broadcast again; {@link #toString()} leaves it and {@code data} out so they never reach a log.
 *
 * @param purpose a short label for operators ("channel.deposit")
 */
public record OutgoingTx(
        Address sender,
        long nonce,
        Address to,
        Amount value,
        byte[] data,
        byte[] raw,
        Bytes32 hash,
        Amount maxFeePerGas,
        Amount maxPriorityFeePerGas,
        String purpose) {

    static final int MAX_PURPOSE_LENGTH = 64;

    public OutgoingTx {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(purpose, "purpose");
        if (nonce < 0) {
            throw new IllegalArgumentException("a nonce is not negative, got " + nonce);
        }
        if (raw.length == 0) {
            throw new IllegalArgumentException("a transaction needs its signed encoding");
        }
        if (purpose.isBlank() || purpose.length() > MAX_PURPOSE_LENGTH) {
            throw new IllegalArgumentException("a purpose is 1.." + MAX_PURPOSE_LENGTH + " characters");
        }
        data = data.clone();
        raw = raw.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutgoingTx other
                && sender.equals(other.sender)
                && nonce == other.nonce
                && to.equals(other.to)
                && value.equals(other.value)
                && Arrays.equals(data, other.data)
                && Arrays.equals(raw, other.raw)
                && hash.equals(other.hash)
                && maxFeePerGas.equals(other.maxFeePerGas)
                && maxPriorityFeePerGas.equals(other.maxPriorityFeePerGas)
                && purpose.equals(other.purpose);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "OutgoingTx[" + purpose + " " + hash + " from " + sender + " nonce " + nonce + " to " + to
                + ", value=" + value + ", maxFeePerGas=" + maxFeePerGas
                + ", maxPriorityFeePerGas=" + maxPriorityFeePerGas + ", data=" + data.length + " bytes]";
    }
}
