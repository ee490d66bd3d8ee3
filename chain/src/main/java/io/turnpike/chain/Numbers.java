package io.turnpike.chain;

import java.math.BigInteger;

/** JSON-RPC quantities ("0x1a") as exact integers. */
final class Numbers {

    private Numbers() {
    }

    static BigInteger decode(String quantity) {
        if (quantity == null || quantity.isEmpty()) {
            return BigInteger.ZERO;
        }
        return quantity.startsWith("0x") ? new BigInteger(quantity.substring(2), 16) : new BigInteger(quantity);
    }
}
