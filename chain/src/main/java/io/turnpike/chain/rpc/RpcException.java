package io.turnpike.chain.rpc;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;

/**
 * The chain could not be reached the way the node needs it ({@link ErrorCode#CHAIN_UNREACHABLE},
 * {@link ErrorCode#CHAIN_UNAVAILABLE}, {@link ErrorCode#WRONG_CHAIN_ID}); the message says what to do.
 */
public final class RpcException extends TurnpikeException {

    RpcException(ErrorCode code, String message) {
        super(code, message);
    }
}
