package io.turnpike.core;

/**
 * Stable error codes: they appear on the wire (peer protocol {@code error {code, message}}), in the
 * HTTP API and in logs, so a code is never renamed once released. The Java constant may be renamed;
 * the string may not.
 */
public enum ErrorCode {
    /** A signature is malformed, malleable, or does not recover to a usable signer. */
    INVALID_SIGNATURE("invalid_signature"),
    /** Input bytes or text that cannot be parsed (bad hex, wrong length, bad field). */
    MALFORMED_INPUT("malformed_input"),
    /** A private key outside 1..n-1 or in an unreadable format. */
    INVALID_KEY("invalid_key"),
    /** An amount that is negative or does not fit in a uint256. */
    AMOUNT_OUT_OF_RANGE("amount_out_of_range"),
    /** A message names a channel this node has no record of, or a different channel than expected. */
    UNKNOWN_CHANNEL("unknown_channel"),
    /** A valid signature by someone other than the party that had to sign. */
    WRONG_SIGNER("wrong_signer"),
    /** A proof whose nonce is not above the newest one held: a replay, a duplicate or a reordered message. */
    STALE_PROOF("stale_proof"),
    /** A newer proof that pays less in total than an older one; totals only ever grow. */
    TRANSFER_DECREASED("transfer_decreased"),
    /** A proof that pays more than the payer's side of the channel can cover. */
    INSUFFICIENT_CAPACITY("insufficient_capacity"),
    /** A payment this node wants to make exceeds what its side of the channel holds. */
    INSUFFICIENT_FUNDS("insufficient_funds"),
    /** The channel is closed or settled; it takes no more payments. */
    CHANNEL_NOT_OPEN("channel_not_open"),
    /** A proposed cooperative settlement whose payouts differ from this node's own view of the channel. */
    SETTLEMENT_MISMATCH("settlement_mismatch"),
    /** A peer message that is not one JSON object of the documented shape: bad JSON, a missing, extra or mistyped field. */
    MALFORMED_MESSAGE("malformed_message"),
    /** A peer message whose {@code type} this node does not know. */
    UNKNOWN_MESSAGE_TYPE("unknown_message_type"),
    /** A peer message in a protocol version ({@code v}) this node does not speak. */
    UNSUPPORTED_VERSION("unsupported_version"),
    /** A peer message larger than the protocol's frame limit. */
    MESSAGE_TOO_LARGE("message_too_large"),
    /** A message sent before the peer handshake completed, or a handshake that did not complete. */
    UNAUTHENTICATED("unauthenticated"),
    /** A well-formed message at the wrong moment: a second hello, an auth before the hello. */
    OUT_OF_ORDER("out_of_order"),
    /** A peer that pays on another chain or through another contract than this node. */
    WRONG_NETWORK("wrong_network"),
    /** A peer that authenticated as another node than the one that was dialled. */
    UNEXPECTED_PEER("unexpected_peer"),
    /** A direct transfer naming a transaction that was already credited: a replay, from anyone. */
    TRANSFER_SEEN("transfer_seen"),
    /**
     * A direct transfer whose transaction, on chain, failed, was sent by someone else than the peer, or does
     * not pay this node exactly the stated amount of the stated asset.
     */
    TRANSFER_MISMATCH("transfer_mismatch");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The snake_case string that peers and API clients match on. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
