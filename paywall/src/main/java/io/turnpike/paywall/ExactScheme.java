package io.turnpike.paywall;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.store.PaywallAuthorization;
import io.turnpike.store.PaywallStore;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;

/**
 * x402's {@code exact} scheme on one EVM chain: an EIP-3009 authorization is checked against the requirements, the
 * clock and the chain ({@link #verify}), claimed in the paywall's own records so that no other request can take its
 * nonce ({@link #claim}), and settled by sending {@code transferWithAuthorization} through the provider's transaction
 * manager, which records the transaction before it sends it and sees it to its confirmations ({@link #settle}).
 */
public final class ExactScheme {

    /**
     * Seconds an authorization must still be valid for when it is taken: the settlement must be mined before
     * {@code validBefore}, and a block or two may pass first.
     */
    static final long SETTLEMENT_MARGIN_SECONDS = 6;
    /** Names the custom errors of the test token's refusals; another EIP-3009 token's are reported by the node's words. */
    private static final ContractArtifact TOKEN = ContractArtifact.load("Eip3009Token");

    private final Chain chain;
    private final TransactionManager settler;
    private final PaywallStore store;
    private final Clock clock;

    /**
     * @param settler sends the settlements and pays their gas; its key must be the provider's own
     * @param clock judges the authorizations' validity windows
     */
    public ExactScheme(Chain chain, TransactionManager settler, PaywallStore store, Clock clock) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.settler = Objects.requireNonNull(settler, "settler");
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public long chainId() {
        return chain.chainId();
    }

    /** The address that sends settlements: what {@code GET /supported} lists as the facilitator's signer. */
    public Address settlerAddress() {
        return settler.address();
    }

    /** An authorization that passed every check, for the requirements it pays. */
    record Verified(PaymentRequirements requirements, ExactAuthorization authorization) {
        PaywallAuthorization.Key key() {
            return new PaywallAuthorization.Key(requirements.chainId(), requirements.asset(), authorization.from(),
                    authorization.nonce());
        }
    }

    /**
     * Checks that {@code authorization} pays {@code required} and that the chain would take it now: its recipient,
     * its value, its window, its signature, its nonce (at this paywall and on chain), the payer's balance, and a
     * simulation of the settlement. Reads only; nothing is claimed or sent.
     *
     * @throws PaymentRefused naming the first check it fails
     * @throws TurnpikeException {@code chain_unavailable} if the chain cannot be read: no fault of the payer's
     */
    Verified verify(PaymentRequirements required, ExactAuthorization authorization) {
        if (!authorization.to().equals(required.payTo())) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_exact_evm_payload_recipient_mismatch",
                    "the authorization pays " + authorization.to() + ", not " + required.payTo()
                            + "; sign one to the payTo of the requirements");
        }
        if (authorization.value().isLessThan(required.amount())) {
            throw new PaymentRefused(ErrorCode.PAYMENT_INSUFFICIENT, "invalid_exact_evm_payload_authorization_value",
                    "the authorization pays " + authorization.value() + ", less than the " + required.amount()
                            + " this path asks (the price, or on a per-byte path its maximum)");
        }
        BigInteger now = BigInteger.valueOf(clock.instant().getEpochSecond());
        if (now.compareTo(authorization.validAfter().value()) <= 0) {
            throw new PaymentRefused(ErrorCode.PAYMENT_EXPIRED, "invalid_exact_evm_payload_authorization_valid_after",
                    "the authorization is valid only after " + authorization.validAfter() + " and it is " + now
                            + "; sign one valid now");
        }
        if (now.add(BigInteger.valueOf(SETTLEMENT_MARGIN_SECONDS)).compareTo(authorization.validBefore().value()) >= 0) {
            throw new PaymentRefused(ErrorCode.PAYMENT_EXPIRED, "invalid_exact_evm_payload_authorization_valid_before",
                    "the authorization expires at " + authorization.validBefore() + " and it is " + now + "; it must "
                            + "stay valid " + SETTLEMENT_MARGIN_SECONDS + " s more to be settled, sign a new one");
        }
        Eip712Domain domain = new Eip712Domain(required.extra().get("name"), required.extra().get("version"),
                required.chainId(), required.asset());
        if (!signedBy(authorization, domain)) {
            throw new PaymentRefused(ErrorCode.PAYMENT_SIGNATURE_INVALID, "invalid_exact_evm_payload_signature",
                    "the authorization is not signed by " + authorization.from() + " in the domain of token "
                            + required.asset() + " (" + domain.name() + " " + domain.version() + ") on chain "
                            + required.chainId());
        }
        Verified verified = new Verified(required, authorization);
        if (store.find(verified.key()).isPresent()) {
            throw replayed(authorization, "this paywall already took it");
        }
        return onChain(() -> {
            if (authorizationUsed(required.asset(), authorization)) {
                throw replayed(authorization, "the token already spent or cancelled it");
            }
            Amount balance = Erc20.at(chain, required.asset()).balanceOf(authorization.from());
            if (balance.isLessThan(authorization.value())) {
                throw new PaymentRefused(ErrorCode.PAYMENT_UNFUNDED, "insufficient_funds", authorization.from()
                        + " holds " + balance + " of the token, less than the " + authorization.value() + " it pays");
            }
            try {
                chain.simulate(settler.address(), required.asset(), Amount.ZERO, authorization.transferCall(), TOKEN);
            } catch (ContractRevertException refused) {
                throw new PaymentRefused(ErrorCode.PAYMENT_NOT_SETTLED, "invalid_transaction_state",
                        "the token would refuse the transfer: " + refused.getMessage());
            }
            return verified;
        });
    }

    /**
     * Takes the authorization's nonce for this payment, atomically: of any number of requests carrying it, at once
     * or later, exactly one gets past this.
     *
     * @throws PaymentRefused {@code payment_replayed} for every other
     */
    void claim(Verified verified) {
        ExactAuthorization authorization = verified.authorization();
        boolean claimed = store.claim(new PaywallAuthorization(verified.key(), authorization.to(),
                authorization.value(), Optional.empty()));
        if (!claimed) {
            throw replayed(authorization, "another request carried it first");
        }
    }

    /**
     * Sends the settlement of a claimed authorization; returns its transaction hash once the transaction is recorded
     * and broadcast. The manager re-sends, replaces and confirms it from there.
     *
     * @throws PaymentRefused {@code payment_not_settled} if the chain refuses it now (the payer moved the funds)
     */
    Bytes32 settle(Verified verified) {
        Bytes32 hash = onChain(() -> {
            try {
                return settler.submit(verified.requirements().asset(), Amount.ZERO,
                        verified.authorization().transferCall(), "paywall.exact", TOKEN).hash();
            } catch (ContractRevertException refused) {
                throw new PaymentRefused(ErrorCode.PAYMENT_NOT_SETTLED, "invalid_transaction_state",
                        "the token refused the settlement: " + refused.getMessage());
            }
        });
        // Earnings of this node only: as a facilitator it also settles what pays other resource servers.
        store.settled(verified.key(), hash, verified.authorization().to().equals(settler.address()));
        return hash;
    }

    /** Gives a claimed nonce back: nothing was served, so nothing is settled, and the payer may use it again. */
    void release(Verified verified) {
        store.release(verified.key());
    }

    @SuppressWarnings("rawtypes") // web3j's decoder returns raw Types
    private boolean authorizationUsed(Address token, ExactAuthorization authorization) {
        Function f = new Function("authorizationState", List.of(
                new org.web3j.abi.datatypes.Address(authorization.from().toLowerHex()),
                new org.web3j.abi.datatypes.generated.Bytes32(authorization.nonce().bytes())),
                List.of(new TypeReference<Bool>() { }));
        List<Type> out;
        try {
            out = FunctionReturnDecoder.decode(chain.call(token, FunctionEncoder.encode(f), TOKEN),
                    f.getOutputParameters());
        } catch (ContractRevertException noSuchFunction) {
            out = List.of();
        }
        if (out.isEmpty()) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_payment_requirements", "asset " + token
                    + " does not answer authorizationState: it is not an EIP-3009 token");
        }
        return (Boolean) out.getFirst().getValue();
    }

    private static boolean signedBy(ExactAuthorization authorization, Eip712Domain domain) {
        try {
            return authorization.signature().recover(authorization.digest(domain)).equals(authorization.from());
        } catch (TurnpikeException unrecoverable) {
            return false;
        }
    }

    private static PaymentRefused replayed(ExactAuthorization authorization, String why) {
        return new PaymentRefused(ErrorCode.PAYMENT_REPLAYED, ErrorCode.PAYMENT_REPLAYED.code(), "nonce "
                + authorization.nonce() + " of " + authorization.from() + " was used: " + why
                + "; sign a new authorization with a fresh nonce");
    }

    /** The chain's transport failures are not the payer's: they say the chain is unavailable, not the payment bad. */
    private static <T> T onChain(Supplier<T> reads) {
        try {
            return reads.get();
        } catch (RpcException | ChainRpcException unavailable) {
            throw new TurnpikeException(ErrorCode.CHAIN_UNAVAILABLE, "the chain cannot be read to check the payment "
                    + "now (" + unavailable.getMessage() + "); send it again shortly", unavailable);
        }
    }
}
