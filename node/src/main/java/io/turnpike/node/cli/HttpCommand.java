package io.turnpike.node.cli;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeContext;
import io.turnpike.node.NodeHome;
import io.turnpike.node.channel.ContractChannelChain;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.node.paywall.ChannelPurse;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.peer.Peers;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `turnpike http METHOD URL`: an HTTP request that pays an x402 paywall's 402 from this node — through its channel to
 * the payee where it has one, else {@code exact} signed with its key — within the caps. It works on the node's own
 * data directory (channels, ledger, the day's spending), so it runs while the node is stopped.
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "Send an HTTP request; if it is answered 402 (x402), pay it from this node's wallet in "
                + "turnpike.asset: through the node's channel to the payee if it has an open one, else with exact "
                + "(EIP-3009, signed with the node's key). Refuses, paying nothing, above turnpike.client.paywall's "
                + "caps. Prints the body; the receipt goes to stderr. Run it while the node is stopped.")
final class HttpCommand extends HomeCommand {

    @Parameters(index = "0", paramLabel = "METHOD", description = "GET, POST, PUT, DELETE …")
    String method;

    @Parameters(index = "1", paramLabel = "URL", description = "An http:// or https:// URL.")
    String url;

    @Option(names = "--max", paramLabel = "PRICE",
            description = "Pay at most this for the request, in the asset's smallest unit (overrides "
                    + "turnpike.client.paywall.max-per-request).")
    String maxPerRequest;

    @Option(names = "--max-per-day", paramLabel = "PRICE",
            description = "Pay at most this today (UTC), this request included, in the asset's smallest unit "
                    + "(overrides turnpike.client.paywall.max-per-day).")
    String maxPerDay;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", description = "A header to send; repeatable.")
    List<String> headers = List.of();

    @Option(names = {"-d", "--data"}, paramLabel = "TEXT", description = "The request's body, sent as it is.")
    String data;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        NodeConfig.PaywallCaps caps = new NodeConfig.PaywallCaps(
                price(maxPerRequest, "--max").orElse(config.client().paywall().maxPerRequest()),
                price(maxPerDay, "--max-per-day").orElse(config.client().paywall().maxPerDay()));
        HttpRequest request = request();
        try (NodeContext context = home.open(environment(), () -> passphrase.source(environment())
                .toUnlock("the keystore of " + home.keystore().address()))) {
            PaywallClient.Answer answer = client(context).fetch(request, caps);
            answer.paid().ifPresent(receipt -> {
                spec.commandLine().getErr().println(receipt.line(config.asset()));
                spec.commandLine().getErr().flush();
            });
            out().print(new String(answer.body(), StandardCharsets.UTF_8));
            out().flush();
            return answer.status() < 400 ? 0 : 1;
        }
    }

    /** The node's paying side, over its data directory: its channels as stored, its ledger, its day's spending. */
    private static PaywallClient client(NodeContext context) {
        NodeConfig config = context.config();
        ChannelsContract contract = ChannelsContract.at(context.chain(), config.chain().contract().orElseThrow());
        // Paying through a channel signs and stores a proof; nothing here sends a transaction.
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        Peers peers = new Peers(context.store().channels(), new ContractChannelChain(contract,
                context.chain().account(context.key()), config.asset(), config.client().challengePeriod().toSeconds()),
                context.key(), contract.domain(), executor, executor, MetricsTracker.NONE);
        return new PaywallClient(context.key(), context.chain().chainId(), config.asset(),
                Optional.of(contract.address()), Optional.of(new ChannelPurse(peers, context.store().ledger(),
                config.asset().token(), Optional.empty())),
                context.home().directory().resolve(PaywallClient.SPENDING_FILE), Clock.systemUTC(), new SecureRandom());
    }

    private HttpRequest request() {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw badArgument("the URL: " + e.getMessage());
        }
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw badArgument("'" + url + "' is not an http:// or https:// URL");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        try {
            builder.method(method.toUpperCase(Locale.ROOT), data == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(data));
            for (String header : headers) {
                int colon = header.indexOf(':');
                if (colon < 1) {
                    throw badArgument("header '" + header + "' is not 'NAME: VALUE'");
                }
                builder.header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
            }
        } catch (IllegalArgumentException e) {
            throw badArgument(e.getMessage());
        }
        return builder.build();
    }

    private static Optional<Amount> price(String text, String option) {
        if (text == null) {
            return Optional.empty();
        }
        if (text.isBlank() || !text.strip().chars().allMatch(Character::isDigit)) {
            throw badArgument(option + " is a whole number of the asset's smallest unit, such as 1000; got '" + text
                    + "'");
        }
        return Optional.of(Amount.of(new BigInteger(text.strip())));
    }

    private static TurnpikeException badArgument(String message) {
        return new TurnpikeException(ErrorCode.BAD_ARGUMENT, message + ". Nothing was sent.");
    }
}
