package io.turnpike.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flow control's arithmetic alone, on a controlled clock. */
class FlowControlTest {

    private final TestTicker ticker = new TestTicker();

    @Test
    void freeClientsFloodingShareTheSpareEquallyHoweverOftenEachAsks() {
        // 1000 units/s in all, 900 to the one seated paid client: a spare of 100 for three free clients.
        FlowControl flow = new FlowControl(new Capacity(1_000, 900, 100, Duration.ofSeconds(1)), ticker);
        Address paid = client(1);
        Map<Address, Integer> askingPerTick = new LinkedHashMap<>();
        askingPerTick.put(client(2), 5); // the greedy one asks first and five times as often
        askingPerTick.put(client(3), 1);
        askingPerTick.put(client(4), 1);
        askingPerTick.keySet().forEach(free -> flow.standing(free, Standing.FREE));
        Map<Address, Long> served = new LinkedHashMap<>();

        for (int tick = 0; tick < 3_000; tick++) { // 30 s in steps of 10 ms
            ticker.advance(Duration.ofMillis(10));
            assertThat(flow.admit(paid, 1)).isInstanceOf(FlowControl.Admitted.class);
            askingPerTick.forEach((free, times) -> {
                for (int i = 0; i < times; i++) {
                    if (flow.admit(free, 5) instanceof FlowControl.Admitted admitted) {
                        flow.settle(admitted, 5);
                        served.merge(free, 5L, Long::sum);
                    }
                }
            });
        }

        List<Long> units = askingPerTick.keySet().stream().map(free -> served.getOrDefault(free, 0L)).toList();
        long least = units.stream().mapToLong(Long::longValue).min().orElseThrow();
        long most = units.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertThat(least).as("units served to each free client: %s", units).isGreaterThan(0);
        assertThat(most).as("units served to each free client: %s", units).isLessThanOrEqualTo(least * 12 / 10);
        // Together no more than the spare over the 30 s, and what their buffers held at the start.
        assertThat(units.stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(30 * 100 + 3 * 100);
    }

    private static Address client(int n) {
        return Address.of(String.format("0x%040x", n));
    }
}
