package io.turnpike.bench;

import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Ecies;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.mailbox.ChannelPayments;
import io.turnpike.mailbox.Mailbox;
import io.turnpike.mailbox.MailboxApi;
import io.turnpike.mailbox.MailboxConfig;
import io.turnpike.mailbox.MailboxMessages;
import io.turnpike.mailbox.MailboxTerms;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.store.MailboxStore;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The mailbox's own path through its HTTP API, on SQLite and on PostgreSQL (an embedded server with fsync on), both on
 * disk under {@code target/}: durable deliveries per second of 1 KiB sealed envelopes from 32 keep-alive senders (an
 * answer means the envelope is committed; senders share commits through the store's group commit), then, with
 * 100,000 envelopes stored, the latency of one owner's signed fetches of 10 envelopes from a random place, one at a
 * time: signature recovered, nonce written down durably, envelopes read. The mailbox runs in free mode, so no chain
 * is involved; requests are signed before the clock starts.
 *
 * <pre>./turnpike bench mailbox [warmup=2] [measure=5] [senders=32] [stored=100000] [fetches=2000]</pre>
 *
 * The last line is SQLite's: {@code mailbox: deliveries=N/s fetch_p99_ms=X}.
 */
public final class MailboxBench {

    private static final int ENVELOPE_BYTES = 1024;
    private static final int FETCH_LIMIT = 10;
    private static final Address PROVIDER = PrivateKey.fromHex("0x" + "11".repeat(32)).address();
    private static final Eip712Domain DOMAIN = Eip712Domain.turnpike(31337,
            Address.of("0x00000000000000000000000000000000000000aa"));
    private static final MailboxConfig CONFIG = MailboxConfig.subscriptions(Map.of(),
            MailboxTerms.days(30, Long.MAX_VALUE)).withFree(true);

    private record Result(double deliveriesPerSecond, LatencySamples.Sorted deliveries, LatencySamples.Sorted fetches,
                          long stored) {
    }

    private MailboxBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        Arrays.stream(args).map(arg -> arg.split("=", 2)).forEach(kv -> options.put(kv[0], kv[1]));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "2")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", "5")));
        int senders = Integer.parseInt(options.getOrDefault("senders", "32"));
        int stored = Integer.parseInt(options.getOrDefault("stored", "100000"));
        int fetches = Integer.parseInt(options.getOrDefault("fetches", "2000"));
        System.out.printf(Locale.ROOT, "mailbox API: %d-byte envelopes from %d keep-alive senders, %d s warm-up, %d s "
                        + "measured; then signed fetches of %d at %,d stored; %d cores, %s %s%n", ENVELOPE_BYTES,
                senders, warmup.toSeconds(), measure.toSeconds(), FETCH_LIMIT, stored,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%-11s %14s %13s %13s %13s %13s%n", "engine", "deliveries/s", "deliver p50",
                "deliver p99", "fetch p50", "fetch p99");
        Path root = Files.createDirectories(Path.of("target")).toAbsolutePath();
        Result sqlite = null;
        for (String engine : List.of("sqlite", "postgresql")) {
            Path dataDir = Files.createTempDirectory(root, "mailbox-bench");
            EmbeddedPostgres postgres = null;
            StoreConfig config;
            if (engine.equals("sqlite")) {
                config = StoreConfig.sqlite(dataDir);
            } else {
                // The embedded server starts with fsync off (-F), which is right for tests and wrong here.
                postgres = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres"))
                        .setServerConfig("fsync", "on").start();
                config = StoreConfig.jdbc(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
            }
            try {
                Result result = run(config, senders, stored, fetches, warmup, measure);
                System.out.printf(Locale.ROOT, "%-11s %14.0f %10.2f ms %10.2f ms %10.2f ms %10.2f ms%n", engine,
                        result.deliveriesPerSecond(), millis(result.deliveries(), 50), millis(result.deliveries(), 99),
                        millis(result.fetches(), 50), millis(result.fetches(), 99));
                if (sqlite == null) {
                    sqlite = result;
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
                FileTrees.delete(dataDir);
            }
        }
        System.out.printf(Locale.ROOT, "mailbox: deliveries=%.0f/s fetch_p99_ms=%.2f%n", sqlite.deliveriesPerSecond(),
                millis(sqlite.fetches(), 99));
    }

    private static Result run(StoreConfig config, int senders, int stored, int fetches, Duration warmup,
                              Duration measure) throws Exception {
        PrivateKey owner = PrivateKey.random(new SecureRandom());
        try (Store store = Store.open(config, new NodeIdentity(PROVIDER, DOMAIN.chainId(), Address.ZERO))) {
            MailboxStore mailboxes = MailboxStore.of(store, Clock.systemUTC());
            Mailbox mailbox = new Mailbox(PROVIDER, DOMAIN, CONFIG, mailboxes, (who, plan) -> OptionalLong.empty(),
                    ChannelPayments.NONE, Clock.systemUTC());
            try (MailboxApi api = MailboxApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    MailboxApi.limits(CONFIG), fatal -> { }, mailbox)) {
                int port = api.address().getPort();
                byte[] envelope = Ecies.seal(PublicKey.of(owner), new byte[ENVELOPE_BYTES - Ecies.OVERHEAD],
                        new SecureRandom());
                KeepAliveLoad.Round deliveries = KeepAliveLoad.run(port, deliveryRequest(port, owner.address(),
                        envelope), senders, warmup, measure);
                fill(mailboxes, owner.address(), envelope, stored);
                long held = mailboxes.usage(owner.address()).envelopes();
                return new Result(deliveries.perSecond(), deliveries.latencies(),
                        fetch(port, owner, held, fetches), held);
            }
        }
    }

    private static byte[] deliveryRequest(int port, Address to, byte[] envelope) {
        byte[] body = JsonObjectReader.MAPPER.writeValueAsBytes(new MailboxMessages.Delivery(to, envelope).toJson());
        String head = "POST /v1/mailbox/deliver HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** Tops the mailbox up to {@code target} envelopes straight through the store, 32 writers at once. */
    private static void fill(MailboxStore mailboxes, Address owner, byte[] envelope, int target) throws Exception {
        long missing = target - mailboxes.usage(owner).envelopes();
        if (missing <= 0) {
            return;
        }
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 32; w++) {
                long share = missing / 32 + (w < missing % 32 ? 1 : 0);
                done.add(writers.submit(() -> {
                    for (long i = 0; i < share; i++) {
                        mailboxes.deliver(owner, envelope, Long.MAX_VALUE);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get();
            }
        }
    }

    /** {@code count} signed fetches of {@link #FETCH_LIMIT} envelopes from random places, one after another. */
    private static LatencySamples.Sorted fetch(int port, PrivateKey owner, long held, int count) throws Exception {
        URI base = URI.create("http://127.0.0.1:" + port);
        MailboxClient client = MailboxClient.connect(base, Clock.systemUTC());
        SecureRandom random = new SecureRandom();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < count + count / 10; i++) {
            long after = random.nextLong(Math.max(1, held - FETCH_LIMIT));
            bodies.add(JsonObjectReader.MAPPER.writeValueAsBytes(MailboxMessages.fetchJson(
                    client.signFetch(owner, after, FETCH_LIMIT))));
        }
        HttpClient http = HttpClient.newHttpClient();
        LatencySamples samples = new LatencySamples();
        for (int i = 0; i < bodies.size(); i++) {
            HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/mailbox/fetch"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
            long sent = System.nanoTime();
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            long took = System.nanoTime() - sent;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("a fetch was refused: " + new String(response.body(),
                        StandardCharsets.UTF_8));
            }
            if (i >= count / 10) { // the first tenth warms up
                samples.add(took);
            }
        }
        return LatencySamples.merge(List.of(samples));
    }

    private static double millis(LatencySamples.Sorted samples, double percentile) {
        return samples.percentileMicros(percentile) / 1_000;
    }
}
