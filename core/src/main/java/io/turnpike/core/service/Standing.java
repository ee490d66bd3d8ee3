package io.turnpike.core.service;

/**
 * A client's standing at a provider, which every service it buys applies its own way (DESIGN §6): bandwidth
 * throttles a {@code FREE} client to the free rate, request serving gives it the lowest priority, a mailbox takes no
 * new deliveries.
 */
public enum Standing {
    /** Paying, within its debt limit, through an open channel or direct transfers: served in full. */
    PAID("paid"),
    /** Over its debt limit, or its channel is no longer open: served at the free tier, never cut off. */
    FREE("free"),
    /** Not authenticated, or gone: not served. */
    NONE("none");

    private final String wireName;

    Standing(String wireName) {
        this.wireName = wireName;
    }

    /** The name peers and the API see, e.g. in a {@code throttle}. */
    public String wireName() {
        return wireName;
    }
}
