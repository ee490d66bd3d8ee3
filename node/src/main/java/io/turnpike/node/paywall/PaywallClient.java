package io.turnpike.node.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.paywall.ExactAuthorization;
import io.turnpike.paywall.PaymentOffer;
import io.turnpike.paywall.PaymentRequirements;
import io.turnpike.paywall.X402;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Fetches a URL and, when it answers {@code 402}, pays it as an x402 client would (docs/paywall.md, Client) — v2 when
 * the 402 has {@code PAYMENT-REQUIRED}, else v1 from its JSON body ({@code X-PAYMENT}): with
 * {@code turnpike-channel} when this node has an open channel to the payee that can pay, else with {@code exact},
 * an EIP-3009 authorization signed with the node's key — always in the node's asset, on its chain, and within the
 * caps, counted in the commit that writes the payment down, before anything leaves. A price above a cap, or offers this node cannot pay, are refused
 * with a code and nothing is paid.
 */
public final class PaywallClient {

    /** How long before now an authorization is valid from: the payee's clock may run behind. */
    private static final long VALID_FROM_BEFORE_SECONDS = 60;

    /**
     * What a paid request cost.
     *
     * @param transaction the settlement, for {@code exact}, once the paywall reports it
     * @param channelId the channel paid through, for {@code turnpike-channel}
     */
    public record Receipt(String scheme, Amount amount, Address payTo, Optional<Bytes32> transaction,
                          Optional<Long> channelId) {

        /** One line for the terminal: {@code paid 1000 with exact to 0x… (transaction 0x…)}. */
        public String line(Asset asset) {
            return "paid " + amount + " (" + asset.format(amount) + ") with " + scheme + " to " + payTo
                    + transaction.map(tx -> ", transaction " + tx).orElse("")
                    + channelId.map(id -> ", channel " + id).orElse("");
        }
    }

    /** The answer to the request: the final one, after a payment if there was a 402. */
    public record Answer(int status, Optional<String> contentType, byte[] body, Optional<Receipt> paid) {
    }

    private final PrivateKey key;
    private final long chainId;
    private final Asset asset;
    private final Optional<Address> channelContract;
    private final Optional<ChannelPurse> channels;
    private final DailySpending spending;
    private final Clock clock;
    private final SecureRandom random;
    private final HttpClient http;
    /**
     * What each payee last said this node has with it as credit, beyond what its requests used: the next channel
     * payment to it signs that much less. In memory: a client that forgot it pays in full, and the payee keeps the
     * surplus as credit all the same.
     */
    private final Map<Address, Amount> credit = new ConcurrentHashMap<>();
    /**
     * The {@code turnpike-channel} terms each path was last paid on, so that the next request to it pays at once. In
     * memory: a client that forgot them asks with a 402 first, as the first time.
     */
    private final Map<String, PaymentOffer> channelTerms = new ConcurrentHashMap<>();

    /**
     * @param channelContract this node's channel contract: a {@code turnpike-channel} offer naming another is not
     *     paid through it; empty with {@code channels}
     * @param spending the day's spending, in the node's store
     */
    public PaywallClient(PrivateKey key, long chainId, Asset asset, Optional<Address> channelContract,
                         Optional<ChannelPurse> channels, DailySpending spending, Clock clock, SecureRandom random) {
        this.key = key;
        this.chainId = chainId;
        this.asset = asset;
        this.channelContract = channelContract;
        this.channels = channels;
        this.spending = spending;
        this.clock = clock;
        this.random = random;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** What paywalls were paid today (UTC), counted against the day's cap. */
    public Amount spentToday() {
        return spending.spentToday();
    }

    /**
     * Sends {@code request} and, on a 402, pays and sends it again. A path this node has paid by channel before is
     * paid in its first request, on the terms its paywall last asked: one round trip instead of two. Terms that
     * changed meanwhile are answered with a 402 carrying the new ones, which are paid once more as any 402 is; the
     * proof the paywall did not take is part of the next one, which is cumulative, so it is not paid twice.
     *
     * @throws TurnpikeException {@code spending_cap_exceeded} or {@code no_payable_offer} (nothing paid); the
     *     paywall's own code if it refused the payment; {@code upstream_unavailable} if the URL cannot be reached
     */
    public Answer fetch(HttpRequest request, NodeConfig.PaywallCaps caps) {
        String path = pathOf(request.uri());
        Optional<PaymentOffer> known = Optional.ofNullable(channelTerms.get(path))
                .filter(offer -> channels.orElseThrow().canPay(offer.terms().payTo(), toSign(offer.terms())));
        HttpResponse<byte[]> first;
        if (known.isPresent()) {
            Paid paid = pay(request, known.get(), true, caps);
            if (paid.response().statusCode() != 402) {
                return paid.answer();
            }
            channelTerms.remove(path);
            first = paid.response();
        } else {
            first = send(request);
            if (first.statusCode() != 402) {
                return answer(first, Optional.empty());
            }
        }
        // v2's header when the paywall sends it (it may send v1's body too); else a v1 paywall's JSON body.
        List<PaymentOffer> offers = first.headers().firstValue(X402.PAYMENT_REQUIRED)
                .map(PaymentOffer::fromPaymentRequired)
                .orElseGet(() -> PaymentOffer.fromV1Body(first.body()));
        Optional<PaymentOffer> channel = offers.stream().filter(this::channelOffer)
                .filter(offer -> channels.orElseThrow().canPay(offer.terms().payTo(), toSign(offer.terms())))
                .findFirst();
        Optional<PaymentOffer> exact = offers.stream().filter(this::exactOffer).findFirst();
        PaymentOffer chosen = channel.or(() -> exact).orElseThrow(() -> unpayable(request.uri(), offers));
        Paid paid = pay(request, chosen, channel.isPresent(), caps);
        if (paid.response().statusCode() == 402) {
            throw refused(request.uri(), paid.response());
        }
        if (channel.isPresent()) {
            channelTerms.put(path, chosen);
        }
        return paid.answer();
    }

    /** A request sent with a payment: the paywall's response, and what was paid unless it answered 402. */
    private record Paid(HttpResponse<byte[]> response, Optional<Receipt> receipt) {

        Answer answer() {
            return PaywallClient.answer(response, receipt);
        }
    }

    /** Pays {@code offer} for {@code request} and sends it; a channel payment is booked unless refused. */
    private Paid pay(HttpRequest request, PaymentOffer offer, boolean byChannel, NodeConfig.PaywallCaps caps) {
        PaymentRequirements terms = offer.terms();
        Amount signed = byChannel ? toSign(terms) : terms.amount();
        String what = request.uri().toString();
        String payment;
        Optional<Long> channelId = Optional.empty();
        if (byChannel) {
            // The day's spending, the proof and the ledger's used in one commit, before the proof leaves.
            Signed<BalanceProof> proof = channels.orElseThrow().pay(terms.payTo(), signed,
                            spending.spend(signed, caps, what))
                    .orElseThrow(() -> unpayable(request.uri(), List.of(offer))); // spent meanwhile by the node itself
            payment = offer.payment(proof);
            channelId = Optional.of(proof.message().channelId());
        } else {
            spending.spendAlone(signed, caps, what);
            payment = offer.payment(authorize(terms));
        }
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(request, (name, value) -> true)
                .header(offer.paymentHeader(), payment).build());
        if (response.statusCode() == 402) {
            credit.remove(terms.payTo()); // if the credit counted on is not there, the next proof pays it all
            if (byChannel) {
                channels.orElseThrow().refused(terms.payTo(), signed);
            }
            return new Paid(response, Optional.empty());
        }
        Optional<JsonObjectReader> settlement = response.headers().firstValue(offer.responseHeader())
                .map(X402::decode);
        if (byChannel) {
            book(terms, signed, settlement);
        }
        Optional<Bytes32> transaction = settlement.map(s -> s.string("transaction"))
                .filter(hash -> !hash.isEmpty()).map(Bytes32::fromHex);
        return new Paid(response, Optional.of(new Receipt(terms.scheme(), signed, terms.payTo(), transaction,
                channelId)));
    }

    /** The paid path a request is for: its paywall's terms are per path, whatever the query. */
    private static String pathOf(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority() + url.getRawPath();
    }

    /**
     * What a channel payment signs for {@code terms}: its maximum less the credit the payee last said this node has
     * with it, and at least 1, since each request needs a newer proof.
     */
    private Amount toSign(PaymentRequirements terms) {
        return terms.amount().saturatingMinus(credit.getOrDefault(terms.payTo(), Amount.ZERO)).max(Amount.of(1));
    }

    /**
     * Books what a channel-paid request cost as the paywall's {@code PAYMENT-RESPONSE} says ({@code extra.used},
     * never above the maximum agreed to), and remembers the credit it says is left ({@code extra.credit}). A paywall
     * that says neither is taken to have used what was paid.
     */
    private void book(PaymentRequirements terms, Amount signed, Optional<JsonObjectReader> settlement) {
        Optional<JsonObjectReader> extra = settlement.filter(s -> s.has("extra")).map(s -> s.object("extra"));
        Amount used = extra.flatMap(e -> e.optionalDecimalAmount("used")).map(u -> u.min(terms.amount()))
                .orElse(signed);
        credit.put(terms.payTo(), extra.flatMap(e -> e.optionalDecimalAmount("credit")).orElse(Amount.ZERO));
        channels.orElseThrow().booked(terms.payTo(), used, signed);
    }

    private boolean channelOffer(PaymentOffer offer) {
        PaymentRequirements terms = offer.terms();
        return offer.x402Version() == 2 && terms.scheme().equals(PaymentRequirements.CHANNEL) && ours(terms)
                && channels.isPresent()
                && channelContract.map(contract -> contract.toString().equals(terms.extra().get("contract")))
                .orElse(false);
    }

    private boolean exactOffer(PaymentOffer offer) {
        return offer.terms().scheme().equals(PaymentRequirements.EXACT) && ours(offer.terms());
    }

    /** On this node's chain, in its asset: what its caps are counted in. */
    private boolean ours(PaymentRequirements terms) {
        return terms.chainId() == chainId && !asset.isEther() && terms.asset().equals(asset.token());
    }

    /** An EIP-3009 authorization of the price to the payee, valid from a minute ago for the offer's timeout. */
    private ExactAuthorization authorize(PaymentRequirements terms) {
        long now = clock.instant().getEpochSecond();
        Eip712Domain token = new Eip712Domain(terms.extra().get("name"), terms.extra().get("version"), terms.chainId(),
                terms.asset());
        return ExactAuthorization.sign(key, terms.payTo(), terms.amount(), now - VALID_FROM_BEFORE_SECONDS,
                now + terms.maxTimeoutSeconds(), Bytes32.random(random), token);
    }

    private TurnpikeException unpayable(URI url, List<PaymentOffer> offers) {
        String offered = offers.isEmpty() ? "nothing this client reads"
                : offers.stream().map(o -> o.terms().scheme() + " " + o.terms().amount() + " of " + o.terms().asset()
                        + " on " + o.terms().network()).collect(Collectors.joining("; "));
        return new TurnpikeException(ErrorCode.NO_PAYABLE_OFFER, url + " asks for " + offered + "; this node pays in "
                + asset.symbol() + (asset.isEther() ? "" : " (" + asset.token() + ")") + " on eip155:" + chainId
                + ", by channel only to a payee it has an open channel with. Nothing was paid.");
    }

    /** The paywall's refusal, with its own code when this build knows it. */
    private static TurnpikeException refused(URI url, HttpResponse<byte[]> answer) {
        String code = "";
        String message = "";
        try {
            JsonObjectReader body = JsonObjectReader.parse(answer.body());
            code = body.string("code");
            message = body.string("message");
        } catch (TurnpikeException notJson) {
            // a paywall that writes no Turnpike body: its 402 is all there is
        }
        return new TurnpikeException(ErrorCode.fromCode(code).orElse(ErrorCode.PAYMENT_NOT_SETTLED), url
                + " refused the payment" + (message.isEmpty() ? "" : ": " + message));
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.UPSTREAM_UNAVAILABLE, request.uri() + " cannot be reached ("
                    + e.getMessage() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TurnpikeException(ErrorCode.STOPPING, "interrupted while waiting for " + request.uri());
        }
    }

    private static Answer answer(HttpResponse<byte[]> response, Optional<Receipt> paid) {
        return new Answer(response.statusCode(), response.headers().firstValue("Content-Type"), response.body(), paid);
    }
}
