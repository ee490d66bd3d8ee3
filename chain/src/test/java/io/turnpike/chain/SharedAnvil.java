package io.turnpike.chain;

import io.turnpike.chain.anvil.Anvil;

/**
 * One anvil for the whole test run, started on first use and stopped when the test JVM exits. Both
 * JUnit tests (through {@link AnvilExtension}) and jqwik properties use it; each test deploys its own
 * contracts, so tests never see each other's channels.
 */
public final class SharedAnvil {

    public static final long CHAIN_ID = 31337;

    private static Anvil anvil;

    private SharedAnvil() {
    }

    public static synchronized Anvil get() {
        if (anvil == null || !anvil.isRunning()) {
            Anvil started = Anvil.start(CHAIN_ID);
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "anvil-stop"));
            anvil = started;
        }
        return anvil;
    }
}
