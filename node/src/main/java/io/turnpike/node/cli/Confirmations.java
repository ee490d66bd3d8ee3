package io.turnpike.node.cli;

import io.turnpike.chain.TxReceipt;
import io.turnpike.node.wallet.Wallet;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/** Follows a mined transaction to turnpike.chain.confirmations, printing each new depth, as commands that pay do. */
final class Confirmations {

    private Confirmations() {
    }

    /**
     * Waits until {@code receipt} is {@code required} blocks deep; the first line names the transaction and its block,
     * each later one the new depth. {@code what} says what stands if the user stops waiting ("the transfer").
     */
    static void follow(PrintWriter out, Wallet wallet, TxReceipt receipt, int required, String what) {
        AtomicBoolean first = new AtomicBoolean(true);
        wallet.awaitConfirmations(receipt, depth -> {
            String count = depth + "/" + required + " confirmations";
            // The first report names the transaction, whatever depth it finds it at.
            out.println(first.getAndSet(false) ? "sent " + receipt.hash() + ", in block " + receipt.blockNumber()
                    + ", " + count + (depth < required ? " (Ctrl-C stops waiting; " + what + " stands)" : "")
                    : count);
            out.flush();
        });
    }
}
