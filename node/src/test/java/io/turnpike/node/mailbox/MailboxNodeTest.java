package io.turnpike.node.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.Plan;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Ecies;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.mailbox.Access;
import io.turnpike.mailbox.client.Letter;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.node.NodeHome;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.MailboxNodes;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.wallet.PassphraseSource;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.store.BlockRef;
import io.turnpike.store.MailboxStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider node serving mailboxes (turnpike.provider.services.mailbox) on a real anvil with a real TurnpikeMarket:
 * it honours a subscription once it is turnpike.chain.confirmations deep, erases a lapsed mailbox on its own schedule
 * once the grace period is over, serves everyone in free mode; and `turnpike mail send|fetch` as their users run them.
 */
class MailboxNodeTest {

    private static final byte[] LETTER = "Bob, the keys are under the blue flowerpot. Alice"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path work;
    private Anvil anvil;
    private MailboxNodes nodes;

    @AfterEach
    void stop() {
        if (nodes != null) {
            nodes.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void aSubscriptionCountsOnceConfirmationsDeepAndAfterItsGraceTheNodeErasesTheMailboxByItself()
            throws InterruptedException {
        int confirmations = 3;
        start("", confirmations);
        PrivateKey bobKey = nodes.bob.keystore().unlock(DemoNodes.PASSPHRASE);
        Address bob = bobKey.address();
        MailboxClient client = MailboxClient.connect(nodes.mailbox(), Clock.systemUTC());

        MarketContract.Subscription paid = nodes.market.subscribe(nodes.chain.account(bobKey),
                nodes.providerAddress(), new Plan(MailboxNodes.PLAN, Address.ZERO, MailboxNodes.MONTHLY_FEE,
                        MailboxNodes.MONTH), 1, bob);
        long block = paid.receipt().blockNumber();
        anvil.mine(confirmations - 2);
        awaitRead(block - 1); // the node read the chain up to a head where the subscription is one block short
        assertThat(nodes.access(bob)).isEqualTo(new Access.Closed(Optional.empty()));
        refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.send(bob, PublicKey.of(bobKey), LETTER));

        anvil.mine();
        awaitRead(block);
        assertThat(nodes.access(bob)).isInstanceOf(Access.Open.class);
        assertThat(client.read(bobKey, 0, 10)).isEmpty();
        long id = client.send(bob, client.keyOf(bob), LETTER);
        assertThat(client.read(bobKey, 0, 10)).extracting(Letter::id).containsExactly(id);

        long erasedAt = paid.event().expiresAt() + MailboxNodes.GRACE.toSeconds();
        nodes.travelTo(erasedAt + 60);
        MailboxStore mailboxes = MailboxStore.of(nodes.provider.context().store(), Clock.systemUTC());
        DemoNodes.await(() -> mailboxes.usage(bob).storedBytes() == 0, Duration.ofSeconds(30));
        assertThat(mailboxes.after(bob, 0, 10)).isEmpty();
        MailboxClient afterTravel = MailboxClient.connect(nodes.mailbox(), Clock.systemUTC()); // on the chain's clock
        assertThat(refused(ErrorCode.SUBSCRIPTION_EXPIRED, () -> afterTravel.read(bobKey, 0, 10)))
                .contains("erased at").contains("turnpike subscribe " + nodes.providerAddress() + " --plan "
                        + MailboxNodes.PLAN + " --months N");
    }

    @Test
    void inFreeModeAnyoneGetsMailAndTheMailCommandsSealCheckTheKeyOpenAndDelete() throws Exception {
        start("free = true", 1);
        PrivateKey bobKey = nodes.bob.keystore().unlock(DemoNodes.PASSPHRASE);
        Address bob = bobKey.address();
        String mailbox = nodes.mailbox().toString();
        Path letter = Files.write(work.resolve("letter.txt"), LETTER);
        Turnpike turnpike = Turnpike.withoutTerminal().variable(PassphraseSource.VARIABLE, DemoNodes.PASSPHRASE);

        Turnpike.Result unknown = turnpike.run("mail", "send", bob.toString(), "--file", letter.toString(),
                "--provider", mailbox, "--datadir", nodes.alice.directory().toString());
        assertThat(unknown.exitCode()).isEqualTo(ErrorCode.UNKNOWN_KEY.exitStatus());
        assertThat(unknown.err()).startsWith("error [unknown_key]: ");
        String alicesKey = PublicKey.of(nodes.alice.keystore().unlock(DemoNodes.PASSPHRASE)).toHex();
        Turnpike.Result wrongKey = turnpike.run("mail", "send", bob.toString(), "--file", letter.toString(),
                "--to-key", alicesKey, "--provider", mailbox, "--datadir", nodes.alice.directory().toString());
        assertThat(wrongKey.exitCode()).isEqualTo(ErrorCode.BAD_ARGUMENT.exitStatus());
        assertThat(wrongKey.err()).contains("nothing was sent");
        MailboxStore mailboxes = MailboxStore.of(nodes.provider.context().store(), Clock.systemUTC());
        assertThat(mailboxes.usage(bob).storedBytes()).isZero();

        Turnpike.Result sent = turnpike.run("mail", "send", bob.toString(), "--file", letter.toString(),
                "--to-key", PublicKey.of(bobKey).toHex(), "--provider", mailbox,
                "--datadir", nodes.alice.directory().toString());
        assertThat(sent.exitCode()).as(sent.all()).isZero();
        assertThat(sent.out()).startsWith("Sent " + LETTER.length + " bytes, sealed to " + bob + "'s key");
        assertThat(mailboxes.after(bob, 0, 10)).singleElement()
                .satisfies(stored -> assertThat(new String(stored.envelope(), StandardCharsets.ISO_8859_1))
                        .doesNotContain("flowerpot"));

        Path inbox = work.resolve("inbox");
        Turnpike.Result fetched = turnpike.run("mail", "fetch", "--out", inbox.toString(), "--provider", mailbox,
                "--datadir", nodes.bob.directory().toString());
        assertThat(fetched.exitCode()).as(fetched.all()).isZero();
        assertThat(fetched.out()).endsWith("1 message read; 1 deleted from the mailbox.\n");
        try (var saved = Files.list(inbox)) {
            assertThat(saved.toList()).singleElement().satisfies(file -> assertThat(Files.readAllBytes(file))
                    .isEqualTo(LETTER));
        }
        assertThat(mailboxes.usage(bob).storedBytes()).isZero();

        Turnpike.Result again = turnpike.run("mail", "send", bob.toString(), "--file", letter.toString(),
                "--provider", mailbox, "--datadir", nodes.alice.directory().toString());
        assertThat(again.exitCode()).as("Bob's fetch showed the provider his key").isZero();
        Turnpike.Result printed = turnpike.run("mail", "fetch", "--provider", mailbox,
                "--datadir", nodes.bob.directory().toString());
        assertThat(printed.out()).contains(new String(LETTER, StandardCharsets.UTF_8));
        assertThat(turnpike.run("mail", "fetch", "--provider", mailbox, "--datadir",
                nodes.bob.directory().toString()).out()).isEqualTo("No mail for " + bob + ".\n");
    }

    @Test
    void aClientWithAChannelToTheProviderGetsMailWithoutASubscriptionAndEachStoredByteIsInItsDebt()
            throws InterruptedException {
        Amount pricePerByte = Amount.of(2_000);
        start("price-per-byte = \"" + pricePerByte + "\"", 1);
        NodeHome carolHome = DemoNodes.home(work.resolve("carol"), nodes.chain.account(anvil.devKeys().get(0)),
                Amount.parse("1", 18), new SecureRandom());
        DemoNodes.configure(carolHome, DemoNodes.onChain(anvil, nodes.provider.contract().address())
                + "peer { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\nclient { providers = [{url = "
                + "\"ws://127.0.0.1:" + nodes.provider.peerPort() + "\", address = \"" + nodes.providerAddress()
                + "\"}], socks-port = 0, deposit = \"0.05\", top-up-below = \"0\" }\n");
        TurnpikeNode carolNode = DemoNodes.start(carolHome, false);
        try {
            Address carol = carolNode.context().key().address();
            assertThat(nodes.provider.provider().orElseThrow().offer().services())
                    .extracting(Offer.ServiceTerms::service, Offer.ServiceTerms::unit, Offer.ServiceTerms::pricePerUnit)
                    .containsExactly(tuple("mailbox", "byte", pricePerByte));
            DemoNodes.await(() -> nodes.access(carol) instanceof Access.Open open
                    && open.basis() == Access.Basis.CHANNEL, Duration.ofSeconds(60));
            MailboxClient client = MailboxClient.connect(nodes.mailbox(), Clock.systemUTC());
            Address stranger = PrivateKey.random(new SecureRandom()).address();
            refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.deliver(stranger,
                    Ecies.seal(PublicKey.of(PrivateKey.random(new SecureRandom())), LETTER, new SecureRandom())));

            client.send(carol, PublicKey.of(carolNode.context().key()), LETTER);
            client.send(carol, PublicKey.of(carolNode.context().key()), LETTER);

            Amount stored = pricePerByte.times(2L * (LETTER.length + Ecies.OVERHEAD));
            DemoNodes.await(() -> nodes.provider.provider().orElseThrow().views().stream()
                    .anyMatch(peer -> peer.address().equals(carol) && peer.used().equals(stored)),
                    Duration.ofSeconds(30));
        } finally {
            DemoNodes.stop(carolNode);
        }
    }

    private void start(String moreMailbox, int confirmations) {
        anvil = Anvil.start(SharedAnvil.CHAIN_ID); // its own: a test moves the chain's clock by months
        nodes = MailboxNodes.start(anvil, work, confirmations, moreMailbox);
    }

    /** Waits until the provider node has read the market's events up to {@code block}. */
    private void awaitRead(long block) throws InterruptedException {
        String cursor = "logs:" + nodes.market.address().toLowerHex();
        DemoNodes.await(() -> nodes.provider.context().store().cursors().get(cursor).map(BlockRef::number)
                .orElse(0L) >= block, Duration.ofSeconds(30));
    }

    private static String refused(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        StringBuilder message = new StringBuilder();
        assertThatThrownBy(call).isInstanceOfSatisfying(TurnpikeException.class, refusal -> {
            assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(code);
            message.append(refusal.getMessage());
        });
        return message.toString();
    }
}
