package io.turnpike.core.service;

import io.turnpike.core.Amount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one client used of each service, in the service's units and priced, so that one debt can be itemised.
 * Immutable; a service appears once it was first used.
 */
public record Usage(Map<String, Item> byService) {

    public static final Usage NONE = new Usage(Map.of());

    public Usage {
        byService = Map.copyOf(byService);
    }

    /** {@code units} of {@code service}, costing {@code cost}. */
    public record Item(String service, long units, Amount cost) {

        public Item {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(cost, "cost");
            if (units < 0) {
                throw new IllegalArgumentException("units are counted up from 0, got " + units);
            }
        }
    }

    /** This usage, and {@code units} more of {@code service} costing {@code cost}. */
    public Usage plus(String service, long units, Amount cost) {
        Map<String, Item> next = new LinkedHashMap<>(byService);
        next.merge(service, new Item(service, units, cost),
                (was, more) -> new Item(service, Math.addExact(was.units(), more.units()), was.cost().plus(more.cost())));
        return new Usage(next);
    }

    public List<Item> items() {
        return byService.values().stream().sorted(java.util.Comparator.comparing(Item::service)).toList();
    }

    /** What all services cost together. */
    public Amount total() {
        return byService.values().stream().map(Item::cost).reduce(Amount.ZERO, Amount::plus);
    }
}
