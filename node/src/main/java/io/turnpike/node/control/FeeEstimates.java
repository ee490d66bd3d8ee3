package io.turnpike.node.control;

import io.turnpike.chain.ChannelGas;
import io.turnpike.core.Amount;
import java.util.Arrays;
import java.util.Locale;
import java.util.List;
import java.util.Objects;

/**
 * What each channel action would cost in network fees if sent now, at most: its gas ({@link ChannelGas}, in the
 * node's asset) at the fee cap the node would offer, in wei of ether whatever the node's asset — the wallet pays fees
 * in ether.
 *
 * @param maxFeePerGas the fee cap per unit of gas a transaction sent now offers (twice the next base fee plus the tip)
 */
public record FeeEstimates(Amount maxFeePerGas, List<ActionFee> actions) {

    /** One action: {@code open}, {@code deposit}, {@code withdraw}, {@code settleCooperatively}, {@code closeAndSettle}. */
    public record ActionFee(String action, long gas, Amount fee) {
    }

    public FeeEstimates {
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        actions = List.copyOf(actions);
    }

    /** Every channel action at {@code maxFeePerGas}, with the gas of a channel in a token when {@code inToken}. */
    public static FeeEstimates at(Amount maxFeePerGas, boolean inToken) {
        return new FeeEstimates(maxFeePerGas, Arrays.stream(ChannelGas.values()).map(action -> new ActionFee(
                name(action), action.gas(inToken), maxFeePerGas.times(action.gas(inToken)))).toList());
    }

    /** {@code SETTLE_COOPERATIVELY} is {@code settleCooperatively}, as the API's other names are written. */
    private static String name(ChannelGas action) {
        StringBuilder name = new StringBuilder();
        for (String word : action.name().toLowerCase(Locale.ROOT).split("_")) {
            name.append(name.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }
}
