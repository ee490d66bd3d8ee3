package io.turnpike.chain.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AnvilTest {

    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));
    private static final Path ANVIL_DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".foundry", "anvil", "tmp");

    /**
     * Past about 500 blocks anvil moves old states to disk and, left to itself, keeps them in ~/.foundry/anvil/tmp
     * after it exits: tests and demos filled a disk that way. The chain's cache is its own and goes with it.
     */
    @Test
    void theStatesAnvilMovesToDiskAreRemovedWithIt() throws Exception {
        Set<Path> cachesBefore = entries(TMP, "turnpike-anvil-states");
        Set<Path> defaultBefore = entries(ANVIL_DEFAULT_CACHE, "");
        Path cache;
        try (Anvil anvil = Anvil.start(31337)) {
            anvil.mine(1_000);
            Set<Path> ours = entries(TMP, "turnpike-anvil-states");
            ours.removeAll(cachesBefore);
            assertThat(ours).as("the cache this chain was given").hasSize(1);
            cache = ours.iterator().next();
            awaitContents(cache, Duration.ofSeconds(30));
        }
        assertThat(cache).doesNotExist();
        assertThat(entries(ANVIL_DEFAULT_CACHE, "")).as("anvil's own cache directory").isSubsetOf(defaultBefore);
    }

    private static Set<Path> entries(Path directory, String prefix) throws IOException {
        if (!Files.isDirectory(directory)) {
            return new HashSet<>();
        }
        try (Stream<Path> listed = Files.list(directory)) {
            return new HashSet<>(listed.filter(path -> path.getFileName().toString().startsWith(prefix)).toList());
        }
    }

    /** Anvil writes the states it moves out in the background; waits until some are there. */
    private static void awaitContents(Path directory, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isEmpty(directory)) {
            assertThat(System.nanoTime()).as("anvil wrote no state to %s", directory).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static boolean isEmpty(Path directory) {
        try (Stream<Path> listed = Files.list(directory)) {
            return listed.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
