package io.turnpike.node.cli;

import io.turnpike.core.Address;
import io.turnpike.core.Asset;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `turnpike pay PEER`: "pay debts now". Shows what would be sent and asks first; the node pays everything owed at that
 * moment, which may have grown since the question if the peer is still serving.
 */
@Command(name = "pay", mixinStandardHelpOptions = true,
        description = "Pay a peer everything this node owes it, now, over your channel with it (the node also pays on "
                + "its own every few seconds). Asks first unless --yes.")
final class PayCommand extends NodeApiCommand {

    @Parameters(index = "0", paramLabel = "PEER", description = "The peer's address, as 'turnpike peers' shows it.")
    String peer;

    @Option(names = "--yes", description = "Pay without asking for confirmation.")
    boolean yes;

    @Override
    int call(NodeControl node) {
        Address address = address(peer, "the peer");
        requireConfirmable(yes, "payment");
        Optional<PaymentPreview> asked = Optional.empty();
        if (!yes) {
            PaymentPreview preview = node.previewPayment(address);
            if (!confirmed(preview.question())) {
                out().println("Nothing was paid.");
                return 1;
            }
            asked = Optional.of(preview);
        }
        PaymentResult paid = node.payNow(address);
        Asset asset = paid.asset();
        String grew = asked.filter(preview -> paid.amount().isGreaterThan(preview.amount()))
                .map(preview -> " (more than the " + asset.format(preview.amount()) + " asked about: the debt grew "
                        + "meanwhile)")
                .orElse("");
        out().println("Paid " + asset.format(paid.amount()) + grew + " to " + paid.peer() + " (channel "
                + paid.channelId() + ", nonce " + paid.nonce() + "); the payment went through. Paid in total: "
                + asset.format(paid.paidTotal()) + ", still owed: " + asset.format(paid.owed()) + ".");
        return 0;
    }
}
