package io.turnpike.node.control;

/** A request the node cannot carry out, with a stable code for the API and the CLI. */
public final class ControlException extends RuntimeException {

    private final String code;
    private final int httpStatus;

    public ControlException(String code, int httpStatus, String message) {
        super(message);
        this.code = code;
        this.httpStatus = httpStatus;
    }

    public static ControlException unknownPeer(Object peer) {
        return new ControlException("unknown_peer", 404, "no peer " + peer + " is known to this node; see 'turnpike peers'");
    }

    public static ControlException unknownChannel(long channelId) {
        return new ControlException("unknown_channel", 404,
                "no channel " + channelId + " is known to this node; see 'turnpike channel list'");
    }

    public static ControlException nothingOwed(Object peer) {
        return new ControlException("nothing_owed", 409, "nothing is owed to " + peer + " right now");
    }

    public String code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }
}
