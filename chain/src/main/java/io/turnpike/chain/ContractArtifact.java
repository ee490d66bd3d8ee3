package io.turnpike.chain;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import io.turnpike.core.crypto.Keccak256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * A compiled contract as committed under {@code contracts/build}: its ABI and creation bytecode, plus a
 * table of its custom errors so a revert can be reported by name.
 */
public final class ContractArtifact {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final String bytecode;
    private final String compilerVersion;
    private final Map<String, String> errorsBySelector;

    private ContractArtifact(String name, String bytecode, String compilerVersion, Map<String, String> errors) {
        this.name = name;
        this.bytecode = bytecode;
        this.compilerVersion = compilerVersion;
        this.errorsBySelector = errors;
    }

    /** Loads {@code contracts/<name>.json} from the class path. */
    public static ContractArtifact load(String name) {
        String resource = "/contracts/" + name + ".json";
        try (InputStream in = ContractArtifact.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("contract artifact " + resource + " is not on the class path");
            }
            JsonNode root = JSON.readTree(in);
            Map<String, String> errors = new HashMap<>();
            for (JsonNode entry : root.get("abi")) {
                if ("error".equals(entry.get("type").asString())) {
                    String signature = signature(entry);
                    errors.put(selector(signature), signature);
                }
            }
            return new ContractArtifact(name, root.get("bytecode").asString(),
                    root.at("/compiler/version").asString(), Map.copyOf(errors));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read contract artifact " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /** Creation bytecode, 0x-prefixed. */
    public String bytecode() {
        return bytecode;
    }

    public String compilerVersion() {
        return compilerVersion;
    }

    /**
     * The custom error a revert carries, as its Solidity signature ("WrongSigner(address,address)"), or
     * null when the revert data names none of this contract's errors.
     */
    public String errorSignature(String revertData) {
        if (revertData == null || revertData.length() < 10) {
            return null;
        }
        return errorsBySelector.get(revertData.substring(0, 10).toLowerCase());
    }

    private static String signature(JsonNode entry) {
        List<String> types = StreamSupport.stream(entry.get("inputs").spliterator(), false)
                .map(input -> input.get("type").asString())
                .toList();
        return entry.get("name").asString() + "(" + String.join(",", types) + ")";
    }

    private static String selector(String signature) {
        byte[] hash = Keccak256.hash(signature.getBytes(StandardCharsets.US_ASCII));
        return "0x" + HexFormat.of().formatHex(hash, 0, 4);
    }
}
