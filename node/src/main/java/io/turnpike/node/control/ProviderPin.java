package io.turnpike.node.control;

import io.turnpike.core.Address;
import java.util.Optional;

/**
 * Where one service this node buys goes, after the operator pinned it or lifted its pin.
 *
 * @param pinned the provider the operator pinned it to (empty: the node chooses)
 * @param chosen the provider new traffic goes to now (empty while none can take it)
 */
public record ProviderPin(String service, Optional<Address> pinned, Optional<Address> chosen) {
}
