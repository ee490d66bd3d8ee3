package io.turnpike.chain.watch;

/**
 * How a {@link LogWatcher} reads.
 *
 * @param startBlock where reading starts when there is no cursor yet: the block the contract was deployed in
 * @param lag blocks left unread below the head; 0 reads to the head and relies on rewinds after a re-org
 * @param maxRange the most blocks one eth_getLogs asks for (providers refuse wide ranges)
 * @param maxRewind how far back a re-org is looked for; a deeper one is reported, not repaired
 */
public record WatchConfig(long startBlock, int lag, int maxRange, int maxRewind) {

    public WatchConfig {
        if (startBlock < 1) {
            throw new IllegalArgumentException("the start block is at least 1 (no contract is deployed in genesis), got "
                    + startBlock);
        }
        if (lag < 0 || maxRange < 1 || maxRewind < 1) {
            throw new IllegalArgumentException("lag >= 0, maxRange >= 1 and maxRewind >= 1 are needed");
        }
    }

    public static WatchConfig from(long startBlock) {
        return new WatchConfig(startBlock, 0, 1_000, 128);
    }

    public WatchConfig withLag(int blocks) {
        return new WatchConfig(startBlock, blocks, maxRange, maxRewind);
    }

    public WatchConfig withMaxRange(int blocks) {
        return new WatchConfig(startBlock, lag, blocks, maxRewind);
    }

    public WatchConfig withMaxRewind(int blocks) {
        return new WatchConfig(startBlock, lag, maxRange, blocks);
    }
}
