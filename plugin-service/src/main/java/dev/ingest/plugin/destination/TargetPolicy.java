package dev.ingest.plugin.destination;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The SSRF guard: a destination URL may only resolve to public addresses. Loopback, private (RFC 1918, IPv6 unique
 * local), link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT, unspecified and multicast
 * addresses are refused unless one of {@code allowedNetworks} contains them. Every address the name resolves to is
 * checked, so a name with one public and one private address is refused.
 * <p>
 * Known limit: the HTTP client resolves the name again when it connects, so a DNS answer that changes between the
 * check and the connection (DNS rebinding) is not caught; redirects are never followed, so a public target cannot
 * bounce a request inward.
 */
public final class TargetPolicy {
    /** How a name resolves; {@link InetAddress#getAllByName} in the service. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowedNetworks;
    private final Resolver resolver;

    public TargetPolicy(List<String> allowedNetworks) {
        this(allowedNetworks, InetAddress::getAllByName);
    }

    public TargetPolicy(List<String> allowedNetworks, Resolver resolver) {
        this.allowedNetworks = allowedNetworks.stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /**
     * Empty when the target may be called; otherwise why not. Throws {@link UnknownHostException} when the name does
     * not resolve (a retryable failure: DNS may be down).
     */
    public Optional<String> refusal(URI url) throws UnknownHostException {
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("the URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        for (InetAddress address : resolver.resolve(host)) {
            String kind = restrictedKind(address);
            if (kind != null && allowedNetworks.stream().noneMatch(network -> network.contains(address))) {
                return Optional.of(host + " resolves to " + kind + " address " + address.getHostAddress()
                        + ", which destinations may not call (ingest.plugin.destinations.allowed-private-networks)");
            }
        }
        return Optional.empty();
    }

    /** The kind of non-public address this is, or null for a public one. */
    static String restrictedKind(InetAddress address) {
        if (address instanceof Inet6Address v6 && isIpv4Mapped(v6)) {
            byte[] b = v6.getAddress();
            try {
                return restrictedKind(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        if (address.isLoopbackAddress()) {
            return "a loopback";
        }
        if (address.isAnyLocalAddress()) {
            return "an unspecified";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local";
        }
        if (address.isSiteLocalAddress()) {
            return "a private";
        }
        if (address.isMulticastAddress()) {
            return "a multicast";
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0) {
                return "a this-network";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "a carrier-grade NAT";
            }
            if (first == 198 && (second == 18 || second == 19)) {
                return "a benchmarking";
            }
            if (first >= 240) {
                return "a reserved";
            }
        } else if ((b[0] & 0xfe) == 0xfc) {
            return "a unique local (private)";
        }
        return null;
    }

    private static boolean isIpv4Mapped(Inet6Address address) {
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    /** One allowed network, such as {@code 127.0.0.0/8} or {@code ::1/128}. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String[] parts = text.trim().split("/", 2);
            try {
                // Only literal addresses are accepted here, so this never reaches DNS.
                if (!parts[0].matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an IP address: " + parts[0]);
                }
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
                if (prefix < 0 || prefix > network.length * 8) {
                    throw new IllegalArgumentException("prefix out of range");
                }
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("invalid network '" + text + "': " + e.getMessage(), e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
