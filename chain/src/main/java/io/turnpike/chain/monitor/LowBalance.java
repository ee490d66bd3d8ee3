package io.turnpike.chain.monitor;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/** A wallet balance below its warning threshold; {@code asset} is the zero address for ether. */
public record LowBalance(Address asset, Amount balance, Amount threshold) {
}
