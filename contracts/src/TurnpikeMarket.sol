// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @dev The part of ERC-20 the market uses. Transfers go through a low-level call so tokens that
/// return nothing (USDT-style) work too.
interface IERC20 {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function balanceOf(address who) external view returns (uint256);
}

/// @title Turnpike market: a registry of providers and paid subscriptions to their plans.
/// @notice A provider registers a record (peer endpoint, services with indicative prices, plans) and may
/// stake ether, which leaves only after a withdrawal announced `stakeDelay` seconds ahead. Anyone
/// subscribes a beneficiary to a plan for 1..MAX_PERIODS periods and pays the provider in the same
/// transaction; expiry = max(now, expiry) + periods x period, so a renewal is the same call.
contract TurnpikeMarket {
    /// @notice A service the provider sells, with an indicative price per unit (the binding one comes in
    /// the provider's offer over the peer connection).
    struct Service {
        string name; // "bandwidth", "rpc", "mailbox", ...: 1 to MAX_NAME_LENGTH bytes
        string unit; // "byte", "cost unit", "message-byte", ...: 1 to MAX_NAME_LENGTH bytes
        address asset; // 0 is ether
        uint256 pricePerUnit; // below 2^96
    }

    /// @notice A subscription plan as given to `register`/`update` and returned by `getProvider`.
    struct Plan {
        uint32 planId;
        address asset; // 0 is ether
        uint256 pricePerPeriod;
        uint256 periodSeconds;
    }

    /// @dev One slot, so a subscription reads its plan with one storage load. A plan id's asset and period
    /// are fixed the first time the provider uses it (see `PlanTermsFixed`); only the price moves.
    struct PlanTerms {
        uint128 pricePerPeriod;
        uint32 periodSeconds; // 0: the id was never used
        uint32 asset; // index into `assets`; 0 is ether
        bool active;
    }

    /// @dev A service as stored: the asset and the price share a slot.
    struct StoredService {
        string name;
        string unit;
        address asset;
        uint96 pricePerUnit;
    }

    struct Provider {
        uint32 listPosition; // 1-based position in `providerList`; 0: not registered
        uint64 unstakeAt; // when the announced withdrawal may leave
        uint128 stake;
        uint128 unstakeAmount; // announced, still part of `stake` until withdrawn
        string endpoint;
        StoredService[] services;
        uint32[] planIds;
    }

    /// @notice The most periods one call pays for: ten years of a monthly plan. It keeps a mistyped count
    /// from emptying a wallet; a longer subscription is a renewal away.
    uint256 public constant MAX_PERIODS = 120;
    /// @notice Record bounds: every client reads every record, so none may grow without limit.
    uint256 public constant MAX_SERVICES = 16;
    uint256 public constant MAX_PLANS = 16;
    uint256 public constant MAX_ENDPOINT_LENGTH = 256;
    uint256 public constant MAX_NAME_LENGTH = 32;

    /// @dev Enough for a contract wallet's receive hook; a provider that needs more (or reverts) gets a
    /// pull balance instead, so it can never make a subscription fail.
    uint256 private constant ETH_TRANSFER_GAS = 30_000;

    /// @notice Seconds between announcing a stake withdrawal and being able to make it.
    uint256 public immutable stakeDelay;

    mapping(address => Provider) private providers;
    address[] private providerList;
    mapping(address => mapping(uint32 => PlanTerms)) private plans;
    /// @dev beneficiary => provider => plan id => unix seconds the subscription runs until.
    mapping(address => mapping(address => mapping(uint32 => uint256))) private expiries;

    /// @dev Assets get a 32-bit index on first use, so a plan's terms fit in one slot.
    address[] private assets;
    mapping(address => uint32) private assetIndex;

    /// @notice Ether payments whose transfer to the provider failed, claimable with `withdrawFailed`.
    mapping(address => uint256) public failedTransfers;

    bool private transient locked;

    event ProviderRegistered(address indexed provider);
    event ProviderUpdated(address indexed provider);
    event ProviderDeregistered(address indexed provider);
    event Staked(address indexed provider, uint256 amount, uint256 totalStake);
    /// @param amount 0 cancels an earlier announcement.
    event UnstakeAnnounced(address indexed provider, uint256 amount, uint256 withdrawableAt);
    event StakeWithdrawn(address indexed provider, address to, uint256 amount);
    event Subscribed(
        address indexed subscriber,
        address indexed beneficiary,
        address indexed provider,
        uint32 planId,
        uint256 periods,
        uint256 paid,
        uint256 expiresAt
    );
    event TransferFailed(address indexed recipient, uint256 amount);
    event FailedTransferWithdrawn(address indexed owner, address to, uint256 amount);

    error InvalidStakeDelay();
    error AlreadyRegistered();
    error ProviderNotRegistered(address provider);
    error InvalidEndpoint();
    error TooManyServices(uint256 count, uint256 max);
    error TooManyPlans(uint256 count, uint256 max);
    error InvalidService(uint256 index);
    error InvalidPlan(uint32 planId);
    error DuplicatePlan(uint32 planId);
    error PlanTermsFixed(uint32 planId, address asset, uint256 periodSeconds);
    error NotAToken(address token);
    error UnknownPlan(address provider, uint32 planId);
    error PeriodsOutOfRange(uint256 periods, uint256 max);
    error PriceAboveMax(uint256 pricePerPeriod, uint256 maxPricePerPeriod);
    error InvalidBeneficiary();
    error WrongValue(uint256 expected, uint256 sent);
    error TokenTransferFailed();
    error TransferShort(uint256 expected, uint256 received);
    error RefundFailed(uint256 amount);
    error NothingToStake();
    error AmountExceedsStake(uint256 stake, uint256 requested);
    error NoWithdrawalAnnounced();
    error StakeLocked(uint256 withdrawableAt);
    error EtherTransferFailed();
    error NothingToWithdraw();
    error Reentrancy();

    modifier nonReentrant() {
        if (locked) revert Reentrancy();
        locked = true;
        _;
        locked = false;
    }

    /// @param stakeDelay_ at most 2^32 - 1 seconds, so every withdrawal time fits its 64 bits
    constructor(uint256 stakeDelay_) {
        if (stakeDelay_ > type(uint32).max) revert InvalidStakeDelay();
        stakeDelay = stakeDelay_;
        assets.push(address(0));
    }

    // ---------------------------------------------------------------- the provider's record

    /// @notice Lists the caller as a provider; ether sent along becomes its stake.
    function register(string calldata endpoint, Service[] calldata services, Plan[] calldata plans_)
        external
        payable
    {
        Provider storage p = providers[msg.sender];
        if (p.listPosition != 0) revert AlreadyRegistered();
        providerList.push(msg.sender);
        p.listPosition = uint32(providerList.length);
        _setRecord(p, endpoint, services, plans_);
        emit ProviderRegistered(msg.sender);
        if (msg.value != 0) _addStake(p);
    }

    /// @notice Replaces the caller's record. Plans left out are removed; subscriptions already paid keep
    /// their expiry.
    function update(string calldata endpoint, Service[] calldata services, Plan[] calldata plans_) external {
        Provider storage p = _registered(msg.sender);
        _setRecord(p, endpoint, services, plans_);
        emit ProviderUpdated(msg.sender);
    }

    /// @notice Takes the caller off the list and removes its plans. Its stake stays, and leaves the
    /// announced way.
    function deregister() external {
        Provider storage p = _registered(msg.sender);
        _deactivatePlans(p);
        delete p.planIds;
        delete p.services;
        delete p.endpoint;
        uint256 position = p.listPosition;
        address last = providerList[providerList.length - 1];
        providerList[position - 1] = last;
        providers[last].listPosition = uint32(position);
        providerList.pop();
        p.listPosition = 0;
        emit ProviderDeregistered(msg.sender);
    }

    // ---------------------------------------------------------------- stake

    function stake() external payable {
        Provider storage p = _registered(msg.sender);
        if (msg.value == 0) revert NothingToStake();
        _addStake(p);
    }

    /// @notice Announces that `amount` of the caller's stake will leave; it may be withdrawn `stakeDelay`
    /// seconds from now. A new announcement replaces the old one and restarts the wait; 0 cancels.
    function announceUnstake(uint256 amount) external {
        Provider storage p = providers[msg.sender];
        if (amount > p.stake) revert AmountExceedsStake(p.stake, amount);
        uint256 withdrawableAt = amount == 0 ? 0 : block.timestamp + stakeDelay;
        p.unstakeAmount = uint128(amount);
        p.unstakeAt = uint64(withdrawableAt);
        emit UnstakeAnnounced(msg.sender, amount, withdrawableAt);
    }

    /// @notice Sends the announced amount of the caller's stake to `to`, once its wait is over.
    function withdrawStake(address to) external nonReentrant {
        Provider storage p = providers[msg.sender];
        uint256 amount = p.unstakeAmount;
        if (amount == 0) revert NoWithdrawalAnnounced();
        if (block.timestamp < p.unstakeAt) revert StakeLocked(p.unstakeAt);
        p.stake -= uint128(amount);
        p.unstakeAmount = 0;
        p.unstakeAt = 0;
        emit StakeWithdrawn(msg.sender, to, amount);
        if (!_sendEther(to, amount, gasleft())) revert EtherTransferFailed();
    }

    // ---------------------------------------------------------------- subscriptions

    /// @notice Pays `provider` for `periods` periods of plan `planId` for `beneficiary` and returns the new
    /// expiry. Refused if the plan's price is above `maxPricePerPeriod`, so a price raised just before
    /// this transaction is mined cannot charge more than the subscriber agreed to. Ether plans take at
    /// least the price in `msg.value` and send the rest back; token plans take exactly the price with
    /// `transferFrom` (approve this contract first), and refuse a token that delivers less.
    function subscribe(address provider, uint32 planId, uint256 periods, uint256 maxPricePerPeriod, address beneficiary)
        external
        payable
        nonReentrant
        returns (uint256 expiresAt_)
    {
        PlanTerms memory plan = plans[provider][planId];
        if (!plan.active) {
            if (providers[provider].listPosition == 0) revert ProviderNotRegistered(provider);
            revert UnknownPlan(provider, planId);
        }
        if (periods == 0 || periods > MAX_PERIODS) revert PeriodsOutOfRange(periods, MAX_PERIODS);
        if (plan.pricePerPeriod > maxPricePerPeriod) revert PriceAboveMax(plan.pricePerPeriod, maxPricePerPeriod);
        if (beneficiary == address(0)) revert InvalidBeneficiary();
        // Below 2^128 x 120 and 2^32 x 120: neither product can overflow.
        uint256 price = plan.pricePerPeriod * periods;
        if (plan.asset == 0 ? msg.value < price : msg.value != 0) {
            revert WrongValue(plan.asset == 0 ? price : 0, msg.value);
        }

        uint256 current = expiries[beneficiary][provider][planId];
        expiresAt_ = (current > block.timestamp ? current : block.timestamp) + periods * plan.periodSeconds;
        expiries[beneficiary][provider][planId] = expiresAt_;
        emit Subscribed(msg.sender, beneficiary, provider, planId, periods, price, expiresAt_);

        if (plan.asset == 0) {
            if (!_sendEther(provider, price, ETH_TRANSFER_GAS)) {
                failedTransfers[provider] += price;
                emit TransferFailed(provider, price);
            }
            uint256 excess = msg.value - price;
            if (excess != 0 && !_sendEther(msg.sender, excess, gasleft())) revert RefundFailed(excess);
        } else {
            _collect(assets[plan.asset], provider, price);
        }
    }

    /// @notice Sends the caller's failed payments to `to`.
    function withdrawFailed(address to) external nonReentrant {
        uint256 amount = failedTransfers[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        failedTransfers[msg.sender] = 0;
        emit FailedTransferWithdrawn(msg.sender, to, amount);
        if (!_sendEther(to, amount, gasleft())) revert EtherTransferFailed();
    }

    // ---------------------------------------------------------------- views

    /// @notice Unix seconds until which `beneficiary`'s subscription to the plan runs (0: never subscribed).
    function expiresAt(address beneficiary, address provider, uint32 planId) external view returns (uint256) {
        return expiries[beneficiary][provider][planId];
    }

    /// @notice A provider's record: its active plans, its stake (the announced part included) and the
    /// announced withdrawal, if any.
    function getProvider(address provider)
        external
        view
        returns (
            bool registered,
            string memory endpoint,
            Service[] memory services,
            Plan[] memory activePlans,
            uint256 staked,
            uint256 unstakeAmount,
            uint256 unstakeAt
        )
    {
        Provider storage p = providers[provider];
        services = new Service[](p.services.length);
        for (uint256 i = 0; i < services.length; i++) {
            StoredService storage s = p.services[i];
            services[i] = Service(s.name, s.unit, s.asset, s.pricePerUnit);
        }
        uint32[] storage ids = p.planIds;
        activePlans = new Plan[](ids.length);
        for (uint256 i = 0; i < ids.length; i++) {
            PlanTerms storage t = plans[provider][ids[i]];
            activePlans[i] = Plan(ids[i], assets[t.asset], t.pricePerPeriod, t.periodSeconds);
        }
        return (p.listPosition != 0, p.endpoint, services, activePlans, p.stake, p.unstakeAmount, p.unstakeAt);
    }

    function providerCount() external view returns (uint256) {
        return providerList.length;
    }

    /// @notice Registered providers from position `offset`, at most `limit` of them. Deregistering moves
    /// the last provider into the freed position, so a listing taken across changes may miss or repeat one.
    function listProviders(uint256 offset, uint256 limit) external view returns (address[] memory page) {
        uint256 available = offset < providerList.length ? providerList.length - offset : 0;
        page = new address[](limit < available ? limit : available);
        for (uint256 i = 0; i < page.length; i++) {
            page[i] = providerList[offset + i];
        }
    }

    // ---------------------------------------------------------------- internals

    function _setRecord(
        Provider storage p,
        string calldata endpoint,
        Service[] calldata services,
        Plan[] calldata plans_
    ) private {
        if (bytes(endpoint).length == 0 || bytes(endpoint).length > MAX_ENDPOINT_LENGTH) revert InvalidEndpoint();
        if (services.length > MAX_SERVICES) revert TooManyServices(services.length, MAX_SERVICES);
        if (plans_.length > MAX_PLANS) revert TooManyPlans(plans_.length, MAX_PLANS);
        p.endpoint = endpoint;

        delete p.services;
        for (uint256 i = 0; i < services.length; i++) {
            Service calldata s = services[i];
            if (!_isName(s.name) || !_isName(s.unit) || s.pricePerUnit > type(uint96).max) revert InvalidService(i);
            p.services.push(StoredService(s.name, s.unit, s.asset, uint96(s.pricePerUnit)));
        }

        _deactivatePlans(p);
        delete p.planIds;
        for (uint256 i = 0; i < plans_.length; i++) {
            Plan calldata plan = plans_[i];
            uint32 id = plan.planId;
            if (plan.pricePerPeriod == 0 || plan.pricePerPeriod > type(uint128).max || plan.periodSeconds == 0
                    || plan.periodSeconds > type(uint32).max) {
                revert InvalidPlan(id);
            }
            PlanTerms storage terms = plans[msg.sender][id];
            if (terms.active) revert DuplicatePlan(id); // every earlier plan was just deactivated
            uint32 asset = _assetIndexOf(plan.asset);
            // A subscriber agrees to a price bound, not to an asset or a period: those never change under it.
            if (terms.periodSeconds != 0 && (terms.periodSeconds != plan.periodSeconds || terms.asset != asset)) {
                revert PlanTermsFixed(id, assets[terms.asset], terms.periodSeconds);
            }
            plans[msg.sender][id] =
                PlanTerms(uint128(plan.pricePerPeriod), uint32(plan.periodSeconds), asset, true);
            p.planIds.push(id);
        }
    }

    function _deactivatePlans(Provider storage p) private {
        uint32[] storage ids = p.planIds;
        for (uint256 i = 0; i < ids.length; i++) {
            plans[msg.sender][ids[i]].active = false;
        }
    }

    function _addStake(Provider storage p) private {
        // Never truncates: all the ether in existence is far below 2^128 wei.
        uint128 total = p.stake + uint128(msg.value);
        p.stake = total;
        emit Staked(msg.sender, msg.value, total);
    }

    function _assetIndexOf(address token) private returns (uint32 index) {
        if (token == address(0)) return 0;
        index = assetIndex[token];
        if (index == 0) {
            if (token.code.length == 0) revert NotAToken(token);
            index = uint32(assets.length);
            assets.push(token);
            assetIndex[token] = index;
        }
    }

    /// @dev Pays the provider straight from the subscriber, and refuses a token that delivers less than
    /// the price (a fee-on-transfer token): a subscription is never granted for a partial payment.
    function _collect(address token, address provider, uint256 price) private {
        uint256 before = IERC20(token).balanceOf(provider);
        (bool ok, bytes memory ret) = token.call(abi.encodeCall(IERC20.transferFrom, (msg.sender, provider, price)));
        if (!ok || (ret.length != 0 && (ret.length < 32 || uint256(bytes32(ret)) != 1))) revert TokenTransferFailed();
        uint256 balance = IERC20(token).balanceOf(provider);
        uint256 received = balance > before ? balance - before : 0;
        if (received < price) revert TransferShort(price, received);
    }

    function _sendEther(address to, uint256 amount, uint256 gasLimit) private returns (bool ok) {
        // Assembly so a hostile receiver's return data is never copied into memory.
        assembly {
            ok := call(gasLimit, to, amount, 0, 0, 0, 0)
        }
    }

    function _registered(address provider) private view returns (Provider storage p) {
        p = providers[provider];
        if (p.listPosition == 0) revert ProviderNotRegistered(provider);
    }

    function _isName(string calldata s) private pure returns (bool) {
        return bytes(s).length != 0 && bytes(s).length <= MAX_NAME_LENGTH;
    }
}
