package io.turnpike.bench.soak;

import io.turnpike.bench.soak.SoakWorld.Buyer;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.SentTransfer;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.turnpike.store.StoredTx;
import io.turnpike.store.TxStatus;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * What the soak checks once everything is settled and every node stopped, from each node's database, the wire and
 * the chain:
 * <ul>
 *   <li>every wei accounted: each party's balance after = before − the gas of its own transactions ± what its books
 *       say it paid or earned (newest proofs signed and held, direct transfers, tower rewards); {@code lostWei} sums
 *       the differences, whichever way;
 *   <li>no nonce signed twice: every proof seen — on the wire, in either party's store, on chain — for one channel,
 *       signer and nonce pays one amount;
 *   <li>no transaction sent twice, and the transaction journals match the chain: a node's every mined transaction is
 *       in its journal, every transaction its journal counts as confirmed is on chain, and no two mined transactions
 *       of one sender make the same contract call;
 *   <li>every channel settled, on the terms both parties' books hold (so every cheating close was answered).
 * </ul>
 */
final class SoakAudit {

    /** @param notes what is worth knowing and no fault: transactions that reverted */
    record Result(long payments, BigInteger lostWei, List<String> doubleSigned, List<String> mismatches,
                  List<String> notes) {
    }

    /** One transaction a party sent, as mined. */
    private record Sent(long nonce, Bytes32 hash, String to, String input, BigInteger value,
                        boolean succeeded) {
    }

    /** A journal may lag behind the chain (a node stopped before it saw a confirmation), never contradict it. */
    private static final Set<TxStatus> GONE = EnumSet.of(TxStatus.DROPPED, TxStatus.REPLACED, TxStatus.FAILED);

    private final SoakWorld world;
    private final List<Long> staleCloses;
    private final Chain chain;
    private final List<String> mismatches = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<Address, BigInteger> gas = new HashMap<>();
    private final Map<Address, List<Sent>> sent = new HashMap<>();
    /** (channel, signer, nonce) → every amount seen signed with it. */
    private final Map<String, Set<Amount>> proofs = new TreeMap<>();

    /** @param staleCloses the channels closed with a stale proof while the provider was down */
    SoakAudit(SoakWorld world, List<Long> staleCloses) {
        this.world = world;
        this.staleCloses = staleCloses;
        this.chain = world.chain;
    }

    Result run() {
        Set<Address> parties = new HashSet<>(List.of(world.providerAddress, world.towerKey.address()));
        world.buyers.forEach(b -> parties.add(b.address));
        readTransactions(parties);
        Map<Long, ChannelEvent.ChannelSettled> settled = new HashMap<>();
        for (ChannelEvent event : events()) {
            switch (event) {
                case ChannelEvent.ChannelSettled s -> settled.put(s.channelId(), s);
                case ChannelEvent.ChannelClosed c when c.nonce() > 0 -> seen(c.channelId(), partnerOf(c.channelId(),
                        c.closer()), c.nonce(), c.transferred());
                case ChannelEvent.NonClosingProofUpdated u -> seen(u.channelId(), u.closer(), u.nonce(), u.transferred());
                default -> {
                }
            }
        }

        Map<Long, Channel> atProvider = new HashMap<>();
        Amount providerDirect;
        try (Store store = open(world.providerHome.directory(), world.providerAddress)) {
            store.channels().list().forEach(c -> atProvider.put(c.channelId(), c));
            checkJournal(store, world.providerAddress, "provider");
            providerDirect = world.buyers.stream().filter(b -> b.direct)
                    .map(b -> store.transfers().receivedTotal(b.address, Asset.ETH.token()))
                    .reduce(Amount.ZERO, Amount::plus);
        }
        atProvider.values().forEach(this::seen);

        BigInteger lost = BigInteger.ZERO;
        BigInteger providerExpected = BigInteger.ZERO;
        BigInteger towerRewards = BigInteger.ZERO;
        long payments = 0;
        for (int i = 0; i < world.buyers.size(); i++) {
            Buyer buyer = world.buyers.get(i);
            BigInteger buyerExpected = BigInteger.ZERO;
            for (Pay pay : buyer.link.seen(true, Pay.class)) {
                BalanceProof proof = pay.proof().message();
                seen(proof.channelId(), buyer.address, proof.nonce(), proof.transferred());
            }
            try (Store store = open(buyer.home.directory(), buyer.address)) {
                checkJournal(store, buyer.address, buyer.name);
                for (Channel own : store.channels().list()) {
                    seen(own);
                    long id = own.channelId();
                    Channel theirs = atProvider.get(id);
                    Amount signed = own.sentTotal();
                    Amount held = theirs == null ? Amount.ZERO : theirs.receivedTotal();
                    payments += own.sentNonce();
                    // The client's books: once closed, what the chain settles with (a proof still in flight at its
                    // own close never counted: the provider never got it, and the debt stays unpaid on its ledger).
                    buyerExpected = buyerExpected.subtract(own.paid().value());
                    providerExpected = providerExpected.add(held.value());
                    if (signed.isGreaterThan(held) && own.paid().equals(held)) {
                        notes.add("channel #" + id + ": " + buyer.name + "'s proof of " + signed + " wei was in flight "
                                + "when it closed; the provider holds " + held + " wei, and the chain paid that");
                    } else if (!signed.equals(held)) {
                        mismatch("channel #" + id + ": " + buyer.name + " signed over " + signed + " wei, the provider "
                                + "holds a proof of " + held + " wei");
                    }
                    ChannelEvent.ChannelSettled end = settled.get(id);
                    if (end == null) {
                        mismatch("channel #" + id + " of " + buyer.name + " is not settled");
                        continue;
                    }
                    BigInteger reward = end.monitorReward().value();
                    if (reward.signum() > 0) {
                        // The provider offers at most its configured reward, and never more than the proof pays it.
                        if (!end.monitor().equals(world.towerKey.address()) || end.monitorReward().isGreaterThan(
                                SoakWorld.REWARD.min(held))) {
                            mismatch("channel #" + id + ": a reward of " + reward + " wei went to " + end.monitor());
                        }
                        towerRewards = towerRewards.add(reward);
                        providerExpected = providerExpected.subtract(reward);
                    }
                    // The provider deposits nothing: its payout is what the client's newest proof pays, less the reward.
                    BigInteger providerPaid = end.payoutB().value().add(reward);
                    if (!providerPaid.equals(held.value())) {
                        mismatch("channel #" + id + " settled paying the provider " + providerPaid + " wei; its newest "
                                + "proof pays " + held + " wei" + (staleCloses.contains(id)
                                ? " (a stale close left unanswered)" : ""));
                    }
                }
                if (buyer.direct) {
                    Amount paidDirect = store.transfers().sentAcknowledged(world.providerAddress, Asset.ETH.token());
                    for (SentTransfer t : store.transfers().listSentUnfinished()) {
                        if (t.state() == SentTransfer.State.CONFIRMED) {
                            paidDirect = paidDirect.plus(t.amount());
                        }
                    }
                    buyerExpected = buyerExpected.subtract(paidDirect.value());
                    payments += sent.getOrDefault(buyer.address, List.of()).stream()
                            .filter(s -> s.succeeded() && s.value().signum() > 0).count();
                    if (!paidDirect.equals(providerDirect)) {
                        mismatch(buyer.name + " paid " + paidDirect + " wei directly; the provider credited "
                                + providerDirect + " wei");
                    }
                }
            }
            lost = lost.add(accounted(buyer.name, buyer.address, world.balancesBefore.get(2 + i), buyerExpected));
        }
        providerExpected = providerExpected.add(providerDirect.value());
        lost = lost.add(accounted("provider", world.providerAddress, world.balancesBefore.get(0), providerExpected));
        lost = lost.add(accounted("tower", world.towerKey.address(), world.balancesBefore.get(1), towerRewards));
        checkDuplicates(world.towerKey.address(), "tower");

        List<String> doubleSigned = new ArrayList<>();
        proofs.forEach((key, amounts) -> {
            if (amounts.size() > 1) {
                doubleSigned.add(key + " signed for " + amounts);
            }
        });
        sent.getOrDefault(world.towerKey.address(), List.of()).stream().filter(tx -> !tx.succeeded())
                .forEach(tx -> notes.add("tower's transaction nonce " + tx.nonce() + " reverted"));
        return new Result(payments, lost, List.copyOf(doubleSigned), List.copyOf(mismatches), List.copyOf(notes));
    }

    /** |after − (before − gas + expected change)|, reported when not zero. */
    private BigInteger accounted(String name, Address who, Amount before, BigInteger change) {
        BigInteger expected = before.value().subtract(gas.getOrDefault(who, BigInteger.ZERO)).add(change);
        BigInteger after = chain.balance(who).value();
        BigInteger off = after.subtract(expected).abs();
        if (off.signum() != 0) {
            long highestMined = sent.getOrDefault(who, List.of()).stream().mapToLong(Sent::nonce).max().orElse(-1);
            mismatches.add(name + ": balance " + after + " wei, its books say " + expected + " wei (off by "
                    + after.subtract(expected) + "; the chain expects its nonce " + chain.nonce(who)
                    + " next, the newest of its transactions in the blocks read has nonce " + highestMined + ")");
        }
        return off;
    }

    /** Every party's mined transactions since the soak began, with what each cost in gas. */
    private void readTransactions(Set<Address> parties) {
        long newest = world.newestBlock();
        for (long n = world.startBlock + 1; n <= newest; n++) {
            EthBlock.Block block = chain.blockWithTransactions(n);
            if (block == null) {
                mismatches.add("block " + n + " is missing from the chain, whose newest block is " + newest
                        + ": the gas of its transactions is not counted");
                continue;
            }
            for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
                Transaction tx = (Transaction) result.get();
                Address from = Address.of(tx.getFrom());
                if (!parties.contains(from)) {
                    continue;
                }
                Bytes32 hash = Bytes32.fromHex(tx.getHash());
                TransactionReceipt receipt = chain.receipt(hash).orElseThrow();
                gas.merge(from, receipt.getGasUsed().multiply(
                        new BigInteger(receipt.getEffectiveGasPrice().substring(2), 16)), BigInteger::add);
                sent.computeIfAbsent(from, a -> new ArrayList<>()).add(new Sent(tx.getNonce().longValueExact(),
                        hash, String.valueOf(tx.getTo()), tx.getInput(), tx.getValue(), receipt.isStatusOK()));
            }
        }
    }

    /** The node's journal and the chain agree, and it made no contract call twice. */
    private void checkJournal(Store store, Address node, String name) {
        List<Sent> mined = sent.getOrDefault(node, List.of());
        // A nonce the chain counts as used must be in a block: else the chain kept a transaction's effect and lost
        // the block that held it, and no book can account for what that transaction moved.
        Set<Long> inBlocks = new HashSet<>();
        mined.forEach(tx -> inBlocks.add(tx.nonce()));
        long next = chain.nonce(node);
        for (long nonce = world.noncesBefore.get(node); nonce < next; nonce++) {
            if (!inBlocks.contains(nonce)) {
                long missing = nonce;
                String journaled = store.transactions().listNonFinal().stream()
                        .filter(tx -> tx.tx().nonce() == missing).findFirst()
                        .or(() -> store.transactions().listConfirmedSince(node, 0).stream()
                                .filter(tx -> tx.tx().nonce() == missing).findFirst())
                        .map(tx -> "its journal: " + tx.tx().purpose() + ", " + tx.status())
                        .orElse("neither open nor confirmed in its journal: dropped, or never recorded");
                mismatch("the chain counts " + name + "'s nonce " + nonce + " as used, but no block since the start "
                        + "holds a transaction of it with that nonce (" + journaled + ")");
            }
        }
        Set<Bytes32> minedHashes = new HashSet<>();
        for (Sent tx : mined) {
            minedHashes.add(tx.hash());
            Optional<StoredTx> journaled = store.transactions().findByHash(tx.hash());
            if (journaled.isEmpty()) {
                mismatch(name + " mined transaction nonce " + tx.nonce() + " (" + tx.hash() + ") is not in its journal");
            } else if (!tx.succeeded()) {
                // Reverted: it cost gas and changed nothing, as FAILED says; a race lost, or a call made in vain.
                notes.add(name + "'s " + journaled.get().tx().purpose() + " (nonce " + tx.nonce() + ") reverted; "
                        + "its journal says " + journaled.get().status());
                if (journaled.get().status() == TxStatus.DROPPED || journaled.get().status() == TxStatus.REPLACED) {
                    mismatch(name + "'s journal has reverted transaction nonce " + tx.nonce() + " as "
                            + journaled.get().status());
                }
            } else if (GONE.contains(journaled.get().status())) {
                mismatch(name + "'s journal has mined transaction nonce " + tx.nonce() + " ("
                        + journaled.get().tx().purpose() + ") as " + journaled.get().status());
            }
        }
        for (StoredTx confirmed : store.transactions().listConfirmedSince(node, 0)) {
            if (!minedHashes.contains(confirmed.tx().hash())) {
                mismatch(name + "'s journal counts " + confirmed.tx().purpose() + " nonce " + confirmed.tx().nonce()
                        + " as confirmed; the chain does not have it");
            }
        }
        checkDuplicates(node, name);
    }

    /**
     * A call made again after it had succeeded, where the repeat could only fail: the same contract call, a later one
     * reverted (the same proof put on chain twice, a settle repeated). Identical calls that both succeed are distinct
     * actions (a new channel opened with the same deposit after the last one settled); a call that reverted and was
     * then sent again and succeeded is a retry (it reverted on a chain that a re-org or a restart then changed).
     */
    private void checkDuplicates(Address sender, String name) {
        Map<String, List<Sent>> calls = new HashMap<>();
        for (Sent tx : sent.getOrDefault(sender, List.of())) {
            if (tx.input() != null && tx.input().length() > 2) {
                calls.computeIfAbsent(tx.to() + tx.input(), k -> new ArrayList<>()).add(tx);
            }
        }
        for (List<Sent> same : calls.values()) {
            long firstSuccess = same.stream().filter(Sent::succeeded).mapToLong(Sent::nonce).min()
                    .orElse(Long.MAX_VALUE);
            if (same.stream().anyMatch(tx -> !tx.succeeded() && tx.nonce() > firstSuccess)) {
                mismatch(name + " sent one contract call " + same.size() + " times: nonces "
                        + same.stream().map(tx -> Long.toString(tx.nonce())).toList());
            }
        }
    }

    private void seen(Channel channel) {
        channel.sent().ifPresent(p -> seen(channel.channelId(), channel.self(), p));
        channel.received().ifPresent(p -> seen(channel.channelId(), channel.partner(), p));
    }

    private void seen(long channelId, Address signer, Signed<BalanceProof> proof) {
        seen(channelId, signer, proof.message().nonce(), proof.message().transferred());
    }

    private void seen(long channelId, Address signer, long nonce, Amount transferred) {
        proofs.computeIfAbsent("channel #" + channelId + " signer " + signer + " nonce " + nonce,
                k -> new HashSet<>()).add(transferred);
    }

    private Address partnerOf(long channelId, Address participant) {
        ChannelsContract.ChannelInfo info = world.contract.channel(channelId);
        return info.participantA().equals(participant) ? info.participantB() : info.participantA();
    }

    private List<ChannelEvent> events() {
        return chain.logs(world.contract.address(), world.startBlock, world.newestBlock()).stream()
                .map(ChannelsContract::decode).flatMap(Optional::stream).toList();
    }

    private Store open(Path directory, Address node) {
        return Store.open(StoreConfig.sqlite(directory),
                new NodeIdentity(node, SoakWorld.CHAIN_ID, world.contract.address()));
    }

    private void mismatch(String text) {
        mismatches.add(text);
    }
}
