package io.turnpike.tower;

import io.turnpike.core.TurnpikeException;
import io.turnpike.core.ErrorCode;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.chain.watch.LogWatcher;
import io.turnpike.chain.watch.WatchConfig;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.FatalErrors;
import io.turnpike.node.tower.TowerMessages;
import io.turnpike.store.BlockRef;
import io.turnpike.store.CursorStore;
import io.turnpike.store.Store;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;

/**
 * A running watchtower: the HTTP API taking uploads, and {@link #tick()}, one round of reading the contract's
 * events, moving its transactions on and acting on what is due. A scheduler calls {@code tick} in production;
 * tests call it directly, with an injected clock. The chain and the store belong to the caller, which closes
 * them after the tower.
 */
public final class Watchtower implements AutoCloseable {

    /** Where reading starts for a tower without a cursor yet: the head when it first ran, kept in the store. */
    private static final String FIRST_BLOCK = "tower.first-block";

    private final Address address;
    private final Chain chain;
    private final int maxRewind;
    private final TransactionManager transactions;
    private final LogWatcher watcher;
    private final CloseResponder responder;
    private final TowerApi api;

    private Watchtower(Address address, Chain chain, int maxRewind, TransactionManager transactions,
                       LogWatcher watcher, CloseResponder responder, TowerApi api) {
        this.address = address;
        this.chain = chain;
        this.maxRewind = maxRewind;
        this.transactions = transactions;
        this.watcher = watcher;
        this.responder = responder;
        this.api = api;
    }

    /**
     * Starts a tower with {@code key} for the TurnpikeChannels deployment at {@code contract}, resuming whatever
     * {@code store} holds (plans, the transaction journal, the event cursor).
     *
     * @throws TurnpikeException {@link ErrorCode#NOT_TURNPIKE_CHANNELS} if {@code contract} is not a TurnpikeChannels on this
     *     chain; {@code tower.bind_failed} if the API cannot listen
     */
    public static Watchtower start(TowerConfig config, Chain chain, Address contract, PrivateKey key, Store store) {
        ChannelsContract channels = requireTurnpikeChannels(chain, contract);
        Eip712Domain domain = channels.domain();
        TransactionManager transactions = TransactionManager.open(chain, key, store.transactions(), config.tx());
        ChannelDirectory directory = new ChannelDirectory(channels, config.cachedChannels(), config.clock(),
                chain.rpc()::highestBlock);
        CloseResponder responder = new CloseResponder(channels, transactions, store.transactions(), store.towers(),
                directory, new SubmissionWindow(config.windowStartPercent(), config.staggerPercent(), key.address()),
                config.clock());
        WatchConfig watch = WatchConfig.from(firstBlock(chain, store.cursors()));
        LogWatcher watcher = new LogWatcher(chain, contract, store.cursors(), watch, responder);
        ProofIntake intake = new ProofIntake(domain, key, channels, directory, store.towers(), responder,
                config.clock());
        TowerApi api = TowerApi.start(config.bind(), config.port(), config.httpLimits(), FatalErrors::exitProcess,
                intake, new TowerMessages.Info(key.address(), domain.chainId(), contract));
        return new Watchtower(key.address(), chain, watch.maxRewind(), transactions, watcher, responder, api);
    }

    /** The tower's own address: the monitor a MonitorRequest must name, and where rewards are paid. */
    public Address address() {
        return address;
    }

    /** The API's base URL, with the port the system chose if the configured one was 0. */
    public URI url() {
        InetSocketAddress bound = api.address();
        return URI.create("http://" + bound.getAddress().getHostAddress() + ":" + bound.getPort());
    }

    /**
     * One round: new contract events (closes are planned, settlements recorded, a re-org's settlements undone), the
     * transaction manager's round (confirmations, fee replacements), then the plans that are due, and the proofs of
     * channels settled deeper than the watcher looks back for re-orgs are dropped. Never throws for an unreachable
     * chain; the next round resumes from the store.
     */
    public synchronized void tick() {
        watcher.poll();
        transactions.tick();
        responder.tick();
        long seen = chain.rpc().highestBlock();
        if (seen > maxRewind) {
            responder.purgeSettledBefore(seen - maxRewind);
        }
    }

    /** Stops the API; plans and transactions stay in the store for the next start. */
    @Override
    public void close() {
        api.close();
    }

    /**
     * Every signature the tower checks is bound to the contract's domain, so a wrong address would make it refuse
     * every upload, or accept proofs the contract rejects: refuse to start instead. Checked before a store is
     * opened too, so a mistyped address does not leave a database bound to it.
     *
     * @throws TurnpikeException {@link ErrorCode#NOT_TURNPIKE_CHANNELS}
     */
    static ChannelsContract requireTurnpikeChannels(Chain chain, Address contract) {
        ChannelsContract channels = ChannelsContract.at(chain, contract);
        byte[] separator;
        try {
            separator = channels.domainSeparator();
        } catch (ContractRevertException | IndexOutOfBoundsException notOurs) {
            separator = new byte[0]; // an account without code answers nothing at all
        }
        if (!Arrays.equals(separator, channels.domain().separator())) {
            throw new TurnpikeException(ErrorCode.NOT_TURNPIKE_CHANNELS, contract + " is not a TurnpikeChannels deployment on "
                    + "chain " + chain.chainId() + "; pass the contract address your nodes use");
        }
        return channels;
    }

    private static long firstBlock(Chain chain, CursorStore cursors) {
        return cursors.get(FIRST_BLOCK).orElseGet(() -> {
            long head = Math.max(1, chain.head());
            BlockRef first = new BlockRef(head, chain.blockHash(head).orElse(Bytes32.of(new byte[Bytes32.LENGTH])));
            cursors.put(FIRST_BLOCK, first);
            return first;
        }).number();
    }
}
