package io.turnpike.node.api;

import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The dashboard as a browser test meets it: one chromium for the test class (starting one is the slow part), and for
 * each test a fresh {@link FakeNodeControl} behind a real {@link ApiServer}, the page at desktop size. Register it as
 * {@code @RegisterExtension static final DashboardUnderTest dashboard = new DashboardUnderTest();}.
 */
public final class DashboardUnderTest implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    private DashboardBrowser browser;
    private Path tokenDir;
    private FakeNodeControl node;
    private ApiServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        browser = DashboardBrowser.start(DashboardBrowser.DESKTOP);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        tokenDir = Files.createTempDirectory("turnpike-dashboard");
        node = new FakeNodeControl();
        server = ApiServer.start(node, new NodeConfig.Endpoint("127.0.0.1", 0), false,
                ApiServerTest.token(tokenDir, ApiServerTest.TOKEN));
        browser.resize(DashboardBrowser.DESKTOP);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        server.close();
        FileTrees.delete(tokenDir);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (browser != null) {
            browser.close();
        }
    }

    public DashboardBrowser browser() {
        return browser;
    }

    /** This test's node; its figures are fixed, and it records what the page asked of it. */
    public FakeNodeControl node() {
        return node;
    }

    /** Opens the page with the token in its fragment, as `turnpike` prints the address. */
    public void openSignedIn() {
        browser.open("http://127.0.0.1:" + server.address().getPort() + "/#token=" + ApiServerTest.TOKEN);
    }
}
