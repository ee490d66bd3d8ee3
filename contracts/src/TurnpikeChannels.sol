// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @dev The part of ERC-20 the channels use. Transfers go through low-level calls so tokens that
/// return nothing (USDT-style) work too.
interface IERC20 {
    function transfer(address to, uint256 value) external returns (bool);
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// @title Turnpike payment channels for ether and any ERC-20 token.
/// @notice Two participants lock deposits; off-chain each signs only what it has sent, as a
/// cumulative balance proof `{channelId, nonce, transferred}`. A channel ends either by a cooperative
/// settle signed by both, or by a close that starts a challenge period during which the non-closer
/// (or a watchtower it signed a MonitorRequest for) can submit the closer's newest proof.
/// Payout of A = depositA - withdrawnA + transferredB - transferredA, clamped to what the channel holds.
contract TurnpikeChannels {
    enum Status {
        None,
        Open,
        Closed,
        Settled
    }

    /// @dev Two storage slots, written once at open: what makes `open` cheap.
    struct Channel {
        address a; // the opener
        uint32 challengePeriod; // seconds
        uint40 settleAt; // unix seconds; set at close
        Status status;
        bool closedByB;
        address b;
        uint32 asset; // index into `assets`; 0 is ether
    }

    /// @dev One slot per participant: totals only ever grow, so a retried call is harmless.
    struct Side {
        uint128 deposit;
        uint128 withdrawn;
    }

    /// @dev The newest balance proof signed by a participant, as recorded on chain after a close.
    struct Proof {
        uint64 nonce;
        uint128 transferred;
    }

    /// @dev The watchtower whose update counts, and the reward the non-closer signed for it.
    struct Monitor {
        address monitor;
        uint96 reward;
    }

    string public constant NAME = "Turnpike";
    string public constant VERSION = "1";

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant BALANCE_PROOF_TYPEHASH =
        keccak256("BalanceProof(uint256 channelId,uint256 nonce,uint256 transferred)");
    bytes32 public constant MONITOR_REQUEST_TYPEHASH = keccak256(
        "MonitorRequest(uint256 channelId,uint256 nonce,uint256 transferred,uint256 reward,address monitor)"
    );
    bytes32 public constant WITHDRAW_TYPEHASH =
        keccak256("Withdraw(uint256 channelId,address participant,uint256 totalWithdraw,uint256 expiry)");
    bytes32 public constant COOPERATIVE_SETTLE_TYPEHASH =
        keccak256("CooperativeSettle(uint256 channelId,uint256 payoutA,uint256 payoutB)");

    /// @dev secp256k1 n / 2: a signature with a larger s is the malleated twin of a valid one.
    uint256 private constant HALF_N = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @dev Enough for a contract wallet's receive hook; a receiver that needs more (or reverts) gets a
    /// pull balance instead, so it can never block a settle for its partner.
    uint256 private constant ETH_TRANSFER_GAS = 30_000;

    uint256 public immutable minChallengePeriod;
    uint256 public immutable maxChallengePeriod;

    uint256 private immutable cachedChainId;
    bytes32 private immutable cachedDomainSeparator;

    /// @notice The last channel id handed out; ids are never reused.
    uint256 public channelCount;

    mapping(uint256 => Channel) private channels;
    mapping(uint256 => Side[2]) private sides;
    mapping(uint256 => Proof[2]) private proofs;
    mapping(uint256 => Monitor) private monitors;
    /// @dev keccak(lower address, higher address, token) => id of the channel not yet settled.
    mapping(bytes32 => uint256) private unsettledChannelOf;

    /// @dev Assets get a 32-bit index on first use, so a channel's asset fits beside participant b.
    address[] private assets;
    mapping(address => uint32) private assetIndex;

    /// @notice Payouts whose transfer failed, claimable with `withdrawFailed`: token => owner => amount.
    mapping(address => mapping(address => uint256)) public failedTransfers;

    bool private transient locked;

    event ChannelOpened(
        uint256 indexed channelId,
        address indexed participantA,
        address indexed participantB,
        address token,
        uint256 challengePeriod
    );
    event DepositSet(uint256 indexed channelId, address indexed participant, uint256 totalDeposit);
    event WithdrawSet(uint256 indexed channelId, address indexed participant, uint256 totalWithdraw);
    /// @param nonce and transferred are the partner's proof the closer submitted (0, 0: none).
    event ChannelClosed(
        uint256 indexed channelId, address indexed closer, uint256 nonce, uint256 transferred, uint256 settleAt
    );
    event NonClosingProofUpdated(
        uint256 indexed channelId,
        address indexed closer,
        uint256 nonce,
        uint256 transferred,
        address monitor,
        uint256 reward
    );
    event ChannelSettled(
        uint256 indexed channelId, uint256 payoutA, uint256 payoutB, address monitor, uint256 monitorReward
    );
    event TransferFailed(address indexed token, address indexed recipient, uint256 amount);
    event FailedTransferWithdrawn(address indexed token, address indexed owner, address to, uint256 amount);

    error InvalidChallengePeriodBounds();
    error ChallengePeriodOutOfBounds(uint256 min, uint256 max);
    error InvalidPartner();
    error NotAToken(address token);
    error ChannelAlreadyOpen(uint256 channelId);
    error ChannelNotOpen(uint256 channelId);
    error ChannelNotClosed(uint256 channelId);
    error NotParticipant(address who);
    error DepositNotIncreasing(uint256 current, uint256 requested);
    error AmountTooLarge(uint256 amount);
    error WrongValue(uint256 expected, uint256 sent);
    error TokenTransferFailed();
    error WithdrawNotIncreasing(uint256 current, uint256 requested);
    error WithdrawExpired(uint256 expiry);
    error InsufficientFunds(uint256 held, uint256 requested);
    error PayoutsDoNotAddUp(uint256 held, uint256 payoutA, uint256 payoutB);
    error InvalidEmptyProof();
    error CloserCannotUpdate();
    error NonceNotIncreasing(uint256 current, uint256 submitted);
    error ChallengePeriodOver(uint256 settleAt);
    error ChallengePeriodNotOver(uint256 settleAt);
    error InvalidMonitor();
    error InvalidSignatureLength(uint256 length);
    error InvalidSignatureV(uint8 v);
    error MalleableSignature();
    error InvalidSignature();
    error WrongSigner(address expected, address actual);
    error NothingToWithdraw();
    error Reentrancy();

    modifier nonReentrant() {
        if (locked) revert Reentrancy();
        locked = true;
        _;
        locked = false;
    }

    constructor(uint256 minChallengePeriod_, uint256 maxChallengePeriod_) {
        if (minChallengePeriod_ == 0 || minChallengePeriod_ > maxChallengePeriod_ || maxChallengePeriod_ > type(uint32).max) {
            revert InvalidChallengePeriodBounds();
        }
        minChallengePeriod = minChallengePeriod_;
        maxChallengePeriod = maxChallengePeriod_;
        cachedChainId = block.chainid;
        cachedDomainSeparator = _buildDomainSeparator();
        assets.push(address(0));
    }

    // ---------------------------------------------------------------- open and deposit

    /// @notice Opens a channel with `partner` in `token` (address 0 for ether).
    function open(address partner, address token, uint256 challengePeriod) external returns (uint256 channelId) {
        channelId = _open(partner, token, challengePeriod);
    }

    /// @notice Opens a channel and deposits `deposit` for the caller in one transaction.
    function openWithDeposit(address partner, address token, uint256 challengePeriod, uint256 deposit)
        external
        payable
        nonReentrant
        returns (uint256 channelId)
    {
        channelId = _open(partner, token, challengePeriod);
        _deposit(channelId, 0, msg.sender, token, deposit);
    }

    /// @notice Raises `participant`'s total deposit to `total`. Anyone may pay it. A total, not an
    /// increment: a retried transaction cannot deposit twice.
    function setTotalDeposit(uint256 channelId, address participant, uint256 total) external payable nonReentrant {
        Channel storage channel = _openChannel(channelId);
        _deposit(channelId, _sideOf(channel, participant), participant, _assetOf(channel), total);
    }

    // ---------------------------------------------------------------- withdraw and cooperative settle

    /// @notice Pays `participant` out of an open channel up to a new total both participants signed.
    function setTotalWithdraw(
        uint256 channelId,
        address participant,
        uint256 total,
        uint256 expiry,
        bytes calldata signatureA,
        bytes calldata signatureB
    ) external nonReentrant {
        Channel storage channel = _openChannel(channelId);
        uint256 side = _sideOf(channel, participant);
        if (block.timestamp > expiry) revert WithdrawExpired(expiry);
        Side storage s = sides[channelId][side];
        uint256 current = s.withdrawn;
        if (total <= current) revert WithdrawNotIncreasing(current, total);
        if (total > type(uint128).max) revert AmountTooLarge(total);

        bytes32 digest = _digest(keccak256(abi.encode(WITHDRAW_TYPEHASH, channelId, participant, total, expiry)));
        _requireSigner(digest, signatureA, channel.a);
        _requireSigner(digest, signatureB, channel.b);

        uint256 amount = total - current;
        uint256 held = _held(channelId);
        if (amount > held) revert InsufficientFunds(held, amount);
        s.withdrawn = uint128(total);
        emit WithdrawSet(channelId, participant, total);
        _pay(_assetOf(channel), participant, amount);
    }

    /// @notice Ends an open channel at once with payouts both participants signed.
    function cooperativeSettle(
        uint256 channelId,
        uint256 payoutA,
        uint256 payoutB,
        bytes calldata signatureA,
        bytes calldata signatureB
    ) external nonReentrant {
        Channel storage channel = _openChannel(channelId);
        uint256 held = _held(channelId);
        if (payoutA > held || payoutB != held - payoutA) revert PayoutsDoNotAddUp(held, payoutA, payoutB);

        bytes32 digest =
            _digest(keccak256(abi.encode(COOPERATIVE_SETTLE_TYPEHASH, channelId, payoutA, payoutB)));
        _requireSigner(digest, signatureA, channel.a);
        _requireSigner(digest, signatureB, channel.b);

        (address a, address b, address token) = _finish(channelId, channel);
        emit ChannelSettled(channelId, payoutA, payoutB, address(0), 0);
        _pay(token, a, payoutA);
        _pay(token, b, payoutB);
    }

    // ---------------------------------------------------------------- close, update, settle

    /// @notice Closes the channel, crediting the partner with its newest proof `(nonce, transferred)`
    /// signed by the partner. Nonce 0 with transferred 0 means "I received nothing" and needs no signature.
    function close(uint256 channelId, uint256 nonce, uint256 transferred, bytes calldata partnerSignature) external {
        Channel storage channel = _openChannel(channelId);
        uint256 closerSide = _sideOf(channel, msg.sender);
        uint256 partnerSide = 1 - closerSide;
        if (nonce == 0) {
            if (transferred != 0) revert InvalidEmptyProof();
        } else {
            _checkProofBounds(nonce, transferred);
            address partner = partnerSide == 0 ? channel.a : channel.b;
            _requireSigner(_balanceProofDigest(channelId, nonce, transferred), partnerSignature, partner);
            proofs[channelId][partnerSide] = Proof(uint64(nonce), uint128(transferred));
        }
        uint256 settleAt = block.timestamp + channel.challengePeriod;
        channel.status = Status.Closed;
        channel.settleAt = uint40(settleAt);
        channel.closedByB = closerSide == 1;
        emit ChannelClosed(channelId, msg.sender, nonce, transferred, settleAt);
    }

    /// @notice Submits the closer's newer proof during the challenge period. Called by the non-closer
    /// (`monitorSignature` ignored, `reward` must be 0), or by a watchtower holding a MonitorRequest the
    /// non-closer signed for exactly this proof, this reward and the caller's address — so the request
    /// cannot be front-run by anyone else. The reward is paid at settle out of the non-closer's payout.
    function updateNonClosingProof(
        uint256 channelId,
        uint256 nonce,
        uint256 transferred,
        bytes calldata closerSignature,
        uint256 reward,
        bytes calldata monitorSignature
    ) external {
        Channel storage channel = channels[channelId];
        if (channel.status != Status.Closed) revert ChannelNotClosed(channelId);
        if (block.timestamp > channel.settleAt) revert ChallengePeriodOver(channel.settleAt);
        uint256 closerSide = channel.closedByB ? 1 : 0;
        (address closer, address nonCloser) = closerSide == 0 ? (channel.a, channel.b) : (channel.b, channel.a);
        if (msg.sender == closer) revert CloserCannotUpdate();

        Proof storage recorded = proofs[channelId][closerSide];
        if (nonce <= recorded.nonce) revert NonceNotIncreasing(recorded.nonce, nonce);
        _checkProofBounds(nonce, transferred);
        _requireSigner(_balanceProofDigest(channelId, nonce, transferred), closerSignature, closer);

        if (msg.sender == nonCloser) {
            if (reward != 0) revert InvalidMonitor();
            delete monitors[channelId];
        } else {
            if (reward > type(uint96).max) revert AmountTooLarge(reward);
            bytes32 request = keccak256(
                abi.encode(MONITOR_REQUEST_TYPEHASH, channelId, nonce, transferred, reward, msg.sender)
            );
            _requireSigner(_digest(request), monitorSignature, nonCloser);
            monitors[channelId] = Monitor(msg.sender, uint96(reward));
        }
        recorded.nonce = uint64(nonce);
        recorded.transferred = uint128(transferred);
        emit NonClosingProofUpdated(channelId, closer, nonce, transferred, msg.sender == nonCloser ? address(0) : msg.sender, reward);
    }

    /// @notice Pays out a closed channel after its challenge period. Never reverts on a failed transfer:
    /// that payout becomes claimable with `withdrawFailed`.
    function settle(uint256 channelId) external nonReentrant {
        Channel storage channel = channels[channelId];
        if (channel.status != Status.Closed) revert ChannelNotClosed(channelId);
        if (block.timestamp <= channel.settleAt) revert ChallengePeriodNotOver(channel.settleAt);

        Side memory sideA = sides[channelId][0];
        Side memory sideB = sides[channelId][1];
        uint256 held = uint256(sideA.deposit) + sideB.deposit - sideA.withdrawn - sideB.withdrawn;
        // Signed arithmetic: every term is below 2^128, so nothing here can overflow.
        int256 rawA = int256(uint256(sideA.deposit)) - int256(uint256(sideA.withdrawn))
            + int256(uint256(proofs[channelId][1].transferred)) - int256(uint256(proofs[channelId][0].transferred));
        uint256 payoutA = rawA <= 0 ? 0 : (uint256(rawA) > held ? held : uint256(rawA));
        uint256 payoutB = held - payoutA;

        Monitor memory monitor = monitors[channelId];
        uint256 monitorReward;
        if (monitor.reward != 0) {
            // The non-closer pays the watchtower that saved it, never more than its own payout.
            if (channel.closedByB) {
                monitorReward = monitor.reward < payoutA ? monitor.reward : payoutA;
                payoutA -= monitorReward;
            } else {
                monitorReward = monitor.reward < payoutB ? monitor.reward : payoutB;
                payoutB -= monitorReward;
            }
        }

        (address a, address b, address token) = _finish(channelId, channel);
        emit ChannelSettled(channelId, payoutA, payoutB, monitor.monitor, monitorReward);
        _pay(token, a, payoutA);
        _pay(token, b, payoutB);
        _pay(token, monitor.monitor, monitorReward);
    }

    /// @notice Sends the caller's failed payouts in `token` to `to`.
    function withdrawFailed(address token, address to) external nonReentrant {
        uint256 amount = failedTransfers[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        failedTransfers[token][msg.sender] = 0;
        emit FailedTransferWithdrawn(token, msg.sender, to, amount);
        if (!_transfer(token, to, amount, gasleft())) revert TokenTransferFailed();
    }

    // ---------------------------------------------------------------- views

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparator();
    }

    /// @notice A channel's participants (A opened it), asset, status, period and, once closed, closer and deadline.
    function getChannel(uint256 channelId)
        external
        view
        returns (
            address participantA,
            address participantB,
            address token,
            Status status,
            uint256 challengePeriod,
            uint256 settleAt,
            address closer
        )
    {
        Channel storage c = channels[channelId];
        closer = c.status == Status.Closed ? (c.closedByB ? c.b : c.a) : address(0);
        return (c.a, c.b, _assetOf(c), c.status, c.challengePeriod, c.settleAt, closer);
    }

    /// @notice `participant`'s deposit and withdrawn totals, and the newest proof it signed that is recorded on chain.
    function getParticipant(uint256 channelId, address participant)
        external
        view
        returns (uint256 deposit, uint256 withdrawn, uint256 nonce, uint256 transferred)
    {
        uint256 side = _sideOf(channels[channelId], participant);
        Side storage s = sides[channelId][side];
        Proof storage p = proofs[channelId][side];
        return (s.deposit, s.withdrawn, p.nonce, p.transferred);
    }

    function getMonitor(uint256 channelId) external view returns (address monitor, uint256 reward) {
        Monitor storage m = monitors[channelId];
        return (m.monitor, m.reward);
    }

    /// @notice What the contract holds for the channel: deposits minus withdrawals.
    function heldBy(uint256 channelId) external view returns (uint256) {
        return _held(channelId);
    }

    /// @notice The id of the channel between two addresses in `token` that is not settled yet, or 0.
    function unsettledChannel(address x, address y, address token) external view returns (uint256) {
        return unsettledChannelOf[_pairKey(x, y, token)];
    }

    // ---------------------------------------------------------------- internals

    function _open(address partner, address token, uint256 challengePeriod) private returns (uint256 channelId) {
        if (partner == address(0) || partner == msg.sender) revert InvalidPartner();
        if (challengePeriod < minChallengePeriod || challengePeriod > maxChallengePeriod) {
            revert ChallengePeriodOutOfBounds(minChallengePeriod, maxChallengePeriod);
        }
        bytes32 key = _pairKey(msg.sender, partner, token);
        uint256 existing = unsettledChannelOf[key];
        if (existing != 0) revert ChannelAlreadyOpen(existing);

        uint32 asset;
        if (token != address(0)) {
            asset = assetIndex[token];
            if (asset == 0) {
                if (token.code.length == 0) revert NotAToken(token);
                asset = uint32(assets.length);
                assets.push(token);
                assetIndex[token] = asset;
            }
        }
        channelId = ++channelCount;
        channels[channelId] = Channel({
            a: msg.sender,
            challengePeriod: uint32(challengePeriod),
            settleAt: 0,
            status: Status.Open,
            closedByB: false,
            b: partner,
            asset: asset
        });
        unsettledChannelOf[key] = channelId;
        emit ChannelOpened(channelId, msg.sender, partner, token, challengePeriod);
    }

    function _deposit(uint256 channelId, uint256 side, address participant, address token, uint256 total) private {
        Side storage s = sides[channelId][side];
        uint256 current = s.deposit;
        if (total <= current) revert DepositNotIncreasing(current, total);
        if (total > type(uint128).max) revert AmountTooLarge(total);
        uint256 increment = total - current;
        uint256 credited = total;
        if (token == address(0)) {
            if (msg.value != increment) revert WrongValue(increment, msg.value);
        } else {
            if (msg.value != 0) revert WrongValue(0, msg.value);
            // Credit what actually arrived: a fee-on-transfer token must not inflate the channel.
            uint256 before = IERC20(token).balanceOf(address(this));
            (bool ok, bytes memory ret) =
                token.call(abi.encodeCall(IERC20.transferFrom, (msg.sender, address(this), increment)));
            if (!ok || (ret.length != 0 && (ret.length < 32 || uint256(bytes32(ret)) != 1))) revert TokenTransferFailed();
            uint256 received = IERC20(token).balanceOf(address(this)) - before;
            if (received < increment) credited = current + received;
        }
        s.deposit = uint128(credited);
        emit DepositSet(channelId, participant, credited);
    }

    /// @dev Clears the channel before any transfer, keeping only the Settled status so the id stays burnt.
    function _finish(uint256 channelId, Channel storage channel) private returns (address a, address b, address token) {
        a = channel.a;
        b = channel.b;
        token = _assetOf(channel);
        delete unsettledChannelOf[_pairKey(a, b, token)];
        delete sides[channelId];
        delete proofs[channelId];
        delete monitors[channelId];
        // One write: slot 0 keeps only the status, slot 1 is cleared (and refunded).
        channels[channelId] = Channel(address(0), 0, 0, Status.Settled, false, address(0), 0);
    }

    /// @dev Pays out; a failed transfer is credited to the recipient's pull balance instead of reverting.
    function _pay(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (!_transfer(token, to, amount, ETH_TRANSFER_GAS)) {
            failedTransfers[token][to] += amount;
            emit TransferFailed(token, to, amount);
        }
    }

    function _transfer(address token, address to, uint256 amount, uint256 etherGas) private returns (bool ok) {
        if (token == address(0)) {
            // Assembly so a hostile receiver's return data is never copied into memory.
            assembly {
                ok := call(etherGas, to, amount, 0, 0, 0, 0)
            }
            return ok;
        }
        bytes memory ret;
        (ok, ret) = token.call(abi.encodeCall(IERC20.transfer, (to, amount)));
        return ok && (ret.length == 0 || (ret.length >= 32 && uint256(bytes32(ret)) == 1));
    }

    /// @dev Ether needs no lookup: index 0 saves a cold storage read on every ether operation.
    function _assetOf(Channel storage channel) private view returns (address) {
        uint32 asset = channel.asset;
        return asset == 0 ? address(0) : assets[asset];
    }

    function _openChannel(uint256 channelId) private view returns (Channel storage channel) {
        channel = channels[channelId];
        if (channel.status != Status.Open) revert ChannelNotOpen(channelId);
    }

    function _sideOf(Channel storage channel, address participant) private view returns (uint256) {
        if (participant == channel.a && participant != address(0)) return 0;
        if (participant == channel.b && participant != address(0)) return 1;
        revert NotParticipant(participant);
    }

    function _held(uint256 channelId) private view returns (uint256) {
        Side storage sideA = sides[channelId][0];
        Side storage sideB = sides[channelId][1];
        return uint256(sideA.deposit) + sideB.deposit - sideA.withdrawn - sideB.withdrawn;
    }

    function _checkProofBounds(uint256 nonce, uint256 transferred) private pure {
        if (nonce > type(uint64).max) revert AmountTooLarge(nonce);
        if (transferred > type(uint128).max) revert AmountTooLarge(transferred);
    }

    function _pairKey(address x, address y, address token) private pure returns (bytes32) {
        return x < y ? keccak256(abi.encode(x, y, token)) : keccak256(abi.encode(y, x, token));
    }

    function _balanceProofDigest(uint256 channelId, uint256 nonce, uint256 transferred) private view returns (bytes32) {
        return _digest(keccak256(abi.encode(BALANCE_PROOF_TYPEHASH, channelId, nonce, transferred)));
    }

    function _digest(bytes32 structHash) private view returns (bytes32) {
        return keccak256(abi.encodePacked("\x19\x01", _domainSeparator(), structHash));
    }

    /// @dev Recomputed if the chain id changes (a fork), so signatures never carry over to the other chain.
    function _domainSeparator() private view returns (bytes32) {
        return block.chainid == cachedChainId ? cachedDomainSeparator : _buildDomainSeparator();
    }

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(DOMAIN_TYPEHASH, keccak256(bytes(NAME)), keccak256(bytes(VERSION)), block.chainid, address(this))
        );
    }

    function _requireSigner(bytes32 digest, bytes calldata signature, address expected) private pure {
        address actual = _recover(digest, signature);
        if (actual != expected) revert WrongSigner(expected, actual);
    }

    /// @dev 65-byte (r, s, v); v in {27, 28}; low s only; never address 0.
    function _recover(bytes32 digest, bytes calldata signature) private pure returns (address signer) {
        if (signature.length != 65) revert InvalidSignatureLength(signature.length);
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v != 27 && v != 28) revert InvalidSignatureV(v);
        if (uint256(s) > HALF_N) revert MalleableSignature();
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature();
    }
}
