package io.turnpike.chain.market;

import static io.turnpike.chain.ChannelsContract.addr;
import static io.turnpike.chain.ChannelsContract.amount;
import static io.turnpike.chain.ChannelsContract.uint;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ContractLog;
import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.TransactionSender;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicStruct;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.StaticStruct;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.protocol.core.methods.response.Log;

/**
 * The Java binding of {@code TurnpikeMarket.sol}: the provider registry (records, stake) and paid subscriptions.
 * Like {@link io.turnpike.chain.ChannelsContract}, every transaction is simulated before it is sent, so a refusal
 * arrives as a {@link io.turnpike.chain.ContractRevertException} carrying the contract's custom error name and costs
 * no gas.
 */
public final class MarketContract {

    public static final ContractArtifact ARTIFACT = ContractArtifact.load("TurnpikeMarket");

    /** The most periods one subscription pays for (the contract's {@code MAX_PERIODS}). */
    public static final long MAX_PERIODS = 120;

    /** How many addresses one {@code listProviders} call reads: a page stays far below any node's call limits. */
    private static final int PAGE = 200;

    private final Chain chain;
    private final Address address;

    private MarketContract(Chain chain, Address address) {
        this.chain = chain;
        this.address = address;
    }

    /** Deploys with the wait, in seconds, between announcing a stake withdrawal and making it. */
    public static MarketContract deploy(ChainAccount deployer, long stakeDelaySeconds) {
        String args = FunctionEncoder.encodeConstructor(List.of(uint(stakeDelaySeconds)));
        return new MarketContract(deployer.chain(), deployer.deploy(ARTIFACT, args).createdContract());
    }

    public static MarketContract at(Chain chain, Address address) {
        return new MarketContract(chain, address);
    }

    public Address address() {
        return address;
    }

    // ---------------------------------------------------------------- the provider's record and stake

    /** Lists the sender as a provider; {@code stake} (ether, may be zero) is sent along as its stake. */
    public TxReceipt register(TransactionSender provider, ProviderRecord record, Amount stake) {
        return provider.send(address, stake, registerCall(record), ARTIFACT);
    }

    /** The call data of {@link #register}, for a caller that submits the transaction itself. */
    public static String registerCall(ProviderRecord record) {
        return recordCall("register", record);
    }

    /** Replaces the sender's record: plans left out can no longer be subscribed to. */
    public TxReceipt update(TransactionSender provider, ProviderRecord record) {
        return provider.send(address, Amount.ZERO, updateCall(record), ARTIFACT);
    }

    /** The call data of {@link #update}, for a caller that submits the transaction itself. */
    public static String updateCall(ProviderRecord record) {
        return recordCall("update", record);
    }

    public TxReceipt deregister(TransactionSender provider) {
        return send(provider, Amount.ZERO, "deregister");
    }

    public TxReceipt stake(TransactionSender provider, Amount amount) {
        return send(provider, amount, "stake");
    }

    /** Announces that {@code amount} of the stake will leave after the deployment's stake delay; zero cancels. */
    public TxReceipt announceUnstake(TransactionSender provider, Amount amount) {
        return send(provider, Amount.ZERO, "announceUnstake", uint(amount));
    }

    /** Sends the announced part of the stake to {@code to}, once the delay has passed. */
    public TxReceipt withdrawStake(TransactionSender provider, Address to) {
        return send(provider, Amount.ZERO, "withdrawStake", addr(to));
    }

    // ---------------------------------------------------------------- subscriptions

    /**
     * Subscribes {@code beneficiary} to {@code plan} (as read from the provider's record) for {@code periods}
     * periods, agreeing to at most the plan's price as read: a price raised before the transaction is mined is
     * refused, a price lowered is what is paid. Ether is sent with the call (the contract returns what the price
     * does not take); for a token plan this contract is first approved for the full amount, and can only ever draw
     * on that approval in the sender's own subscriptions.
     */
    public Subscription subscribe(TransactionSender from, Address provider, Plan plan, long periods,
                                  Address beneficiary) {
        Amount atMost = plan.priceFor(periods);
        if (!plan.isEther()) {
            Erc20.at(chain, plan.asset()).approve(from, address, atMost);
        }
        return subscribe(from, provider, plan.planId(), periods, plan.pricePerPeriod(), beneficiary,
                plan.isEther() ? atMost : Amount.ZERO);
    }

    /** Subscribes with exactly the arguments the contract takes; {@code value} is the ether sent along. */
    public Subscription subscribe(TransactionSender from, Address provider, long planId, long periods,
                                  Amount maxPricePerPeriod, Address beneficiary, Amount value) {
        TxReceipt receipt = from.send(address, value,
                subscribeCall(provider, planId, BigInteger.valueOf(periods), maxPricePerPeriod, beneficiary),
                ARTIFACT);
        return Subscription.from(receipt, this);
    }

    /**
     * The call data of {@code subscribe}, for a caller that submits the transaction itself. {@code periods} is the
     * contract's uint256, whole: the contract, not this binding, decides what is too many.
     */
    public static String subscribeCall(Address provider, long planId, BigInteger periods, Amount maxPricePerPeriod,
                                       Address beneficiary) {
        return encode("subscribe", addr(provider), new Uint32(planId), new Uint256(periods), uint(maxPricePerPeriod),
                addr(beneficiary));
    }

    /**
     * The call data of {@code withdrawFailed(to)}, which sends the caller's failed ether payments to {@code to}. Only
     * a contract can refuse ether, so the caller is a contract provider, which sends this through its own wallet.
     */
    public static String withdrawFailedCall(Address to) {
        return encode("withdrawFailed", addr(to));
    }

    // ---------------------------------------------------------------- views

    /** Unix seconds until which {@code beneficiary}'s subscription to the plan runs; 0 if it never had one. */
    public long expiresAt(Address beneficiary, Address provider, long planId) {
        return number(call("expiresAt", List.of(addr(beneficiary), addr(provider), new Uint32(planId)), T_UINT)
                .get(0)).longValueExact();
    }

    /** A provider's record and stake; for an address that never registered, an empty record. */
    @SuppressWarnings("unchecked")
    public Provider provider(Address provider) {
        List<Type> out = call("getProvider", List.of(addr(provider)), new TypeReference<Bool>() { },
                new TypeReference<Utf8String>() { }, new TypeReference<DynamicArray<ServiceTuple>>() { },
                new TypeReference<DynamicArray<PlanTuple>>() { }, T_UINT, T_UINT, T_UINT);
        List<Service> services = ((DynamicArray<ServiceTuple>) out.get(2)).getValue().stream()
                .map(ServiceTuple::toService).toList();
        List<Plan> plans = ((DynamicArray<PlanTuple>) out.get(3)).getValue().stream().map(PlanTuple::toPlan).toList();
        ProviderRecord record = new ProviderRecord(((Utf8String) out.get(1)).getValue(), services, plans);
        return new Provider(provider, ((Bool) out.get(0)).getValue(), record, amount(out.get(4)), amount(out.get(5)),
                number(out.get(6)).longValueExact());
    }

    /** Every registered provider, read page by page. */
    @SuppressWarnings("unchecked")
    public List<Address> providers() {
        long count = number(call("providerCount", List.of(), T_UINT).get(0)).longValueExact();
        List<Address> all = new ArrayList<>();
        for (long offset = 0; offset < count; offset += PAGE) {
            List<Type> out = call("listProviders", List.of(uint(offset), uint(PAGE)),
                    new TypeReference<DynamicArray<org.web3j.abi.datatypes.Address>>() { });
            ((DynamicArray<org.web3j.abi.datatypes.Address>) out.get(0)).getValue()
                    .forEach(a -> all.add(Address.of(a.getValue())));
        }
        return List.copyOf(all);
    }

    /** An ether payment the provider could not receive, waiting for {@link #withdrawFailed}. */
    public Amount failedTransfer(Address owner) {
        return amount(call("failedTransfers", List.of(addr(owner)), T_UINT).get(0));
    }

    public long stakeDelay() {
        return number(call("stakeDelay", List.of(), T_UINT).get(0)).longValueExact();
    }

    // ---------------------------------------------------------------- events

    /** This contract's events in a receipt, in log order. */
    public List<MarketEvent> events(TxReceipt receipt) {
        return ContractLog.events(receipt, address, EventShape.BY_TOPIC);
    }

    /** Decodes one log of TurnpikeMarket; empty for a log that is none of its events. */
    public static Optional<MarketEvent> decode(Log log) {
        return ContractLog.decode(log, EventShape.BY_TOPIC);
    }

    /** The indexed addresses come first in every market event: topic 1 is the first. */
    private enum EventShape implements ContractLog.Shape<MarketEvent> {
        REGISTERED("ProviderRegistered", 1, List.of(), e -> new MarketEvent.ProviderRegistered(e.topicAddress(1))),
        UPDATED("ProviderUpdated", 1, List.of(), e -> new MarketEvent.ProviderUpdated(e.topicAddress(1))),
        DEREGISTERED("ProviderDeregistered", 1, List.of(),
                e -> new MarketEvent.ProviderDeregistered(e.topicAddress(1))),
        STAKED("Staked", 1, List.of(T_UINT, T_UINT),
                e -> new MarketEvent.Staked(e.topicAddress(1), e.amount(0), e.amount(1))),
        UNSTAKE_ANNOUNCED("UnstakeAnnounced", 1, List.of(T_UINT, T_UINT),
                e -> new MarketEvent.UnstakeAnnounced(e.topicAddress(1), e.amount(0), e.longNumber(1))),
        STAKE_WITHDRAWN("StakeWithdrawn", 1, List.of(T_ADDRESS, T_UINT),
                e -> new MarketEvent.StakeWithdrawn(e.topicAddress(1), e.address(0), e.amount(1))),
        SUBSCRIBED("Subscribed", 3, List.of(T_UINT32, T_UINT, T_UINT, T_UINT),
                e -> new MarketEvent.Subscribed(e.topicAddress(1), e.topicAddress(2), e.topicAddress(3),
                        e.longNumber(0), e.longNumber(1), e.amount(2), e.longNumber(3))),
        TRANSFER_FAILED("TransferFailed", 1, List.of(T_UINT),
                e -> new MarketEvent.TransferFailed(e.topicAddress(1), e.amount(0))),
        FAILED_TRANSFER_WITHDRAWN("FailedTransferWithdrawn", 1, List.of(T_ADDRESS, T_UINT),
                e -> new MarketEvent.FailedTransferWithdrawn(e.topicAddress(1), e.address(0), e.amount(1)));

        static final Map<String, EventShape> BY_TOPIC = ContractLog.byTopic(values());

        private final Event event;
        private final Function<ContractLog, MarketEvent> decoder;

        /** {@code indexed} counts the indexed addresses, which come first in every market event. */
        EventShape(String name, int indexed, List<TypeReference<?>> data, Function<ContractLog, MarketEvent> decoder) {
            List<TypeReference<?>> params = new ArrayList<>();
            for (int i = 0; i < indexed; i++) {
                params.add(new TypeReference<org.web3j.abi.datatypes.Address>(true) { });
            }
            params.addAll(data);
            this.event = new Event(name, params);
            this.decoder = decoder;
        }

        @Override
        public Event event() {
            return event;
        }

        @Override
        public MarketEvent decode(ContractLog log) {
            return decoder.apply(log);
        }
    }

    private static final TypeReference<?> T_UINT = new TypeReference<Uint256>() { };
    private static final TypeReference<?> T_UINT32 = new TypeReference<Uint32>() { };
    private static final TypeReference<?> T_ADDRESS = new TypeReference<org.web3j.abi.datatypes.Address>() { };

    // ---------------------------------------------------------------- ABI shapes of the record

    /**
     * The contract's {@code Service} tuple. web3j builds these by reflection when it decodes a record, through the
     * one constructor taking the ABI types in order, so both struct classes are public.
     */
    public static final class ServiceTuple extends DynamicStruct {
        public ServiceTuple(Utf8String name, Utf8String unit, org.web3j.abi.datatypes.Address asset,
                            Uint256 pricePerUnit) {
            super(name, unit, asset, pricePerUnit);
        }

        static ServiceTuple of(Service s) {
            return new ServiceTuple(new Utf8String(s.name()), new Utf8String(s.unit()), addr(s.asset()),
                    uint(s.pricePerUnit()));
        }

        Service toService() {
            List<Type> v = getValue();
            return new Service(((Utf8String) v.get(0)).getValue(), ((Utf8String) v.get(1)).getValue(),
                    Address.of(((org.web3j.abi.datatypes.Address) v.get(2)).getValue()), amount(v.get(3)));
        }
    }

    /**
     * The contract's {@code Plan} tuple; see {@link ServiceTuple}. web3j sizes a static tuple inside an array by
     * counting its class's public fields, so each component is one.
     */
    public static final class PlanTuple extends StaticStruct {
        public final Uint32 planId;
        public final org.web3j.abi.datatypes.Address asset;
        public final Uint256 pricePerPeriod;
        public final Uint256 periodSeconds;

        public PlanTuple(Uint32 planId, org.web3j.abi.datatypes.Address asset, Uint256 pricePerPeriod,
                         Uint256 periodSeconds) {
            super(planId, asset, pricePerPeriod, periodSeconds);
            this.planId = planId;
            this.asset = asset;
            this.pricePerPeriod = pricePerPeriod;
            this.periodSeconds = periodSeconds;
        }

        static PlanTuple of(Plan p) {
            return new PlanTuple(new Uint32(p.planId()), addr(p.asset()), uint(p.pricePerPeriod()),
                    uint(p.periodSeconds()));
        }

        Plan toPlan() {
            return new Plan(planId.getValue().longValueExact(), Address.of(asset.getValue()), amount(pricePerPeriod),
                    periodSeconds.getValue().longValueExact());
        }
    }

    private static String recordCall(String function, ProviderRecord record) {
        return encode(function, new Utf8String(record.endpoint()),
                new DynamicArray<>(ServiceTuple.class, record.services().stream().map(ServiceTuple::of).toList()),
                new DynamicArray<>(PlanTuple.class, record.plans().stream().map(PlanTuple::of).toList()));
    }

    // ---------------------------------------------------------------- plumbing

    private TxReceipt send(TransactionSender from, Amount value, String function, Type<?>... args) {
        return from.send(address, value, encode(function, args), ARTIFACT);
    }

    private static String encode(String function, Type<?>... args) {
        return FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(function, List.of(args), List.of()));
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private List<Type> call(String function, List<? extends Type> args, TypeReference<?>... returns) {
        org.web3j.abi.datatypes.Function f = new org.web3j.abi.datatypes.Function(function, (List) args,
                (List) List.of(returns));
        return FunctionReturnDecoder.decode(chain.call(address, FunctionEncoder.encode(f), ARTIFACT),
                f.getOutputParameters());
    }

    private static BigInteger number(Type<?> value) {
        return (BigInteger) value.getValue();
    }

    /** A subscription just paid for: its event (with the new expiry) and the transaction. */
    public record Subscription(MarketEvent.Subscribed event, TxReceipt receipt) {
        static Subscription from(TxReceipt receipt, MarketContract market) {
            return market.events(receipt).stream()
                    .filter(e -> e instanceof MarketEvent.Subscribed)
                    .map(e -> new Subscription((MarketEvent.Subscribed) e, receipt))
                    .findFirst()
                    .orElseThrow(() -> new TurnpikeException(ErrorCode.INTERNAL,
                            "transaction " + receipt.hash() + " subscribed without a Subscribed event"));
        }
    }
}
