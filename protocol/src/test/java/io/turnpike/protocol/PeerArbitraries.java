package io.turnpike.protocol;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.TypedMessage;
import io.turnpike.core.channel.Withdraw;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.CapacityQuery;
import io.turnpike.protocol.PeerMessage.CapacityQuote;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.SessionToken;
import io.turnpike.protocol.PeerMessage.SettleRequest;
import io.turnpike.protocol.PeerMessage.SettleSign;
import io.turnpike.protocol.PeerMessage.Statement;
import io.turnpike.protocol.PeerMessage.Throttle;
import io.turnpike.protocol.PeerMessage.Transfer;
import io.turnpike.protocol.PeerMessage.WithdrawRequest;
import io.turnpike.protocol.PeerMessage.WithdrawSign;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.domains.DomainContextBase;

/** Every peer message with any value its wire form allows, bounds and odd text included. */
public class PeerArbitraries extends DomainContextBase {

    private static final String NAME_TAIL = "abcdefghijklmnopqrstuvwxyz0123456789_";
    private static final String TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

    static Arbitrary<Amount> amounts() {
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, Amount.MAX_UINT256).map(Amount::of);
    }

    static Arbitrary<Long> ids() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE);
    }

    static Arbitrary<Long> counts() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    static Arbitrary<Address> addresses() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Address.LENGTH).map(Address::fromBytes);
    }

    static Arbitrary<Bytes32> bytes32s() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Bytes32.LENGTH).map(Bytes32::of);
    }

    static Arbitrary<String> names() {
        return Combinators.combine(Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings().withChars(NAME_TAIL).ofMaxLength(31))
                .as((head, tail) -> head + tail);
    }

    /** Methods and notifications as a cost table names them: {@code eth_getLogs}, {@code eth_subscription.logs}. */
    static Arbitrary<String> costItems() {
        return Combinators.combine(Arbitraries.chars().range('a', 'z'),
                        Arbitraries.strings().alpha().numeric().withChars('_', '.').ofMaxLength(63))
                .as((head, tail) -> head + tail);
    }

    static Arbitrary<Asset> assets() {
        return Combinators.combine(Arbitraries.strings().withCharRange('!', '~').ofMinLength(1).ofMaxLength(32),
                addresses(), Arbitraries.integers().between(0, 77)).as(Asset::new);
    }

    /** Any text a person could read, escapes and non-Latin scripts included; no lone surrogates. */
    static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange('\u0000', '\ud7ff').withCharRange('\ue000', '\ufffd')
                .ofMaxLength(1024);
    }

    /** A real signature: signed by one of the fixture keys over a random digest, so it is canonical. */
    static <M extends TypedMessage> Arbitrary<Signed<M>> signed(Arbitrary<M> messages) {
        return Combinators.combine(messages, Arbitraries.of(PeerFixtures.ALICE, PeerFixtures.BOB, PeerFixtures.MALLORY))
                .as((message, key) -> Signed.sign(message, PeerFixtures.DOMAIN, key));
    }

    @Provide
    public Arbitrary<PeerMessage> peerMessage() {
        return Arbitraries.oneOf(
                Combinators.combine(addresses(), ids(), addresses(), bytes32s()).as(Hello::new),
                Arbitraries.bytes().array(byte[].class).ofSize(32)
                        .map(digest -> new Auth(PeerFixtures.ALICE.sign(digest))),
                offers(),
                Combinators.combine(ids(), ids(), addresses(), counts(), counts()).as(ChannelSync::new),
                signed(Combinators.combine(ids(), counts(), amounts()).as(BalanceProof::new)).map(Pay::new),
                Combinators.combine(ids(), counts(), amounts()).as(Receipt::new),
                Combinators.combine(amounts(), amounts(), amounts(),
                        Combinators.combine(names(), counts(), amounts()).as(Statement.ServiceUsage::new).list()
                                .ofMaxSize(Wire.MAX_SERVICES)).as(Statement::new),
                Combinators.combine(names(), counts()).as(Throttle::new),
                names().map(SessionRequest::new),
                Combinators.combine(names(), amounts().list().ofMinSize(1).ofMaxSize(Wire.MAX_QUOTES))
                        .as(CapacityQuery::new),
                Combinators.combine(names(), counts().list().ofMaxSize(Wire.MAX_QUOTES)).as(CapacityQuote::new),
                Combinators.combine(names(), Arbitraries.strings().withChars(TOKEN_CHARS).ofMinLength(16)
                        .ofMaxLength(255)).as(SessionToken::new),
                Combinators.combine(bytes32s(), amounts(), assets()).as(Transfer::new),
                settles().map(SettleRequest::new),
                settles().map(SettleSign::new),
                withdrawals().map(WithdrawRequest::new),
                withdrawals().map(WithdrawSign::new),
                Combinators.combine(Arbitraries.of(ErrorCode.values()).map(ErrorCode::code), text())
                        .as(ErrorMessage::new));
    }

    private static Arbitrary<Offer> offers() {
        Arbitrary<Offer.Tier> tier = Combinators.combine(names(), ids()).as(Offer.Tier::new);
        Arbitrary<Offer.Cost> cost = Combinators.combine(costItems(), counts(), counts()).as(Offer.Cost::new);
        Arbitrary<Offer.ServiceTerms> terms = Combinators.combine(names(), names(), amounts(),
                        cost.list().ofMaxSize(Wire.MAX_COSTS).uniqueElements(Offer.Cost::item))
                .as(Offer.ServiceTerms::new);
        return Combinators.combine(terms.list().ofMinSize(1).ofMaxSize(Wire.MAX_SERVICES)
                                .uniqueElements(Offer.ServiceTerms::service), assets(), amounts(), amounts(), counts(),
                        tier.list().ofMaxSize(Wire.MAX_TIERS).uniqueElements(Offer.Tier::name))
                .as(Offer::new);
    }

    private static Arbitrary<Signed<CooperativeSettle>> settles() {
        return signed(Combinators.combine(ids(), amounts(), amounts()).as(CooperativeSettle::new));
    }

    private static Arbitrary<Signed<Withdraw>> withdrawals() {
        return signed(Combinators.combine(ids(), addresses(), amounts(), counts()).as(Withdraw::new));
    }
}
