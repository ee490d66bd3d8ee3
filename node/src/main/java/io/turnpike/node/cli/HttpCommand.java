package io.turnpike.node.cli;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeContext;
import io.turnpike.node.NodeHome;
import io.turnpike.node.api.ApiClient;
import io.turnpike.node.channel.ContractChannelChain;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.node.paywall.ChannelPurse;
import io.turnpike.node.paywall.DailySpending;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.peer.Peers;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `turnpike http METHOD URL`: an HTTP request that pays an x402 paywall's 402 from this node — through its channel to
 * the payee where it has one, else {@code exact} signed with its key — within the caps. With the node stopped it works on
 * the data directory itself (channels, ledger, the day's spending); with the node running, the node pays from its live
 * channels ({@code POST /api/http}).
 */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = "Send an HTTP request; if it is answered 402 (x402), pay it from this node's wallet in "
                + "turnpike.asset: through the node's channel to the payee if it has an open one, else with exact "
                + "(EIP-3009, signed with the node's key). Refuses, paying nothing, above turnpike.client.paywall's "
                + "caps. Prints the body; the receipt goes to stderr. With the node running, the node pays, through "
                + "its API.")
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
        HttpFetch fetch = new HttpFetch(method, url, headers, Optional.ofNullable(data), price(maxPerRequest, "--max"),
                price(maxPerDay, "--max-per-day"));
        fetch.toRequest(); // a URL or header that cannot be sent is refused before anything is opened
        PaywallClient.Answer answer;
        try (ApiClient running = ApiClient.of(home, config)) {
            // A running node pays from its live channels; it holds the data directory, and needs no passphrase.
            answer = running.fetchPaying(fetch);
        } catch (TurnpikeException e) {
            if (e.code() != ErrorCode.NODE_NOT_RUNNING) {
                throw e;
            }
            answer = payWhileStopped(home, config, fetch);
        }
        answer.paid().ifPresent(receipt -> {
            spec.commandLine().getErr().println(receipt.line(config.asset()));
            spec.commandLine().getErr().flush();
        });
        out().print(new String(answer.body(), StandardCharsets.UTF_8));
        out().flush();
        return answer.status() < 400 ? 0 : 1;
    }

    private PaywallClient.Answer payWhileStopped(NodeHome home, NodeConfig config, HttpFetch fetch) {
        try (NodeContext context = home.open(environment(), () -> passphrase.source(environment())
                .toUnlock("the keystore of " + home.keystore().address()))) {
            NodeConfig.PaywallCaps caps = new NodeConfig.PaywallCaps(
                    fetch.maxPerRequest().orElse(config.client().paywall().maxPerRequest()),
                    fetch.maxPerDay().orElse(config.client().paywall().maxPerDay()));
            return client(context).fetch(fetch.toRequest(), caps);
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
                DailySpending.of(context.store(), context.home().directory(), Clock.systemUTC()), Clock.systemUTC(),
                new SecureRandom());
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
