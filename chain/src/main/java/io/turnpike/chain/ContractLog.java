package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.Type;
import org.web3j.protocol.core.methods.response.Log;

/**
 * One log of a contract's event, split as the event declares it — its topics (0 is the event's signature, then the
 * indexed parameters) and its ABI-decoded data — and read by position. Each contract binding names its events as
 * {@link Shape}s and decodes its logs through {@link #decode}.
 */
public record ContractLog(List<String> topics, List<Type> data) {

    /** One event of a contract: its ABI declaration, and how its log becomes the binding's event record. */
    public interface Shape<E> {
        Event event();

        E decode(ContractLog log);
    }

    /** {@code shapes} by the first topic of their logs. */
    public static <E, S extends Shape<E>> Map<String, S> byTopic(S[] shapes) {
        return Arrays.stream(shapes).collect(Collectors.toUnmodifiableMap(s -> EventEncoder.encode(s.event()),
                Function.identity()));
    }

    /** The event {@code log} is, by its first topic; empty for a log of none of {@code shapes}. */
    public static <E> Optional<E> decode(Log log, Map<String, ? extends Shape<E>> shapes) {
        if (log.getTopics().isEmpty()) {
            return Optional.empty();
        }
        Shape<E> shape = shapes.get(log.getTopics().get(0));
        if (shape == null) {
            return Optional.empty();
        }
        List<Type> data = FunctionReturnDecoder.decode(log.getData(), shape.event().getNonIndexedParameters());
        return Optional.of(shape.decode(new ContractLog(log.getTopics(), data)));
    }

    /** {@code contract}'s events in {@code receipt}, in log order; logs of other contracts, or unknown ones, left out. */
    public static <E> List<E> events(TxReceipt receipt, Address contract, Map<String, ? extends Shape<E>> shapes) {
        return receipt.logs().stream()
                .filter(log -> Address.of(log.getAddress()).equals(contract))
                .map(log -> decode(log, shapes))
                .flatMap(Optional::stream)
                .toList();
    }

    /** The {@code topic}-th topic (1 is the first indexed parameter) as an address. */
    public Address topicAddress(int topic) {
        String hex = topics.get(topic);
        return Address.of("0x" + hex.substring(hex.length() - 40));
    }

    /** The {@code topic}-th topic as a number. */
    public BigInteger topicNumber(int topic) {
        return Numbers.decode(topics.get(topic));
    }

    public Amount amount(int i) {
        return Amount.of(number(i));
    }

    public BigInteger number(int i) {
        return (BigInteger) data.get(i).getValue();
    }

    public long longNumber(int i) {
        return number(i).longValueExact();
    }

    public Address address(int i) {
        return Address.of(((org.web3j.abi.datatypes.Address) data.get(i)).getValue());
    }
}
