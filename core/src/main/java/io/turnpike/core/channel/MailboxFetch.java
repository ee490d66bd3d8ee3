package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * Signed by a mailbox's owner to read its envelopes at one provider: those with an id above {@code after}, at most
 * {@code limit} of them. {@code provider} keeps another provider from replaying it; {@code expiry} (unix seconds) and
 * the random {@code nonce} let the provider refuse it a second time without remembering it for ever.
 */
public record MailboxFetch(Address provider, Address mailbox, long after, long limit, long expiry, Bytes32 nonce)
        implements TypedMessage {

    private static final byte[] TYPE_HASH = StructHasher.typeHash("MailboxFetch(address provider,address mailbox,"
            + "uint256 after,uint256 limit,uint256 expiry,bytes32 nonce)");

    public MailboxFetch {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(nonce, "nonce");
        ChannelFields.requireNonNegative("after", after);
        ChannelFields.requireNonNegative("limit", limit);
        ChannelFields.requireNonNegative("expiry", expiry);
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH).address(provider).address(mailbox).uint256(after).uint256(limit)
                .uint256(expiry).bytes32(nonce).hash();
    }
}
