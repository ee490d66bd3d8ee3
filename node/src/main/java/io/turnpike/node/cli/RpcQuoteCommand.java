package io.turnpike.node.cli;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.service.RpcService;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import java.io.PrintWriter;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code turnpike rpc quote AMOUNT…}: asks a provider what JSON-RPC capacity each prepaid balance would buy now
 * ({@code capacity.query}), before a channel is opened. It dials the provider with a throwaway key, so it needs no
 * passphrase and leaves a running node's own connection alone.
 */
@Command(name = "quote", mixinStandardHelpOptions = true,
        description = {"Ask a provider what JSON-RPC capacity each prepaid balance (what a channel would still cover, "
                + "in the node's asset) would buy now. Dials the provider; no passphrase, no running node needed."})
final class RpcQuoteCommand extends HomeCommand {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Option(names = "--provider", paramLabel = "ADDRESS",
            description = "One of turnpike.client.providers (default: the first).")
    String provider;

    @Parameters(paramLabel = "AMOUNT", arity = "1..16", description = "Balances in the asset's units, e.g. 0.01.")
    List<String> amounts;

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig config = home().loadConfig(environment());
        NodeConfig.ProviderPeer peer = provider(config);
        List<Amount> balances = new ArrayList<>();
        for (String text : amounts) {
            balances.add(amount(text, config));
        }
        Address contract = config.chain().contract().orElseThrow(() -> new TurnpikeException(ErrorCode.SETTING_MISSING,
                "turnpike.chain.contract is not set: the provider only speaks to peers of its own contract"));
        PeerConfig dialling = PeerConfig.of(PrivateKey.random(new SecureRandom()),
                Eip712Domain.turnpike(config.chain().id(), contract));

        List<Long> capacities = ask(dialling, peer, new PeerMessage.CapacityQuery(RpcService.NAME, balances));

        PrintWriter out = out();
        out.println("JSON-RPC capacity from " + peer.address() + " for a prepaid balance of:");
        for (int i = 0; i < balances.size(); i++) {
            out.println("  " + config.asset().format(balances.get(i)) + "  →  " + capacities.get(i) + " units/s");
        }
        return 0;
    }

    private NodeConfig.ProviderPeer provider(NodeConfig config) {
        List<NodeConfig.ProviderPeer> known = config.client().providers();
        if (known.isEmpty()) {
            throw new TurnpikeException(ErrorCode.SETTING_MISSING, "turnpike.client.providers names no provider to ask");
        }
        if (provider == null) {
            return known.getFirst();
        }
        return known.stream().filter(p -> p.address().toString().equalsIgnoreCase(provider)).findFirst()
                .orElseThrow(() -> new TurnpikeException(ErrorCode.BAD_ARGUMENT, provider + " is not one of "
                        + "turnpike.client.providers: " + known.stream().map(p -> p.address().toString()).toList()));
    }

    private static Amount amount(String text, NodeConfig config) {
        try {
            return Amount.parse(text, config.asset().decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "'" + text + "' is not an amount of "
                    + config.asset().symbol() + " (at most " + config.asset().decimals() + " decimals): "
                    + e.getMessage());
        }
    }

    /** Dials the provider, asks once, and hangs up. */
    private static List<Long> ask(PeerConfig dialling, NodeConfig.ProviderPeer peer, PeerMessage.CapacityQuery query)
            throws InterruptedException {
        CompletableFuture<List<Long>> answer = new CompletableFuture<>();
        PeerListener listener = new PeerListener() {
            @Override
            public void onAuthenticated(PeerConnection connection) {
                connection.send(query);
            }

            @Override
            public void onMessage(PeerConnection connection, PeerMessage message) {
                switch (message) {
                    case PeerMessage.CapacityQuote quote when quote.capacities().size() == query.amounts().size() ->
                            answer.complete(quote.capacities());
                    case PeerMessage.ErrorMessage error -> answer.completeExceptionally(new TurnpikeException(
                            ErrorCode.fromCode(error.code()).orElse(ErrorCode.BAD_RESPONSE),
                            "the provider refused: " + error.message()));
                    default -> {
                        // its offer and the like: not what was asked
                    }
                }
            }

            @Override
            public void onClosed(PeerConnection connection) {
                answer.completeExceptionally(new TurnpikeException(ErrorCode.PROVIDER_UNREACHABLE,
                        "the provider at " + peer.url() + " closed the connection before it answered"));
            }
        };
        CompletableFuture<PeerConnection> connected = PeerClient.connect(dialling, peer.url(),
                Optional.of(peer.address()), listener);
        connected.whenComplete((connection, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            }
        });
        try {
            return answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof TurnpikeException refused ? refused
                    : new TurnpikeException(ErrorCode.PROVIDER_UNREACHABLE, "cannot reach the provider at "
                            + peer.url() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new TurnpikeException(ErrorCode.PROVIDER_UNREACHABLE, "the provider at " + peer.url()
                    + " did not answer within " + WAIT.toSeconds() + " s");
        } finally {
            connected.thenAccept(PeerConnection::close);
        }
    }
}
