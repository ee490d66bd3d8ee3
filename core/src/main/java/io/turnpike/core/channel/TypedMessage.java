package io.turnpike.core.channel;

/**
 * The messages Turnpike signs as EIP-712 typed data. Each names its own type in its hash, so a
 * signature over one can never be replayed as another.
 */
public sealed interface TypedMessage
        permits BalanceProof, MonitorRequest, Withdraw, CooperativeSettle, Handshake, MonitorReceipt, RestoreRequest,
        MailboxFetch, MailboxDelete {

    /** EIP-712 hashStruct: keccak(typeHash ‖ encodeData(this)). */
    byte[] structHash();
}
