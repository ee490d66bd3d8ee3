package io.turnpike.chain.anvil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes the working directories a run made for itself — anvil's state cache, a demo's or a test's data
 * directories — with everything in them. Beside {@link FreePort}: both serve the tools that start throwaway nodes.
 */
public final class FileTrees {

    private FileTrees() {
    }

    /**
     * Deletes {@code root} and everything under it, deepest first. A tree that is already gone is not an error, nor is
     * a part of it that goes while this runs (anvil's watchdog may be removing its cache at the same time): the walk is
     * then made again over what is left.
     */
    public static void delete(Path root) throws IOException {
        while (Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (NoSuchFileException vanished) {
                // walked again
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof NoSuchFileException)) {
                    throw e.getCause();
                }
            }
        }
    }
}
