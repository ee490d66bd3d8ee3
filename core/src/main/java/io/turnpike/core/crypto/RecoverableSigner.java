package io.turnpike.core.crypto;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import fr.acinq.secp256k1.Secp256k1;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.security.SecureRandom;

/**
 * libsecp256k1's recoverable ECDSA signing, called through the Foreign Function &amp; Memory API.
 * secp256k1-kmp binds only the plain signing call, after which the recovery id costs a trial recovery
 * that is dearer than the signature itself. The functions are those of the library the binding loaded,
 * so r and s come from the same code as the binding's own signatures.
 */
final class RecoverableSigner {

    private static final int COMPACT_LENGTH = 64;
    /** sizeof(secp256k1_ecdsa_recoverable_signature), an opaque unsigned char[65]. */
    private static final long OPAQUE_SIGNATURE_SIZE = 65;
    /** Since libsecp256k1 0.2 every context can sign and verify; the SIGN and VERIFY flags are deprecated. */
    private static final int SECP256K1_CONTEXT_NONE = 1;
    private static final int SEED_LENGTH = 32;

    private static final SymbolLookup LIBRARY = libraryOfTheBinding();
    private static final MethodHandle SIGN_RECOVERABLE = function("secp256k1_ecdsa_sign_recoverable",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle SERIALIZE_COMPACT = function(
            "secp256k1_ecdsa_recoverable_signature_serialize_compact",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    /** Only read once created, so any number of threads sign with it at once; never freed. */
    private static final MemorySegment CONTEXT = randomizedContext();

    private RecoverableSigner() {
    }

    /**
     * Signs a 32-byte digest with a key already checked to be within 1..n-1, exactly as
     * secp256k1_ecdsa_sign does (RFC 6979 nonce, low s), and returns r ‖ s ‖ recovery id (0..3).
     */
    static byte[] sign(byte[] digest32, byte[] key32) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment digest = arena.allocateFrom(JAVA_BYTE, digest32);
            MemorySegment key = arena.allocateFrom(JAVA_BYTE, key32);
            MemorySegment opaque = arena.allocate(OPAQUE_SIGNATURE_SIZE);
            MemorySegment compact = arena.allocate(COMPACT_LENGTH);
            MemorySegment recoveryId = arena.allocate(JAVA_INT);
            boolean signed;
            try {
                // NULL nonce function and data: libsecp256k1's default, RFC 6979 without extra entropy.
                signed = (int) SIGN_RECOVERABLE.invokeExact(
                        CONTEXT, opaque, digest, key, MemorySegment.NULL, MemorySegment.NULL) == 1
                        && (int) SERIALIZE_COMPACT.invokeExact(CONTEXT, compact, recoveryId, opaque) == 1;
            } catch (Throwable unreachable) {
                // invokeExact declares Throwable, but a downcall throws nothing of its own.
                throw new AssertionError("a libsecp256k1 downcall threw", unreachable);
            } finally {
                // Freed native memory goes back to other code: leave no copy of the key in it.
                key.fill((byte) 0);
            }
            if (!signed) {
                // libsecp256k1 fails only for a key outside 1..n-1, which PrivateKey never holds.
                throw new IllegalStateException("libsecp256k1 refused to sign with a key in 1..n-1");
            }
            byte[] signature = new byte[COMPACT_LENGTH + 1];
            MemorySegment.copy(compact, JAVA_BYTE, 0, signature, 0, COMPACT_LENGTH);
            signature[COMPACT_LENGTH] = (byte) recoveryId.get(JAVA_INT, 0);
            return signature;
        }
    }

    /** The binding System.loads its bundled library on first use, which makes it this class loader's. */
    private static SymbolLookup libraryOfTheBinding() {
        Secp256k1.Companion.get();
        return SymbolLookup.loaderLookup();
    }

    // Calling native code is this class's purpose; the launcher and the tests grant it with
    // --enable-native-access, as the binding's JNI needs too.
    @SuppressWarnings("restricted")
    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LIBRARY.find(name).orElseThrow(() -> new IllegalStateException(
                "the libsecp256k1 loaded by secp256k1-kmp does not export " + name + ", which Turnpike signs "
                        + "with; use the secp256k1-kmp-jni-jvm version the build names (its library has it)"));
        return Linker.nativeLinker().downcallHandle(symbol, descriptor);
    }

    private static MemorySegment randomizedContext() {
        MethodHandle create = function("secp256k1_context_create", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        MethodHandle randomize = function("secp256k1_context_randomize",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        byte[] seed = new byte[SEED_LENGTH];
        new SecureRandom().nextBytes(seed);
        MemorySegment context;
        boolean randomized;
        try (Arena arena = Arena.ofConfined()) {
            context = (MemorySegment) create.invokeExact(SECP256K1_CONTEXT_NONE);
            // Blinds signing against timing and power side channels, as libsecp256k1 advises; signatures
            // stay the same.
            randomized = (int) randomize.invokeExact(context, arena.allocateFrom(JAVA_BYTE, seed)) == 1;
        } catch (Throwable unreachable) {
            throw new AssertionError("a libsecp256k1 downcall threw", unreachable);
        }
        if (!randomized) {
            throw new IllegalStateException("libsecp256k1 could not randomize its signing context");
        }
        return context;
    }
}
