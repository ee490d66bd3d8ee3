package io.turnpike.chain.watch;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.store.BlockRef;
import io.turnpike.store.CursorStore;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * Reads the events of one contract deployment (TurnpikeChannels', or through a {@link LogListener} any other's) with
 * eth_getLogs over bounded block ranges (no
 * node-side filters to lose), from a cursor kept in the store: the number and hash of the last block
 * read. Each {@link #poll()} first checks that this block is still on the chain; if a re-org replaced
 * it, the watcher walks back to the newest block it read that is still canonical (at most
 * {@code maxRewind} blocks; after a restart, exactly that far), tells the listener, and reads again from
 * there. The cursor moves only after a range's events are delivered: delivery is at least once.
 */
public final class LogWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(LogWatcher.class);

    private final Chain chain;
    private final Address contract;
    private final CursorStore cursors;
    private final String cursorName;
    private final WatchConfig config;
    private final LogListener listener;
    /** Hashes of recently read blocks, to find where a re-org forked without rewinding the whole way. */
    private final NavigableMap<Long, Bytes32> seen = new TreeMap<>();
    private boolean chainUnavailable;

    /** Delivers the TurnpikeChannels events of {@code contract}, decoded. */
    public LogWatcher(Chain chain, Address contract, CursorStore cursors, WatchConfig config,
                      ChannelEventListener listener) {
        this(chain, contract, cursors, config, channelEvents(listener));
    }

    /** Delivers every log of {@code contract} to {@code listener}, which decodes what it takes. */
    public LogWatcher(Chain chain, Address contract, CursorStore cursors, WatchConfig config, LogListener listener) {
        this.chain = chain;
        this.contract = contract;
        this.cursors = cursors;
        this.cursorName = "logs:" + contract.toLowerHex();
        this.config = config;
        this.listener = listener;
    }

    /**
     * Reads everything new up to {@code head − lag} and returns how many events were delivered. An
     * unreachable or misbehaving RPC ends the poll quietly (0 or what was delivered so far).
     */
    public synchronized int poll() {
        int delivered = 0;
        try {
            long target = chain.head() - config.lag();
            long next = resumePoint();
            while (next <= target) {
                long to = Math.min(target, next + config.maxRange() - 1);
                Optional<Integer> read = read(next, to);
                if (read.isEmpty()) {
                    break; // the chain changed while reading; the next poll sorts it out from the cursor
                }
                delivered += read.get();
                next = to + 1;
            }
            if (chainUnavailable) {
                LOG.info("the chain is reachable again; reading {} events again", contract);
                chainUnavailable = false;
            }
        } catch (RpcException | ChainRpcException e) {
            if (!chainUnavailable) {
                LOG.warn("cannot read the chain ({}); events of {} wait for the next poll", e.getMessage(), contract);
                chainUnavailable = true;
            }
        }
        return delivered;
    }

    /** The first block to read: after the cursor, once the cursor is known to be on the chain. */
    private long resumePoint() {
        Optional<BlockRef> cursor = cursors.get(cursorName);
        if (cursor.isEmpty()) {
            return config.startBlock();
        }
        BlockRef last = cursor.get();
        if (chain.blockHash(last.number()).equals(Optional.of(last.hash()))) {
            return last.number() + 1;
        }
        long forkPoint = forkPoint(last);
        Bytes32 forkHash = chain.blockHash(forkPoint).orElseThrow(() -> new ChainRpcException("eth_getBlockByNumber",
                "block " + forkPoint + " vanished while rewinding"));
        LOG.warn("block {} ({}) of {} was re-organised; reading again from block {}", last.number(), last.hash(),
                contract, forkPoint + 1);
        listener.onRewind(forkPoint + 1);
        cursors.put(cursorName, new BlockRef(forkPoint, forkHash));
        seen.tailMap(forkPoint, false).clear();
        seen.put(forkPoint, forkHash);
        return forkPoint + 1;
    }

    /** The newest block read that is still canonical, at most {@code maxRewind} below the lost one. */
    private long forkPoint(BlockRef lost) {
        long floor = Math.max(config.startBlock() - 1, lost.number() - config.maxRewind());
        for (Map.Entry<Long, Bytes32> known : seen.headMap(lost.number(), false).descendingMap().entrySet()) {
            if (known.getKey() < floor) {
                break;
            }
            if (chain.blockHash(known.getKey()).equals(Optional.of(known.getValue()))) {
                return known.getKey();
            }
        }
        if (floor > config.startBlock() - 1) {
            // After a restart nothing is known, so this is the normal case; otherwise the re-org was deeper.
            LOG.warn("rewinding {} the full {} blocks; a re-org deeper than that is not repaired", contract,
                    config.maxRewind());
        }
        return floor;
    }

    /** Reads and delivers {@code from..to}; empty when a re-org of {@code to} was caught mid-read. */
    private Optional<Integer> read(long from, long to) {
        // The hash is taken before the logs: if a re-org lands in between, the cursor holds a hash that is
        // no longer canonical and the next poll rewinds over whatever was read.
        Optional<Bytes32> toHash = chain.blockHash(to);
        if (toHash.isEmpty()) {
            return Optional.empty();
        }
        List<Log> logs = chain.logs(contract, from, to);
        if (logs.stream().anyMatch(log -> log.getBlockNumber().longValueExact() == to
                && !Bytes32.fromHex(log.getBlockHash()).equals(toHash.get()))) {
            return Optional.empty();
        }
        int delivered = 0;
        for (Log log : logs) {
            if (listener.onLog(log)) {
                seen.put(log.getBlockNumber().longValueExact(), Bytes32.fromHex(log.getBlockHash()));
                delivered++;
            }
        }
        cursors.put(cursorName, new BlockRef(to, toHash.get()));
        seen.put(to, toHash.get());
        seen.headMap(to - config.maxRewind()).clear();
        return Optional.of(delivered);
    }

    /** TurnpikeChannels' events decoded for {@code listener}; logs that are none of them are passed over. */
    private static LogListener channelEvents(ChannelEventListener listener) {
        return new LogListener() {
            @Override
            public boolean onLog(Log log) {
                Optional<ChannelEvent> event = ChannelsContract.decode(log);
                event.ifPresent(decoded -> listener.onEvent(new ObservedEvent(decoded,
                        log.getBlockNumber().longValueExact(), Bytes32.fromHex(log.getBlockHash()),
                        log.getLogIndex().longValueExact(), Bytes32.fromHex(log.getTransactionHash()))));
                return event.isPresent();
            }

            @Override
            public void onRewind(long fromBlock) {
                listener.onRewind(fromBlock);
            }
        };
    }
}
