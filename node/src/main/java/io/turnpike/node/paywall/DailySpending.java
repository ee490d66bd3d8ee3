package io.turnpike.node.paywall;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.store.PaywallSpending;
import io.turnpike.store.Store;
import io.turnpike.store.StoreWrite;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What paying paywalls has cost this node today (UTC), and the caps it may not pass. The day's figure is kept in the
 * node's store ({@link PaywallSpending}) and counted in the same commit as the payment — with a channel's proof and the
 * ledger's {@code used}, or alone before an {@code exact} authorization is signed — and the day's cap is checked in
 * that commit, so that payments at once cannot together pass it, and it holds across runs of {@code turnpike http}
 * and restarts of the node. A payment counts once it is written down, whatever the paywall then does with it.
 */
public final class DailySpending {

    /** Where the day's spending was kept before the store kept it: one line, {@code <UTC date> <amount>}. */
    static final String OLD_FILE = "paywall-spending";

    private final PaywallSpending store;
    private final Clock clock;

    private DailySpending(PaywallSpending store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * The day's spending in {@code store}. A {@value #OLD_FILE} file left in {@code dataDirectory} by an earlier
     * version is carried over once — today's figure, if it is today's — and deleted.
     *
     * @throws TurnpikeException {@code datadir_io} if that file cannot be read or deleted; nothing carried over
     */
    public static DailySpending of(Store store, Path dataDirectory, Clock clock) {
        DailySpending spending = new DailySpending(PaywallSpending.of(store), clock);
        spending.carryOver(dataDirectory.resolve(OLD_FILE));
        return spending;
    }

    /**
     * The write that counts {@code amount} as spent today, for the payment's own commit; that commit is refused with
     * {@code spending_cap_exceeded} if it would take the day past its cap.
     *
     * @throws TurnpikeException {@code spending_cap_exceeded} at once for an amount over the cap a request
     */
    StoreWrite spend(Amount amount, NodeConfig.PaywallCaps caps, String what) {
        if (amount.isGreaterThan(caps.maxPerRequest())) {
            throw new TurnpikeException(ErrorCode.SPENDING_CAP_EXCEEDED, what + " costs " + amount + ", over the cap of "
                    + caps.maxPerRequest() + " a request (turnpike.client.paywall.max-per-request, or --max); nothing "
                    + "was paid");
        }
        return store.spend(today(), amount, caps.maxPerDay(), spent -> new TurnpikeException(
                ErrorCode.SPENDING_CAP_EXCEEDED, what + " costs " + amount + "; with the " + spent + " paid today (UTC)"
                + " that is over the cap of " + caps.maxPerDay() + " a day (turnpike.client.paywall.max-per-day, or "
                + "--max-per-day); nothing was paid"));
    }

    /** Counts {@code amount} as spent today in a commit of its own, within both caps; written down when this returns. */
    void spendAlone(Amount amount, NodeConfig.PaywallCaps caps, String what) {
        store.write(spend(amount, caps, what));
    }

    /** What was paid today (UTC). */
    Amount spentToday() {
        return store.spentOn(today());
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Written to the store before the file goes: a crash between the two carries it over again, which counts once. */
    private void carryOver(Path file) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            String[] line = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            LocalDate day = LocalDate.parse(line[0]);
            if (day.equals(today())) {
                store.carryOver(day, Amount.of(new BigInteger(line[1])));
            }
            Files.delete(file);
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot carry " + file + " over to the store ("
                    + e.getMessage() + ")", e);
        } catch (RuntimeException unreadable) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, file + " is not '<date> <amount>' ("
                    + unreadable.getMessage() + "); delete it only if nothing was paid today");
        }
    }
}
