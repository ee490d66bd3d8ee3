package io.turnpike.chain.rpc;

import java.time.Instant;
import java.util.Optional;

/**
 * One endpoint as the pool sees it, for status pages and tests.
 *
 * @param endpoint scheme, host and port (the URL's path and query are left out: they often hold an API key)
 * @param usable whether the next request may go to it now
 * @param consecutiveFailures failures since it last answered
 * @param retryAt when a backing-off endpoint is tried again
 * @param problem why it is backing off or disabled
 */
public record EndpointStatus(String endpoint, boolean usable, int consecutiveFailures, Optional<Instant> retryAt,
                             Optional<String> problem) {
}
