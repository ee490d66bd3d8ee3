package io.turnpike.node.api;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The HTTP API's bearer token, from {@code <datadir>/api.token}: whoever holds it can move the node's money, so it is
 * compared in constant time and never printed ({@link #toString()} hides it).
 */
public final class ApiToken {

    /** Shorter tokens could be guessed; {@code turnpike init} writes 64 hex digits. */
    static final int MIN_LENGTH = 32;
    private static final String SCHEME = "Bearer ";

    private final String token;
    private final Path file;

    private ApiToken(String token, Path file) {
        this.token = token;
        this.file = file;
    }

    /**
     * @throws TurnpikeException {@link ErrorCode#DATADIR_IO} if the file cannot be read, {@link ErrorCode#CONFIG_INVALID} if what
     *     it holds is too short or has characters an HTTP header cannot carry
     */
    public static ApiToken read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot read the API token " + file + ": " + e
                    + ". 'turnpike init' writes it; restore it from a backup, or write a new one with "
                    + "'openssl rand -hex 32 > " + file + "' (mode 0600) and restart the node.", e);
        }
        if (text.length() < MIN_LENGTH || !text.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new TurnpikeException(ErrorCode.CONFIG_INVALID, file + " does not hold a usable API token: it needs at least "
                    + MIN_LENGTH + " printable characters without spaces. Write a new one with 'openssl rand -hex 32 > "
                    + file + "' (mode 0600) and restart the node.");
        }
        return new ApiToken(text, file);
    }

    /** Where it was read from, to name in a message instead of the token. */
    public Path file() {
        return file;
    }

    /** The value of the {@code Authorization} header a client sends. */
    String authorization() {
        return SCHEME + token;
    }

    /**
     * Whether an {@code Authorization} header carries this token. Both sides are hashed first, so the comparison
     * takes the same time whatever the header holds, its length included.
     */
    boolean admits(String authorization) {
        if (authorization == null || authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT)
                        .equals(SCHEME.toLowerCase(Locale.ROOT))) {
            return false;
        }
        return MessageDigest.isEqual(sha256(authorization.substring(SCHEME.length()).strip()), sha256(token));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "ApiToken[from " + file + "]";
    }
}
