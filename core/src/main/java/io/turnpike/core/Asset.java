package io.turnpike.core;

import java.util.Objects;

/**
 * What a channel or a price is denominated in: ether, or one ERC-20 token. {@code token} is the zero
 * address for ether, which is also how the contract encodes it.
 */
public record Asset(String symbol, Address token, int decimals) {

    public static final Asset ETH = new Asset("ETH", Address.ZERO, 18);

    public Asset {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(token, "token");
        if (decimals < 0 || decimals > 77) {
            throw new IllegalArgumentException("decimals must be within 0..77, got " + decimals);
        }
    }

    public static Asset erc20(String symbol, Address token, int decimals) {
        if (token.isZero()) {
            throw new IllegalArgumentException("an ERC-20 token cannot have the zero address");
        }
        return new Asset(symbol, token, decimals);
    }

    public boolean isEther() {
        return token.isZero();
    }

    /** "0.0042 ETH". */
    public String format(Amount amount) {
        return amount.toDecimalString(decimals) + " " + symbol;
    }
}
