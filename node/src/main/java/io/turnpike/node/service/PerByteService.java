package io.turnpike.node.service;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/**
 * A {@link SoldService} whose unit is the byte at the price its settings name: the offer's terms, and each client's
 * bytes metered into its one debt once the node hands over its {@link UsageMeter}. Bytes before that are not sold.
 */
public abstract class PerByteService implements SoldService {

    private final String name;
    private final Amount pricePerByte;
    private volatile UsageMeter usage;

    protected PerByteService(String name, Amount pricePerByte) {
        this.name = name;
        this.pricePerByte = pricePerByte;
    }

    /** From now on the bytes {@link #metered} are reported to {@code usage}. */
    protected final void meterInto(UsageMeter usage) {
        this.usage = usage;
    }

    /** {@code client} used {@code bytes} more of this service. */
    protected final void metered(Address client, long bytes) {
        UsageMeter meter = usage;
        if (meter != null) {
            meter.used(client, name, bytes);
        }
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String unit() {
        return "byte";
    }

    @Override
    public final Amount pricePerUnit() {
        return pricePerByte;
    }
}
