package io.turnpike.node.mailbox;

import io.turnpike.core.Address;
import io.turnpike.core.channel.Role;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.service.Standing;
import io.turnpike.mailbox.ChannelPayments;
import io.turnpike.mailbox.Mailbox;
import io.turnpike.mailbox.MailboxApi;
import io.turnpike.mailbox.Subscriptions;
import io.turnpike.node.ListeningPort;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.service.PerByteService;
import io.turnpike.node.service.SoldService;
import io.turnpike.node.service.UsageMeter;
import io.turnpike.store.MailboxStore;
import io.turnpike.store.Store;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox as a {@link SoldService} ({@code turnpike.provider.services.mailbox}): the {@link MailboxApi} on its own
 * port, open to subscribers of this node's plans (as the chain confirmed them), to everyone in free mode, and to
 * clients with an open channel to this node in good standing, whose stored envelope bytes are priced per {@code byte}
 * into their one debt like any other service they buy.
 */
public final class MailboxService extends PerByteService implements ChannelPayments, AutoCloseable {

    public static final String NAME = "mailbox";
    private static final Logger LOG = LoggerFactory.getLogger(MailboxService.class);

    private final NodeConfig.Mailbox settings;
    /** The standing the provider last told, per client; a client it never told about is in good standing. */
    private final Map<Address, Standing> told = new ConcurrentHashMap<>();
    private volatile Peers peers;
    private volatile Mailbox mailbox;
    private volatile MailboxApi api;

    public MailboxService(NodeConfig.Mailbox settings) {
        super(NAME, settings.pricePerByte());
        this.settings = settings;
    }

    /** Whether clients may pay for a mailbox per byte over their channel, so the service is in the offer. */
    public boolean soldPerByte() {
        return !settings.pricePerByte().isZero();
    }

    /**
     * Starts the mailbox API.
     *
     * @param self this node's address, which signed fetches and deletes must name
     * @param domain the EIP-712 domain they are signed in
     * @param subscriptions the subscriptions to this node's plans the chain confirmed
     * @param usage where channel-paid bytes are metered; with {@code peers}, empty when nothing is sold per byte
     * @throws io.turnpike.core.TurnpikeException {@code port_in_use} or {@code cannot_listen} naming the setting
     */
    public void start(Address self, Eip712Domain domain, Store store, Subscriptions subscriptions, Peers peers,
                      Optional<UsageMeter> usage, Clock clock, Consumer<Throwable> onFatalError) {
        this.peers = peers;
        usage.ifPresent(this::meterInto);
        ChannelPayments payments = usage.isPresent() && soldPerByte() ? this : ChannelPayments.NONE;
        Mailbox started = new Mailbox(self, domain, settings.settings(), MailboxStore.of(store, clock), subscriptions,
                payments, clock);
        NodeConfig.Endpoint listen = settings.listen();
        this.api = new ListeningPort("turnpike.provider.services.mailbox.port", listen.bind(), listen.port())
                .start(() -> MailboxApi.start(new InetSocketAddress(listen.bind(), listen.port()),
                        MailboxApi.limits(settings.settings()), onFatalError, started));
        this.mailbox = started;
    }

    public int port() {
        return api.address().getPort();
    }

    public Mailbox mailbox() {
        return mailbox;
    }

    /** Applies retention and erases mailboxes past their grace period; the node runs it every sweep interval. */
    public void sweep() {
        try {
            Mailbox.Swept swept = mailbox.sweep();
            if (swept.envelopesPastRetention() > 0 || swept.mailboxesErased() > 0) {
                LOG.info("mailbox sweep: {} envelopes past their retention deleted, {} mailboxes past their grace "
                        + "period erased", swept.envelopesPastRetention(), swept.mailboxesErased());
            }
        } catch (RuntimeException e) {
            LOG.warn("mailbox sweep failed, tried again in {}: {}", settings.sweepInterval(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- ChannelPayments

    /**
     * {@code PAID} while {@code owner} is a client with an open channel to this node and the provider has not put it at
     * the free tier (its debt past the limit): then what it is sent is stored and billed.
     */
    @Override
    public Standing standing(Address owner) {
        Optional<Peer> client = Optional.ofNullable(peers).flatMap(p -> p.find(owner));
        if (client.isEmpty() || told.getOrDefault(owner, Standing.PAID) != Standing.PAID) {
            return Standing.NONE;
        }
        return client.get().await(() -> client.get().channels().open(Role.B).isPresent())
                ? Standing.PAID : Standing.NONE;
    }

    @Override
    public void stored(Address owner, long bytes) {
        metered(owner, bytes);
    }

    // ---------------------------------------------------------------- SoldService

    @Override
    public long freeRate() {
        return 0;
    }

    @Override
    public void standing(Address client, Standing standing) {
        told.put(client, standing);
    }

    @Override
    public void close() {
        if (api != null) {
            api.close();
        }
    }
}
