package io.turnpike.node.demo;

import java.io.OutputStream;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The demos' stand-in for a website, on loopback: {@code GET /bytes/N} answers N bytes at a set pace, so a stream
 * through a node lasts long enough to watch. A target, not a surface of the node: it has no limits to speak of.
 */
public final class ContentServer implements AutoCloseable {

    private static final String PATH = "/bytes/";

    private final Server server;
    private final ServerConnector connector;

    private ContentServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /** Serves any number of bytes at {@code bytesPerSecond}. */
    public static ContentServer start(long bytesPerSecond) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                long size = Long.parseLong(Request.getPathInContext(request).substring(PATH.length()));
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
                byte[] chunk = new byte[64 * 1024];
                long started = System.nanoTime();
                try (OutputStream body = Content.Sink.asOutputStream(response)) {
                    for (long sent = 0; sent < size; sent += chunk.length) {
                        body.write(chunk, 0, (int) Math.min(chunk.length, size - sent));
                        long ahead = started + sent * 1_000_000_000L / bytesPerSecond - System.nanoTime();
                        if (ahead > 0) {
                            TimeUnit.NANOSECONDS.sleep(ahead);
                        }
                    }
                }
                callback.succeeded();
                return true;
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the demo's content server did not start: " + e.getMessage(), e);
        }
        return new ContentServer(server, connector);
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the demo's content server did not stop: " + e.getMessage(), e);
        }
    }
}
