package io.turnpike.node.api;

import static io.turnpike.node.api.FakeNodeControl.CLIENT;
import static io.turnpike.node.api.FakeNodeControl.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.PeerView;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real chromium against a real {@link ApiServer} in front of a {@link FakeNodeControl}: every
 * screen, every action with its confirmation, and the ways it can go wrong, as an operator meets them. The node's
 * figures are fixed, so each assertion names exactly what the operator must read.
 */
class DashboardBrowserTest {

    private static final By PAY_PROVIDER = By.cssSelector("tr[data-peer='" + PROVIDER + "'] button");
    private static final By CLOSE_3 = By.cssSelector("tr[data-channel='3'] button[aria-label='Close channel 3']");
    private static final By DIALOG = By.id("confirm");
    private static final By MESSAGE = By.cssSelector("#messages .message p");

    private static DashboardBrowser browser;

    @TempDir
    Path dir;

    private FakeNodeControl node;
    private ApiServer server;

    @BeforeAll
    static void startBrowser() {
        browser = DashboardBrowser.start(DashboardBrowser.DESKTOP);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @BeforeEach
    void startServer() throws IOException {
        node = new FakeNodeControl();
        server = ApiServer.start(node, new NodeConfig.Endpoint("127.0.0.1", 0), false,
                ApiServerTest.token(dir, ApiServerTest.TOKEN));
        browser.resize(DashboardBrowser.DESKTOP);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String page() {
        return "http://127.0.0.1:" + server.address().getPort() + "/";
    }

    /** Opens the page with the token in the fragment, as `turnpike` prints the address, and waits for the figures. */
    private void openSignedIn() {
        browser.open(page() + "#token=" + ApiServerTest.TOKEN);
        browser.awaitText(By.id("wallet-address"), FakeNodeControl.SELF.toString());
        browser.awaitText(By.id("peers-table"), "Pay debts");
    }

    private String text(By by) {
        return browser.visible(by).getText();
    }

    private void confirm() {
        browser.click(By.id("confirm-ok"));
        browser.await(d -> !d.findElement(DIALOG).isDisplayed());
    }

    @Test
    void aWrongTokenIsRefusedWithASentenceAndTheRightOneShowsTheNode() {
        browser.open(page());
        browser.type(By.id("token"), "not-the-token-of-this-node-0123456789abcdef");
        browser.click(By.cssSelector("#login button[type=submit]"));

        assertThat(browser.awaitText(By.id("login-error"), "did not accept that token"))
                .contains("api.token");
        assertThat(browser.driver().findElement(By.id("main")).isDisplayed()).isFalse();
        assertThat(node.methodsCalled()).isEmpty();

        browser.type(By.id("token"), ApiServerTest.TOKEN);
        browser.click(By.cssSelector("#login button[type=submit]"));

        browser.awaitText(By.id("wallet-address"), FakeNodeControl.SELF.toString());
        assertThat(browser.driver().findElement(By.id("login-section")).isDisplayed()).isFalse();
        assertThat(browser.driver().getPageSource()).doesNotContain(ApiServerTest.TOKEN);
    }

    @Test
    void theOverviewShowsTheWalletWithWhatIsLockedInChannelsApartTheDebtsAndTheChain() {
        openSignedIn();

        assertThat(browser.driver().getCurrentUrl()).doesNotContain("token");
        assertThat(text(By.id("wallet-balances"))).contains("2.75 ETH", "1,234.5 USDC");
        assertThat(text(By.id("wallet-in-channels"))).isEqualTo("0.49 ETH");
        assertThat(text(By.id("wallet-total"))).isEqualTo("3.24 ETH");
        assertThat(browser.driver().findElement(By.id("wallet-low")).isDisplayed()).isFalse();
        assertThat(text(By.id("debts-owed"))).isEqualTo("0.0042 ETH");
        assertThat(text(By.id("debts-owing"))).isEqualTo("1 wei");
        assertThat(text(By.id("chain-health"))).startsWith("Healthy");
        assertThat(text(By.id("chain-head"))).isEqualTo("#1,234");
        assertThat(text(By.id("chain-id"))).contains("31337");
        assertThat(browser.awaitText(By.id("chain-endpoints"), "1 request, 0 failed")).contains("http://127.0.0.1:8545");
    }

    @Test
    void peersShowWhatEachOwesOrIsOwedAndOnlyADebtToAProviderCanBePaid() {
        openSignedIn();

        String provider = text(By.cssSelector("tr[data-peer='" + PROVIDER + "']"));
        assertThat(provider).contains("Provider (you buy)", "0.0142 ETH", "0.01 ETH", "you owe", "0.0042 ETH", "online");
        String client = text(By.cssSelector("tr[data-peer='" + CLIENT + "']"));
        assertThat(client).contains("Client (buys from you)", "Free (slowed)", "owes you", "offline");
        assertThat(browser.all(By.cssSelector("tr[data-peer='" + CLIENT + "'] button"))).isEmpty();
    }

    @Test
    void payDebtsAsksWithTheAmountAndPeerPaysOnlyWhenConfirmedAndShowsTheNewPaidTotal() {
        openSignedIn();

        browser.click(PAY_PROVIDER);
        assertThat(text(By.id("pay-question"))).isEqualTo("Transfer 0.0042 ETH to " + PROVIDER + "?");
        assertThat(text(By.id("confirm-ok"))).isEqualTo("Pay 0.0042 ETH");
        browser.click(By.id("confirm-cancel"));
        assertThat(browser.awaitText(MESSAGE, "Nothing was paid.")).doesNotContain("Paid");
        assertThat(node.methodsCalled()).doesNotContain("payNow");

        browser.click(PAY_PROVIDER);
        browser.visible(By.id("pay-question"));
        confirm();

        String paid = browser.awaitText(MESSAGE, "the payment went through");
        assertThat(paid).contains("Paid 0.0042 ETH to 0x7099…79C8", "Paid in total: 0.0142 ETH", "still owed: 0 ETH");
        assertThat(node.calls()).filteredOn(c -> c.method().equals("payNow"))
                .containsExactly(new FakeNodeControl.Call("payNow", List.of(PROVIDER)));
    }

    @Test
    void aPaymentLargerThanAskedAboutSaysTheDebtGrew() {
        node.payingNow(Amount.of(5_000_000_000_000_000L));
        openSignedIn();

        browser.click(PAY_PROVIDER);
        confirm();

        assertThat(browser.awaitText(MESSAGE, "went through"))
                .contains("Paid 0.005 ETH (more than the 0.0042 ETH asked about: the debt grew meanwhile)");
    }

    @Test
    void aRefusalOfTheNodeIsShownAsASentenceWithItsCodeNeverAStackTrace() {
        node.failWith("payNow", new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "the channel holds too little"));
        openSignedIn();

        browser.click(PAY_PROVIDER);
        confirm();

        assertThat(browser.awaitText(MESSAGE, "did not go through")).isEqualTo("The payment to 0x7099…79C8 did not go "
                + "through: The channel holds too little. (insufficient_funds)");
        assertThat(browser.driver().findElement(By.cssSelector("#messages .message")).getDomAttribute("role"))
                .isEqualTo("alert");

        node.failWith("closeChannel", new IllegalStateException("secret internals at io.turnpike.Foo"));
        browser.click(CLOSE_3);
        confirm();
        String failure = browser.awaitText(MESSAGE, "was not closed");
        assertThat(failure).contains("(internal)", "its log says why").doesNotContain("secret", "Exception");
    }

    @Test
    void closingAChannelAsksHowAndSendsThatChoice() {
        openSignedIn();

        browser.click(CLOSE_3);
        assertThat(text(By.id("confirm-body"))).contains("Close channel 3 with " + PROVIDER, "0.49 ETH of yours");
        assertThat(browser.driver().findElement(By.id("close-mode-cooperative")).isSelected()).isTrue();
        browser.click(By.id("confirm-cancel"));
        assertThat(node.methodsCalled()).doesNotContain("closeChannel");

        browser.click(CLOSE_3);
        browser.click(By.cssSelector("label[for='close-mode-force']"));
        confirm();

        assertThat(browser.awaitText(MESSAGE, "Channel 3 is closed")).contains("challenge period ends");
        assertThat(node.calls()).filteredOn(c -> c.method().equals("closeChannel"))
                .containsExactly(new FakeNodeControl.Call("closeChannel", List.of(3L, true)));
        assertThat(browser.all(By.cssSelector("tr[data-channel='2'] button"))).as("a closed channel").isEmpty();
        assertThat(text(By.cssSelector("tr[data-channel='2']"))).contains("Closing", "—");
    }

    @Test
    void openingAChannelChecksTheFormConfirmsWithAWarningForAStrangerAndSendsTheExactDeposit() {
        openSignedIn();
        Address stranger = Address.of("0x90F79bf6EB2c4f870365E785982E1f101E93b906");

        browser.type(By.id("partner"), "0x90F79bf6EB2c4f870365E785982E1f101E93b9");
        browser.type(By.id("deposit"), "0.1234567890123456789");
        browser.click(By.id("open-submit"));
        assertThat(text(By.id("partner-error"))).contains("40 hexadecimal digits");
        assertThat(text(By.id("deposit-error"))).isEqualTo("ETH has at most 18 decimal places.");

        browser.type(By.id("partner"), stranger.toString());
        browser.type(By.id("deposit"), "3");
        browser.click(By.id("open-submit"));
        assertThat(text(By.id("deposit-error"))).isEqualTo("Your wallet holds 2.75 ETH, less than that.");
        assertThat(node.methodsCalled()).doesNotContain("openChannel");

        browser.type(By.id("deposit"), "0.123456789012345678");
        browser.click(By.id("open-submit"));
        assertThat(text(By.id("confirm-body"))).contains(
                "Open a channel to " + stranger + " with 0.123456789012345678 ETH?",
                "Network fee, at most: 0.00029 ETH for the opening (at up to 2 gwei per unit of gas)",
                "not a peer your node is connected to");
        assertThat(text(By.id("confirm-ok"))).isEqualTo("Open anyway with 0.123456789012345678 ETH");
        confirm();

        assertThat(browser.awaitText(MESSAGE, "is open")).contains("Channel 4 to 0x90F7…b906 is open with "
                + "0.123456789012345678 ETH.");
        // Only told to go ahead by the warning is the node asked to open to a partner it is not connected to.
        assertThat(node.calls()).filteredOn(c -> c.method().equals("openChannel")).containsExactly(
                new FakeNodeControl.Call("openChannel", List.of(stranger, Amount.of(123_456_789_012_345_678L), true)));

        // A connected peer needs no warning, and the node is not told to go ahead regardless.
        browser.type(By.id("partner"), PROVIDER.toString());
        browser.type(By.id("deposit"), "0.5");
        browser.click(By.id("open-submit"));
        assertThat(text(By.id("confirm-body"))).doesNotContain("not a peer your node is connected to");
        assertThat(text(By.id("confirm-ok"))).isEqualTo("Open with 0.5 ETH");
        confirm();
        browser.awaitText(MESSAGE, "Channel 4 to " + PROVIDER.toString().substring(0, 6));
        assertThat(node.calls()).filteredOn(c -> c.method().equals("openChannel")).last().isEqualTo(
                new FakeNodeControl.Call("openChannel", List.of(PROVIDER, Amount.of(500_000_000_000_000_000L), false)));
    }

    @Test
    void servicesShowPricesPerUnitAndPerGigabyteAndRefusalsTheirCodes() {
        openSignedIn();

        assertThat(text(By.id("sold-table"))).contains("bandwidth", "0.00001 ETH per GB", "10,000 wei per byte");
        assertThat(text(By.id("sold-threshold"))).contains("0.00001 ETH");
        String bought = text(By.id("bought-table"));
        assertThat(bought).contains("0x7099…79C8", "0.00002 ETH per GB", "20,000 wei per byte", "rpc", "0.1 gwei per cost unit");
        assertThat(text(By.id("rpc-clients-table"))).contains("0x3C44…93BC", "Paid seat", "1,000 cost units/s",
                "9,740 of 10,000 (97 %)", "0.11 gwei per cost unit");
        assertThat(text(By.id("refusals-table"))).contains("stale_proof", "invalid_signature", "0x3C44…93BC");
    }

    @Test
    void thePageFollowsTheNodeWithoutReloading() {
        openSignedIn();
        browser.script("window.stillTheSamePage = true");

        node.withPeers(List.of(new PeerView(PROVIDER, true, "provider", "paid", Amount.of(20_000_000_000_000_000L),
                Amount.of(20_000_000_000_000_000L), Amount.ZERO, Amount.ZERO, Amount.ZERO, Optional.of(3L))));

        browser.await(d -> browser.all(PAY_PROVIDER).isEmpty());
        assertThat(text(By.id("debts-owed"))).isEqualTo("0 ETH");
        assertThat(browser.script("return window.stillTheSamePage")).isEqualTo(true);
    }

    @Test
    void aNodeThatStopsAnsweringIsSaidSoAndTheLastFiguresStay() {
        openSignedIn();

        server.close();

        browser.awaitText(By.id("updated"), "Node not answering");
        assertThat(text(By.cssSelector("#wallet .panel-error"))).contains("does not answer", "(node_unreachable)");
        assertThat(text(By.id("wallet-total"))).isEqualTo("3.24 ETH");
    }

    @Test
    void theKeyboardAloneReachesPayDebtsAndEscapeDeclines() {
        openSignedIn();
        WebElement pay = browser.visible(PAY_PROVIDER);

        WebElement focused = browser.driver().switchTo().activeElement();
        for (int presses = 0; presses < 60 && !focused.equals(pay); presses++) {
            focused.sendKeys(Keys.TAB);
            focused = browser.driver().switchTo().activeElement();
        }
        assertThat(focused).as("Pay debts is reached with Tab").isEqualTo(pay);
        focused.sendKeys(Keys.ENTER);
        browser.visible(By.id("pay-question"));
        assertThat(browser.driver().switchTo().activeElement().getDomAttribute("id")).isEqualTo("confirm-cancel");
        browser.driver().switchTo().activeElement().sendKeys(Keys.ESCAPE);

        browser.awaitText(MESSAGE, "Nothing was paid.");
        assertThat(node.methodsCalled()).doesNotContain("payNow");
    }

    @Test
    void onAPhoneNothingIsWiderThanTheScreenAndPayDebtsIsWithinReach() {
        browser.resize(DashboardBrowser.PHONE);
        openSignedIn();

        Long overflow = (Long) browser.script(
                "return document.documentElement.scrollWidth - window.innerWidth");
        assertThat(overflow).isLessThanOrEqualTo(0L);
        WebElement pay = browser.visible(PAY_PROVIDER);
        assertThat(pay.getRect().getX() + pay.getRect().getWidth()).isLessThanOrEqualTo(DashboardBrowser.PHONE.width);
        browser.click(PAY_PROVIDER);
        assertThat(text(By.id("pay-question"))).contains("0.0042 ETH");
    }

    /**
     * The screens docs/dashboard.md shows, as PNGs in {@code target/dashboard-screenshots}, or in the folder the system
     * property {@code turnpike.screenshots} names ({@code -Dturnpike.screenshots=../docs/images} renews the docs').
     */
    @Test
    void takesTheScreenshotsTheDocsShow() throws IOException {
        Path folder = Path.of(System.getProperty("turnpike.screenshots", "target/dashboard-screenshots"));
        browser.open(page());
        browser.visible(By.id("token"));
        browser.screenshot(null, folder.resolve("dashboard-login.png"));

        openSignedIn();
        browser.awaitText(By.id("chain-endpoints"), "1 request, 0 failed");
        browser.screenshot(By.id("overview"), folder.resolve("dashboard-overview.png"));
        browser.screenshot(By.id("peers"), folder.resolve("dashboard-peers.png"));
        browser.screenshot(By.id("channels"), folder.resolve("dashboard-channels.png"));
        browser.screenshot(By.id("services"), folder.resolve("dashboard-services.png"));
        browser.screenshot(By.id("refusals"), folder.resolve("dashboard-refusals.png"));

        browser.click(PAY_PROVIDER);
        browser.visible(By.id("pay-question"));
        browser.screenshot(By.id("confirm"), folder.resolve("dashboard-pay-confirm.png"));
        confirm();
        browser.awaitText(MESSAGE, "went through");
        browser.screenshot(By.id("messages"), folder.resolve("dashboard-paid.png"));

        browser.click(CLOSE_3);
        browser.visible(By.id("close-mode-force"));
        browser.screenshot(By.id("confirm"), folder.resolve("dashboard-close-confirm.png"));
        browser.click(By.id("confirm-cancel"));

        browser.type(By.id("partner"), "0x90F79bf6EB2c4f870365E785982E1f101E93b906");
        browser.type(By.id("deposit"), "0.5");
        browser.click(By.id("open-submit"));
        browser.visible(By.id("confirm-ok"));
        browser.screenshot(By.id("confirm"), folder.resolve("dashboard-open-confirm.png"));
        browser.click(By.id("confirm-cancel"));

        browser.resize(DashboardBrowser.PHONE);
        browser.script("window.scrollTo(0, 0)");
        browser.screenshot(null, folder.resolve("dashboard-phone.png"));

        assertThat(folder.resolve("dashboard-overview.png")).isNotEmptyFile();
        assertThat(folder.resolve("dashboard-phone.png")).isNotEmptyFile();
    }
}
