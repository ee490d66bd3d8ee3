package io.turnpike.node.demo;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.ToolPaths;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.paywall.X402;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The paywall demo: a provider node sells an HTTP API through its paywall on a local chain, in an EIP-3009 token.
 * The real x402 npm client (tools/x402/pay.mjs, {@code @x402/fetch}) pays it with {@code exact}, one token transfer
 * a request settled by the provider node; a Turnpike client node pays it from its channel, one signature a request
 * and no transaction. The 402, the settlement and each scheme's requests per second are shown; the channel is
 * settled cooperatively and every party's token and ether balances are checked to the wei.
 */
public final class PaywallDemo {

    /** One party's balances, before and after, and what the payments imply they should be after. */
    public record Party(String name, Address address, Amount tokensBefore, Amount tokensAfter, Amount tokensExpected,
                        Amount etherBefore, Amount etherAfter, Amount gas) {
        public boolean checksOut() {
            return tokensAfter.equals(tokensExpected) && etherAfter.equals(etherBefore.minus(gas));
        }
    }

    /**
     * @param exactPaid what the x402 client paid with {@code exact}, each request settled on chain
     * @param channelPaid what the client node paid through its channel, settled once
     */
    public record Result(Party provider, Party client, Party x402Payer, long exactRequests, Amount exactPaid,
                         long channelRequests, Amount channelPaid) {
        public boolean balancesCheckOut() {
            return provider.checksOut() && client.checksOut() && x402Payer.checksOut();
        }
    }

    private static final Amount ETHER = Amount.parse("10", 18);
    private static final Amount CLIENT_TOKENS = Amount.parse("100", 6);

    private final Anvil anvil;
    private final Path workDir;
    private final PrintStream out;

    public PaywallDemo(Anvil anvil, Path workDir, PrintStream out) {
        this.anvil = anvil;
        this.workDir = workDir;
        this.out = out;
    }

    /**
     * @param exactRequests how many requests the x402 client pays with {@code exact}, one after the other
     * @param channelRequests how many the client node pays through its channel
     */
    public Result run(int exactRequests, int channelRequests) throws InterruptedException {
        step("Deploying TurnpikeChannels and an EIP-3009 token (\"USD Coin\", 6 decimals) on anvil, chain id "
                + anvil.chainId() + "; starting a provider node and a client node");
        try (PaywallNodes nodes = PaywallNodes.start(anvil, workDir, "10", "max-per-request = \"" + PaywallNodes.PRICE
                + "\", max-per-day = \"" + PaywallNodes.PRICE.times(channelRequests) + "\"")) {
            Asset usdc = nodes.asset;
            out.printf("  token    %s%n  provider %s, paywall on %s, /api/ at %s a request%n  client   %s, channel #%d "
                            + "to the provider holding %s%n", nodes.token.address(), nodes.providerAddress(),
                    nodes.paid("/api/"), usdc.format(PaywallNodes.PRICE), nodes.clientAddress(), nodes.channelId,
                    usdc.format(nodes.client.channel(nodes.channelId).orElseThrow().own().deposit()));

            step("The 402 exchange: GET " + nodes.paid("/api/quote") + " without paying");
            show402(nodes);

            PrivateKey payerKey = PrivateKey.random(new SecureRandom());
            Amount payerTokens = PaywallNodes.PRICE.times(exactRequests);
            nodes.mint(payerKey.address(), payerTokens);
            step("An x402 client (@x402/fetch + @x402/evm, tools/x402/pay.mjs) pays " + exactRequests
                    + " requests with exact: an EIP-3009 authorization each, settled by the provider node");
            JsonObjectReader exact = payWithX402Client(nodes, payerKey, exactRequests);
            JsonObjectReader settlement = exact.object("paymentResponse");
            long exactPaidCount = exact.integer("count");
            out.printf("  HTTP %d, PAYMENT-RESPONSE: success %s, transaction %s%n", exact.integer("status"),
                    settlement.bool("success"), settlement.string("transaction"));
            out.printf("  exact:   %d requests in %d ms = %s requests/s%n", exactPaidCount, exact.integer("ms"),
                    perSecond(exactPaidCount, exact.integer("ms")));
            Amount exactPaid = PaywallNodes.PRICE.times(exactPaidCount);
            DemoNodes.await(() -> nodes.token.balanceOf(nodes.providerAddress()).equals(exactPaid),
                    Duration.ofSeconds(60));
            out.printf("  every settlement confirmed: the provider holds %s%n", usdc.format(exactPaid));

            step("The client node pays " + channelRequests + " requests through its channel: one balance proof each, "
                    + "no transaction");
            PaywallClient client = nodes.client.paywallClient();
            NodeConfig.PaywallCaps caps = nodes.client.context().config().client().paywall();
            long started = System.nanoTime();
            PaywallClient.Receipt first = null;
            for (int n = 0; n < channelRequests; n++) {
                PaywallClient.Answer answer = client.fetch(HttpRequest.newBuilder(nodes.paid("/api/quote")).build(),
                        caps);
                if (answer.status() != 200) {
                    throw new IllegalStateException("request " + n + " answered " + answer.status());
                }
                first = first == null ? answer.paid().orElseThrow() : first;
            }
            long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            out.printf("  first receipt: %s%n", first.line(usdc));
            out.printf("  channel: %d requests in %d ms = %s requests/s%n", channelRequests, millis,
                    perSecond(channelRequests, millis));

            step("Settling the channel cooperatively: one transaction for all " + channelRequests + " requests");
            ChannelView settled = new RunningNodeControl(nodes.client).closeChannel(nodes.channelId, false);
            Amount channelPaid = settled.sent();
            out.printf("  channel #%d %s: the provider is paid %s%n", settled.channelId(), settled.state(),
                    usdc.format(channelPaid));

            Result result = new Result(
                    party("provider", nodes, nodes.providerAddress(), Amount.ZERO, exactPaid.plus(channelPaid)),
                    party("client", nodes, nodes.clientAddress(), CLIENT_TOKENS, CLIENT_TOKENS.minus(channelPaid)),
                    party("x402", nodes, payerKey.address(), payerTokens, payerTokens.minus(exactPaid)),
                    exactPaidCount, exactPaid, channelRequests, channelPaid);
            report(result, usdc);
            return result;
        }
    }

    private void show402(PaywallNodes nodes) throws InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(nodes.paid("/api/quote")).build(),
                    HttpResponse.BodyHandlers.ofString());
            String required = answer.headers().firstValue(X402.PAYMENT_REQUIRED).orElseThrow();
            out.printf("  HTTP %d%n  %s: %s…%n  which decodes to%n", answer.statusCode(), X402.PAYMENT_REQUIRED,
                    required.substring(0, Math.min(48, required.length())));
            String json = JsonObjectReader.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                    JsonObjectReader.MAPPER.readTree(Base64.getDecoder().decode(required)));
            json.lines().forEach(line -> out.println("    " + line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the x402 npm client for {@code count} paid GETs; its last answer with {@code count} and {@code ms}. */
    private static JsonObjectReader payWithX402Client(PaywallNodes nodes, PrivateKey payer, int count)
            throws InterruptedException {
        ProcessBuilder command = new ProcessBuilder("node",
                ToolPaths.repository().resolve("tools/x402/pay.mjs").toString(), "v2", nodes.paid("/api/quote").toString());
        command.environment().putAll(Map.of("PAYER_KEY", "0x" + HexFormat.of().formatHex(payer.bytes()),
                "ASSET", nodes.token.address().toString(), "NETWORK", "eip155:" + nodes.anvil.chainId(),
                "COUNT", Integer.toString(count)));
        try {
            Process process = command.redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("the x402 client failed: " + output);
            }
            List<String> lines = output.strip().lines().toList();
            return JsonObjectReader.parse(lines.getLast().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node (Node.js is needed for the x402 client): "
                    + e.getMessage(), e);
        }
    }

    private static Party party(String name, PaywallNodes nodes, Address address, Amount tokensBefore,
                               Amount tokensExpected) {
        // The nodes started with 10 ETH each and spent only gas; the x402 payer holds no ether and needs none.
        Amount etherBefore = name.equals("x402") ? Amount.ZERO : ETHER;
        return new Party(name, address, tokensBefore, nodes.token.balanceOf(address), tokensExpected, etherBefore,
                nodes.chain.balance(address), nodes.gasSpent(address));
    }

    private void report(Result r, Asset usdc) {
        step("Balances, to the unit (tokens) and to the wei (ETH)");
        for (Party p : List.of(r.provider(), r.client(), r.x402Payer())) {
            out.printf("  %-8s %s: %s -> %s (expected %s); ETH %s wei -> %s wei (gas %s wei)%n", p.name(), p.address(),
                    usdc.format(p.tokensBefore()), usdc.format(p.tokensAfter()), usdc.format(p.tokensExpected()),
                    p.etherBefore().value(), p.etherAfter().value(), p.gas().value());
        }
        out.printf("  %s provider: tokens = exact %s + channel %s; ETH = before - gas%n",
                r.provider().checksOut() ? "OK      " : "MISMATCH", r.exactPaid(), r.channelPaid());
        out.printf("  %s client: tokens = before - channel %s; ETH = before - gas%n",
                r.client().checksOut() ? "OK      " : "MISMATCH", r.channelPaid());
        out.printf("  %s x402 payer: tokens = before - exact %s; no ETH spent%n",
                r.x402Payer().checksOut() ? "OK      " : "MISMATCH", r.exactPaid());
        out.println(r.balancesCheckOut() ? "Balances check out to the wei." : "Balances do NOT check out.");
    }

    private static String perSecond(long requests, long millis) {
        return Long.toString(requests * 1000 / Math.max(1, millis));
    }

    private void step(String text) {
        out.println("== " + text);
    }
}
