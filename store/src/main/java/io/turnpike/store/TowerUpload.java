package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import java.util.Objects;

/**
 * What a node gave a watchtower for one channel: the partner's (the future closer's) newest balance
 * proof, and the node's signature over the MonitorRequest naming that proof, {@code reward} and the tower.
 * The tower's address is not stored: it is the address the store is bound to.
 *
 * @param nonCloser the node that uploaded it, the participant the tower defends
 * @param closer the partner, who signed {@code proof}
 * @param token the channel's asset (zero for ether), in which the reward is paid; kept because the contract
 *     forgets it when the channel settles, which is when the reward is recorded
 */
public record TowerUpload(Address nonCloser, Address closer, Address token, Signed<BalanceProof> proof,
                          Amount reward, Signature requestSignature) {

    public TowerUpload {
        Objects.requireNonNull(nonCloser, "nonCloser");
        Objects.requireNonNull(closer, "closer");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(reward, "reward");
        Objects.requireNonNull(requestSignature, "requestSignature");
    }

    public long channelId() {
        return proof.message().channelId();
    }

    public long nonce() {
        return proof.message().nonce();
    }

    /** The signed MonitorRequest that lets {@code monitor} submit the proof for the non-closer. */
    public Signed<MonitorRequest> request(Address monitor) {
        BalanceProof p = proof.message();
        return new Signed<>(new MonitorRequest(p.channelId(), p.nonce(), p.transferred(), reward, monitor),
                requestSignature);
    }
}
