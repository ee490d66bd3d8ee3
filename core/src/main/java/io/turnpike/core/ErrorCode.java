package io.turnpike.core;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every stable error code Turnpike answers with, on every surface: the peer protocol's {@code error {code, message}},
 * the HTTP API, the watchtower, the JSON-RPC front, the CLI's {@code error [code]: …} line and the logs. A code is
 * snake_case, has no surface prefix and is never renamed once released (the Java constant may be). Its {@link Kind}
 * is the one mapping to an HTTP status and a process exit status, so a code means the same wherever it is read.
 */
public enum ErrorCode {
    // What was sent cannot be used.
    /** A signature is malformed, malleable, or does not recover to a usable signer. */
    INVALID_SIGNATURE("invalid_signature", Kind.BAD_INPUT),
    /** Input bytes or text that cannot be parsed (bad hex, wrong length, bad field). */
    MALFORMED_INPUT("malformed_input", Kind.BAD_INPUT),
    /** A private key outside 1..n-1 or in an unreadable format. */
    INVALID_KEY("invalid_key", Kind.BAD_INPUT),
    /** An amount that is negative or does not fit in a uint256. */
    AMOUNT_OUT_OF_RANGE("amount_out_of_range", Kind.BAD_INPUT),
    /** A peer message that is not one JSON object of the documented shape: bad JSON, a missing, extra or mistyped field. */
    MALFORMED_MESSAGE("malformed_message", Kind.BAD_INPUT),
    /** A peer message whose {@code type} this node does not know. */
    UNKNOWN_MESSAGE_TYPE("unknown_message_type", Kind.BAD_INPUT),
    /** A peer message in a protocol version ({@code v}) this node does not speak. */
    UNSUPPORTED_VERSION("unsupported_version", Kind.BAD_INPUT),
    /** A peer that pays on another chain or through another contract than this node. */
    WRONG_NETWORK("wrong_network", Kind.BAD_INPUT),
    /**
     * A direct transfer whose transaction, on chain, failed, was sent by someone else than the peer, or does not
     * pay this node exactly the stated amount of the stated asset.
     */
    TRANSFER_MISMATCH("transfer_mismatch", Kind.BAD_INPUT),
    /** An HTTP request body that is not the JSON the endpoint documents. */
    MALFORMED_BODY("malformed_body", Kind.BAD_INPUT),
    /** Not HTTP/1.1 the server reads, or a body broken off. */
    BAD_REQUEST("bad_request", Kind.BAD_INPUT),
    /** An address, amount, id or asset given on the command line or to the API that cannot be used. */
    BAD_ARGUMENT("bad_argument", Kind.BAD_INPUT),
    /** No terminal to confirm a send on, and {@code --yes} was not given. */
    CONFIRMATION_UNAVAILABLE("confirmation_unavailable", Kind.BAD_INPUT),
    /** A watchtower request for a reward above what the channel could pay. */
    REWARD_TOO_HIGH("reward_too_high", Kind.BAD_INPUT),
    /** A JSON-RPC request that is not a request object (or a batch of them). */
    INVALID_REQUEST("invalid_request", Kind.BAD_INPUT),
    /** A JSON-RPC call whose parameters the front cannot price or check. */
    INVALID_PARAMS("invalid_params", Kind.BAD_INPUT),
    /** A JSON-RPC method the front does not serve (not in its cost table). */
    METHOD_NOT_SERVED("method_not_served", Kind.BAD_INPUT),
    /** An {@code eth_getLogs} block range over the front's limit. */
    RANGE_TOO_WIDE("range_too_wide", Kind.BAD_INPUT),
    /** A request whose maximum cost is more than the client's buffer can ever hold: waiting would not help. */
    EXCEEDS_BUFFER("exceeds_buffer", Kind.BAD_INPUT),
    /** The request did not arrive whole within the surface's request time. */
    REQUEST_TIMEOUT("request_timeout", Kind.BAD_INPUT, 408),
    /** An HTTP method the path does not take. */
    METHOD_NOT_ALLOWED("method_not_allowed", Kind.BAD_INPUT, 405),

    // Who sent it may not.
    /** No valid credential: the API's token missing or wrong, or a peer message before the handshake completed. */
    UNAUTHENTICATED("unauthenticated", Kind.UNAUTHENTICATED),
    /** The passphrase does not unlock the keystore. */
    WRONG_PASSPHRASE("wrong_passphrase", Kind.UNAUTHENTICATED),
    /** A signed request whose timestamp is too far from the receiver's clock: a replay, or a skewed clock. */
    STALE_REQUEST("stale_request", Kind.UNAUTHENTICATED),
    /** A valid signature by someone other than the party that had to sign. */
    WRONG_SIGNER("wrong_signer", Kind.FORBIDDEN),
    /** A peer that authenticated as another node than the one that was dialled. */
    UNEXPECTED_PEER("unexpected_peer", Kind.FORBIDDEN),

    // It names something that is not there.
    /** A channel this node (or tower) has no record of, or a different channel than expected. */
    UNKNOWN_CHANNEL("unknown_channel", Kind.NOT_FOUND),
    /** A peer this node does not know. */
    UNKNOWN_PEER("unknown_peer", Kind.NOT_FOUND),
    /** A transaction the store has no record of. */
    UNKNOWN_TRANSACTION("unknown_transaction", Kind.NOT_FOUND),
    /** A path the surface does not serve. */
    NOT_FOUND("not_found", Kind.NOT_FOUND),

    // Not in the state things are in now.
    /** A proof whose nonce is not above the newest one held: a replay, a duplicate or a reordered message. */
    STALE_PROOF("stale_proof", Kind.CONFLICT),
    /** A newer proof that pays less in total than an older one; totals only ever grow. */
    TRANSFER_DECREASED("transfer_decreased", Kind.CONFLICT),
    /** A proof that pays more than the payer's side of the channel can cover. */
    INSUFFICIENT_CAPACITY("insufficient_capacity", Kind.CONFLICT),
    /** A payment or send that exceeds what this node's side of the channel, or its wallet, holds. */
    INSUFFICIENT_FUNDS("insufficient_funds", Kind.CONFLICT),
    /** The channel is closing, closed or settled; it takes no more payments. */
    CHANNEL_NOT_OPEN("channel_not_open", Kind.CONFLICT),
    /** A proposed cooperative settlement whose payouts differ from this node's own view of the channel. */
    SETTLEMENT_MISMATCH("settlement_mismatch", Kind.CONFLICT),
    /** A well-formed message at the wrong moment: a second hello, an auth before the hello. */
    OUT_OF_ORDER("out_of_order", Kind.CONFLICT),
    /** A direct transfer naming a transaction that was already credited: a replay, from anyone. */
    TRANSFER_SEEN("transfer_seen", Kind.CONFLICT),
    /** The channel is settled on chain: nothing more can be put on chain for it. */
    CHANNEL_SETTLED("channel_settled", Kind.CONFLICT),
    /** Nothing is owed to the peer a payment was asked for. */
    NOTHING_OWED("nothing_owed", Kind.CONFLICT),
    /** No open channel to the peer, or the peer is not connected, so nothing can be paid now. */
    NO_CHANNEL("no_channel", Kind.CONFLICT),
    /**
     * A channel asked for with a partner that is not connected to this node: nothing has shown a node answers at that
     * address, and a deposit there could stay locked for a challenge period. Asked again with {@code force}, it opens.
     */
    PARTNER_NOT_CONNECTED("partner_not_connected", Kind.CONFLICT),
    /** {@code init} found a data directory that is already set up. */
    DATADIR_ALREADY_INITIALISED("datadir_already_initialised", Kind.CONFLICT),
    /** The data directory already holds a key. */
    KEY_EXISTS("key_exists", Kind.CONFLICT),
    /** Another node runs on this data directory. */
    ALREADY_RUNNING("already_running", Kind.CONFLICT),
    /** Another process has an exclusive store open on this PostgreSQL database as the same node. */
    DATABASE_LOCKED("database_locked", Kind.CONFLICT),
    /** A transaction that already reached a final status cannot be replaced. */
    TRANSACTION_FINAL("transaction_final", Kind.CONFLICT),
    /** The chain refused a transaction outright (insufficient funds, gas limit…); it was never published. */
    TRANSACTION_REJECTED("transaction_rejected", Kind.CONFLICT),
    /** Another transaction from the same key used the nonce: the key is used outside this node. */
    NONCE_TAKEN("nonce_taken", Kind.CONFLICT),
    /** A transaction this node sent failed or was lost. */
    TRANSACTION_FAILED("transaction_failed", Kind.CONFLICT),

    // Too big.
    /** A peer message larger than the protocol's frame limit. */
    MESSAGE_TOO_LARGE("message_too_large", Kind.TOO_LARGE),
    /** An HTTP body over the surface's limit. */
    BODY_TOO_LARGE("body_too_large", Kind.TOO_LARGE),
    /** The request line and headers over the surface's limit. */
    HEADERS_TOO_LARGE("headers_too_large", Kind.TOO_LARGE, 431),
    /** The request line alone over the surface's header limit. */
    URI_TOO_LONG("uri_too_long", Kind.TOO_LARGE, 414),
    /** A JSON-RPC batch with more calls than the front takes. */
    BATCH_TOO_LARGE("batch_too_large", Kind.TOO_LARGE),
    /** An upstream answer over the front's response limit. */
    RESPONSE_TOO_LARGE("response_too_large", Kind.TOO_LARGE),

    // Too much at once: wait and try again.
    /** The client's capacity does not cover the request now; it will after {@code Retry-After}. */
    OVER_CAPACITY("over_capacity", Kind.RATE_LIMITED),
    /**
     * A peer that sent more messages than this node has yet handled, past the limit (it closes the connection), or
     * that asked for more chain lookups than wait at once (the message is refused).
     */
    TOO_MANY_MESSAGES("too_many_messages", Kind.RATE_LIMITED),
    /** One connection more than the surface takes, in total or from one address. */
    TOO_MANY_CONNECTIONS("too_many_connections", Kind.RATE_LIMITED, 503),

    // The node's own setup must be fixed before it can run.
    /** A config file that does not parse, or a setting with an unusable value. */
    CONFIG_INVALID("config_invalid", Kind.SETUP),
    /** A setting the operation needs is not set (the channel contract, say). */
    SETTING_MISSING("setting_missing", Kind.SETUP),
    /** The command needs an initialised data directory and there is none. */
    DATADIR_NOT_INITIALISED("datadir_not_initialised", Kind.SETUP),
    /** A file or folder in the data directory could not be read or written. */
    DATADIR_IO("datadir_io", Kind.SETUP),
    /** A keystore file that is not a V3 keystore, that is damaged, or whose key derivation is too costly to try. */
    KEYSTORE_UNREADABLE("keystore_unreadable", Kind.SETUP),
    /** No passphrase could be obtained: no terminal, no variable, no file. */
    PASSPHRASE_UNAVAILABLE("passphrase_unavailable", Kind.SETUP),
    /** An RPC endpoint serves another chain than the configured one. */
    WRONG_CHAIN_ID("wrong_chain_id", Kind.SETUP),
    /** The configured contract address holds no code, or code that is not TurnpikeChannels. */
    NOT_TURNPIKE_CHANNELS("not_turnpike_channels", Kind.SETUP),
    /** A port the process listens on is taken by another program. */
    PORT_IN_USE("port_in_use", Kind.SETUP),
    /** A port cannot be listened on for another reason: an address this machine does not have, no privilege. */
    CANNOT_LISTEN("cannot_listen", Kind.SETUP),
    /** The database was bound to another node key, chain or contract. */
    IDENTITY_MISMATCH("identity_mismatch", Kind.SETUP),
    /** The JDBC URL names an engine the store does not run on. */
    UNSUPPORTED_DATABASE_URL("unsupported_database_url", Kind.SETUP),
    /** The database could not be opened or migrated. */
    DATABASE_OPEN_FAILED("database_open_failed", Kind.SETUP),

    // Something this process depends on is down: try again later.
    /** None of the configured RPC endpoints answered at start-up. */
    CHAIN_UNREACHABLE("chain_unreachable", Kind.UNAVAILABLE),
    /** Every RPC endpoint failed or is backing off; nothing was done. */
    CHAIN_UNAVAILABLE("chain_unavailable", Kind.UNAVAILABLE),
    /** A read the database did not answer. */
    DATABASE_READ_FAILED("database_read_failed", Kind.UNAVAILABLE),
    /**
     * The write is not known to be durable: a write the database refused changed nothing; after a failed commit (a
     * lost connection, say) read back before retrying.
     */
    DATABASE_WRITE_FAILED("database_write_failed", Kind.UNAVAILABLE),
    /** The store was closed before the write was queued; nothing was stored. */
    STORE_CLOSED("store_closed", Kind.UNAVAILABLE),
    /** {@code node --restore-from-tower}: none of the configured watchtowers answered. */
    TOWER_RESTORE_FAILED("tower_restore_failed", Kind.UNAVAILABLE),
    /** The server is stopping; send the request again once it is back. */
    STOPPING("stopping", Kind.UNAVAILABLE),
    /** Nothing listens at the node API's address. */
    NODE_NOT_RUNNING("node_not_running", Kind.UNAVAILABLE),
    /** The connection to the node's API failed or broke after it was made; a change asked for may have been made. */
    NODE_UNREACHABLE("node_unreachable", Kind.UNAVAILABLE),
    /** The node did not get to the request in time; nothing is known to have changed, try again. */
    NODE_BUSY("node_busy", Kind.UNAVAILABLE),
    /** What answered is not a Turnpike node's API, or answered in a way it should not. */
    BAD_RESPONSE("bad_response", Kind.UNAVAILABLE, 502),
    /** A payment was sent but the peer's receipt did not come back in time; it may still land. */
    NO_RECEIPT("no_receipt", Kind.UNAVAILABLE, 504),
    /** At a JSON-RPC entry: no session with the provider yet (connecting, or its channel is being opened). */
    NO_SESSION("no_session", Kind.UNAVAILABLE),
    /** At a JSON-RPC entry: the provider's front could not be reached or gave no answer. */
    PROVIDER_UNREACHABLE("provider_unreachable", Kind.UNAVAILABLE, 502),
    /** The front's upstream node could not be reached. */
    UPSTREAM_UNAVAILABLE("upstream_unavailable", Kind.UNAVAILABLE, 502),
    /** The front's upstream node did not answer in time. */
    UPSTREAM_TIMEOUT("upstream_timeout", Kind.UNAVAILABLE, 504),
    /** The front's upstream node answered with something that is not JSON-RPC. */
    UPSTREAM_BAD_ANSWER("upstream_bad_answer", Kind.UNAVAILABLE, 502),

    // Pay first: an HTTP 402 paywall's answers, each with what to fix in the payment.
    /** A paid path asked for without a payment header. */
    PAYMENT_REQUIRED("payment_required", Kind.PAYMENT_REQUIRED),
    /** A payment header that is not base64 of the documented JSON, or longer than the paywall reads. */
    PAYMENT_MALFORMED("payment_malformed", Kind.PAYMENT_REQUIRED),
    /** A payment for another scheme, network, asset, recipient or price than the path asks for. */
    PAYMENT_MISMATCH("payment_mismatch", Kind.PAYMENT_REQUIRED),
    /** A payment that pays less than the price. */
    PAYMENT_INSUFFICIENT("payment_insufficient", Kind.PAYMENT_REQUIRED),
    /** A payment authorization outside its validity window: expired, or not valid yet. */
    PAYMENT_EXPIRED("payment_expired", Kind.PAYMENT_REQUIRED),
    /** A payment authorization whose signature is not the payer's. */
    PAYMENT_SIGNATURE_INVALID("payment_signature_invalid", Kind.PAYMENT_REQUIRED),
    /** A payment authorization whose nonce was already used, on chain or at this paywall. */
    PAYMENT_REPLAYED("payment_replayed", Kind.PAYMENT_REQUIRED),
    /** A payer whose balance does not cover the payment. */
    PAYMENT_UNFUNDED("payment_unfunded", Kind.PAYMENT_REQUIRED),
    /** A payment the chain would refuse, or whose settlement could not be sent. */
    PAYMENT_NOT_SETTLED("payment_not_settled", Kind.PAYMENT_REQUIRED),

    // The mailbox: who may deliver and read, and how much it keeps.
    /** A delivery to, or a read of, a mailbox that has no subscription, channel payment or free mode here. */
    SUBSCRIPTION_REQUIRED("subscription_required", Kind.PAYMENT_REQUIRED),
    /** A delivery to a mailbox whose subscription ran out: renew it; until the grace period ends it can still be read. */
    SUBSCRIPTION_EXPIRED("subscription_expired", Kind.PAYMENT_REQUIRED),
    /** A delivery that would take a mailbox over its plan's byte quota; nothing was stored. */
    MAILBOX_QUOTA_EXCEEDED("mailbox_quota_exceeded", Kind.CONFLICT),
    /** An envelope over the mailbox's size limit. */
    ENVELOPE_TOO_LARGE("envelope_too_large", Kind.TOO_LARGE),
    /** A signed request whose nonce was already used: a replay. */
    REQUEST_REPLAYED("request_replayed", Kind.UNAUTHENTICATED),
    /** A public key asked for that this provider has not learnt: its owner has not yet made a signed request here. */
    UNKNOWN_KEY("unknown_key", Kind.NOT_FOUND),

    // Paying a paywall: what this node's HTTP client will not pay, having paid nothing.
    /** A price over the per-request cap, or over what the day's cap leaves (turnpike.client.paywall, --max). */
    SPENDING_CAP_EXCEEDED("spending_cap_exceeded", Kind.FORBIDDEN),
    /**
     * A 402 none of whose offers this node can pay: another chain or asset, a scheme it does not speak, no open channel
     * to the payee for {@code turnpike-channel}.
     */
    NO_PAYABLE_OFFER("no_payable_offer", Kind.PAYMENT_REQUIRED),

    // Choosing providers: the operator's pin per service.
    /** A service this node does not buy, named where a service it buys (bandwidth, rpc) was expected. */
    UNKNOWN_SERVICE("unknown_service", Kind.NOT_FOUND),

    // Withdrawing from a channel: both sides sign, one at a time.
    /** A withdrawal is signed and may still land on chain; another waits until the chain shows it or it expires. */
    WITHDRAW_PENDING("withdraw_pending", Kind.CONFLICT),
    /** A withdrawal whose expiry has passed, or lies further ahead than a co-signer accepts (10 minutes). */
    WITHDRAW_EXPIRY("withdraw_expiry", Kind.BAD_INPUT),

    // The JSON-RPC front's WebSocket subscriptions (docs/rpc.md#websocket).
    /** An {@code eth_subscribe} past the subscriptions one client may hold at once with the front. */
    TOO_MANY_SUBSCRIPTIONS("too_many_subscriptions", Kind.RATE_LIMITED),
    /** Subscription notifications dropped, never sent, because the client's buffer did not hold their cost. */
    NOTIFICATIONS_DROPPED("notifications_dropped", Kind.RATE_LIMITED),
    /** An {@code eth_unsubscribe} of a subscription the connection does not hold. */
    UNKNOWN_SUBSCRIPTION("unknown_subscription", Kind.NOT_FOUND),

    // A bug: the log says what.
    /** A failure the surface did not expect; its log has the details. */
    INTERNAL("internal", Kind.INTERNAL);

    /**
     * What a code asks of whoever reads it, and so how each surface reports it. The exit statuses follow
     * {@code sysexits.h} where it has one: 64 usage, 75 temporary failure, 78 configuration, 70 internal software.
     */
    public enum Kind {
        /** Fix what was sent and send it again. */
        BAD_INPUT(400, 64),
        /** Prove who you are (a token, a passphrase, the peer handshake). */
        UNAUTHENTICATED(401, 77),
        /** Pay first. */
        PAYMENT_REQUIRED(402, 1),
        /** Not for whoever sent it. */
        FORBIDDEN(403, 77),
        /** It names something that is not there. */
        NOT_FOUND(404, 1),
        /** Not now, in the state things are in. */
        CONFLICT(409, 1),
        /** Too big for the surface's limits. */
        TOO_LARGE(413, 64),
        /** Too much at once; wait and send again. */
        RATE_LIMITED(429, 75),
        /** The process's own configuration, data directory or key must be fixed. */
        SETUP(500, 78),
        /** A dependency is down (the chain, the database, an upstream): try again later. */
        UNAVAILABLE(503, 75),
        /** A bug. */
        INTERNAL(500, 70);

        private final int httpStatus;
        private final int exitStatus;

        Kind(int httpStatus, int exitStatus) {
            this.httpStatus = httpStatus;
            this.exitStatus = exitStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }

        public int exitStatus() {
            return exitStatus;
        }
    }

    private static final Map<String, ErrorCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final String code;
    private final Kind kind;
    private final int httpStatus;

    ErrorCode(String code, Kind kind) {
        this(code, kind, kind.httpStatus());
    }

    /** A code whose HTTP status is more specific than its kind's (414, 431 …); it exits as its kind does. */
    ErrorCode(String code, Kind kind, int httpStatus) {
        this.code = code;
        this.kind = kind;
        this.httpStatus = httpStatus;
    }

    /** The snake_case string that peers, API clients and scripts match on. */
    public String code() {
        return code;
    }

    public Kind kind() {
        return kind;
    }

    /** The status an HTTP surface answers this code with when the code is the whole answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The status a command that ends with this code exits with. */
    public int exitStatus() {
        return kind.exitStatus();
    }

    /** The code with this string, as a peer or a node's API sent it; empty for a code this build does not know. */
    public static Optional<ErrorCode> fromCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    @Override
    public String toString() {
        return code;
    }
}
