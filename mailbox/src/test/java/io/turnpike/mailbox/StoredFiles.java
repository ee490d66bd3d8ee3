package io.turnpike.mailbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** What the provider's data directory holds on disk, byte for byte: the database, its write-ahead log, anything. */
final class StoredFiles {

    private StoredFiles() {
    }

    /** Whether any file under {@code dir} holds {@code bytes} as they are, or as the hex the store writes bytes in. */
    static boolean anyHolds(Path dir, byte[] bytes) {
        byte[] hex = HexFormat.of().formatHex(bytes).getBytes(StandardCharsets.US_ASCII);
        return files(dir).stream().anyMatch(file -> {
            byte[] content = read(file);
            return contains(content, bytes) || contains(content, hex);
        });
    }

    private static List<Path> files(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }
}
