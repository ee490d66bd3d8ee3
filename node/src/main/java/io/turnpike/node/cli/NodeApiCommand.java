package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.Address;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeHome;
import io.turnpike.node.api.ApiClient;
import io.turnpike.node.control.NodeControl;

/**
 * A command that asks the node running from the data directory, through its HTTP API: the address comes from the
 * directory's settings and the token from its api.token. Nothing is sent before the arguments have been checked.
 */
abstract class NodeApiCommand extends HomeCommand {

    @Override
    public final Integer call() {
        NodeHome home = home();
        try (ApiClient node = ApiClient.of(home, home.loadConfig(environment()))) {
            return call(node);
        }
    }

    abstract int call(NodeControl node);

    /** A peer's address given on the command line. */
    static Address address(String text, String what) {
        try {
            return Address.of(text.strip());
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, what + ": " + e.getMessage()
                    + ". Copy the address again (see 'turnpike peers'); a mixed-case address must match its EIP-55 "
                    + "checksum.");
        }
    }
}
