package io.turnpike.store;

/** A block by number and hash: the hash tells a re-organised block from the one that was seen. */
public record BlockRef(long number, String hash) {

    public BlockRef {
        if (number < 0) {
            throw new IllegalArgumentException("a block number is not negative, got " + number);
        }
        hash = Hashes.require(hash, "a block hash");
    }
}
