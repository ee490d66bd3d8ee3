package io.turnpike.node;

import java.util.Objects;

/**
 * Something an operator can cause or fix: a bad setting, a wrong passphrase, an unreachable RPC. {@link #code()}
 * is stable (scripts and the API match on it); the message says what to do.
 */
public final class NodeException extends RuntimeException {

    /** Stable codes; the string of a released code is never changed. */
    public enum Code {
        /** A config file that does not parse, or a setting with an unusable value. */
        CONFIG_INVALID("config.invalid"),
        /** The command needs an initialised data directory and there is none. */
        DATADIR_NOT_INITIALISED("datadir.not_initialised"),
        /** {@code init} found a data directory that is already set up. */
        DATADIR_ALREADY_INITIALISED("datadir.already_initialised"),
        /** A file or folder in the data directory could not be read or written. */
        DATADIR_IO("datadir.io"),
        /** A keystore file that is not a V3 keystore, or that is damaged. */
        KEYSTORE_UNREADABLE("keystore.unreadable"),
        /** The passphrase does not unlock the keystore. */
        WRONG_PASSPHRASE("keystore.wrong_passphrase"),
        /** The data directory already holds a key. */
        KEY_EXISTS("keystore.key_exists"),
        /** No passphrase could be obtained: no terminal, no variable, no file. */
        PASSPHRASE_UNAVAILABLE("passphrase.unavailable"),
        /** No terminal to confirm a send on, and {@code --yes} was not given. */
        CONFIRMATION_UNAVAILABLE("wallet.confirmation_unavailable"),
        /** None of the configured RPC endpoints answered. */
        CHAIN_UNREACHABLE("chain.unreachable"),
        /** An RPC endpoint serves another chain than the configured one. */
        WRONG_CHAIN("chain.wrong_chain_id"),
        /** The configured contract address holds no code, or code that is not TurnpikeChannels. */
        NOT_TURNPIKE_CHANNELS("chain.not_turnpike_channels"),
        /** Another node runs on this data directory. */
        ALREADY_RUNNING("node.already_running"),
        /** A port the node listens on is taken by another program. */
        PORT_IN_USE("node.port_in_use"),
        /** A port cannot be listened on for another reason: an address this machine does not have, no privilege. */
        CANNOT_LISTEN("node.cannot_listen"),
        /** A setting the operation needs is not set (the channel contract, say). */
        SETTING_MISSING("config.setting_missing"),
        /** An address, amount or asset given on the command line cannot be used. */
        BAD_ARGUMENT("cli.bad_argument"),
        /** The wallet holds less than the send needs. */
        INSUFFICIENT_FUNDS("wallet.insufficient_funds"),
        /** The chain refused or lost a transaction. */
        TRANSACTION_FAILED("wallet.transaction_failed"),
        /** {@code node --restore-from-tower}: none of the configured watchtowers answered. */
        TOWER_RESTORE_FAILED("tower.restore_failed");

        private final String id;

        Code(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Code code;

    public NodeException(Code code, String message) {
        this(code, message, null);
    }

    public NodeException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return "NodeException[" + code.id() + "]: " + getMessage();
    }
}
