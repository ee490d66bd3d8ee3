package io.turnpike.chain;

import io.turnpike.chain.anvil.Anvil;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test the run's anvil (started on a free loopback port on first use, stopped at the end of the
 * run) or a fresh {@link ChannelFixture} on it.
 */
public final class AnvilExtension implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Anvil.class || type == ChannelFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Anvil anvil = SharedAnvil.get();
        return parameter.getParameter().getType() == Anvil.class ? anvil : ChannelFixture.deploy(anvil);
    }
}
