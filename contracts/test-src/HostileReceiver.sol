// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @notice A contract participant used by the attack tests. It acts through `exec` (its owner drives
/// it), and on receiving ether it either refuses it, or tries to re-enter the channel contract with
/// a prepared call and records whether that call got through.
contract HostileReceiver {
    enum Mode {
        Accept,
        Revert,
        Reenter
    }

    address public immutable owner;
    Mode public mode;
    address public reentryTarget;
    bytes public reentryCall;
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;

    constructor() {
        owner = msg.sender;
    }

    function setMode(Mode mode_, address target, bytes calldata data) external {
        require(msg.sender == owner, "owner only");
        mode = mode_;
        reentryTarget = target;
        reentryCall = data;
    }

    /// @notice Calls `target` with `data` and `msg.value`, bubbling up a revert.
    function exec(address target, bytes calldata data) external payable returns (bytes memory) {
        require(msg.sender == owner, "owner only");
        (bool ok, bytes memory ret) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
        return ret;
    }

    receive() external payable {
        if (mode == Mode.Revert) revert("no ether, thanks");
        if (mode == Mode.Reenter && reentryAttempts == 0) {
            reentryAttempts++;
            (bool ok,) = reentryTarget.call(reentryCall);
            if (ok) reentrySuccesses++;
        }
    }
}
