package io.turnpike.http;

import java.util.concurrent.Executor;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A Jetty connector that reports a selector that died to {@link FatalErrors}: Jetty does not replace such a selector,
 * and its connections are gone, so the surface must not run on half-alive. Every served surface listens through one.
 */
public class ReportingConnector extends ServerConnector {

    private final FatalErrors fatalErrors;

    public ReportingConnector(Server server, FatalErrors fatalErrors, ConnectionFactory... factories) {
        super(server, factories);
        this.fatalErrors = fatalErrors;
    }

    @Override
    protected SelectorManager newSelectorManager(Executor executor, Scheduler scheduler, int selectors) {
        return new ServerConnectorManager(executor, scheduler, selectors) {
            @Override
            protected ManagedSelector newSelector(int id) {
                return new ManagedSelector(this, id) {
                    @Override
                    protected void onSelectFailed(Throwable cause) {
                        fatalErrors.report(cause);
                    }
                };
            }
        };
    }
}
