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
 * checked, so a name with one public and one private address is refused. IPv6 forms that embed an IPv4 address
 * (IPv4-mapped {@code ::ffff:0:0/96}, IPv4-compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4
 * {@code 2002::/16}) are judged by the address they embed; local-use NAT64 ({@code 64:ff9b:1::/48}) and Teredo
 * ({@code 2001::/32}, whose client address is hidden) are refused.
 * <p>
 * The address checked is the address connected to: {@link #check} returns it and {@link PinnedHttpClient} connects to
 * it without resolving the name again, so a DNS answer that changes between the check and the connection (DNS
 * rebinding) cannot move the request inward. Redirects are never followed.
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

    /** The verdict on a URL: the address to connect to, or why it may not be called. */
    public sealed interface Verdict {
        record Allowed(InetAddress address) implements Verdict {}

        record Refused(String reason) implements Verdict {}
    }

    /**
     * Resolves the URL's host once and checks every address it has. Throws {@link UnknownHostException} when the name
     * does not resolve (a retryable failure: DNS may be down).
     */
    public Verdict check(URI url) throws UnknownHostException {
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return new Verdict.Refused("the URL has no host");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            String kind = restrictedKind(address);
            if (kind != null && allowedNetworks.stream().noneMatch(network -> network.contains(address))) {
                return new Verdict.Refused(host + " resolves to " + kind + " address " + address.getHostAddress()
                        + ", which destinations may not call (ingest.plugin.destinations.allowed-private-networks)");
            }
        }
        return new Verdict.Allowed(addresses[0]);
    }

    /** Empty when the target may be called; otherwise why not. */
    public Optional<String> refusal(URI url) throws UnknownHostException {
        return check(url) instanceof Verdict.Refused refused ? Optional.of(refused.reason()) : Optional.empty();
    }

    /** The kind of non-public address this is, or null for a public one. */
    static String restrictedKind(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            if (isIpv4Mapped(v6) || isIpv4Compatible(b) || startsWith(b, NAT64)) {
                return restrictedKind(ipv4(b, 12));
            }
            if (startsWith(b, SIX_TO_FOUR)) {
                return restrictedKind(ipv4(b, 2));
            }
            if (startsWith(b, LOCAL_NAT64)) {
                return "a local-use NAT64";
            }
            if (startsWith(b, TEREDO)) {
                return "a Teredo";
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

    private static final byte[] NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] LOCAL_NAT64 = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1};
    private static final byte[] SIX_TO_FOUR = {0x20, 0x02};
    private static final byte[] TEREDO = {0x20, 0x01, 0, 0};

    private static boolean startsWith(byte[] address, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (address[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code ::a.b.c.d}, the deprecated IPv4-compatible form; {@code ::} and {@code ::1} are not IPv4. */
    private static boolean isIpv4Compatible(byte[] b) {
        for (int i = 0; i < 12; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[12] | b[13] | b[14]) != 0 || (b[15] & 0xff) > 1;
    }

    private static InetAddress ipv4(byte[] b, int offset) {
        try {
            return InetAddress.getByAddress(new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
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
