package io.turnpike.node.control;

import io.turnpike.core.Address;
import java.time.Instant;

/** A peer's message this node refused, answered with the error {@code code} (docs/errors.md). */
public record RefusalView(Instant at, Address peer, String code) {
}
