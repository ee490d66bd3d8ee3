package io.turnpike.tower.bench;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.Eip1559Transaction;
import io.turnpike.chain.Fees;
import io.turnpike.chain.SignedTransaction;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.Keccak256;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.turnpike.tower.TowerConfig;
import io.turnpike.tower.Watchtower;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * Watchtower figures at scale (docs/benchmarks.md, "Watchtower"): on a local anvil, one node opens a channel
 * with each of {@code channels} partners; the node uploads each partner's proof to a tower on SQLite over
 * HTTP, twice per channel, from {@code clients} concurrent connections. The first upload of a channel reads
 * the channel from the chain (two eth_calls); the second finds it in the tower's cache. Bodies are signed
 * before the clock starts, so the rates are the tower's: parsing, two signature recoveries, the on-chain
 * checks, the durable write and the signed receipt. Then the heap the tower holds and the database size,
 * per channel.
 *
 * <p>{@code java -cp … io.turnpike.tower.bench.TowerBench [channels=100000] [clients=32]}
 */
public final class TowerBench {

    private static final long CHAIN_ID = 31337;
    private static final long PERIOD = 3600;
    private static final int OPENS_PER_BLOCK = 2_000;
    private static final Amount DEPOSIT = Amount.of(1_000_000_000L);
    private static final Amount REWARD = Amount.of(100_000_000L);

    private TowerBench() {
    }

    public static void main(String[] args) throws Exception {
        int channels = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        try (Anvil anvil = Anvil.start(CHAIN_ID); Chain chain = anvil.connect()) {
            PrivateKey node = anvil.devKeys().get(1);
            PrivateKey towerKey = anvil.devKeys().get(2);
            ChannelsContract contract = ChannelsContract.deploy(chain.account(anvil.devKeys().get(0)), 60, PERIOD);
            List<PrivateKey> partners = IntStream.range(0, channels).parallel().mapToObj(TowerBench::partnerKey)
                    .toList();
            long setup = System.nanoTime();
            openChannels(anvil, chain, contract, node, partners);
            System.out.printf("opened %,d channels in %.1f s%n", contract.channelCount(), seconds(setup));

            Path dir = Files.createTempDirectory("turnpike-tower-bench");
            long heapBefore = usedHeap();
            Store store = Store.open(StoreConfig.sqlite(dir),
                    new NodeIdentity(towerKey.address(), CHAIN_ID, contract.address()));
            Watchtower tower = Watchtower.start(TowerConfig.defaults().withListener("127.0.0.1", 0), chain,
                    contract.address(), towerKey, store);
            Eip712Domain domain = contract.domain();
            double firstRate = uploadAll(tower.url(), bodies(domain, node, partners, tower.address(), 1), clients,
                    "first upload per channel (channel read from the chain)");
            double cachedRate = uploadAll(tower.url(), bodies(domain, node, partners, tower.address(), 2), clients,
                    "second upload per channel (channel cached)");
            long heapHeld = usedHeap() - heapBefore;
            tower.close();
            store.close(); // the last connection checkpoints the write-ahead log into the database file
            long diskBytes;
            try (Stream<Path> files = Files.list(dir)) {
                diskBytes = files.mapToLong(TowerBench::size).sum();
            }
            System.out.printf("%n| channels | clients | uploads/s, first | uploads/s, cached | heap held | heap/channel"
                    + " | disk | disk/channel |%n|---:|---:|---:|---:|---:|---:|---:|---:|%n");
            System.out.printf("| %,d | %d | %,.0f | %,.0f | %.1f MiB | %,d B | %.1f MiB | %,d B |%n", channels, clients,
                    firstRate, cachedRate, heapHeld / 1048576.0, heapHeld / channels, diskBytes / 1048576.0,
                    diskBytes / channels);
        }
    }

    /** One partner key per channel, derived from its index so a run can be repeated. */
    private static PrivateKey partnerKey(int index) {
        return PrivateKey.of(Keccak256.hash(ByteBuffer.allocate(Integer.BYTES).putInt(index).array()));
    }

    /**
     * Opens one ether channel from {@code node} to each partner, many per block: the transactions are signed
     * ahead and sent with automine off, then a block is mined per batch (anvil mining one block per
     * transaction would take most of the run).
     */
    private static void openChannels(Anvil anvil, Chain chain, ChannelsContract contract, PrivateKey node,
                                     List<PrivateKey> partners) {
        devRequest(anvil, "evm_setBlockGasLimit", "0x" + Long.toHexString(1_000_000_000L));
        long gas = chain.simulate(node.address(), contract.address(), DEPOSIT, openCall(partners.getFirst()),
                ChannelsContract.ARTIFACT);
        Fees quote = chain.feeQuote();
        // Room for the base fee to grow while the batches are mined.
        Fees fees = new Fees(quote.maxFeePerGas().times(4), quote.maxPriorityFeePerGas());
        long firstNonce = chain.pendingNonce(node.address());
        devRequest(anvil, "evm_setAutomine", false);
        try {
            for (int from = 0; from < partners.size(); from += OPENS_PER_BLOCK) {
                int start = from;
                List<SignedTransaction> batch = IntStream.range(from, Math.min(partners.size(), from + OPENS_PER_BLOCK))
                        .parallel()
                        .mapToObj(i -> new Eip1559Transaction(CHAIN_ID, firstNonce + i, gas, contract.address(),
                                DEPOSIT, openCall(partners.get(i)), fees).sign(node))
                        .toList();
                batch.forEach(chain::sendRawTransaction);
                devRequest(anvil, "evm_mine");
                if (chain.nonce(node.address()) != firstNonce + start + batch.size()) {
                    throw new IllegalStateException("not every open of the batch from " + start + " was mined");
                }
            }
        } finally {
            devRequest(anvil, "evm_setAutomine", true);
        }
    }

    private static String openCall(PrivateKey partner) {
        return FunctionEncoder.encode(new Function("openWithDeposit", List.of(
                new org.web3j.abi.datatypes.Address(partner.address().toLowerHex()),
                new org.web3j.abi.datatypes.Address(Address.ZERO.toLowerHex()),
                new Uint256(BigInteger.valueOf(PERIOD)), new Uint256(DEPOSIT.value())), List.of()));
    }

    /** Channel i+1 is the node's channel with partner i (ids count from 1 in a fresh deployment). */
    private static List<String> bodies(Eip712Domain domain, PrivateKey node, List<PrivateKey> partners, Address tower,
                                       long nonce) {
        return IntStream.range(0, partners.size()).parallel().mapToObj(i -> {
            long id = i + 1;
            Amount transferred = Amount.of(nonce * 1_000);
            Signed<BalanceProof> proof = Signed.sign(new BalanceProof(id, nonce, transferred), domain, partners.get(i));
            Signed<MonitorRequest> request = Signed.sign(new MonitorRequest(id, nonce, transferred, REWARD, tower),
                    domain, node);
            return """
                    {"proof":{"channelId":"%d","nonce":"%d","transferred":"%s","signature":"%s"},\
                    "request":{"reward":"%s","signature":"%s"}}""".formatted(id, nonce, transferred.value(),
                    proof.signature().toHex(), REWARD.value(), request.signature().toHex());
        }).toList();
    }

    /** Posts every body once, {@code clients} at a time; returns accepted uploads per second. */
    private static double uploadAll(URI tower, List<String> bodies, int clients, String what) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI proofs = tower.resolve("/v1/proofs");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(proofs)
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
        }
        double elapsed = seconds(start);
        double rate = (bodies.size() - refused.get()) / elapsed;
        System.out.printf("%s: %,d uploads in %.1f s, %,.0f/s, %d refused%n", what, bodies.size(), elapsed, rate,
                refused.get());
        http.close();
        return rate;
    }

    private static void devRequest(Anvil anvil, String method, Object... params) {
        HttpService service = new HttpService(anvil.rpcUrl());
        try {
            VoidResponse response = new Request<>(method, List.of(params), service, VoidResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException(method + ": " + response.getError().getMessage());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                service.close();
            } catch (IOException ignored) {
                // nothing was pending on it: the answer has been read
            }
        }
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
