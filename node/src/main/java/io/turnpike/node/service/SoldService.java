package io.turnpike.node.service;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.service.Standing;
import io.turnpike.protocol.PeerMessage.Offer;
import java.util.List;

/**
 * One service a provider sells (DESIGN §6): it names its unit and price for the {@code offer}, serves on its own
 * surface (authenticated by the session token the node issues over the peer connection), reports each client's
 * use through a {@link UsageMeter} in whole units — the node prices it and keeps the one debt — and is told each
 * client's {@link Standing}, which it applies its own way. It keeps no accounts of its own.
 */
public interface SoldService {

    /** The name peers use in offers, session requests and statements, e.g. {@code bandwidth}. */
    String name();

    /** What one unit is, e.g. {@code byte}. */
    String unit();

    /** The price of one unit, in the asset's smallest unit. */
    Amount pricePerUnit();

    /**
     * What each kind of request costs in units, for the offer, when the service counts them by a table (rpc's cost
     * table); empty for a service whose unit is plain (a byte, a month).
     */
    default List<Offer.Cost> costs() {
        return List.of();
    }

    /** Units per second a client at the free tier still gets, for the offer; 0 if the service has no such rate. */
    long freeRate();

    /** The client's standing changed; called on the client's executor, so it must not block. */
    void standing(Address client, Standing standing);

    /**
     * What the client's channel still covers (its deposit not yet paid over), told whenever its account is reviewed; a
     * service that ranks its paying clients ranks them by it. Called on the client's executor; must not block.
     */
    default void prepaid(Address client, Amount balance) {
    }

    /** Whether the service is serving the client now (a connection open): such a client is not forgotten. */
    default boolean serves(Address client) {
        return false;
    }

    /**
     * The client is gone, owes nothing and is not {@linkplain #serves served}: drop whatever the service keeps for it.
     * If it returns it is treated as new, and told its standing again. Called on the client's executor; must not
     * block.
     */
    default void forget(Address client) {
    }

    /**
     * The capacity, in units per second, each prepaid balance would buy now ({@code capacity.query}); empty for a
     * service that sells no capacity.
     */
    default List<Long> quote(List<Amount> balances) {
        return List.of();
    }
}
