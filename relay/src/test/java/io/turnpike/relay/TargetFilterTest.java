package io.turnpike.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetFilterTest {

    /** A machine whose public address is 203.0.113.7 (documentation range, standing in for a real one). */
    private final TargetFilter filter = TargetFilter.withOwnAddresses(Set.of(address("203.0.113.7")));

    @Test
    void whatIsNotThePublicInternetIsRefused() {
        for (String refused : new String[] {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
            "100.64.0.1", "100.127.255.254", "198.18.0.1", "198.19.255.255", "192.0.0.8", "0.1.2.3", "240.0.0.1",
            "255.255.255.255", "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:10.0.0.1", "::ffff:100.64.1.1",
            "::ffff:127.0.0.1"}) {
            assertThat(filter.refuses(address(refused))).as(refused).isTrue();
        }
    }

    @Test
    void thisMachinesOwnPublicAddressIsRefusedAndTheRestOfTheInternetIsNot() {
        assertThat(filter.refuses(address("203.0.113.7"))).isTrue();
        assertThat(filter.refuses(address("::ffff:203.0.113.7"))).isTrue();
        for (String allowed : new String[] {"203.0.113.8", "1.1.1.1", "100.63.255.255", "100.128.0.1",
            "198.17.255.255", "198.20.0.1", "192.0.1.1", "2606:4700::1111"}) {
            assertThat(filter.refuses(address(allowed))).as(allowed).isFalse();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
