package io.turnpike.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void codesAreDistinctSnakeCaseStrings() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::code))
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"))
                .doesNotHaveDuplicates();
    }

    @Test
    void wireCodesAreStable() {
        assertThat(ErrorCode.INVALID_SIGNATURE.code()).isEqualTo("invalid_signature");
        assertThat(ErrorCode.MALFORMED_INPUT.code()).isEqualTo("malformed_input");
        assertThat(ErrorCode.INVALID_KEY.code()).isEqualTo("invalid_key");
        assertThat(ErrorCode.AMOUNT_OUT_OF_RANGE.code()).isEqualTo("amount_out_of_range");
        assertThat(ErrorCode.MALFORMED_MESSAGE.code()).isEqualTo("malformed_message");
        assertThat(ErrorCode.UNKNOWN_MESSAGE_TYPE.code()).isEqualTo("unknown_message_type");
        assertThat(ErrorCode.UNSUPPORTED_VERSION.code()).isEqualTo("unsupported_version");
        assertThat(ErrorCode.MESSAGE_TOO_LARGE.code()).isEqualTo("message_too_large");
        assertThat(ErrorCode.UNAUTHENTICATED.code()).isEqualTo("unauthenticated");
        assertThat(ErrorCode.OUT_OF_ORDER.code()).isEqualTo("out_of_order");
        assertThat(ErrorCode.WRONG_NETWORK.code()).isEqualTo("wrong_network");
        assertThat(ErrorCode.UNEXPECTED_PEER.code()).isEqualTo("unexpected_peer");
        assertThat(ErrorCode.TRANSFER_SEEN.code()).isEqualTo("transfer_seen");
        assertThat(ErrorCode.TRANSFER_MISMATCH.code()).isEqualTo("transfer_mismatch");
    }
}
