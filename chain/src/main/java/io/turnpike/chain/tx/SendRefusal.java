package io.turnpike.chain.tx;

import java.util.List;
import java.util.Locale;

/**
 * What a node's refusal of eth_sendRawTransaction means for the transaction. Nodes word these
 * differently (geth, Nethermind, Erigon, anvil, hosted providers), so several phrasings map to each; an
 * unknown refusal is AMBIGUOUS and the transaction is kept and looked up, never given up or re-signed.
 */
enum SendRefusal {
    /** The node already has these bytes: the send worked. */
    ALREADY_KNOWN(List.of("already known", "known transaction", "already imported", "alreadyknown",
            "already exists")),
    /** The nonce is used: maybe by this very transaction (an earlier send that did arrive). */
    NONCE_USED(List.of("nonce too low", "nonce is too low", "oldnonce", "nonce has already been used")),
    /** The fees are too low for the pool or for the transaction it would replace: replace with higher fees. */
    UNDERPRICED(List.of("underpriced", "fee too low", "feetoolow", "less than block base fee",
            "max fee per gas less than", "gas price too low", "gasprice too low")),
    /** A clear refusal that no retry with the same bytes can cure. */
    REJECTED(List.of("insufficient funds", "intrinsic gas too low", "exceeds block gas limit", "gas limit reached",
            "invalid sender", "invalid chain id", "exceeds the configured cap", "oversized data")),
    AMBIGUOUS(List.of());

    private final List<String> phrases;

    SendRefusal(List<String> phrases) {
        this.phrases = phrases;
    }

    static SendRefusal of(String reason) {
        String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
        for (SendRefusal refusal : values()) {
            if (refusal.phrases.stream().anyMatch(text::contains)) {
                return refusal;
            }
        }
        return AMBIGUOUS;
    }
}
