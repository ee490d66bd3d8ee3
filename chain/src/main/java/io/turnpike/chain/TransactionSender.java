package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/**
 * Something that sends transactions from one key and returns once they count: {@link ChainAccount}
 * (development and tests: sends and waits for the receipt) or the production
 * {@code io.turnpike.chain.tx.TransactionManager} (nonce journal, replacement, confirmations).
 * Contract bindings take either.
 */
public interface TransactionSender {

    Address address();

    Chain chain();

    /**
     * Simulates, sends and waits for the transaction to count.
     *
     * @param data ABI-encoded call, 0x-prefixed
     * @param contract names the custom errors of a refusal; null when {@code to} is not a contract of ours
     * @throws ContractRevertException if the contract refuses the call (nothing is sent then) or it reverts on chain
     */
    TxReceipt send(Address to, Amount value, String data, ContractArtifact contract);
}
