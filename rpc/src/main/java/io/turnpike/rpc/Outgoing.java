package io.turnpike.rpc;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The front's and the entry's outgoing JSON-RPC: Jetty's HTTP client, keep-alive connections pooled per destination,
 * on daemon threads. It replaced the JDK's {@code java.net.http} client, which cost about a millisecond of CPU per
 * exchange here (docs/benchmarks.md, JSON-RPC front).
 */
final class Outgoing implements AutoCloseable {

    /** An answer read whole: its status, body and the headers a caller asks for. */
    record Answer(int status, byte[] body, Map<String, String> headers) {
        Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }
    }

    /** The answer's body went past the limit; nothing of it is kept. */
    static final class TooLarge extends IOException {
        TooLarge(int limit) {
            super("the answer is over " + limit + " bytes");
        }
    }

    /** No answer within the timeout, after the request went out (or while connecting, if {@code connecting}). */
    static final class NoAnswer extends IOException {
        NoAnswer(String message) {
            super(message);
        }
    }

    private final HttpClient client = new HttpClient();

    /** @param connections the most connections to one destination: the requests in flight to it at once */
    Outgoing(String name, Duration connectTimeout, int connections) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name);
        threads.setDaemon(true);
        client.setExecutor(threads);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setMaxConnectionsPerDestination(connections);
        client.setFollowRedirects(false);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP client did not start", e);
        }
    }

    /**
     * POSTs {@code body} as JSON with {@code headers} and reads the answer whole, up to {@code maxBytes}.
     *
     * @param keep the answer headers to return
     * @throws TooLarge past {@code maxBytes}
     * @throws NoAnswer when {@code timeout} passed first
     * @throws IOException when the exchange failed otherwise (refused, reset)
     */
    Answer post(URI uri, byte[] body, Map<String, String> headers, Iterable<String> keep, int maxBytes,
                Duration timeout) throws IOException, InterruptedException {
        Request request = client.newRequest(uri).method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .body(new BytesRequestContent("application/json", body));
        headers.forEach((name, value) -> request.headers(fields -> fields.put(name, value)));
        CompletableFuture<ContentResponse> exchange = new CompletableResponseListener(request, maxBytes).send();
        try {
            ContentResponse response = exchange.get();
            Map<String, String> kept = new java.util.HashMap<>();
            for (String name : keep) {
                String value = response.getHeaders().get(name);
                if (value != null) {
                    kept.put(name, value);
                }
            }
            return new Answer(response.getStatus(), response.getContent(), kept);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TimeoutException) {
                throw new NoAnswer("no answer within " + timeout.toMillis() + " ms");
            }
            if (cause instanceof IllegalArgumentException) {
                throw new TooLarge(maxBytes); // how the listener fails a body past its limit
            }
            throw cause instanceof IOException io ? io : new IOException(String.valueOf(cause.getMessage()), cause);
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // stopping: nothing left to do with it
        }
    }
}
