package io.turnpike.relay.bench;

import io.turnpike.core.Address;
import io.turnpike.relay.RelayConfig;
import io.turnpike.relay.RelayServer;
import java.io.Closeable;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Authenticator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Heap per idle relayed connection: N authenticated connections through the relay to a target that
 * holds them open, minus the same N connections made directly (the client and target sockets, which
 * live in this JVM too), divided by N. Heap is measured after a full GC, before and after opening.
 * Clients use the JDK's own SOCKS5 client (username/password from an {@link Authenticator}).
 *
 * <pre>java -Xmx1g -cp relay/target/classes:core.jar io.turnpike.relay.bench.IdleSessionMemory [connections=1000]</pre>
 */
public final class IdleSessionMemory {

    private static final Address CLIENT = Address.of("0x" + "be".repeat(20));
    private static final String TOKEN = "bench-session-token";

    private IdleSessionMemory() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Authenticator.setDefault(new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(CLIENT.toString(), TOKEN.toCharArray());
            }
        });
        RelayConfig config = RelayConfig.listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withPrivateTargets(true)
                .withMaxConnectionsPerClient(count);
        try (Holder target = new Holder();
             RelayServer relay = RelayServer.start(config, (client, token) -> CLIENT.equals(client) && TOKEN.equals(token),
                     (peer, up, down) -> { })) {
            Proxy proxy = new Proxy(Proxy.Type.SOCKS, new InetSocketAddress(InetAddress.getLoopbackAddress(), relay.port()));
            // Warm up both paths so that class loading and JIT data are not counted as sessions.
            measure(target, Proxy.NO_PROXY, 50, null);
            measure(target, proxy, 50, relay);

            double direct = measure(target, Proxy.NO_PROXY, count, null);
            double relayed = measure(target, proxy, count, relay);
            System.out.printf("%d idle connections, %s %s, max heap %d MiB%n", count,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("direct (client + target sockets)  %6.1f KiB/connection%n", direct / 1024);
            System.out.printf("through the relay                 %6.1f KiB/connection%n", relayed / 1024);
            System.out.printf("relay session                     %6.1f KiB/session%n", (relayed - direct) / 1024);
        }
    }

    /** Heap bytes per connection held open, after a full GC, for {@code count} connections. */
    private static double measure(Holder target, Proxy proxy, int count, RelayServer relay) throws Exception {
        long before = heapAfterGc();
        List<Socket> clients = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket(proxy);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.port()));
            clients.add(socket);
        }
        target.awaitHeld(count);
        if (relay != null && relay.openConnections() != count) {
            throw new IllegalStateException(relay.openConnections() + " relayed connections, expected " + count);
        }
        long after = heapAfterGc();
        for (Socket client : clients) {
            client.close();
        }
        target.release();
        while (relay != null && relay.openConnections() > 0) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        return (double) (after - before) / count;
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A target that accepts connections and holds them open without reading. */
    private static final class Holder implements Closeable {
        private final ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        private final List<Socket> held = new ArrayList<>();

        Holder() throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        synchronized (held) {
                            held.add(socket);
                            held.notifyAll();
                        }
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void awaitHeld(int count) throws InterruptedException {
            synchronized (held) {
                while (held.size() < count) {
                    held.wait();
                }
            }
        }

        void release() throws IOException {
            synchronized (held) {
                for (Socket socket : held) {
                    socket.close();
                }
                held.clear();
            }
        }

        @Override
        public void close() throws IOException {
            release();
            server.close();
        }
    }
}
