package io.turnpike.chain;

/**
 * At most how much gas each channel action a node takes costs on TurnpikeChannels, in ether and in an ERC-20 token:
 * the figures of docs/gas.md ({@code ./turnpike bench gas}) rounded up, with the token's {@code approve} the node sends
 * before a token deposit, and a token's one-time registration on its first channel. What an estimate of the fee
 * multiplies by the fee per gas; {@code ChannelGasTest} holds each figure above what the chain charges.
 */
public enum ChannelGas {

    /**
     * {@code openWithDeposit} (ether 124,299, 141,399 for a deployment's first channel; token: approve 45,894 + 163,876
     * + registration 67,516).
     */
    OPEN(145_000, 300_000),
    /** {@code setTotalDeposit}, a top-up (ether 52,082; token: approve 45,894 + 76,300). */
    DEPOSIT(60_000, 125_000),
    /** {@code setTotalWithdraw} (ether 56,471; token 69,544). */
    WITHDRAW(65_000, 75_000),
    /** {@code cooperativeSettle} (ether 70,762; token 80,545). */
    SETTLE_COOPERATIVELY(75_000, 85_000),
    /** {@code close} now and {@code settle} after the challenge period (ether 61,663 + 66,980; token 61,675 + 76,773). */
    CLOSE_AND_SETTLE(130_000, 140_000);

    private final long ether;
    private final long token;

    ChannelGas(long ether, long token) {
        this.ether = ether;
        this.token = token;
    }

    /** The gas of this action in a channel of ether, or of a token when {@code inToken}. */
    public long gas(boolean inToken) {
        return inToken ? token : ether;
    }
}
