package io.turnpike.node.control;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request for the node to send and, on a 402, pay for (x402), within the caps: what {@code turnpike http} and
 * {@code POST /api/http} ask for.
 *
 * @param headers each {@code "Name: value"}
 * @param maxPerRequest the per-request cap for this request, instead of {@code turnpike.client.paywall}'s
 * @param maxPerDay the day's cap for this request, instead of {@code turnpike.client.paywall}'s
 */
public record HttpFetch(String method, String url, List<String> headers, Optional<String> body,
                        Optional<Amount> maxPerRequest, Optional<Amount> maxPerDay) {

    public HttpFetch {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(url, "url");
        headers = List.copyOf(headers);
    }

    /**
     * The request as the JDK's client sends it.
     *
     * @throws TurnpikeException {@code bad_argument} for a URL that is not http(s), a header that is not
     *     {@code Name: value}, a method or header the HTTP client refuses
     */
    public HttpRequest toRequest() {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw badArgument("the URL: " + e.getMessage());
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw badArgument("'" + url + "' is not an http:// or https:// URL");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        try {
            builder.method(method.toUpperCase(Locale.ROOT), body.map(HttpRequest.BodyPublishers::ofString)
                    .orElseGet(HttpRequest.BodyPublishers::noBody));
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (colon < 1) {
                    throw badArgument("header '" + header + "' is not 'NAME: VALUE'");
                }
                builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
        } catch (IllegalArgumentException e) {
            throw badArgument(e.getMessage());
        }
        return builder.build();
    }

    private static TurnpikeException badArgument(String message) {
        return new TurnpikeException(ErrorCode.BAD_ARGUMENT, message);
    }
}
