package io.turnpike.node.wallet;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.TurnpikeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Wallet;
import org.web3j.crypto.WalletFile;
import org.web3j.crypto.exception.CipherException;
import org.web3j.utils.Numeric;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A key encrypted with a passphrase in the V3 keystore format that geth, web3j, Foundry and common wallets read
 * (scrypt or PBKDF2, AES-128-CTR). The text is kept as it was read, so an imported keystore is exported byte for
 * byte; the only change Turnpike ever makes to another tool's file is adding the {@code address} field geth
 * writes, so the address can be shown without the passphrase.
 */
public final class Keystore {

    /** The scrypt cost of a new keystore. */
    public enum Kdf {
        /** geth's standard (N = 2^18, p = 1): about a second and 256 MiB to try one passphrase. */
        STANDARD,
        /** N = 2^12, p = 6: fast to open, far cheaper to guess; for throw-away development keys. */
        LIGHT
    }

    /** scrypt N above this would let a planted keystore exhaust memory before its passphrase is checked. */
    private static final int MAX_SCRYPT_N = 1 << 20;
    /** geth and web3j write r = 8; with n at most 2^20 that is 1 GiB of scrypt memory. */
    private static final int MAX_SCRYPT_R = 8;
    /** geth's light keystores write p = 6; p multiplies the time to try a passphrase. */
    private static final int MAX_SCRYPT_P = 16;
    /** 16 times the 2^18 rounds wallets write; each round is two HMAC-SHA256. */
    private static final int MAX_PBKDF2_ROUNDS = 1 << 22;
    /** A V3 keystore derives 32 bytes: the AES key and the MAC key. */
    private static final int KEY_LENGTH = 32;
    /**
     * Refuses a field named twice: the file is exported byte for byte, and other wallets may read the first of two
     * {@code kdf}s where this one reads the last (a fuzz campaign found such a file read here as valid).
     */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final DateTimeFormatter GETH_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSSSSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String json;
    private final WalletFile walletFile;
    private final Optional<Address> recordedAddress;
    private final String origin;

    private Keystore(String json, WalletFile walletFile, Optional<Address> recordedAddress, String origin) {
        this.json = json;
        this.walletFile = walletFile;
        this.recordedAddress = recordedAddress;
        this.origin = origin;
    }

    /** Reads and checks a keystore file without decrypting it. */
    public static Keystore read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.KEYSTORE_UNREADABLE, "cannot read the keystore " + file + ": " + e.getMessage()
                    + ". Check the path and the file's permissions.", e);
        }
        return parse(text, file.toString());
    }

    /** Encrypts {@code key} into a new keystore. */
    public static Keystore encrypt(PrivateKey key, String passphrase, Kdf kdf) {
        byte[] bytes = key.bytes();
        try {
            ECKeyPair pair = ECKeyPair.create(bytes);
            WalletFile file = kdf == Kdf.STANDARD ? Wallet.createStandard(passphrase, pair)
                    : Wallet.createLight(passphrase, pair);
            return parse(JSON.writeValueAsString(file), "a new keystore");
        } catch (CipherException e) {
            throw new IllegalStateException("encrypting a keystore failed: " + e.getMessage(), e);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /** The address the file records; the passphrase is not needed. */
    public Address address() {
        return recordedAddress.orElseThrow(() -> new TurnpikeException(ErrorCode.KEYSTORE_UNREADABLE, origin
                + " does not record its address. Import it with 'turnpike wallet import', which adds it."));
    }

    /**
     * Decrypts the key.
     *
     * @throws TurnpikeException {@link ErrorCode#WRONG_PASSPHRASE} if the passphrase does not open it
     */
    public PrivateKey unlock(String passphrase) {
        ECKeyPair pair;
        try {
            pair = Wallet.decrypt(passphrase, walletFile);
        } catch (CipherException e) {
            // The format was checked when the file was read, so a refusal here is the MAC: the passphrase.
            throw new TurnpikeException(ErrorCode.WRONG_PASSPHRASE, "the passphrase does not unlock " + origin
                    + " (or the file was altered). Nothing was changed; try again with the right passphrase.");
        } catch (RuntimeException e) {
            throw unreadable(origin, "its encrypted fields are damaged");
        }
        byte[] bytes = Numeric.toBytesPadded(pair.getPrivateKey(), 32);
        PrivateKey key;
        try {
            key = PrivateKey.of(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        if (recordedAddress.isPresent() && !recordedAddress.get().equals(key.address())) {
            throw unreadable(origin, "it records address " + recordedAddress.get() + " but holds the key of "
                    + key.address() + ", so it was altered");
        }
        return key;
    }

    /**
     * Proves {@code passphrase} opens this keystore and returns it with its address recorded: how a keystore
     * from a tool that leaves the address out (Foundry) becomes one whose address is read without the passphrase.
     */
    public Keystore verified(String passphrase) {
        PrivateKey key = unlock(passphrase);
        if (recordedAddress.isPresent()) {
            return this;
        }
        ObjectNode tree = (ObjectNode) JSON.readTree(json);
        tree.put("address", hexWithoutPrefix(key.address()));
        return parse(JSON.writeValueAsString(tree), origin);
    }

    /** The file's text, exactly as read or as encrypted. */
    public String json() {
        return json;
    }

    /** geth's name for a keystore file, which other tools recognise: UTC--&lt;time&gt;--&lt;address&gt;. */
    public String fileName(Instant created) {
        return "UTC--" + GETH_TIME.format(created) + "--" + hexWithoutPrefix(address());
    }

    private static String hexWithoutPrefix(Address address) {
        return address.toLowerHex().substring(2);
    }

    private static Keystore parse(String text, String origin) {
        JsonNode tree;
        try {
            tree = JSON.readTree(text);
        } catch (StreamReadException e) {
            throw unreadable(origin, e.getMessage().startsWith("Duplicate") ? "it names a field twice, which wallets "
                    + "read differently" : "it is not JSON");
        } catch (JacksonException e) {
            throw unreadable(origin, "it is not JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw unreadable(origin, "it is not a JSON object");
        }
        if (tree.path("version").asInt(0) != 3) {
            throw unreadable(origin, "it is not a version 3 keystore");
        }
        // geth writes "crypto", some older wallets "Crypto".
        JsonNode crypto = tree.has("crypto") ? tree.get("crypto") : tree.path("Crypto");
        requireHex(crypto, "ciphertext", origin);
        requireHex(crypto, "mac", origin);
        requireHex(crypto.path("cipherparams"), "iv", origin);
        if (!"aes-128-ctr".equals(crypto.path("cipher").asString(""))) {
            throw unreadable(origin, "its cipher is not aes-128-ctr");
        }
        String kdf = crypto.path("kdf").asString("");
        JsonNode params = crypto.path("kdfparams");
        if (!Set.of("scrypt", "pbkdf2").contains(kdf)) {
            throw unreadable(origin, "its key derivation is neither scrypt nor pbkdf2");
        }
        requireHex(params, "salt", origin);
        if ("scrypt".equals(kdf) && (params.path("n").asInt(0) < 2 || params.path("n").asInt(0) > MAX_SCRYPT_N)) {
            throw unreadable(origin, "its scrypt cost n is missing or above 2^20");
        }
        // The other cost parameters are bounded too, so trying one passphrase stays within seconds and 1 GiB.
        if ("scrypt".equals(kdf) && !(within(params, "r", 1, MAX_SCRYPT_R) && within(params, "p", 1, MAX_SCRYPT_P))) {
            throw unreadable(origin, "its scrypt r is not 1 to " + MAX_SCRYPT_R + " or its p not 1 to " + MAX_SCRYPT_P);
        }
        if ("pbkdf2".equals(kdf) && !within(params, "c", 1, MAX_PBKDF2_ROUNDS)) {
            throw unreadable(origin, "its pbkdf2 rounds c are missing or above 2^22");
        }
        if (!within(params, "dklen", KEY_LENGTH, KEY_LENGTH)) {
            throw unreadable(origin, "its derived key length dklen is not " + KEY_LENGTH);
        }
        WalletFile walletFile;
        try {
            walletFile = JSON.treeToValue(tree, WalletFile.class);
        } catch (JacksonException e) {
            throw unreadable(origin, "its fields do not have the V3 layout");
        }
        return new Keystore(text, walletFile, recordedAddress(tree, origin), origin);
    }

    private static Optional<Address> recordedAddress(JsonNode tree, String origin) {
        String hex = tree.path("address").asString("");
        if (hex.isEmpty()) {
            return Optional.empty();
        }
        try {
            // geth records the address in lower case without 0x, so there is no checksum to check.
            return Optional.of(Address.of("0x" + Numeric.cleanHexPrefix(hex).toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw unreadable(origin, "its address field is not an address");
        }
    }

    private static boolean within(JsonNode params, String field, int min, int max) {
        int value = params.path(field).asInt(0);
        return value >= min && value <= max;
    }

    private static void requireHex(JsonNode parent, String field, String origin) {
        String value = parent.path(field).asString("");
        if (value.isEmpty() || value.length() % 2 != 0 || !value.chars().allMatch(HexFormat::isHexDigit)) {
            throw unreadable(origin, "its '" + field + "' is missing or not hex");
        }
    }

    private static TurnpikeException unreadable(String origin, String why) {
        return new TurnpikeException(ErrorCode.KEYSTORE_UNREADABLE, origin + " is not a usable V3 keystore: " + why
                + ". Use the keystore file as the wallet wrote it (geth, Foundry's cast, web3j), or a backup of it.");
    }

    @Override
    public String toString() {
        return "Keystore[" + recordedAddress.map(Address::toString).orElse("address not recorded") + ", " + origin + "]";
    }
}
