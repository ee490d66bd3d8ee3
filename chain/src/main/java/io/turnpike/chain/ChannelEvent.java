package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/** The events of TurnpikeChannels, typed. Each carries every field a watcher needs. */
public sealed interface ChannelEvent {

    long channelId();

    record ChannelOpened(long channelId, Address participantA, Address participantB, Address token,
                         long challengePeriod) implements ChannelEvent {
    }

    record DepositSet(long channelId, Address participant, Amount totalDeposit) implements ChannelEvent {
    }

    record WithdrawSet(long channelId, Address participant, Amount totalWithdraw) implements ChannelEvent {
    }

    /** {@code nonce} and {@code transferred} are the partner's proof the closer submitted. */
    record ChannelClosed(long channelId, Address closer, long nonce, Amount transferred, long settleAt)
            implements ChannelEvent {
    }

    /** {@code monitor} is the zero address when the non-closer submitted the proof itself. */
    record NonClosingProofUpdated(long channelId, Address closer, long nonce, Amount transferred, Address monitor,
                                  Amount reward) implements ChannelEvent {
    }

    record ChannelSettled(long channelId, Amount payoutA, Amount payoutB, Address monitor, Amount monitorReward)
            implements ChannelEvent {
    }
}
