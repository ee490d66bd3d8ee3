package io.turnpike.chain.anvil;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @TempDir
    Path parent;

    @Test
    void removesADirectoryWithEverythingInIt() throws IOException {
        Path root = Files.createDirectories(parent.resolve("node-a/data/wal"));
        Files.writeString(root.resolve("00001.log"), "ledger");
        Files.writeString(parent.resolve("node-a/token"), "secret");
        Files.createSymbolicLink(parent.resolve("node-a/outside"), Files.createFile(parent.resolve("kept.txt")));

        FileTrees.delete(parent.resolve("node-a"));

        assertThat(parent.resolve("node-a")).doesNotExist();
        assertThat(parent.resolve("kept.txt")).as("a link's target outside the tree").exists();
    }

    @Test
    void aTreeAlreadyGoneIsNotAnError() throws IOException {
        FileTrees.delete(parent.resolve("never-made"));

        assertThat(parent).isEmptyDirectory();
    }
}
