package io.turnpike.mailbox;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/** What a mailbox may do now, as {@link MailboxAccess} decides it. */
public sealed interface Access {

    /** Why a mailbox is open. */
    enum Basis {
        /** The provider serves everyone. */
        FREE,
        /** A confirmed subscription to one of the provider's plans that has not expired. */
        SUBSCRIPTION,
        /** The owner pays per message-byte over a channel and is within its debt limit. */
        CHANNEL
    }

    /** Deliveries are taken and the owner reads; {@code until} is when its subscription expires, if that is the basis. */
    record Open(MailboxTerms terms, Basis basis, OptionalLong planId, Optional<Instant> until) implements Access {
    }

    /** The subscription to {@code planId} expired: the owner may read and delete until {@code eraseAt}; no deliveries. */
    record Grace(MailboxTerms terms, long planId, Instant expiredAt, Instant eraseAt) implements Access {
    }

    /** Nothing is served; {@code lapsed} says which subscription ran out and when its mail was erased, if one did. */
    record Closed(Optional<Lapse> lapsed) implements Access {
    }

    /** A subscription that expired, and the moment its grace period ended. */
    record Lapse(long planId, Instant expiredAt, Instant erasedAt) {
    }
}
