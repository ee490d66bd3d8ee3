package io.turnpike.node.control;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;

/** A request the node cannot carry out, as its API answers it and its CLI reports it. */
public final class ControlException extends TurnpikeException {

    public ControlException(ErrorCode code, String message) {
        super(code, message);
    }

    public static ControlException unknownPeer(Object peer) {
        return new ControlException(ErrorCode.UNKNOWN_PEER,
                "no peer " + peer + " is known to this node; see 'turnpike peers'");
    }

    public static ControlException unknownChannel(long channelId) {
        return new ControlException(ErrorCode.UNKNOWN_CHANNEL,
                "no channel " + channelId + " is known to this node; see 'turnpike channel list'");
    }

    public static ControlException nothingOwed(Object peer) {
        return new ControlException(ErrorCode.NOTHING_OWED, "nothing is owed to " + peer + " right now");
    }
}
