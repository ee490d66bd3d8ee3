package io.turnpike.store;

import io.turnpike.core.Address;
import java.util.Objects;

/** One direction of the debt between us and a peer, in one asset ({@code token}: zero address for ether). */
public record LedgerKey(Address peer, Address token, Debtor debtor) {

    public LedgerKey {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(debtor, "debtor");
    }
}
