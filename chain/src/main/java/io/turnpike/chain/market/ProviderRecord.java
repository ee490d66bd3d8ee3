package io.turnpike.chain.market;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider publishes in the market: the peer endpoint clients dial, its services with indicative prices, and
 * the plans it sells subscriptions to. The contract bounds every part (see docs/contract.md).
 */
public record ProviderRecord(String endpoint, List<Service> services, List<Plan> plans) {

    public ProviderRecord {
        Objects.requireNonNull(endpoint, "endpoint");
        services = List.copyOf(services);
        plans = List.copyOf(plans);
    }

    public Optional<Plan> plan(long planId) {
        return plans.stream().filter(p -> p.planId() == planId).findFirst();
    }
}
