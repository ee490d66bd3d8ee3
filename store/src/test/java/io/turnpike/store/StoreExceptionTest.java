package io.turnpike.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StoreExceptionTest {

    @Test
    void codesAreDistinctSnakeCaseStrings() {
        assertThat(Arrays.stream(StoreException.Code.values()).map(StoreException.Code::id))
                .allMatch(id -> id.matches("[a-z]+(_[a-z]+)*"))
                .doesNotHaveDuplicates();
    }

    @Test
    void theCodeLeadsThePrintedError() {
        StoreException e = new StoreException(StoreException.Code.CLOSED, "the store is closed");

        assertThat(e).hasToString("StoreException[store_closed]: the store is closed");
    }
}
