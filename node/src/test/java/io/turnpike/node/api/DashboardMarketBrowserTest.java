package io.turnpike.node.api;

import static io.turnpike.node.api.FakeNodeControl.CLIENT;
import static io.turnpike.node.api.FakeNodeControl.PROVIDER;
import static io.turnpike.node.api.FakeNodeControl.SECOND_PROVIDER;
import static io.turnpike.node.api.FakeNodeControl.THIRD_PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The market and selling screens (market.js) in a real chromium against a real {@link ApiServer} in front of a
 * {@link FakeNodeControl}: providers with their prices and scores, choosing one, subscribing and renewing with the
 * price and date asked first, the earnings and the clients' standing, and the watchtowers.
 */
class DashboardMarketBrowserTest {

    private static final By DIALOG = By.id("confirm");
    private static final By MESSAGE = By.cssSelector("#messages .message p");
    private static final By RENEW_PLAN_1 = By.cssSelector("tr[data-subscription='" + PROVIDER + "-1'] button");
    private static final By SUBSCRIBE_PLAN_1 = By.cssSelector("button[data-focus-key='subscribe-" + PROVIDER + "-1']");
    private static final By USE_THIRD_FOR_RPC = By.cssSelector(
            "button[data-focus-key='choose-rpc-" + THIRD_PROVIDER + "']");

    @RegisterExtension
    static final DashboardUnderTest DASHBOARD = new DashboardUnderTest();

    private DashboardBrowser browser;
    private FakeNodeControl node;

    @BeforeEach
    void page() {
        browser = DASHBOARD.browser();
        node = DASHBOARD.node();
    }

    private void openSignedIn() {
        DASHBOARD.openSignedIn();
        browser.awaitText(By.id("providers-table"), "Plan 1");
        browser.awaitText(By.id("towers-table"), "channel 2");
        browser.awaitText(By.id("subscriptions-table"), "Renew");
    }

    private String text(By by) {
        return browser.visible(by).getText();
    }

    private String row(String attribute, Address address) {
        return text(By.cssSelector("tr[data-" + attribute + "='" + address + "']"));
    }

    private void answer(String button) {
        browser.click(By.id(button));
        browser.await(d -> !d.findElement(DIALOG).isDisplayed());
    }

    /** Renew… (or Subscribe…), {@code months} months, up to the question with the price and the date. */
    private String askToSubscribe(By button, int months) {
        browser.click(button);
        browser.type(By.id("subscribe-months"), Integer.toString(months));
        // The same dialog asks again at once, with the quote: wait for the question, not for it to close.
        browser.click(By.id("confirm-ok"));
        return text(By.id("subscribe-question"));
    }

    private long calls(String method) {
        return node.methodsCalled().stream().filter(method::equals).count();
    }

    @Test
    void providersShowPricesPerGbAndPerThousandUnitsTheirMonthlyFeeStakeLatencyAndWhyTheyScoreSo() {
        openSignedIn();

        assertThat(row("provider", PROVIDER)).contains("bandwidth: 0.00002 ETH per GB",
                "rpc: 100 gwei per 1,000 cost units", "Plan 1: 0.01 ETH a month", "1 ETH",
                "12 ms away; staked; 0 payments not served, 0 refused proofs, 2 disconnects", "bandwidth, rpc");
        // Only a configured provider can be pinned: the second one is in the market alone.
        assertThat(row("provider", SECOND_PROVIDER)).contains("no answer", "no trouble seen").doesNotContain("Use for");
        assertThat(row("provider", THIRD_PROVIDER)).contains("1 payment not served",
                "1 refused proof", "none", "Use for rpc…");
        assertThat(text(By.id("providers-chosen"))).contains("bandwidth:", "rpc:", "Let the node choose");
    }

    @Test
    void choosingAProviderAsksFirstAndCancellingChangesNothing() {
        openSignedIn();

        browser.click(USE_THIRD_FOR_RPC);
        assertThat(text(By.id("choose-question"))).isEqualTo("Send your rpc traffic to " + THIRD_PROVIDER + "?");
        answer("confirm-cancel");
        assertThat(browser.awaitText(MESSAGE, "Nothing changed")).isNotEmpty();
        assertThat(calls("pinProvider")).isZero();

        browser.click(USE_THIRD_FOR_RPC);
        answer("confirm-ok");

        // It is not connected: pinned, it takes rpc traffic once it is, and the page says so rather than "done".
        assertThat(browser.awaitText(MESSAGE, "pinned")).isEqualTo("The rpc service is pinned to 0x15d3…6A65; none is "
                + "connected, so new rpc traffic waits until one is.");
        assertThat(node.calls()).contains(new FakeNodeControl.Call("pinProvider",
                List.of("rpc", Optional.of(THIRD_PROVIDER))));
        assertThat(browser.awaitText(By.id("providers-chosen"), "none connected")).contains("rpc: none connected");
    }

    @Test
    void subscribingAsksPayXForNMonthsUntilTheDateAndPaysOnlyOnceConfirmed() {
        openSignedIn();

        askToSubscribe(SUBSCRIBE_PLAN_1, 1);
        answer("confirm-cancel");

        assertThat(browser.awaitText(MESSAGE, "Nothing was paid.")).isNotEmpty();
        assertThat(calls("quoteSubscription")).isEqualTo(1);
        assertThat(calls("subscribe")).isZero();

        assertThat(askToSubscribe(SUBSCRIBE_PLAN_1, 3)).isEqualTo("Pay 0.03 ETH for 3 months until Feb 23, 2027?");
        assertThat(node.calls()).contains(new FakeNodeControl.Call("quoteSubscription", List.of(PROVIDER, 1L, 3L)));
        assertThat(calls("subscribe")).isZero();
        answer("confirm-ok");

        assertThat(browser.awaitText(MESSAGE, "Subscribed")).contains("plan 1 of 0x7099…79C8", "Paid 0.03 ETH");
        assertThat(node.calls()).contains(new FakeNodeControl.Call("subscribe", List.of(PROVIDER, 1L, 3L)));
    }

    @Test
    void renewingIsTheSameQuestionCountedOnFromTheCurrentEnd() {
        openSignedIn();
        assertThat(text(By.id("subscriptions-table"))).contains("Ends this week", "Running");

        assertThat(askToSubscribe(RENEW_PLAN_1, 1)).isEqualTo("Pay 0.01 ETH for 1 month until Dec 25, 2026?");
        answer("confirm-ok");

        browser.awaitText(MESSAGE, "Subscribed");
        assertThat(node.calls()).contains(new FakeNodeControl.Call("subscribe", List.of(PROVIDER, 1L, 1L)));
    }

    @Test
    void aRefusedSubscriptionIsASentenceWithItsCode() {
        node.failWith("quoteSubscription", new TurnpikeException(ErrorCode.SETTING_MISSING, "this node has no market: "
                + "set turnpike.chain.market to the TurnpikeMarket contract to subscribe"));
        openSignedIn();

        browser.click(RENEW_PLAN_1);
        answer("confirm-ok");

        assertThat(browser.awaitText(MESSAGE, "(setting_missing)")).isEqualTo("Cannot subscribe to 0x7099…79C8: This "
                + "node has no market: set turnpike.chain.market to the TurnpikeMarket contract to subscribe. "
                + "(setting_missing)");
        assertThat(calls("subscribe")).isZero();
    }

    @Test
    void sellingShowsTheMonthsEarningsPerDayAndServiceEachClientsStandingAndWhatEachTowerHolds() {
        openSignedIn();

        assertThat(browser.awaitText(By.id("earnings-total"), "ETH")).isEqualTo("0.00475 ETH in the last 30 days");
        List<String> days = browser.all(By.cssSelector("#earnings-table tbody tr")).stream()
                .map(r -> r.getText()).toList();
        assertThat(days).hasSize(3);
        assertThat(days.get(0)).contains("2026-11-21", "bandwidth 0.0005 ETH", "rpc 0.00025 ETH", "0.00075 ETH");
        assertThat(days.get(2)).contains("2026-11-19", "0.001 ETH");
        assertThat(browser.all(By.cssSelector("#earnings-chart rect.bar"))).hasSize(5);
        assertThat(text(By.id("selling-prices"))).contains("bandwidth: 0.00001 ETH per GB",
                "Clients pay before they owe 0.00001 ETH");
        assertThat(row("client", CLIENT)).contains("Free (slowed until it pays)", "1 wei");
        assertThat(row("tower", FakeNodeControl.TOWER)).contains("http://127.0.0.1:8700", "0.001 ETH",
                "channel 2 up to payment 7", "Unreachable: Connection refused.");
    }

    @Test
    void takesTheScreenshotsTheDocsShow() {
        Path folder = Path.of(System.getProperty("turnpike.screenshots", "target/dashboard-screenshots"));
        openSignedIn();
        browser.screenshot(By.id("providers"), folder.resolve("dashboard-providers.png"));
        browser.screenshot(By.id("subscriptions"), folder.resolve("dashboard-subscriptions.png"));
        browser.screenshot(By.id("selling"), folder.resolve("dashboard-selling.png"));
        browser.screenshot(By.id("towers"), folder.resolve("dashboard-towers.png"));

        askToSubscribe(SUBSCRIBE_PLAN_1, 3);
        browser.screenshot(DIALOG, folder.resolve("dashboard-subscribe-confirm.png"));
        answer("confirm-cancel");

        browser.click(USE_THIRD_FOR_RPC);
        browser.visible(By.id("choose-question"));
        browser.screenshot(DIALOG, folder.resolve("dashboard-choose-confirm.png"));
        answer("confirm-cancel");

        assertThat(folder.resolve("dashboard-selling.png")).isNotEmptyFile();
        assertThat(folder.resolve("dashboard-subscribe-confirm.png")).isNotEmptyFile();
    }
}
