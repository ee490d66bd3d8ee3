package io.turnpike.core.channel;

import static io.turnpike.core.testing.Web3jOracle.Field.address;
import static io.turnpike.core.testing.Web3jOracle.Field.bytes32;
import static io.turnpike.core.testing.Web3jOracle.Field.uint256;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.testing.TurnpikeArbitraries;
import io.turnpike.core.testing.Web3jOracle;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

/** A mailbox owner's signed requests hash as any EIP-712 wallet would hash them (web3j's encoder as the oracle). */
@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class MailboxMessagesTest {

    @Property
    void mailboxFetchDigestMatchesWeb3jTypedData(@ForAll Address provider, @ForAll Address mailbox,
                                                 @ForAll @LongRange(min = 0) long after,
                                                 @ForAll @LongRange(min = 0, max = 1000) long limit,
                                                 @ForAll @LongRange(min = 0) long expiry, @ForAll Bytes32 nonce,
                                                 @ForAll Eip712Domain domain) {
        MailboxFetch fetch = new MailboxFetch(provider, mailbox, after, limit, expiry, nonce);
        byte[] expected = Web3jOracle.typedDataDigest(domain, "MailboxFetch", List.of(
                address("provider", provider), address("mailbox", mailbox), uint256("after", after),
                uint256("limit", limit), uint256("expiry", expiry), bytes32("nonce", nonce)));

        assertThat(domain.digest(fetch)).isEqualTo(expected);
    }

    @Property
    void mailboxDeleteDigestMatchesWeb3jTypedData(@ForAll Address provider, @ForAll Address mailbox,
                                                  @ForAll @LongRange(min = 0) long through,
                                                  @ForAll @LongRange(min = 0) long expiry, @ForAll Bytes32 nonce,
                                                  @ForAll Eip712Domain domain) {
        MailboxDelete delete = new MailboxDelete(provider, mailbox, through, expiry, nonce);
        byte[] expected = Web3jOracle.typedDataDigest(domain, "MailboxDelete", List.of(
                address("provider", provider), address("mailbox", mailbox), uint256("through", through),
                uint256("expiry", expiry), bytes32("nonce", nonce)));

        assertThat(domain.digest(delete)).isEqualTo(expected);
    }
}
