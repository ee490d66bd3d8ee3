package io.turnpike.store;

import io.turnpike.core.crypto.Bytes32;
import java.util.Objects;

/** A block by number and hash: the hash tells a re-organised block from the one that was seen. */
public record BlockRef(long number, Bytes32 hash) {

    public BlockRef {
        if (number < 0) {
            throw new IllegalArgumentException("a block number is not negative, got " + number);
        }
        Objects.requireNonNull(hash, "hash");
    }
}
