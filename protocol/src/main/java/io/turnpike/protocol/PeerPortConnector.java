package io.turnpike.protocol;

import io.turnpike.http.FatalErrors;
import io.turnpike.http.ReportingConnector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer port's TCP side: it admits a connection only within {@link PeerLimits#maxConnections()} and
 * {@link PeerLimits#maxConnectionsPerAddress()}, closes one that has not upgraded to WebSocket within
 * {@link PeerLimits#upgradeTimeout()} however slowly it keeps sending, and reports a selector that dies.
 *
 * <p>Jetty pairs every opened endpoint with one closed call, upgraded or not, so connections are counted
 * there: an endpoint counts while it is in {@link #admitted}, with its source address (a closed socket no
 * longer tells it).
 */
final class PeerPortConnector extends ReportingConnector {

    private static final Logger log = LoggerFactory.getLogger(PeerPortConnector.class);

    private final PeerLimits limits;
    private final FatalErrors fatalErrors;
    private final Map<EndPoint, InetAddress> admitted = new ConcurrentHashMap<>();
    /** Guarded by itself, with {@link #open}: open connections per source address, absent at zero. */
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();
    private int open;

    PeerPortConnector(Server server, PeerLimits limits, FatalErrors fatalErrors, ConnectionFactory http) {
        super(server, fatalErrors, http);
        this.limits = limits;
        this.fatalErrors = fatalErrors;
        // Until the upgrade, a silent connection is dropped at the deadline too; after it the session's own applies.
        setIdleTimeout(limits.upgradeTimeout().toMillis());
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        InetAddress source = sourceOf(endPoint);
        if (!admit(source)) {
            log.debug("refused a connection from {}: at most {} connections, {} per address", source,
                    limits.maxConnections(), limits.maxConnectionsPerAddress());
            endPoint.close();
            return;
        }
        admitted.put(endPoint, source);
        // Not cancelled on upgrade: it finds a WebSocket connection then and does nothing.
        getScheduler().schedule(fatalErrors.guarded(() -> closeUnlessUpgraded(endPoint)),
                limits.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void onEndPointClosed(EndPoint endPoint) {
        InetAddress source = admitted.remove(endPoint);
        if (source != null) {
            release(source);
        }
        super.onEndPointClosed(endPoint);
    }

    private boolean admit(InetAddress source) {
        synchronized (perAddress) {
            int fromSource = perAddress.getOrDefault(source, 0);
            if (open >= limits.maxConnections() || fromSource >= limits.maxConnectionsPerAddress()) {
                return false;
            }
            open++;
            perAddress.put(source, fromSource + 1);
            return true;
        }
    }

    private void release(InetAddress source) {
        synchronized (perAddress) {
            open--;
            perAddress.computeIfPresent(source, (address, count) -> count == 1 ? null : count - 1);
        }
    }

    private void closeUnlessUpgraded(EndPoint endPoint) {
        if (endPoint.isOpen() && !(endPoint.getConnection() instanceof WebSocketConnection)) {
            log.debug("closing the connection from {}: no WebSocket upgrade within {} ms",
                    endPoint.getRemoteSocketAddress(), limits.upgradeTimeout().toMillis());
            endPoint.close();
        }
    }

    private static InetAddress sourceOf(EndPoint endPoint) {
        return ((InetSocketAddress) endPoint.getRemoteSocketAddress()).getAddress();
    }
}
