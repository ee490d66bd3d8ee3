package io.turnpike.node.demo;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;

/**
 * The receiving end of one direction of a channel in the demo: accepts a payer's proof only if the payer
 * signed it for this channel, its nonce and total grow, and the total is covered by the deposit; keeps
 * only the newest proof, which supersedes every earlier one.
 */
final class PaymentReceiver {

    private final Eip712Domain domain;
    private final Address payer;
    private final long channelId;
    private final Amount deposit;
    private Signed<BalanceProof> newest;

    PaymentReceiver(Eip712Domain domain, Address payer, long channelId, Amount deposit) {
        this.domain = domain;
        this.payer = payer;
        this.channelId = channelId;
        this.deposit = deposit;
    }

    void accept(Signed<BalanceProof> proof) {
        BalanceProof p = proof.message();
        if (p.channelId() != channelId) {
            throw new IllegalArgumentException("proof for channel " + p.channelId() + ", expected " + channelId);
        }
        if (!proof.isSignedBy(payer, domain)) {
            throw new IllegalArgumentException("proof not signed by the payer " + payer);
        }
        if (newest != null && (p.nonce() <= newest.message().nonce()
                || !p.transferred().isGreaterThan(newest.message().transferred()))) {
            throw new IllegalArgumentException("proof does not supersede nonce " + newest.message().nonce());
        }
        if (p.transferred().isGreaterThan(deposit)) {
            throw new IllegalArgumentException("proof pays more than the deposit covers");
        }
        newest = proof;
    }

    Signed<BalanceProof> newest() {
        return newest;
    }
}
