package io.turnpike.mailbox.fuzz;

import static io.turnpike.http.fuzz.FuzzedBodies.readOrRefused;
import static io.turnpike.http.fuzz.FuzzedBodies.reread;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.channel.Signed;
import io.turnpike.mailbox.MailboxMessages;

/**
 * A body a stranger posts to the mailbox API — deliver, fetch, delete — and the answers a client reads from a
 * provider it does not trust (info, fetched): each reader either returns the message or refuses with
 * {@code malformed_body} (or another input code), never another exception. A request that reads is written again
 * and reads the same, so nothing of it is lost on the way to the signature check. Run as a campaign with
 * {@code ./turnpike fuzz MailboxRequestsFuzzTest}.
 */
class MailboxRequestsFuzzTest {

    private static final String DOCS = "docs/mailbox.md";

    @FuzzTest(maxDuration = "30s")
    void everyBodyReadsOrRefusesWithACode(byte[] body) {
        readOrRefused(body, MailboxMessages.Delivery::read, DOCS).ifPresent(delivery ->
                assertThat(reread(delivery.toJson(), MailboxMessages.Delivery::read, DOCS).envelope())
                        .isEqualTo(delivery.envelope()));
        readOrRefused(body, MailboxMessages::readFetch, DOCS).ifPresent(fetch ->
                assertSameRequest(fetch, reread(MailboxMessages.fetchJson(fetch), MailboxMessages::readFetch, DOCS)));
        readOrRefused(body, MailboxMessages::readDelete, DOCS).ifPresent(delete ->
                assertSameRequest(delete, reread(MailboxMessages.deleteJson(delete), MailboxMessages::readDelete,
                        DOCS)));
        readOrRefused(body, MailboxMessages.Info::read, DOCS);
        readOrRefused(body, MailboxMessages.Fetched::read, DOCS);
    }

    private static void assertSameRequest(Signed<?> read, Signed<?> again) {
        assertThat(again.message()).isEqualTo(read.message());
        assertThat(again.signature()).isEqualTo(read.signature());
    }
}
