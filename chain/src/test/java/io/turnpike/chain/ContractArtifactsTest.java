package io.turnpike.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.anvil.ToolPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The committed artifacts are exactly what the pinned solc makes of the committed sources. */
class ContractArtifactsTest {

    @Test
    void committedArtifactsMatchAFreshCompileWithThePinnedSolc() throws IOException, InterruptedException {
        Process compile = new ProcessBuilder("node", "contracts/compile.mjs", "--check")
                .directory(ToolPaths.repository().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(compile.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(compile.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(compile.exitValue()).as(output).isZero();
        assertThat(output).contains("matches 0.8.37");
    }

    @Test
    void bindingLoadsTheArtifactCompiledByThePinnedSolc() {
        assertThat(ChannelsContract.ARTIFACT.compilerVersion()).startsWith("0.8.37+commit");
        assertThat(ChannelsContract.ARTIFACT.bytecode()).startsWith("0x6");
        assertThat(ChannelsContract.ARTIFACT.errorSignature("0x00000000")).isNull();
    }
}
