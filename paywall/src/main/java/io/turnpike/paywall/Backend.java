package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.HttpReply;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP backends behind a paywall, reached with Jetty's client: a request goes out with its method, body,
 * {@code Content-Type} and {@code Accept}, and the payer's address as {@value #PAYER_HEADER}; the answer comes back
 * whole, at most {@code maxResponseBytes}, within {@code timeout}, or not at all.
 */
final class Backend implements AutoCloseable {

    /** Tells the backend who paid for the request. */
    static final String PAYER_HEADER = "Turnpike-Payer";

    private final HttpClient client;
    private final int maxResponseBytes;
    private final Duration timeout;

    Backend(int maxResponseBytes, Duration timeout) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("paywall-backend");
        // A program that embeds a paywall exits when it is done, as with every other Turnpike surface.
        threads.setDaemon(true);
        this.client = new HttpClient();
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        this.maxResponseBytes = maxResponseBytes;
        this.timeout = timeout;
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the paywall's HTTP client did not start: " + e.getMessage(), e);
        }
    }

    /**
     * Sends one request and returns the backend's answer as it is.
     *
     * @throws TurnpikeException {@code upstream_timeout}, {@code response_too_large} or {@code upstream_unavailable}
     */
    HttpReply send(URI uri, String method, byte[] body, String contentType, String accept, Address payer) {
        Request request = client.newRequest(uri).method(method).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    if (accept != null) {
                        headers.put(HttpHeader.ACCEPT, accept);
                    }
                    headers.put(PAYER_HEADER, payer.toString());
                });
        if (body.length > 0) {
            request.body(new BytesRequestContent(contentType == null ? "application/octet-stream" : contentType, body));
        }
        try {
            ContentResponse response = new CompletableResponseListener(request, maxResponseBytes).send().get();
            String type = response.getHeaders().get(HttpHeader.CONTENT_TYPE);
            return new HttpReply(response.getStatus(), type == null ? "application/octet-stream" : type,
                    response.getContent(), Map.of());
        } catch (ExecutionException failed) {
            throw switch (failed.getCause()) {
                case TimeoutException late -> new TurnpikeException(ErrorCode.UPSTREAM_TIMEOUT, "the backend did not "
                        + "answer within " + timeout.toMillis() + " ms; nothing was charged, try again");
                // Jetty's buffering listener aborts an answer over its capacity with this.
                case IllegalArgumentException tooLarge -> new TurnpikeException(ErrorCode.RESPONSE_TOO_LARGE, "the "
                        + "backend's answer is over " + maxResponseBytes + " bytes; nothing was charged, ask for less");
                default -> new TurnpikeException(ErrorCode.UPSTREAM_UNAVAILABLE, "the backend cannot be reached ("
                        + failed.getCause().getMessage() + "); nothing was charged, try again shortly");
            };
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new TurnpikeException(ErrorCode.STOPPING, "the paywall is stopping; nothing was charged, send the "
                    + "request again once it is back");
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            // Stopping a client only closes its connections; a failure leaves nothing to undo.
        }
    }
}
