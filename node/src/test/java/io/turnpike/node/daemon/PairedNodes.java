package io.turnpike.node.daemon;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test's provider and client nodes on the shared anvil, with a content server to fetch through them: each test
 * starts the pair it needs ({@link #start}), and the pair, the content server and the nodes' data directories end
 * with the test, after its own {@code @AfterEach}. Registered with {@code @RegisterExtension}.
 */
final class PairedNodes implements BeforeEachCallback, AfterEachCallback {

    private final int bodyBytes;
    private Path folder;
    private TestNodes nodes;
    private Downloads target;
    private NodePair pair;

    /** @param bodyBytes the size of the body {@link #fetch} downloads */
    PairedNodes(int bodyBytes) {
        this.bodyBytes = bodyBytes;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("paired-nodes");
        nodes = new TestNodes(SharedAnvil.get(), folder);
        target = new Downloads(bodyBytes);
    }

    /** Starts the pair, as {@link NodePair#NodePair(TestNodes, String, String, String, String)}. */
    NodePair start(String pricePerByte, String threshold, String providerSettings, String clientSettings)
            throws InterruptedException {
        pair = new NodePair(nodes, pricePerByte, threshold, providerSettings, clientSettings);
        return pair;
    }

    /** The chain and contract the pair runs on. */
    TestNodes nodes() {
        return nodes;
    }

    /** Downloads the body through the client's SOCKS5 entry; returns the bytes curl received. */
    long fetch() throws IOException, InterruptedException {
        return target.fetchThrough(pair.socksPort);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            if (pair != null) {
                pair.close();
            }
        } finally {
            target.close();
            FileTrees.delete(folder);
        }
    }
}
