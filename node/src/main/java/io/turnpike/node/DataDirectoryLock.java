package io.turnpike.node;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node per data directory: an exclusive lock on its lock file, held while the node runs. The operating system
 * drops the lock when the process ends however it ends (kill -9 too), so no stale lock ever keeps a node from
 * starting. The file stays: deleting it would let a node that opened it just before lock a file nobody else sees.
 */
public final class DataDirectoryLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectoryLock.class);

    private final Path file;
    private final FileChannel channel;

    private DataDirectoryLock(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /**
     * Locks {@code home}, writing nothing (the file is created only if the directory predates it).
     *
     * @throws TurnpikeException {@link ErrorCode#ALREADY_RUNNING} if a node holds it, in another process or in this one
     */
    static DataDirectoryLock acquire(NodeHome home) {
        Path file = home.lockFile();
        FileChannel channel;
        try {
            channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PrivateFiles.OWNER_ONLY_FILE));
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot open " + file + ": " + e.getMessage()
                    + ". Check the data directory's permissions.", e);
        }
        try {
            if (channel.tryLock() != null) {
                return new DataDirectoryLock(file, channel);
            }
        } catch (OverlappingFileLockException heldInThisProcess) {
            // File locks belong to the whole JVM: a node started in this one (a demo, a test) holds it.
        } catch (IOException e) {
            close(channel);
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot lock " + file + ": " + e.getMessage()
                    + ". Check the data directory's permissions and that its file system supports locks.", e);
        }
        close(channel);
        throw new TurnpikeException(ErrorCode.ALREADY_RUNNING, "another node" + holder(file) + " is running on "
                + home.directory() + "; nothing was changed. Stop it first, or run this one with a data directory of "
                + "its own (turnpike init --datadir NEW_DIR).");
    }

    /**
     * Writes this process's id into the lock file, for the message of a node refused later; called once the node has
     * opened everything, so that a start refused for another reason writes nothing.
     */
    void recordHolder() {
        try {
            channel.truncate(0).write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // Only a refused node's message is poorer for it; the lock itself holds.
            LOG.warn("cannot write the process id into {}: {}", file, e.getMessage());
        }
    }

    /** " (process 1234)" when the holder wrote its process id. */
    private static String holder(Path file) {
        try {
            String pid = Files.readString(file).strip();
            return pid.matches("[0-9]+") ? " (process " + pid + ")" : "";
        } catch (IOException unreadable) {
            return "";
        }
    }

    /** Lets the next node start here. */
    @Override
    public void close() {
        close(channel);
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing the channel releases its lock whatever else goes wrong, and so does the process ending.
        }
    }
}
