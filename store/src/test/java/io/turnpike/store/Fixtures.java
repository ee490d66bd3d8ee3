package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.Keccak256;
import io.turnpike.core.crypto.PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Test values and helpers shared by every store test. */
final class Fixtures {

    static final Amount MAX = new Amount(Amount.MAX_UINT256);
    static final long CHAIN_ID = 31337;
    static final Address NODE = Address.of("0x1111111111111111111111111111111111111111");
    static final Address PARTNER = Address.of("0x2222222222222222222222222222222222222222");
    static final Address OTHER_PARTNER = Address.of("0x3333333333333333333333333333333333333333");
    static final Address CONTRACT = Address.of("0x4444444444444444444444444444444444444444");
    static final Address TOKEN = Address.of("0x5555555555555555555555555555555555555555");
    static final NodeIdentity IDENTITY = new NodeIdentity(NODE, CHAIN_ID, CONTRACT);

    private Fixtures() {}

    static ChannelRef ref(long channelId) {
        return new ChannelRef(CHAIN_ID, CONTRACT, channelId);
    }

    /** An open channel holding {@code received} as the partner's newest proof. */
    static Channel openChannelHolding(long channelId, Address partner, Signed<BalanceProof> received) {
        Channel opened = openChannel(channelId, partner);
        return new Channel(opened.domain(), channelId, opened.self(), partner, opened.token(), opened.role(),
                opened.status(), opened.challengePeriodSeconds(), opened.own(), opened.partnerSide(), opened.settleAt(),
                opened.sent(), java.util.Optional.of(received), opened.onChain());
    }

    /** Signs balance proofs as the partner would, for the test chain and contract. */
    static final PrivateKey PARTNER_KEY = PrivateKey.fromHex("0x" + "42".repeat(32));
    static final Eip712Domain DOMAIN = Eip712Domain.turnpike(CHAIN_ID, CONTRACT);

    static Channel openChannel(long channelId, Address partner) {
        return Channel.opened(DOMAIN, channelId, NODE, partner, Address.ZERO, Role.A, 3600, ChannelSide.EMPTY,
                ChannelSide.EMPTY);
    }

    static Signed<BalanceProof> proof(long channelId, long nonce, Amount transferred) {
        return Signed.sign(new BalanceProof(channelId, nonce, transferred), DOMAIN, PARTNER_KEY);
    }

    /** A proof for channel 1 whose amount follows from its nonce, so a mixed-up proof is detectable. */
    static Signed<BalanceProof> proof(long nonce) {
        return proof(1, nonce, Amount.of(nonce * 1_000_000_007L));
    }

    static Bytes32 hash(String seed) {
        return Bytes32.of(Keccak256.hash(seed.getBytes(StandardCharsets.UTF_8)));
    }

    static OutgoingTx tx(long nonce, String seed) {
        byte[] raw = ("signed " + seed).getBytes(StandardCharsets.UTF_8);
        return new OutgoingTx(NODE, nonce, CONTRACT, Amount.of(nonce), new byte[] {1, 2, 3}, raw, hash(seed),
                Amount.of(30_000_000_000L), Amount.of(1_000_000_000L), "channel.deposit");
    }

    /**
     * Runs {@code task(0..threads-1)} on that many threads released together, and returns their
     * results in order; the first failure is rethrown.
     */
    static <T> List<T> concurrently(int threads, IntFunction<Callable<T>> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<T> work = task.apply(i);
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception cause) {
                        throw cause;
                    }
                    throw e;
                }
            }
            return results;
        }
    }
}
