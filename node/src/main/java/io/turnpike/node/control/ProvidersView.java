package io.turnpike.node.control;

import io.turnpike.core.Address;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The providers this node knows, best first, and which one each service it buys uses now.
 *
 * @param chosen for each service this node buys, the provider new traffic goes to (empty when none is connected)
 */
public record ProvidersView(List<ProviderView> providers, SortedMap<String, Optional<Address>> chosen) {

    public ProvidersView {
        providers = List.copyOf(providers);
        chosen = Collections.unmodifiableSortedMap(new TreeMap<>(chosen));
    }
}
