package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.api.DashboardBrowser;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.PeerView;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * The dashboard of a real client node on anvil, in a real chromium: the operator presses Pay debts, confirms the
 * amount the node owes its provider, and the page shows the new paid total, which both nodes' books agree on.
 */
class DashboardPayDebtsTest {

    private static final int BODY = 1024 * 1024;

    @RegisterExtension
    final PairedNodes paired = new PairedNodes(BODY);

    private NodePair pair;
    private ApiServer api;
    private DashboardBrowser browser;

    @BeforeEach
    void start() throws Exception {
        // A high threshold, a long pay interval and no statements (which the client would pay at once): the client
        // owes until the operator pays.
        pair = paired.start("1000", "1000000000000000",
                "provider.statement-interval = 1h", "client.pay-interval = 1h");
        api = ApiServer.start(new RunningNodeControl(pair.client), new NodeConfig.Endpoint("127.0.0.1", 0), false,
                ApiToken.read(pair.clientDir.home().apiTokenFile()));
        browser = DashboardBrowser.start(DashboardBrowser.DESKTOP);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @Test
    void payDebtsPaysTheProviderWhatTheNodeOwedAndThePageShowsTheNewPaidTotal() throws Exception {
        NodeControl client = new RunningNodeControl(pair.client);
        assertThat(paired.fetch()).isEqualTo(BODY);
        Downloads.await(() -> provider(client).owed().isGreaterThan(Amount.of(1000L * BODY)), Duration.ofSeconds(30));
        Amount owed = provider(client).owed();
        String row = "tr[data-peer='" + pair.providerDir.address() + "']";
        By payDebts = By.cssSelector(row + " button");

        browser.open("http://127.0.0.1:" + api.address().getPort() + "/#token="
                + Files.readString(pair.clientDir.home().apiTokenFile()).trim());
        browser.click(payDebts);

        String question = browser.visible(By.id("pay-question")).getText();
        assertThat(question).endsWith(" to " + pair.providerDir.address() + "?");
        browser.click(By.id("confirm-ok"));

        browser.awaitText(By.cssSelector("#messages .message p"), "the payment went through");
        PeerView paid = provider(client);
        assertThat(paid.owed()).isEqualTo(Amount.ZERO);
        assertThat(paid.paid()).isGreaterThanOrEqualTo(owed);
        // The Paid column shows the new total; its title carries the API's exact figure.
        By paidCell = By.cssSelector(row + " td[data-label='Paid'] .amount");
        browser.await(d -> d.findElement(paidCell).getDomAttribute("title")
                .startsWith(Asset.ETH.format(paid.paid()) + " ("));
        assertThat(browser.all(payDebts)).as("nothing left to pay").isEmpty();
        // The provider's books agree with what the page shows.
        Downloads.await(() -> pair.provider.provider().orElseThrow().views().getFirst().paid().equals(paid.paid()),
                Duration.ofSeconds(30));
        // The wallet, the services and the chain are read from the real node too, without an error.
        browser.awaitText(By.id("wallet-total"), "ETH");
        assertThat(browser.all(By.cssSelector(".panel-error")).stream().filter(e -> e.isDisplayed())).isEmpty();
        assertThat(browser.visible(By.id("bought-table")).getText()).contains("bandwidth", "per GB");
    }

    private static PeerView provider(NodeControl client) {
        return client.peers().stream().filter(p -> p.role().equals("provider")).findFirst().orElseThrow();
    }
}
