package io.turnpike.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and folders only their owner can read: keystores, the API token, the config (which may hold a database
 * password). The mode is set when the file is created, so there is no moment when another user could open it.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates {@code file} (which must not exist) with mode 0600 and writes {@code text} durably. */
    public static void create(Path file, String text) throws IOException {
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE);
        FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                mode);
        try (channel) {
            ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            // A keystore that is not on disk when the command reports success is a key that can be lost.
            channel.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(file); // only reached once this call created it: CREATE_NEW
            throw e;
        }
    }

    /** Creates {@code directory} with mode 0700, or narrows an existing one to 0700. */
    public static void directory(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIRECTORY);
        } else {
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        }
    }
}
