package dev.ingest.plugin.ingestion.kafka;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * A JSON document that rows carry as a string column (a person's properties in every one of its events' rows), with
 * its escaped form worked out once however many rows of a batch carry it: escaping the person's properties again for
 * each event was a twentieth of the plugin's consumer time on a sessions mix. Immutable apart from that cache, which
 * is volatile (one instance may be shared by threads; a race computes the same bytes twice, harmlessly).
 */
public final class EmbeddedJson {
    private final String text;
    private volatile byte[] quoted;

    private EmbeddedJson(String text) {
        this.text = text;
    }

    public static EmbeddedJson of(String text) {
        return new EmbeddedJson(text);
    }

    public String text() {
        return text;
    }

    /** The body of the JSON string that carries the document (lone surrogates made U+FFFD), as UTF-8. */
    byte[] quotedUtf8() {
        byte[] bytes = quoted;
        if (bytes == null) {
            bytes = JsonStringEncoder.getInstance().quoteAsUTF8(ClickHouseRows.text(text));
            quoted = bytes;
        }
        return bytes;
    }
}
