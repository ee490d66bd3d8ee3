package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import java.util.Objects;

/**
 * A typed message with its signature. The signer is not stored: it is recovered against a domain, so
 * a signature only ever counts for the chain and contract it was made for.
 */
public record Signed<M extends TypedMessage>(M message, Signature signature) {

    public Signed {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(signature, "signature");
    }

    public static <M extends TypedMessage> Signed<M> sign(M message, Eip712Domain domain, PrivateKey key) {
        return new Signed<>(message, key.sign(domain.digest(message)));
    }

    /** The address that signed this message in {@code domain}; throws INVALID_SIGNATURE if there is none. */
    public Address signer(Eip712Domain domain) {
        return signature.recover(domain.digest(message));
    }

    /** Whether {@code expected} signed this message in {@code domain}; an unrecoverable signature is signed by no one. */
    public boolean isSignedBy(Address expected, Eip712Domain domain) {
        try {
            return signer(domain).equals(expected);
        } catch (TurnpikeException unrecoverable) {
            return false;
        }
    }
}
