package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.Objects;
import java.util.Optional;

/**
 * An EIP-3009 authorization a paywall took as payment: who pays whom how much, and, once its settlement was sent,
 * the transaction that carries it.
 */
public record PaywallAuthorization(Key key, Address payTo, Amount amount, Optional<Bytes32> txHash) {

    /** What names an authorization on chain: the token counts each payer's nonce once. */
    public record Key(long chainId, Address token, Address payer, Bytes32 nonce) {
        public Key {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(payer, "payer");
            Objects.requireNonNull(nonce, "nonce");
        }
    }

    public PaywallAuthorization {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payTo, "payTo");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(txHash, "txHash");
    }
}
