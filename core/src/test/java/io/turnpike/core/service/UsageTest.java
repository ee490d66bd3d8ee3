package io.turnpike.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class UsageTest {

    /** However usage of several services interleaves, the itemised figures add up to the one debt it makes. */
    @Property(tries = 200)
    void itemsAddUpToTheTotalAndKeepEachServicesUnits(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 2) Integer> services,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 100_000) Integer> units) {
        String[] names = {"bandwidth", "rpc", "mailbox"};
        long[] expectedUnits = new long[3];
        Usage usage = Usage.NONE;
        Amount expectedTotal = Amount.ZERO;
        for (int i = 0; i < Math.min(services.size(), units.size()); i++) {
            int service = services.get(i);
            Amount cost = Amount.of(units.get(i) * (service + 1L) * 7);
            usage = usage.plus(names[service], units.get(i), cost);
            expectedUnits[service] += units.get(i);
            expectedTotal = expectedTotal.plus(cost);
        }
        assertThat(usage.total()).isEqualTo(expectedTotal);
        assertThat(usage.items().stream().map(Usage.Item::cost).reduce(Amount.ZERO, Amount::plus)).isEqualTo(expectedTotal);
        for (Usage.Item item : usage.items()) {
            int index = List.of(names).indexOf(item.service());
            assertThat(item.units()).isEqualTo(expectedUnits[index]);
        }
    }
}
