package io.turnpike.chain;

/**
 * A contract call or transaction the chain refused. {@link #error()} is the custom error's name
 * ("MalleableSignature") when the contract named one, so callers and tests can tell refusals apart.
 */
public final class ContractRevertException extends RuntimeException {

    private final String error;
    private final String revertData;

    public ContractRevertException(String contract, String errorSignature, String revertData, String rpcMessage) {
        super(contract + " refused the call: "
                + (errorSignature != null ? errorSignature : rpcMessage)
                + (revertData != null && errorSignature != null ? " [" + revertData + "]" : ""));
        this.error = errorSignature == null ? null : errorSignature.substring(0, errorSignature.indexOf('('));
        this.revertData = revertData;
    }

    /** The custom error's name, or null when the revert carried none (a require string, out of gas). */
    public String error() {
        return error;
    }

    public String revertData() {
        return revertData;
    }
}
