package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.market.ProviderHistory;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider this node could buy from: configured in turnpike.client.providers, registered in the market, or both;
 * with what it sells, how it scores and which of this node's services use it now.
 *
 * @param endpoint where its peer port is dialled (empty when neither the config nor the registry names one)
 * @param services the prices it offered over the connection, else the indicative ones of its market record
 * @param stake its committed stake in the market (empty when it has none there)
 * @param latencyMs how long a TCP connect to its endpoint took when last probed (empty when it did not answer)
 * @param score higher is better; docs/operating.md, Choosing providers
 * @param chosenFor the services this node routes to it now
 */
public record ProviderView(Address address, Optional<String> endpoint, boolean configured, boolean registered,
                           boolean connected, List<Service> services, List<Plan> plans, Optional<Amount> stake,
                           Optional<Long> latencyMs, ProviderHistory history, long score, List<String> chosenFor) {

    public ProviderView {
        Objects.requireNonNull(address, "address");
        services = List.copyOf(services);
        plans = List.copyOf(plans);
        chosenFor = List.copyOf(chosenFor);
    }

    /** @param unit what the price is per ("byte" for bandwidth, "cost_unit" for rpc) */
    public record Service(String service, String unit, Amount pricePerUnit) {
    }

    /**
     * @param token what the plan is paid in (the zero address for ether)
     * @param monthly the price of 30 days at this plan's rate, rounded down (empty for a plan without a period)
     */
    public record Plan(long planId, Address token, Amount price, long periodSeconds, Optional<Amount> monthly) {
    }
}
