package io.turnpike.node.api;

import static io.turnpike.node.api.FakeNodeControl.PROVIDER;
import static io.turnpike.node.api.FakeNodeControl.confirmingDeposit;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.node.control.TransactionView;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The channel screen in a real chromium against a real {@link ApiServer} in front of a {@link FakeNodeControl}: top up
 * and withdraw with their two questions (how much, then "Deposit 0.05 ETH into channel 3 with 0x…?"), a transaction's
 * confirmations counted live while the action waits, and a closing channel's countdown ticking on a controlled clock.
 */
class DashboardChannelsBrowserTest {

    private static final By TOP_UP_3 = By.cssSelector("tr[data-channel='3'] button[aria-label='Top up channel 3']");
    private static final By WITHDRAW_3 =
            By.cssSelector("tr[data-channel='3'] button[aria-label='Withdraw from channel 3']");
    private static final By AMOUNT = By.id("channel-amount");
    private static final By BODY = By.id("confirm-body");
    private static final By MESSAGE = By.cssSelector("#messages .message p");
    private static final By TRANSACTIONS = By.id("transactions");

    @RegisterExtension
    static final DashboardUnderTest DASHBOARD = new DashboardUnderTest();

    private final CompletableFuture<Void> chain = new CompletableFuture<>();
    private DashboardBrowser browser;
    private FakeNodeControl node;

    @BeforeEach
    void holdTheChain() {
        browser = DASHBOARD.browser();
        node = DASHBOARD.node().holdingChannelChangesUntil(chain);
    }

    @AfterEach
    void releaseTheChain() {
        chain.complete(null);
    }

    private void openSignedIn() {
        DASHBOARD.openSignedIn();
        browser.awaitText(By.id("channels-table"), "Top up");
    }

    /** Answers the first question with {@code amount}, and waits for the second to name it. */
    private void ask(By button, String amount, String question) {
        browser.click(button);
        browser.type(AMOUNT, amount);
        browser.click(By.id("confirm-ok"));
        browser.awaitText(BODY, question);
    }

    /** The transactions the node shows from now on, read by the page at once rather than at its next refresh. */
    private void chainShows(List<TransactionView> transactions) {
        node.withTransactions(transactions);
        browser.script("refresh()");
    }

    /** Stops the page's clock at {@code at}; {@code window.testNow += ms} moves it on. */
    private void setPageClock(Instant at) {
        browser.script("window.testNow = Date.parse('" + at + "'); Date.now = () => window.testNow;");
    }

    /**
     * Also takes the channel screens docs/dashboard.md shows, into {@code target/dashboard-screenshots} or the folder
     * {@code turnpike.screenshots} names ({@code -Dturnpike.screenshots=../docs/images} renews the docs').
     */
    @Test
    void topUpNamesAmountAndPartnerThenCountsConfirmationsThenSaysWhatChanged() {
        Path screenshots = Path.of(System.getProperty("turnpike.screenshots", "target/dashboard-screenshots"));
        openSignedIn();
        String question = "Deposit 0.05 ETH into channel 3 with " + PROVIDER + "?";
        ask(TOP_UP_3, "0.05", question);
        assertThat(browser.driver().findElement(BODY).getText())
                .contains("Network fee, at most: 0.00012 ETH for its transaction (at up to 2 gwei per unit of gas)");
        browser.screenshot(By.id("confirm"), screenshots.resolve("dashboard-topup-confirm.png"));
        browser.click(By.id("confirm-cancel"));
        assertThat(node.methodsCalled()).doesNotContain("depositChannel");

        ask(TOP_UP_3, "0.05", question);
        browser.click(By.id("confirm-ok"));
        browser.awaitText(MESSAGE, "Depositing 0.05 ETH into channel 3");
        chainShows(List.of(confirmingDeposit(0)));
        browser.awaitText(MESSAGE, "sent, waiting for a block");
        chainShows(List.of(confirmingDeposit(2)));
        browser.awaitText(MESSAGE, "Confirming 2/4");
        assertThat(browser.awaitText(TRANSACTIONS, "Confirming 2/4")).startsWith("Top-up of channel 3: Confirming 2/4");
        setPageClock(FakeNodeControl.SETTLE_AT.minusSeconds(3_725));
        browser.awaitText(By.cssSelector("tr[data-channel='2'] .countdown"), "settles in 1 h 2 min 05 s");
        browser.screenshot(By.id("channels"), screenshots.resolve("dashboard-channels-progress.png"));
        chainShows(List.of(confirmingDeposit(4)));
        browser.awaitText(MESSAGE, "Confirming 4/4");

        chainShows(List.of());
        chain.complete(null);
        assertThat(browser.awaitText(MESSAGE, "now holds")).isEqualTo("Channel 3 now holds 0.55 ETH of yours (it held "
                + "0.5 ETH); you can pay 0.54 ETH in it.");
        browser.await(d -> !d.findElement(TRANSACTIONS).isDisplayed());
        assertThat(node.calls()).filteredOn(c -> c.method().equals("depositChannel"))
                .containsExactly(new FakeNodeControl.Call("depositChannel",
                        List.of(3L, Amount.of(50_000_000_000_000_000L))));
    }

    @Test
    void withdrawRefusesMoreThanIsSpendableBeforeAskingTheNodeAndSendsTheExactAmount() {
        chain.complete(null);
        openSignedIn();
        browser.click(WITHDRAW_3);
        browser.type(AMOUNT, "0.5");
        browser.click(By.id("confirm-ok"));
        assertThat(browser.awaitText(BODY, "less than that")).contains("You can withdraw 0.49 ETH, less than that.");
        browser.click(By.id("confirm-cancel"));
        assertThat(node.methodsCalled()).doesNotContain("withdrawChannel");

        ask(WITHDRAW_3, "0.01", "Withdraw 0.01 ETH from channel 3 with " + PROVIDER + " back to your wallet?");
        browser.click(By.id("confirm-ok"));
        assertThat(browser.awaitText(MESSAGE, "back in your wallet")).isEqualTo("0.01 ETH from channel 3 is back in "
                + "your wallet; you can still pay 0.48 ETH in it (it was 0.49 ETH).");
        assertThat(node.calls()).filteredOn(c -> c.method().equals("withdrawChannel"))
                .containsExactly(new FakeNodeControl.Call("withdrawChannel",
                        List.of(3L, Amount.of(10_000_000_000_000_000L))));
    }

    @Test
    void aClosingChannelCountsDownToItsSettlementLive() {
        openSignedIn();
        // The page's clock, moved by the test: 2 min 5 s before channel 2 settles, then a minute and 5 s later.
        setPageClock(FakeNodeControl.SETTLE_AT.minusSeconds(125));
        By note = By.cssSelector("tr[data-channel='2'] .countdown");
        browser.awaitText(note, "settles in 2 min 05 s");
        browser.script("window.testNow += 65000;");
        browser.awaitText(note, "settles in 1 min 00 s");
        browser.script("window.testNow += 61000;");
        browser.awaitText(note, "challenge period over; settling");
    }
}
