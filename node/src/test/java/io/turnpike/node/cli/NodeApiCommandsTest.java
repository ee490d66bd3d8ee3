package io.turnpike.node.cli;

import static io.turnpike.node.api.FakeNodeControl.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.protocol.PeerCodec;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.api.FakeNodeControl;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.ScriptedTerminal;
import io.turnpike.node.fixtures.Turnpike;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `turnpike peers | channel … | pay` against a running node's API (a real server in front of a fake node). */
class NodeApiCommandsTest {

    private static final List<String> ACTIONS = List.of("openChannel", "closeChannel", "payNow");

    @TempDir
    Path dir;

    private final FakeNodeControl node = new FakeNodeControl();
    private DataDirs.Initialised home;
    private ApiServer server;

    @BeforeEach
    void runningNode() {
        home = DataDirs.init(dir, "node");
        server = ApiServer.start(node, new NodeConfig.Endpoint("127.0.0.1", 0), false,
                ApiToken.read(home.home().apiTokenFile()));
        DataDirs.configure(home.home(), "api { port = " + server.address().getPort() + " }");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void payAsksTheQuestionAndDecliningPaysNothing() {
        ScriptedTerminal operator = new ScriptedTerminal("n");

        Turnpike.Result result = run(Turnpike.withoutTerminal().terminal(operator), "pay", PROVIDER.toString());

        assertThat(operator.prompts()).containsExactly("Transfer 0.0042 ETH to " + PROVIDER + "? [y/N] ");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("Nothing was paid.\n");
        assertThat(node.methodsCalled()).doesNotContainAnyElementsOf(ACTIONS);
    }

    @Test
    void payConfirmedPaysAndSaysThePaymentWentThrough() {
        ScriptedTerminal operator = new ScriptedTerminal("y");

        Turnpike.Result result = run(Turnpike.withoutTerminal().terminal(operator), "pay",
                PROVIDER.toLowerHex());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).isEqualTo("Paid 0.0042 ETH to " + PROVIDER + " (channel 3, nonce 57); the payment "
                + "went through. Paid in total: 0.0142 ETH, still owed: 0 ETH.\n");
        assertThat(node.methodsCalled()).containsSubsequence("previewPayment", "payNow");
    }

    @Test
    void payWithYesPaysWithoutAsking() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "pay", PROVIDER.toString(), "--yes");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).startsWith("Paid 0.0042 ETH to " + PROVIDER + " (channel 3, nonce 57); the payment "
                + "went through.");
        assertThat(node.methodsCalled()).containsExactly("payNow");
    }

    @Test
    void payTellsWhenTheDebtGrewBetweenTheQuestionAndThePayment() {
        node.payingNow(Amount.of(5_000_000_000_000_000L));

        Turnpike.Result result = run(Turnpike.withoutTerminal().terminal(new ScriptedTerminal("yes")), "pay",
                PROVIDER.toString());

        assertThat(result.out()).startsWith("Paid 0.005 ETH (more than the 0.0042 ETH asked about: the debt grew "
                + "meanwhile) to " + PROVIDER);
    }

    @Test
    void payWithNoTerminalToAskOnNeedsYesAndAsksTheNodeNothing() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "pay", PROVIDER.toString());

        assertThat(result.exitCode()).isEqualTo(ErrorCode.CONFIRMATION_UNAVAILABLE.exitStatus());
        assertThat(result.err()).startsWith("error [confirmation_unavailable]: ").contains("--yes");
        assertThat(node.calls()).isEmpty();
    }

    @Test
    void aMistypedPeerIsRefusedBeforeTheNodeIsAsked() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "pay", "0x7099", "--yes");

        assertThat(result.exitCode()).isEqualTo(ErrorCode.BAD_ARGUMENT.exitStatus());
        assertThat(result.err()).startsWith("error [bad_argument]: the peer: ");
        assertThat(node.calls()).isEmpty();
    }

    @Test
    void aRefusalByTheNodeIsOneLineWithItsCode() {
        node.failWith(ControlException.nothingOwed(PROVIDER));

        Turnpike.Result result = run(Turnpike.withoutTerminal(), "pay", PROVIDER.toString(), "--yes");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error [nothing_owed]: nothing is owed to " + PROVIDER + " right now\n");
    }

    @Test
    void peersIsATableOfTheMoneyBetweenUs() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "peers");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).isEqualTo(String.join("\n",
                "PEER                                                  ROLE      TIER  USED                      PAID"
                        + "      OWED                      CREDIT  IN FLIGHT  CHANNEL",
                PROVIDER + "            provider  paid  0.0142 ETH                0.01 ETH  0.0042 ETH"
                        + "                0 ETH   0 ETH      3",
                FakeNodeControl.CLIENT + " (offline)  client    free  0.000000000000000001 ETH  0 ETH     "
                        + "0.000000000000000001 ETH  0 ETH   0 ETH      -",
                ""));
    }

    @Test
    void rpcClientsIsATableOfEachClientsTierCapacityBufferAndPrice() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "rpc", "clients");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).isEqualTo(String.join("\n",
                "CLIENT                                      TIER  CAPACITY      BUFFER         DROPPED  PRICE PER UNIT",
                FakeNodeControl.CLIENT + "  paid  1000 units/s  9740 of 10000  2        0.00000000011 ETH",
                ""));
    }

    @Test
    void peersSaysSoWhenThereAreNone() {
        node.withPeers(List.of());

        assertThat(run(Turnpike.withoutTerminal(), "peers").out()).isEqualTo("No peers yet.\n");
    }

    @Test
    void channelListIsATableWithExactFigures() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "channel", "list");

        assertThat(result.exitCode()).as(result.all()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).split(" {2,}")).containsExactly("ID", "PARTNER", "STATE", "OWN DEPOSIT",
                "PARTNER DEPOSIT", "SENT", "RECEIVED", "SPENDABLE", "SETTLES AT");
        assertThat(lines.get(1).split(" {2,}")).containsExactly("3", PROVIDER.toString(), "OPEN", "0.5 ETH", "0 ETH",
                "0.01 ETH", "0 ETH", "0.49 ETH", "-");
        assertThat(lines.get(2).split(" {2,}")).containsExactly("2", FakeNodeControl.CLIENT.toString(), "CLOSED",
                "0 ETH", "0.05 ETH", "0 ETH", "0.000000000000000001 ETH", "0 ETH", "2026-11-21T09:00:00Z");
    }

    @Test
    void channelOpenDepositsExactlyWhatWasTyped() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "channel", "open", PROVIDER.toString(),
                "0.123456789012345678");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(node.calls()).contains(new FakeNodeControl.Call("openChannel",
                List.of(PROVIDER, Amount.of(123_456_789_012_345_678L), false)));
        assertThat(result.out()).isEqualTo("Opening a channel to " + PROVIDER + " with 0.123456789012345678 ETH; "
                + "waiting for the chain to confirm it.\nChannel 4 to " + PROVIDER
                + ": OPEN, 0.123456789012345678 ETH spendable.\n");
    }

    @Test
    void aDepositWithMoreDecimalsThanTheAssetIsRefusedBeforeAnythingIsOpened() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "channel", "open", PROVIDER.toString(),
                "0.1234567890123456789");

        assertThat(result.exitCode()).isEqualTo(ErrorCode.BAD_ARGUMENT.exitStatus());
        assertThat(result.err()).startsWith("error [bad_argument]: cannot deposit that: ")
                .contains("at most 18 decimals");
        assertThat(node.methodsCalled()).doesNotContainAnyElementsOf(ACTIONS);
    }

    @Test
    void channelDepositAndWithdrawSendExactlyWhatWasTypedAndSayWhatChanged() {
        Turnpike.Result deposit = run(Turnpike.withoutTerminal(), "channel", "deposit", "3", "0.05");
        assertThat(deposit.exitCode()).as(deposit.all()).isZero();
        assertThat(deposit.out()).isEqualTo("Depositing 0.05 ETH more into channel 3; waiting for the chain to confirm "
                + "it.\nChannel 3 to " + PROVIDER + ": OPEN, 0.54 ETH spendable.\n");

        Turnpike.Result withdraw = run(Turnpike.withoutTerminal(), "channel", "withdraw", "3", "0.01");
        assertThat(withdraw.exitCode()).as(withdraw.all()).isZero();
        assertThat(withdraw.out()).isEqualTo("Withdrawing 0.01 ETH from channel 3; asking the partner to co-sign, then "
                + "waiting for the chain to confirm it.\nChannel 3 to " + PROVIDER + ": OPEN, 0.48 ETH spendable.\n");
        assertThat(node.calls()).contains(
                new FakeNodeControl.Call("depositChannel", List.of(3L, Amount.of(50_000_000_000_000_000L))),
                new FakeNodeControl.Call("withdrawChannel", List.of(3L, Amount.of(10_000_000_000_000_000L))));

        Turnpike.Result zero = run(Turnpike.withoutTerminal(), "channel", "withdraw", "3", "0");
        assertThat(zero.err()).startsWith("error [bad_argument]: cannot withdraw that: it is zero");
        assertThat(node.methodsCalled()).filteredOn("withdrawChannel"::equals).hasSize(1);
    }

    @Test
    void channelCloseForcedSaysWhenItSettles() {
        Turnpike.Result result = run(Turnpike.withoutTerminal(), "channel", "close", "3", "--force");

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(node.calls()).contains(new FakeNodeControl.Call("closeChannel", List.of(3L, true)));
        assertThat(result.out()).isEqualTo("Channel 3 to " + PROVIDER + ": CLOSED; its challenge period ends at "
                + "2026-11-21T09:00:00Z, then it settles.\n");
    }

    @Test
    void aNodeThatIsNotRunningIsOneClearLine() {
        int port = server.address().getPort();
        server.close();

        for (String[] command : List.of(new String[] {"peers"}, new String[] {"channel", "list"},
                new String[] {"pay", PROVIDER.toString(), "--yes"})) {
            Turnpike.Result result = run(Turnpike.withoutTerminal(), command);

            assertThat(result.exitCode()).isEqualTo(ErrorCode.NODE_NOT_RUNNING.exitStatus());
            assertThat(result.out()).isEmpty();
            assertThat(result.err()).startsWith("error [node_not_running]: no node is running at http://127.0.0.1:"
                    + port).endsWith("\n").hasLineCount(1);
        }
    }

    /**
     * The one error model's table: whatever code a node refuses with, the CLI prints it and exits with its status, the
     * API answers it at its HTTP status, and a peer receives it, each with the code and the sentence unchanged.
     */
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeReachesTheCliTheApiAndTheWireTheSameWay(ErrorCode code) throws Exception {
        String sentence = "what went wrong, and what to do about it";
        node.failWith(new TurnpikeException(code, sentence));

        Turnpike.Result cli = run(Turnpike.withoutTerminal(), "peers");
        HttpResponse<byte[]> api = get("/api/peers");
        PeerMessage wire = PeerCodec.decode(PeerCodec.encode(ErrorMessage.of(new TurnpikeException(code, sentence))));

        assertThat(cli.exitCode()).as(cli.all()).isEqualTo(code.exitStatus());
        assertThat(cli.err()).isEqualTo("error [" + code.code() + "]: " + sentence + "\n");
        assertThat(api.statusCode()).isEqualTo(code.httpStatus());
        JsonObjectReader body = JsonObjectReader.parse(api.body());
        assertThat(List.of(body.string("code"), body.string("message"))).containsExactly(code.code(), sentence);
        assertThat(wire).isEqualTo(new ErrorMessage(code.code(), sentence));
        assertThat(ErrorCode.fromCode(((ErrorMessage) wire).code())).contains(code);
    }

    private HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                    .header("Authorization", "Bearer " + Files.readString(home.home().apiTokenFile()).strip()).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }
    }

    private Turnpike.Result run(Turnpike turnpike, String... args) {
        String[] withDatadir = new String[args.length + 2];
        System.arraycopy(args, 0, withDatadir, 0, args.length);
        withDatadir[args.length] = "--datadir";
        withDatadir[args.length + 1] = home.directory().toString();
        return turnpike.run(withDatadir);
    }
}
