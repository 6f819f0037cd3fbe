package dev.ingest.plugin.ingestion.heatmap;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A page URL with its path replaced, serialised as the WHATWG URL standard does for the absolute URLs browsers send
 * ({@code new URL(url); url.pathname = path; url.toString()}, which PostHog uses for scroll depth): scheme and host in
 * lower case, a default port left out, the new path starting with a slash and percent-encoded with the standard's
 * path set; query and fragment kept. Not a full WHATWG parser: no IDNA, no dot-segment folding.
 */
final class PageUrls {
    private static final Pattern ABSOLUTE = Pattern.compile(
            "^([A-Za-z][A-Za-z0-9+.-]*):(//([^/?#]*))?([^?#]*)(\\?[^#]*)?(#.*)?$", Pattern.DOTALL);
    private static final Pattern AUTHORITY = Pattern.compile("^((?:[^@]*)@)?(\\[[^\\]]*]|[^:]*)(?::(\\d*))?$");
    private static final Map<String, String> DEFAULT_PORTS = Map.of("http", "80", "https", "443", "ws", "80", "wss", "443",
            "ftp", "21");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PageUrls() {}

    /** {@code url} with {@code path} as its path; throws IllegalArgumentException when {@code url} is not absolute. */
    static String withPath(String url, String path) {
        Matcher parts = ABSOLUTE.matcher(url.strip());
        if (!parts.matches()) {
            throw new IllegalArgumentException("not an absolute URL");
        }
        String scheme = parts.group(1).toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(url.length() + path.length()).append(scheme).append(':');
        if (parts.group(2) != null) {
            Matcher authority = AUTHORITY.matcher(parts.group(3));
            if (!authority.matches()) {
                throw new IllegalArgumentException("not an absolute URL");
            }
            out.append("//");
            if (authority.group(1) != null) {
                out.append(authority.group(1));
            }
            out.append(authority.group(2).toLowerCase(Locale.ROOT));
            String port = authority.group(3);
            if (port != null && !port.isEmpty() && !port.equals(DEFAULT_PORTS.get(scheme))) {
                out.append(':').append(port);
            }
        }
        if (!path.startsWith("/")) {
            out.append('/');
        }
        encodePath(path, out);
        if (parts.group(5) != null) {
            out.append(parts.group(5));
        }
        if (parts.group(6) != null) {
            out.append(parts.group(6));
        }
        return out.toString();
    }

    /** The WHATWG path percent-encode set: C0 controls, space, {@code " # < > ? ` { }}, and all non-ASCII. */
    private static void encodePath(String path, StringBuilder out) {
        for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if (c <= 0x20 || c >= 0x7F || c == '"' || c == '#' || c == '<' || c == '>' || c == '?' || c == '`'
                    || c == '{' || c == '}') {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else {
                out.append((char) c);
            }
        }
    }
}
