package io.turnpike.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import org.assertj.core.api.ThrowableAssert;

/** Asserts that a call is refused with a code, and returns the refusal's message for what it must say. */
final class Refusals {

    private Refusals() {
    }

    static String refused(ErrorCode code, ThrowableAssert.ThrowingCallable call) {
        StringBuilder message = new StringBuilder();
        assertThatThrownBy(call).isInstanceOfSatisfying(TurnpikeException.class, refusal -> {
            assertThat(refusal.code()).as(refusal.getMessage()).isEqualTo(code);
            message.append(refusal.getMessage());
        });
        return message.toString();
    }
}
