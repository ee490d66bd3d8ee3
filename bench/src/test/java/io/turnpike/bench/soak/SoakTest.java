package io.turnpike.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos soak, short: real node and tower processes on a real anvil, SIGKILLed, cut off, re-organised and closed
 * on mid-stream from a fixed seed, then settled and audited. The one test whose length is wall time, since the
 * processes are real; it asserts on the books only, never on timing.
 */
class SoakTest {

    private static final long SEED = 20_261_205L;
    /** Minutes of faults; with the start and the settlement the test takes about three and a half. */
    private static final double MINUTES = 2;

    @TempDir
    Path directory;

    @Test
    void aSoakUnderRandomFaultsLosesNoWeiAndSignsNoNonceTwice() throws Exception {
        Soak.Outcome outcome = Soak.run(directory, MINUTES, SEED, 3, System.out);
        System.out.println(outcome.summary());

        assertThat(outcome.faults()).as("faults injected").isPositive();
        assertThat(outcome.payments()).as("payments made").isPositive();
        assertThat(outcome.lostWei()).as("wei the books and the chain disagree on").isEqualTo(BigInteger.ZERO);
        assertThat(outcome.doubleSigned()).as("nonces signed for two amounts").isZero();
        assertThat(outcome.mismatches()).as("everything else the audit found").isEmpty();
    }
}
