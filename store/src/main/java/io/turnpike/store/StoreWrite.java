package io.turnpike.store;

/**
 * A write one store hands out for another to carry in its own unit of the committer: it is committed in the same
 * transaction as that store's write, or not at all ({@link ChannelStore#put(io.turnpike.core.channel.Channel,
 * java.util.List)}).
 * A caller whose payment changes several stores at once — a proof, the ledger, the day's spending — pays one commit
 * instead of one each, and no crash can leave one written without the others. Only the stores make them.
 */
public final class StoreWrite {

    final Sql.Work<?> work;

    StoreWrite(Sql.Work<?> work) {
        this.work = work;
    }
}
