package io.turnpike.chain.anvil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the pinned tools (anvil, cast, solc-js) are: {@code tools/node_modules}, installed by the
 * launcher with {@code npm ci}. Found through the {@code turnpike.tools} system property, the
 * {@code TURNPIKE_TOOLS} environment variable, the {@code turnpike.repo} property, or by walking up from
 * the working directory.
 */
public final class ToolPaths {

    private ToolPaths() {
    }

    public static Path anvil() {
        return binary("anvil");
    }

    public static Path cast() {
        return binary("cast");
    }

    /** The repository root (the folder holding {@code tools/} and {@code contracts/}). */
    public static Path repository() {
        return toolsDirectory().getParent();
    }

    private static Path binary(String tool) {
        Path binary = toolsDirectory().resolve("node_modules/@foundry-rs/" + tool + "-linux-amd64/bin/" + tool);
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException(tool + " is not installed at " + binary
                    + "; run ./turnpike (it installs the pinned tools) or 'npm ci' in tools/");
        }
        return binary;
    }

    static Path toolsDirectory() {
        return Optional.ofNullable(System.getProperty("turnpike.tools"))
                .or(() -> Optional.ofNullable(System.getenv("TURNPIKE_TOOLS")))
                .map(Path::of)
                .or(() -> Optional.ofNullable(System.getProperty("turnpike.repo")).map(r -> Path.of(r, "tools")))
                .or(ToolPaths::searchUpward)
                .filter(dir -> Files.isRegularFile(dir.resolve("package.json")))
                .orElseThrow(() -> new IllegalStateException(
                        "cannot find the tools/ folder; run through ./turnpike or set TURNPIKE_TOOLS"));
    }

    private static Optional<Path> searchUpward() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("tools/package.json"))) {
                return Optional.of(dir.resolve("tools"));
            }
        }
        return Optional.empty();
    }
}
