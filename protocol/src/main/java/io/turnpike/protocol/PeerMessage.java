package io.turnpike.protocol;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.Withdraw;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Signature;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything two Turnpike nodes say to each other, one message per WebSocket text frame; docs/protocol.md
 * shows each on the wire. A record only holds values its wire form allows, so a decoded message is a checked
 * one. Whether it makes sense (the right channel, a newer proof) is for the node to decide.
 */
public sealed interface PeerMessage {

    /** The wire {@code type}. */
    String type();

    /** Opens the handshake: who the sender is, where it pays, and a fresh challenge for the other side to sign. */
    record Hello(Address address, long chainId, Address contract, Bytes32 challenge) implements PeerMessage {
        public Hello {
            Objects.requireNonNull(address, "address");
            Wire.atLeast("chainId", chainId, 1);
            Objects.requireNonNull(contract, "contract");
            Objects.requireNonNull(challenge, "challenge");
        }

        @Override
        public String type() {
            return "hello";
        }
    }

    /** The sender's signature over the other side's challenge (an EIP-712 {@code Handshake}). */
    record Auth(Signature signature) implements PeerMessage {
        public Auth {
            Objects.requireNonNull(signature, "signature");
        }

        @Override
        public String type() {
            return "auth";
        }
    }

    /**
     * A provider's terms: each of the {@code services} it sells, with its unit and its price per unit in
     * {@code asset}; the client pays by {@code paymentThreshold}, whatever services its debt comes from; a free
     * allowance refills at {@code refreshRate} per second; a client over its debt limit still gets
     * {@code freeTierRate} units per second; {@code tiers} are the named rates a {@code throttle} can put a client in.
     */
    record Offer(List<ServiceTerms> services, Asset asset, Amount paymentThreshold, Amount refreshRate,
                 long freeTierRate, List<Tier> tiers) implements PeerMessage {
        public Offer {
            services = List.copyOf(services);
            if (services.isEmpty() || services.size() > Wire.MAX_SERVICES) {
                throw new IllegalArgumentException("an offer lists 1 to " + Wire.MAX_SERVICES + " services, got "
                        + services.size());
            }
            Set<String> sold = new HashSet<>();
            for (ServiceTerms terms : services) {
                if (!sold.add(terms.service())) {
                    throw new IllegalArgumentException("service '" + terms.service() + "' is listed twice");
                }
            }
            Objects.requireNonNull(asset, "asset");
            Wire.symbol("asset.symbol", asset.symbol());
            Objects.requireNonNull(paymentThreshold, "paymentThreshold");
            Objects.requireNonNull(refreshRate, "refreshRate");
            Wire.atLeast("freeTierRate", freeTierRate, 0);
            tiers = List.copyOf(tiers);
            if (tiers.size() > Wire.MAX_TIERS) {
                throw new IllegalArgumentException(
                        "an offer has at most " + Wire.MAX_TIERS + " tiers, got " + tiers.size());
            }
            Set<String> names = new HashSet<>();
            for (Tier tier : tiers) {
                if (!names.add(tier.name())) {
                    throw new IllegalArgumentException("tier '" + tier.name() + "' is listed twice");
                }
            }
        }

        @Override
        public String type() {
            return "offer";
        }

        /** The terms of {@code service}, if this offer sells it. */
        public Optional<ServiceTerms> terms(String service) {
            return services.stream().filter(t -> t.service().equals(service)).findFirst();
        }

        /**
         * One service sold: {@code pricePerUnit} of the offer's asset per {@code unit}. A service whose units are
         * counted per request by a table ({@code rpc}: cost units per method) lists that table in {@code costs}, so the
         * client can tell before it sends what a request may cost; empty for the others, and from a peer that does
         * not send it (the client then assumes the service's default table).
         */
        public record ServiceTerms(String service, String unit, Amount pricePerUnit, List<Cost> costs) {
            public ServiceTerms {
                Wire.name("service", service);
                Wire.name("unit", unit);
                Objects.requireNonNull(pricePerUnit, "pricePerUnit");
                costs = List.copyOf(costs);
                if (costs.size() > Wire.MAX_COSTS) {
                    throw new IllegalArgumentException("a service lists at most " + Wire.MAX_COSTS + " costs, got "
                            + costs.size());
                }
                Set<String> priced = new HashSet<>();
                for (Cost cost : costs) {
                    if (!priced.add(cost.item())) {
                        throw new IllegalArgumentException("cost of '" + cost.item() + "' is listed twice");
                    }
                }
            }

            /** A service with no cost table. */
            public ServiceTerms(String service, String unit, Amount pricePerUnit) {
                this(service, unit, pricePerUnit, List.of());
            }
        }

        /**
         * What one {@code item} costs in the service's units: {@code base + perItem × N}. For {@code rpc} the item is
         * a method ({@code eth_getLogs}, N the blocks it spans) or a subscription's notifications
         * ({@code eth_subscription.logs}, N the logs each carries).
         */
        public record Cost(String item, long base, long perItem) {
            public Cost {
                Wire.costItem("cost item", item);
                Wire.atLeast("cost base", base, 0);
                Wire.atLeast("cost perItem", perItem, 0);
            }
        }

        /** A named service level, {@code rate} units per second. */
        public record Tier(String name, long rate) {
            public Tier {
                Wire.name("tier name", name);
                Wire.atLeast("tier rate", rate, 1);
            }
        }
    }

    /**
     * Announces a channel, and on every reconnect resyncs it: the newest nonce the sender signed
     * ({@code sentNonce}) and the newest nonce of the partner's proofs it holds ({@code receivedNonce}).
     */
    record ChannelSync(long channelId, long chainId, Address contract, long sentNonce, long receivedNonce)
            implements PeerMessage {
        public ChannelSync {
            Wire.atLeast("channelId", channelId, 1);
            Wire.atLeast("chainId", chainId, 1);
            Objects.requireNonNull(contract, "contract");
            Wire.atLeast("sentNonce", sentNonce, 0);
            Wire.atLeast("receivedNonce", receivedNonce, 0);
        }

        @Override
        public String type() {
            return "channel";
        }
    }

    /** A payment: the payer's newest balance proof, cumulative, so it supersedes every earlier one. */
    record Pay(Signed<BalanceProof> proof) implements PeerMessage {
        public Pay {
            Objects.requireNonNull(proof, "proof");
        }

        @Override
        public String type() {
            return "pay";
        }
    }

    /** What the receiver now credits in a channel: the proof it accepted ({@code nonce}) and its total. */
    record Receipt(long channelId, long nonce, Amount credited) implements PeerMessage {
        public Receipt {
            Wire.atLeast("channelId", channelId, 1);
            Wire.atLeast("nonce", nonce, 0);
            Objects.requireNonNull(credited, "credited");
        }

        @Override
        public String type() {
            return "receipt";
        }
    }

    /**
     * One side's view of the client's account, in the offer's asset: priced use, payments, unpaid debt, and the use
     * itemised per service ({@code units} of it, and what they cost). The provider sends it periodically; the client
     * sends its own on every (re)connection.
     */
    record Statement(Amount used, Amount paid, Amount debt, List<ServiceUsage> services) implements PeerMessage {
        public Statement {
            Objects.requireNonNull(used, "used");
            Objects.requireNonNull(paid, "paid");
            Objects.requireNonNull(debt, "debt");
            services = List.copyOf(services);
            if (services.size() > Wire.MAX_SERVICES) {
                throw new IllegalArgumentException("a statement itemises at most " + Wire.MAX_SERVICES
                        + " services, got " + services.size());
            }
        }

        /** A statement that does not itemise. */
        public Statement(Amount used, Amount paid, Amount debt) {
            this(used, paid, debt, List.of());
        }

        @Override
        public String type() {
            return "statement";
        }

        /** What one service was used for: {@code units} of it, costing {@code used}. */
        public record ServiceUsage(String service, long units, Amount used) {
            public ServiceUsage {
                Wire.name("service", service);
                Wire.atLeast("units", units, 0);
                Objects.requireNonNull(used, "used");
            }
        }
    }

    /** The provider moved the client to {@code tier}, served at {@code rate} units per second. */
    record Throttle(String tier, long rate) implements PeerMessage {
        public Throttle {
            Wire.name("tier", tier);
            Wire.atLeast("rate", rate, 0);
        }

        @Override
        public String type() {
            return "throttle";
        }
    }

    /** The client asks for a credential for {@code service} (the relay's SOCKS5 password). */
    record SessionRequest(String service) implements PeerMessage {
        public SessionRequest {
            Wire.name("service", service);
        }

        @Override
        public String type() {
            return "session.request";
        }
    }

    /**
     * What capacity of {@code service} each prepaid balance (in the asset's smallest unit, what a channel would still
     * cover) would buy now, before the sender opens a channel or while it holds one; answered with a
     * {@code capacity.quote} in the same order.
     */
    record CapacityQuery(String service, List<Amount> amounts) implements PeerMessage {
        public CapacityQuery {
            Wire.name("service", service);
            amounts = List.copyOf(amounts);
            Wire.atLeast("amounts", amounts.size(), 1);
            if (amounts.size() > Wire.MAX_QUOTES) {
                throw new IllegalArgumentException("amounts holds at most " + Wire.MAX_QUOTES + ", got "
                        + amounts.size());
            }
        }

        @Override
        public String type() {
            return "capacity.query";
        }
    }

    /** The capacity, in the service's units per second, each amount of a {@code capacity.query} would buy now. */
    record CapacityQuote(String service, List<Long> capacities) implements PeerMessage {
        public CapacityQuote {
            Wire.name("service", service);
            capacities = List.copyOf(capacities);
            if (capacities.size() > Wire.MAX_QUOTES) {
                throw new IllegalArgumentException("capacities holds at most " + Wire.MAX_QUOTES + ", got "
                        + capacities.size());
            }
            capacities.forEach(capacity -> Wire.atLeast("capacities[]", capacity, 0));
        }

        @Override
        public String type() {
            return "capacity.quote";
        }
    }

    /** The credential for {@code service}, valid for the authenticated peer while this connection lasts. */
    record SessionToken(String service, String token) implements PeerMessage {
        public SessionToken {
            Wire.name("service", service);
            Wire.token("token", token);
        }

        @Override
        public String type() {
            return "session.token";
        }

        /** The token stays out of logs. */
        @Override
        public String toString() {
            return "SessionToken[service=" + service + ", token=…]";
        }
    }

    /** A direct on-chain payment the sender made, for the receiver to confirm on chain and credit. */
    record Transfer(Bytes32 txHash, Amount amount, Asset asset) implements PeerMessage {
        public Transfer {
            Objects.requireNonNull(txHash, "txHash");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(asset, "asset");
            Wire.symbol("asset.symbol", asset.symbol());
        }

        @Override
        public String type() {
            return "transfer";
        }
    }

    /** Proposes a cooperative settle, signed by the proposer. */
    record SettleRequest(Signed<CooperativeSettle> settle) implements PeerMessage {
        public SettleRequest {
            Objects.requireNonNull(settle, "settle");
        }

        @Override
        public String type() {
            return "settle.request";
        }
    }

    /** The partner's counter-signature on a proposed cooperative settle. */
    record SettleSign(Signed<CooperativeSettle> settle) implements PeerMessage {
        public SettleSign {
            Objects.requireNonNull(settle, "settle");
        }

        @Override
        public String type() {
            return "settle.sign";
        }
    }

    /** Asks the partner to co-sign a withdrawal, signed by the requester. */
    record WithdrawRequest(Signed<Withdraw> withdraw) implements PeerMessage {
        public WithdrawRequest {
            Objects.requireNonNull(withdraw, "withdraw");
        }

        @Override
        public String type() {
            return "withdraw.request";
        }
    }

    /** The partner's counter-signature on a requested withdrawal. */
    record WithdrawSign(Signed<Withdraw> withdraw) implements PeerMessage {
        public WithdrawSign {
            Objects.requireNonNull(withdraw, "withdraw");
        }

        @Override
        public String type() {
            return "withdraw.sign";
        }
    }

    /**
     * A refusal: the stable {@code code} a program matches on and a sentence for a person. The code is kept
     * as text because a newer peer may send one this node does not know.
     */
    record ErrorMessage(String code, String message) implements PeerMessage {
        public ErrorMessage {
            Wire.code("code", code);
            Wire.text("message", message);
        }

        /** The wire form of a refusal, its message cut to what the protocol carries. */
        public static ErrorMessage of(ErrorCode code, String message) {
            String text = Objects.requireNonNullElse(message, code.code());
            return new ErrorMessage(code.code(),
                    text.length() <= Wire.MAX_TEXT_LENGTH ? text : text.substring(0, Wire.MAX_TEXT_LENGTH - 1) + "…");
        }

        public static ErrorMessage of(TurnpikeException refusal) {
            return of(refusal.code(), refusal.getMessage());
        }

        @Override
        public String type() {
            return "error";
        }
    }
}
