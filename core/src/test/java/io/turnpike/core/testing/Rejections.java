package io.turnpike.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts that an input is refused with a given stable error code. */
public final class Rejections {

    private Rejections() {
    }

    /** Asserts {@code call} throws a TurnpikeException with {@code code}; continue on its message. */
    public static AbstractStringAssert<?> assertRejected(ErrorCode code, ThrowingCallable call) {
        TurnpikeException e = catchThrowableOfType(TurnpikeException.class, call);
        assertThat(e).as("expected a TurnpikeException with code %s", code.code()).isNotNull();
        assertThat(e.code()).isEqualTo(code);
        return assertThat(e.getMessage());
    }
}
