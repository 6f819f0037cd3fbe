package dev.ingest.capture.decode;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** application/x-www-form-urlencoded and query strings: the first value of each name, '+' read as a space. */
public final class FormDecoder {
    private FormDecoder() {}

    public static Map<String, String> parse(byte[] body) {
        // UTF-8, not Latin-1: percent-escapes are decoded as UTF-8 anyway, and a raw (unescaped) UTF-8 body, as
        // curl -d sends it, must not turn into mojibake.
        return parse(new String(body, StandardCharsets.UTF_8));
    }

    public static Map<String, String> parse(String encoded) {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.putIfAbsent(name, value);
        }
        return values;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A stray '%' is kept literally rather than failing the whole request.
            return text;
        }
    }
}
