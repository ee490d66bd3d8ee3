package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * Signed by a mailbox's owner to delete, at one provider, every envelope whose id is at most {@code through}: what it
 * has read, since ids only grow. {@code provider}, {@code expiry} (unix seconds) and {@code nonce} as in
 * {@link MailboxFetch}.
 */
public record MailboxDelete(Address provider, Address mailbox, long through, long expiry, Bytes32 nonce)
        implements TypedMessage {

    private static final byte[] TYPE_HASH = StructHasher.typeHash("MailboxDelete(address provider,address mailbox,"
            + "uint256 through,uint256 expiry,bytes32 nonce)");

    public MailboxDelete {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(nonce, "nonce");
        ChannelFields.requireNonNegative("through", through);
        ChannelFields.requireNonNegative("expiry", expiry);
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH).address(provider).address(mailbox).uint256(through).uint256(expiry)
                .bytes32(nonce).hash();
    }
}
