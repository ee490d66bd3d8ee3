package io.turnpike.rpc;

import io.turnpike.core.Address;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * Where an {@link RpcEntry} sends its requests: the chosen provider's front, the session token that provider issued to
 * this node ({@code client}) over their peer connection, and the cost table it announced in its offer (by which the
 * entry estimates what a request may cost before sending it).
 */
public record RpcRoute(Address provider, URI front, Address client, String sessionToken, CostTable costs) {

    public RpcRoute {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(front, "front");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Objects.requireNonNull(costs, "costs");
    }

    /** A provider that announced no cost table: it serves at the {@linkplain CostTable#defaults() default one}. */
    public RpcRoute(Address provider, URI front, Address client, String sessionToken) {
        this(provider, front, client, sessionToken, CostTable.defaults());
    }

    /** HTTP Basic with the client's address as the user and the token as the password, as the front reads it. */
    String authorization() {
        return "Basic " + Base64.getEncoder().encodeToString((client + ":" + sessionToken)
                .getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "RpcRoute[provider=" + provider + ", front=" + front + ", client=" + client + "]"; // no token in logs
    }
}
