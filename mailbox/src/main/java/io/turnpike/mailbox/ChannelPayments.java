package io.turnpike.mailbox;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;

/**
 * Mailboxes paid per message-byte over a channel (DESIGN §6, the services interface): the node tells each owner's
 * standing, and is told the bytes stored for it, which it prices and adds to the owner's debt.
 */
public interface ChannelPayments {

    /** No mailbox is paid over a channel. */
    ChannelPayments NONE = new ChannelPayments() {
        @Override
        public Standing standing(Address owner) {
            return Standing.NONE;
        }

        @Override
        public void stored(Address owner, long bytes) {
            throw new IllegalStateException("no mailbox is paid over a channel here, so none is metered");
        }
    };

    /** {@code PAID}: deliveries to {@code owner} are taken and metered; anything else takes none. */
    Standing standing(Address owner);

    /** {@code bytes} more were stored, durably, in {@code owner}'s mailbox; any thread, never blocks. */
    void stored(Address owner, long bytes);
}
