package io.turnpike.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Funds;
import io.turnpike.node.fixtures.ScriptedTerminal;
import io.turnpike.node.fixtures.Turnpike;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `turnpike wallet balance` and `send` against a real anvil, balances checked to the wei. */
class WalletOnChainTest {

    private static final Pattern FEE = Pattern.compile("fee ([0-9.]+) ETH");

    private final Anvil anvil = SharedAnvil.get();
    private Funds funds;
    private DataDirs.Initialised node;
    private Address recipient;

    @TempDir
    Path dir;

    @BeforeEach
    void fundedNode() {
        funds = new Funds(anvil);
        node = DataDirs.init(dir, "node");
        recipient = PrivateKey.random(new SecureRandom()).address();
        funds.sendEther(node.address(), "1.5");
    }

    @AfterEach
    void close() {
        funds.close();
    }

    @Test
    void balanceShowsEtherAndEachConfiguredTokenExactly() {
        Asset token = funds.deployToken("TPD");
        funds.mint(token, node.address(), "1234.000000000000000001");
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1) + "\n" + tokens(token)
                + "\nwallet.low-balance = \"2\"");

        Turnpike.Result balance = turnpike().run("wallet", "balance", "--datadir", node.directory().toString());

        assertThat(balance.exitCode()).as(balance.all()).isZero();
        assertThat(balance.out()).contains(node.address() + " on chain " + anvil.chainId())
                .containsPattern("(?m)^  ETH  1\\.5  \\(below turnpike.wallet.low-balance, 2 ETH")
                .containsPattern("(?m)^  TPD  1234\\.000000000000000001$");
    }

    @Test
    void sendMovesEtherExactlyAndReportsEachConfirmation() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 2));
        Amount before = funds.balance(node.address(), Asset.ETH);

        Turnpike.Running send = turnpike().start("wallet", "send", recipient.toString(), "0.0042", "--yes",
                "--datadir", node.directory().toString(), "--passphrase-file", node.passphraseFile().toString());
        send.awaitOutput("1/2 confirmations");
        funds.mineBlock();
        Turnpike.Result result = send.await();

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).containsPattern("sent 0x[0-9a-f]{64}, in block \\d+, 1/2 confirmations")
                .contains("2/2 confirmations", "Confirmed: 0.0042 ETH to " + recipient);
        Amount sent = Amount.parse("0.0042", 18);
        assertThat(funds.balance(recipient, Asset.ETH)).isEqualTo(sent);
        assertThat(funds.balance(node.address(), Asset.ETH)).isEqualTo(before.minus(sent).minus(printedFee(result)));
    }

    @Test
    void sendMovesATokenExactly() {
        Asset token = funds.deployToken("TPD");
        funds.mint(token, node.address(), "100");
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1) + "\n" + tokens(token));

        Turnpike.Result result = turnpike().run("wallet", "send", recipient.toString(), "12.000000000000000345",
                "--asset", "tpd", "--yes", "--datadir", node.directory().toString(),
                "--passphrase-file", node.passphraseFile().toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(funds.balance(recipient, token)).isEqualTo(Amount.parse("12.000000000000000345", 18));
        assertThat(funds.balance(node.address(), token)).isEqualTo(Amount.parse("87.999999999999999655", 18));
    }

    @Test
    void sendShowsWhatWillBeSentAndADeclineSendsNothing() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));
        ScriptedTerminal operator = new ScriptedTerminal("n");

        Turnpike.Result declined = Turnpike.withoutTerminal().terminal(operator)
                .run("wallet", "send", recipient.toString(), "0.0042", "--datadir", node.directory().toString());

        assertThat(declined.exitCode()).isNotZero();
        assertThat(declined.out()).contains("Send 0.0042 ETH", "from  " + node.address(), "to    " + recipient,
                "Nothing was sent.");
        assertThat(operator.prompts()).as("no passphrase asked for a declined send").containsExactly("Send it? [y/N] ");
        assertThat(funds.balance(recipient, Asset.ETH)).isEqualTo(Amount.ZERO);
    }

    @Test
    void onATerminalTheOperatorConfirmsAndThenTypesThePassphrase() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));
        ScriptedTerminal operator = new ScriptedTerminal("y", DataDirs.PASSPHRASE);

        Turnpike.Result sent = Turnpike.withoutTerminal().terminal(operator)
                .run("wallet", "send", recipient.toString(), "0.0042", "--datadir", node.directory().toString());

        assertThat(sent.exitCode()).as(sent.all()).isZero();
        assertThat(operator.prompts()).hasSize(2);
        assertThat(funds.balance(recipient, Asset.ETH)).isEqualTo(Amount.parse("0.0042", 18));
    }

    @Test
    void withoutATerminalASendNeedsYes() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));

        Turnpike.Result refused = turnpike().run("wallet", "send", recipient.toString(), "0.0042", "--datadir",
                node.directory().toString(), "--passphrase-file", node.passphraseFile().toString());

        assertThat(refused.err()).contains("confirmation_unavailable", "--yes");
        assertThat(funds.balance(recipient, Asset.ETH)).isEqualTo(Amount.ZERO);
    }

    @Test
    void aSendBeyondTheBalanceIsRefusedBeforeAnyPassphraseIsAsked() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));

        Turnpike.Result refused = turnpike().run("wallet", "send", recipient.toString(), "1.500000000000000001",
                "--yes", "--datadir", node.directory().toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("insufficient_funds", "holds 1.5 ETH");
    }

    @Test
    void amountsAreParsedExactlyOrRefused() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));
        String datadir = node.directory().toString();

        assertThat(turnpike().run("wallet", "send", recipient.toString(), "0.0000000000000000001", "--yes",
                "--datadir", datadir).err()).contains("bad_argument", "more than 18 decimal places");
        assertThat(turnpike().run("wallet", "send", recipient.toString(), "-1", "--yes", "--datadir", datadir).err())
                .contains("bad_argument");
        assertThat(turnpike().run("wallet", "send", recipient.toString(), "1", "--asset", "DOGE", "--yes",
                "--datadir", datadir).err()).contains("bad_argument", "'DOGE' is not an asset");
        // EIP-55's own example address, with one letter's case flipped.
        String badChecksum = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".replace("5aA", "5aa");
        assertThat(turnpike().run("wallet", "send", badChecksum, "1", "--yes", "--datadir", datadir).err())
                .contains("bad_argument", "checksum");
    }

    private static Turnpike turnpike() {
        return Turnpike.withoutTerminal();
    }

    private static String tokens(Asset token) {
        return "tokens = [{symbol = " + token.symbol() + ", address = \"" + token.token() + "\", decimals = "
                + token.decimals() + "}]";
    }

    private static Amount printedFee(Turnpike.Result result) {
        Matcher fee = FEE.matcher(result.out());
        assertThat(fee.find()).as(result.out()).isTrue();
        return Amount.parse(fee.group(1), 18);
    }
}
