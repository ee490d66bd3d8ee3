package io.turnpike.tower.fuzz;

import static io.turnpike.http.fuzz.FuzzedBodies.readOrRefused;
import static io.turnpike.http.fuzz.FuzzedBodies.reread;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.node.tower.TowerMessages;

/**
 * A body a stranger posts to the tower — an upload or a restore, readable by anyone on the internet — and the
 * answers a node reads from a tower it does not trust (receipt, restored): each reader either returns the
 * message or refuses with {@code malformed_body} (or another input code), never another exception. An upload or a
 * restore that reads is written again and reads the same, so what the tower stores is what was signed. Run as a
 * campaign with {@code ./turnpike fuzz TowerMessagesFuzzTest}.
 */
class TowerMessagesFuzzTest {

    private static final String DOCS = "docs/tower.md";

    @FuzzTest(maxDuration = "30s")
    void everyBodyReadsOrRefusesWithACode(byte[] body) {
        readOrRefused(body, TowerMessages.Upload::read, DOCS).ifPresent(upload ->
                assertThat(reread(upload.toJson(), TowerMessages.Upload::read, DOCS)).isEqualTo(upload));
        readOrRefused(body, TowerMessages.Restore::read, DOCS).ifPresent(restore ->
                assertThat(reread(restore.toJson(), TowerMessages.Restore::read, DOCS)).isEqualTo(restore));
        readOrRefused(body, TowerMessages.Receipt::read, DOCS);
        readOrRefused(body, TowerMessages.Restored::read, DOCS);
    }
}
