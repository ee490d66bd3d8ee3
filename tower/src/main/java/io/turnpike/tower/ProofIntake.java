package io.turnpike.tower;

import io.turnpike.core.ErrorCode;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ChannelsContract.Status;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import io.turnpike.store.TowerEntry;
import io.turnpike.store.TowerStore;
import io.turnpike.store.TowerUpload;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Decides what the tower takes: an upload is stored only if its two signatures come from the channel's two
 * participants (the uploader signed the MonitorRequest naming this tower, its partner the proof), the channel
 * exists and is not settled, the reward is one the contract can pay, and the nonce beats what is held. A
 * refusal stores nothing and costs no gas: the checks read the chain, they never write to it.
 */
final class ProofIntake {

    /** How far a restore request's timestamp may be from the tower's clock, either way. */
    static final Duration RESTORE_SKEW = Duration.ofSeconds(60);

    /** The contract stores a proof's total in 128 bits and a reward in 96: anything larger could never be sent. */
    private static final BigInteger MAX_TRANSFERRED = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
    private static final Amount MAX_REWARD = Amount.of(BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE));

    private final Eip712Domain domain;
    /**
     * The restore requests already answered, by node and timestamp, until they are too old to be taken anyway: a
     * request someone saw go by cannot be sent again to read the node's proofs.
     */
    private final Map<RestoreRequest, Long> restoresAnswered = new ConcurrentHashMap<>();
    private final PrivateKey key;
    private final Address tower;
    private final ChannelsContract contract;
    private final ChannelDirectory directory;
    private final TowerStore store;
    private final CloseResponder responder;
    private final Clock clock;

    ProofIntake(Eip712Domain domain, PrivateKey key, ChannelsContract contract, ChannelDirectory directory,
                TowerStore store, CloseResponder responder, Clock clock) {
        this.domain = domain;
        this.key = key;
        this.tower = key.address();
        this.contract = contract;
        this.directory = directory;
        this.store = store;
        this.responder = responder;
        this.clock = clock;
    }

    /**
     * Stores the partner's {@code proof} with the uploader's MonitorRequest signature and returns the tower's
     * signed receipt.
     *
     * @throws TurnpikeException if it is not taken; nothing is stored then
     */
    Signed<MonitorReceipt> accept(Signed<BalanceProof> proof, Amount reward, Signature requestSignature) {
        BalanceProof p = proof.message();
        if (p.transferred().value().compareTo(MAX_TRANSFERRED) > 0) {
            throw new TurnpikeException(ErrorCode.MALFORMED_BODY, "proof.transferred is above 2^128 - 1, more than any channel can hold; "
                    + "the contract would refuse it, so the tower does too");
        }
        long id = p.channelId();
        if (p.nonce() == 0) {
            throw new TurnpikeException(ErrorCode.STALE_PROOF, "a proof with nonce 0 pays nothing and cannot beat "
                    + "any close; upload the newest proof your partner sent you");
        }
        Signed<MonitorRequest> request = new Signed<>(
                new MonitorRequest(id, p.nonce(), p.transferred(), reward, tower), requestSignature);
        Address uploader = signer(request, "request.signature",
                "the uploading node signs MonitorRequest(channelId, nonce, transferred, reward, monitor) with monitor "
                        + "= this tower, " + tower);
        Address closer = signer(proof, "proof.signature", "the partner signs the balance proof");
        // Read the chain before taking the channel's lock; under it the facts are then (almost always) cached.
        directory.facts(id);
        directory.locked(id, () -> {
            ChannelDirectory.Facts channel = directory.facts(id).orElseThrow(() -> new TurnpikeException(
                    ErrorCode.UNKNOWN_CHANNEL, "channel " + id + " does not exist in contract " + contract.address()
                    + " on chain " + domain.chainId() + "; check the channel id and that this tower watches your "
                    + "contract (GET /v1/info). A channel opened in the last "
                    + ChannelDirectory.COUNT_REREAD.toSeconds() + " s may not be known yet: upload again then"));
            if (channel.status() == Status.SETTLED) {
                throw new TurnpikeException(ErrorCode.CHANNEL_SETTLED, "channel " + id
                        + " is settled; there is nothing left to defend");
            }
            if (!channel.isParticipant(uploader)) {
                throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "request.signature recovers to " + uploader + ", who is not a "
                        + "participant of channel " + id + "; the participant the tower defends signs the "
                        + "MonitorRequest, naming this tower (" + tower + ") as monitor");
            }
            if (!closer.equals(channel.partnerOf(uploader))) {
                throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "proof.signature recovers to " + closer + ", but the proof must be "
                        + "signed by your partner " + channel.partnerOf(uploader) + ": upload the newest proof it "
                        + "sent you, not one of your own");
            }
            Amount payable = channel.held().min(MAX_REWARD);
            if (reward.isGreaterThan(payable)) {
                throw new TurnpikeException(ErrorCode.REWARD_TOO_HIGH, "the reward " + reward + " is above the "
                        + payable + " channel " + id + " can pay out; offer at most that");
            }
            TowerUpload upload = new TowerUpload(uploader, closer, channel.token(), proof, reward, requestSignature);
            if (!store.putIfNewer(upload)) {
                long held = store.get(id, uploader).map(entry -> entry.upload().nonce()).orElse(0L);
                throw new TurnpikeException(ErrorCode.STALE_PROOF, "the tower already holds nonce " + held
                        + " of channel " + id + " for you; upload only a newer proof (nonce above " + held + ")");
            }
            if (channel.status() == Status.CLOSED) {
                // The close was seen before this proof arrived: plan the answer now.
                responder.closed(id, channel.closer(), channel.settleAt());
            }
            return null;
        });
        return Signed.sign(new MonitorReceipt(id, p.nonce(), p.transferred(), uploader), domain, key);
    }

    /**
     * Everything {@code request.node} uploaded, if the node signed the request within {@link #RESTORE_SKEW} of now.
     *
     * @throws TurnpikeException if the request is stale or signed by another key
     */
    List<TowerEntry> restore(Signed<RestoreRequest> request) {
        RestoreRequest r = request.message();
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - r.timestamp()) > RESTORE_SKEW.toSeconds()) {
            throw new TurnpikeException(ErrorCode.STALE_REQUEST, "the request's timestamp " + r.timestamp()
                    + " is more than " + RESTORE_SKEW.toSeconds() + " s from the tower's clock (" + now
                    + "); sign a new request with the current time (and check your clock)");
        }
        if (!request.isSignedBy(r.node(), domain)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "the request is not signed by " + r.node()
                    + "; sign RestoreRequest(node, timestamp) with that node's key");
        }
        restoresAnswered.values().removeIf(timestamp -> now - timestamp > RESTORE_SKEW.toSeconds());
        if (restoresAnswered.putIfAbsent(r, r.timestamp()) != null) {
            throw new TurnpikeException(ErrorCode.STALE_REQUEST, "this restore request was answered already; sign a "
                    + "new one with the current time");
        }
        return store.listByNonCloser(r.node());
    }

    private Address signer(Signed<?> signed, String field, String rule) {
        try {
            return signed.signer(domain);
        } catch (TurnpikeException unrecoverable) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER, field + " does not recover to any key for this message; " + rule);
        }
    }
}
