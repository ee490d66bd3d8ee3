package io.turnpike.node.paywall;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * What paying paywalls has cost this node today (UTC), and the caps it may not pass: kept in one small file of the
 * data directory, written before a payment leaves, so that the day's cap holds across runs of {@code turnpike http}
 * and restarts of the node. A payment counts once it is signed, whatever the paywall then does with it.
 */
final class DailySpending {

    private final Path file;
    private final Clock clock;

    /** @param file {@code <datadir>/paywall-spending}; one line, {@code <UTC date> <amount in the smallest unit>} */
    DailySpending(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * Counts {@code amount} as spent today if it is within both caps; written down when this returns.
     *
     * @throws TurnpikeException {@code spending_cap_exceeded} naming the cap and the figures; nothing counted
     */
    synchronized void spend(Amount amount, NodeConfig.PaywallCaps caps, String what) {
        if (amount.isGreaterThan(caps.maxPerRequest())) {
            throw new TurnpikeException(ErrorCode.SPENDING_CAP_EXCEEDED, what + " costs " + amount + ", over the cap of "
                    + caps.maxPerRequest() + " a request (turnpike.client.paywall.max-per-request, or --max); nothing "
                    + "was paid");
        }
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Amount spent = spentOn(today);
        if (spent.plus(amount).isGreaterThan(caps.maxPerDay())) {
            throw new TurnpikeException(ErrorCode.SPENDING_CAP_EXCEEDED, what + " costs " + amount + "; with the "
                    + spent + " paid today (UTC) that is over the cap of " + caps.maxPerDay() + " a day "
                    + "(turnpike.client.paywall.max-per-day, or --max-per-day); nothing was paid");
        }
        write(today, spent.plus(amount));
    }

    /** What was paid today (UTC). */
    synchronized Amount spentToday() {
        return spentOn(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
    }

    private Amount spentOn(LocalDate day) {
        if (!Files.exists(file)) {
            return Amount.ZERO;
        }
        try {
            String[] line = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
            return LocalDate.parse(line[0]).equals(day) ? Amount.of(new BigInteger(line[1])) : Amount.ZERO;
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot read " + file + " (" + e.getMessage()
                    + "); nothing was paid", e);
        } catch (RuntimeException unreadable) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, file + " is not '<date> <amount>' ("
                    + unreadable.getMessage() + "); delete it only if nothing was paid today");
        }
    }

    /** Written to a new file, then moved over the old one: a crash leaves one whole figure or the other. */
    private void write(LocalDate day, Amount spent) {
        Path next = file.resolveSibling(file.getFileName() + ".new");
        try {
            Files.writeString(next, day + " " + spent.value() + "\n", StandardCharsets.US_ASCII);
            try (FileChannel channel = FileChannel.open(next, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot write " + file + " (" + e.getMessage()
                    + "); nothing was paid", e);
        }
    }
}
