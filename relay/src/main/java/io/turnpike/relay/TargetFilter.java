package io.turnpike.relay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which addresses a paying client may not reach through the relay: anything that is not the public internet —
 * loopback, private, link-local, multicast, unique-local, carrier-grade NAT (100.64/10), benchmarking (198.18/15),
 * IETF protocol assignments (192.0.0/24), "this network" (0/8), the reserved 240/4 and broadcast — and the
 * provider's own interface addresses, public ones included, so the relay never becomes a way into the machine it
 * runs on. An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is.
 */
final class TargetFilter {

    /** {first octet, second octet (or -1 for any), prefix length}: the IPv4 ranges the JDK's own tests miss. */
    private static final List<int[]> RESERVED_V4 = List.of(
            new int[] {100, 64, 10},
            new int[] {198, 18, 15},
            new int[] {192, 0, 24},
            new int[] {0, -1, 8},
            new int[] {240, -1, 4});

    private final Set<InetAddress> own;

    private TargetFilter(Set<InetAddress> own) {
        this.own = Set.copyOf(own);
    }

    /** Refuses the ranges above and the addresses of this machine's interfaces as they are now. */
    static TargetFilter forThisMachine() {
        try {
            return new TargetFilter(Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                    .flatMap(NetworkInterface::inetAddresses).collect(Collectors.toSet()));
        } catch (SocketException e) {
            // Without the list the ranges still hold; a public address of this machine is then not known to refuse.
            return new TargetFilter(Set.of());
        }
    }

    /** Refuses the ranges above and {@code own}, as a machine with those interface addresses. */
    static TargetFilter withOwnAddresses(Set<InetAddress> own) {
        return new TargetFilter(own);
    }

    boolean refuses(InetAddress address) {
        InetAddress judged = embeddedV4(address);
        if (judged.isLoopbackAddress() || judged.isAnyLocalAddress() || judged.isLinkLocalAddress()
                || judged.isSiteLocalAddress() || judged.isMulticastAddress() || own.contains(judged)
                || own.contains(address)) {
            return true;
        }
        if (judged instanceof Inet6Address) {
            return (judged.getAddress()[0] & 0xFE) == 0xFC; // unique local, fc00::/7
        }
        byte[] v4 = judged.getAddress();
        if ((v4[0] & 0xFF) == 255 && (v4[1] & 0xFF) == 255 && (v4[2] & 0xFF) == 255 && (v4[3] & 0xFF) == 255) {
            return true;
        }
        return RESERVED_V4.stream().anyMatch(range -> within(v4, range));
    }

    private static boolean within(byte[] v4, int[] range) {
        int prefix = range[2];
        int network = (range[0] << 24) | (Math.max(range[1], 0) << 16);
        int value = ((v4[0] & 0xFF) << 24) | ((v4[1] & 0xFF) << 16) | ((v4[2] & 0xFF) << 8) | (v4[3] & 0xFF);
        int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
        return (value & mask) == (network & mask);
    }

    /** ::ffff:a.b.c.d is a.b.c.d; any other address is itself. */
    private static InetAddress embeddedV4(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && bytes.length == 16) {
            boolean mapped = true;
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && (bytes[10] & 0xFF) == 0xFF && (bytes[11] & 0xFF) == 0xFF) {
                try {
                    return Inet4Address.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
                } catch (java.net.UnknownHostException impossible) {
                    throw new AssertionError(impossible);
                }
            }
        }
        return address;
    }
}
