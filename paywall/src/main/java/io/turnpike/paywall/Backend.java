package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpReply;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
 * The HTTP backends behind a paywall, reached with Jetty's client: a request goes out with its method, query, body and
 * end-to-end headers ({@link #endToEnd}), and the payer's address as {@value #PAYER_HEADER}; the answer comes back
 * whole, at most its route's bytes, within {@code timeout}, or not at all — buffered, so that what it costs is known
 * before any of it is passed on.
 */
final class Backend implements AutoCloseable {

    /** Tells the backend who paid for the request. */
    static final String PAYER_HEADER = "Turnpike-Payer";

    /**
     * What a proxy never passes on: the hop-by-hop headers (RFC 9110 §7.6.1), the ones the client to the backend writes
     * itself ({@code Host}, the body's length and type, {@code Expect}), the payment, and {@value #PAYER_HEADER},
     * which only the paywall may say.
     */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "proxy-connection", "keep-alive", "te",
            "trailer", "transfer-encoding", "upgrade", "proxy-authenticate", "proxy-authorization", "host",
            "content-length", "content-type", "expect", X402.PAYMENT_SIGNATURE.toLowerCase(Locale.ROOT),
            X402.X_PAYMENT.toLowerCase(Locale.ROOT), PAYER_HEADER.toLowerCase(Locale.ROOT));
    private static final String AUTHORIZATION = "authorization";

    /** One header line to send on. */
    record Header(String name, String value) {
    }

    /**
     * The request's end-to-end headers, each value as sent: everything but {@link #NOT_FORWARDED}, the headers its
     * {@code Connection} header names, and {@code Authorization} unless the route passes it on (the backend's own
     * credentials, say, which the paywall should not see otherwise either).
     */
    static List<Header> endToEnd(HttpCall call, boolean forwardAuthorization) {
        Set<String> hopByHop = new HashSet<>(NOT_FORWARDED);
        call.headerValues("Connection").forEach(value -> Arrays.stream(value.split(","))
                .map(name -> name.strip().toLowerCase(Locale.ROOT)).forEach(hopByHop::add));
        if (!forwardAuthorization) {
            hopByHop.add(AUTHORIZATION);
        }
        List<Header> headers = new ArrayList<>();
        for (String name : call.headerNames()) {
            if (!hopByHop.contains(name.toLowerCase(Locale.ROOT))) {
                call.headerValues(name).forEach(value -> headers.add(new Header(name, value)));
            }
        }
        return headers;
    }

    private final HttpClient client;
    private final Duration timeout;

    Backend(Duration timeout) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("paywall-backend");
        // A program that embeds a paywall exits when it is done, as with every other Turnpike surface.
        threads.setDaemon(true);
        this.client = new HttpClient();
        client.setExecutor(threads);
        client.setFollowRedirects(false);
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
     * @param maxResponseBytes the most of a body taken; a longer one is dropped unread, not passed on
     * @throws TurnpikeException {@code upstream_timeout}, {@code response_too_large} or {@code upstream_unavailable}
     */
    HttpReply send(URI uri, String method, List<Header> endToEnd, byte[] body, String contentType, Address payer,
                   int maxResponseBytes) {
        Request request = client.newRequest(uri).method(method).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(headers -> {
                    // Jetty's client adds its own User-Agent and Accept-Encoding unless told the client's.
                    headers.remove(HttpHeader.USER_AGENT);
                    headers.remove(HttpHeader.ACCEPT_ENCODING);
                    endToEnd.forEach(header -> headers.add(header.name(), header.value()));
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
                        + "backend's answer is over the " + maxResponseBytes + " bytes this path may answer; it was not "
                        + "passed on and costs no more than the request's price, ask for less");
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
