package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.LocalDate;
import java.util.Objects;

/** What clients used of one service on one UTC day, priced, in one asset ({@code token}: zero address for ether). */
public record DailyEarning(LocalDate day, String service, Address token, Amount earned) {

    public DailyEarning {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(earned, "earned");
    }
}
