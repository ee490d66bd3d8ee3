package io.turnpike.mailbox;

import io.turnpike.chain.TestStore;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.store.MailboxStore;
import io.turnpike.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A provider's mailbox as a node runs it: a real SQLite store in {@code dir}, the {@link Mailbox}, its HTTP API on
 * loopback, and a {@link MailboxClient} talking to it over HTTP.
 */
final class MailboxHarness implements AutoCloseable {

    final Store store;
    final MailboxStore mailboxes;
    final Mailbox mailbox;
    final MailboxApi api;
    final MailboxClient client;

    MailboxHarness(Path dir, Address provider, Eip712Domain domain, MailboxConfig config, Subscriptions subscriptions,
                   ChannelPayments payments, Clock clock) {
        this(TestStore.open(dir, provider, domain.chainId(), clock), provider, domain, config, subscriptions, payments,
                clock);
    }

    MailboxHarness(Store store, Address provider, Eip712Domain domain, MailboxConfig config,
                   Subscriptions subscriptions, ChannelPayments payments, Clock clock) {
        this.store = store;
        this.mailboxes = MailboxStore.of(store, clock);
        this.mailbox = new Mailbox(provider, domain, config, mailboxes, subscriptions, payments, clock);
        try {
            this.api = MailboxApi.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    MailboxApi.limits(config), fatal -> { }, mailbox);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.client = MailboxClient.connect(URI.create("http://127.0.0.1:" + api.address().getPort()), clock);
    }

    @Override
    public void close() {
        api.close();
        store.close();
    }
}
