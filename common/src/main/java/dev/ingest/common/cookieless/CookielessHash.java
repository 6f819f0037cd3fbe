package dev.ingest.common.cookieless;

import com.google.common.net.InternetDomainName;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostHog's cookieless identity (docs/posthog-compatibility.md#cookieless-mode; {@code rust/common/cookieless/src/hash.rs}
 * and the Node {@code cookieless-manager.ts}): SipHash-2-4-128 keyed by the day's salt over
 * {@code teamId-ip-rootDomain-userAgent-n-extra}, the halves rearranged as PostHog's TypeScript produces them, and the
 * ids derived from it. Pure: the same inputs give PostHog's bytes (its shared test vectors pass).
 */
public final class CookielessHash {
    public static final String PLACEHOLDER_DISTINCT_ID = "$posthog_cookieless";
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final Pattern BRACKETED = Pattern.compile("^\\[([0-9A-Fa-f:.]+)](?::(\\d+))?$");

    private CookielessHash() {}

    /** The 16 bytes of the hash; {@code extra} is cut to its first 100 characters. */
    public static byte[] hash(byte[] salt, long teamId, String ip, String rootDomain, String userAgent, long n,
            String extra) {
        if (salt.length != 16) {
            throw new IllegalArgumentException("a cookieless salt is 16 bytes, not " + salt.length);
        }
        String truncated = extra == null ? "" : extra.codePoints().limit(100)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String input = teamId + "-" + ip + "-" + rootDomain + "-" + userAgent + "-" + n + "-" + truncated;
        long[] halves = SipHash128.hash(SipHash128.littleEndian(salt, 0, 8), SipHash128.littleEndian(salt, 8, 8),
                input.getBytes(StandardCharsets.UTF_8));
        byte[] out = new byte[16];
        // PostHog's order: h2's high then low 32 bits, then h1's, each in little-endian bytes.
        putLittleEndian32(out, 0, (int) (halves[1] >>> 32));
        putLittleEndian32(out, 4, (int) halves[1]);
        putLittleEndian32(out, 8, (int) (halves[0] >>> 32));
        putLittleEndian32(out, 12, (int) halves[0]);
        return out;
    }

    public static String distinctId(byte[] hash) {
        return "cookieless_" + BASE64.encodeToString(hash);
    }

    public static String deviceId(byte[] hash) {
        return "cookielessd_" + BASE64.encodeToString(hash);
    }

    /**
     * The stateless session id: a UUID v7 whose time is {@code dayStart} and whose other bytes come from the hash,
     * so a visitor has one session a day.
     */
    public static UUID sessionId(byte[] hash, Instant dayStart) {
        byte[] bytes = new byte[16];
        long millis = dayStart.toEpochMilli();
        for (int i = 0; i < 6; i++) {
            bytes[i] = (byte) (millis >>> (8 * (5 - i)));
        }
        System.arraycopy(hash, 0, bytes, 6, 10);
        bytes[6] = (byte) (0x70 | (bytes[6] & 0x0f));
        bytes[8] = (byte) (0x80 | (bytes[8] & 0x3f));
        long most = 0;
        long least = 0;
        for (int i = 0; i < 8; i++) {
            most = (most << 8) | (bytes[i] & 0xff);
            least = (least << 8) | (bytes[8 + i] & 0xff);
        }
        return new UUID(most, least);
    }

    /**
     * The registrable domain of a host or URL with its port ({@code https://shop.example.co.uk:8443/x} is
     * {@code example.co.uk:8443}), by the public suffix list; {@code localhost} is {@code 127.0.0.1}; an IPv6 address
     * in brackets, compressed; an IP or a name without a registrable part as it is.
     */
    public static String rootDomain(String host) {
        if (host == null || host.isEmpty()) {
            return "";
        }
        String bareV6 = ipv6(host);
        if (bareV6 != null) {
            return "[" + bareV6 + "]";
        }
        Matcher bracketed = BRACKETED.matcher(host);
        if (bracketed.matches() && ipv6(bracketed.group(1)) != null) {
            return "[" + ipv6(bracketed.group(1)) + "]" + (bracketed.group(2) == null ? "" : ":" + bracketed.group(2));
        }
        String url = host.contains("://") ? host : "http://" + host;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException notAUrl) {
            return host;
        }
        String hostname = uri.getHost();
        if (hostname == null) {
            return host;
        }
        String port = uri.getPort() >= 0 ? ":" + uri.getPort() : "";
        if (hostname.startsWith("[") && hostname.endsWith("]")) {
            String v6 = ipv6(hostname.substring(1, hostname.length() - 1));
            return (v6 == null ? hostname : "[" + v6 + "]") + port;
        }
        String lower = hostname.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost")) {
            return "127.0.0.1" + port;
        }
        return registrable(lower) + port;
    }

    private static String registrable(String hostname) {
        try {
            InternetDomainName name = InternetDomainName.from(hostname);
            return name.isUnderPublicSuffix() ? name.topPrivateDomain().toString() : hostname;
        } catch (IllegalArgumentException | IllegalStateException notADomain) {
            return hostname;
        }
    }

    /** The compressed form of an IPv6 literal (RFC 5952, as {@code std::net::Ipv6Addr} prints it), or null. */
    static String ipv6(String text) {
        if (text.indexOf(':') < 0 || !text.matches("[0-9A-Fa-f:.]+")) {
            return null;
        }
        try {
            byte[] address = InetAddress.getByName(text).getAddress();
            if (address.length != 16) {
                return null;
            }
            int[] groups = new int[8];
            for (int i = 0; i < 8; i++) {
                groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
            }
            int bestStart = -1;
            int bestLength = 0;
            for (int i = 0; i < 8; ) {
                int j = i;
                while (j < 8 && groups[j] == 0) {
                    j++;
                }
                if (j - i > bestLength && j - i >= 2) {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j == i ? i + 1 : j;
            }
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                if (i == bestStart) {
                    out.append("::");
                    i += bestLength - 1;
                    continue;
                }
                if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[i]));
            }
            return out.toString();
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }

    private static void putLittleEndian32(byte[] out, int offset, int value) {
        for (int i = 0; i < 4; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
