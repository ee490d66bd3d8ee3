package io.turnpike.tower;

import io.turnpike.chain.tx.TxConfig;
import io.turnpike.http.HttpLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How a watchtower listens and when it acts.
 *
 * @param bind and {@code port}: where the HTTP API listens (port 0: any free one)
 * @param httpLimits what the API's clients may make it hold (docs/security.md)
 * @param windowStartPercent how far into a challenge period the tower waits before it submits, so the node
 *     itself has the first chance (and pays no reward)
 * @param staggerPercent a further share of the period, scaled by a number drawn from the tower's address, so
 *     that two towers guarding one channel do not submit at the same moment and the later one finds the
 *     work done when it simulates
 * @param cachedChannels how many channels' on-chain facts are kept in memory between uploads
 * @param tx the transaction manager's settings; their stuck limits decide how fast a pending update's fee rises
 * @param clock judges when to act and how old a restore request is; in production the system clock, which
 *     tracks block time on a live chain
 */
public record TowerConfig(String bind, int port, HttpLimits httpLimits, int windowStartPercent, int staggerPercent,
                          int cachedChannels, TxConfig tx, Clock clock) {

    public static final int DEFAULT_PORT = 8650;

    public TowerConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(httpLimits, "httpLimits");
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(clock, "clock");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("a port is 0..65535, got " + port);
        }
        if (windowStartPercent < 0 || staggerPercent < 0 || windowStartPercent + staggerPercent >= 100) {
            throw new IllegalArgumentException("the window start (" + windowStartPercent + " %) and the stagger ("
                    + staggerPercent + " %) must leave part of the challenge period to submit in");
        }
        if (cachedChannels < 1) {
            throw new IllegalArgumentException("cachedChannels is at least 1, got " + cachedChannels);
        }
    }

    /**
     * Loopback on 8650 within {@link HttpLimits#defaults()}; acting between 50 % and 60 % of the challenge period; a
     * pending update re-priced (at least +12.5 %) after 30 s or 3 blocks, so its fee keeps rising until it is mined or
     * the deadline passes.
     */
    public static TowerConfig defaults() {
        return new TowerConfig("127.0.0.1", DEFAULT_PORT, HttpLimits.defaults(), 50, 10, 100_000,
                TxConfig.defaults().withStuckAfter(Duration.ofSeconds(30), 3), Clock.systemUTC());
    }

    public TowerConfig withListener(String host, int listenPort) {
        return new TowerConfig(host, listenPort, httpLimits, windowStartPercent, staggerPercent, cachedChannels, tx,
                clock);
    }

    public TowerConfig withHttpLimits(HttpLimits limits) {
        return new TowerConfig(bind, port, limits, windowStartPercent, staggerPercent, cachedChannels, tx, clock);
    }

    public TowerConfig withWindow(int startPercent, int stagger) {
        return new TowerConfig(bind, port, httpLimits, startPercent, stagger, cachedChannels, tx, clock);
    }

    public TowerConfig withTx(TxConfig txConfig) {
        return new TowerConfig(bind, port, httpLimits, windowStartPercent, staggerPercent, cachedChannels, txConfig,
                clock);
    }

    /** One clock for the tower and its transaction manager. */
    public TowerConfig withClock(Clock newClock) {
        return new TowerConfig(bind, port, httpLimits, windowStartPercent, staggerPercent, cachedChannels,
                tx.withClock(newClock), newClock);
    }
}
