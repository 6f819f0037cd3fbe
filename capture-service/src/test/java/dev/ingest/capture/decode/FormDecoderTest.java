package dev.ingest.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FormDecoderTest {
    @Test
    void decodesPercentEscapesAndPlusAsSpace() {
        assertThat(FormDecoder.parse("data=a%2Bb+c%20d&x=%E2%98%95")).containsEntry("data", "a+b c d")
                .containsEntry("x", "\u2615");
    }

    @Test
    void keepsTheFirstValueOfARepeatedName() {
        assertThat(FormDecoder.parse("a=1&a=2")).containsEntry("a", "1").hasSize(1);
    }

    @Test
    void readsNameWithoutValueAsEmpty() {
        assertThat(FormDecoder.parse("beacon&x=")).containsEntry("beacon", "").containsEntry("x", "");
    }

    @Test
    void skipsEmptyPairs() {
        assertThat(FormDecoder.parse("&&a=1&")).containsOnlyKeys("a");
    }

    @Test
    void keepsStrayPercentLiterally() {
        assertThat(FormDecoder.parse("a=100%&b=%zz")).containsEntry("a", "100%").containsEntry("b", "%zz");
    }

    @Test
    void splitsOnlyOnTheFirstEquals() {
        assertThat(FormDecoder.parse("data=abc==")).containsEntry("data", "abc==");
    }

    @Test
    void readsNullAndEmptyAsNoFields() {
        assertThat(FormDecoder.parse((String) null)).isEmpty();
        assertThat(FormDecoder.parse(new byte[0])).isEmpty();
    }

    @Test
    void readsRawUtf8BytesOfABody() {
        byte[] body = "data={\"event\":\"caf\u00e9\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(FormDecoder.parse(body)).containsEntry("data", "{\"event\":\"caf\u00e9\"}");
    }

    @Test
    void readsPercentEncodedUtf8OfABody() {
        byte[] body = "data=caf%C3%A9".getBytes(StandardCharsets.US_ASCII);

        assertThat(FormDecoder.parse(body)).containsEntry("data", "caf\u00e9");
    }
}
